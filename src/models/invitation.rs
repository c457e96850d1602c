//! The `invitations` table: a link mailed to an address, to join a workspace with a role.
//! Tokens are stored as hashes; a pending invitation is one neither accepted, revoked nor
//! expired.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Clone, Debug, FromQueryResult)]
pub struct Row {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub role: String,
    pub invited_by: Option<i64>,
    pub invited_by_username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Row {
    pub fn status(&self, now: DateTime<Utc>) -> &'static str {
        if self.accepted_at.is_some() {
            "accepted"
        } else if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at <= now {
            "expired"
        } else {
            "pending"
        }
    }
}

const SELECT: &str = "SELECT i.id, i.workspace_id, i.email, i.role, i.invited_by, u.username AS invited_by_username, \
                      i.created_at, i.expires_at, i.accepted_at, i.revoked_at \
                      FROM invitations i LEFT JOIN users u ON u.id = i.invited_by";

pub struct NewInvitation<'a> {
    pub workspace_id: i64,
    pub email: &'a str,
    pub role: &'a str,
    pub token_hash: &'a str,
    pub invited_by: i64,
    pub expires_at: DateTime<Utc>,
}

/// Stores the invitation; a pending one for the same address in the workspace is revoked,
/// so its link dies.
pub async fn insert(db: &impl ConnectionTrait, new: NewInvitation<'_>) -> Result<Row, DbErr> {
    let now = Utc::now();
    db.execute_raw(stmt(
        db,
        "UPDATE invitations SET revoked_at = $3 \
         WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
        [new.workspace_id.into(), new.email.into(), now.into()],
    ))
    .await?;
    db.execute_raw(stmt(
        db,
        "INSERT INTO invitations (workspace_id, email, role, token_hash, invited_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            new.workspace_id.into(),
            new.email.into(),
            new.role.into(),
            new.token_hash.into(),
            new.invited_by.into(),
            now.into(),
            new.expires_at.into(),
        ],
    ))
    .await?;
    by_token_hash(db, new.token_hash).await?.ok_or(DbErr::RecordNotInserted)
}

pub async fn list(db: &impl ConnectionTrait, workspace_id: i64) -> Result<Vec<Row>, DbErr> {
    Row::find_by_statement(stmt(
        db,
        &format!("{SELECT} WHERE i.workspace_id = $1 ORDER BY i.created_at DESC, i.id DESC"),
        [workspace_id.into()],
    ))
    .all(db)
    .await
}

pub async fn find(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<Option<Row>, DbErr> {
    Row::find_by_statement(stmt(
        db,
        &format!("{SELECT} WHERE i.workspace_id = $1 AND i.id = $2"),
        [workspace_id.into(), id.into()],
    ))
    .one(db)
    .await
}

pub async fn by_token_hash(db: &impl ConnectionTrait, token_hash: &str) -> Result<Option<Row>, DbErr> {
    Row::find_by_statement(stmt(db, &format!("{SELECT} WHERE i.token_hash = $1"), [token_hash.into()])).one(db).await
}

/// Uses the invitation up in one statement, so two accepts cannot both succeed.
pub async fn consume(db: &impl ConnectionTrait, token_hash: &str) -> Result<bool, DbErr> {
    let now = Utc::now();
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE invitations SET accepted_at = $2 \
             WHERE token_hash = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $2",
            [token_hash.into(), now.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// A pending invitation gets a new link and expiry; the old link dies.
pub async fn renew(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    id: i64,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE invitations SET token_hash = $3, expires_at = $4, created_at = $5 \
             WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
            [workspace_id.into(), id.into(), token_hash.into(), expires_at.into(), Utc::now().into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn revoke(db: &impl ConnectionTrait, workspace_id: i64, id: i64) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE invitations SET revoked_at = $3 \
             WHERE workspace_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
            [workspace_id.into(), id.into(), Utc::now().into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

/// Invitations created or re-sent in the workspace since `since`.
pub async fn sent_since(db: &impl ConnectionTrait, workspace_id: i64, since: DateTime<Utc>) -> Result<i64, DbErr> {
    let row = Count::find_by_statement(stmt(
        db,
        "SELECT COUNT(*) AS n FROM invitations WHERE workspace_id = $1 AND created_at > $2",
        [workspace_id.into(), since.into()],
    ))
    .one(db)
    .await?;
    Ok(row.map_or(0, |r| r.n))
}
