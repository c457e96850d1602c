//! Cross-cutting layers: request context (id, logs, error envelope), security headers,
//! CSRF checks, client IP, auth rate limits, metrics.

pub mod client_ip;
pub mod csrf;
pub mod metrics;
pub mod rate_limit;
pub mod request_context;
pub mod security_headers;
