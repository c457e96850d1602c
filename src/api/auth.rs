//! `/api/v1/auth`: the routes of docs/API.md, "Authentication" and "Two-factor".

use axum::{
    Router,
    extract::State,
    routing::{delete, get, post},
};
use axum_extra::extract::CookieJar;

use crate::api::{
    error::{Answer, ApiError},
    reply::{Reply, accepted, created, ok},
};
use crate::core::error::AppError;
use crate::services::{passwords, verification};
use crate::{
    api::{
        cookies::{self, CsrfToken, REFRESH_COOKIE},
        extractors::{Client, CurrentUser, Json, Path, access_token},
    },
    middleware::{csrf, rate_limit::limit_auth_requests},
    schemas::{
        auth::{
            ChangePasswordRequest, EmailRequest, LoginAnswer, LoginRequest, LoginResponse, ResetPasswordRequest,
            SessionRead, SignupRequest, TokenRequest, UserEnvelope,
        },
        envelope::Items,
        two_factor::{
            CodeRequest, MfaChallenge, PasswordAndCode, PasswordRequest, RecoveryCodes, SecondFactorLogin,
            TwoFactorSetup,
        },
    },
    services::state::AppState,
    services::{
        auth::{self, Issued, LoginOutcome},
        two_factor,
    },
};

pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/signup", post(signup))
        .route("/login", post(login))
        .route("/login/2fa", post(login_second_factor))
        .route("/2fa/setup", post(two_factor_setup))
        .route("/2fa/enable", post(two_factor_enable))
        .route("/2fa/disable", post(two_factor_disable))
        .route("/2fa/recovery-codes", post(two_factor_recovery_codes))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/logout-all", post(logout_all))
        .route("/verify-email", post(verify_email))
        .route("/resend-verification", post(resend_verification))
        .route("/forgot-password", post(forgot_password))
        .route("/reset-password", post(reset_password))
        .route("/change-password", post(change_password))
        .route("/sessions", get(list_sessions))
        .route("/sessions/{id}", delete(revoke_session))
        .layer(axum::middleware::from_fn_with_state(state.clone(), limit_auth_requests))
}

/// Create an account; a verification email follows.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    responses((status = 201, body = UserEnvelope), (status = 409, description = "`email_taken` or `username_taken`"),
              (status = 422, description = "`validation_failed` with `fields`")))]
pub async fn signup(
    State(state): State<AppState>,
    Client(client): Client,
    headers: axum::http::HeaderMap,
    Json(body): Json<SignupRequest>,
) -> Answer<UserEnvelope> {
    csrf::check_origin(&headers, &state.settings)?;
    let invitation = body.invitation_token.as_deref().filter(|t| !t.is_empty());
    let user = auth::signup(&state, &body.username, &body.email, &body.password, invitation, &client).await?;
    Ok(created(UserEnvelope { user: user.into() }))
}

fn session_answer(
    state: &AppState,
    jar: CookieJar,
    issued: Issued,
    csrf: CsrfToken,
) -> (CookieJar, Reply<LoginResponse>) {
    let jar = cookies::set_session(jar, &state.settings, &issued.access_token, &issued.refresh_token, csrf);
    let warnings = if issued.user.is_verified { vec![] } else { vec!["email_not_verified"] };
    let body = LoginResponse {
        user: issued.user.into(),
        access_token: issued.access_token,
        token_type: "bearer",
        expires_in: state.settings.access_ttl.as_secs(),
        warnings,
    };
    (jar, ok(body))
}

/// Log in with username or email; sets the three cookies. With two-factor on, a correct
/// password answers `{mfa_required, mfa_token, expires_in}` instead, with no cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginAnswer), (status = 401, description = "`invalid_credentials`"),
              (status = 403, description = "`account_disabled`"), (status = 429, description = "`account_locked` or `rate_limited`")))]
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    headers: axum::http::HeaderMap,
    Json(body): Json<LoginRequest>,
) -> Result<(CookieJar, Reply<LoginAnswer>), ApiError> {
    csrf::check_origin(&headers, &state.settings)?;
    match auth::login(&state, &body.login, &body.password, &client).await? {
        LoginOutcome::Session(issued) => {
            let (jar, Reply(status, body)) = session_answer(&state, jar, *issued, CsrfToken::Fresh);
            Ok((jar, Reply(status, LoginAnswer::Session(body))))
        }
        LoginOutcome::SecondFactor { mfa_token } => Ok((
            jar,
            ok(LoginAnswer::SecondFactor(MfaChallenge {
                mfa_required: true,
                mfa_token,
                expires_in: auth::MFA_TOKEN_TTL.as_secs(),
            })),
        )),
    }
}

/// The second step of a login with two-factor on: a current code or a recovery code.
#[utoipa::path(post, path = "/api/v1/auth/login/2fa", tag = "auth", request_body = SecondFactorLogin,
    responses((status = 200, body = LoginResponse), (status = 401, description = "`invalid_code` or `unauthorized` (token)"),
              (status = 429, description = "`account_locked`")))]
pub async fn login_second_factor(
    State(state): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    headers: axum::http::HeaderMap,
    Json(body): Json<SecondFactorLogin>,
) -> Result<(CookieJar, Reply<LoginResponse>), ApiError> {
    csrf::check_origin(&headers, &state.settings)?;
    let issued = auth::login_second_factor(&state, &body.mfa_token, &body.code, &client).await?;
    Ok(session_answer(&state, jar, issued, CsrfToken::Fresh))
}

/// Start setting two-factor up: a secret and its QR code; nothing changes until enabled.
#[utoipa::path(post, path = "/api/v1/auth/2fa/setup", tag = "auth", request_body = PasswordRequest,
    responses((status = 200, body = TwoFactorSetup), (status = 409), (status = 422, description = "`fields.password`")))]
pub async fn two_factor_setup(
    State(state): State<AppState>,
    CurrentUser(auth): CurrentUser,
    Json(body): Json<PasswordRequest>,
) -> Answer<TwoFactorSetup> {
    Ok(ok(two_factor::setup(&state, &auth.user, &body.password).await?))
}

/// Turn two-factor on with a code of the new secret; the recovery codes are shown only here.
#[utoipa::path(post, path = "/api/v1/auth/2fa/enable", tag = "auth", request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 401, description = "`invalid_code`"), (status = 409)))]
pub async fn two_factor_enable(
    State(state): State<AppState>,
    CurrentUser(auth): CurrentUser,
    Json(body): Json<CodeRequest>,
) -> Answer<RecoveryCodes> {
    Ok(ok(RecoveryCodes { recovery_codes: two_factor::enable(&state, &auth.user, &body.code).await? }))
}

/// Turn two-factor off (password and a code); the account's other sessions end.
#[utoipa::path(post, path = "/api/v1/auth/2fa/disable", tag = "auth", request_body = PasswordAndCode,
    responses((status = 200), (status = 401, description = "`invalid_code`"), (status = 422, description = "`fields.password`")))]
pub async fn two_factor_disable(
    State(state): State<AppState>,
    CurrentUser(auth): CurrentUser,
    Json(body): Json<PasswordAndCode>,
) -> Answer<()> {
    two_factor::disable(&state, &auth.user, auth.session_id, &body.password, &body.code).await?;
    Ok(ok(()))
}

/// New recovery codes (password and a code); the old ones die.
#[utoipa::path(post, path = "/api/v1/auth/2fa/recovery-codes", tag = "auth", request_body = PasswordAndCode,
    responses((status = 200, body = RecoveryCodes), (status = 401, description = "`invalid_code`"), (status = 422)))]
pub async fn two_factor_recovery_codes(
    State(state): State<AppState>,
    CurrentUser(auth): CurrentUser,
    Json(body): Json<PasswordAndCode>,
) -> Answer<RecoveryCodes> {
    Ok(ok(RecoveryCodes {
        recovery_codes: two_factor::regenerate(&state, &auth.user, &body.password, &body.code).await?,
    }))
}

/// Rotate the refresh cookie and get a new access token.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    responses((status = 200, body = LoginResponse), (status = 401, description = "`unauthorized` or `token_reused`")))]
pub async fn refresh(
    State(state): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    headers: axum::http::HeaderMap,
) -> Result<(CookieJar, Reply<LoginResponse>), ApiError> {
    csrf::check_double_submit(&headers, &state.settings)?;
    let presented = jar.get(REFRESH_COOKIE).map(|c| c.value().to_string()).ok_or(AppError::Unauthorized)?;
    let issued = auth::refresh(&state, &presented, &client).await?;
    Ok(session_answer(&state, jar, issued, CsrfToken::Keep))
}

/// End this session and clear the cookies.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 200), (status = 401)))]
pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    mut parts: axum::http::request::Parts,
) -> Result<(CookieJar, Reply<()>), ApiError> {
    let session_id = match access_token(&parts) {
        Some(_) => {
            match <CurrentUser as axum::extract::FromRequestParts<AppState>>::from_request_parts(&mut parts, &state)
                .await
            {
                Ok(CurrentUser(user)) => Some(user.session_id),
                Err(ApiError::CsrfFailed) => return Err(ApiError::CsrfFailed),
                Err(_) => None,
            }
        }
        None => None,
    };
    let session_id = match session_id {
        Some(id) => id,
        None => {
            // An expired access token should not stop a logout: the refresh cookie names the session.
            csrf::check_double_submit(&parts.headers, &state.settings)?;
            let refresh = jar.get(REFRESH_COOKIE).map(|c| c.value().to_string()).ok_or(AppError::Unauthorized)?;
            auth::session_of_refresh(&state, &refresh).await?.ok_or(AppError::Unauthorized)?
        }
    };
    auth::logout(&state, session_id).await?;
    Ok((cookies::clear_session(jar, &state.settings), ok(())))
}

/// End every session of this account.
#[utoipa::path(post, path = "/api/v1/auth/logout-all", tag = "auth", responses((status = 200), (status = 401)))]
pub async fn logout_all(
    State(state): State<AppState>,
    jar: CookieJar,
    CurrentUser(user): CurrentUser,
) -> Result<(CookieJar, Reply<()>), ApiError> {
    auth::logout_all(&state, &user).await?;
    Ok((cookies::clear_session(jar, &state.settings), ok(())))
}

/// Confirm an email address with the token from the emailed link.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = UserEnvelope), (status = 400, description = "`invalid_token`")))]
pub async fn verify_email(State(state): State<AppState>, Json(body): Json<TokenRequest>) -> Answer<UserEnvelope> {
    let user = verification::verify_email(&state, &body.token).await?;
    Ok(ok(UserEnvelope { user: user.into() }))
}

/// Send a new verification link (202 whether or not the address has an account).
#[utoipa::path(post, path = "/api/v1/auth/resend-verification", tag = "auth", request_body = EmailRequest,
    responses((status = 202)))]
pub async fn resend_verification(State(state): State<AppState>, Json(body): Json<EmailRequest>) -> Reply<()> {
    verification::resend_verification(&state, &body.email);
    accepted()
}

/// Send a password-reset link (202 whether or not the address has an account).
#[utoipa::path(post, path = "/api/v1/auth/forgot-password", tag = "auth", request_body = EmailRequest,
    responses((status = 202)))]
pub async fn forgot_password(State(state): State<AppState>, Json(body): Json<EmailRequest>) -> Reply<()> {
    passwords::forgot_password(&state, &body.email);
    accepted()
}

/// Set a new password with the token from the emailed link; ends every session.
#[utoipa::path(post, path = "/api/v1/auth/reset-password", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 200), (status = 400, description = "`invalid_token`"), (status = 422)))]
pub async fn reset_password(State(state): State<AppState>, Json(body): Json<ResetPasswordRequest>) -> Answer<()> {
    passwords::reset_password(&state, &body.token, &body.new_password).await?;
    Ok(ok(()))
}

/// Change the password; other sessions end.
#[utoipa::path(post, path = "/api/v1/auth/change-password", tag = "auth", request_body = ChangePasswordRequest,
    responses((status = 200), (status = 422, description = "wrong `current_password` or policy")))]
pub async fn change_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(body): Json<ChangePasswordRequest>,
) -> Answer<()> {
    passwords::change_password(&state, &user, &body.current_password, &body.new_password).await?;
    Ok(ok(()))
}

/// This account's active sessions.
#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", responses((status = 200, body = Items<SessionRead>)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Answer<Items<SessionRead>> {
    let sessions = auth::list_sessions(&state, &user).await?;
    let items = sessions
        .into_iter()
        .map(|s| SessionRead {
            current: s.id == user.session_id,
            id: s.id,
            created_at: s.created_at,
            last_used_at: s.last_used_at,
            user_agent: s.user_agent,
            ip: s.ip,
        })
        .collect();
    Ok(ok(Items { items }))
}

/// End one of this account's sessions.
#[utoipa::path(delete, path = "/api/v1/auth/sessions/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 200), (status = 404)))]
pub async fn revoke_session(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> Answer<()> {
    auth::revoke_session(&state, &user, id).await?;
    Ok(ok(()))
}
