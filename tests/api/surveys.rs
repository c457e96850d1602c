//! Surveys by email (queued as durable jobs), the answer page, unsubscribing, the
//! reminder, the public form and the public routes' limits.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::{customers::create, helpers::*};

async fn customer(session: &Session, name: &str, email: &str, score: i64) -> i64 {
    let body = json!({"name": name, "email": email, "satisfaction_score": score});
    create(session, body).await.assert_ok(201)["id"].as_i64().unwrap()
}

async fn send_survey(session: &Session, wid: i64, body: Value) -> Reply {
    session.send(session.unsafe_request(Method::POST, &format!("/api/v1/workspaces/{wid}/surveys")).json(&body)).await
}

/// The survey token in the newest survey email to `to`.
async fn survey_token(app: &TestApp, to: &str) -> String {
    eventually("the survey email", async || app.emails_to(to).iter().rev().find_map(|e| token_after(e, "/r/"))).await
}

fn token_after(text: &str, marker: &str) -> Option<String> {
    let start = text.find(&format!("http://pulse.test{marker}"))? + "http://pulse.test".len() + marker.len();
    Some(text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
}

fn public_post(app: &TestApp, path: &str, body: Value) -> reqwest::RequestBuilder {
    app.request(Method::POST, path).json(&body)
}

#[tokio::test]
async fn a_survey_mails_each_customer_and_the_answer_becomes_a_response() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 2).await;
    let bob = customer(&admin, "Bob", "bob@example.com", 3).await;

    let queued = send_survey(&admin, wid, json!({"customer_ids": [ann, bob], "message": "Thanks for visiting!"})).await;
    let q = queued.assert_ok(202);
    assert_eq!(
        [&q["queued"], &q["skipped_recent"], &q["skipped_unsubscribed"]].map(|v| v.as_i64().unwrap()),
        [2, 0, 0]
    );
    let survey_id = q["survey_id"].as_i64().unwrap();
    let token = survey_token(&app, "ann@example.com").await;
    let email = app.emails_to("ann@example.com").pop().unwrap();
    assert!(email.contains("Subject: How was your experience with Default?"), "{email}");
    for score in 1..=5 {
        assert!(email.contains(&format!("http://pulse.test/r/{token}?score={score}")), "score link {score}");
    }
    assert!(email.contains(&format!("http://pulse.test/unsubscribe/{token}")));
    assert!(email.contains(&format!("List-Unsubscribe: <http://pulse.test/api/v1/public/unsubscribe/{token}>")));
    assert!(email.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(email.contains("Thanks for visiting!") && email.contains("text/html"));
    let progress = eventually("both sent", async || {
        let s = admin.get(&format!("/api/v1/workspaces/{wid}/surveys/{survey_id}")).await;
        let s = s.assert_ok(200).clone();
        (s["sent"] == 2).then_some(s)
    })
    .await;
    assert_eq!((progress["queued"].as_i64(), progress["answered"].as_i64()), (Some(2), Some(0)));
    assert_eq!(progress["created_by"]["username"], ADMIN_USERNAME);
    assert_eq!(progress["message"], "Thanks for visiting!");

    // Opening the page (as a mail scanner does) records nothing.
    for _ in 0..3 {
        let page = app.get(&format!("/api/v1/public/surveys/{token}")).await;
        let p = page.assert_ok(200);
        assert_eq!((p["workspace"]["name"].as_str(), p["customer"]["name"].as_str()), (Some("Default"), Some("Ann")));
        assert_eq!((p["answered"].as_bool(), p["satisfaction_score"].is_null()), (Some(false), true));
    }
    assert_eq!(admin.get("/api/v1/analytics/summary").await.assert_ok(200)["count"], 2);

    let answer = app
        .send(public_post(
            &app,
            &format!("/api/v1/public/surveys/{token}"),
            json!({"satisfaction_score": 5, "review": "Lovely staff"}),
        ))
        .await;
    assert_eq!(answer.assert_ok(201)["satisfaction_score"], 5);
    assert!(answer.header("set-cookie").is_none(), "public routes never set cookies");
    let c = admin.get(&format!("/api/v1/customers/{ann}")).await;
    assert_eq!((c.data()["satisfaction_score"].as_i64(), c.data()["response_count"].as_i64()), (Some(5), Some(2)));
    let history = admin.get(&format!("/api/v1/customers/{ann}/responses")).await;
    assert_eq!(history.assert_ok(200)["items"][0]["source"], "survey");

    // Within the edit window a second answer replaces the first.
    let edit =
        app.send(public_post(&app, &format!("/api/v1/public/surveys/{token}"), json!({"satisfaction_score": 4}))).await;
    assert_eq!(edit.assert_ok(200)["satisfaction_score"], 4);
    let page = app.get(&format!("/api/v1/public/surveys/{token}")).await;
    assert_eq!((page.data()["answered"].as_bool(), page.data()["satisfaction_score"].as_i64()), (Some(true), Some(4)));
    let c = admin.get(&format!("/api/v1/customers/{ann}")).await;
    assert_eq!(c.data()["response_count"], 2, "the edit added no response");

    let s = admin.get(&format!("/api/v1/workspaces/{wid}/surveys")).await;
    assert_eq!(s.assert_ok(200)["items"][0]["answered"], 1);
    let rate = admin.get("/api/v1/analytics/summary").await;
    assert_eq!(rate.assert_ok(200)["response_rate"], json!({"sent": 2, "answered": 1, "pct": 50.0}));
    let before = admin.get("/api/v1/analytics/summary?from=2000-01-01&to=2000-01-31").await;
    assert!(before.assert_ok(200)["response_rate"].is_null(), "nothing was sent then");

    app.get("/api/v1/public/surveys/not-a-token").await.assert_error(404, "not_found");
    let unknown =
        app.send(public_post(&app, "/api/v1/public/surveys/not-a-token", json!({"satisfaction_score": 5}))).await;
    unknown.assert_error(404, "not_found");
    let bad =
        app.send(public_post(&app, &format!("/api/v1/public/surveys/{token}"), json!({"satisfaction_score": 7}))).await;
    bad.assert_error(422, "validation_failed");
}

#[tokio::test]
async fn after_the_edit_window_an_answer_is_final() {
    let app = spawn_app_with(&[("SURVEY_EDIT_SECONDS", "0")], axum::Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 2).await;
    send_survey(&admin, wid, json!({"customer_ids": [ann]})).await.assert_ok(202);
    let token = survey_token(&app, "ann@example.com").await;
    let path = format!("/api/v1/public/surveys/{token}");
    app.send(public_post(&app, &path, json!({"satisfaction_score": 3}))).await.assert_ok(201);
    tokio::time::sleep(Duration::from_millis(5)).await;
    app.send(public_post(&app, &path, json!({"satisfaction_score": 5}))).await.assert_error(409, "already_answered");
}

#[tokio::test]
async fn the_cooldown_and_unsubscribes_are_respected() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 2).await;
    let bob = customer(&admin, "Bob", "bob@example.com", 4).await;
    send_survey(&admin, wid, json!({"customer_ids": [ann]})).await.assert_ok(202);
    let token = survey_token(&app, "ann@example.com").await;

    let again = send_survey(&admin, wid, json!({"filter": {}})).await;
    let a = again.assert_ok(202);
    assert_eq!([&a["queued"], &a["skipped_recent"]].map(|v| v.as_i64().unwrap()), [1, 1], "Ann was asked just now");

    // One-click unsubscribe, as a mail client posts it; twice is fine.
    for _ in 0..2 {
        app.send(app.request(Method::POST, &format!("/api/v1/public/unsubscribe/{token}"))).await.assert_ok(200);
    }
    let c = admin.get(&format!("/api/v1/customers/{ann}")).await;
    assert_eq!(c.data()["unsubscribed"], true);
    let third = send_survey(&admin, wid, json!({"customer_ids": [ann, bob]})).await;
    let t = third.assert_ok(202);
    assert_eq!(
        [&t["queued"], &t["skipped_recent"], &t["skipped_unsubscribed"]].map(|v| v.as_i64().unwrap()),
        [0, 1, 1],
        "an unsubscribed customer is never counted as recent"
    );
    app.send(app.request(Method::POST, "/api/v1/public/unsubscribe/nope")).await.assert_error(404, "not_found");
}

#[tokio::test]
async fn a_survey_names_its_customers_exactly_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 2).await;
    let other = app.verified_user("other").await;
    let theirs = customer(&other, "Zed", "zed@example.com", 1).await;

    let foreign = send_survey(&admin, wid, json!({"customer_ids": [ann, theirs]})).await;
    foreign.assert_error(422, "validation_failed");
    assert!(foreign.body["error"]["fields"]["customer_ids"].is_array());
    send_survey(&admin, wid, json!({"customer_ids": [ann], "filter": {}})).await.assert_error(422, "validation_failed");
    send_survey(&admin, wid, json!({})).await.assert_error(422, "validation_failed");
    let long = send_survey(&admin, wid, json!({"customer_ids": [ann], "message": "x".repeat(1001)})).await;
    long.assert_error(422, "validation_failed");
    let filtered = send_survey(&admin, wid, json!({"filter": {"max_score": 1}})).await;
    assert_eq!(filtered.assert_ok(202)["queued"], 0, "no customer of this workspace scores 1");
    // Viewers and strangers cannot send.
    send_survey(&other, wid, json!({"customer_ids": [ann]})).await.assert_error(404, "not_found");
    other.get(&format!("/api/v1/workspaces/{wid}/surveys")).await.assert_error(404, "not_found");
}

#[tokio::test]
async fn one_reminder_goes_to_those_who_did_not_answer() {
    let app = spawn_app_with(&[("SURVEY_REMINDER_SECONDS", "1")], axum::Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 2).await;
    let bob = customer(&admin, "Bob", "bob@example.com", 3).await;
    let queued = send_survey(&admin, wid, json!({"customer_ids": [ann, bob]})).await;
    let survey_id = queued.assert_ok(202)["survey_id"].as_i64().unwrap();
    let token = survey_token(&app, "ann@example.com").await;
    app.send(public_post(&app, &format!("/api/v1/public/surveys/{token}"), json!({"satisfaction_score": 5})))
        .await
        .assert_ok(201);

    let reminder = eventually("Bob's reminder", async || {
        let emails = app.emails_to("bob@example.com");
        (emails.len() == 2).then(|| emails[1].clone())
    })
    .await;
    assert!(reminder.contains("A quick reminder"), "{reminder}");
    let first = token_after(&app.emails_to("bob@example.com")[0], "/r/").unwrap();
    assert_eq!(token_after(&reminder, "/r/").unwrap(), first, "the reminder carries the same links");
    // Give Ann's reminder every chance to (wrongly) go out, then check it did not.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(app.emails_to("ann@example.com").len(), 1, "no reminder after an answer");
    assert_eq!(app.emails_to("bob@example.com").len(), 2, "one reminder only");
    let s = admin.get(&format!("/api/v1/workspaces/{wid}/surveys/{survey_id}")).await;
    assert_eq!(s.assert_ok(200)["sent"], 2, "reminders do not count as sent");
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.lines().any(|l| l == "jobs_pending 0"), "every job is done:\n{metrics}");
}

#[tokio::test]
async fn the_public_form_is_off_by_default_and_stores_answers_once_on() {
    let app = spawn_app_with(&[("FORM_RATE_LIMIT_PER_HOUR", "3")], axum::Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    app.get("/api/v1/public/forms/default").await.assert_error(404, "not_found");
    let answer = json!({"name": "Fay", "email": "fay@example.com", "satisfaction_score": 4, "review": "Nice"});
    app.send(public_post(&app, "/api/v1/public/forms/default", answer.clone())).await.assert_error(404, "not_found");

    admin
        .send(admin.unsafe_request(Method::PATCH, &format!("/api/v1/workspaces/{wid}")).json(&json!({
            "settings": {"public_form_enabled": true}
        })))
        .await
        .assert_ok(200);
    let form = app.get("/api/v1/public/forms/default").await;
    assert_eq!(form.assert_ok(200)["workspace"]["name"], "Default");
    app.send(public_post(&app, "/api/v1/public/forms/default", answer.clone())).await.assert_ok(201);
    let again = json!({"name": "Fay", "email": "FAY@example.com", "satisfaction_score": 2});
    app.send(public_post(&app, "/api/v1/public/forms/default", again)).await.assert_ok(201);
    let list = admin.get("/api/v1/customers").await;
    let fay = &list.assert_ok(200)["items"][0];
    assert_eq!((fay["response_count"].as_i64(), fay["satisfaction_score"].as_i64()), (Some(2), Some(2)), "{fay}");
    let history = admin.get(&format!("/api/v1/customers/{}/responses", fay["id"])).await;
    assert_eq!(history.assert_ok(200)["items"][0]["source"], "form");

    // The honeypot: the same answer, nothing stored.
    let bot = json!({"name": "Bot", "email": "bot@example.com", "satisfaction_score": 5, "website": "http://spam"});
    app.send(public_post(&app, "/api/v1/public/forms/default", bot)).await.assert_ok(201);
    assert_eq!(admin.get("/api/v1/customers").await.assert_ok(200)["total"], 1);

    let limited = app.send(public_post(&app, "/api/v1/public/forms/default", answer)).await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
}

#[tokio::test]
async fn public_routes_are_limited_per_ip() {
    let app = spawn_app_with(&[("PUBLIC_RATE_LIMIT_PER_MINUTE", "3")], axum::Router::new()).await;
    for _ in 0..3 {
        app.get("/api/v1/public/surveys/unknown").await.assert_error(404, "not_found");
    }
    app.get("/api/v1/public/surveys/unknown").await.assert_error(429, "rate_limited");
}

#[tokio::test]
async fn survey_emails_go_out_over_smtp_in_the_workspaces_name() {
    let (port, mut inbox) = smtp_listener().await;
    let app = spawn_app_with(&[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))], axum::Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 2).await;
    send_survey(&admin, wid, json!({"customer_ids": [ann]})).await.assert_ok(202);
    let message = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            // The low score also mails the admin an alert: wait for the survey itself.
            let m = inbox.recv().await.unwrap();
            if m.contains("Subject: How was your experience") {
                return m;
            }
        }
    })
    .await
    .expect("the survey email reaches the SMTP server");
    assert!(message.contains("From: Default <"), "{message}");
    assert!(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
}

/// A server process with an SMTP sink, the seeded admin's token, and `n` customers in its
/// default workspace; returns the workspace's id.
async fn customers_on(server: &ServerProcess, token: &str, n: usize) -> i64 {
    let client = reqwest::Client::new();
    let csv: String = std::iter::once("name,email,score".to_string())
        .chain((0..n).map(|i| format!("C{i},c{i}@example.com,3")))
        .collect::<Vec<_>>()
        .join("\n");
    let import: Value = client
        .post(server.url("/api/v1/customers/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(import["data"]["inserted"], n);
    let me: Value =
        client.get(server.url("/api/v1/users/me")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    me["data"]["default_workspace_id"].as_i64().unwrap()
}

async fn survey_everyone(server: &ServerProcess, token: &str, wid: i64) -> Value {
    reqwest::Client::new()
        .post(server.url(&format!("/api/v1/workspaces/{wid}/surveys")))
        .bearer_auth(token)
        .json(&json!({"filter": {}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Reads the sink until `want` messages arrived (or nothing came for 5 s), then a little
/// longer for any repeat; counts the messages per recipient.
async fn emails_per_recipient(
    inbox: &mut tokio::sync::mpsc::UnboundedReceiver<String>,
    mut received: Vec<String>,
    want: usize,
) -> std::collections::HashMap<String, usize> {
    while received.len() < want {
        match tokio::time::timeout(Duration::from_secs(10), inbox.recv()).await {
            Ok(Some(m)) => received.push(m),
            _ => break,
        }
    }
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(2), inbox.recv()).await {
        received.push(m);
    }
    let mut per_recipient = std::collections::HashMap::<String, usize>::new();
    for m in &received {
        let to = m.lines().find_map(|l| l.strip_prefix("To: ")).expect("a To header").trim().to_string();
        *per_recipient.entry(to).or_default() += 1;
    }
    per_recipient
}

/// kill -9 while 500 survey emails go out over SMTP, restart: every customer ends up
/// with exactly one email, except at most the few in flight at the kill.
#[tokio::test]
async fn survey_emails_survive_a_kill_and_go_out_once() {
    const CUSTOMERS: usize = 500;
    let (port, mut inbox) = smtp_listener().await;
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let smtp = format!("smtp://127.0.0.1:{port}");
    let vars = [("SMTP_URL", smtp.as_str()), ("JOB_LEASE_SECONDS", "2"), ("MAIL_OUTBOX_DIR", "")];
    let server = ServerProcess::start_with(&dir, &url, &vars);
    let token = server.admin_token().await;
    let wid = customers_on(&server, &token, CUSTOMERS).await;
    assert_eq!(survey_everyone(&server, &token, wid).await["data"]["queued"], CUSTOMERS);

    // Kill once some, not all, have gone out.
    let mut received: Vec<String> = Vec::new();
    while received.len() < 50 {
        received.push(tokio::time::timeout(Duration::from_secs(20), inbox.recv()).await.unwrap().unwrap());
    }
    server.kill();
    let before_restart = received.len();
    let _server = ServerProcess::start_with(&dir, &url, &vars);
    let per_customer = emails_per_recipient(&mut inbox, received, CUSTOMERS).await;
    assert_eq!(per_customer.len(), CUSTOMERS, "every customer got an email ({before_restart} before the kill)");
    let repeats: usize = per_customer.values().map(|n| n - 1).sum();
    assert!(repeats <= 16, "only emails in flight at the kill may repeat: {repeats}");
}

/// Two instances on one database: each survey email goes out exactly once.
#[tokio::test]
async fn two_instances_send_each_survey_email_once() {
    const CUSTOMERS: usize = 300;
    let (port, mut inbox) = smtp_listener().await;
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let smtp = format!("smtp://127.0.0.1:{port}");
    let vars = [("SMTP_URL", smtp.as_str()), ("MAIL_OUTBOX_DIR", "")];
    let first = ServerProcess::start_with(&dir, &url, &vars);
    let second = ServerProcess::start_with(&dir, &url, &vars);
    let token = first.admin_token().await;
    let wid = customers_on(&first, &token, CUSTOMERS).await;
    assert_eq!(survey_everyone(&second, &token, wid).await["data"]["queued"], CUSTOMERS);
    let per_customer = emails_per_recipient(&mut inbox, Vec::new(), CUSTOMERS).await;
    assert_eq!(per_customer.len(), CUSTOMERS);
    assert!(per_customer.values().all(|n| *n == 1), "an email went out twice");
}

/// A `write` API key sends surveys; a `read` key lists them but cannot send.
#[tokio::test]
async fn api_keys_send_and_read_surveys_within_their_scope() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "Ann", "ann@example.com", 3).await;
    let key = |scopes: Value| {
        let admin = &admin;
        async move {
            let made = admin
                .send(
                    admin
                        .unsafe_request(Method::POST, &format!("/api/v1/workspaces/{wid}/api-keys"))
                        .json(&json!({"name": "crm", "scopes": scopes})),
                )
                .await;
            made.assert_ok(201)["key"].as_str().unwrap().to_string()
        }
    };
    let (writer, reader) = (key(json!(["write"])).await, key(json!(["read"])).await);
    let path = format!("/api/v1/workspaces/{wid}/surveys");
    let sent =
        app.send(app.request(Method::POST, &path).bearer_auth(&writer).json(&json!({"customer_ids": [ann]}))).await;
    let survey_id = sent.assert_ok(202)["survey_id"].as_i64().unwrap();
    let read = app.send(app.request(Method::GET, &format!("{path}/{survey_id}")).bearer_auth(&reader)).await;
    assert!(read.assert_ok(200)["created_by"].is_null(), "sent by a key, not an account");
    let refused = app.send(app.request(Method::POST, &path).bearer_auth(&reader).json(&json!({"filter": {}}))).await;
    refused.assert_error(403, "forbidden");
}
