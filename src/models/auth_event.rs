//! `auth_events`: the security audit trail. Never holds a password, token or hash.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr};

use crate::core::database::stmt;

pub struct Event<'a> {
    pub kind: &'static str,
    pub user_id: Option<i64>,
    pub login: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub detail: Option<String>,
}

pub async fn record(db: &impl ConnectionTrait, event: Event<'_>) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO auth_events (user_id, kind, login, ip, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [
            event.user_id.into(),
            event.kind.into(),
            event.login.map(|l| l.chars().take(254).collect::<String>()).into(),
            event.ip.map(str::to_string).into(),
            event.detail.into(),
            Utc::now().into(),
        ],
    ))
    .await?;
    Ok(())
}
