//! Workspace, member and invitation shapes (docs/API.md, "Workspaces and roles", "Invitations").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::models::{invitation, membership::MemberRow, workspace::WithRole};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WorkspaceSettings {
    pub public_form_enabled: bool,
    /// Responses at or below it open a follow-up; 1 to 4.
    pub low_score_threshold: i16,
    pub require_two_factor: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Workspace {
    pub id: i64,
    pub name: String,
    pub slug: String,
    /// The caller's role: `viewer`, `member`, `admin` or `owner`.
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub settings: WorkspaceSettings,
}

impl From<WithRole> for Workspace {
    fn from(w: WithRole) -> Self {
        Self {
            id: w.id,
            name: w.name,
            slug: w.slug,
            role: w.role,
            created_at: w.created_at,
            updated_at: w.updated_at,
            settings: WorkspaceSettings {
                public_form_enabled: w.public_form_enabled,
                low_score_threshold: w.low_score_threshold,
                require_two_factor: w.require_two_factor,
            },
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceList {
    pub items: Vec<Workspace>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceCreate {
    #[schema(max_length = 80)]
    pub name: String,
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceSettingsUpdate {
    pub public_form_enabled: Option<bool>,
    pub low_score_threshold: Option<i16>,
    pub require_two_factor: Option<bool>,
}

/// Settings need an admin; `name` and `slug` the owner.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceUpdate {
    #[schema(max_length = 80)]
    pub name: Option<String>,
    #[schema(max_length = 48)]
    pub slug: Option<String>,
    pub settings: Option<WorkspaceSettingsUpdate>,
}

/// The workspace's name, typed to confirm its deletion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceDelete {
    pub confirm: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Member {
    pub user_id: i64,
    pub username: String,
    pub email: String,
    pub role: String,
    pub two_factor_enabled: bool,
    pub joined_at: DateTime<Utc>,
}

impl From<MemberRow> for Member {
    fn from(m: MemberRow) -> Self {
        Self {
            user_id: m.user_id,
            username: m.username,
            email: m.email,
            role: m.role,
            two_factor_enabled: m.two_factor_enabled,
            joined_at: m.joined_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<Member>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberUpdate {
    pub role: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct UserRef {
    pub id: i64,
    pub username: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub role: String,
    /// `pending`, `accepted`, `revoked` or `expired`.
    pub status: String,
    pub invited_by: Option<UserRef>,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl Invitation {
    pub fn of(row: invitation::Row, now: DateTime<Utc>) -> Self {
        Self {
            id: row.id,
            status: row.status(now).to_string(),
            invited_by: row.invited_by.zip(row.invited_by_username).map(|(id, username)| UserRef { id, username }),
            email: row.email,
            role: row.role,
            expires_at: row.expires_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationList {
    pub items: Vec<Invitation>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationCreate {
    pub email: String,
    pub role: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct WorkspaceName {
    pub name: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InviterName {
    pub username: String,
}

/// What an invitation link shows before it is accepted.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct InvitationPreview {
    pub workspace: WorkspaceName,
    pub email: String,
    pub role: String,
    pub invited_by: Option<InviterName>,
    pub expires_at: DateTime<Utc>,
}
