//! Liveness and readiness probes (docs/API.md, "Health, metrics and docs").

use crate::core::error::AppError;
use crate::services::state::AppState;
use axum::{Router, extract::State, routing::get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::{
    error::ApiError,
    reply::{Reply, ok},
};
use crate::core::database::{self, Db};

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
    match database::ping(&db).await {
        Ok(_) => Ok(ok(HealthStatus { status: "ok" })),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            Err(AppError::Unavailable.into())
        }
    }
}
