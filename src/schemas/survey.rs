//! Survey and public-page shapes (docs/API.md, "Surveys and public pages").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    models::survey::Progress,
    schemas::response::FeedbackInput,
    schemas::{
        customer::{FilterParams, timestamp_millis},
        workspace::UserRef,
    },
};

/// `POST /workspaces/{wid}/surveys`: exactly one of `customer_ids` and `filter`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyCreate {
    pub customer_ids: Option<Vec<i64>>,
    /// The customer list's filters (`q`, `min_score`, `max_score`, `from`, `to`, `sentiment`).
    #[schema(value_type = Option<Object>)]
    pub filter: Option<SurveyFilter>,
    /// Up to 1,000 characters, shown in the email.
    #[schema(max_length = 1000)]
    pub message: Option<String>,
}

/// The list filters as a JSON object; scores may be numbers or strings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyFilter {
    pub q: Option<String>,
    pub min_score: Option<serde_json::Value>,
    pub max_score: Option<serde_json::Value>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sentiment: Option<String>,
}

impl SurveyFilter {
    pub fn params(self) -> FilterParams {
        let text = |v: Option<serde_json::Value>| {
            v.map(|v| match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            })
        };
        FilterParams {
            q: self.q,
            min_score: text(self.min_score),
            max_score: text(self.max_score),
            from: self.from,
            to: self.to,
            sentiment: self.sentiment,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyQueued {
    pub survey_id: i64,
    pub queued: i32,
    pub skipped_recent: i32,
    pub skipped_unsubscribed: i32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyRead {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    #[schema(required = true)]
    pub created_by: Option<UserRef>,
    pub message: String,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub answered: i64,
}

impl From<Progress> for SurveyRead {
    fn from(p: Progress) -> Self {
        Self {
            id: p.id,
            created_at: timestamp_millis(p.created_at),
            created_by: p.created_by.zip(p.created_by_username).map(|(id, username)| UserRef { id, username }),
            message: p.message,
            queued: p.queued.into(),
            sent: p.sent,
            failed: p.failed,
            answered: p.answered,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NameOnly {
    pub name: String,
}

/// `GET /public/surveys/{token}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyPageRead {
    pub workspace: NameOnly,
    pub customer: NameOnly,
    pub answered: bool,
    #[schema(required = true)]
    pub satisfaction_score: Option<i16>,
    #[schema(required = true)]
    pub review: Option<String>,
}

/// `POST /public/surveys/{token}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswer {
    #[schema(value_type = i64, minimum = 1, maximum = 5)]
    pub satisfaction_score: serde_json::Value,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub review: Option<String>,
}

impl SurveyAnswer {
    pub fn input(&self) -> FeedbackInput<'_> {
        FeedbackInput {
            satisfaction_score: Some(&self.satisfaction_score),
            review: self.review.as_deref(),
            feedback_at: None,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyAnswerRead {
    pub satisfaction_score: i16,
    pub review: String,
}

/// `GET /public/forms/{slug}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormRead {
    pub workspace: NameOnly,
}

/// `POST /public/forms/{slug}`. `website` is a honeypot: people leave it empty.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FormAnswerCreate {
    #[schema(max_length = 200)]
    pub name: String,
    pub email: String,
    #[schema(value_type = i64, minimum = 1, maximum = 5)]
    pub satisfaction_score: serde_json::Value,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub review: Option<String>,
    #[serde(default)]
    pub website: Option<String>,
}
