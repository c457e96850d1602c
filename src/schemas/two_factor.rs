//! Two-factor shapes (docs/API.md, "Two-factor"). Passwords and codes are secrets in logs.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

/// What to scan into an authenticator app: the secret, its `otpauth://` URI and a QR code.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetup {
    /// Base32, for typing in by hand.
    pub secret: String,
    pub otpauth_uri: String,
    /// An SVG image of the QR code of `otpauth_uri`.
    pub qr_svg: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// A current 6-digit code, or an unused recovery code.
    pub code: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordAndCode {
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
    pub code: String,
}

/// Shown once: each works once, at login, `disable` and `recovery-codes`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorLogin {
    pub mfa_token: String,
    pub code: String,
}

/// A correct password of an account with two-factor on: no session yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaChallenge {
    pub mfa_required: bool,
    pub mfa_token: String,
    /// Seconds the `mfa_token` stays valid.
    pub expires_in: u64,
}
