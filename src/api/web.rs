//! Serves the built web UI (`web/dist`) with client-side routes falling back to
//! `index.html`; API, health and metrics paths never do.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::core::{error::ApiError, state::AppState};

const API_PREFIXES: [&str; 3] = ["/api", "/health", "/metrics"];

/// Shown when the UI has not been built (`npm run build` in `web/`).
const PLACEHOLDER: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pulse</title></head>\
<body><h1>Pulse</h1><p>The server is running. The web UI has not been built yet: run \
<code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>.</p>\
<p>API documentation: <a href=\"/api/docs/\">/api/docs</a></p></body></html>";

pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    if API_PREFIXES.iter().any(|p| path == *p || path.starts_with(&format!("{p}/"))) {
        return ApiError::NotFound.into_response();
    }
    let dir = &state.settings.web_dir;
    let index = dir.join("index.html");
    if !index.exists() {
        return Html(PLACEHOLDER).into_response();
    }
    let immutable = path.starts_with("/assets/");
    let service = ServeDir::new(dir).fallback(ServeFile::new(index));
    let mut response = match service.oneshot(req).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    // Vite puts content hashes in asset names, so they can be cached for good.
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
