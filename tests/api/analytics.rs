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
    let s = pulse::domain::sentiment::score(review);
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
    // The 95 % intervals, written out independently of the server's code.
    let z = 1.959964_f64;
    let round = |x: f64, d: i32| (x * 10f64.powi(d)).round() / 10f64.powi(d);
    let (csat_ci95, avg_ci95) = if n < 2 {
        (Value::Null, Value::Null)
    } else {
        let (nf, p) = (n as f64, high as f64 / n as f64);
        let centre = (p + z * z / (2.0 * nf)) / (1.0 + z * z / nf);
        let half = z / (1.0 + z * z / nf) * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt();
        let mean = sum as f64 / nf;
        let var = set.iter().map(|c| (c.score as f64 - mean).powi(2)).sum::<f64>() / (nf - 1.0);
        let h = z * var.sqrt() / nf.sqrt();
        (
            json!([round(100.0 * (centre - half), 1), round(100.0 * (centre + half), 1)]),
            json!([round(mean - h, 2), round(mean + h, 2)]),
        )
    };
    json!({
        "count": n,
        "avg_score": rounded(sum, n, 2),
        "median_score": median,
        "csat_pct": rounded(100 * high, n, 1),
        "csat_ci95": csat_ci95,
        "avg_ci95": avg_ci95,
        "distribution": distribution,
        "sentiment": {"positive": count_class("positive"), "neutral": count_class("neutral"), "negative": count_class("negative")},
        "response_rate": null,
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
    // Two-proportion z-test with the pooled share, written out here.
    let share = |set: &[&Customer]| (set.iter().filter(|c| c.score >= 4).count() as f64, set.len() as f64);
    let ((h1, n1), (h2, n2)) = (
        share(&in_window(date(2025, 3, 1), date(2025, 5, 31))),
        share(&in_window(date(2024, 11, 29), date(2025, 2, 28))),
    );
    let pooled = (h1 + h2) / (n1 + n2);
    let z = (h1 / n1 - h2 / n2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    assert_eq!(
        previous,
        json!({"count": prev["count"], "avg_score": prev["avg_score"], "csat_pct": prev["csat_pct"],
               "csat_change_significant": z.abs() > 1.959964})
    );

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
                "csat_ci95": null, "avg_ci95": null,
                "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
                "sentiment": {"positive": 0, "neutral": 0, "negative": 0},
                "previous_period": {"count": 0, "avg_score": null, "csat_pct": null, "csat_change_significant": false},
                "response_rate": null})
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

/// Keywords (weighted log-odds, words and phrases): a term lands on the side where it is
/// significantly more frequent, on one list at most, with its z; checked against the
/// formula written out here for one term.
#[tokio::test]
async fn keywords_tell_low_reviews_from_high_ones() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut csv = String::from("name,email,score,review\n");
    for i in 0..30 {
        csv.push_str(&format!("L{i},l{i}@example.com,1,\"Slow delivery, rude staff\"\n"));
        csv.push_str(&format!("H{i},h{i}@example.com,5,\"Friendly staff, fast delivery\"\n"));
        csv.push_str(&format!("M{i},m{i}@example.com,3,Staff okay\n"));
    }
    upload(&admin, &csv, "").await.assert_ok(200);
    let reply = admin.get("/api/v1/analytics/keywords?limit=100").await;
    let data = reply.assert_ok(200).clone();
    let terms = |side: &str| -> Vec<String> {
        data[side].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap().to_string()).collect()
    };
    let (negative, positive) = (terms("negative"), terms("positive"));
    for term in ["slow", "rude", "slow delivery", "rude staff"] {
        assert!(negative.contains(&term.to_string()), "{term}: {negative:?}");
    }
    for term in ["friendly", "fast", "friendly staff", "fast delivery"] {
        assert!(positive.contains(&term.to_string()), "{term}: {positive:?}");
    }
    assert!(negative.iter().all(|t| !positive.contains(t)), "a term is on one list at most");
    assert!(
        !negative.contains(&"staff".to_string()) && !positive.contains(&"staff".to_string()),
        "staff is everywhere"
    );

    // "slow": 30 in low reviews, none elsewhere. Vocabulary: low reviews have 6 terms each
    // (slow, slow delivery, delivery, rude, rude staff, staff), high ones 6, middle ones 3.
    let (c_w, total, n_low, n_high) = (30.0_f64, 30.0 * 15.0, 30.0 * 6.0, 30.0 * 6.0);
    let delta = ((30.0 + c_w) / (n_low + total - 30.0 - c_w)).ln() - ((0.0 + c_w) / (n_high + total - 0.0 - c_w)).ln();
    let z = delta / (1.0 / (30.0 + c_w) + 1.0 / (0.0 + c_w)).sqrt();
    let slow = data["negative"].as_array().unwrap().iter().find(|t| t["term"] == "slow").unwrap().clone();
    assert_eq!(slow, json!({"term": "slow", "count": 30, "z": (z * 100.0).round() / 100.0}));
    let zs: Vec<f64> = data["negative"].as_array().unwrap().iter().map(|t| t["z"].as_f64().unwrap()).collect();
    assert!(zs.windows(2).all(|w| w[0] >= w[1]), "by |z|: {zs:?}");

    let only_high = admin.get("/api/v1/analytics/keywords?max_score=3&min_score=3").await;
    assert_eq!(only_high.data(), &json!({"negative": [], "positive": []}), "one band alone lists nothing");
}

/// Existing customers become one response each with no figure changed: the dataset written
/// into a first-release database (customers, and the daily counts that release kept),
/// served after every migration since, answers every analytics query as the same dataset
/// imported into a new database does.
#[tokio::test]
async fn a_first_release_database_gives_the_same_figures_after_the_migrations() {
    use pulse::{core::database, domain::sentiment, domain::text, migration::Migrator};
    use sea_orm::{ConnectionTrait, Value as SqlValue};
    use sea_orm_migration::MigratorTrait;

    let data = dataset(400);
    let app = spawn_app().await;
    let admin = app.admin().await;
    upload(&admin, &csv_of(&data), "").await.assert_ok(200);

    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let db = database::connect(&url).await.unwrap();
    Migrator::up(&db, Some(5)).await.unwrap();
    let hash = pulse::core::password::PasswordHasher::new().hash(&ADMIN_PASSWORD.to_string().into()).await.unwrap();
    let now = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "now()",
        _ => "'2025-01-01T00:00:00+00:00'",
    };
    db.execute_raw(database::stmt(
        &db,
        &format!(
            "INSERT INTO users (email, username, password_hash, role, is_active, is_verified, failed_attempts, \
             created_at, updated_at) VALUES ($1, $2, $3, 'admin', true, true, 0, {now}, {now})"
        ),
        [ADMIN_EMAIL.into(), ADMIN_USERNAME.into(), hash.into()],
    ))
    .await
    .unwrap();
    for (i, c) in data.iter().enumerate() {
        let (name, email) = (format!("Customer {i}"), format!("c{i}@example.com"));
        let values: [SqlValue; 7] = [
            text::search_key(&name, &email, c.review).into(),
            name.into(),
            email.into(),
            c.review.into(),
            c.score.into(),
            sentiment::score(c.review).into(),
            c.at.timestamp().into(),
        ];
        db.execute_raw(database::stmt(
            &db,
            "INSERT INTO customers (search, name, email, review, satisfaction_score, sentiment, feedback_at, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1)",
            values,
        ))
        .await
        .unwrap();
    }
    db.execute_unprepared(
        "INSERT INTO daily_stats (day, score, sentiment_class, count) \
         SELECT feedback_at / 86400, satisfaction_score, \
                CASE WHEN sentiment > 0.05 THEN 1 WHEN sentiment < -0.05 THEN -1 ELSE 0 END, COUNT(*) \
         FROM customers GROUP BY 1, 2, 3",
    )
    .await
    .unwrap();
    db.close().await.unwrap();

    let server = ServerProcess::start(&dir, &url);
    let token = server.admin_token().await;
    let client = reqwest::Client::new();
    for path in [
        "/api/v1/analytics/summary",
        "/api/v1/analytics/summary?q=delivery",
        "/api/v1/analytics/summary?from=2025-03-01&to=2025-05-31",
        "/api/v1/analytics/summary?from=2025-03-01T12:00:00Z&to=2025-05-31T12:00:00Z",
        "/api/v1/analytics/summary?min_score=2&max_score=4&sentiment=negative",
        "/api/v1/analytics/trends?granularity=month",
        "/api/v1/analytics/trends?granularity=week&from=2025-06-15&to=2025-09-10&min_score=4",
        "/api/v1/analytics/distribution",
        "/api/v1/analytics/keywords",
        "/api/v1/analytics/keywords?max_score=3&min_score=3",
    ] {
        let expected = admin.get(path).await.assert_ok(200).clone();
        let migrated = read(client.get(server.url(path)).bearer_auth(&token).send().await.unwrap()).await;
        assert_eq!(migrated.assert_ok(200), &expected, "{path}");
    }
}
