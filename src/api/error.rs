//! The HTTP face of errors: each `AppError`, plus the failures only HTTP has, becomes a
//! status and the error envelope `{"ok": false, "error": {code, message, fields?}}`
//! (`docs/API.md`, "Envelope").

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;

use crate::{
    api::reply::Reply,
    core::error::{AppError, FieldErrors},
};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("The request failed the cross-site request forgery check.")]
    CsrfFailed,
    #[error("Method not allowed.")]
    MethodNotAllowed,
    #[error("{0}")]
    UnsupportedMediaType(String),
}

/// What every JSON handler returns.
pub type Answer<T> = Result<Reply<T>, ApiError>;

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::from(err).into()
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err).into()
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        use AppError::*;
        let app = match self {
            ApiError::App(app) => app,
            ApiError::CsrfFailed => return StatusCode::FORBIDDEN,
            ApiError::MethodNotAllowed => return StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType(_) => return StatusCode::UNSUPPORTED_MEDIA_TYPE,
        };
        match app {
            BadRequest(_) | InvalidToken => StatusCode::BAD_REQUEST,
            Unauthorized | InvalidCredentials | TokenReused | InvalidCode => StatusCode::UNAUTHORIZED,
            Forbidden | Refused { .. } | EmailNotVerified | AccountDisabled => StatusCode::FORBIDDEN,
            NotFound => StatusCode::NOT_FOUND,
            Conflict { .. } => StatusCode::CONFLICT,
            TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            RateLimited { .. } | AccountLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
            Unavailable | Busy => StatusCode::SERVICE_UNAVAILABLE,
            Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::App(app) => app.code(),
            ApiError::CsrfFailed => "csrf_failed",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
        }
    }

    /// The envelope's error for a bare status produced outside our handlers
    /// (router fallbacks, body-limit layers).
    pub fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => AppError::NotFound.into(),
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge.into(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType("Unsupported media type.".into()),
            StatusCode::UNAUTHORIZED => AppError::Unauthorized.into(),
            StatusCode::FORBIDDEN => AppError::Forbidden.into(),
            StatusCode::TOO_MANY_REQUESTS => AppError::RateLimited { retry_after: 1 }.into(),
            StatusCode::SERVICE_UNAVAILABLE => AppError::Unavailable.into(),
            s if s.is_client_error() => AppError::bad_request("The request could not be processed.").into(),
            _ => AppError::Internal(anyhow::anyhow!("upstream layer answered {status}")).into(),
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
        let this = match self {
            ApiError::App(app) => ApiError::App(app.or_busy()),
            other => other,
        };
        if let ApiError::App(AppError::Internal(err)) = &this {
            // The span of the request carries its id, so this line can be matched to the reply.
            tracing::error!(error = format!("{err:#}"), "internal error");
        }
        let status = this.status();
        let retry_after = match &this {
            ApiError::App(app) => app.retry_after(),
            _ => None,
        };
        let payload = ErrorPayload {
            code: this.code(),
            message: this.to_string(),
            fields: match this {
                ApiError::App(AppError::Validation(fields)) => Some(fields),
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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        ApiError::App(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_its_status_and_code() {
        let cases: [(ApiError, u16, &str); 22] = [
            (AppError::bad_request("x").into(), 400, "bad_request"),
            (AppError::InvalidToken.into(), 400, "invalid_token"),
            (AppError::Unauthorized.into(), 401, "unauthorized"),
            (AppError::InvalidCredentials.into(), 401, "invalid_credentials"),
            (AppError::TokenReused.into(), 401, "token_reused"),
            (AppError::InvalidCode.into(), 401, "invalid_code"),
            (AppError::Forbidden.into(), 403, "forbidden"),
            (AppError::refused("signup_closed", "x").into(), 403, "signup_closed"),
            (AppError::EmailNotVerified.into(), 403, "email_not_verified"),
            (ApiError::CsrfFailed, 403, "csrf_failed"),
            (AppError::AccountDisabled.into(), 403, "account_disabled"),
            (AppError::NotFound.into(), 404, "not_found"),
            (ApiError::MethodNotAllowed, 405, "method_not_allowed"),
            (AppError::conflict("email_taken", "x").into(), 409, "email_taken"),
            (AppError::TooLarge.into(), 413, "payload_too_large"),
            (ApiError::UnsupportedMediaType("x".into()), 415, "unsupported_media_type"),
            (AppError::field("email", "bad").into(), 422, "validation_failed"),
            (AppError::RateLimited { retry_after: 3 }.into(), 429, "rate_limited"),
            (AppError::AccountLocked { retry_after: 3 }.into(), 429, "account_locked"),
            (AppError::Unavailable.into(), 503, "unavailable"),
            (AppError::Busy.into(), 503, "unavailable"),
            (AppError::Internal(anyhow::anyhow!("secret sql")).into(), 500, "internal"),
        ];
        for (err, status, code) in cases {
            assert_eq!((err.status().as_u16(), err.code()), (status, code));
        }
    }

    #[test]
    fn a_busy_answer_asks_the_client_to_retry() {
        let response = AppError::Busy.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "2");
    }
}
