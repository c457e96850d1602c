//! Extractors: input whose rejections answer in the envelope like every other error, and
//! who the caller is.

use std::marker::PhantomData;

use axum::{
    extract::{
        FromRequest, FromRequestParts, RawPathParams,
        rejection::{JsonRejection, PathRejection, QueryRejection},
    },
    http::{Method, header, request::Parts},
};
use axum_extra::extract::CookieJar;

use crate::api::error::ApiError;
use crate::core::error::AppError;
use crate::{
    api::cookies::ACCESS_COOKIE,
    domain::role::Role,
    middleware::{client_ip::client_ip, csrf},
    models::{response::Source, user::ROLE_ADMIN},
    services::state::AppState,
    services::{
        api_keys,
        audit::Actor,
        auth,
        identity::{AuthUser, ClientInfo},
        workspaces::{self, Access},
    },
};

/// `axum::Json`, but malformed JSON is 400 `bad_request`, a wrong content type 415,
/// an oversized body 413 and well-formed JSON of the wrong shape 422.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// The `{id}` of a path. A struct, not `Path<i64>`: the same routers also serve under
/// `/workspaces/{wid}/…`, where the path has two parameters.
#[derive(Debug, serde::Deserialize)]
pub struct IdPath {
    pub id: i64,
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(err) => AppError::field("body", data_error_message(&err.body_text())).into(),
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::UnsupportedMediaType("Send the body as application/json.".into())
            }
            other if other.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge.into(),
            _ => AppError::bad_request("The request body is not valid JSON.").into(),
        }
    }
}

/// axum prefixes serde's message with its own words; keep serde's part, which names the field.
fn data_error_message(text: &str) -> String {
    text.rsplit_once(": ").map(|(_, m)| m).unwrap_or(text).to_string()
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::bad_request(format!("Invalid query string: {}", data_error_message(&rejection.body_text()))).into()
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        AppError::NotFound.into()
    }
}

/// Who may call a route is stated in its signature, never checked by an `if` in the handler.
///
/// `CurrentUser`: any authenticated account, by `Authorization: Bearer` or the
/// `access_token` cookie; cookie-authenticated unsafe requests must pass the CSRF check.
pub struct CurrentUser(pub AuthUser);

/// An account whose email is verified (when `REQUIRE_VERIFIED_EMAIL`), else 403 `email_not_verified`.
pub struct VerifiedUser(pub AuthUser);

/// An admin, else 403 `forbidden`.
pub struct AdminUser(pub AuthUser);

/// The access token of a request and whether it came from the cookie.
pub fn access_token(parts: &Parts) -> Option<(String, bool)> {
    if let Some(value) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).unwrap_or("");
        return Some((token.trim().to_string(), false));
    }
    CookieJar::from_headers(&parts.headers).get(ACCESS_COOKIE).map(|c| (c.value().to_string(), true))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(Self(user.clone()));
        }
        let (token, from_cookie) = access_token(parts).ok_or(AppError::Unauthorized)?;
        if from_cookie && csrf::is_unsafe(&parts.method) {
            csrf::check_double_submit(&parts.headers, &state.settings)?;
        }
        let user = auth::authenticate(state, &token).await?;
        parts.extensions.insert(user.clone());
        Ok(Self(user))
    }
}

impl FromRequestParts<AppState> for VerifiedUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if state.settings.require_verified_email && !user.user.is_verified {
            return Err(AppError::EmailNotVerified.into());
        }
        Ok(Self(user))
    }
}

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        if user.user.role != ROLE_ADMIN {
            return Err(AppError::Forbidden.into());
        }
        Ok(Self(user))
    }
}

/// The caller's IP and user agent.
pub struct Client(pub ClientInfo);

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ip = client_ip(parts, &state.settings.trusted_proxies).map(|ip| ip.to_string());
        let user_agent = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
        Ok(Self(ClientInfo { ip, user_agent }))
    }
}

/// The least role a route needs, as a type: `InWorkspace<Member>` in a handler's signature
/// states who may call it (roles: docs/API.md, "Workspaces and roles"), with no `if` in the handler.
pub trait MinRole {
    const ROLE: Role;
}

pub struct Viewer;
pub struct Member;
pub struct Admin;
pub struct Owner;

impl MinRole for Viewer {
    const ROLE: Role = Role::Viewer;
}
impl MinRole for Member {
    const ROLE: Role = Role::Member;
}
impl MinRole for Admin {
    const ROLE: Role = Role::Admin;
}
impl MinRole for Owner {
    const ROLE: Role = Role::Owner;
}

/// A verified account acting in a workspace with at least role `R`: the workspace of the
/// path's `{wid}`, or the account's default workspace on the paths without it. Not a
/// member: 404, whether or not the workspace exists; a lower role: 403 `forbidden`.
pub struct InWorkspace<R> {
    pub auth: AuthUser,
    pub access: Access,
    /// The client's address, for the audit log.
    ip: Option<String>,
    role: PhantomData<R>,
}

impl<R> InWorkspace<R> {
    pub fn id(&self) -> i64 {
        self.access.workspace.id
    }
}

impl<R: MinRole + Send + Sync> FromRequestParts<AppState> for InWorkspace<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let VerifiedUser(auth) = VerifiedUser::from_request_parts(parts, state).await?;
        let wid = match RawPathParams::from_request_parts(parts, state).await {
            Ok(params) => match params.iter().find(|(name, _)| *name == "wid") {
                Some((_, value)) => Some(value.parse::<i64>().map_err(|_| AppError::NotFound)?),
                None => None,
            },
            Err(_) => None,
        };
        let now = chrono::Utc::now();
        let access = match state.sessions.access(auth.user.id, wid, now) {
            Some(access) => access,
            None => {
                let generation = state.sessions.generation();
                let access = workspaces::resolve(&state.db, &auth.user, wid).await?;
                state.sessions.insert_access(generation, auth.user.id, wid, access.clone(), now);
                access
            }
        };
        if access.role < R::ROLE {
            return Err(AppError::Forbidden.into());
        }
        if access.workspace.require_two_factor && !auth.user.totp_enabled {
            return Err(AppError::refused(
                "two_factor_required",
                "This workspace requires two-factor sign-in: turn it on in your account settings first.",
            )
            .into());
        }
        let ip = client_ip(parts, &state.settings.trusted_proxies).map(|ip| ip.to_string());
        Ok(Self { auth, access, ip, role: PhantomData })
    }
}

/// The caller of a data route (customers, analytics): a member of the workspace as
/// `InWorkspace<R>`, or an API key of that workspace used on its `/workspaces/{wid}/…`
/// path, within the key's scope (`read` for GET, `write` for the rest).
pub struct WorkspaceData<R> {
    workspace_id: i64,
    /// The account or the key, for the audit log.
    pub actor: Actor,
    role: PhantomData<R>,
}

impl<R> WorkspaceData<R> {
    pub fn id(&self) -> i64 {
        self.workspace_id
    }

    /// Where feedback written by this caller comes from: `api` for a key, else `manual`.
    pub fn source(&self) -> Source {
        if self.actor.kind == "api_key" { Source::Api } else { Source::Manual }
    }
}

impl<R> InWorkspace<R> {
    /// The account, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor { kind: "user", id: self.auth.user.id, name: self.auth.user.username.clone(), ip: self.ip.clone() }
    }
}

impl<R: MinRole + Send + Sync> FromRequestParts<AppState> for WorkspaceData<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = access_token(parts).filter(|(token, cookie)| !cookie && token.starts_with("pk_"));
        let Some((key, _)) = key else {
            let member = InWorkspace::<R>::from_request_parts(parts, state).await?;
            return Ok(Self { workspace_id: member.id(), actor: member.actor(), role: PhantomData });
        };
        let wid = match RawPathParams::from_request_parts(parts, state).await {
            Ok(params) => params.iter().find(|(name, _)| *name == "wid").map(|(_, v)| v.parse::<i64>()),
            Err(_) => None,
        };
        // Keys work on their workspace's paths only, not on the default-workspace ones.
        let wid = wid.ok_or(AppError::Unauthorized)?.map_err(|_| AppError::NotFound)?;
        let row = api_keys::authenticate(state, &key).await?;
        if row.workspace_id != wid {
            return Err(AppError::NotFound.into());
        }
        let needs_write = !matches!(parts.method, Method::GET | Method::HEAD);
        if needs_write && !row.scopes.split(',').any(|s| s == "write") {
            return Err(AppError::Forbidden.into());
        }
        let ip = client_ip(parts, &state.settings.trusted_proxies).map(|ip| ip.to_string());
        Ok(Self {
            workspace_id: wid,
            actor: Actor { kind: "api_key", id: row.id, name: row.name, ip },
            role: PhantomData,
        })
    }
}
