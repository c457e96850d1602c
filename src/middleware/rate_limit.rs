//! Per-IP rate limits with `governor`: `/api/v1/auth/*` (`AUTH_RATE_LIMIT_PER_MINUTE`) and
//! `/api/v1/public/*` (`PUBLIC_RATE_LIMIT_PER_MINUTE`).

use std::net::IpAddr;

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::clock::{Clock, DefaultClock};

use crate::{
    core::{
        error::ApiError,
        state::{AppState, IpRateLimiter},
    },
    middleware::client_ip::client_ip,
};

pub async fn limit_auth_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limit(state.auth_limiter.as_deref(), &state, req, next).await
}

pub async fn limit_public_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limit(state.public_limiter.as_deref(), &state, req, next).await
}

async fn limit(limiter: Option<&IpRateLimiter>, state: &AppState, req: Request, next: Next) -> Response {
    let Some(limiter) = limiter else { return next.run(req).await };
    let (parts, body) = req.into_parts();
    if let Some(ip) = client_ip(&parts, &state.settings.trusted_proxies)
        && let Err(err) = check(limiter, ip)
    {
        return err.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// One request of `ip` against `limiter`: 429 with the wait when over the limit.
pub fn check(limiter: &IpRateLimiter, ip: IpAddr) -> Result<(), ApiError> {
    limiter.check_key(&ip).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::RateLimited { retry_after: wait.as_secs().max(1) }
    })
}
