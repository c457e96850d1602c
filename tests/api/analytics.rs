//! Analytics checked against figures computed independently here, over a seeded random
//! dataset of a few thousand customers across two years with empty months.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use crate::{customers::upload, helpers::*};

const REVIEWS: &[&str] = &[
    "Great service, friendly staff, I love it!",
    "Excellent quality and fast delivery.",
    "Terrible support, rude and slow.",
    "Awful experience, the product broke after a day.",
    "The parcel arrived on Tuesday.",
    "",
    "Good value, would recommend.",
    "Disappointing and overpriced.",
];

struct Customer {
    score: i64,
    review: &'static str,
    at: DateTime<Utc>,
}

/// Deterministic: the same dataset on every run.
fn dataset(n: usize) -> Vec<Customer> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let start = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let empty_months = [(2024, 4), (2025, 7), (2025, 8)];
    let mut out = Vec::new();
    while out.len() < n {
        let at = start + Duration::seconds(next(731 * 86_400) as i64);
        if empty_months.contains(&(at.year(), at.month())) {
            continue;
        }
        out.push(Customer { score: next(5) as i64 + 1, review: REVIEWS[next(REVIEWS.len() as u64) as usize], at });
    }
    out
}

fn csv_of(data: &[Customer]) -> String {
    let mut csv = String::from("name,email,score,review,feedback_at\n");
    for (i, c) in data.iter().enumerate() {
        csv.push_str(&format!("Customer {i},c{i}@example.com,{},\"{}\",{}\n", c.score, c.review, c.at.to_rfc3339()));
    }
    csv
}

/// Rounds num/den to `decimals` places, half away from zero, by integer arithmetic.
fn rounded(num: i64, den: i64, decimals: u32) -> Value {
    if den == 0 {
        return Value::Null;
    }
    let scale = 10i128.pow(decimals);
    let scaled = num as i128 * scale;
    let (q, r) = (scaled / den as i128, scaled % den as i128);
    let q = if 2 * r >= den as i128 { q + 1 } else { q };
    json!(q as f64 / scale as f64)
}

fn class_of(review: &str) -> &'static str {
    let s = pulse::services::sentiment::score(review);
    if s > 0.05 {
        "positive"
    } else if s < -0.05 {
        "negative"
    } else {
        "neutral"
    }
}

fn expected_summary(set: &[&Customer]) -> Value {
    let n = set.len() as i64;
    let sum: i64 = set.iter().map(|c| c.score).sum();
    let high = set.iter().filter(|c| c.score >= 4).count() as i64;
    let mut scores: Vec<i64> = set.iter().map(|c| c.score).collect();
    scores.sort();
    let median = if n == 0 {
        Value::Null
    } else if n % 2 == 1 {
        rounded(scores[(n / 2) as usize], 1, 1)
    } else {
        rounded(scores[(n / 2 - 1) as usize] + scores[(n / 2) as usize], 2, 1)
    };
    let mut distribution = serde_json::Map::new();
    for s in 1..=5 {
        distribution.insert(s.to_string(), json!(set.iter().filter(|c| c.score == s).count()));
    }
    let count_class = |k: &str| set.iter().filter(|c| class_of(c.review) == k).count();
    json!({
        "count": n,
        "avg_score": rounded(sum, n, 2),
        "median_score": median,
        "csat_pct": rounded(100 * high, n, 1),
        "distribution": distribution,
        "sentiment": {"positive": count_class("positive"), "neutral": count_class("neutral"), "negative": count_class("negative")},
    })
}

fn period_of(date: NaiveDate, granularity: &str) -> NaiveDate {
    match granularity {
        "day" => date,
        "week" => date - Duration::days(date.weekday().num_days_from_monday() as i64),
        _ => date.with_day(1).unwrap(),
    }
}

fn expected_trends(set: &[&Customer], granularity: &str, from: NaiveDate, to: NaiveDate) -> Vec<Value> {
    let mut groups: BTreeMap<NaiveDate, Vec<i64>> = BTreeMap::new();
    for c in set {
        groups.entry(period_of(c.at.date_naive(), granularity)).or_default().push(c.score);
    }
    let mut points = Vec::new();
    let mut period = period_of(from, granularity);
    while period <= to {
        let scores = groups.get(&period).cloned().unwrap_or_default();
        let n = scores.len() as i64;
        let high = scores.iter().filter(|s| **s >= 4).count() as i64;
        points.push(json!({
            "period_start": period.format("%Y-%m-%d").to_string(),
            "count": n,
            "avg_score": rounded(scores.iter().sum(), n, 2),
            "csat_pct": rounded(100 * high, n, 1),
        }));
        period = match granularity {
            "day" => period + Duration::days(1),
            "week" => period + Duration::days(7),
            _ => period.checked_add_months(chrono::Months::new(1)).unwrap(),
        };
    }
    points
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn figures_match_an_independent_computation() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let data = dataset(3_000);
    let report = upload(&admin, &csv_of(&data), "").await;
    assert_eq!(report.assert_ok(200)["inserted"], 3_000);
    let all: Vec<&Customer> = data.iter().collect();

    // Summary: everything, a window with its previous period, and filters.
    let mut summary = admin.get("/api/v1/analytics/summary").await.assert_ok(200).clone();
    assert_eq!(summary["previous_period"], Value::Null);
    summary.as_object_mut().unwrap().remove("previous_period");
    assert_eq!(summary, expected_summary(&all));

    let in_window = |from: NaiveDate, to: NaiveDate| -> Vec<&Customer> {
        data.iter().filter(|c| c.at.date_naive() >= from && c.at.date_naive() <= to).collect()
    };
    let window = admin.get("/api/v1/analytics/summary?from=2025-03-01&to=2025-05-31").await;
    let mut got = window.assert_ok(200).clone();
    let previous = got.as_object_mut().unwrap().remove("previous_period").unwrap();
    assert_eq!(got, expected_summary(&in_window(date(2025, 3, 1), date(2025, 5, 31))));
    // 92 days before 2025-03-01 start on 2024-11-29.
    let prev = expected_summary(&in_window(date(2024, 11, 29), date(2025, 2, 28)));
    assert_eq!(previous, json!({"count": prev["count"], "avg_score": prev["avg_score"], "csat_pct": prev["csat_pct"]}));

    let filtered = admin.get("/api/v1/analytics/summary?min_score=2&max_score=4&sentiment=negative").await;
    let mut got = filtered.assert_ok(200).clone();
    got.as_object_mut().unwrap().remove("previous_period");
    let set: Vec<&Customer> =
        data.iter().filter(|c| (2..=4).contains(&c.score) && class_of(c.review) == "negative").collect();
    assert_eq!(got, expected_summary(&set));

    // Text search and partial days are counted from the customers themselves.
    let searched = admin.get("/api/v1/analytics/summary?q=delivery").await;
    let mut got = searched.assert_ok(200).clone();
    got.as_object_mut().unwrap().remove("previous_period");
    let set: Vec<&Customer> = data.iter().filter(|c| c.review.to_lowercase().contains("delivery")).collect();
    assert_eq!(got, expected_summary(&set));

    let from = Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2024, 6, 20, 6, 30, 0).unwrap();
    let partial = admin
        .get(&format!("/api/v1/analytics/summary?from={}&to={}", "2024-06-01T12:00:00Z", "2024-06-20T06:30:00%2B00:00"))
        .await;
    let mut got = partial.assert_ok(200).clone();
    got.as_object_mut().unwrap().remove("previous_period");
    let set: Vec<&Customer> = data.iter().filter(|c| c.at >= from && c.at <= to).collect();
    assert_eq!(got, expected_summary(&set));

    // Trends at every granularity, zero-filled, from the first to the last feedback.
    let first = data.iter().map(|c| c.at.date_naive()).min().unwrap();
    let last = data.iter().map(|c| c.at.date_naive()).max().unwrap();
    for granularity in ["day", "week", "month"] {
        let trends = admin.get(&format!("/api/v1/analytics/trends?granularity={granularity}")).await;
        let got = trends.assert_ok(200);
        assert_eq!(got["granularity"], granularity);
        let points = got["points"].as_array().unwrap();
        assert_eq!(points, &expected_trends(&all, granularity, first, last), "{granularity}");
    }
    let months = admin.get("/api/v1/analytics/trends?granularity=month").await;
    let empty_april =
        months.data()["points"].as_array().unwrap().iter().find(|p| p["period_start"] == "2024-04-01").unwrap().clone();
    assert_eq!(empty_april, json!({"period_start": "2024-04-01", "count": 0, "avg_score": null, "csat_pct": null}));

    let bounded =
        admin.get("/api/v1/analytics/trends?granularity=week&from=2025-06-15&to=2025-09-10&min_score=4").await;
    let set: Vec<&Customer> =
        in_window(date(2025, 6, 15), date(2025, 9, 10)).into_iter().filter(|c| c.score >= 4).collect();
    assert_eq!(
        bounded.data()["points"].as_array().unwrap(),
        &expected_trends(&set, "week", date(2025, 6, 15), date(2025, 9, 10))
    );
    assert_eq!(bounded.data()["points"][0]["period_start"], "2025-06-09", "weeks start on Monday");

    // Distribution.
    let distribution = admin.get("/api/v1/analytics/distribution?from=2024-01-01&to=2024-12-31").await;
    let set = in_window(date(2024, 1, 1), date(2024, 12, 31));
    let buckets: Vec<Value> = (1..=5)
        .map(|s| {
            let n = set.iter().filter(|c| c.score == s).count() as i64;
            json!({"score": s, "count": n, "pct": rounded(100 * n, set.len() as i64, 1)})
        })
        .collect();
    assert_eq!(distribution.data(), &json!({"buckets": buckets}));
}

#[tokio::test]
async fn empty_sets_give_zero_counts_and_nulls() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let summary = admin.get("/api/v1/analytics/summary?from=2020-01-01&to=2020-01-31").await;
    assert_eq!(
        summary.assert_ok(200),
        &json!({"count": 0, "avg_score": null, "median_score": null, "csat_pct": null,
                "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
                "sentiment": {"positive": 0, "neutral": 0, "negative": 0},
                "previous_period": {"count": 0, "avg_score": null, "csat_pct": null}})
    );
    let trends = admin.get("/api/v1/analytics/trends?granularity=month").await;
    assert_eq!(trends.assert_ok(200), &json!({"granularity": "month", "points": []}));
    let bounded = admin.get("/api/v1/analytics/trends?granularity=month&from=2020-01-15&to=2020-03-02").await;
    let points = bounded.data()["points"].as_array().unwrap();
    assert_eq!(
        points.iter().map(|p| p["period_start"].as_str().unwrap()).collect::<Vec<_>>(),
        ["2020-01-01", "2020-02-01", "2020-03-01"]
    );
    let distribution = admin.get("/api/v1/analytics/distribution").await;
    let buckets = distribution.data()["buckets"].as_array().unwrap();
    assert_eq!(buckets.len(), 5);
    assert!(buckets.iter().enumerate().all(|(i, b)| b["score"] == i + 1 && b["count"] == 0 && b["pct"].is_null()));
    assert_eq!(admin.get("/api/v1/analytics/keywords").await.data(), &json!({"negative": [], "positive": []}));
    admin.get("/api/v1/analytics/trends?granularity=year").await.assert_error(400, "bad_request");
    admin.get("/api/v1/analytics/keywords?limit=0").await.assert_error(400, "bad_request");
    admin.get("/api/v1/analytics/summary?from=someday").await.assert_error(400, "bad_request");
    admin
        .get("/api/v1/analytics/trends?granularity=day&from=1900-01-01&to=2100-01-01")
        .await
        .assert_error(422, "validation_failed");
}

#[tokio::test]
async fn keywords_rank_terms_of_low_and_high_reviews() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "name,email,score,review\n\
        A,a@example.com,1,\"Slow delivery, slow support\"\n\
        B,b@example.com,2,The delivery was late and support was slow\n\
        C,c@example.com,3,Slow but fine\n\
        D,d@example.com,5,\"Friendly staff, friendly prices\"\n\
        E,e@example.com,4,Staff were friendly and the delivery quick\n";
    upload(&admin, csv, "").await.assert_ok(200);
    let reply = admin.get("/api/v1/analytics/keywords?limit=3").await;
    let data = reply.assert_ok(200);
    assert_eq!(
        data["negative"],
        json!([{"term": "slow", "count": 3}, {"term": "delivery", "count": 2}, {"term": "support", "count": 2}])
    );
    assert_eq!(
        data["positive"],
        json!([{"term": "friendly", "count": 3}, {"term": "staff", "count": 2}, {"term": "delivery", "count": 1}])
    );
    let filtered = admin.get("/api/v1/analytics/keywords?limit=1&q=late").await;
    assert_eq!(filtered.data()["negative"], json!([{"term": "delivery", "count": 1}]));
}
