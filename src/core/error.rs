//! The one error type of the API, rendered as the contract's error envelope (API.md §1).

use std::collections::BTreeMap;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// Field name → the rules it breaks, as sent in `error.fields` on 422.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("This link or token is invalid or has expired.")]
    InvalidToken,
    #[error("Authentication is required.")]
    Unauthorized,
    #[error("Invalid login or password.")]
    InvalidCredentials,
    #[error("This session was ended because a refresh token was used twice. Please log in again.")]
    TokenReused,
    #[error("That code is not valid. Enter the current code from your authenticator app, or a recovery code.")]
    InvalidCode,
    #[error("You do not have permission to do this.")]
    Forbidden,
    /// 403 with its own code: `signup_closed`, `invitation_email_mismatch`.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("Please verify your email address first.")]
    EmailNotVerified,
    #[error("The request failed the cross-site request forgery check.")]
    CsrfFailed,
    #[error("This account is disabled.")]
    AccountDisabled,
    #[error("Not found.")]
    NotFound,
    #[error("Method not allowed.")]
    MethodNotAllowed,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("The request body is too large.")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("Some fields are invalid.")]
    Validation(FieldErrors),
    #[error("Too many requests. Try again later.")]
    RateLimited { retry_after: u64 },
    #[error("Too many failed logins. Try again later.")]
    AccountLocked { retry_after: u64 },
    #[error("The service is unavailable.")]
    Unavailable,
    #[error("The service is busy. Try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side.")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict { code, message: message.into() }
    }

    pub fn refused(code: &'static str, message: impl Into<String>) -> Self {
        Self::Refused { code, message: message.into() }
    }

    pub fn field(name: &str, message: impl Into<String>) -> Self {
        Self::Validation(BTreeMap::from([(name.to_string(), vec![message.into()])]))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest(message.into())
    }

    pub fn status(&self) -> StatusCode {
        use ApiError::*;
        match self {
            BadRequest(_) | InvalidToken => StatusCode::BAD_REQUEST,
            Unauthorized | InvalidCredentials | TokenReused | InvalidCode => StatusCode::UNAUTHORIZED,
            Forbidden | Refused { .. } | EmailNotVerified | CsrfFailed | AccountDisabled => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Conflict { .. } => StatusCode::CONFLICT,
            PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            RateLimited { .. } | AccountLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
            Unavailable | Busy => StatusCode::SERVICE_UNAVAILABLE,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        use ApiError::*;
        match self {
            BadRequest(_) => "bad_request",
            InvalidToken => "invalid_token",
            Unauthorized => "unauthorized",
            InvalidCredentials => "invalid_credentials",
            TokenReused => "token_reused",
            InvalidCode => "invalid_code",
            Forbidden => "forbidden",
            Refused { code, .. } => code,
            EmailNotVerified => "email_not_verified",
            CsrfFailed => "csrf_failed",
            AccountDisabled => "account_disabled",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            Conflict { code, .. } => code,
            PayloadTooLarge => "payload_too_large",
            UnsupportedMediaType(_) => "unsupported_media_type",
            Validation(_) => "validation_failed",
            RateLimited { .. } => "rate_limited",
            AccountLocked { .. } => "account_locked",
            Unavailable | Busy => "unavailable",
            Internal(_) => "internal",
        }
    }

    /// The envelope's error for a bare status produced outside our handlers
    /// (router fallbacks, body-limit layers).
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType("Unsupported media type.".into()),
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::FORBIDDEN => Self::Forbidden,
            StatusCode::TOO_MANY_REQUESTS => Self::RateLimited { retry_after: 1 },
            StatusCode::SERVICE_UNAVAILABLE => Self::Unavailable,
            s if s.is_client_error() => Self::BadRequest("The request could not be processed.".into()),
            _ => Self::Internal(anyhow::anyhow!("upstream layer answered {status}")),
        }
    }
}

/// The `error` object of the envelope, without the request id, which the request-context
/// middleware adds when it finalizes the response.
#[derive(Clone, Debug, Serialize)]
pub struct ErrorPayload {
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // A busy database reached through `anyhow` context is still only busy.
        let busy = |err: &anyhow::Error| {
            err.chain().any(|e| e.downcast_ref::<sea_orm::DbErr>().is_some_and(crate::core::database::is_busy))
        };
        let this = match self {
            ApiError::Internal(err) if busy(&err) => ApiError::Busy,
            other => other,
        };
        let status = this.status();
        if let ApiError::Internal(err) = &this {
            // The span of the request carries its id, so this line can be matched to the reply.
            tracing::error!(error = format!("{err:#}"), "internal error");
        }
        let retry_after = match &this {
            ApiError::RateLimited { retry_after } | ApiError::AccountLocked { retry_after } => Some(*retry_after),
            ApiError::Busy => Some(BUSY_RETRY_AFTER_SECONDS),
            _ => None,
        };
        let payload = ErrorPayload {
            code: this.code(),
            message: this.to_string(),
            fields: match this {
                ApiError::Validation(fields) => Some(fields),
                _ => None,
            },
        };
        let mut response = (status, Json(serde_json::json!({"ok": false, "error": &payload}))).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
        }
        response.extensions_mut().insert(payload);
        response
    }
}

/// What a busy database's 503 asks the client to wait.
const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        if crate::core::database::is_busy(&err) {
            tracing::warn!(error = %err, "the database is busy");
            ApiError::Busy
        } else {
            ApiError::Internal(err.into())
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_its_contract_status_and_code() {
        let cases = [
            (ApiError::bad_request("x"), 400, "bad_request"),
            (ApiError::InvalidToken, 400, "invalid_token"),
            (ApiError::Unauthorized, 401, "unauthorized"),
            (ApiError::InvalidCredentials, 401, "invalid_credentials"),
            (ApiError::TokenReused, 401, "token_reused"),
            (ApiError::InvalidCode, 401, "invalid_code"),
            (ApiError::Forbidden, 403, "forbidden"),
            (ApiError::refused("signup_closed", "x"), 403, "signup_closed"),
            (ApiError::EmailNotVerified, 403, "email_not_verified"),
            (ApiError::CsrfFailed, 403, "csrf_failed"),
            (ApiError::AccountDisabled, 403, "account_disabled"),
            (ApiError::NotFound, 404, "not_found"),
            (ApiError::conflict("email_taken", "x"), 409, "email_taken"),
            (ApiError::PayloadTooLarge, 413, "payload_too_large"),
            (ApiError::UnsupportedMediaType("x".into()), 415, "unsupported_media_type"),
            (ApiError::field("email", "bad"), 422, "validation_failed"),
            (ApiError::RateLimited { retry_after: 3 }, 429, "rate_limited"),
            (ApiError::AccountLocked { retry_after: 3 }, 429, "account_locked"),
            (ApiError::Unavailable, 503, "unavailable"),
            (ApiError::Busy, 503, "unavailable"),
            (ApiError::Internal(anyhow::anyhow!("secret sql")), 500, "internal"),
        ];
        for (err, status, code) in cases {
            assert_eq!((err.status().as_u16(), err.code()), (status, code));
        }
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = ApiError::Internal(anyhow::anyhow!("SELECT * FROM users failed at /src/x.rs"));
        assert_eq!(err.to_string(), "Something went wrong on our side.");
    }
}
