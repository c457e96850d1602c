//! The `memberships` table: who belongs to which workspace, with which role.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult};

use crate::core::database::stmt;

pub async fn insert(db: &impl ConnectionTrait, workspace_id: i64, user_id: i64, role: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)",
        [workspace_id.into(), user_id.into(), role.into(), Utc::now().into()],
    ))
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct RoleRow {
    role: String,
}

/// The account's role in the workspace; None when it is not a member.
pub async fn role_of(db: &impl ConnectionTrait, workspace_id: i64, user_id: i64) -> Result<Option<String>, DbErr> {
    let row = RoleRow::find_by_statement(stmt(
        db,
        "SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2",
        [workspace_id.into(), user_id.into()],
    ))
    .one(db)
    .await?;
    Ok(row.map(|r| r.role))
}

pub async fn set_role(db: &impl ConnectionTrait, workspace_id: i64, user_id: i64, role: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2",
        [workspace_id.into(), user_id.into(), role.into()],
    ))
    .await?;
    Ok(())
}

/// Removes the membership; the account's default workspace falls back to another of its own.
pub async fn delete(db: &impl ConnectionTrait, workspace_id: i64, user_id: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2",
        [workspace_id.into(), user_id.into()],
    ))
    .await?;
    db.execute_raw(stmt(
        db,
        "UPDATE users SET default_workspace_id = \
         (SELECT MIN(m.workspace_id) FROM memberships m WHERE m.user_id = users.id) \
         WHERE id = $2 AND default_workspace_id = $1",
        [workspace_id.into(), user_id.into()],
    ))
    .await?;
    Ok(())
}

#[derive(Clone, Debug, FromQueryResult)]
pub struct MemberRow {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub two_factor_enabled: bool,
    pub joined_at: DateTime<Utc>,
}

pub async fn list(db: &impl ConnectionTrait, workspace_id: i64) -> Result<Vec<MemberRow>, DbErr> {
    MemberRow::find_by_statement(stmt(
        db,
        "SELECT m.user_id, u.username, u.email, m.role, u.totp_enabled AS two_factor_enabled, m.created_at AS joined_at \
         FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1 \
         ORDER BY m.created_at, m.user_id",
        [workspace_id.into()],
    ))
    .all(db)
    .await
}

#[derive(FromQueryResult)]
struct UserIdRow {
    user_id: i64,
}

/// The owners' ids, their rows locked until the transaction ends (PostgreSQL; on SQLite a
/// write transaction already excludes every other writer), so that two owners demoting
/// each other at once cannot both pass the last-owner check.
pub async fn lock_owners(db: &impl ConnectionTrait, workspace_id: i64) -> Result<Vec<i64>, DbErr> {
    let lock = if db.get_database_backend() == DbBackend::Postgres { " FOR UPDATE" } else { "" };
    let rows = UserIdRow::find_by_statement(stmt(
        db,
        &format!("SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'owner' ORDER BY user_id{lock}"),
        [workspace_id.into()],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.user_id).collect())
}

#[derive(Clone, Debug, FromQueryResult)]
pub struct SoleOwnership {
    pub workspace_id: i64,
    pub name: String,
    pub members: i64,
}

/// The workspaces in which the account is the only owner, with their member counts.
pub async fn sole_ownerships(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<SoleOwnership>, DbErr> {
    SoleOwnership::find_by_statement(stmt(
        db,
        "SELECT w.id AS workspace_id, w.name, \
                (SELECT COUNT(*) FROM memberships a WHERE a.workspace_id = w.id) AS members \
         FROM workspaces w JOIN memberships m ON m.workspace_id = w.id AND m.user_id = $1 AND m.role = 'owner' \
         WHERE NOT EXISTS (SELECT 1 FROM memberships o WHERE o.workspace_id = w.id AND o.role = 'owner' AND o.user_id <> $1)",
        [user_id.into()],
    ))
    .all(db)
    .await
}
