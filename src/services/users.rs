//! Account rules that are not part of a login flow: the seeded admin and admin creation.

use sea_orm::{DbErr, SqlErr};
use secrecy::ExposeSecret;

use crate::{
    core::{config::Settings, database::Db, error::ApiError, password::PasswordHasher},
    models::user::{self, NewUser, ROLE_ADMIN},
    schemas::fields::{Email, Password, Username},
};

/// Maps a unique-constraint violation on `users` to the contract's 409 code
/// (STYLE.md habit 4: the database decides, no pre-check race).
pub fn user_conflict(err: DbErr) -> ApiError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(detail)) if detail.contains("username") => {
            ApiError::conflict("username_taken", "This username is taken.")
        }
        Some(SqlErr::UniqueConstraintViolation(detail)) if detail.contains("email") => {
            ApiError::conflict("email_taken", "An account with this email already exists.")
        }
        _ => err.into(),
    }
}

/// Parses and creates a verified admin account.
pub async fn create_admin(
    db: &Db,
    hasher: &PasswordHasher,
    username: &str,
    email: &str,
    password: &str,
) -> Result<user::Model, ApiError> {
    let username = Username::parse(username).map_err(|m| ApiError::field("username", m))?;
    let email = Email::parse(email).map_err(|m| ApiError::field("email", m))?;
    let password = Password::parse(password, Some(username.as_str()), Some(email.as_str()))
        .map_err(|m| ApiError::field("password", m))?;
    let password_hash = hasher.hash(password.secret()).await?;
    let new = NewUser {
        username: username.as_str(),
        email: email.as_str(),
        password_hash,
        role: ROLE_ADMIN,
        is_verified: true,
    };
    user::insert(db, new).await.map_err(user_conflict)
}

/// At start: when no active admin exists, create one from `ADMIN_*` (in development the
/// design notes' test login; in production only if `ADMIN_PASSWORD` is set).
pub async fn ensure_admin(db: &Db, hasher: &PasswordHasher, settings: &Settings) -> anyhow::Result<()> {
    if user::any_active_admin(db).await? {
        return Ok(());
    }
    let Some(password) = &settings.admin_password else {
        tracing::warn!("no admin account exists; create one with `pulse create-admin`");
        return Ok(());
    };
    let result =
        create_admin(db, hasher, &settings.admin_username, &settings.admin_email, password.expose_secret()).await;
    match result {
        Ok(admin) => {
            tracing::info!(username = %admin.username, "seeded the admin account");
            Ok(())
        }
        Err(ApiError::Conflict { .. }) => {
            tracing::warn!("ADMIN_USERNAME or ADMIN_EMAIL belongs to a non-admin account; no admin was seeded");
            Ok(())
        }
        Err(ApiError::Validation(fields)) => {
            anyhow::bail!("the ADMIN_USERNAME / ADMIN_EMAIL / ADMIN_PASSWORD settings are invalid: {fields:?}")
        }
        Err(other) => Err(anyhow::anyhow!("seeding the admin failed: {other:?}")),
    }
}
