//! Prometheus metrics: requests by matched route, method and status, latency histograms,
//! 401 and 5xx answers, the auth counters (login failures, lockouts, refresh reuse) and the
//! background job queue's gauges.

use std::sync::OnceLock;

use axum::{
    extract::State,
    http::{HeaderMap, header},
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use secrecy::ExposeSecret;

use crate::{
    api::error::ApiError,
    core::error::AppError,
    models::job,
    services::{auth_events, session_cache, state::AppState},
};

/// The process-wide recorder (the `metrics` facade has one), installed on first use.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
                )
                .expect("valid buckets")
                .install_recorder()
                .expect("the metrics recorder is installed once");
            // Present at 0 from the first scrape, so that rates and alerts work before the
            // first event (a counter appears only once it is touched).
            for (name, help) in COUNTERS {
                metrics::describe_counter!(name, help);
                metrics::counter!(name).increment(0);
            }
            metrics::describe_histogram!(
                "password_hash_seconds",
                metrics::Unit::Seconds,
                "Time of one Argon2 hash or verification (logins, signups, password changes)."
            );
            // Registered, not recorded: listed with a count of 0 until the first hash.
            let _ = metrics::histogram!("password_hash_seconds");
            for (name, help) in JOB_GAUGES {
                metrics::describe_gauge!(name, help);
                metrics::gauge!(name).set(0.0);
            }
            handle
        })
        .clone()
}

/// The counters that are not labelled by request, with their help text.
const COUNTERS: [(&str, &str); 8] = [
    ("http_responses_unauthorized_total", "Responses with status 401."),
    ("http_responses_server_errors_total", "Responses with a 5xx status."),
    (auth_events::LOGIN_FAILURES, "Failed logins: wrong password, unknown name or wrong second-factor code."),
    (auth_events::LOCKOUTS, "Login names locked after too many failures."),
    (auth_events::REFRESH_REUSE, "Rotated refresh tokens presented again (their sessions revoked)."),
    (session_cache::HITS, "Authenticated requests whose session came from memory."),
    (session_cache::MISSES, "Authenticated requests whose session was read from the database."),
    (session_cache::INVALIDATIONS, "Sessions or accounts dropped from memory (revocations, changes)."),
];

/// The background job queue (survey emails and reminders), across every instance.
const JOB_GAUGES: [(&str, &str); 3] = [
    ("jobs_pending", "Background jobs waiting to run (due now or later)."),
    ("jobs_running", "Background jobs held by a worker right now."),
    ("jobs_failed", "Background jobs given up after every retry."),
];

/// Called by the request-context middleware once a response is ready.
/// `route` must be a matched route template or a fixed placeholder, never the raw path.
pub fn record_request(method: &axum::http::Method, route: &str, status: u16, seconds: f64) {
    let method = method_label(method);
    let labels = [("method", method.to_string()), ("route", route.to_string()), ("status", status.to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method.to_string(), "route" => route.to_string())
        .record(seconds);
    if status == 401 {
        metrics::counter!("http_responses_unauthorized_total").increment(1);
    }
    if status >= 500 {
        metrics::counter!("http_responses_server_errors_total").increment(1);
    }
}

/// Labels come from closed sets, so that invented methods cannot grow `/metrics` without end.
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `GET /metrics`: open in development; in production only with `METRICS_TOKEN` as bearer.
pub async fn render(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if state.settings.is_production() {
        let Some(expected) = &state.settings.metrics_token else { return Err(AppError::NotFound.into()) };
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if given.is_none_or(|g| g.as_bytes() != expected.expose_secret().as_bytes()) {
            return Err(AppError::Unauthorized.into());
        }
    }
    // The queue is shared by every instance: read at scrape time, from the database.
    let (pending, running, failed) = job::counts(&state.db, chrono::Utc::now().timestamp_millis()).await?;
    for (name, value) in [("jobs_pending", pending), ("jobs_running", running), ("jobs_failed", failed)] {
        metrics::gauge!(name).set(value as f64);
    }
    let body = handle().render();
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response())
}
