//! Hardening headers on every response (docs/API.md, "Security headers").

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Only our own origin: the UI is bundled (no CDN); inline styles are allowed because
/// the chart library and Swagger UI set `style` attributes.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

#[derive(Clone, Copy)]
pub struct HeaderPolicy {
    pub hsts: bool,
}

pub async fn security_headers(State(policy): State<HeaderPolicy>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    // Auth answers carry tokens and account data: never cache them anywhere.
    let no_store = path.starts_with("/api/v1/auth/") || path == "/api/v1/auth" || path.starts_with("/api/v1/users/me");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // Verification and reset links carry tokens in the URL: never leak them in a Referer.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    if policy.hsts {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    if no_store {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    }
    response
}
