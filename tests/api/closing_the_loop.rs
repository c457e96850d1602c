//! Closing the loop: follow-ups with a recovery rate, alerts and the digest, signed webhooks
//! delivered to a real local receiver, and the audit log.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, extract::State, http::HeaderMap, routing::post};
use base64::Engine;
use hmac::Mac;
use reqwest::Method;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::{
    customers::{create, upload},
    helpers::*,
    responses::add_response,
    workspaces::{invite, join},
};

async fn send(session: &Session, method: Method, path: &str, body: Value) -> Reply {
    session.send(session.unsafe_request(method, path).json(&body)).await
}

async fn customer(session: &Session, email: &str, score: i64, date: &str) -> i64 {
    let body = json!({"name": "Ann", "email": email, "satisfaction_score": score, "feedback_at": date, "review": "Slow and rude"});
    create(session, body).await.assert_ok(201)["id"].as_i64().unwrap()
}

/// Follow-ups are opened batch by batch during an import: over several batches (2,000
/// rows each), every low response gets one, whether it made a new customer or was
/// appended to one that exists, and a re-import opens none twice.
#[tokio::test]
async fn an_import_opens_one_follow_up_per_low_response_in_every_batch() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    customer(&admin, "early@example.com", 5, "2026-01-01").await;
    let mut csv = String::from("name,email,satisfaction_score,feedback_at\n");
    for i in 0..4_500 {
        csv.push_str(&format!("C{i},c{i}@example.com,{},2026-02-01\n", i % 5 + 1));
    }
    csv.push_str("Early,early@example.com,1,2026-03-01\n");
    let report = upload(&admin, &csv, "?on_conflict=append").await;
    assert_eq!(report.assert_ok(200)["inserted"], 4_500);
    let open = |status: &'static str| {
        let admin = &admin;
        async move {
            let list = admin.get(&format!("/api/v1/workspaces/{wid}/follow-ups?status={status}&per_page=1")).await;
            list.assert_ok(200)["total"].as_i64().unwrap()
        }
    };
    // Scores 1 and 2 (the default low score) among 4,500 rows, plus the appended 1.
    assert_eq!(open("open").await, 1_800 + 1);
    upload(&admin, &csv, "?on_conflict=append").await.assert_ok(200);
    assert_eq!(open("open").await, 1_800 + 1, "a re-import adds no response and no follow-up");
}

#[tokio::test]
async fn a_low_score_opens_a_follow_up_that_members_work_and_close() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let ann = customer(&admin, "ann@example.com", 1, "2026-01-05").await;
    customer(&admin, "bob@example.com", 4, "2026-01-05").await;

    let list = admin.get(&format!("/api/v1/workspaces/{wid}/follow-ups?status=open")).await;
    let items = list.assert_ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "only the low score opens one");
    let f = &items[0];
    assert_eq!((f["customer"]["id"].as_i64(), f["satisfaction_score"].as_i64()), (Some(ann), Some(1)));
    assert_eq!(
        (f["status"].as_str(), f["recovered"].as_bool(), f["assignee"].is_null()),
        (Some("open"), Some(false), true)
    );
    let id = f["id"].as_i64().unwrap();
    let path = format!("/api/v1/workspaces/{wid}/follow-ups/{id}");

    let me = admin.get("/api/v1/users/me").await.assert_ok(200)["id"].as_i64().unwrap();
    let assigned = send(&admin, Method::PATCH, &path, json!({"assignee_id": me, "note": "Called her back."})).await;
    assert_eq!(assigned.assert_ok(200)["assignee"]["id"], me);
    let mine = admin.get(&format!("/api/v1/workspaces/{wid}/follow-ups?assignee=me")).await;
    assert_eq!(mine.assert_ok(200)["total"], 1);
    send(&admin, Method::PATCH, &path, json!({"assignee_id": 999_999})).await.assert_error(422, "validation_failed");
    send(&admin, Method::PATCH, &path, json!({"note": "x".repeat(2_001)})).await.assert_error(422, "validation_failed");
    send(&admin, Method::PATCH, &path, json!({"status": "done"})).await.assert_error(422, "validation_failed");

    let closed = send(&admin, Method::PATCH, &path, json!({"status": "closed"})).await;
    let c = closed.assert_ok(200);
    assert_eq!(
        (c["status"].as_str(), c["closed_at"].is_string(), c["note"].as_str()),
        (Some("closed"), true, Some("Called her back."))
    );
    let stats = admin.get(&format!("/api/v1/workspaces/{wid}/analytics/follow-ups")).await;
    let s = stats.assert_ok(200);
    assert_eq!((s["open"].as_i64(), s["closed"].as_i64()), (Some(0), Some(1)));
    assert!(s["median_hours_to_close"].is_number());
    assert!(s["recovery_rate_pct"].is_null(), "nobody responded again yet");

    // Ann comes back happy: her follow-up is recovered.
    add_response(&admin, ann, json!({"satisfaction_score": 5, "feedback_at": "2026-02-01"})).await.assert_ok(201);
    let f = admin.get(&format!("/api/v1/workspaces/{wid}/follow-ups")).await;
    assert_eq!(f.assert_ok(200)["items"][0]["recovered"], true);
    let s = admin.get(&format!("/api/v1/workspaces/{wid}/analytics/follow-ups")).await;
    assert_eq!(s.assert_ok(200)["recovery_rate_pct"], 100.0);
}

#[tokio::test]
async fn viewers_read_follow_ups_but_cannot_change_them() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    customer(&admin, "ann@example.com", 2, "2026-01-05").await;
    let token = invite(&app, &admin, wid, "vera@example.com", "viewer").await;
    let vera = join(&app, &token, "vera").await;
    let list = vera.get(&format!("/api/v1/workspaces/{wid}/follow-ups")).await;
    let id = list.assert_ok(200)["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/workspaces/{wid}/follow-ups/{id}");
    send(&vera, Method::PATCH, &path, json!({"status": "closed"})).await.assert_error(403, "forbidden");
    // A member may be assigned; the viewer's notification defaults are off, the admin's on.
    let mine = vera.get(&format!("/api/v1/workspaces/{wid}/notifications/me")).await;
    assert_eq!(mine.assert_ok(200), &json!({"low_score_email": false, "weekly_digest": false}));
    let theirs = admin.get(&format!("/api/v1/workspaces/{wid}/notifications/me")).await;
    assert_eq!(theirs.assert_ok(200), &json!({"low_score_email": true, "weekly_digest": true}));
    vera.get(&format!("/api/v1/workspaces/{wid}/audit")).await.assert_error(403, "forbidden");
    vera.get(&format!("/api/v1/workspaces/{wid}/webhooks")).await.assert_error(403, "forbidden");
}

#[tokio::test]
async fn a_low_score_mails_the_members_who_want_alerts_and_the_digest_can_be_previewed() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let admin_email = admin.get("/api/v1/users/me").await.assert_ok(200)["email"].as_str().unwrap().to_string();
    customer(&admin, "ann@example.com", 1, "2026-01-05").await;
    let alert = eventually("the low-score alert", async || {
        app.emails_to(&admin_email).into_iter().find(|e| e.contains("Low score in Default"))
    })
    .await;
    assert!(alert.contains("Slow and rude") && alert.contains("/follow-ups?id="), "{alert}");

    // Off: the next low score mails nobody.
    let off = json!({"low_score_email": false, "weekly_digest": true});
    send(&admin, Method::PUT, &format!("/api/v1/workspaces/{wid}/notifications/me"), off.clone()).await.assert_ok(200);
    assert_eq!(admin.get(&format!("/api/v1/workspaces/{wid}/notifications/me")).await.assert_ok(200), &off);
    customer(&admin, "bob@example.com", 1, "2026-01-06").await;
    app.jobs_settled().await;
    let alerts = app.emails_to(&admin_email).iter().filter(|e| e.contains("Low score in Default")).count();
    assert_eq!(alerts, 1);

    let preview =
        send(&admin, Method::POST, &format!("/api/v1/workspaces/{wid}/notifications/digest-preview"), json!({})).await;
    let p = preview.assert_ok(200);
    assert!(p["subject"].as_str().unwrap().starts_with("Your week in Default"), "{p}");
    assert!(p["text"].as_str().unwrap().contains("Open follow-ups: 2"), "{p}");
    assert!(p["html"].as_str().unwrap().contains("<!doctype html>"));
}

/// A local webhook receiver: answers each request with the next status of `plan` (then
/// 200) and records the headers and body it got.
#[derive(Clone, Default)]
struct Receiver {
    plan: Arc<Mutex<VecDeque<u16>>>,
    got: Arc<Mutex<Vec<(HeaderMap, String)>>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> axum::http::StatusCode {
    r.got.lock().unwrap().push((headers, body));
    let status = r.plan.lock().unwrap().pop_front().unwrap_or(200);
    axum::http::StatusCode::from_u16(status).unwrap()
}

async fn start_receiver(plan: &[u16]) -> (Receiver, String) {
    let receiver = Receiver::default();
    receiver.plan.lock().unwrap().extend(plan.iter().copied());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}/hook", listener.local_addr().unwrap().port());
    let app = Router::new().route("/hook", post(receive)).with_state(receiver.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (receiver, url)
}

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name).unwrap().to_str().unwrap().to_string()
}

#[tokio::test]
async fn webhooks_are_signed_and_retried_with_the_same_id() {
    let app =
        spawn_app_with(&[("WEBHOOK_ALLOW_PRIVATE", "true"), ("WEBHOOK_RETRY_SECONDS", "1,1")], Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let (receiver, url) = start_receiver(&[500]).await;
    let made = send(
        &admin,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/webhooks"),
        json!({"url": url, "events": ["response.created", "response.low_score"]}),
    )
    .await;
    let w = made.assert_ok(201).clone();
    let secret = w["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let hook = w["id"].as_i64().unwrap();
    let listed = admin.get(&format!("/api/v1/workspaces/{wid}/webhooks")).await;
    assert!(listed.assert_ok(200)["items"][0].get("secret").is_none(), "the secret is shown once");

    customer(&admin, "ann@example.com", 5, "2026-01-05").await;
    let got = eventually("the retry", async || {
        let got = receiver.got.lock().unwrap().clone();
        (got.len() >= 2).then_some(got)
    })
    .await;
    let (first, second) = (&got[0], &got[1]);
    assert_eq!(header(&first.0, "webhook-id"), header(&second.0, "webhook-id"), "a retry keeps its id");
    // The signature, checked as a receiver would: HMAC-SHA256 over "{id}.{timestamp}.{body}".
    for (headers, body) in [first, second] {
        let key = base64::engine::general_purpose::STANDARD.decode(secret.trim_start_matches("whsec_")).unwrap();
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(
            format!("{}.{}.{}", header(headers, "webhook-id"), header(headers, "webhook-timestamp"), body).as_bytes(),
        );
        let expected = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
        assert_eq!(header(headers, "webhook-signature"), expected);
        let event: Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["type"], "response.created");
        assert_eq!(event["data"]["customer"]["email"], "ann@example.com");
        assert_eq!(event["data"]["satisfaction_score"], 5);
    }
    let deliveries = eventually("the delivery log", async || {
        let d = admin.get(&format!("/api/v1/workspaces/{wid}/webhooks/{hook}/deliveries")).await;
        let first = d.assert_ok(200)["items"][0].clone();
        (first["status"] == "delivered").then_some(first)
    })
    .await;
    assert_eq!((deliveries["attempts"].as_i64(), deliveries["last_status_code"].as_i64()), (Some(2), Some(200)));

    // A 400 fails at once, without a retry.
    receiver.plan.lock().unwrap().push_back(400);
    customer(&admin, "bob@example.com", 1, "2026-01-05").await;
    let failed = eventually("a failed delivery", async || {
        let d = admin.get(&format!("/api/v1/workspaces/{wid}/webhooks/{hook}/deliveries")).await;
        d.assert_ok(200)["items"].as_array().unwrap().iter().find(|x| x["status"] == "failed").cloned()
    })
    .await;
    assert_eq!((failed["attempts"].as_i64(), failed["last_status_code"].as_i64()), (Some(1), Some(400)));

    // The test ping.
    let before = receiver.got.lock().unwrap().len();
    send(&admin, Method::POST, &format!("/api/v1/workspaces/{wid}/webhooks/{hook}/test"), json!({}))
        .await
        .assert_ok(202);
    let ping = eventually("the ping", async || {
        let got = receiver.got.lock().unwrap().clone();
        got.iter().skip(before).find(|(_, body)| body.contains("\"ping\"")).cloned()
    })
    .await;
    assert!(ping.1.contains("\"type\":\"ping\""));
}

#[tokio::test]
async fn webhooks_to_internal_addresses_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    for url in [
        "http://localhost:9/hook",
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest",
        "http://[::1]/",
        "ftp://example.com/",
    ] {
        let r = send(
            &admin,
            Method::POST,
            &format!("/api/v1/workspaces/{wid}/webhooks"),
            json!({"url": url, "events": ["response.created"]}),
        )
        .await;
        r.assert_error(422, "validation_failed");
        assert!(r.body["error"]["fields"]["url"].is_array(), "{url}: {}", r.body);
    }
    let bad_event = send(
        &admin,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/webhooks"),
        json!({"url": "https://93.184.216.34/hook", "events": ["customer.eaten"]}),
    )
    .await;
    bad_event.assert_error(422, "validation_failed");
    assert!(bad_event.body["error"]["fields"]["events"].is_array(), "{}", bad_event.body);
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_and_never_a_secret() {
    let app = spawn_app_with(&[("WEBHOOK_ALLOW_PRIVATE", "true")], Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let id = customer(&admin, "ann@example.com", 4, "2026-01-05").await;
    send(&admin, Method::DELETE, &format!("/api/v1/customers/{id}"), json!(null)).await.assert_ok(200);
    send(
        &admin,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/webhooks"),
        json!({"url": "http://127.0.0.1:9/hook", "events": ["response.created"]}),
    )
    .await
    .assert_ok(201);
    let key = send(
        &admin,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/api-keys"),
        json!({"name": "ci", "scopes": ["read"]}),
    )
    .await;
    let key = key.assert_ok(201)["key"].as_str().unwrap().to_string();
    send(
        &admin,
        Method::PATCH,
        &format!("/api/v1/workspaces/{wid}"),
        json!({"settings": {"public_form_enabled": true}}),
    )
    .await
    .assert_ok(200);

    let log = admin.get(&format!("/api/v1/workspaces/{wid}/audit")).await;
    let items = log.assert_ok(200)["items"].as_array().unwrap().clone();
    let actions: Vec<&str> = items.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["workspace.updated", "api_key.created", "webhook.created", "customer.deleted"]);
    let deleted = &items[3];
    assert_eq!(
        (deleted["actor"]["type"].as_str(), deleted["target"]["type"].as_str()),
        (Some("user"), Some("customer"))
    );
    assert_eq!(deleted["target"]["name"], "ann@example.com");
    assert_eq!(deleted["ip"], "127.0.0.1");
    let text = log.body.to_string();
    assert!(!text.contains("whsec_") && !text.contains(&key), "no secret in the audit log");

    let filtered = admin.get(&format!("/api/v1/workspaces/{wid}/audit?action=customer.deleted")).await;
    assert_eq!(filtered.assert_ok(200)["total"], 1);
    let later = admin.get(&format!("/api/v1/workspaces/{wid}/audit?from=2999-01-01")).await;
    assert_eq!(later.assert_ok(200)["total"], 0);
}

async fn admin_request(server: &ServerProcess, token: &str, method: Method, path: &str, body: Value) -> Value {
    let client = reqwest::Client::new();
    let reply = client.request(method, server.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    reply.json().await.unwrap()
}

async fn import_on(server: &ServerProcess, token: &str, n: usize, score: i64) {
    let csv: String = std::iter::once("name,email,score".to_string())
        .chain((0..n).map(|i| format!("C{i},c{i}@example.com,{score}")))
        .collect::<Vec<_>>()
        .join("\n");
    let reply: Value = reqwest::Client::new()
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
    assert_eq!(reply["data"]["inserted"], n, "{reply}");
}

/// The `webhook-id`s received, each with how many times it came.
fn ids_received(receiver: &Receiver) -> std::collections::HashMap<String, usize> {
    let mut counts = std::collections::HashMap::new();
    for (headers, _) in receiver.got.lock().unwrap().iter() {
        *counts.entry(header(headers, "webhook-id")).or_insert(0) += 1;
    }
    counts
}

/// Two instances on one database deliver each event exactly once: a delivery is a job,
/// and a job is claimed by one worker (FOR UPDATE SKIP LOCKED on PostgreSQL).
#[tokio::test]
async fn two_instances_deliver_each_webhook_event_once() {
    const EVENTS: usize = 200;
    let (receiver, url) = start_receiver(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url(&dir).await;
    let vars = [("WEBHOOK_ALLOW_PRIVATE", "true")];
    let first = ServerProcess::start_with(&dir, &db, &vars);
    let second = ServerProcess::start_with(&dir, &db, &vars);
    let token = first.admin_token().await;
    let me = admin_request(&first, &token, Method::GET, "/api/v1/users/me", json!(null)).await;
    let wid = me["data"]["default_workspace_id"].as_i64().unwrap();
    let made = admin_request(
        &second,
        &token,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/webhooks"),
        json!({"url": url, "events": ["response.created"]}),
    )
    .await;
    assert!(made["data"]["secret"].is_string(), "{made}");
    import_on(&first, &token, EVENTS, 4).await;
    let counts = eventually("every event", async || {
        let counts = ids_received(&receiver);
        (counts.len() == EVENTS).then_some(counts)
    })
    .await;
    jobs_settled(&Database::connect(&db).await.unwrap()).await;
    assert_eq!(ids_received(&receiver), counts, "nothing came twice later");
    assert!(counts.values().all(|n| *n == 1), "an event was delivered twice");
    drop((first, second));
}

/// Retries survive a restart: a delivery answered 500 before a kill -9 is retried by the
/// restarted server with the same `webhook-id`, and delivered once.
#[tokio::test]
async fn webhook_retries_survive_a_restart() {
    let (receiver, url) = start_receiver(&[500, 500, 500]).await;
    let dir = tempfile::tempdir().unwrap();
    let db = fresh_database_url(&dir).await;
    let vars = [("WEBHOOK_ALLOW_PRIVATE", "true"), ("WEBHOOK_RETRY_SECONDS", "3,1,1"), ("JOB_LEASE_SECONDS", "2")];
    let server = ServerProcess::start_with(&dir, &db, &vars);
    let token = server.admin_token().await;
    let me = admin_request(&server, &token, Method::GET, "/api/v1/users/me", json!(null)).await;
    let wid = me["data"]["default_workspace_id"].as_i64().unwrap();
    admin_request(
        &server,
        &token,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/webhooks"),
        json!({"url": url, "events": ["response.created"]}),
    )
    .await;
    import_on(&server, &token, 3, 5).await;
    eventually("the first attempts", async || (receiver.got.lock().unwrap().len() >= 3).then_some(())).await;
    server.kill();
    let _server = ServerProcess::start_with(&dir, &db, &vars);
    let counts = eventually("the retries after the restart", async || {
        let counts = ids_received(&receiver);
        (counts.len() == 3 && counts.values().all(|n| *n == 2)).then_some(counts)
    })
    .await;
    jobs_settled(&Database::connect(&db).await.unwrap()).await;
    assert_eq!(ids_received(&receiver), counts, "each delivered once after its retry");
}

/// The alert and the weekly digest go out over SMTP: the digest when its schedule is due,
/// taken by one instance (here made due by hand instead of waiting for a Monday).
#[tokio::test]
async fn alerts_and_the_weekly_digest_go_out_over_smtp() {
    let (port, mut inbox) = smtp_listener().await;
    let app = spawn_app_with(&[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))], Router::new()).await;
    let admin = app.admin().await;
    customer(&admin, "ann@example.com", 1, &chrono::Utc::now().format("%Y-%m-%d").to_string()).await;
    let mut next = async |what: &str| {
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let m = inbox.recv().await.unwrap();
                if m.contains(what) {
                    return m;
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no email with {what}"))
    };
    let alert = next("Subject: Low score in Default").await;
    assert!(alert.contains("Slow and rude"), "{alert}");

    let db = &app.state.db;
    let queue = || pulse::services::notifications::queue_due_digests(&app.state);
    assert!(!queue().await.unwrap(), "not due before next Monday 08:00 UTC");
    db.execute_unprepared("UPDATE schedules SET next_run_at = 0").await.unwrap();
    assert!(queue().await.unwrap(), "due: this instance takes the run");
    assert!(!queue().await.unwrap(), "taken: the next look (or instance) finds nothing due");
    let digest = next("Subject: Your week in Default").await;
    assert!(digest.contains("Responses: 1") && digest.contains("Open follow-ups: 1"), "{digest}");
}

/// At connect time too: a webhook whose name resolves to 127.0.0.1 (as after DNS
/// rebinding; here written straight into the database, past the check at creation) is
/// refused as a failed attempt, and nothing reaches the receiver.
#[tokio::test]
async fn a_webhook_that_resolves_to_loopback_is_refused_when_it_connects() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_id(&admin).await;
    let (receiver, url) = start_receiver(&[]).await;
    let made = send(
        &admin,
        Method::POST,
        &format!("/api/v1/workspaces/{wid}/webhooks"),
        json!({"url": "https://93.184.216.34/hook", "events": ["response.created"]}),
    )
    .await;
    let hook = made.assert_ok(201)["id"].as_i64().unwrap();
    let rebound = url.replace("127.0.0.1", "localhost");
    app.state.db.execute_unprepared(&format!("UPDATE webhooks SET url = '{rebound}' WHERE id = {hook}")).await.unwrap();
    customer(&admin, "ann@example.com", 5, "2026-01-05").await;
    let failed = eventually("the refused attempt", async || {
        let d = admin.get(&format!("/api/v1/workspaces/{wid}/webhooks/{hook}/deliveries")).await;
        let first = d.assert_ok(200)["items"][0].clone();
        (first["status"] == "failed").then_some(first)
    })
    .await;
    assert!(failed["last_error"].as_str().unwrap().contains("no public address"), "{failed}");
    assert_eq!(failed["attempts"], 1, "refused for good, not retried");
    assert!(receiver.got.lock().unwrap().is_empty(), "nothing reached the receiver");
}
