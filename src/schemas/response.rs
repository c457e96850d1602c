//! Response shapes (docs/API.md, "Customers and responses").

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    domain::sentiment::Class,
    models::response,
    schemas::customer::{SentimentClass, timestamp, timestamp_millis},
};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ResponseRead {
    pub id: i64,
    pub customer_id: i64,
    pub satisfaction_score: i16,
    pub review: String,
    /// In [-1, 1], computed from `review`.
    pub sentiment: f64,
    pub sentiment_class: SentimentClass,
    pub feedback_at: DateTime<Utc>,
    /// `manual`, `import`, `survey`, `form` or `api`.
    pub source: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<response::Model> for ResponseRead {
    fn from(r: response::Model) -> Self {
        Self {
            id: r.id,
            customer_id: r.customer_id,
            satisfaction_score: r.satisfaction_score,
            review: r.review,
            sentiment: r.sentiment,
            sentiment_class: Class::of(r.sentiment).into(),
            feedback_at: timestamp(r.feedback_at),
            source: r.source,
            created_at: timestamp_millis(r.created_at),
            updated_at: timestamp_millis(r.updated_at),
        }
    }
}

/// `POST /customers/{id}/responses`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseCreate {
    #[schema(value_type = i64, minimum = 1, maximum = 5)]
    pub satisfaction_score: serde_json::Value,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub review: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`; defaults to now.
    #[serde(default)]
    pub feedback_at: Option<String>,
}

/// `PATCH /responses/{id}`: any subset of the fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseUpdate {
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 5)]
    pub satisfaction_score: Option<serde_json::Value>,
    #[schema(max_length = 5000)]
    pub review: Option<String>,
    pub feedback_at: Option<String>,
}

impl ResponseCreate {
    pub fn input(&self) -> FeedbackInput<'_> {
        FeedbackInput {
            satisfaction_score: Some(&self.satisfaction_score),
            review: self.review.as_deref(),
            feedback_at: self.feedback_at.as_deref(),
        }
    }
}

impl ResponseUpdate {
    pub fn input(&self) -> FeedbackInput<'_> {
        FeedbackInput {
            satisfaction_score: self.satisfaction_score.as_ref(),
            review: self.review.as_deref(),
            feedback_at: self.feedback_at.as_deref(),
        }
    }
}

/// The fields of a response as they arrive; `None` keeps (or defaults) a field.
#[derive(Clone, Copy)]
pub struct FeedbackInput<'a> {
    pub satisfaction_score: Option<&'a serde_json::Value>,
    pub review: Option<&'a str>,
    pub feedback_at: Option<&'a str>,
}
