//! `mail_sends`: when account emails went to each address, for the per-address limits.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Debug, FromQueryResult)]
pub struct Recent {
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

pub async fn recent(db: &impl ConnectionTrait, address: &str, since: DateTime<Utc>) -> Result<Recent, DbErr> {
    Recent::find_by_statement(stmt(
        db,
        "SELECT COUNT(*) AS count, MAX(sent_at) AS last FROM mail_sends WHERE address = $1 AND sent_at > $2",
        [address.into(), since.into()],
    ))
    .one(db)
    .await
    .map(|r| r.unwrap_or(Recent { count: 0, last: None }))
}

pub async fn record(db: &impl ConnectionTrait, address: &str, at: DateTime<Utc>) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "INSERT INTO mail_sends (address, sent_at) VALUES ($1, $2)", [address.into(), at.into()]))
        .await?;
    Ok(())
}
