//! Login lockout: failed logins are counted per login name (not per account, so guessing
//! at names that do not exist is limited too), and an admin or a password reset lifts it.

use chrono::{DateTime, Utc};

use crate::{
    core::{config::as_chrono, error::AppError},
    models::{
        auth_event::Event,
        login_throttle::{self, Slot},
        user,
    },
    services::{
        auth_events::record,
        identity::{AuthUser, ClientInfo},
        state::AppState,
    },
};

/// Claims one password check for `key` before it runs, so parallel guesses cannot
/// overshoot the threshold: the (threshold+1)-th claim is refused without a check, and so
/// is every claim while the name is locked.
pub(crate) async fn claim(
    state: &AppState,
    key: &str,
    now: DateTime<Utc>,
    client: &ClientInfo,
) -> Result<Slot, AppError> {
    let settings = &state.settings;
    let lock_length = as_chrono(settings.lockout_duration);
    let slot = login_throttle::claim_attempt(&state.db, key, now, now - lock_length).await?;
    if let Some(until) = slot.locked_until.filter(|u| *u > now) {
        record(state, event("login_locked", key, client)).await;
        return Err(AppError::AccountLocked { retry_after: retry_after(until, now) });
    }
    if slot.attempts > settings.lockout_threshold as i32 {
        let until = now + lock_length;
        if login_throttle::lock(&state.db, key, until).await? {
            record(state, event("lockout", key, client)).await;
        }
        return Err(AppError::AccountLocked { retry_after: retry_after(until, now) });
    }
    Ok(slot)
}

/// After a wrong password: the claim that reached the threshold locks the name.
pub(crate) async fn failed(state: &AppState, key: &str, attempt: Slot, client: &ClientInfo) -> Result<(), AppError> {
    let until = Utc::now() + as_chrono(state.settings.lockout_duration);
    if attempt.attempts >= state.settings.lockout_threshold as i32
        && login_throttle::lock(&state.db, key, until).await?
    {
        record(state, event("lockout", key, client)).await;
    }
    Ok(())
}

fn event<'a>(kind: &'static str, key: &'a str, client: &'a ClientInfo) -> Event<'a> {
    Event { kind, user_id: None, login: Some(key), ip: client.ip.as_deref(), detail: None }
}

/// The lock key of a login name: its lowercase form, so `Alice` and `alice` share one.
pub(crate) fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The names an account can log in with, as lock keys: its username and its email.
pub(crate) fn account_login_keys(user: &user::Model) -> [String; 2] {
    [login_key(&user.username), user.email.clone()]
}

pub(crate) fn retry_after(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    (until - now).num_seconds().max(1) as u64
}

/// Lifts the lock on an account's login names (admin action).
pub async fn unlock(state: &AppState, target: &user::Model, by: &AuthUser) -> Result<(), AppError> {
    let [username_key, email_key] = account_login_keys(target);
    let were_locked = login_throttle::clear(&state.db, &[&username_key, &email_key], Utc::now()).await?;
    record(
        state,
        Event {
            kind: "unlock",
            user_id: Some(target.id),
            login: None,
            ip: None,
            detail: Some(format!("by admin {} ({} locked names)", by.user.id, were_locked)),
        },
    )
    .await;
    Ok(())
}
