//! `/api/v1/workspaces/{wid}/webhooks` (docs/API.md, "Webhooks"; admins).

use axum::{
    Router,
    extract::State,
    http::StatusCode,
    routing::{get, patch, post},
};
use serde_json::json;

use crate::api::{
    error::Answer,
    reply::{Reply, created, ok},
};
use crate::{
    api::extractors::{Admin, IdPath, InWorkspace, Json, Path, Query},
    schemas::{
        envelope::{Items, Page, PageParams, Paginated},
        follow_up::{DeliveryRead, WebhookCreate, WebhookCreated, WebhookRead, WebhookUpdate},
    },
    services::state::AppState,
    services::{
        audit::{self, Target},
        webhooks,
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list_webhooks).post(create_webhook))
        .route("/{id}", patch(update_webhook).delete(delete_webhook))
        .route("/{id}/test", post(test_webhook))
        .route("/{id}/deliveries", get(list_deliveries))
}

fn target(hook: &WebhookRead) -> Target<'_> {
    Target { kind: "webhook", id: Some(hook.id), name: &hook.url }
}

#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/webhooks", tag = "webhooks", params(("wid" = i64, Path)),
    responses((status = 200, body = Items<WebhookRead>)))]
pub async fn list_webhooks(State(state): State<AppState>, ws: InWorkspace<Admin>) -> Answer<Items<WebhookRead>> {
    Ok(ok(Items { items: webhooks::list(&state, ws.id()).await?.into_iter().map(Into::into).collect() }))
}

/// Add a webhook; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/webhooks", tag = "webhooks", params(("wid" = i64, Path)),
    request_body = WebhookCreate, responses((status = 201, body = WebhookCreated), (status = 422)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Json(body): Json<WebhookCreate>,
) -> Answer<WebhookCreated> {
    let (hook, secret) = webhooks::create(&state, ws.id(), &body.url, &body.events).await?;
    let read = WebhookRead::from(hook);
    audit::record(&state.db, ws.id(), &ws.actor(), "webhook.created", target(&read), json!({"events": read.events}))
        .await;
    Ok(created(WebhookCreated { webhook: read, secret }))
}

#[utoipa::path(patch, path = "/api/v1/workspaces/{wid}/webhooks/{id}", tag = "webhooks",
    params(("wid" = i64, Path), ("id" = i64, Path)), request_body = WebhookUpdate,
    responses((status = 200, body = WebhookRead), (status = 404), (status = 422)))]
pub async fn update_webhook(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
    Json(body): Json<WebhookUpdate>,
) -> Answer<WebhookRead> {
    let hook = webhooks::update(&state, ws.id(), id, body.url.as_deref(), body.events.as_deref(), body.active).await?;
    let read = WebhookRead::from(hook);
    let detail = json!({"events": read.events, "active": read.active});
    audit::record(&state.db, ws.id(), &ws.actor(), "webhook.updated", target(&read), detail).await;
    Ok(ok(read))
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{wid}/webhooks/{id}", tag = "webhooks",
    params(("wid" = i64, Path), ("id" = i64, Path)), responses((status = 200), (status = 404)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    let read = WebhookRead::from(webhooks::delete(&state, ws.id(), id).await?);
    audit::record(&state.db, ws.id(), &ws.actor(), "webhook.deleted", target(&read), json!({})).await;
    Ok(ok(()))
}

/// Send a `ping` event to the webhook.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/webhooks/{id}/test", tag = "webhooks",
    params(("wid" = i64, Path), ("id" = i64, Path)), responses((status = 202), (status = 404)))]
pub async fn test_webhook(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    webhooks::ping(&state, ws.id(), id).await?;
    Ok(Reply(StatusCode::ACCEPTED, ()))
}

/// The webhook's deliveries, newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/webhooks/{id}/deliveries", tag = "webhooks",
    params(("wid" = i64, Path), ("id" = i64, Path), PageParams),
    responses((status = 200, body = Paginated<DeliveryRead>), (status = 404)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
    Query(paging): Query<PageParams>,
) -> Answer<Paginated<DeliveryRead>> {
    let page = Page::try_from(paging)?;
    let (items, total) = webhooks::deliveries(&state, ws.id(), id, page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}
