//! Liveness and readiness probes (API.md §7).

use axum::{Router, extract::State, routing::get};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    core::{database::Db, error::ApiError, state::AppState},
    schemas::envelope::{Reply, ok},
};

#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    /// Always `ok` when the answer is 200.
    pub status: &'static str,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/health/live", get(live)).route("/health/ready", get(ready))
}

/// 200 while the process runs.
#[utoipa::path(get, path = "/health/live", tag = "health",
    responses((status = 200, description = "The process is running", body = HealthStatus)))]
pub async fn live() -> Reply<HealthStatus> {
    ok(HealthStatus { status: "ok" })
}

/// 200 when the database answers a query, else 503 `unavailable`.
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses((status = 200, description = "The database answers", body = HealthStatus),
              (status = 503, description = "The database is unreachable")))]
pub async fn ready(State(db): State<Db>) -> Result<Reply<HealthStatus>, ApiError> {
    match db.execute_unprepared("SELECT 1").await {
        Ok(_) => Ok(ok(HealthStatus { status: "ok" })),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            Err(ApiError::Unavailable)
        }
    }
}
