//! Customer shapes and the shared filter query (docs/API.md, "Paging and filters").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    core::error::AppError,
    domain::sentiment::Class,
    models::customer::{self, Filter, Sort, SortKey},
};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CustomerRead {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub review: String,
    /// 1 to 5.
    pub satisfaction_score: i16,
    /// In [-1, 1], computed from `review`.
    pub sentiment: f64,
    pub sentiment_class: SentimentClass,
    pub feedback_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// How many responses the customer gave; the fields above are the latest one's.
    pub response_count: i32,
    /// Asked not to receive surveys.
    pub unsubscribed: bool,
}

/// The class of a sentiment score: positive above 0.05, negative below -0.05, else neutral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SentimentClass {
    Positive,
    Neutral,
    Negative,
}

impl From<Class> for SentimentClass {
    fn from(class: Class) -> Self {
        match class {
            Class::Positive => SentimentClass::Positive,
            Class::Neutral => SentimentClass::Neutral,
            Class::Negative => SentimentClass::Negative,
        }
    }
}

pub fn timestamp(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

pub fn timestamp_millis(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

impl From<customer::Model> for CustomerRead {
    fn from(c: customer::Model) -> Self {
        Self {
            id: c.id,
            name: c.name,
            email: c.email,
            review: c.review,
            satisfaction_score: c.satisfaction_score,
            sentiment: c.sentiment,
            sentiment_class: Class::of(c.sentiment).into(),
            feedback_at: timestamp(c.feedback_at),
            created_at: timestamp_millis(c.created_at),
            updated_at: timestamp_millis(c.updated_at),
            response_count: c.response_count,
            unsubscribed: c.unsubscribed,
        }
    }
}

/// `POST /customers`. `satisfaction_score` may be a number or a numeric string.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerCreate {
    #[schema(max_length = 200)]
    pub name: String,
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub review: Option<String>,
    #[schema(value_type = i64, minimum = 1, maximum = 5)]
    pub satisfaction_score: serde_json::Value,
    /// RFC 3339 or `YYYY-MM-DD`; defaults to now.
    #[serde(default)]
    pub feedback_at: Option<String>,
}

/// `PATCH /customers/{id}`: any subset of the fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerUpdate {
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub email: Option<String>,
    #[schema(max_length = 5000)]
    pub review: Option<String>,
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 5)]
    pub satisfaction_score: Option<serde_json::Value>,
    pub feedback_at: Option<String>,
}

/// The customer filters, shared by the list, the export and every analytics route.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
pub struct FilterParams {
    /// Text in name, email or review.
    pub q: Option<String>,
    pub min_score: Option<String>,
    pub max_score: Option<String>,
    /// `YYYY-MM-DD` (from 00:00 UTC) or RFC 3339; inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD` (the whole day) or RFC 3339; inclusive.
    pub to: Option<String>,
    /// `positive`, `neutral` or `negative`.
    pub sentiment: Option<String>,
}

/// Paging and sorting of the list; the filters come from `FilterParams` on the same query.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
pub struct ListParams {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `feedback_at` (default `-feedback_at`), `name`, `email`, `satisfaction_score`,
    /// `sentiment`, `created_at`; a leading `-` sorts descending.
    pub sort: Option<String>,
}

/// The longest search text `q` accepted.
pub const MAX_QUERY_CHARS: usize = 200;

pub enum Bound {
    Start,
    End,
}

/// `YYYY-MM-DD` or RFC 3339 as Unix seconds; a date `to` covers its whole day.
pub fn parse_instant(text: &str, bound: Bound) -> Option<i64> {
    let instant = parse_any_instant(text.trim(), bound)?;
    // Years 1 to 9999: outside them date arithmetic overflows, and nothing is stored there.
    (MIN_INSTANT..=MAX_INSTANT).contains(&instant).then_some(instant)
}

/// -62135596800 is 0001-01-01T00:00:00Z; 253402300799 is 9999-12-31T23:59:59Z.
const MIN_INSTANT: i64 = -62_135_596_800;
const MAX_INSTANT: i64 = 253_402_300_799;

fn parse_any_instant(text: &str, bound: Bound) -> Option<i64> {
    if let Ok(date) = text.parse::<NaiveDate>() {
        let start = date.and_hms_opt(0, 0, 0)?.and_utc().timestamp();
        return Some(match bound {
            Bound::Start => start,
            Bound::End => start + 86_399,
        });
    }
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp())
}

fn score_param(raw: &Option<String>, name: &str) -> Result<Option<i16>, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match s.parse::<i16>() {
            Ok(v) if (1..=5).contains(&v) => Ok(Some(v)),
            _ => Err(AppError::bad_request(format!("{name} must be a whole number from 1 to 5."))),
        },
    }
}

impl FilterParams {
    /// The filter these parameters describe, inside workspace `workspace_id`.
    pub fn filter(&self, workspace_id: i64) -> Result<Filter, AppError> {
        let p = self;
        let instant = |raw: &Option<String>, name: &str, bound| match raw.as_deref().filter(|s| !s.trim().is_empty()) {
            None => Ok(None),
            Some(s) => parse_instant(s, bound)
                .map(Some)
                .ok_or_else(|| AppError::bad_request(format!("{name} must be YYYY-MM-DD or an RFC 3339 time."))),
        };
        let sentiment = match p.sentiment.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                Class::parse(s)
                    .ok_or_else(|| AppError::bad_request("sentiment must be positive, neutral or negative."))?
                    as i16,
            ),
        };
        if p.q.as_ref().is_some_and(|q| q.chars().count() > MAX_QUERY_CHARS) {
            return Err(AppError::bad_request(format!("q must be at most {MAX_QUERY_CHARS} characters.")));
        }
        Ok(Filter {
            workspace_id,
            q: p.q.clone().filter(|q| !q.trim().is_empty()),
            min_score: score_param(&p.min_score, "min_score")?,
            max_score: score_param(&p.max_score, "max_score")?,
            from: instant(&p.from, "from", Bound::Start)?,
            to: instant(&p.to, "to", Bound::End)?,
            sentiment,
        })
    }
}

pub fn parse_sort(raw: Option<&str>) -> Result<Sort, AppError> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("-feedback_at");
    let (name, descending) = match raw.strip_prefix('-') {
        Some(name) => (name, true),
        None => (raw.strip_prefix('+').unwrap_or(raw), false),
    };
    let key = match name {
        "feedback_at" => SortKey::FeedbackAt,
        "name" => SortKey::Name,
        "email" => SortKey::Email,
        "satisfaction_score" | "score" => SortKey::Score,
        "sentiment" => SortKey::Sentiment,
        "created_at" => SortKey::CreatedAt,
        _ => return Err(AppError::bad_request(format!("Unknown sort `{raw}`."))),
    };
    Ok(Sort { key, descending })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1970-01-02", Bound::Start), Some(86_400));
        assert_eq!(parse_instant("1970-01-02", Bound::End), Some(2 * 86_400 - 1));
        assert_eq!(parse_instant("1970-01-01T01:00:00+01:00", Bound::Start), Some(0));
        assert_eq!(parse_instant("2024-02-30", Bound::Start), None);
        assert_eq!(parse_instant("yesterday", Bound::Start), None);
        assert_eq!(parse_instant("+262142-01-01", Bound::Start), None);
        assert_eq!(parse_instant("9999-12-31", Bound::End), Some(MAX_INSTANT));
    }

    #[test]
    fn filters_parse_or_answer_400() {
        let p = FilterParams {
            min_score: Some("2".into()),
            sentiment: Some("negative".into()),
            from: Some("2024-01-01".into()),
            ..Default::default()
        };
        let f = p.filter(1).unwrap();
        assert_eq!((f.min_score, f.sentiment, f.from), (Some(2), Some(-1), Some(1_704_067_200)));
        for bad in [
            FilterParams { min_score: Some("0".into()), ..Default::default() },
            FilterParams { max_score: Some("x".into()), ..Default::default() },
            FilterParams { to: Some("2024-13-01".into()), ..Default::default() },
            FilterParams { sentiment: Some("happy".into()), ..Default::default() },
            FilterParams { q: Some("x".repeat(201)), ..Default::default() },
        ] {
            assert!(bad.filter(1).is_err(), "{bad:?}");
        }
        assert_eq!(parse_sort(None).unwrap(), Sort { key: SortKey::FeedbackAt, descending: true });
        assert_eq!(parse_sort(Some("name")).unwrap(), Sort { key: SortKey::Name, descending: false });
        assert!(parse_sort(Some("password")).is_err());
    }
}
