//! Cross-cutting layers: request context (id, logs, error envelope), security headers, CSRF.

pub mod request_context;
pub mod security_headers;
