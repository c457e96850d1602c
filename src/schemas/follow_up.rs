//! Follow-up, notification, webhook and audit shapes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    models::{audit::Entry, follow_up::View, webhook},
    schemas::{customer::timestamp_millis, workspace::UserRef},
};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CustomerRef {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FollowUpRead {
    pub id: i64,
    pub response_id: i64,
    pub customer: CustomerRef,
    pub satisfaction_score: i16,
    pub review: String,
    /// `open` or `closed`.
    pub status: String,
    #[schema(required = true)]
    pub assignee: Option<UserRef>,
    pub note: String,
    pub created_at: DateTime<Utc>,
    #[schema(required = true)]
    pub closed_at: Option<DateTime<Utc>>,
    /// The customer later gave a response scoring 4 or 5.
    pub recovered: bool,
}

impl From<View> for FollowUpRead {
    fn from(v: View) -> Self {
        Self {
            id: v.id,
            response_id: v.response_id,
            customer: CustomerRef { id: v.customer_id, name: v.customer_name, email: v.customer_email },
            satisfaction_score: v.satisfaction_score,
            review: v.review,
            status: v.status,
            assignee: v.assignee_id.zip(v.assignee_username).map(|(id, username)| UserRef { id, username }),
            note: v.note,
            created_at: timestamp_millis(v.created_at),
            closed_at: v.closed_at.map(timestamp_millis),
            recovered: v.recovered == 1,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FollowUpParams {
    /// `open` or `closed`.
    pub status: Option<String>,
    /// `me` or a user id.
    pub assignee: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A field that may be absent (keep), null (clear) or a value.
fn some<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpUpdate {
    pub status: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>)]
    pub assignee_id: Option<Option<i64>>,
    /// Up to 2,000 characters.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpStats {
    pub open: u64,
    pub closed: u64,
    #[schema(required = true)]
    pub median_hours_to_close: Option<f64>,
    #[schema(required = true)]
    pub recovery_rate_pct: Option<f64>,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    pub low_score_email: bool,
    pub weekly_digest: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DigestPreview {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookRead {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<webhook::Webhook> for WebhookRead {
    fn from(w: webhook::Webhook) -> Self {
        Self {
            id: w.id,
            url: w.url,
            events: w.events.split(',').filter(|e| !e.is_empty()).map(str::to_string).collect(),
            active: w.active,
            created_at: timestamp_millis(w.created_at),
        }
    }
}

/// A new webhook with its secret, shown only in this answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookCreated {
    #[serde(flatten)]
    pub webhook: WebhookRead,
    /// `whsec_` + base64 of 32 random bytes: verify signatures with it.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    pub url: String,
    pub events: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookUpdate {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryRead {
    pub id: i64,
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    #[schema(required = true)]
    pub last_status_code: Option<i32>,
    #[schema(required = true)]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[schema(required = true)]
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<webhook::Delivery> for DeliveryRead {
    fn from(d: webhook::Delivery) -> Self {
        Self {
            id: d.id,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            created_at: timestamp_millis(d.created_at),
            next_attempt_at: d.next_attempt_at.map(timestamp_millis),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActorRead {
    /// `user` or `api_key`.
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(required = true)]
    pub id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TargetRead {
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(required = true)]
    pub id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditRead {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: ActorRead,
    pub action: String,
    pub target: TargetRead,
    #[schema(required = true)]
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<Entry> for AuditRead {
    fn from(e: Entry) -> Self {
        Self {
            id: e.id,
            at: timestamp_millis(e.at),
            actor: ActorRead { kind: e.actor_type, id: e.actor_id, name: e.actor_name },
            action: e.action,
            target: TargetRead { kind: e.target_type, id: e.target_id, name: e.target_name },
            ip: e.ip,
            detail: serde_json::from_str(&e.detail).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AuditParams {
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    /// `YYYY-MM-DD` or RFC 3339, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}
