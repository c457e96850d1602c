//! Account shapes: what a client may send and what it gets back (never a hash or token).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::models::user;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UserRead {
    pub id: i64,
    pub username: String,
    pub email: String,
    /// `admin` or `user`.
    pub role: String,
    pub is_active: bool,
    pub is_verified: bool,
    pub last_login: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The workspace the paths without `/workspaces/{wid}` act on.
    pub default_workspace_id: Option<i64>,
    pub two_factor_enabled: bool,
}

impl From<user::Model> for UserRead {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            username: u.username,
            email: u.email,
            role: u.role,
            is_active: u.is_active,
            is_verified: u.is_verified,
            last_login: u.last_login,
            created_at: u.created_at,
            updated_at: u.updated_at,
            default_workspace_id: u.default_workspace_id,
            two_factor_enabled: u.totp_enabled,
        }
    }
}

/// `PATCH /users/me`: a new email becomes unverified and gets a new link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    pub username: Option<String>,
    pub email: Option<String>,
    /// A workspace the account is a member of.
    pub default_workspace_id: Option<i64>,
}

/// `PATCH /users/{id}` (admins).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminUpdateUser {
    /// `admin` or `user`.
    pub role: Option<String>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
    /// `true` lifts a login lockout on the account's username and email.
    pub unlock: Option<bool>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct UserListQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// Matches username or email.
    pub q: Option<String>,
    pub role: Option<String>,
    pub is_active: Option<bool>,
    pub is_verified: Option<bool>,
}
