//! `/api/v1/users` (docs/API.md, "Accounts"): the caller's account, and every account for admins.

use axum::{Router, extract::State, routing::get};

use crate::api::{
    error::Answer,
    reply::{Reply, ok},
};
use crate::{
    api::extractors::{AdminUser, CurrentUser, Json, Path, Query},
    schemas::{
        envelope::{Page, PageParams, Paginated},
        user::{AdminUpdateUser, UpdateMe, UserListQuery, UserRead},
    },
    services::state::AppState,
    services::users,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list_users))
        .route("/me", get(get_me).patch(update_me))
        .route("/{id}", get(get_user).patch(update_user).delete(delete_user))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/users/me", tag = "users", responses((status = 200, body = UserRead), (status = 401)))]
pub async fn get_me(CurrentUser(user): CurrentUser) -> Reply<UserRead> {
    ok(user.user.into())
}

/// Change your username or email (a new email must be verified again).
#[utoipa::path(patch, path = "/api/v1/users/me", tag = "users", request_body = UpdateMe,
    responses((status = 200, body = UserRead), (status = 409), (status = 422)))]
pub async fn update_me(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Json(body): Json<UpdateMe>,
) -> Answer<UserRead> {
    Ok(ok(users::update_me(&state, &user, body).await?.into()))
}

/// All accounts (admins).
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserListQuery),
    responses((status = 200, body = Paginated<UserRead>), (status = 403)))]
pub async fn list_users(
    State(state): State<AppState>,
    _admin: AdminUser,
    Query(query): Query<UserListQuery>,
) -> Answer<Paginated<UserRead>> {
    let page = Page::try_from(PageParams { page: query.page, per_page: query.per_page })?;
    let (items, total) = users::list(&state, &query, page).await?;
    Ok(ok(Paginated {
        items: items.into_iter().map(Into::into).collect(),
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

/// One account (admins).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = UserRead), (status = 404)))]
pub async fn get_user(State(state): State<AppState>, _admin: AdminUser, Path(id): Path<i64>) -> Answer<UserRead> {
    Ok(ok(users::get(&state, id).await?.into()))
}

/// Change role, activation, verification, or lift a lockout (admins).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), request_body = AdminUpdateUser,
    responses((status = 200, body = UserRead), (status = 409, description = "the last active admin")))]
pub async fn update_user(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
    Json(body): Json<AdminUpdateUser>,
) -> Answer<UserRead> {
    Ok(ok(users::admin_update(&state, &admin, id, body).await?.into()))
}

/// Delete an account (admins; not yourself, not the last admin).
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200), (status = 404), (status = 409)))]
pub async fn delete_user(
    State(state): State<AppState>,
    AdminUser(admin): AdminUser,
    Path(id): Path<i64>,
) -> Answer<()> {
    users::admin_delete(&state, &admin, id).await?;
    Ok(ok(()))
}
