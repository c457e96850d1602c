//! `/api/v1/workspaces/{wid}/follow-ups` (docs/API.md, "Follow-ups"), and the follow-up figures under
//! `…/analytics/follow-ups` (mounted by the analytics router).

use axum::{
    Router,
    extract::State,
    routing::{get, patch},
};

use crate::api::{error::Answer, reply::ok};
use crate::core::error::AppError;
use crate::{
    api::extractors::{IdPath, Json, Member, Path, Query, Viewer, WorkspaceData},
    models::follow_up::ListFilter,
    schemas::{
        customer::FilterParams,
        envelope::{Page, PageParams, Paginated},
        follow_up::{FollowUpParams, FollowUpRead, FollowUpStats, FollowUpUpdate},
    },
    services::follow_ups::{self, Patch},
    services::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(list_follow_ups)).route("/{id}", patch(update_follow_up))
}

/// Follow-ups, newest first: `status=open|closed`, `assignee=me|{user_id}`.
#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/follow-ups", tag = "follow-ups",
    params(("wid" = i64, Path), FollowUpParams), responses((status = 200, body = Paginated<FollowUpRead>)))]
pub async fn list_follow_ups(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(p): Query<FollowUpParams>,
) -> Answer<Paginated<FollowUpRead>> {
    let page = Page::try_from(PageParams { page: p.page, per_page: p.per_page })?;
    let status = match p.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s @ ("open" | "closed")) => Some(s.to_string()),
        Some(_) => return Err(AppError::bad_request("status must be open or closed.").into()),
    };
    let assignee_id = match p.assignee.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("me") if ws.actor.kind == "user" => Some(ws.actor.id),
        Some(id) => Some(id.parse::<i64>().map_err(|_| AppError::bad_request("assignee must be me or a user id."))?),
    };
    let filter = ListFilter { workspace_id: ws.id(), status, assignee_id };
    let (items, total) = follow_ups::list(&state.db, &filter, page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// Assign, note, close or reopen a follow-up.
#[utoipa::path(patch, path = "/api/v1/workspaces/{wid}/follow-ups/{id}", tag = "follow-ups",
    params(("wid" = i64, Path), ("id" = i64, Path)), request_body = FollowUpUpdate,
    responses((status = 200, body = FollowUpRead), (status = 404), (status = 422)))]
pub async fn update_follow_up(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Path(IdPath { id }): Path<IdPath>,
    Json(body): Json<FollowUpUpdate>,
) -> Answer<FollowUpRead> {
    let patch = Patch { status: body.status, assignee_id: body.assignee_id, note: body.note };
    Ok(ok(follow_ups::update(&state, ws.id(), id, patch).await?.into()))
}

/// Open and closed follow-ups opened in `from`/`to`, the median hours to close and the
/// recovery rate.
#[utoipa::path(get, path = "/api/v1/analytics/follow-ups", tag = "analytics", params(FilterParams),
    responses((status = 200, body = FollowUpStats)))]
pub async fn follow_up_stats(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(f): Query<FilterParams>,
) -> Answer<FollowUpStats> {
    let filter = f.filter(ws.id())?;
    Ok(ok(follow_ups::stats(&state.db, ws.id(), filter.from, filter.to).await?))
}
