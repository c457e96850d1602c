//! API keys: per workspace, `read` or `write` scope, shown once, stored as a
//! hash with the first 12 characters kept visible, optional expiry, revoked at once.

use crate::services::state::AppState;
use chrono::{DateTime, Utc};

use crate::{
    core::{
        error::AppError,
        security::{random_token, token_hash},
    },
    domain::slug::parse_name,
    models::{
        api_key::{self, NewKey},
        user,
    },
    schemas::api_key::ApiKey,
    services::workspaces::Access,
};

pub const PREFIX_CHARS: usize = 12;

/// `write` includes `read`.
fn scopes_of(raw: &[String]) -> Result<&'static str, AppError> {
    if raw.is_empty() || raw.iter().any(|s| s != "read" && s != "write") {
        return Err(AppError::field("scopes", "must be [\"read\"] or [\"read\", \"write\"] (or [\"write\"])"));
    }
    Ok(if raw.iter().any(|s| s == "write") { "read,write" } else { "read" })
}

pub async fn create(
    state: &AppState,
    access: &Access,
    by: &user::Model,
    name: &str,
    scopes: &[String],
    expires_at: Option<DateTime<Utc>>,
) -> Result<(ApiKey, String), AppError> {
    let name = parse_name(name).map_err(|m| AppError::field("name", m))?;
    let scopes = scopes_of(scopes)?;
    if expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(AppError::field("expires_at", "must be in the future"));
    }
    let key = format!("pk_{}", random_token());
    let row = api_key::insert(
        &state.db,
        NewKey {
            workspace_id: access.workspace.id,
            name: &name,
            prefix: &key[..PREFIX_CHARS],
            key_hash: &token_hash(&key),
            scopes,
            created_by: by.id,
            expires_at,
        },
    )
    .await?;
    Ok((row.into(), key))
}

pub async fn list(state: &AppState, workspace_id: i64) -> Result<Vec<ApiKey>, AppError> {
    Ok(api_key::list(&state.db, workspace_id).await?.into_iter().map(Into::into).collect())
}

pub async fn revoke(state: &AppState, workspace_id: i64, id: i64) -> Result<(), AppError> {
    if api_key::revoke(&state.db, workspace_id, id).await? { Ok(()) } else { Err(AppError::NotFound) }
}

/// The key behind `Authorization: Bearer pk_…`: unknown, revoked or expired keys are
/// `Unauthorized`; past `API_KEY_RATE_LIMIT_PER_MINUTE` requests a minute, `RateLimited`.
pub async fn authenticate(state: &AppState, key: &str) -> Result<api_key::Row, AppError> {
    let row = api_key::by_hash(&state.db, &token_hash(key)).await?.ok_or(AppError::Unauthorized)?;
    if row.revoked_at.is_some() || row.expires_at.is_some_and(|at| at <= Utc::now()) {
        return Err(AppError::Unauthorized);
    }
    if let Some(limiter) = &state.api_key_limiter
        && let Err(retry_after) = limiter.check(&row.id).await
    {
        return Err(AppError::RateLimited { retry_after });
    }
    // `last_used_at` to the minute: one write a minute per key, not one per request.
    if row.last_used_at.is_none_or(|at| Utc::now() - at > chrono::Duration::seconds(60)) {
        api_key::touch(&state.db, row.id).await?;
    }
    Ok(row)
}
