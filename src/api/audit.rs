//! `/api/v1/workspaces/{wid}/audit` (docs/API.md, "Audit log"; admins): read-only.

use axum::{Router, extract::State, routing::get};

use crate::api::{
    error::ApiError,
    reply::{Reply, ok},
};
use crate::core::error::AppError;
use crate::{
    api::extractors::{Admin, InWorkspace, Query},
    models::audit::Filter,
    schemas::{
        customer::{Bound, parse_instant},
        envelope::{Page, PageParams, Paginated},
        follow_up::{AuditParams, AuditRead},
    },
    services::audit,
    services::state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(list_audit))
}

/// The workspace's audit log, newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/audit", tag = "audit", params(("wid" = i64, Path), AuditParams),
    responses((status = 200, body = Paginated<AuditRead>), (status = 403)))]
pub async fn list_audit(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Query(p): Query<AuditParams>,
) -> Result<Reply<Paginated<AuditRead>>, ApiError> {
    let page = Page::try_from(PageParams { page: p.page, per_page: p.per_page })?;
    let instant = |raw: &Option<String>, bound| match raw.as_deref().filter(|s| !s.trim().is_empty()) {
        None => Ok(None),
        Some(s) => parse_instant(s, bound)
            .map(|t| Some(t.saturating_mul(1_000)))
            .ok_or_else(|| AppError::bad_request("from and to must be YYYY-MM-DD or RFC 3339 times.")),
    };
    let filter = Filter {
        workspace_id: ws.id(),
        action: p.action.filter(|a| !a.is_empty()),
        actor_id: p.actor_id,
        from: instant(&p.from, Bound::Start)?,
        to: instant(&p.to, Bound::End)?.map(|t| t + 999),
    };
    let (items, total) = audit::list(&state.db, &filter, page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}
