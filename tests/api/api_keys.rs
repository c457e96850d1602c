//! API keys (docs/API.md, "API keys"): scopes × routes, workspace isolation, revocation, expiry and the
//! per-key rate limit.

use axum::Router;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

async fn as_user(session: &Session, method: Method, path: &str, body: Option<Value>) -> Reply {
    let mut request = session.request(method, path).bearer_auth(&session.access_token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    session.send(request).await
}

async fn as_key(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Reply {
    let mut request = reqwest::Client::new().request(method, app.url(path)).bearer_auth(key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    read(request.send().await.unwrap()).await
}

async fn workspace_of(session: &Session) -> i64 {
    as_user(session, Method::GET, "/api/v1/users/me", None).await.data()["default_workspace_id"].as_i64().unwrap()
}

async fn new_key(admin: &Session, wid: i64, scopes: &[&str]) -> (i64, String) {
    let body = json!({"name": format!("{} script", scopes.join("+")), "scopes": scopes});
    let reply = as_user(admin, Method::POST, &format!("/api/v1/workspaces/{wid}/api-keys"), Some(body)).await;
    let data = reply.assert_ok(201);
    (data["id"].as_i64().unwrap(), data["key"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn keys_are_shown_once_and_listed_by_prefix() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_of(&admin).await;
    let (id, key) = new_key(&admin, wid, &["read"]).await;
    assert!(key.starts_with("pk_") && key.len() > 40, "{key}");
    let list = as_user(&admin, Method::GET, &format!("/api/v1/workspaces/{wid}/api-keys"), None).await;
    let items = list.assert_ok(200)["items"].clone();
    assert_eq!(items[0]["id"], id);
    assert_eq!(items[0]["prefix"], key[..12]);
    assert_eq!(items[0]["scopes"], json!(["read"]));
    assert_eq!(items[0]["created_by"]["username"], ADMIN_USERNAME);
    assert!(!list.body.to_string().contains(&key), "the key is never listed");
    let bad = json!({"name": "x", "scopes": ["admin"]});
    as_user(&admin, Method::POST, &format!("/api/v1/workspaces/{wid}/api-keys"), Some(bad))
        .await
        .assert_error(422, "validation_failed");
    let past = json!({"name": "x", "scopes": ["read"], "expires_at": "2020-01-01T00:00:00Z"});
    as_user(&admin, Method::POST, &format!("/api/v1/workspaces/{wid}/api-keys"), Some(past))
        .await
        .assert_error(422, "validation_failed");
}

#[tokio::test]
async fn scopes_decide_reads_and_writes_and_keys_reach_nothing_else() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_of(&admin).await;
    let other = app.verified_user("otherco").await;
    let other_wid = workspace_of(&other).await;
    let (_, read_key) = new_key(&admin, wid, &["read"]).await;
    let (_, write) = new_key(&admin, wid, &["write"]).await;
    let customer = json!({"name": "Ann", "email": "ann@example.com", "satisfaction_score": 4});
    let base = format!("/api/v1/workspaces/{wid}");

    // (method, path, body, status with the read key, status with the write key)
    let table: Vec<(Method, String, Option<Value>, u16, u16)> = vec![
        (Method::POST, format!("{base}/customers"), Some(customer), 403, 201),
        (Method::GET, format!("{base}/customers"), None, 200, 200),
        (Method::GET, format!("{base}/customers/export"), None, 200, 200),
        (Method::GET, format!("{base}/analytics/summary"), None, 200, 200),
        (Method::GET, format!("{base}/analytics/trends"), None, 200, 200),
        (Method::GET, format!("/api/v1/workspaces/{other_wid}/customers"), None, 404, 404),
        (Method::GET, "/api/v1/customers".to_string(), None, 401, 401),
        (Method::GET, "/api/v1/analytics/summary".to_string(), None, 401, 401),
        (Method::GET, "/api/v1/users/me".to_string(), None, 401, 401),
        (Method::GET, "/api/v1/auth/sessions".to_string(), None, 401, 401),
        (Method::GET, "/api/v1/workspaces".to_string(), None, 401, 401),
        (Method::GET, base.clone(), None, 401, 401),
        (Method::GET, format!("{base}/members"), None, 401, 401),
        (Method::GET, format!("{base}/invitations"), None, 401, 401),
        (Method::GET, format!("{base}/api-keys"), None, 401, 401),
        (Method::POST, format!("{base}/api-keys"), Some(json!({"name": "k", "scopes": ["write"]})), 401, 401),
        (Method::GET, "/api/v1/users".to_string(), None, 401, 401),
    ];
    for (method, path, body, with_read, with_write) in table {
        for (key, want) in [(&read_key, with_read), (&write, with_write)] {
            let reply = as_key(&app, key, method.clone(), &path, body.clone()).await;
            assert_eq!(reply.status.as_u16(), want, "{method} {path}: {}", reply.body);
        }
    }
    let import = reqwest::Client::new()
        .post(app.url(&format!("{base}/customers/import")))
        .bearer_auth(&write)
        .header("content-type", "text/csv")
        .body("name,email,score\nBo,bo@example.com,5\n");
    assert_eq!(read(import.send().await.unwrap()).await.assert_ok(200)["inserted"], 1);
}

#[tokio::test]
async fn a_revoked_or_expired_key_is_refused_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let wid = workspace_of(&admin).await;
    let (id, key) = new_key(&admin, wid, &["read"]).await;
    let path = format!("/api/v1/workspaces/{wid}/customers");
    as_key(&app, &key, Method::GET, &path, None).await.assert_ok(200);
    as_user(&admin, Method::DELETE, &format!("/api/v1/workspaces/{wid}/api-keys/{id}"), None).await.assert_ok(200);
    as_key(&app, &key, Method::GET, &path, None).await.assert_error(401, "unauthorized");
    let list = as_user(&admin, Method::GET, &format!("/api/v1/workspaces/{wid}/api-keys"), None).await;
    assert_eq!(list.assert_ok(200)["items"], json!([]), "a revoked key is no longer listed");

    let soon = (chrono::Utc::now() + chrono::Duration::seconds(1)).to_rfc3339();
    let body = json!({"name": "short-lived", "scopes": ["read"], "expires_at": soon});
    let created = as_user(&admin, Method::POST, &format!("/api/v1/workspaces/{wid}/api-keys"), Some(body)).await;
    let short = created.assert_ok(201)["key"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    as_key(&app, &short, Method::GET, &path, None).await.assert_error(401, "unauthorized");
    as_key(&app, "pk_unknown", Method::GET, &path, None).await.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn each_key_has_its_own_rate_limit() {
    let app = spawn_app_with(&[("API_KEY_RATE_LIMIT_PER_MINUTE", "3")], Router::new()).await;
    let admin = app.admin().await;
    let wid = workspace_of(&admin).await;
    let (_, first) = new_key(&admin, wid, &["read"]).await;
    let (_, second) = new_key(&admin, wid, &["read"]).await;
    let path = format!("/api/v1/workspaces/{wid}/analytics/summary");
    for _ in 0..3 {
        as_key(&app, &first, Method::GET, &path, None).await.assert_ok(200);
    }
    let limited = as_key(&app, &first, Method::GET, &path, None).await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    as_key(&app, &second, Method::GET, &path, None).await.assert_ok(200);
}

#[tokio::test]
async fn only_admins_manage_keys() {
    let app = spawn_app().await;
    let owner = app.verified_user("keyowner").await;
    let wid = workspace_of(&owner).await;
    let body = json!({"email": "keyviewer@example.com", "role": "member"});
    as_user(&owner, Method::POST, &format!("/api/v1/workspaces/{wid}/invitations"), Some(body)).await.assert_ok(201);
    let token = app.wait_for_token("keyviewer@example.com", "invite").await;
    let signup = json!({"username": "keyviewer", "email": "keyviewer@example.com", "password": USER_PASSWORD, "invitation_token": token});
    app.post_json("/api/v1/auth/signup", &signup).await.assert_ok(201);
    let member = app.login("keyviewer", USER_PASSWORD).await;
    let create = json!({"name": "mine", "scopes": ["read"]});
    as_user(&member, Method::POST, &format!("/api/v1/workspaces/{wid}/api-keys"), Some(create))
        .await
        .assert_error(403, "forbidden");
    as_user(&member, Method::GET, &format!("/api/v1/workspaces/{wid}/api-keys"), None)
        .await
        .assert_error(403, "forbidden");
}
