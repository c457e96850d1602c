//! `/api/v1/workspaces` and `/api/v1/invitations` (docs/API.md, "Workspaces and roles",
//! "Invitations"). The customer and analytics routers are also nested under `/workspaces/{wid}`
//! (see `lib.rs`).

use axum::{
    Router,
    extract::State,
    routing::{get, post},
};
use serde::Deserialize;
use serde_json::json;

use crate::api::{
    error::Answer,
    reply::{accepted, created, ok},
};
use crate::{
    api::extractors::{Admin, Client, CurrentUser, IdPath, InWorkspace, Json, Owner, Path, VerifiedUser, Viewer},
    models::user,
    schemas::{
        api_key::{ApiKeyCreate, ApiKeyCreated, ApiKeyList},
        auth::TokenRequest,
        workspace::{
            Invitation, InvitationCreate, InvitationList, InvitationPreview, Member, MemberList, MemberUpdate,
            Workspace, WorkspaceCreate, WorkspaceDelete, WorkspaceList, WorkspaceUpdate,
        },
    },
    services::state::AppState,
    services::{
        api_keys,
        audit::{self, Actor, Target},
        invitations,
        session_cache::Forget,
        workspaces,
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list_workspaces).post(create_workspace))
        .route("/{wid}", get(get_workspace).patch(update_workspace).delete(delete_workspace))
        .route("/{wid}/members", get(list_members))
        .route("/{wid}/members/{user_id}", axum::routing::patch(update_member).delete(remove_member))
        .route("/{wid}/invitations", get(list_invitations).post(create_invitation))
        .route("/{wid}/invitations/{id}", axum::routing::delete(revoke_invitation))
        .route("/{wid}/invitations/{id}/resend", post(resend_invitation))
        .route("/{wid}/api-keys", get(list_api_keys).post(create_api_key))
        .route("/{wid}/api-keys/{id}", axum::routing::delete(revoke_api_key))
}

pub fn invitations_router() -> Router<AppState> {
    Router::new().route("/accept", post(accept_invitation)).route("/{token}", get(preview_invitation))
}

#[derive(Debug, Deserialize)]
pub struct MemberPath {
    pub user_id: i64,
}

#[derive(Debug, Deserialize)]
pub struct TokenPath {
    pub token: String,
}

/// The caller's workspaces, with their role in each.
#[utoipa::path(get, path = "/api/v1/workspaces", tag = "workspaces", responses((status = 200, body = WorkspaceList), (status = 401)))]
pub async fn list_workspaces(State(state): State<AppState>, CurrentUser(auth): CurrentUser) -> Answer<WorkspaceList> {
    let items = workspaces::list(&state.db, auth.user.id).await?;
    Ok(ok(WorkspaceList { items: items.into_iter().map(Into::into).collect() }))
}

/// Create a workspace; the caller is its owner.
#[utoipa::path(post, path = "/api/v1/workspaces", tag = "workspaces", request_body = WorkspaceCreate,
    responses((status = 201, body = Workspace), (status = 422)))]
pub async fn create_workspace(
    State(state): State<AppState>,
    VerifiedUser(auth): VerifiedUser,
    Json(body): Json<WorkspaceCreate>,
) -> Answer<Workspace> {
    let workspace = workspaces::create(&state.db, &auth.user, &body.name).await?;
    // It may have become the account's default.
    state.forget_sessions(Forget::User(auth.user.id)).await;
    Ok(created(workspace.into()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{wid}", tag = "workspaces", params(("wid" = i64, Path)),
    responses((status = 200, body = Workspace), (status = 404)))]
pub async fn get_workspace(ws: InWorkspace<Viewer>) -> Answer<Workspace> {
    Ok(ok(ws.access.into_view().into()))
}

/// Settings (admin); name and slug (owner).
#[utoipa::path(patch, path = "/api/v1/workspaces/{wid}", tag = "workspaces", params(("wid" = i64, Path)),
    request_body = WorkspaceUpdate,
    responses((status = 200, body = Workspace), (status = 403), (status = 404), (status = 409, description = "`slug_taken`"), (status = 422)))]
pub async fn update_workspace(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Json(body): Json<WorkspaceUpdate>,
) -> Answer<Workspace> {
    let detail = json!({"name": body.name, "slug": body.slug, "settings": body.settings});
    let updated = workspaces::update(&state.db, &ws.access, body).await?;
    // Its members' cached view of it (settings, two-factor requirement) is stale.
    state.forget_sessions(Forget::All).await;
    let target = Target { kind: "workspace", id: Some(updated.id), name: &updated.name };
    audit::record(&state.db, ws.id(), &ws.actor(), "workspace.updated", target, detail).await;
    Ok(ok(updated.into()))
}

/// Delete the workspace and all its data; `confirm` must be its name.
#[utoipa::path(delete, path = "/api/v1/workspaces/{wid}", tag = "workspaces", params(("wid" = i64, Path)),
    request_body = WorkspaceDelete, responses((status = 200), (status = 403), (status = 404), (status = 422)))]
pub async fn delete_workspace(
    State(state): State<AppState>,
    ws: InWorkspace<Owner>,
    Json(body): Json<WorkspaceDelete>,
) -> Answer<()> {
    workspaces::delete(&state.db, &ws.access, &body.confirm).await?;
    // Every member whose default it was has another now.
    state.forget_sessions(Forget::All).await;
    Ok(ok(()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/members", tag = "workspaces", params(("wid" = i64, Path)),
    responses((status = 200, body = MemberList), (status = 404)))]
pub async fn list_members(State(state): State<AppState>, ws: InWorkspace<Viewer>) -> Answer<MemberList> {
    let items = workspaces::members(&state.db, ws.id()).await?;
    Ok(ok(MemberList { items: items.into_iter().map(Into::into).collect() }))
}

/// Change a member's role; only an owner grants or takes `owner`; never the last owner.
#[utoipa::path(patch, path = "/api/v1/workspaces/{wid}/members/{user_id}", tag = "workspaces",
    params(("wid" = i64, Path), ("user_id" = i64, Path)), request_body = MemberUpdate,
    responses((status = 200, body = Member), (status = 403), (status = 404), (status = 409, description = "the last owner"), (status = 422)))]
pub async fn update_member(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(MemberPath { user_id }): Path<MemberPath>,
    Json(body): Json<MemberUpdate>,
) -> Answer<Member> {
    let member: Member = workspaces::change_role(&state.db, &ws.access, user_id, &body.role).await?.into();
    state.forget_sessions(Forget::User(user_id)).await;
    let target = Target { kind: "member", id: Some(member.user_id), name: &member.username };
    audit::record(&state.db, ws.id(), &ws.actor(), "member.role_changed", target, json!({"role": member.role})).await;
    Ok(ok(member))
}

/// Remove a member (admin; owner to remove an owner), or leave (yourself).
#[utoipa::path(delete, path = "/api/v1/workspaces/{wid}/members/{user_id}", tag = "workspaces",
    params(("wid" = i64, Path), ("user_id" = i64, Path)),
    responses((status = 200), (status = 403), (status = 404), (status = 409, description = "the last owner")))]
pub async fn remove_member(
    State(state): State<AppState>,
    ws: InWorkspace<Viewer>,
    Path(MemberPath { user_id }): Path<MemberPath>,
) -> Answer<()> {
    let name = user::find_by_id(&state.db, user_id).await?.map(|u| u.username).unwrap_or_default();
    workspaces::remove_member(&state.db, &ws.access, ws.auth.user.id, user_id).await?;
    state.forget_sessions(Forget::User(user_id)).await;
    let target = Target { kind: "member", id: Some(user_id), name: &name };
    let detail = json!({"left": user_id == ws.auth.user.id});
    audit::record(&state.db, ws.id(), &ws.actor(), "member.removed", target, detail).await;
    Ok(ok(()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/invitations", tag = "workspaces", params(("wid" = i64, Path)),
    responses((status = 200, body = InvitationList), (status = 403), (status = 404)))]
pub async fn list_invitations(State(state): State<AppState>, ws: InWorkspace<Admin>) -> Answer<InvitationList> {
    Ok(ok(InvitationList { items: invitations::list(&state.db, ws.id()).await? }))
}

/// Invite by email; the link goes to `{PUBLIC_URL}/invite?token=…`.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/invitations", tag = "workspaces", params(("wid" = i64, Path)),
    request_body = InvitationCreate,
    responses((status = 201, body = Invitation), (status = 403), (status = 404), (status = 409, description = "`already_member`"),
              (status = 422), (status = 429)))]
pub async fn create_invitation(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Json(body): Json<InvitationCreate>,
) -> Answer<Invitation> {
    let invitation = invitations::create(&state, &ws.access, &ws.auth.user, &body.email, &body.role).await?;
    let target = Target { kind: "invitation", id: Some(invitation.id), name: &invitation.email };
    audit::record(&state.db, ws.id(), &ws.actor(), "invitation.created", target, json!({"role": invitation.role}))
        .await;
    Ok(created(invitation))
}

/// A new link; the old one dies and the expiry is renewed.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/invitations/{id}/resend", tag = "workspaces",
    params(("wid" = i64, Path), ("id" = i64, Path)),
    responses((status = 202), (status = 404), (status = 409), (status = 429)))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    invitations::resend(&state, &ws.access, &ws.auth.user, id).await?;
    Ok(accepted())
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{wid}/invitations/{id}", tag = "workspaces",
    params(("wid" = i64, Path), ("id" = i64, Path)), responses((status = 200), (status = 404), (status = 409)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    invitations::revoke(&state.db, ws.id(), id).await?;
    let target = Target { kind: "invitation", id: Some(id), name: "" };
    audit::record(&state.db, ws.id(), &ws.actor(), "invitation.revoked", target, json!({})).await;
    Ok(ok(()))
}

/// What an invitation link offers, for the page that accepts it (no account needed).
#[utoipa::path(get, path = "/api/v1/invitations/{token}", tag = "workspaces", params(("token" = String, Path)),
    responses((status = 200, body = InvitationPreview), (status = 400, description = "`invalid_token`")))]
pub async fn preview_invitation(
    State(state): State<AppState>,
    Path(TokenPath { token }): Path<TokenPath>,
) -> Answer<InvitationPreview> {
    Ok(ok(invitations::preview(&state.db, &token).await?))
}

/// Join the inviting workspace; the account's email must be the invited one.
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "workspaces", request_body = TokenRequest,
    responses((status = 200, body = Workspace), (status = 400, description = "`invalid_token`"),
              (status = 403, description = "`invitation_email_mismatch`"), (status = 409, description = "`already_member`")))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    CurrentUser(auth): CurrentUser,
    Client(client): Client,
    Json(body): Json<TokenRequest>,
) -> Answer<Workspace> {
    let joined = invitations::accept(&state.db, &auth.user, &body.token).await?;
    state.forget_sessions(Forget::User(auth.user.id)).await;
    let actor = Actor { kind: "user", id: auth.user.id, name: auth.user.username.clone(), ip: client.ip };
    let target = Target { kind: "member", id: Some(auth.user.id), name: &auth.user.username };
    audit::record(&state.db, joined.id, &actor, "invitation.accepted", target, json!({"role": joined.role})).await;
    Ok(ok(joined.into()))
}

#[utoipa::path(get, path = "/api/v1/workspaces/{wid}/api-keys", tag = "workspaces", params(("wid" = i64, Path)),
    responses((status = 200, body = ApiKeyList), (status = 403), (status = 404)))]
pub async fn list_api_keys(State(state): State<AppState>, ws: InWorkspace<Admin>) -> Answer<ApiKeyList> {
    Ok(ok(ApiKeyList { items: api_keys::list(&state, ws.id()).await? }))
}

/// Create a key for scripts; the key itself (`pk_…`) is answered only here.
#[utoipa::path(post, path = "/api/v1/workspaces/{wid}/api-keys", tag = "workspaces", params(("wid" = i64, Path)),
    request_body = ApiKeyCreate, responses((status = 201, body = ApiKeyCreated), (status = 403), (status = 404), (status = 422)))]
pub async fn create_api_key(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Json(body): Json<ApiKeyCreate>,
) -> Answer<ApiKeyCreated> {
    let (api_key, key) =
        api_keys::create(&state, &ws.access, &ws.auth.user, &body.name, &body.scopes, body.expires_at).await?;
    let target = Target { kind: "api_key", id: Some(api_key.id), name: &api_key.name };
    let detail = json!({"prefix": api_key.prefix, "scopes": api_key.scopes});
    audit::record(&state.db, ws.id(), &ws.actor(), "api_key.created", target, detail).await;
    Ok(created(ApiKeyCreated { api_key, key }))
}

/// Revoke a key: refused at once.
#[utoipa::path(delete, path = "/api/v1/workspaces/{wid}/api-keys/{id}", tag = "workspaces",
    params(("wid" = i64, Path), ("id" = i64, Path)), responses((status = 200), (status = 403), (status = 404)))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    ws: InWorkspace<Admin>,
    Path(IdPath { id }): Path<IdPath>,
) -> Answer<()> {
    api_keys::revoke(&state, ws.id(), id).await?;
    let target = Target { kind: "api_key", id: Some(id), name: "" };
    audit::record(&state.db, ws.id(), &ws.actor(), "api_key.revoked", target, json!({})).await;
    Ok(ok(()))
}
