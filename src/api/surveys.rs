//! `/api/v1/workspaces/{wid}/surveys` (docs/API.md, "Surveys and public pages"): ask customers for
//! feedback by email.

use axum::{Router, extract::State, http::StatusCode, routing::get};

use serde_json::json;

use crate::api::{
    error::Answer,
    reply::{Reply, ok},
};
use crate::core::error::AppError;
use crate::{
    api::extractors::{IdPath, Json, Member, Path, Query, Viewer, WorkspaceData},
    schemas::{
        envelope::{Page, PageParams, Paginated},
        survey::{SurveyCreate, SurveyQueued, SurveyRead},
    },
    services::state::AppState,
    services::{
        audit::{self, Target},
        surveys::{self, Audience},
    },
};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(list_surveys).post(create_survey)).route("/{id}", get(get_survey))
}

/// Queue a survey email to the chosen customers (by id or by the list filters); those
/// asked within the cooldown and the unsubscribed are skipped.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/surveys", tag = "surveys", params(("wid" = i64, Path)),
    request_body = SurveyCreate, responses((status = 202, body = SurveyQueued), (status = 403), (status = 422)))]
pub async fn create_survey(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Json(body): Json<SurveyCreate>,
) -> Answer<SurveyQueued> {
    let audience = match (body.customer_ids, body.filter) {
        (Some(ids), None) => Audience::Customers(ids),
        (None, Some(filter)) => Audience::Matching(filter.params().filter(ws.id())?),
        _ => {
            return Err(AppError::Validation(
                [("customer_ids".to_string(), vec!["give either customer_ids or filter".to_string()])].into(),
            )
            .into());
        }
    };
    let created = surveys::create(
        &state,
        ws.id(),
        (ws.actor.kind == "user").then_some(ws.actor.id),
        audience,
        body.message.as_deref().unwrap_or(""),
    )
    .await?;
    let detail = json!({"queued": created.counts.queued, "skipped_recent": created.counts.skipped_recent,
        "skipped_unsubscribed": created.counts.skipped_unsubscribed});
    let target = Target { kind: "survey", id: Some(created.survey_id), name: "" };
    audit::record(&state.db, ws.id(), &ws.actor, "survey.sent", target, detail).await;
    Ok(Reply(
        StatusCode::ACCEPTED,
        SurveyQueued {
            survey_id: created.survey_id,
            queued: created.counts.queued,
            skipped_recent: created.counts.skipped_recent,
            skipped_unsubscribed: created.counts.skipped_unsubscribed,
        },
    ))
}

/// The workspace's surveys, newest first, with their progress.
#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/surveys", tag = "surveys", params(("wid" = i64, Path), PageParams),
    responses((status = 200, body = Paginated<SurveyRead>)))]
pub async fn list_surveys(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Query(paging): Query<PageParams>,
) -> Answer<Paginated<SurveyRead>> {
    let page = Page::try_from(paging)?;
    let (items, total) = surveys::list(&state, ws.id(), page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/surveys/{id}", tag = "surveys",
    params(("wid" = i64, Path), ("id" = i64, Path)), responses((status = 200, body = SurveyRead), (status = 404)))]
pub async fn get_survey(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<SurveyRead> {
    Ok(ok(surveys::get(&state, ws.id(), id).await?.into()))
}
