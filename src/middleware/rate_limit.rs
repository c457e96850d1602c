//! Per-IP rate limits (`core::limiter`): `/api/v1/auth/*` (`AUTH_RATE_LIMIT_PER_MINUTE`)
//! and `/api/v1/public/*` (`PUBLIC_RATE_LIMIT_PER_MINUTE`).

use crate::core::error::AppError;
use crate::{
    middleware::client_ip::client_ip,
    services::state::{AppState, IpRateLimiter},
};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
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
        && let Err(retry_after) = limiter.check(&ip).await
    {
        return AppError::RateLimited { retry_after }.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}
