//! The auth trail: every sign-up, login, lockout and password event goes to the audit
//! table, the log and, for those an operator watches, the metrics.

use crate::{
    models::auth_event::{self, Event},
    services::state::AppState,
};

/// The counters of the events an operator watches (described in `middleware::metrics`).
pub const LOGIN_FAILURES: &str = "auth_login_failures_total";
pub const LOCKOUTS: &str = "auth_lockouts_total";
pub const REFRESH_REUSE: &str = "auth_refresh_reuse_total";

/// Writes an auth event to the audit table, the log and the metrics.
pub async fn record(state: &AppState, event: Event<'_>) {
    let counter = match event.kind {
        "login_failure" => Some(LOGIN_FAILURES),
        "lockout" => Some(LOCKOUTS),
        "refresh_reuse" => Some(REFRESH_REUSE),
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
