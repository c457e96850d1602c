//! CSRF defences (docs/API.md, "CSRF"): the double-submit header for cookie-authenticated unsafe
//! requests, and the origin check that also guards login and signup.

use axum::http::{HeaderMap, Method, header};
use axum_extra::extract::CookieJar;

use crate::api::error::ApiError;
use crate::core::config::Settings;

pub const CSRF_COOKIE: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn is_unsafe(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

/// Refuses a request whose `Origin` is neither the server's own (its `Host`, or
/// `PUBLIC_URL`) nor `CORS_ORIGIN`, and a `Sec-Fetch-Site: cross-site` request that does not
/// come from `CORS_ORIGIN`.
pub fn check_origin(headers: &HeaderMap, settings: &Settings) -> Result<(), ApiError> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let from_cors_origin = origin.is_some() && origin == settings.cors_origin.as_deref();
    if let Some(origin) = origin {
        let same_host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|host| origin_host(origin) == Some(host));
        let public_origin = url::Url::parse(&settings.public_url).ok().map(|u| u.origin().ascii_serialization());
        if !(from_cors_origin || same_host || public_origin.as_deref() == Some(origin)) {
            return Err(ApiError::CsrfFailed);
        }
    }
    let cross_site = headers.get("sec-fetch-site").is_some_and(|v| v.as_bytes() == b"cross-site");
    if cross_site && !from_cors_origin {
        return Err(ApiError::CsrfFailed);
    }
    Ok(())
}

/// `host[:port]` of a serialized origin such as `https://example.com:8443`.
fn origin_host(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, rest)| rest).filter(|h| !h.is_empty() && !h.contains('/'))
}

/// The `X-CSRF-Token` header must equal the `csrf_token` cookie, and the origin must pass.
pub fn check_double_submit(headers: &HeaderMap, settings: &Settings) -> Result<(), ApiError> {
    check_origin(headers, settings)?;
    let jar = CookieJar::from_headers(headers);
    let cookie = jar.get(CSRF_COOKIE).map(|c| c.value().to_string());
    let header = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    match (cookie, header) {
        (Some(cookie), Some(header))
            if !cookie.is_empty() && constant_time_eq(cookie.as_bytes(), header.as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(ApiError::CsrfFailed),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings() -> Settings {
        Settings::from_vars(HashMap::from([
            ("PUBLIC_URL".to_string(), "https://pulse.example".to_string()),
            ("CORS_ORIGIN".to_string(), "http://localhost:5173".to_string()),
        ]))
        .unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn origins() {
        let s = settings();
        let ok = [
            headers(&[]),
            headers(&[("origin", "https://pulse.example")]),
            headers(&[("origin", "http://localhost:5173"), ("sec-fetch-site", "cross-site")]),
            headers(&[("origin", "http://127.0.0.1:8000"), ("host", "127.0.0.1:8000")]),
            headers(&[("sec-fetch-site", "same-origin")]),
        ];
        for h in ok {
            assert!(check_origin(&h, &s).is_ok(), "{h:?}");
        }
        let refused = [
            headers(&[("origin", "https://evil.example")]),
            headers(&[("origin", "null")]),
            headers(&[("origin", "https://evil.example"), ("host", "pulse.example")]),
            headers(&[("sec-fetch-site", "cross-site")]),
        ];
        for h in refused {
            assert!(check_origin(&h, &s).is_err(), "{h:?}");
        }
    }

    #[test]
    fn double_submit() {
        let s = settings();
        assert!(check_double_submit(&headers(&[("cookie", "csrf_token=abc"), ("x-csrf-token", "abc")]), &s).is_ok());
        for h in [
            headers(&[("cookie", "csrf_token=abc")]),
            headers(&[("cookie", "csrf_token=abc"), ("x-csrf-token", "abd")]),
            headers(&[("x-csrf-token", "abc")]),
            headers(&[("cookie", "csrf_token="), ("x-csrf-token", "")]),
        ] {
            assert!(check_double_submit(&h, &s).is_err(), "{h:?}");
        }
    }
}
