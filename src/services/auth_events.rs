//! The auth trail: every sign-up, login, lockout and password event goes to the audit
//! table, the log and, for those an operator watches, the metrics.

use crate::{
    models::auth_event::{self, Event},
    services::state::AppState,
};

/// Writes an auth event to the audit table, the log and the metrics.
pub async fn record(state: &AppState, event: Event<'_>) {
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
