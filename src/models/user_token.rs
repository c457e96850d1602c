//! `user_tokens`: single-use, expiring, purpose-bound tokens (email verification, password
//! reset), stored as hashes and consumed atomically.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

#[derive(Debug, FromQueryResult)]
pub struct TokenRow {
    pub user_id: i64,
    pub email: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// Stores a new token and supersedes the user's earlier unused ones of the same purpose.
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i64,
    purpose: Purpose,
    hash: &str,
    email: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    revoke_all(db, user_id, purpose).await?;
    let now = Utc::now();
    db.execute_raw(stmt(
        db,
        "INSERT INTO user_tokens (user_id, purpose, token_hash, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        [user_id.into(), purpose.as_str().into(), hash.into(), email.into(), now.into(), expires_at.into()],
    ))
    .await?;
    Ok(())
}

/// Ends the user's unused tokens of this purpose.
pub async fn revoke_all(db: &impl ConnectionTrait, user_id: i64, purpose: Purpose) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
        [user_id.into(), purpose.as_str().into(), Utc::now().into()],
    ))
    .await?;
    Ok(())
}

/// Looks a token up without using it.
pub async fn find(db: &impl ConnectionTrait, purpose: Purpose, hash: &str) -> Result<Option<TokenRow>, DbErr> {
    TokenRow::find_by_statement(stmt(
        db,
        "SELECT user_id, email, expires_at, used_at FROM user_tokens WHERE token_hash = $1 AND purpose = $2",
        [hash.into(), purpose.as_str().into()],
    ))
    .one(db)
    .await
}

/// Uses the token up in one statement: only an unused, unexpired token of this purpose
/// matches, so two concurrent uses cannot both succeed.
pub async fn consume(db: &impl ConnectionTrait, purpose: Purpose, hash: &str) -> Result<Option<TokenRow>, DbErr> {
    let now = Utc::now();
    TokenRow::find_by_statement(stmt(
        db,
        "UPDATE user_tokens SET used_at = $3 \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 \
         RETURNING user_id, email, expires_at, used_at",
        [hash.into(), purpose.as_str().into(), now.into()],
    ))
    .one(db)
    .await
}
