//! `/api/v1/analytics`, also under `/workspaces/{wid}`: docs/API.md, "Analytics".

use axum::{Router, extract::State, routing::get};

use crate::api::{error::Answer, reply::ok};
use crate::{
    api::extractors::{Query, Viewer, WorkspaceData},
    schemas::{
        analytics::{Distribution, KeywordParams, Keywords, Summary, TrendParams, Trends},
        customer::FilterParams,
    },
    services::analytics,
    services::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/summary", get(summary))
        .route("/trends", get(trends))
        .route("/distribution", get(distribution))
        .route("/keywords", get(keywords))
        .route("/follow-ups", get(crate::api::follow_ups::follow_up_stats))
}

/// Count, average, median, CSAT, distribution and sentiment, with the previous period.
#[utoipa::path(get, path = "/api/v1/analytics/summary", tag = "analytics", params(FilterParams),
    responses((status = 200, body = Summary)))]
pub async fn summary(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(f): Query<FilterParams>,
) -> Answer<Summary> {
    Ok(ok(analytics::summary(&state.db, &f.filter(ws.id())?).await?))
}

/// Count, average and CSAT per day, week (Monday) or month, every period present.
#[utoipa::path(get, path = "/api/v1/analytics/trends", tag = "analytics", params(TrendParams, FilterParams),
    responses((status = 200, body = Trends)))]
pub async fn trends(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(t): Query<TrendParams>,
    Query(f): Query<FilterParams>,
) -> Answer<Trends> {
    Ok(ok(analytics::trends(&state.db, &f.filter(ws.id())?, t.granularity.unwrap_or_default()).await?))
}

/// The five scores with their counts and shares.
#[utoipa::path(get, path = "/api/v1/analytics/distribution", tag = "analytics", params(FilterParams),
    responses((status = 200, body = Distribution)))]
pub async fn distribution(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(f): Query<FilterParams>,
) -> Answer<Distribution> {
    Ok(ok(analytics::distribution(&state.db, &f.filter(ws.id())?).await?))
}

/// Frequent terms of low (1–2) and high (4–5) reviews.
#[utoipa::path(get, path = "/api/v1/analytics/keywords", tag = "analytics", params(KeywordParams, FilterParams),
    responses((status = 200, body = Keywords)))]
pub async fn keywords(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(k): Query<KeywordParams>,
    Query(f): Query<FilterParams>,
) -> Answer<Keywords> {
    Ok(ok(analytics::keywords(&state.db, &f.filter(ws.id())?, k.limit).await?))
}
