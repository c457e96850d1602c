//! The three auth cookies exactly as docs/API.md, "Cookies and bearer tokens" lists them.

use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use cookie::time::Duration;

use crate::{core::config::Settings, middleware::csrf::CSRF_COOKIE};

pub const ACCESS_COOKIE: &str = "access_token";
pub const REFRESH_COOKIE: &str = "refresh_token";
/// The refresh token travels only to the auth routes.
pub const REFRESH_PATH: &str = "/api/v1/auth";

fn cookie(
    name: &'static str,
    value: String,
    path: &'static str,
    http_only: bool,
    same_site: SameSite,
    max_age: Duration,
    secure: bool,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .path(path)
        .http_only(http_only)
        .same_site(same_site)
        .max_age(max_age)
        .secure(secure)
        .build()
}

/// Sets the access, refresh and CSRF cookies. A login always gets a fresh CSRF token, so
/// one planted in the browser before login (token fixation) is worthless; a refresh keeps
/// the current one, so requests already in flight in other tabs still carry a match.
pub fn set_session(jar: CookieJar, settings: &Settings, access: &str, refresh: &str, csrf: CsrfToken) -> CookieJar {
    let secure = settings.cookie_secure;
    let access_age = Duration::seconds(settings.access_ttl.as_secs() as i64);
    let refresh_age = Duration::seconds(settings.refresh_ttl.as_secs() as i64);
    let kept = match csrf {
        CsrfToken::Fresh => None,
        CsrfToken::Keep => jar.get(CSRF_COOKIE).map(|c| c.value().to_string()).filter(|v| v.len() >= 32),
    };
    let csrf = kept.unwrap_or_else(crate::core::security::random_token);
    jar.add(cookie(ACCESS_COOKIE, access.to_string(), "/", true, SameSite::Lax, access_age, secure))
        .add(cookie(REFRESH_COOKIE, refresh.to_string(), REFRESH_PATH, true, SameSite::Strict, refresh_age, secure))
        .add(cookie(CSRF_COOKIE, csrf, "/", false, SameSite::Lax, refresh_age, secure))
}

/// Whether `set_session` issues a new CSRF token (login) or keeps the browser's (refresh).
pub enum CsrfToken {
    Fresh,
    Keep,
}

/// Expires all three (Max-Age=0) with the same attributes they were set with.
pub fn clear_session(jar: CookieJar, settings: &Settings) -> CookieJar {
    let secure = settings.cookie_secure;
    let gone = Duration::ZERO;
    jar.add(cookie(ACCESS_COOKIE, String::new(), "/", true, SameSite::Lax, gone, secure))
        .add(cookie(REFRESH_COOKIE, String::new(), REFRESH_PATH, true, SameSite::Strict, gone, secure))
        .add(cookie(CSRF_COOKIE, String::new(), "/", false, SameSite::Lax, gone, secure))
}
