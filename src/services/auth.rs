//! Signing up, logging in (with the lockout of `lockout` and the second factor of
//! `two_factor`), rotating refresh tokens with reuse detection, sessions and logging out.
//! Verification mail is in `verification`, passwords in `passwords`.

use crate::services::state::AppState;
use std::time::Duration;

use chrono::Utc;
use secrecy::SecretString;

use crate::core::{config::as_chrono, error::Checker};
use crate::services::identity::{AuthUser, ClientInfo};
use crate::{
    core::{
        config::SignupMode,
        database,
        error::AppError,
        security::{TokenSubject, random_token, token_hash},
    },
    domain::fields::{Email, Password, Username},
    models::{
        auth_event::Event,
        login_throttle,
        session::{self, NewSession},
        user::{self, NewUser, ROLE_USER},
    },
    services::{
        auth_events::record,
        conflicts::or_conflict,
        invitations,
        lockout::{self, account_login_keys, login_key},
        session_cache::{self, Forget},
        two_factor,
        verification::send_verification,
        workspaces,
    },
};

/// What a login or refresh hands out.
pub struct Issued {
    pub user: user::Model,
    pub access_token: String,
    pub refresh_token: String,
}

#[tracing::instrument(skip_all)]
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
    let mut c = Checker::default();
    let username = c.check("username", Username::parse(username));
    let email = c.check("email", Email::parse(email));
    let password = c.check(
        "password",
        Password::parse(
            password.expose_secret(),
            username.as_ref().map(Username::as_str),
            email.as_ref().map(Email::as_str),
        ),
    );
    c.finish()?;
    let (Some(username), Some(email), Some(password)) = (username, email, password) else {
        unreachable!("every field parsed")
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
    let user = user::insert(&txn, new).await.map_err(or_conflict)?;
    match invitation_token {
        Some(token) => {
            invitations::accept_in(&txn, &user, token).await?;
        }
        None => {
            workspaces::create_owned(&txn, &user, &format!("{}'s workspace", user.username))
                .await
                .map_err(|e| e.context("creating the account's workspace"))?;
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

/// What a correct password leads to: a session, or with two-factor on a token to trade
/// for one together with a code (`login_second_factor`).
pub enum LoginOutcome {
    Session(Box<Issued>),
    SecondFactor { mfa_token: String },
}

/// How long a login may wait for its second factor.
pub const MFA_TOKEN_TTL: Duration = Duration::from_secs(300);

#[tracing::instrument(skip_all)]
pub async fn login(
    state: &AppState,
    login: &str,
    password: &SecretString,
    client: &ClientInfo,
) -> Result<LoginOutcome, AppError> {
    let key = login_key(login);
    let now = Utc::now();
    let attempt = lockout::claim(state, &key, now, client).await?;

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
            lockout::failed(state, &key, attempt, client).await?;
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
    state.forget_sessions(Forget::User(account.id)).await;
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
            expires_at: Utc::now() + as_chrono(state.settings.refresh_ttl),
            user_agent: client.user_agent.as_deref(),
            ip: client.ip.as_deref(),
            refresh_hash: &token_hash(&refresh_token),
        },
    )
    .await?;
    let access_token = state.keys.issue(TokenSubject { user_id: user.id, session_id }, state.settings.access_ttl)?;
    Ok(Issued { user, access_token, refresh_token })
}

/// Rotates a refresh token. A token already rotated is answered with its successor inside
/// the grace window (two tabs refreshing at once); after it, the replay revokes the session.
#[tracing::instrument(skip_all)]
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
            session::touch(&txn, row.session_id, Some(now + as_chrono(state.settings.refresh_ttl))).await?;
            txn.commit().await?;
        }
        Some(rotated) if now - rotated <= as_chrono(state.settings.refresh_reuse_grace) => {}
        Some(_) => {
            session::revoke(&state.db, row.session_id).await?;
            state.forget_sessions(Forget::Session(row.session_id)).await;
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
    Ok(Issued { user, access_token, refresh_token: successor })
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
    // "Last used" to the minute is enough; it saves a write on most requests. It is
    // bookkeeping, written after the answer: a read must not wait for the write lock (a
    // large import's checkpoint can hold it for minutes), let alone fail for it.
    let mut last_used_at = session.last_used_at;
    if now - last_used_at >= session_cache::MAX_AGE {
        let (db, id) = (state.db.clone(), session.session_id);
        state.spawn_background(async move {
            if let Err(err) = session::touch(&db, id, None).await {
                tracing::warn!(%err, session = id, "could not mark a session used");
            }
            Ok::<_, std::convert::Infallible>(())
        });
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
    state.forget_sessions(Forget::Session(session_id)).await;
    Ok(())
}

pub async fn logout_all(state: &AppState, auth: &AuthUser) -> Result<(), AppError> {
    session::revoke_all_for_user(&state.db, auth.user.id, None).await?;
    state.forget_sessions(Forget::User(auth.user.id)).await;
    record(state, Event { kind: "logout_all", user_id: Some(auth.user.id), login: None, ip: None, detail: None }).await;
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
    state.forget_sessions(Forget::Session(session_id)).await;
    Ok(())
}
