//! API key shapes (docs/API.md, "API keys").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{models::api_key, schemas::workspace::UserRef};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The key's first 12 characters, to recognise it.
    pub prefix: String,
    /// `["read"]` or `["read", "write"]`.
    pub scopes: Vec<String>,
    pub created_by: Option<UserRef>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<api_key::Row> for ApiKey {
    fn from(row: api_key::Row) -> Self {
        Self {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            scopes: row.scopes.split(',').map(str::to_string).collect(),
            created_by: row.created_by.zip(row.created_by_username).map(|(id, username)| UserRef { id, username }),
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            expires_at: row.expires_at,
        }
    }
}

/// A new key: the key itself is in `key`, shown only here.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyCreated {
    #[serde(flatten)]
    pub api_key: ApiKey,
    pub key: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyList {
    pub items: Vec<ApiKey>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyCreate {
    #[schema(max_length = 80)]
    pub name: String,
    /// `read`, `write` (which includes `read`).
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}
