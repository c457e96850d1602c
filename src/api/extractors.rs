//! Extractors: input whose rejections answer in the envelope (STYLE.md habit 3), and who
//! the caller is.

use axum::{
    extract::{
        FromRequest, FromRequestParts,
        rejection::{JsonRejection, PathRejection, QueryRejection},
    },
    http::{header, request::Parts},
};
use axum_extra::extract::CookieJar;

use crate::{
    api::cookies::ACCESS_COOKIE,
    core::{error::ApiError, state::AppState},
    middleware::{client_ip::client_ip, csrf},
    models::user::ROLE_ADMIN,
    services::auth::{self, AuthUser, ClientInfo},
};

/// `axum::Json`, but malformed JSON is 400 `bad_request`, a wrong content type 415,
/// an oversized body 413 and well-formed JSON of the wrong shape 422.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => ApiError::field("body", data_error_message(&err.body_text())),
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType("Send the body as application/json.".into())
            }
            other if other.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            _ => ApiError::bad_request("The request body is not valid JSON."),
        }
    }
}

/// axum prefixes serde's message with its own words; keep serde's part, which names the field.
fn data_error_message(text: &str) -> String {
    text.rsplit_once(": ").map(|(_, m)| m).unwrap_or(text).to_string()
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::bad_request(format!("Invalid query string: {}", data_error_message(&rejection.body_text())))
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::NotFound
    }
}

/// Who may call a route is stated in its signature (STYLE.md habit 5).
///
/// `CurrentUser`: any authenticated account, by `Authorization: Bearer` or the
/// `access_token` cookie; cookie-authenticated unsafe requests must pass the CSRF check.
pub struct CurrentUser(pub AuthUser);

/// An account whose email is verified (when `REQUIRE_VERIFIED_EMAIL`), else 403 `email_not_verified`.
pub struct VerifiedUser(pub AuthUser);

/// An admin, else 403 `forbidden`.
pub struct AdminUser(pub AuthUser);

/// The access token of a request and whether it came from the cookie.
pub fn access_token(parts: &Parts) -> Option<(String, bool)> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).unwrap_or("");
        return Some((token.trim().to_string(), false));
    }
    CookieJar::from_headers(&parts.headers).get(ACCESS_COOKIE).map(|c| (c.value().to_string(), true))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(Self(user.clone()));
        }
        let (token, from_cookie) = access_token(parts).ok_or(ApiError::Unauthorized)?;
        if from_cookie && csrf::is_unsafe(&parts.method) {
            csrf::check_double_submit(&parts.headers, &state.settings)?;
        }
        let user = auth::authenticate(state, &token).await?;
        parts.extensions.insert(user.clone());
        Ok(Self(user))
    }
}

impl FromRequestParts<AppState> for VerifiedUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if state.settings.require_verified_email && !user.user.is_verified {
            return Err(ApiError::EmailNotVerified);
        }
        Ok(Self(user))
    }
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.user.role != ROLE_ADMIN {
            return Err(ApiError::Forbidden);
        }
        Ok(Self(user))
    }
}

/// The caller's IP and user agent.
pub struct Client(pub ClientInfo);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ip = client_ip(parts, &state.settings.trusted_proxies).map(|ip| ip.to_string());
        let user_agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(Self(ClientInfo { ip, user_agent }))
    }
}
