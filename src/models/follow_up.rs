//! The `follow_ups` table: one per response at or below its workspace's
//! `low_score_threshold`. `recovered` is computed when read: the same customer gave a later
//! response (by `feedback_at`) scoring 4 or 5. Times are Unix milliseconds.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};

use crate::core::database::stmt;

/// A follow-up as the API shows it.
#[derive(Clone, Debug, FromQueryResult)]
pub struct View {
    pub id: i64,
    pub workspace_id: i64,
    pub response_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub customer_email: String,
    pub satisfaction_score: i16,
    pub review: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub assignee_username: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub recovered: i32,
}

const LATER_HIGH: &str = "EXISTS (SELECT 1 FROM responses r2 WHERE r2.customer_id = f.customer_id \
                          AND r2.feedback_at > r.feedback_at AND r2.satisfaction_score >= 4)";
const LATER_ANY: &str =
    "EXISTS (SELECT 1 FROM responses r2 WHERE r2.customer_id = f.customer_id AND r2.feedback_at > r.feedback_at)";

fn select() -> String {
    format!(
        "SELECT f.id, f.workspace_id, f.response_id, f.customer_id, c.name AS customer_name, c.email AS customer_email, \
         r.satisfaction_score, r.review, f.status, f.assignee_id, u.username AS assignee_username, f.note, \
         f.created_at, f.closed_at, CAST(CASE WHEN {LATER_HIGH} THEN 1 ELSE 0 END AS INTEGER) AS recovered \
         FROM follow_ups f JOIN responses r ON r.id = f.response_id JOIN customers c ON c.id = f.customer_id \
         LEFT JOIN users u ON u.id = f.assignee_id"
    )
}

/// Opens the follow-up of response `response_id` unless it has one; its id when opened.
pub async fn open(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    response_id: i64,
    customer_id: i64,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    let row = db
        .query_one_raw(stmt(
            db,
            "INSERT INTO follow_ups (workspace_id, response_id, customer_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (response_id) DO NOTHING RETURNING id",
            [workspace_id.into(), response_id.into(), customer_id.into(), now.into()],
        ))
        .await?;
    row.map(|r| r.try_get::<i64>("", "id")).transpose()
}

/// Opens the follow-ups of a workspace's responses with ids above `after_id` scoring at most
/// `threshold` (after each batch of a bulk import).
pub async fn open_after(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    after_id: i64,
    threshold: i16,
    now: i64,
) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO follow_ups (workspace_id, response_id, customer_id, created_at) \
         SELECT workspace_id, id, customer_id, $4 FROM responses \
         WHERE workspace_id = $1 AND id > $2 AND satisfaction_score <= $3 \
         ON CONFLICT (response_id) DO NOTHING",
        [workspace_id.into(), after_id.into(), threshold.into(), now.into()],
    ))
    .await
    .map(drop)
}

pub async fn find(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<View>, DbErr> {
    View::find_by_statement(stmt(
        db,
        &format!("{} WHERE f.workspace_id = $1 AND f.id = $2", select()),
        [workspace_id.into(), id.into()],
    ))
    .one(db)
    .await
}

/// What the list filters on.
pub struct ListFilter {
    pub workspace_id: i64,
    pub status: Option<String>,
    pub assignee_id: Option<i64>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    filter: &ListFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<View>, u64), DbErr> {
    let mut condition = String::from("f.workspace_id = $1");
    let mut values: Vec<Value> = vec![filter.workspace_id.into()];
    if let Some(status) = &filter.status {
        values.push(status.clone().into());
        condition.push_str(&format!(" AND f.status = ${}", values.len()));
    }
    if let Some(assignee) = filter.assignee_id {
        values.push(assignee.into());
        condition.push_str(&format!(" AND f.assignee_id = ${}", values.len()));
    }
    let total = db
        .query_one_raw(stmt(db, &format!("SELECT COUNT(*) AS n FROM follow_ups f WHERE {condition}"), values.clone()))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let n = values.len();
    values.push((limit.min(i64::MAX as u64) as i64).into());
    values.push((offset.min(i64::MAX as u64) as i64).into());
    let items = View::find_by_statement(stmt(
        db,
        &format!("{} WHERE {condition} ORDER BY f.id DESC LIMIT ${} OFFSET ${}", select(), n + 1, n + 2),
        values,
    ))
    .all(db)
    .await?;
    Ok((items, total as u64))
}

pub struct Change {
    pub status: String,
    pub assignee_id: Option<i64>,
    pub note: String,
    pub closed_at: Option<i64>,
}

pub async fn update(db: &impl ConnectionTrait, id: i64, change: &Change) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE follow_ups SET status = $2, assignee_id = $3, note = $4, closed_at = $5 WHERE id = $1",
        [
            id.into(),
            change.status.clone().into(),
            change.assignee_id.into(),
            change.note.clone().into(),
            change.closed_at.into(),
        ],
    ))
    .await
    .map(drop)
}

/// One follow-up as the analytics count it.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Outcome {
    pub status: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub recovered: i32,
    pub responded_again: i32,
}

/// The follow-ups opened in `[from, to]` (milliseconds, either end open).
pub async fn outcomes(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Vec<Outcome>, DbErr> {
    Outcome::find_by_statement(stmt(
        db,
        &format!(
            "SELECT f.status, f.created_at, f.closed_at, \
             CAST(CASE WHEN {LATER_HIGH} THEN 1 ELSE 0 END AS INTEGER) AS recovered, \
             CAST(CASE WHEN {LATER_ANY} THEN 1 ELSE 0 END AS INTEGER) AS responded_again \
             FROM follow_ups f JOIN responses r ON r.id = f.response_id \
             WHERE f.workspace_id = $1 AND f.created_at >= $2 AND f.created_at <= $3"
        ),
        [workspace_id.into(), from.unwrap_or(i64::MIN).into(), to.unwrap_or(i64::MAX).into()],
    ))
    .all(db)
    .await
}

/// Open follow-ups of a workspace (for the digest).
pub async fn count_open(db: &impl ConnectionTrait, workspace_id: i64) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT COUNT(*) AS n FROM follow_ups WHERE workspace_id = $1 AND status = 'open'",
            [workspace_id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

/// A follow-up by id alone (for an alert job, which knows no workspace).
pub async fn find_any(db: &impl ConnectionTrait, id: i64) -> Result<Option<View>, DbErr> {
    View::find_by_statement(stmt(db, &format!("{} WHERE f.id = $1", select()), [id.into()])).one(db).await
}
