//! Email verification: the link sent after sign-up or an email change, following it, and
//! asking for it again; and the per-address limit on account emails.

use chrono::Utc;

use crate::{
    core::{
        config::as_chrono,
        database,
        error::AppError,
        security::{random_token, token_hash},
    },
    domain::fields::Email,
    models::{
        auth_event::Event,
        mail_send,
        user::{self},
        user_token::{self, Purpose},
    },
    services::{auth_events::record, session_cache::Forget, state::AppState},
};

/// A new single-use token for `purpose`, stored hashed and bound to the account's current
/// email, valid for `ttl`; the token itself goes into the email only.
pub(crate) async fn issue_token(
    state: &AppState,
    user: &user::Model,
    purpose: Purpose,
    ttl: std::time::Duration,
) -> Result<String, AppError> {
    let token = random_token();
    let expires_at = Utc::now() + as_chrono(ttl);
    user_token::issue(&state.db, user.id, purpose, &token_hash(&token), &user.email, expires_at).await?;
    Ok(token)
}

pub(crate) async fn send_verification(state: &AppState, user: &user::Model) -> Result<(), AppError> {
    let ttl = state.settings.verify_token_ttl;
    let token = issue_token(state, user, Purpose::VerifyEmail, ttl).await?;
    let hours = ttl.as_secs().div_ceil(3600);
    let (mailer, email) = (state.mailer.clone(), state.mailer.verification(&user.email, &user.username, &token, hours));
    state.spawn_background(async move { mailer.send(email).await });
    Ok(())
}

pub async fn verify_email(state: &AppState, token: &str) -> Result<user::Model, AppError> {
    let hash = token_hash(token);
    if let Some(row) = user_token::consume(&state.db, Purpose::VerifyEmail, &hash).await? {
        let user = user::mark_verified(&state.db, row.user_id, &row.email).await?.ok_or(AppError::InvalidToken)?;
        state.forget_sessions(Forget::User(user.id)).await;
        record(state, Event { kind: "email_verified", user_id: Some(user.id), login: None, ip: None, detail: None })
            .await;
        return Ok(user);
    }
    // A second click on a still-valid link of an account it already verified is fine.
    let row = user_token::find(&state.db, Purpose::VerifyEmail, &hash).await?.ok_or(AppError::InvalidToken)?;
    let user = user::find_by_id(&state.db, row.user_id).await?.ok_or(AppError::InvalidToken)?;
    if row.expires_at > Utc::now() && user.is_verified && user.email == row.email {
        Ok(user)
    } else {
        Err(AppError::InvalidToken)
    }
}

/// Whether one more account email may go to `address` now; if so, counts it. Check and
/// count are one transaction, serialized per address, so that simultaneous requests for one
/// address cannot all pass the check before any of them is counted.
pub(crate) async fn take_mail_allowance(state: &AppState, address: &str) -> Result<bool, AppError> {
    let txn = database::begin_write(&state.db).await?;
    mail_send::lock_address(&txn, address).await?;
    let now = Utc::now();
    let recent = mail_send::recent(&txn, address, now - chrono::Duration::hours(1)).await?;
    let cooling = recent.last.is_some_and(|last| now - last < as_chrono(state.settings.mail_cooldown));
    if cooling || recent.count >= state.settings.mail_max_per_hour as i64 {
        tracing::info!(address, "account email suppressed by the per-address limit");
        return Ok(false);
    }
    mail_send::record(&txn, address, now).await?;
    txn.commit().await?;
    Ok(true)
}

/// The 202 is decided before any lookup: the work runs in the background, so neither the
/// answer nor its timing tells whether the address has an account.
pub fn resend_verification(state: &AppState, email: &str) {
    let Ok(email) = Email::parse(email) else { return };
    let state2 = state.clone();
    state.spawn_background(async move {
        let state = state2;
        let Some(user) = user::find_by_email(&state.db, email.as_str()).await? else { return Ok::<_, AppError>(()) };
        if user.is_verified || !take_mail_allowance(&state, email.as_str()).await? {
            return Ok(());
        }
        send_verification(&state, &user).await
    });
}

/// The link after an email change counts against the new address's mail limit.
pub async fn send_verification_after_email_change(state: &AppState, user: &user::Model) -> Result<(), AppError> {
    if take_mail_allowance(state, &user.email).await? {
        send_verification(state, user).await?;
    }
    Ok(())
}
