//! `/api/v1/workspaces/{wid}/notifications` (docs/API.md, "Alerts and digests"): the caller's
//! choices and the digest preview.

use axum::{
    Router,
    extract::State,
    routing::{get, post},
};

use crate::api::{error::Answer, reply::ok};
use crate::{
    api::extractors::{InWorkspace, Json, Viewer},
    models::notification::Choices,
    schemas::follow_up::{DigestPreview, NotificationSettings},
    services::notifications,
    services::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(get_my_notifications).put(put_my_notifications))
        .route("/digest-preview", post(preview_digest))
}

fn read(c: Choices) -> NotificationSettings {
    NotificationSettings { low_score_email: c.low_score_email, weekly_digest: c.weekly_digest }
}

/// The caller's notification choices in this workspace (defaults: on for owners and admins).
#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/notifications/me", tag = "notifications",
    params(("wid" = i64, Path)), responses((status = 200, body = NotificationSettings)))]
pub async fn get_my_notifications(
    State(state): State<AppState>,
    ws: InWorkspace<Viewer>,
) -> Answer<NotificationSettings> {
    Ok(ok(read(notifications::choices(&state.db, ws.id(), ws.auth.user.id).await?)))
}

#[utoipa::path(put, path = "/api/v1/workspaces/{wid}/notifications/me", tag = "notifications",
    params(("wid" = i64, Path)), request_body = NotificationSettings, responses((status = 200, body = NotificationSettings)))]
pub async fn put_my_notifications(
    State(state): State<AppState>,
    ws: InWorkspace<Viewer>,
    Json(body): Json<NotificationSettings>,
) -> Answer<NotificationSettings> {
    let choices = Choices { low_score_email: body.low_score_email, weekly_digest: body.weekly_digest };
    Ok(ok(read(notifications::set_choices(&state.db, ws.id(), ws.auth.user.id, choices).await?)))
}

/// This week's digest so far, as it would be mailed; nothing is sent.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/notifications/digest-preview", tag = "notifications",
    params(("wid" = i64, Path)), responses((status = 200, body = DigestPreview)))]
pub async fn preview_digest(State(state): State<AppState>, ws: InWorkspace<Viewer>) -> Answer<DigestPreview> {
    Ok(ok(notifications::preview(&state, ws.id()).await?))
}
