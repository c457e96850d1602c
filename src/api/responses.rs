//! A customer's responses: listed and added under `/customers/{id}/responses`
//! (mounted by the customers router), corrected and deleted under `/responses/{id}`. Both
//! also under `/workspaces/{wid}` (see `lib.rs`).

use axum::{Router, extract::State, routing::patch};

use crate::api::{
    error::Answer,
    reply::{created, ok},
};
use crate::{
    api::extractors::{IdPath, Json, Member, Path, Query, Viewer, WorkspaceData},
    schemas::{
        envelope::{Page, PageParams, Paginated},
        response::{ResponseCreate, ResponseRead, ResponseUpdate},
    },
    services::responses,
    services::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/{id}", patch(correct_response).delete(delete_response))
}

/// A customer's responses, newest `feedback_at` first.
#[utoipa::path(get, path = "/api/v1/customers/{id}/responses", tag = "customers",
    params(("id" = i64, Path), PageParams), responses((status = 200, body = Paginated<ResponseRead>), (status = 404)))]
pub async fn list_responses(
    State(state): State<AppState>,
    ws: WorkspaceData<Viewer>,
    Path(IdPath { id }): Path<IdPath>,
    Query(paging): Query<PageParams>,
) -> Answer<Paginated<ResponseRead>> {
    let page = Page::try_from(paging)?;
    let (items, total) = responses::list(&state.db, ws.id(), id, page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// Adds a response to the customer; it becomes the customer's latest when it is the newest.
#[utoipa::path(post, path = "/api/v1/customers/{id}/responses", tag = "customers", params(("id" = i64, Path)),
    request_body = ResponseCreate, responses((status = 201, body = ResponseRead), (status = 404), (status = 422)))]
pub async fn add_response(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Path(IdPath { id }): Path<IdPath>,
    Json(body): Json<ResponseCreate>,
) -> Answer<ResponseRead> {
    Ok(created(responses::add(&state.db, ws.id(), id, &body.input(), ws.source()).await?.into()))
}

/// Corrects a response.
#[utoipa::path(patch, path = "/api/v1/responses/{id}", tag = "customers", params(("id" = i64, Path)),
    request_body = ResponseUpdate, responses((status = 200, body = ResponseRead), (status = 404), (status = 422)))]
pub async fn correct_response(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Path(IdPath { id }): Path<IdPath>,
    Json(body): Json<ResponseUpdate>,
) -> Answer<ResponseRead> {
    Ok(ok(responses::correct(&state.db, ws.id(), id, &body.input()).await?.into()))
}

/// Deletes a response; a customer's only one answers 409 (delete the customer).
#[utoipa::path(delete, path = "/api/v1/responses/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200), (status = 404), (status = 409)))]
pub async fn delete_response(
    State(state): State<AppState>,
    ws: WorkspaceData<Member>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    responses::delete(&state.db, ws.id(), id).await?;
    Ok(ok(()))
}
