//! `webhooks` and `webhook_deliveries`. Times are Unix milliseconds.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Clone, Debug, FromQueryResult)]
pub struct Webhook {
    pub id: i64,
    pub workspace_id: i64,
    pub url: String,
    /// Comma-separated event names.
    pub events: String,
    pub secret_sealed: String,
    pub active: bool,
    pub created_at: i64,
}

impl Webhook {
    pub fn listens_to(&self, event: &str) -> bool {
        self.active && self.events.split(',').any(|e| e == event)
    }
}

#[derive(Clone, Debug, FromQueryResult)]
pub struct Delivery {
    pub id: i64,
    pub webhook_id: i64,
    pub message_id: String,
    pub event: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: Option<i64>,
}

const WEBHOOK: &str = "SELECT id, workspace_id, url, events, secret_sealed, active, created_at FROM webhooks";

pub async fn insert(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    url: &str,
    events: &str,
    secret_sealed: &str,
    now: i64,
) -> Result<Webhook, DbErr> {
    Webhook::find_by_statement(stmt(
        db,
        "INSERT INTO webhooks (workspace_id, url, events, secret_sealed, active, created_at) \
         VALUES ($1, $2, $3, $4, TRUE, $5) RETURNING id, workspace_id, url, events, secret_sealed, active, created_at",
        [workspace_id.into(), url.into(), events.into(), secret_sealed.into(), now.into()],
    ))
    .one(db)
    .await?
    .ok_or(DbErr::RecordNotInserted)
}

pub async fn list(db: &impl ConnectionTrait, workspace_id: i64) -> Result<Vec<Webhook>, DbErr> {
    Webhook::find_by_statement(stmt(
        db,
        &format!("{WEBHOOK} WHERE workspace_id = $1 ORDER BY id"),
        [workspace_id.into()],
    ))
    .all(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Webhook>, DbErr> {
    Webhook::find_by_statement(stmt(
        db,
        &format!("{WEBHOOK} WHERE workspace_id = $1 AND id = $2"),
        [workspace_id.into(), id.into()],
    ))
    .one(db)
    .await
}

pub async fn update(db: &impl ConnectionTrait, hook: &Webhook) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE webhooks SET url = $2, events = $3, active = $4 WHERE id = $1",
        [hook.id.into(), hook.url.clone().into(), hook.events.clone().into(), hook.active.into()],
    ))
    .await
    .map(drop)
}

pub async fn delete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "DELETE FROM webhooks WHERE id = $1", [id.into()])).await.map(drop)
}

pub async fn insert_delivery(
    db: &impl ConnectionTrait,
    webhook_id: i64,
    message_id: &str,
    event: &str,
    payload: &str,
    now: i64,
) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(stmt(
            db,
            "INSERT INTO webhook_deliveries (webhook_id, message_id, event, payload, created_at, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            [webhook_id.into(), message_id.into(), event.into(), payload.into(), now.into()],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

const DELIVERY: &str = "SELECT id, webhook_id, message_id, event, payload, status, attempts, last_status_code, \
                        last_error, created_at, next_attempt_at FROM webhook_deliveries";

pub async fn delivery(db: &impl ConnectionTrait, id: i64) -> Result<Option<Delivery>, DbErr> {
    Delivery::find_by_statement(stmt(db, &format!("{DELIVERY} WHERE id = $1"), [id.into()])).one(db).await
}

pub async fn deliveries(
    db: &impl ConnectionTrait,
    webhook_id: i64,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Delivery>, u64), DbErr> {
    let items = Delivery::find_by_statement(stmt(
        db,
        &format!("{DELIVERY} WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"),
        [webhook_id.into(), (limit.min(i64::MAX as u64) as i64).into(), (offset.min(i64::MAX as u64) as i64).into()],
    ))
    .all(db)
    .await?;
    let total = db
        .query_one_raw(stmt(
            db,
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = $1",
            [webhook_id.into()],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    Ok((items, total as u64))
}

/// Records an attempt: its status code or error, the delivery's new status and when the
/// next attempt is due (none once delivered or failed).
pub async fn record_attempt(
    db: &impl ConnectionTrait,
    id: i64,
    status: &str,
    code: Option<i32>,
    error: Option<&str>,
    next_attempt_at: Option<i64>,
) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status_code = $3, last_error = $4, \
         next_attempt_at = $5 WHERE id = $1",
        [id.into(), status.into(), code.into(), error.map(str::to_string).into(), next_attempt_at.into()],
    ))
    .await
    .map(drop)
}

/// A webhook by id alone (for a delivery job, which knows no workspace).
pub async fn list_one(db: &impl ConnectionTrait, id: i64) -> Result<Option<Webhook>, DbErr> {
    Webhook::find_by_statement(stmt(db, &format!("{WEBHOOK} WHERE id = $1"), [id.into()])).one(db).await
}
