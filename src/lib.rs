//! Pulse: a customer-satisfaction dashboard server.
//!
//! `app(state)` builds the router; `Application::build(settings)` connects the database,
//! migrates, seeds the admin and binds the listener (port 0 in tests).

pub mod api;
pub mod core;
pub mod domain;
pub mod middleware;
pub mod migration;
pub mod models;
pub mod schemas;
mod serve;
pub mod services;

use crate::core::error::AppError;
use crate::services::state::AppState;
use std::{net::SocketAddr, time::Duration};

use axum::{
    Router,
    http::{HeaderName, HeaderValue, Method, header},
    response::IntoResponse,
};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::{catch_panic::CatchPanicLayer, cors::CorsLayer};

use crate::{
    core::{config::Settings, database},
    middleware::{request_context::request_context, security_headers},
};

/// The body limit of JSON routes: axum's default for its extractors (2 MiB). The CSV import
/// route sets its own, `MAX_UPLOAD_BYTES`.
pub const JSON_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The whole HTTP surface, with its layers.
pub fn app(state: AppState) -> Router {
    app_with_routes(state, Router::new())
}

/// `app` plus extra routes that get the same layers (tests add a panicking or slow route).
pub fn app_with_routes(state: AppState, extra: Router<AppState>) -> Router {
    let routes = Router::new()
        .merge(extra)
        .merge(api::health::router())
        .route("/metrics", axum::routing::get(middleware::metrics::render))
        .nest("/api/v1/auth", api::auth::router(&state))
        .nest("/api/v1/users", api::users::router())
        .nest("/api/v1/customers", api::customers::router(&state))
        .nest("/api/v1/analytics", api::analytics::router())
        .nest("/api/v1/workspaces/{wid}/customers", api::customers::router(&state))
        .nest("/api/v1/workspaces/{wid}/analytics", api::analytics::router())
        .nest("/api/v1/responses", api::responses::router())
        .nest("/api/v1/workspaces/{wid}/responses", api::responses::router())
        .nest("/api/v1/workspaces/{wid}/surveys", api::surveys::router())
        .nest("/api/v1/workspaces/{wid}/follow-ups", api::follow_ups::router())
        .nest("/api/v1/workspaces/{wid}/notifications", api::notifications::router())
        .nest("/api/v1/workspaces/{wid}/webhooks", api::webhooks::router())
        .nest("/api/v1/workspaces/{wid}/audit", api::audit::router())
        .nest("/api/v1/public", api::public::router(&state))
        .nest("/api/v1/workspaces", api::workspaces::router())
        .nest("/api/v1/invitations", api::workspaces::invitations_router())
        .merge(api::docs::router(&state))
        .fallback(api::web::fallback);

    let header_policy = security_headers::HeaderPolicy { hsts: state.settings.is_production() };
    routes
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal(anyhow::anyhow!("a request handler panicked")).into_response()
        }))
        .layer(axum::middleware::from_fn(request_context))
        .layer(axum::middleware::from_fn_with_state(header_policy, security_headers::security_headers))
        .layer(cors(&state.settings))
        .with_state(state)
}

/// Only `CORS_ORIGIN` may call with credentials; never `*`, never `null`.
fn cors(settings: &Settings) -> CorsLayer {
    let mut layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, HeaderName::from_static("x-csrf-token")])
        .expose_headers([HeaderName::from_static("x-request-id"), header::RETRY_AFTER, header::CONTENT_DISPOSITION])
        .max_age(Duration::from_secs(600))
        // Answers differ by Origin, so caches must key on it.
        .vary([header::ORIGIN, header::ACCESS_CONTROL_REQUEST_METHOD, header::ACCESS_CONTROL_REQUEST_HEADERS]);
    if let Some(origin) = settings.cors_origin.as_deref().and_then(|o| HeaderValue::from_str(o).ok()) {
        layer = layer.allow_origin(origin).allow_credentials(true);
    }
    layer
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects, migrates, seeds the admin and binds `settings.bind_addr`.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_routes(settings, Router::new()).await
    }

    pub async fn build_with_routes(settings: Settings, extra: Router<AppState>) -> anyhow::Result<Self> {
        let db = database::connect(&settings.database_url).await?;
        migration::apply(&db).await?;
        let state = AppState::new(db, settings)?;
        middleware::metrics::handle();
        // Forget idle clients and keys so the limiters' memory stays bounded.
        let ips: Vec<_> =
            [&state.auth_limiter, &state.public_limiter, &state.form_limiter].into_iter().flatten().cloned().collect();
        let keys = state.api_key_limiter.clone();
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                ips.iter().for_each(|limiter| limiter.forget_idle());
                keys.iter().for_each(|limiter| limiter.forget_idle());
            }
        });
        services::users::ensure_admin(&state.db, &state.hasher, &state.settings).await?;
        let listener = TcpListener::bind(state.settings.bind_addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on BIND_ADDR={}: {e}", state.settings.bind_addr))?;
        let router = app_with_routes(state.clone(), extra);
        Ok(Self { listener, router, state })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish, for at most
    /// `SHUTDOWN_GRACE_SECONDS` whatever clients do.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let grace = self.state.settings.shutdown_grace;
        let stop_jobs = CancellationToken::new();
        let worker = tokio::spawn(services::jobs::run(self.state.clone(), stop_jobs.clone()));
        let listener = tokio::spawn(services::session_cache::listen(
            self.state.db.clone(),
            self.state.sessions.clone(),
            stop_jobs.clone(),
        ));
        api::web::warm_up();
        let started_shutdown = serve::serve(self.listener, self.router, shutdown, grace).await;
        stop_jobs.cancel();
        let _ = listener.await;
        // Jobs in flight finish (or their leases run out and another instance retries them).
        if tokio::time::timeout(grace.saturating_sub(started_shutdown.elapsed()), worker).await.is_err() {
            tracing::warn!("gave up waiting for background jobs at shutdown");
        }
        // Emails already promised to a client still go out, within what is left of the grace.
        let left = grace.saturating_sub(started_shutdown.elapsed());
        if tokio::time::timeout(left, self.state.settle()).await.is_err() {
            tracing::warn!("gave up waiting for background work at shutdown");
        }
        Ok(())
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
