//! `sessions` (one per login, the refresh-token family) and `refresh_tokens` (its rotated
//! members, stored as hashes).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryOrder, entity::prelude::*};

use crate::{core::database::stmt, models::user};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

pub struct NewSession<'a> {
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub user_agent: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub refresh_hash: &'a str,
}

/// Creates the session and its first refresh token.
pub async fn create(db: &impl ConnectionTrait, new: NewSession<'_>) -> Result<i64, DbErr> {
    let now = Utc::now();
    let row = db
        .query_one_raw(stmt(
            db,
            "INSERT INTO sessions (user_id, created_at, last_used_at, expires_at, user_agent, ip) \
             VALUES ($1, $2, $2, $3, $4, $5) RETURNING id",
            [
                new.user_id.into(),
                now.into(),
                new.expires_at.into(),
                new.user_agent.map(|s| s.chars().take(256).collect::<String>()).into(),
                new.ip.map(str::to_string).into(),
            ],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotInserted)?;
    let id: i64 = row.try_get("", "id")?;
    insert_refresh(db, id, new.refresh_hash).await?;
    Ok(id)
}

pub async fn insert_refresh(db: &impl ConnectionTrait, session_id: i64, hash: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO refresh_tokens (session_id, token_hash, created_at) VALUES ($1, $2, $3)",
        [session_id.into(), hash.into(), Utc::now().into()],
    ))
    .await?;
    Ok(())
}

/// The session behind an access token.
#[derive(Debug, FromQueryResult)]
pub struct ActiveSession {
    pub session_id: i64,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub user_id: i64,
}

/// The session and its account in one query: this runs on every authenticated request.
pub async fn find_with_user(
    db: &impl ConnectionTrait,
    session_id: i64,
) -> Result<Option<(ActiveSession, user::Model)>, DbErr> {
    let sql = "SELECT s.id AS session_id, s.revoked_at, s.expires_at, s.last_used_at, s.user_id, \
               u.id AS u_id, u.email AS u_email, u.username AS u_username, u.password_hash AS u_password_hash, \
               u.is_active AS u_is_active, u.is_verified AS u_is_verified, u.failed_attempts AS u_failed_attempts, \
               u.last_login AS u_last_login, u.role AS u_role, u.created_at AS u_created_at, \
               u.updated_at AS u_updated_at, u.default_workspace_id AS u_default_workspace_id, \
               u.totp_secret AS u_totp_secret, u.totp_pending_secret AS u_totp_pending_secret, \
               u.totp_enabled AS u_totp_enabled, u.totp_last_step AS u_totp_last_step \
               FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1";
    let Some(row) = db.query_one_raw(stmt(db, sql, [session_id.into()])).await? else { return Ok(None) };
    Ok(Some((ActiveSession::from_query_result(&row, "")?, user::Model::from_query_result(&row, "u_")?)))
}

pub async fn touch(db: &impl ConnectionTrait, session_id: i64, expires_at: Option<DateTime<Utc>>) -> Result<(), DbErr> {
    let now = Utc::now();
    match expires_at {
        Some(expires) => db.execute_raw(stmt(
            db,
            "UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1",
            [session_id.into(), now.into(), expires.into()],
        )),
        None => db.execute_raw(stmt(
            db,
            "UPDATE sessions SET last_used_at = $2 WHERE id = $1",
            [session_id.into(), now.into()],
        )),
    }
    .await?;
    Ok(())
}

/// A refresh token with the state of its session.
#[derive(Debug, FromQueryResult)]
pub struct RefreshRow {
    pub token_id: i64,
    pub rotated_at: Option<DateTime<Utc>>,
    pub session_id: i64,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub user_id: i64,
}

pub async fn find_refresh(db: &impl ConnectionTrait, hash: &str) -> Result<Option<RefreshRow>, DbErr> {
    RefreshRow::find_by_statement(stmt(
        db,
        "SELECT r.id AS token_id, r.rotated_at, s.id AS session_id, s.revoked_at, s.expires_at, s.user_id \
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = $1",
        [hash.into()],
    ))
    .one(db)
    .await
}

/// Marks a refresh token used; false when another request got there first.
pub async fn mark_rotated(db: &impl ConnectionTrait, token_id: i64) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE refresh_tokens SET rotated_at = $2 WHERE id = $1 AND rotated_at IS NULL",
            [token_id.into(), Utc::now().into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn revoke(db: &impl ConnectionTrait, session_id: i64) -> Result<u64, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            [session_id.into(), Utc::now().into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

/// Revokes every session of a user, except `keep` if given.
pub async fn revoke_all_for_user(db: &impl ConnectionTrait, user_id: i64, keep: Option<i64>) -> Result<u64, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND id <> $3",
            [user_id.into(), Utc::now().into(), keep.unwrap_or(-1).into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

pub async fn list_active_for_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::RevokedAt.is_null())
        .filter(Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(Column::LastUsedAt)
        .all(db)
        .await
}
