//! Passwords: the reset link ("forgot password"), setting a new one with it, and changing
//! one's own. Either way every other session ends; a reset also unlocks the login names.

use chrono::Utc;
use secrecy::SecretString;

use crate::{
    core::{database, error::AppError, security::token_hash},
    domain::fields::{Email, Password},
    models::{
        auth_event::Event,
        login_throttle, session,
        user::{self},
        user_token::{self, Purpose},
    },
    services::{
        auth_events::record,
        identity::AuthUser,
        lockout::account_login_keys,
        session_cache::Forget,
        state::AppState,
        verification::{issue_token, take_mail_allowance},
    },
};

/// Like `verification::resend_verification`, decided before any lookup.
pub fn forgot_password(state: &AppState, email: &str) {
    let Ok(email) = Email::parse(email) else { return };
    let state2 = state.clone();
    state.spawn_background(async move {
        let state = state2;
        let Some(user) = user::find_by_email(&state.db, email.as_str()).await? else { return Ok::<_, AppError>(()) };
        if !user.is_active || !take_mail_allowance(&state, email.as_str()).await? {
            return Ok(());
        }
        let ttl = state.settings.reset_token_ttl;
        let token = issue_token(&state, &user, Purpose::ResetPassword, ttl).await?;
        let minutes = ttl.as_secs().div_ceil(60);
        let (mailer, email) =
            (state.mailer.clone(), state.mailer.password_reset(&user.email, &user.username, &token, minutes));
        state.spawn_background(async move { mailer.send(email).await });
        Ok(())
    });
}

pub async fn reset_password(state: &AppState, token: &str, new_password: &SecretString) -> Result<(), AppError> {
    use secrecy::ExposeSecret;
    let hash = token_hash(token);
    let row = user_token::find(&state.db, Purpose::ResetPassword, &hash).await?;
    let row = row.filter(|r| r.used_at.is_none() && r.expires_at > Utc::now()).ok_or(AppError::InvalidToken)?;
    let user = user::find_by_id(&state.db, row.user_id).await?.ok_or(AppError::InvalidToken)?;
    // A link mailed to an address the account no longer has is dead (an email change
    // also revokes it, see `users::update_me`).
    if row.email != user.email {
        return Err(AppError::InvalidToken);
    }
    // The policy is checked before the token is used, so a rejected password loses nothing.
    let password = Password::parse(new_password.expose_secret(), Some(&user.username), Some(&user.email))
        .map_err(|m| AppError::field("new_password", m))?;
    let password_hash = state.hasher.hash(password.secret()).await?;

    let txn = database::begin_write(&state.db).await?;
    user_token::consume(&txn, Purpose::ResetPassword, &hash).await?.ok_or(AppError::InvalidToken)?;
    user::set_password(&txn, user.id, &password_hash).await?;
    session::revoke_all_for_user(&txn, user.id, None).await?;
    let [username_key, email_key] = account_login_keys(&user);
    let were_locked = login_throttle::clear(&txn, &[&username_key, &email_key], Utc::now()).await?;
    txn.commit().await?;
    state.forget_sessions(Forget::User(user.id)).await;
    record(state, Event { kind: "password_reset", user_id: Some(user.id), login: None, ip: None, detail: None }).await;
    if were_locked > 0 {
        record(
            state,
            Event {
                kind: "unlock",
                user_id: Some(user.id),
                login: None,
                ip: None,
                detail: Some("password reset".into()),
            },
        )
        .await;
    }
    Ok(())
}

pub async fn change_password(
    state: &AppState,
    auth: &AuthUser,
    current: &SecretString,
    new_password: &SecretString,
) -> Result<(), AppError> {
    use secrecy::ExposeSecret;
    if !state.hasher.verify(current, Some(auth.user.password_hash.clone())).await? {
        record(
            state,
            Event { kind: "password_change_failure", user_id: Some(auth.user.id), login: None, ip: None, detail: None },
        )
        .await;
        return Err(AppError::field("current_password", "is incorrect"));
    }
    let password = Password::parse(new_password.expose_secret(), Some(&auth.user.username), Some(&auth.user.email))
        .map_err(|m| AppError::field("new_password", m))?;
    let password_hash = state.hasher.hash(password.secret()).await?;
    let txn = database::begin_write(&state.db).await?;
    user::set_password(&txn, auth.user.id, &password_hash).await?;
    session::revoke_all_for_user(&txn, auth.user.id, Some(auth.session_id)).await?;
    txn.commit().await?;
    state.forget_sessions(Forget::User(auth.user.id)).await;
    record(state, Event { kind: "password_change", user_id: Some(auth.user.id), login: None, ip: None, detail: None })
        .await;
    Ok(())
}
