//! `mail_sends`: when account emails went to each address, for the per-address limits.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Debug, FromQueryResult)]
pub struct Recent {
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

/// Serializes the allowance checks of one address until the transaction ends: on
/// PostgreSQL with a transaction-level advisory lock on the address's hash; on SQLite the
/// write transaction already excludes every other writer.
pub async fn lock_address(db: &impl ConnectionTrait, address: &str) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(stmt(db, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [address.into()])).await?;
    }
    Ok(())
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
