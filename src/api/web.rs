//! Serves the web UI, with client-side routes falling back to `index.html`; API, health
//! and metrics paths never do. The UI comes from `WEB_DIR` when it is set, else from the
//! copy a release binary carries (see `build.rs`: compressed, with `ETag`s, gzip and brotli
//! variants), else from `./web/dist` (a debug build in the project folder).

use std::{path::Path, sync::OnceLock};

use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, header},
    response::{Html, IntoResponse, Response},
};
use memory_serve::{Asset, CacheControl, MemoryServe};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::core::error::AppError;
use crate::services::state::AppState;

const API_PREFIXES: [&str; 3] = ["/api", "/health", "/metrics"];

/// Shown when there is no UI to serve (`npm run build` in `web/`).
const PLACEHOLDER: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pulse</title></head>\
<body><h1>Pulse</h1><p>The server is running. The web UI has not been built yet: run \
<code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code>.</p>\
<p>API documentation: <a href=\"/api/docs/\">/api/docs</a></p></body></html>";

/// The UI built into the binary, as a router, if there is one. Building the router
/// decompresses the assets and makes their gzip variants (tens of milliseconds, once), so
/// `warm_up` does it off the request path at start.
fn embedded() -> Option<&'static Router> {
    static UI: OnceLock<Option<Router>> = OnceLock::new();
    UI.get_or_init(|| {
        let assets: &[(&str, &[Asset])] = include!(concat!(env!("OUT_DIR"), "/memory_serve_assets.rs"));
        let assets =
            assets.first().map(|(_, assets)| *assets).filter(|a| a.iter().any(|a| a.route == "/index.html"))?;
        Some(
            MemoryServe::new(assets)
                .index_file(Some("/index.html"))
                .fallback(Some("/index.html"))
                .fallback_status(axum::http::StatusCode::OK)
                .enable_gzip(true)
                .enable_brotli(true)
                .html_cache_control(CacheControl::NoCache)
                .into_router(),
        )
    })
    .as_ref()
}

/// Prepares the embedded UI in the background, so the first page load does not wait.
pub fn warm_up() {
    tokio::task::spawn_blocking(embedded);
}

pub async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path();
    if API_PREFIXES.iter().any(|p| path == *p || path.starts_with(&format!("{p}/"))) {
        return AppError::NotFound.into_response();
    }
    let immutable = path.starts_with("/assets/");
    let mut response = match (&state.settings.web_dir, embedded()) {
        (Some(dir), _) => from_folder(dir, req).await,
        (None, Some(ui)) => match ui.clone().oneshot(req).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        (None, None) => from_folder(Path::new("web/dist"), req).await,
    };
    // Vite puts content hashes in asset names, so they can be cached for good.
    let cache = if immutable { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn from_folder(dir: &Path, req: Request) -> Response {
    let index = dir.join("index.html");
    if !index.exists() {
        return Html(PLACEHOLDER).into_response();
    }
    match ServeDir::new(dir).fallback(ServeFile::new(index)).oneshot(req).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}
