//! Per-IP rate limit on `/api/v1/auth/*` (`AUTH_RATE_LIMIT_PER_MINUTE`), with `governor`.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::clock::{Clock, DefaultClock};

use crate::{
    core::{error::ApiError, state::AppState},
    middleware::client_ip::client_ip,
};

pub async fn limit_auth_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(limiter) = &state.auth_limiter else { return next.run(req).await };
    let (parts, body) = req.into_parts();
    if let Some(ip) = client_ip(&parts, &state.settings.trusted_proxies)
        && let Err(not_until) = limiter.check_key(&ip)
    {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        return ApiError::RateLimited { retry_after: wait.as_secs().max(1) }.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}
