//! The auth rules (API.md §3): signup, login with lockout, rotating refresh tokens with
//! reuse detection, logout, email verification, password reset and change, sessions.

use crate::services::state::AppState;
use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::SecretString;

use crate::{
    core::{
        config::SignupMode,
        database,
        error::{AppError, FieldErrors},
        security::{TokenSubject, random_token, token_hash},
    },
    models::{
        auth_event::{self, Event},
        login_throttle, mail_send,
        session::{self, NewSession},
        user::{self, NewUser, ROLE_USER},
        user_token::{self, Purpose},
    },
    schemas::fields::{Email, Password, Username},
    services::{
        invitations,
        session_cache::{self, Forget},
        two_factor,
        users::user_conflict,
        workspaces,
    },
};

/// Where a request came from, for sessions and the audit trail.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// An authenticated request: the account and the session its token belongs to.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub user: user::Model,
    pub session_id: i64,
}

/// What a login or refresh hands out.
pub struct Issued {
    pub user: user::Model,
    pub access_token: String,
    pub refresh_token: String,
    pub session_id: i64,
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Writes an auth event to the audit table, the log and the metrics.
pub(crate) async fn record(state: &AppState, event: Event<'_>) {
    let counter = match event.kind {
        "login_failure" => Some("auth_login_failures_total"),
        "lockout" => Some("auth_lockouts_total"),
        "refresh_reuse" => Some("auth_refresh_reuse_total"),
        _ => None,
    };
    if let Some(name) = counter {
        metrics::counter!(name).increment(1);
    }
    tracing::info!(kind = event.kind, user_id = ?event.user_id, login = ?event.login, ip = ?event.ip, "auth event");
    if let Err(err) = auth_event::record(&state.db, event).await {
        tracing::error!(error = %err, "could not record an auth event");
    }
}

pub async fn signup(
    state: &AppState,
    username: &str,
    email: &str,
    password: &SecretString,
    invitation_token: Option<&str>,
    client: &ClientInfo,
) -> Result<user::Model, AppError> {
    use secrecy::ExposeSecret;
    if invitation_token.is_none() && state.settings.signup_mode == SignupMode::Invite {
        return Err(AppError::refused("signup_closed", "Signing up needs an invitation from a workspace."));
    }
    let mut fields = FieldErrors::new();
    let username = Username::parse(username).map_err(|m| fields.insert("username".into(), vec![m])).ok();
    let email = Email::parse(email).map_err(|m| fields.insert("email".into(), vec![m])).ok();
    let password = Password::parse(
        password.expose_secret(),
        username.as_ref().map(Username::as_str),
        email.as_ref().map(Email::as_str),
    )
    .map_err(|m| fields.insert("password".into(), vec![m]))
    .ok();
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        return Err(AppError::Validation(fields));
    };
    if let Some(token) = invitation_token {
        invitations::check_for_signup(&state.db, token, email.as_str()).await?;
    }
    let password_hash = state.hasher.hash(password.secret()).await?;
    let new = NewUser {
        username: username.as_str(),
        email: email.as_str(),
        password_hash,
        role: ROLE_USER,
        is_verified: false,
    };
    // The account and its first workspace (its own, or the inviting one) in one transaction.
    let txn = database::begin_write(&state.db).await?;
    let user = user::insert(&txn, new).await.map_err(user_conflict)?;
    match invitation_token {
        Some(token) => {
            invitations::accept_in(&txn, &user, token).await?;
        }
        None => {
            workspaces::create_owned(&txn, &user, &format!("{}'s workspace", user.username)).await?;
        }
    }
    txn.commit().await?;
    let user = user::find_by_id(&state.db, user.id).await?.ok_or(AppError::NotFound)?;
    record(
        state,
        Event {
            kind: "signup",
            user_id: Some(user.id),
            login: Some(&user.username),
            ip: client.ip.as_deref(),
            detail: None,
        },
    )
    .await;
    if !user.is_verified {
        send_verification(state, &user).await?;
    }
    Ok(user)
}

async fn send_verification(state: &AppState, user: &user::Model) -> Result<(), AppError> {
    let token = random_token();
    let ttl = state.settings.verify_token_ttl;
    user_token::issue(
        &state.db,
        user.id,
        Purpose::VerifyEmail,
        &token_hash(&token),
        &user.email,
        Utc::now() + chrono_duration(ttl),
    )
    .await?;
    let hours = ttl.as_secs().div_ceil(3600);
    let (mailer, email) = (state.mailer.clone(), state.mailer.verification(&user.email, &user.username, &token, hours));
    state.spawn_background(async move { mailer.send(email).await });
    Ok(())
}

/// The lock key of a login name: its lowercase form, so `Alice` and `alice` share one.
fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The names an account can log in with, as lock keys: its username and its email.
fn account_login_keys(user: &user::Model) -> [String; 2] {
    [login_key(&user.username), user.email.clone()]
}

fn retry_after(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    (until - now).num_seconds().max(1) as u64
}

/// What a correct password leads to: a session, or with two-factor on a token to trade
/// for one together with a code (`login_second_factor`).
pub enum LoginOutcome {
    Session(Box<Issued>),
    SecondFactor { mfa_token: String },
}

/// How long a login may wait for its second factor.
pub const MFA_TOKEN_TTL: Duration = Duration::from_secs(300);

pub async fn login(
    state: &AppState,
    login: &str,
    password: &SecretString,
    client: &ClientInfo,
) -> Result<LoginOutcome, AppError> {
    let settings = &state.settings;
    let key = login_key(login);
    let now = Utc::now();
    let lock_length = chrono_duration(settings.lockout_duration);
    // One password check is claimed before it runs, so parallel guesses cannot overshoot
    // the threshold: the (threshold+1)-th claim is refused without a check.
    let slot = login_throttle::claim_attempt(&state.db, &key, now, now - lock_length).await?;
    if let Some(until) = slot.locked_until.filter(|u| *u > now) {
        record(
            state,
            Event { kind: "login_locked", user_id: None, login: Some(&key), ip: client.ip.as_deref(), detail: None },
        )
        .await;
        return Err(AppError::AccountLocked { retry_after: retry_after(until, now) });
    }
    if slot.attempts > settings.lockout_threshold as i32 {
        let until = now + lock_length;
        if login_throttle::lock(&state.db, &key, until).await? {
            record(
                state,
                Event { kind: "lockout", user_id: None, login: Some(&key), ip: client.ip.as_deref(), detail: None },
            )
            .await;
        }
        return Err(AppError::AccountLocked { retry_after: retry_after(until, now) });
    }

    let account = user::find_by_login(&state.db, &key).await?;
    let verified = state.hasher.verify(password, account.as_ref().map(|u| u.password_hash.clone())).await?;
    let account = match account {
        Some(account) if verified => account,
        other => {
            if let Some(account) = other {
                user::add_failed_attempt(&state.db, account.id).await?;
            }
            record(
                state,
                Event {
                    kind: "login_failure",
                    user_id: None,
                    login: Some(&key),
                    ip: client.ip.as_deref(),
                    detail: None,
                },
            )
            .await;
            if slot.attempts >= settings.lockout_threshold as i32
                && login_throttle::lock(&state.db, &key, Utc::now() + lock_length).await?
            {
                record(
                    state,
                    Event { kind: "lockout", user_id: None, login: Some(&key), ip: client.ip.as_deref(), detail: None },
                )
                .await;
            }
            return Err(AppError::InvalidCredentials);
        }
    };
    if !account.is_active {
        record(
            state,
            Event {
                kind: "login_disabled",
                user_id: Some(account.id),
                login: Some(&key),
                ip: client.ip.as_deref(),
                detail: None,
            },
        )
        .await;
        return Err(AppError::AccountDisabled);
    }
    if account.totp_enabled {
        // Not a failure, but the count is not reset either until the second factor
        // succeeds: a known password must not wipe out the count of wrong codes.
        login_throttle::release(&state.db, &key).await?;
        let mfa_token = state.keys.issue_mfa(account.id, MFA_TOKEN_TTL)?;
        return Ok(LoginOutcome::SecondFactor { mfa_token });
    }
    let [username_key, email_key] = account_login_keys(&account);
    login_throttle::clear(&state.db, &[&key, &username_key, &email_key], now).await?;
    finish_login(state, account, &key, client).await.map(|issued| LoginOutcome::Session(Box::new(issued)))
}

/// The second step of a login with two-factor on: the token from `login` and a code.
pub async fn login_second_factor(
    state: &AppState,
    mfa_token: &str,
    code: &str,
    client: &ClientInfo,
) -> Result<Issued, AppError> {
    let user_id = state.keys.verify_mfa(mfa_token).ok_or(AppError::Unauthorized)?;
    let account = user::find_by_id(&state.db, user_id).await?.ok_or(AppError::Unauthorized)?;
    if !account.is_active {
        return Err(AppError::AccountDisabled);
    }
    let key = login_key(&account.username);
    if let Err(err) = two_factor::check_code(state, &account, code).await {
        if matches!(err, AppError::InvalidCode) {
            record(
                state,
                Event {
                    kind: "login_failure",
                    user_id: None,
                    login: Some(&key),
                    ip: client.ip.as_deref(),
                    detail: Some("second factor".into()),
                },
            )
            .await;
        }
        return Err(err);
    }
    finish_login(state, account, &key, client).await
}

async fn finish_login(
    state: &AppState,
    account: user::Model,
    key: &str,
    client: &ClientInfo,
) -> Result<Issued, AppError> {
    let account = user::record_login(&state.db, account.id).await?;
    session_cache::forget(state, Forget::User(account.id)).await;
    record(
        state,
        Event {
            kind: "login_success",
            user_id: Some(account.id),
            login: Some(key),
            ip: client.ip.as_deref(),
            detail: None,
        },
    )
    .await;
    start_session(state, account, client).await
}

async fn start_session(state: &AppState, user: user::Model, client: &ClientInfo) -> Result<Issued, AppError> {
    let refresh_token = random_token();
    let session_id = session::create(
        &state.db,
        NewSession {
            user_id: user.id,
            expires_at: Utc::now() + chrono_duration(state.settings.refresh_ttl),
            user_agent: client.user_agent.as_deref(),
            ip: client.ip.as_deref(),
            refresh_hash: &token_hash(&refresh_token),
        },
    )
    .await?;
    let access_token = state.keys.issue(TokenSubject { user_id: user.id, session_id }, state.settings.access_ttl)?;
    Ok(Issued { user, access_token, refresh_token, session_id })
}

/// Rotates a refresh token. A token already rotated is answered with its successor inside
/// the grace window (two tabs refreshing at once); after it, the replay revokes the session.
pub async fn refresh(state: &AppState, presented: &str, client: &ClientInfo) -> Result<Issued, AppError> {
    let row = session::find_refresh(&state.db, &token_hash(presented)).await?.ok_or(AppError::Unauthorized)?;
    let user = user::find_by_id(&state.db, row.user_id).await?.ok_or(AppError::Unauthorized)?;
    if !user.is_active {
        return Err(AppError::AccountDisabled);
    }
    let now = Utc::now();
    if row.revoked_at.is_some() || row.expires_at <= now {
        return Err(AppError::Unauthorized);
    }
    let successor = state.keys.successor(presented);
    match row.rotated_at {
        None => {
            let txn = database::begin_write(&state.db).await?;
            if session::mark_rotated(&txn, row.token_id).await? {
                session::insert_refresh(&txn, row.session_id, &token_hash(&successor)).await?;
            }
            session::touch(&txn, row.session_id, Some(now + chrono_duration(state.settings.refresh_ttl))).await?;
            txn.commit().await?;
        }
        Some(rotated) if now - rotated <= chrono_duration(state.settings.refresh_reuse_grace) => {}
        Some(_) => {
            session::revoke(&state.db, row.session_id).await?;
            session_cache::forget(state, Forget::Session(row.session_id)).await;
            record(
                state,
                Event {
                    kind: "refresh_reuse",
                    user_id: Some(user.id),
                    login: Some(&user.username),
                    ip: client.ip.as_deref(),
                    detail: Some(format!("session {} revoked", row.session_id)),
                },
            )
            .await;
            return Err(AppError::TokenReused);
        }
    }
    let access_token =
        state.keys.issue(TokenSubject { user_id: user.id, session_id: row.session_id }, state.settings.access_ttl)?;
    Ok(Issued { user, access_token, refresh_token: successor, session_id: row.session_id })
}

/// Resolves an access token to its account and live session, from memory when it can
/// (`session_cache`). Deactivated accounts are refused as such; revoked or expired sessions
/// as unauthenticated.
pub async fn authenticate(state: &AppState, access_token: &str) -> Result<AuthUser, AppError> {
    let subject = state.keys.verify(access_token).ok_or(AppError::Unauthorized)?;
    let now = Utc::now();
    if let Some(hit) = state.sessions.get(subject.session_id, now).filter(|e| e.user.id == subject.user_id) {
        return Ok(AuthUser { user: hit.user, session_id: subject.session_id });
    }
    let generation = state.sessions.generation();
    let (session, user) =
        session::find_with_user(&state.db, subject.session_id).await?.ok_or(AppError::Unauthorized)?;
    if session.user_id != subject.user_id {
        return Err(AppError::Unauthorized);
    }
    if !user.is_active {
        return Err(AppError::AccountDisabled);
    }
    if session.revoked_at.is_some() || session.expires_at <= now {
        return Err(AppError::Unauthorized);
    }
    // "Last used" to the minute is enough; it saves a write on most requests.
    let mut last_used_at = session.last_used_at;
    if now - last_used_at >= session_cache::MAX_AGE {
        session::touch(&state.db, session.session_id, None).await?;
        last_used_at = now;
    }
    let entry = session_cache::Entry { user: user.clone(), expires_at: session.expires_at, last_used_at };
    state.sessions.insert(generation, session.session_id, entry);
    Ok(AuthUser { user, session_id: session.session_id })
}

/// The session a refresh cookie belongs to (for logging out with an expired access token).
pub async fn session_of_refresh(state: &AppState, presented: &str) -> Result<Option<i64>, AppError> {
    Ok(session::find_refresh(&state.db, &token_hash(presented)).await?.map(|r| r.session_id))
}

pub async fn logout(state: &AppState, session_id: i64) -> Result<(), AppError> {
    session::revoke(&state.db, session_id).await?;
    session_cache::forget(state, Forget::Session(session_id)).await;
    Ok(())
}

pub async fn logout_all(state: &AppState, auth: &AuthUser) -> Result<(), AppError> {
    session::revoke_all_for_user(&state.db, auth.user.id, None).await?;
    session_cache::forget(state, Forget::User(auth.user.id)).await;
    record(state, Event { kind: "logout_all", user_id: Some(auth.user.id), login: None, ip: None, detail: None }).await;
    Ok(())
}

pub async fn verify_email(state: &AppState, token: &str) -> Result<user::Model, AppError> {
    let hash = token_hash(token);
    if let Some(row) = user_token::consume(&state.db, Purpose::VerifyEmail, &hash).await? {
        let user = user::mark_verified(&state.db, row.user_id, &row.email).await?.ok_or(AppError::InvalidToken)?;
        session_cache::forget(state, Forget::User(user.id)).await;
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
async fn take_mail_allowance(state: &AppState, address: &str) -> Result<bool, AppError> {
    let txn = database::begin_write(&state.db).await?;
    mail_send::lock_address(&txn, address).await?;
    let now = Utc::now();
    let recent = mail_send::recent(&txn, address, now - chrono::Duration::hours(1)).await?;
    let cooling = recent.last.is_some_and(|last| now - last < chrono_duration(state.settings.mail_cooldown));
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

/// Like `resend_verification`, decided before any lookup.
pub fn forgot_password(state: &AppState, email: &str) {
    let Ok(email) = Email::parse(email) else { return };
    let state2 = state.clone();
    state.spawn_background(async move {
        let state = state2;
        let Some(user) = user::find_by_email(&state.db, email.as_str()).await? else { return Ok::<_, AppError>(()) };
        if !user.is_active || !take_mail_allowance(&state, email.as_str()).await? {
            return Ok(());
        }
        let token = random_token();
        let ttl = state.settings.reset_token_ttl;
        user_token::issue(
            &state.db,
            user.id,
            Purpose::ResetPassword,
            &token_hash(&token),
            &user.email,
            Utc::now() + chrono_duration(ttl),
        )
        .await?;
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
    session_cache::forget(state, Forget::User(user.id)).await;
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
    session_cache::forget(state, Forget::User(auth.user.id)).await;
    record(state, Event { kind: "password_change", user_id: Some(auth.user.id), login: None, ip: None, detail: None })
        .await;
    Ok(())
}

pub async fn list_sessions(state: &AppState, auth: &AuthUser) -> Result<Vec<session::Model>, AppError> {
    Ok(session::list_active_for_user(&state.db, auth.user.id).await?)
}

pub async fn revoke_session(state: &AppState, auth: &AuthUser, session_id: i64) -> Result<(), AppError> {
    let owned = session::list_active_for_user(&state.db, auth.user.id).await?.iter().any(|s| s.id == session_id);
    if !owned {
        return Err(AppError::NotFound);
    }
    session::revoke(&state.db, session_id).await?;
    session_cache::forget(state, Forget::Session(session_id)).await;
    Ok(())
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

/// The link after an email change counts against the new address's mail limit.
pub(crate) async fn send_verification_after_email_change(state: &AppState, user: &user::Model) -> Result<(), AppError> {
    if take_mail_allowance(state, &user.email).await? {
        send_verification(state, user).await?;
    }
    Ok(())
}
