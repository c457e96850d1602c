//! Analytics payloads; docs/API.md, "Analytics" defines each figure.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodSummary {
    pub count: u64,
    pub avg_score: Option<f64>,
    pub csat_pct: Option<f64>,
    /// Whether CSAT now differs from this period's at p < 0.05 (two-proportion z-test);
    /// false when either period has fewer than 2 responses.
    pub csat_change_significant: bool,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SentimentCounts {
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    pub count: u64,
    pub avg_score: Option<f64>,
    pub median_score: Option<f64>,
    pub csat_pct: Option<f64>,
    /// The 95 % Wilson interval of CSAT, in percent; null under 2 responses.
    #[schema(required = true)]
    pub csat_ci95: Option<[f64; 2]>,
    /// The 95 % interval of the average (mean ± 1.96 s/√n, not clamped); null under 2.
    #[schema(required = true)]
    pub avg_ci95: Option<[f64; 2]>,
    /// Keys "1" to "5".
    pub distribution: BTreeMap<String, u64>,
    pub sentiment: SentimentCounts,
    /// The window of the same length just before `from`; null unless `from` and `to` are given.
    pub previous_period: Option<PeriodSummary>,
    /// Survey emails sent in the `from`/`to` window and how many were answered; null when
    /// none was sent.
    #[schema(required = true)]
    pub response_rate: Option<ResponseRate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseRate {
    pub sent: u64,
    pub answered: u64,
    pub pct: Option<f64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    Day,
    Week,
    #[default]
    Month,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TrendParams {
    /// `day`, `week` (Monday) or `month`; default `month`.
    pub granularity: Option<Granularity>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrendPoint {
    /// `YYYY-MM-DD`, UTC.
    pub period_start: String,
    pub count: u64,
    pub avg_score: Option<f64>,
    pub csat_pct: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Trends {
    pub granularity: Granularity,
    pub points: Vec<TrendPoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Bucket {
    pub score: u8,
    pub count: u64,
    pub pct: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Distribution {
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KeywordParams {
    /// Terms per list, 1 to 100; default 20.
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Term {
    /// A word or a two-word phrase.
    pub term: String,
    /// Its occurrences on its list's side.
    pub count: u64,
    /// How strongly it marks that side (|z| of the weighted log-odds, 2 decimals).
    pub z: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Keywords {
    /// Terms significantly more frequent in reviews scored 1–2 than in those scored 4–5.
    pub negative: Vec<Term>,
    /// Terms significantly more frequent in reviews scored 4–5.
    pub positive: Vec<Term>,
}
