//! The `api_keys` table: keys scripts use on one workspace's data routes, stored as hashes
//! with their first characters kept visible.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Clone, Debug, FromQueryResult)]
pub struct Row {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub prefix: String,
    /// `read` or `read,write`.
    pub scopes: String,
    pub created_by: Option<i64>,
    pub created_by_username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const SELECT: &str = "SELECT k.id, k.workspace_id, k.name, k.prefix, k.scopes, k.created_by, \
                      u.username AS created_by_username, k.created_at, k.last_used_at, k.expires_at, k.revoked_at \
                      FROM api_keys k LEFT JOIN users u ON u.id = k.created_by";

pub struct NewKey<'a> {
    pub workspace_id: i64,
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub scopes: &'a str,
    pub created_by: i64,
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn insert(db: &impl ConnectionTrait, new: NewKey<'_>) -> Result<Row, DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO api_keys (workspace_id, name, prefix, key_hash, scopes, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
            new.workspace_id.into(),
            new.name.into(),
            new.prefix.into(),
            new.key_hash.into(),
            new.scopes.into(),
            new.created_by.into(),
            Utc::now().into(),
            new.expires_at.into(),
        ],
    ))
    .await?;
    by_hash(db, new.key_hash).await?.ok_or(DbErr::RecordNotInserted)
}

pub async fn by_hash(db: &impl ConnectionTrait, key_hash: &str) -> Result<Option<Row>, DbErr> {
    Row::find_by_statement(stmt(db, &format!("{SELECT} WHERE k.key_hash = $1"), [key_hash.into()])).one(db).await
}

/// The workspace's keys that are not revoked, newest first.
pub async fn list(db: &impl ConnectionTrait, workspace_id: i64) -> Result<Vec<Row>, DbErr> {
    Row::find_by_statement(stmt(
        db,
        &format!("{SELECT} WHERE k.workspace_id = $1 AND k.revoked_at IS NULL ORDER BY k.created_at DESC, k.id DESC"),
        [workspace_id.into()],
    ))
    .all(db)
    .await
}

pub async fn revoke(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE api_keys SET revoked_at = $3 WHERE workspace_id = $1 AND id = $2 AND revoked_at IS NULL",
            [workspace_id.into(), id.into(), Utc::now().into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn touch(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "UPDATE api_keys SET last_used_at = $2 WHERE id = $1", [id.into(), Utc::now().into()]))
        .await?;
    Ok(())
}
