//! The foundation: envelope and error mapping, health, OpenAPI, headers, CORS, UI serving,
//! admin seed, graceful shutdown.

use std::time::Duration;

use axum::{Router, routing::get, routing::post};
use pulse::{api::extractors::Json, services::state::AppState};
use reqwest::{Method, header};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::*;

fn test_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/test/panic",
            get(|| async {
                if true {
                    panic!("boom at /secret/path.rs");
                }
                "unreachable"
            }),
        )
        .route("/test/echo", post(|Json(v): Json<Value>| async move { axum::Json(v) }))
        .route(
            "/test/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(400)).await;
                "done"
            }),
        )
}

#[tokio::test]
async fn health_live_and_ready_answer_in_the_envelope() {
    let app = spawn_app().await;
    let live = app.get("/health/live").await;
    assert_eq!(live.assert_ok(200), &json!({"status": "ok"}));
    assert_eq!(live.body, json!({"ok": true, "data": {"status": "ok"}}));
    let ready = app.get("/health/ready").await;
    assert_eq!(ready.assert_ok(200), &json!({"status": "ok"}));
    println!("health checked on {}", backend_name());
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_answer_in_the_envelope() {
    let app = spawn_app().await;
    app.get("/api/v1/does-not-exist").await.assert_error(404, "not_found");
    app.get("/health/nope").await.assert_error(404, "not_found");
    app.get("/api").await.assert_error(404, "not_found");
    let wrong_method = app.send(app.request(Method::DELETE, "/health/live")).await;
    wrong_method.assert_error(405, "method_not_allowed");
}

#[tokio::test]
async fn malformed_input_maps_to_contract_codes() {
    let app = spawn_app_with(&[], test_routes()).await;
    let url = app.url("/test/echo");

    let ok = app.post_json("/test/echo", &json!({"a": 1})).await;
    assert_eq!(ok.status, 200);

    let malformed = app.send(app.client.post(&url).header("content-type", "application/json").body("{not json")).await;
    malformed.assert_error(400, "bad_request");

    let no_type = app.send(app.client.post(&url).body("{}")).await;
    no_type.assert_error(415, "unsupported_media_type");

    let huge = format!("{{\"a\": \"{}\"}}", "x".repeat(pulse::JSON_BODY_LIMIT + 10));
    let too_large = app.send(app.client.post(&url).header("content-type", "application/json").body(huge)).await;
    too_large.assert_error(413, "payload_too_large");
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_keeps_serving() {
    let app = spawn_app_with(&[], test_routes()).await;
    let reply = app.get("/test/panic").await;
    reply.assert_error(500, "internal");
    let text = reply.body.to_string();
    assert!(!text.contains("boom") && !text.contains("/secret/"), "no internals leak: {text}");
    app.get("/health/live").await.assert_ok(200);
}

#[tokio::test]
async fn openapi_document_is_valid_openapi_3_and_swagger_ui_is_served_offline() {
    let app = spawn_app().await;
    let doc = app.get("/api/openapi.json").await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc.body["info"]["title"], "Pulse API");
    assert!(doc.body["paths"]["/health/live"]["get"].is_object());

    let ui = app.send(app.client.get(app.url("/api/docs/"))).await;
    assert_eq!(ui.status, 200);
    let html = app.client.get(app.url("/api/docs/")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("swagger"), "Swagger UI page");
    let initializer = app.client.get(app.url("/api/docs/swagger-initializer.js")).send().await.unwrap();
    assert_eq!(initializer.status(), 200);
    assert!(initializer.text().await.unwrap().contains("/api/openapi.json"));
}

#[tokio::test]
async fn production_hides_docs_and_sends_hsts() {
    let strong = "p".repeat(48);
    let app = spawn_app_with(&[("APP_ENV", "production"), ("JWT_SECRET", &strong)], Router::new()).await;
    app.get("/api/openapi.json").await.assert_error(404, "not_found");
    let live = app.get("/health/live").await;
    assert_eq!(live.header("strict-transport-security"), Some("max-age=31536000; includeSubDomains"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/health/live", "/api/v1/nope", "/", "/api/openapi.json"] {
        let reply = app.get(path).await;
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        assert!(reply.header("referrer-policy").is_some(), "{path}");
        assert!(reply.header("content-security-policy").unwrap().contains("frame-ancestors 'none'"), "{path}");
        assert!(reply.header("strict-transport-security").is_none(), "no HSTS in development");
        assert!(reply.header("x-request-id").is_some_and(|id| id.len() == 26), "{path}");
    }
}

#[tokio::test]
async fn cors_allows_only_the_configured_origin() {
    let app = spawn_app_with(&[("CORS_ORIGIN", "http://ui.test:5173")], Router::new()).await;
    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/health/live")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "x-csrf-token, content-type")
    };
    let allowed = app.send(preflight("http://ui.test:5173")).await;
    assert_eq!(allowed.header("access-control-allow-origin"), Some("http://ui.test:5173"));
    assert_eq!(allowed.header("access-control-allow-credentials"), Some("true"));
    assert!(allowed.header("access-control-allow-headers").unwrap().contains("x-csrf-token"));
    assert!(allowed.header("vary").unwrap().contains("origin"));

    for evil in ["https://evil.test", "null"] {
        let denied = app.send(preflight(evil)).await;
        let acao = denied.header("access-control-allow-origin");
        assert!(acao != Some(evil) && acao != Some("*"), "{evil} got {acao:?}");
    }
}

#[tokio::test]
async fn the_web_ui_is_served_with_client_routes_falling_back_to_index() {
    let app = spawn_app().await;
    let web = app.dir.path().join("web");
    std::fs::create_dir_all(web.join("assets")).unwrap();
    std::fs::write(web.join("index.html"), "<!doctype html><title>Pulse UI</title>").unwrap();
    std::fs::write(web.join("assets/app-1234.js"), "console.log(1)").unwrap();

    for path in ["/", "/customers", "/verify-email?token=abc"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.text().await.unwrap().contains("Pulse UI"), "{path}");
    }
    let asset = app.client.get(app.url("/assets/app-1234.js")).send().await.unwrap();
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    assert_eq!(asset.text().await.unwrap(), "console.log(1)");
    app.get("/api/v1/customers-typo").await.assert_error(404, "not_found");
}

#[tokio::test]
async fn start_up_migrates_and_seeds_the_verified_admin() {
    let app = spawn_app().await;
    let db = &app.state.db;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT username, email, role, is_verified, is_active, password_hash FROM users",
        ))
        .await
        .unwrap()
        .expect("one user");
    assert_eq!(row.try_get::<String>("", "username").unwrap(), ADMIN_USERNAME);
    assert_eq!(row.try_get::<String>("", "email").unwrap(), ADMIN_EMAIL);
    assert_eq!(row.try_get::<String>("", "role").unwrap(), "admin");
    assert!(row.try_get::<bool>("", "is_verified").unwrap());
    assert!(row.try_get::<bool>("", "is_active").unwrap());
    assert!(row.try_get::<String>("", "password_hash").unwrap().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));

    // A second start over the same database neither fails nor seeds twice.
    let dir = tempfile::tempdir().unwrap();
    let settings = pulse::core::config::Settings::from_vars(test_vars(&dir, &app.database_url)).unwrap();
    pulse::Application::build(settings).await.expect("second start");
    let count = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) AS n FROM users"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(count.try_get::<i64>("", "n").unwrap(), 1);
}

#[tokio::test]
async fn graceful_shutdown_lets_in_flight_requests_finish() {
    let mut app = spawn_app_with(&[], test_routes()).await;
    let slow = tokio::spawn(app.client.get(app.url("/test/slow")).send());
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.shutdown().await.expect("server stopped cleanly");
    let response = slow.await.unwrap().expect("the in-flight request was answered");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "done");
    assert!(app.client.get(app.url("/health/live")).send().await.is_err(), "no longer listening");
}

/// PostgreSQL only: the database goes away under a running server and comes back.
#[tokio::test]
async fn readiness_follows_the_database_without_a_restart() {
    let Ok(base) = std::env::var("TEST_DATABASE_URL") else {
        println!("SKIPPED readiness_follows_the_database: needs TEST_DATABASE_URL (PostgreSQL)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let real_url = fresh_database_url(&dir).await;
    let real = url::Url::parse(&real_url).unwrap();
    let proxy = TcpProxy::start(&format!("{}:{}", real.host_str().unwrap(), real.port().unwrap_or(5432))).await;
    let mut via_proxy = real.clone();
    via_proxy.set_host(Some("127.0.0.1")).unwrap();
    via_proxy.set_port(Some(proxy.port)).unwrap();
    let _ = base;

    let app = spawn_app_with(&[("DATABASE_URL", via_proxy.as_str())], Router::new()).await;
    app.get("/health/ready").await.assert_ok(200);

    proxy.set_up(false);
    let down = app.get("/health/ready").await;
    down.assert_error(503, "unavailable");
    app.get("/health/live").await.assert_ok(200);

    proxy.set_up(true);
    let mut ready = app.get("/health/ready").await;
    for _ in 0..20 {
        if ready.status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        ready = app.get("/health/ready").await;
    }
    ready.assert_ok(200);
}

/// A TCP forwarder that can cut every connection and refuse new ones, standing in for a
/// database that goes down.
struct TcpProxy {
    port: u16,
    up: tokio::sync::watch::Sender<bool>,
}

impl TcpProxy {
    async fn start(target: &str) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (up, watch) = tokio::sync::watch::channel(true);
        let target = target.to_string();
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else { return };
                if !*watch.borrow() {
                    continue; // dropped: the connection is refused
                }
                let target = target.clone();
                let mut watch = watch.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await else { return };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = watch.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Self { port, up }
    }

    fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }
}

#[tokio::test]
async fn metrics_count_requests_and_auth_failures() {
    let app = spawn_app().await;
    app.get("/health/live").await.assert_ok(200);
    app.get("/api/v1/users/me").await.assert_error(401, "unauthorized");
    app.post_json("/api/v1/auth/login", &json!({"login": "nobody-here", "password": "wrong-password"}))
        .await
        .assert_error(401, "invalid_credentials");
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    for needle in [
        "http_requests_total{method=\"GET\",route=\"/health/live\",status=\"200\"}",
        "http_request_duration_seconds_bucket{method=\"GET\",route=\"/health/live\"",
        "http_responses_unauthorized_total",
        "auth_login_failures_total",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[tokio::test]
async fn production_metrics_need_the_metrics_token() {
    let strong = "p".repeat(48);
    let hidden = spawn_app_with(&[("APP_ENV", "production"), ("JWT_SECRET", &strong)], Router::new()).await;
    hidden.get("/metrics").await.assert_error(404, "not_found");
    let guarded = spawn_app_with(
        &[("APP_ENV", "production"), ("JWT_SECRET", &strong), ("METRICS_TOKEN", "scrape-token-123")],
        Router::new(),
    )
    .await;
    guarded.get("/metrics").await.assert_error(401, "unauthorized");
    let wrong = guarded.send(guarded.client.get(guarded.url("/metrics")).bearer_auth("nope")).await;
    wrong.assert_error(401, "unauthorized");
    let ok = guarded.client.get(guarded.url("/metrics")).bearer_auth("scrape-token-123").send().await.unwrap();
    assert_eq!(ok.status(), 200);
}
