//! A customer's feedback history — responses added, corrected and deleted, the
//! customer showing its latest, analytics counting every response, and `append` imports.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    customers::{create, upload},
    helpers::*,
};

pub async fn add_response(session: &Session, customer_id: i64, body: Value) -> Reply {
    session
        .send(session.unsafe_request(Method::POST, &format!("/api/v1/customers/{customer_id}/responses")).json(&body))
        .await
}

async fn patch_response(session: &Session, id: i64, body: Value) -> Reply {
    session.send(session.unsafe_request(Method::PATCH, &format!("/api/v1/responses/{id}")).json(&body)).await
}

async fn delete_response(session: &Session, id: i64) -> Reply {
    session.send(session.unsafe_request(Method::DELETE, &format!("/api/v1/responses/{id}"))).await
}

async fn customer(session: &Session, id: i64) -> Value {
    session.get(&format!("/api/v1/customers/{id}")).await.assert_ok(200).clone()
}

async fn responses_of(session: &Session, id: i64) -> Vec<Value> {
    let reply = session.get(&format!("/api/v1/customers/{id}/responses")).await;
    reply.assert_ok(200)["items"].as_array().unwrap().clone()
}

async fn count(session: &Session, query: &str) -> i64 {
    session.get(&format!("/api/v1/analytics/summary{query}")).await.assert_ok(200)["count"].as_i64().unwrap()
}

async fn new_customer(session: &Session, email: &str, score: i64, date: &str) -> i64 {
    let body =
        json!({"name": "Ann", "email": email, "satisfaction_score": score, "feedback_at": date, "review": "first"});
    create(session, body).await.assert_ok(201)["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_new_response_becomes_the_customers_latest_and_counts_in_analytics() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = new_customer(&admin, "ann@example.com", 5, "2026-01-10").await;
    let first = customer(&admin, id).await;
    assert_eq!((first["response_count"].as_i64(), first["unsubscribed"].as_bool()), (Some(1), Some(false)));

    let added = add_response(
        &admin,
        id,
        json!({"satisfaction_score": 1, "review": "Rude and slow.", "feedback_at": "2026-02-01"}),
    )
    .await;
    let r = added.assert_ok(201);
    assert_eq!((r["customer_id"].as_i64(), r["source"].as_str()), (Some(id), Some("manual")));
    assert!(r["sentiment"].as_f64().unwrap() < -0.05, "{r}");
    let c = customer(&admin, id).await;
    assert_eq!(c["satisfaction_score"], 1);
    assert_eq!(c["review"], "Rude and slow.");
    assert_eq!(c["feedback_at"], "2026-02-01T00:00:00Z");
    assert_eq!(c["response_count"], 2);

    // An older response joins the history without becoming the latest.
    add_response(&admin, id, json!({"satisfaction_score": 3, "feedback_at": "2025-12-01"})).await.assert_ok(201);
    assert_eq!(customer(&admin, id).await["satisfaction_score"], 1);
    let history: Vec<String> =
        responses_of(&admin, id).await.iter().map(|r| r["feedback_at"].as_str().unwrap().to_string()).collect();
    assert_eq!(history, ["2026-02-01T00:00:00Z", "2026-01-10T00:00:00Z", "2025-12-01T00:00:00Z"]);

    assert_eq!(count(&admin, "").await, 3, "analytics count every response");
    assert_eq!(count(&admin, "?q=rude").await, 1, "q matches that response's review");
    assert_eq!(count(&admin, "?q=ann").await, 3, "q matches the customer's name on every response");
    let list = admin.get("/api/v1/customers?min_score=4").await;
    assert_eq!(list.assert_ok(200)["total"], 0, "the list filters on the latest response");
}

#[tokio::test]
async fn responses_are_corrected_and_deleted_but_never_the_only_one() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = new_customer(&admin, "bob@example.com", 2, "2026-01-10").await;
    let only = responses_of(&admin, id).await[0]["id"].as_i64().unwrap();
    delete_response(&admin, only).await.assert_error(409, "conflict");

    let later = add_response(&admin, id, json!({"satisfaction_score": 4, "feedback_at": "2026-03-01"})).await;
    let later = later.assert_ok(201)["id"].as_i64().unwrap();
    let fixed = patch_response(&admin, later, json!({"satisfaction_score": 5, "review": "Lovely now"})).await;
    assert_eq!(fixed.assert_ok(200)["satisfaction_score"], 5);
    assert_eq!(customer(&admin, id).await["review"], "Lovely now");
    patch_response(&admin, later, json!({"satisfaction_score": 9})).await.assert_error(422, "validation_failed");
    // Moving it before the first makes the first the latest again.
    patch_response(&admin, later, json!({"feedback_at": "2025-01-01"})).await.assert_ok(200);
    assert_eq!(customer(&admin, id).await["satisfaction_score"], 2);

    delete_response(&admin, later).await.assert_ok(200);
    let c = customer(&admin, id).await;
    assert_eq!((c["response_count"].as_i64(), c["satisfaction_score"].as_i64()), (Some(1), Some(2)));
    assert_eq!(count(&admin, "").await, 1);
    delete_response(&admin, later).await.assert_error(404, "not_found");
    patch_response(&admin, 999_999, json!({"satisfaction_score": 3})).await.assert_error(404, "not_found");
}

#[tokio::test]
async fn patching_a_customer_corrects_its_latest_response_and_adds_none() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = new_customer(&admin, "cy@example.com", 2, "2026-01-10").await;
    let patched = admin
        .send(admin.unsafe_request(Method::PATCH, &format!("/api/v1/customers/{id}")).json(&json!({
            "satisfaction_score": 5, "name": "Cy Young"
        })))
        .await;
    assert_eq!(patched.assert_ok(200)["response_count"], 1);
    let history = responses_of(&admin, id).await;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["satisfaction_score"], 5);
    assert_eq!(count(&admin, "?min_score=5").await, 1);
    assert_eq!(count(&admin, "?q=young").await, 1, "a rename reaches the responses' search");
}

#[tokio::test]
async fn another_workspaces_responses_answer_404() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = new_customer(&admin, "dee@example.com", 4, "2026-01-10").await;
    let response = responses_of(&admin, id).await[0]["id"].as_i64().unwrap();
    let stranger = app.verified_user("stranger").await;
    stranger.get(&format!("/api/v1/customers/{id}/responses")).await.assert_error(404, "not_found");
    add_response(&stranger, id, json!({"satisfaction_score": 1})).await.assert_error(404, "not_found");
    patch_response(&stranger, response, json!({"satisfaction_score": 1})).await.assert_error(404, "not_found");
    delete_response(&stranger, response).await.assert_error(404, "not_found");
}

const HISTORY: &str = "name,email,score,review,feedback_at\n\
    Ann,ann@example.com,5,Great,2026-01-01\n\
    Ann,ann@example.com,2,Slow this time,2026-02-01\n\
    Bob,bob@example.com,4,,2026-01-15\n";

#[tokio::test]
async fn an_append_import_adds_history_and_reimporting_it_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let ann = new_customer(&admin, "ann@example.com", 3, "2025-12-01").await;

    let report = upload(&admin, HISTORY, "?on_conflict=append").await;
    let r = report.assert_ok(200);
    assert_eq!(
        [&r["inserted"], &r["updated"], &r["appended"], &r["skipped"], &r["invalid"]].map(|v| v.as_i64().unwrap()),
        [1, 0, 2, 0, 0],
        "{r}"
    );
    let c = customer(&admin, ann).await;
    assert_eq!((c["response_count"].as_i64(), c["satisfaction_score"].as_i64()), (Some(3), Some(2)), "{c}");
    assert_eq!(responses_of(&admin, ann).await[0]["source"], "import");
    assert_eq!(count(&admin, "").await, 4);

    let again = upload(&admin, HISTORY, "?on_conflict=append").await;
    let r = again.assert_ok(200);
    assert_eq!(
        [&r["inserted"], &r["appended"], &r["skipped"]].map(|v| v.as_i64().unwrap()),
        [0, 0, 3],
        "a file imported twice adds nothing: {r}"
    );
    assert_eq!(count(&admin, "").await, 4);
}

#[tokio::test]
async fn an_append_import_of_new_emails_inserts_each_customer_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "name,email,score,feedback_at\nEve,eve@example.com,1,2026-01-01\nEve,eve@example.com,5,2026-03-01\n\
               Eve,eve@example.com,5,2026-03-01\nEve,eve@example.com,3,2026-02-01\n";
    let r = upload(&admin, csv, "?on_conflict=append").await;
    let r = r.assert_ok(200);
    assert_eq!(
        [&r["total_rows"], &r["inserted"], &r["appended"], &r["skipped"]].map(|v| v.as_i64().unwrap()),
        [4, 1, 2, 1],
        "the repeated row is skipped: {r}"
    );
    let list = admin.get("/api/v1/customers").await;
    let eve = &list.assert_ok(200)["items"][0];
    assert_eq!((eve["response_count"].as_i64(), eve["satisfaction_score"].as_i64()), (Some(3), Some(5)), "{eve}");
    assert_eq!(eve["feedback_at"], "2026-03-01T00:00:00Z");
}

#[tokio::test]
async fn an_update_import_corrects_the_latest_response() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let ann = new_customer(&admin, "ann@example.com", 3, "2025-12-01").await;
    add_response(&admin, ann, json!({"satisfaction_score": 4, "feedback_at": "2026-01-01"})).await.assert_ok(201);
    let r = upload(&admin, "name,email,score,feedback_at\nAnn B,ann@example.com,1,2026-01-05\n", "?on_conflict=update")
        .await;
    assert_eq!(r.assert_ok(200)["updated"], 1);
    let c = customer(&admin, ann).await;
    assert_eq!(
        (c["name"].as_str(), c["response_count"].as_i64(), c["satisfaction_score"].as_i64()),
        (Some("Ann B"), Some(2), Some(1))
    );
    assert_eq!(count(&admin, "?max_score=1").await, 1);
    assert_eq!(count(&admin, "").await, 2);
}
