//! `surveys` and `survey_recipients` (see migration 000009). Times are Unix
//! milliseconds.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};

use crate::core::database::stmt;

/// A survey with its progress and its author's name.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Progress {
    pub id: i64,
    pub created_at: i64,
    pub created_by: Option<i64>,
    pub created_by_username: Option<String>,
    pub message: String,
    pub queued: i32,
    pub sent: i64,
    pub failed: i64,
    pub answered: i64,
}

#[derive(Clone, Debug, FromQueryResult)]
pub struct Recipient {
    pub id: i64,
    pub survey_id: i64,
    pub workspace_id: i64,
    pub customer_id: i64,
    pub token_sealed: String,
    pub status: String,
    pub sent_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub response_id: Option<i64>,
    pub expires_at: i64,
}

/// Counts of a new survey.
pub struct Counts {
    pub queued: i32,
    pub skipped_recent: i32,
    pub skipped_unsubscribed: i32,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    created_by: Option<i64>,
    message: &str,
    counts: &Counts,
    now: i64,
) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(stmt(
            db,
            "INSERT INTO surveys (workspace_id, created_by, message, queued, skipped_recent, skipped_unsubscribed, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            [
                workspace_id.into(),
                created_by.into(),
                message.into(),
                counts.queued.into(),
                counts.skipped_recent.into(),
                counts.skipped_unsubscribed.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

/// One customer to ask: `(customer_id, token_hash, token_sealed)`.
pub type NewRecipient = (i64, String, String);

/// Adds the recipients of survey `survey_id`; returns their ids.
pub async fn insert_recipients(
    db: &impl ConnectionTrait,
    survey_id: i64,
    workspace_id: i64,
    recipients: &[NewRecipient],
    expires_at: i64,
    now: i64,
) -> Result<Vec<i64>, DbErr> {
    let mut ids = Vec::with_capacity(recipients.len());
    for chunk in recipients.chunks(300) {
        let mut sql = String::from(
            "INSERT INTO survey_recipients (survey_id, workspace_id, customer_id, token_hash, token_sealed, \
             expires_at, created_at) VALUES ",
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 7);
        for (i, (customer_id, hash, sealed)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let b = i * 7;
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
            values.extend([
                survey_id.into(),
                workspace_id.into(),
                (*customer_id).into(),
                hash.clone().into(),
                sealed.clone().into(),
                expires_at.into(),
                now.into(),
            ]);
        }
        sql.push_str(" RETURNING id");
        for row in db.query_all_raw(stmt(db, &sql, values)).await? {
            ids.push(row.try_get("", "id")?);
        }
    }
    Ok(ids)
}

const PROGRESS: &str = "SELECT s.id, s.created_at, s.created_by, u.username AS created_by_username, s.message, s.queued, \
     (SELECT COUNT(*) FROM survey_recipients r WHERE r.survey_id = s.id AND r.status = 'sent') AS sent, \
     (SELECT COUNT(*) FROM survey_recipients r WHERE r.survey_id = s.id AND r.status = 'failed') AS failed, \
     (SELECT COUNT(*) FROM survey_recipients r WHERE r.survey_id = s.id AND r.answered_at IS NOT NULL) AS answered \
     FROM surveys s LEFT JOIN users u ON u.id = s.created_by";

pub async fn list(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Progress>, u64), DbErr> {
    let items = Progress::find_by_statement(stmt(
        db,
        &format!("{PROGRESS} WHERE s.workspace_id = $1 ORDER BY s.id DESC LIMIT $2 OFFSET $3"),
        [workspace_id.into(), (limit.min(i64::MAX as u64) as i64).into(), (offset.min(i64::MAX as u64) as i64).into()],
    ))
    .all(db)
    .await?;
    let total = db
        .query_one_raw(stmt(db, "SELECT COUNT(*) AS n FROM surveys WHERE workspace_id = $1", [workspace_id.into()]))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok((items, total as u64))
}

pub async fn find(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Progress>, DbErr> {
    Progress::find_by_statement(stmt(
        db,
        &format!("{PROGRESS} WHERE s.workspace_id = $1 AND s.id = $2"),
        [workspace_id.into(), id.into()],
    ))
    .one(db)
    .await
}

const RECIPIENT: &str = "SELECT id, survey_id, workspace_id, customer_id, token_sealed, status, sent_at, answered_at, \
                         response_id, expires_at FROM survey_recipients";

pub async fn recipient(db: &impl ConnectionTrait, id: i64) -> Result<Option<Recipient>, DbErr> {
    Recipient::find_by_statement(stmt(db, &format!("{RECIPIENT} WHERE id = $1"), [id.into()])).one(db).await
}

pub async fn recipient_by_token(db: &impl ConnectionTrait, token_hash: &str) -> Result<Option<Recipient>, DbErr> {
    Recipient::find_by_statement(stmt(db, &format!("{RECIPIENT} WHERE token_hash = $1"), [token_hash.into()]))
        .one(db)
        .await
}

/// Sets `status` (and `sent_at` when it is `sent`) of a recipient still queued; false when
/// it was not queued any more.
pub async fn settle(db: &impl ConnectionTrait, id: i64, status: &str, now: i64) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE survey_recipients SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN $3 ELSE sent_at END \
             WHERE id = $1 AND status = 'queued'",
            [id.into(), status.into(), now.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn mark_reminded(db: &impl ConnectionTrait, id: i64, now: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "UPDATE survey_recipients SET reminded_at = $2 WHERE id = $1", [id.into(), now.into()]))
        .await
        .map(drop)
}

pub async fn mark_answered(db: &impl ConnectionTrait, id: i64, response_id: i64, now: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE survey_recipients SET answered_at = $2, response_id = $3 WHERE id = $1",
        [id.into(), now.into(), response_id.into()],
    ))
    .await
    .map(drop)
}

/// Survey emails sent in `[from, to]` (either end open) and how many of them were answered.
pub async fn response_rate(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<(i64, i64), DbErr> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT COUNT(*) AS sent, \
             CAST(COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS answered \
             FROM survey_recipients WHERE workspace_id = $1 AND sent_at IS NOT NULL AND sent_at >= $2 AND sent_at <= $3",
            [workspace_id.into(), from.unwrap_or(i64::MIN).into(), to.unwrap_or(i64::MAX).into()],
        ))
        .await?;
    match row {
        Some(r) => Ok((r.try_get("", "sent")?, r.try_get("", "answered")?)),
        None => Ok((0, 0)),
    }
}

/// The staff's message of survey `id` (empty when none or gone).
pub async fn message(db: &impl ConnectionTrait, id: i64) -> Result<String, DbErr> {
    let row = db.query_one_raw(stmt(db, "SELECT message FROM surveys WHERE id = $1", [id.into()])).await?;
    Ok(row.map(|r| r.try_get::<String>("", "message")).transpose()?.unwrap_or_default())
}
