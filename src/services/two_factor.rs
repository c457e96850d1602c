//! Two-factor sign-in: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of
//! drift either way) with the secret sealed at rest, a time step accepted once, and ten
//! single-use recovery codes stored as hashes. Wrong codes count toward the login lockout.

use crate::services::state::AppState;
use chrono::Utc;
use rand::Rng;
use secrecy::SecretString;
use totp_rs::{Builder, Totp};

use crate::services::lockout;
use crate::{
    core::{database, error::AppError, security::token_hash},
    models::{login_throttle, recovery_code, session, user},
    schemas::two_factor::TwoFactorSetup,
    services::session_cache::Forget,
};

pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Pulse";

fn totp(secret: Vec<u8>, account: &str) -> Result<Totp, AppError> {
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("building a TOTP: {e:?}")))
}

fn open(state: &AppState, sealed: &str, account: &str) -> Result<Totp, AppError> {
    totp(state.sealer.open(sealed)?, account)
}

/// A `Validation` error on `password` unless it is the account's.
async fn check_password(state: &AppState, account: &user::Model, password: &SecretString) -> Result<(), AppError> {
    if state.hasher.verify(password, Some(account.password_hash.clone())).await? {
        Ok(())
    } else {
        Err(AppError::field("password", "is not your current password"))
    }
}

/// A secret to scan; nothing changes until `enable` gets a code made from it.
pub async fn setup(
    state: &AppState,
    account: &user::Model,
    password: &SecretString,
) -> Result<TwoFactorSetup, AppError> {
    check_password(state, account, password).await?;
    if account.totp_enabled {
        return Err(AppError::conflict("conflict", "Two-factor sign-in is already on."));
    }
    let secret: [u8; 20] = rand::rng().random();
    let totp = totp(secret.to_vec(), &account.email)?;
    user::set_pending_totp(&state.db, account.id, Some(state.sealer.seal(&secret))).await?;
    state.forget_sessions(Forget::User(account.id)).await;
    let uri = totp.to_url().map_err(|e| AppError::Internal(anyhow::anyhow!("otpauth URI: {e:?}")))?;
    let qr_svg = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(TwoFactorSetup { secret: totp.secret().to_base32(), otpauth_uri: uri, qr_svg })
}

/// Claims one code attempt against the account's lockout (the same counter as wrong
/// passwords): `AccountLocked` while locked, and the attempt past the threshold locks.
async fn claim_attempt(state: &AppState, account: &user::Model) -> Result<(), AppError> {
    let key = lockout::login_key(&account.username);
    let now = Utc::now();
    let lock_length = crate::core::config::as_chrono(state.settings.lockout_duration);
    let slot = login_throttle::claim_attempt(&state.db, &key, now, now - lock_length).await?;
    if let Some(until) = slot.locked_until.filter(|u| *u > now) {
        return Err(AppError::AccountLocked { retry_after: lockout::retry_after(until, now) });
    }
    if slot.attempts > state.settings.lockout_threshold as i32 {
        // Locks every name the account logs in with.
        let until = now + lock_length;
        for name in &lockout::account_login_keys(account) {
            login_throttle::claim_attempt(&state.db, name, now, now - lock_length).await?;
            login_throttle::lock(&state.db, name, until).await?;
        }
        return Err(AppError::AccountLocked { retry_after: lockout::retry_after(until, now) });
    }
    Ok(())
}

/// The code attempts of the account are forgotten once one succeeds.
async fn clear_attempts(state: &AppState, account: &user::Model) -> Result<(), AppError> {
    let [username, email] = lockout::account_login_keys(account);
    login_throttle::clear(&state.db, &[&username, &email], Utc::now()).await?;
    Ok(())
}

/// Ten codes like `K7QX-M2PD`, and their hashes.
fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let raw: String = (0..8).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
            format!("{}-{}", &raw[..4], &raw[4..])
        })
        .collect();
    let hashes = codes.iter().map(|c| recovery_hash(c)).collect();
    (codes, hashes)
}

/// Recovery codes compare without case, spaces or dashes.
fn recovery_hash(code: &str) -> String {
    let normalized: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    token_hash(&normalized)
}

/// Turns two-factor on with the code of the secret from `setup`; answers the recovery codes.
pub async fn enable(state: &AppState, account: &user::Model, code: &str) -> Result<Vec<String>, AppError> {
    if account.totp_enabled {
        return Err(AppError::conflict("conflict", "Two-factor sign-in is already on."));
    }
    let sealed = account
        .totp_pending_secret
        .clone()
        .ok_or_else(|| AppError::conflict("conflict", "Set two-factor sign-in up first."))?;
    claim_attempt(state, account).await?;
    let step = open(state, &sealed, &account.email)?
        .check(code.trim(), Utc::now().timestamp().max(0) as u64)
        .ok_or(AppError::InvalidCode)?;
    let (codes, hashes) = new_recovery_codes();
    let txn = database::begin_write(&state.db).await?;
    user::set_totp(&txn, account.id, Some(sealed), Some(step as i64)).await?;
    recovery_code::replace(&txn, account.id, &hashes).await?;
    txn.commit().await?;
    state.forget_sessions(Forget::User(account.id)).await;
    clear_attempts(state, account).await?;
    Ok(codes)
}

/// Checks a second-factor code of an account with two-factor on: a TOTP code whose time
/// step is later than the last one accepted, or an unused recovery code (used up here).
pub async fn check_code(state: &AppState, account: &user::Model, code: &str) -> Result<(), AppError> {
    let sealed = account.totp_secret.as_deref().filter(|_| account.totp_enabled).ok_or(AppError::InvalidCode)?;
    claim_attempt(state, account).await?;
    let code = code.trim();
    let accepted = if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        match open(state, sealed, &account.email)?.check(code, Utc::now().timestamp().max(0) as u64) {
            Some(step) => user::claim_totp_step(&state.db, account.id, step as i64).await?,
            None => false,
        }
    } else {
        recovery_code::consume(&state.db, account.id, &recovery_hash(code)).await?
    };
    if !accepted {
        return Err(AppError::InvalidCode);
    }
    clear_attempts(state, account).await
}

/// Turns two-factor off (password, then a code); the account's other sessions end.
pub async fn disable(
    state: &AppState,
    account: &user::Model,
    session_id: i64,
    password: &SecretString,
    code: &str,
) -> Result<(), AppError> {
    check_password(state, account, password).await?;
    check_code(state, account, code).await?;
    let txn = database::begin_write(&state.db).await?;
    user::set_totp(&txn, account.id, None, None).await?;
    recovery_code::delete_all(&txn, account.id).await?;
    session::revoke_all_for_user(&txn, account.id, Some(session_id)).await?;
    txn.commit().await?;
    state.forget_sessions(Forget::User(account.id)).await;
    Ok(())
}

/// New recovery codes (password, then a code); the old ones die.
pub async fn regenerate(
    state: &AppState,
    account: &user::Model,
    password: &SecretString,
    code: &str,
) -> Result<Vec<String>, AppError> {
    check_password(state, account, password).await?;
    check_code(state, account, code).await?;
    let (codes, hashes) = new_recovery_codes();
    recovery_code::replace(&state.db, account.id, &hashes).await?;
    Ok(codes)
}
