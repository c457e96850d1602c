//! What can go wrong in the application, said without HTTP: services and schemas return
//! `AppError`; `api::error` alone decides which status and envelope each one becomes.

use std::collections::BTreeMap;

/// Field name → the rules it breaks.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request cannot be acted on as sent (a malformed parameter, a stalled upload).
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
    /// Refused for a reason with its own code: `signup_closed`, `invitation_email_mismatch`.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    #[error("Please verify your email address first.")]
    EmailNotVerified,
    #[error("This account is disabled.")]
    AccountDisabled,
    #[error("Not found.")]
    NotFound,
    /// The write clashes with what is stored (`email_taken`, `slug_taken`, …).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("The request body is too large.")]
    TooLarge,
    #[error("Some fields are invalid.")]
    Validation(FieldErrors),
    #[error("Too many requests. Try again later.")]
    RateLimited { retry_after: u64 },
    #[error("Too many failed logins. Try again later.")]
    AccountLocked { retry_after: u64 },
    #[error("The service is unavailable.")]
    Unavailable,
    /// The database stayed locked past its timeout: worth retrying shortly.
    #[error("The service is busy. Try again in a moment.")]
    Busy,
    #[error("Something went wrong on our side.")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
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

    /// The machine-readable reason clients branch on; stable across releases.
    pub fn code(&self) -> &'static str {
        use AppError::*;
        match self {
            BadRequest(_) => "bad_request",
            InvalidToken => "invalid_token",
            Unauthorized => "unauthorized",
            InvalidCredentials => "invalid_credentials",
            TokenReused => "token_reused",
            InvalidCode => "invalid_code",
            Forbidden => "forbidden",
            Refused { code, .. } | Conflict { code, .. } => code,
            EmailNotVerified => "email_not_verified",
            AccountDisabled => "account_disabled",
            NotFound => "not_found",
            TooLarge => "payload_too_large",
            Validation(_) => "validation_failed",
            RateLimited { .. } => "rate_limited",
            AccountLocked { .. } => "account_locked",
            Unavailable | Busy => "unavailable",
            Internal(_) => "internal",
        }
    }

    /// How long the client should wait before trying again, where that is known.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after } | AppError::AccountLocked { retry_after } => Some(*retry_after),
            AppError::Busy => Some(BUSY_RETRY_AFTER_SECONDS),
            _ => None,
        }
    }

    /// Says what was being done when an internal error happened, for the log; the errors a
    /// client is told about stay as they are.
    pub fn context(self, doing: &'static str) -> Self {
        match self {
            AppError::Internal(err) => AppError::Internal(err.context(doing)),
            other => other,
        }
    }

    /// An internal error whose cause is a busy database is only `Busy`.
    pub fn or_busy(self) -> Self {
        match self {
            AppError::Internal(err)
                if err
                    .chain()
                    .any(|e| e.downcast_ref::<sea_orm::DbErr>().is_some_and(crate::core::database::is_busy)) =>
            {
                AppError::Busy
            }
            other => other,
        }
    }
}

/// What a busy database asks the client to wait.
const BUSY_RETRY_AFTER_SECONDS: u64 = 2;

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if crate::core::database::is_busy(&err) {
            tracing::warn!(error = %err, "the database is busy");
            AppError::Busy
        } else {
            AppError::Internal(err.into())
        }
    }
}

/// Collects the field errors of one request, so that every broken field is reported at
/// once (a 422 lists them all) rather than the first alone.
#[derive(Default)]
pub struct Checker(FieldErrors);

impl Checker {
    /// The value, or `None` with `field`'s error noted.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.fail(field, m)).ok()
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_string()).or_default().push(message.into());
    }

    /// `Validation` with every error noted, if any.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Validation(self.0)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::Internal(anyhow::anyhow!("SELECT * FROM users failed at /src/x.rs"));
        assert_eq!(err.to_string(), "Something went wrong on our side.");
    }

    #[test]
    fn a_busy_database_behind_context_is_busy() {
        let busy = sea_orm::DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout);
        let wrapped = AppError::Internal(anyhow::Error::new(busy).context("counting"));
        assert!(matches!(wrapped.or_busy(), AppError::Busy));
        assert!(matches!(AppError::Internal(anyhow::anyhow!("other")).or_busy(), AppError::Internal(_)));
    }

    #[test]
    fn context_is_added_to_internal_errors_only() {
        let internal = AppError::Internal(anyhow::anyhow!("disk full")).context("storing the survey");
        let AppError::Internal(err) = internal else { panic!("still internal") };
        assert_eq!(format!("{err:#}"), "storing the survey: disk full");
        assert!(matches!(AppError::NotFound.context("storing the survey"), AppError::NotFound));
    }
}
