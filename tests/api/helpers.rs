//! `spawn_app()`: the real application on port 0 with a fresh database — a temp SQLite
//! file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set (STYLE.md §11).

use std::{collections::HashMap, sync::OnceLock};

use axum::Router;
use pulse::{
    Application,
    core::{config::Settings, state::AppState, telemetry},
};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const ADMIN_USERNAME: &str = "admin1224";
pub const ADMIN_EMAIL: &str = "admin1224@hotmail.com";
pub const ADMIN_PASSWORD: &str = "Admin@1224";

pub struct TestApp {
    pub base: String,
    /// A client with a cookie store, like a browser.
    pub client: reqwest::Client,
    pub state: AppState,
    pub dir: TempDir,
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    pub server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A response read whole: status, headers and the JSON body (Null if none).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// Asserts the error envelope: status, code, and a request id equal to the header.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["ok"], false, "body: {}", self.body);
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        assert!(self.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        let id = self.header("x-request-id").expect("X-Request-Id header");
        assert_eq!(self.body["error"]["request_id"], id);
    }

    /// Asserts a success envelope with this status and returns `data`.
    #[track_caller]
    pub fn assert_ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["ok"], true, "body: {}", self.body);
        assert!(self.header("x-request-id").is_some());
        self.data()
    }
}

pub fn backend_name() -> &'static str {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) { "postgres" } else { "sqlite" }
}

/// A fresh database URL for one test.
pub async fn fresh_database_url(dir: &TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|v| !v.is_empty()) {
        None => format!("sqlite://{}", dir.path().join("pulse.db").display()),
        Some(base) => {
            let name = format!("pulse_test_{}", ulid::Ulid::new().to_string().to_lowercase());
            let admin = Database::connect(&base).await.expect("TEST_DATABASE_URL must be reachable");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            admin.close().await.ok();
            let mut url = url::Url::parse(&base).expect("TEST_DATABASE_URL is a URL");
            url.set_path(&name);
            url.to_string()
        }
    }
}

pub fn test_vars(dir: &TempDir, database_url: &str) -> HashMap<String, String> {
    let path = |p: &str| dir.path().join(p).display().to_string();
    [
        ("DATABASE_URL", database_url.to_string()),
        ("BIND_ADDR", "127.0.0.1:0".into()),
        ("JWT_SECRET", "test-secret-that-is-long-enough-for-hs256-0123456789".into()),
        ("MAIL_OUTBOX_DIR", path("outbox")),
        ("WEB_DIR", path("web")),
        ("DATA_DIR", path("data")),
        ("PUBLIC_URL", "http://pulse.test".into()),
        ("AUTH_RATE_LIMIT_PER_MINUTE", "0".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[], Router::new()).await
}

/// Spawns with extra settings (overriding the test defaults) and extra routes.
pub async fn spawn_app_with(overrides: &[(&str, &str)], extra: Router<AppState>) -> TestApp {
    static LOGS: OnceLock<()> = OnceLock::new();
    LOGS.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            telemetry::init(pulse::core::config::LogFormat::Pretty);
        }
    });
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(&dir).await;
    let mut vars = test_vars(&dir, &database_url);
    for (k, v) in overrides {
        vars.insert(k.to_string(), v.to_string());
    }
    let settings = Settings::from_vars(vars).expect("test settings are valid");
    let app = Application::build_with_routes(settings, extra).await.expect("the app builds");
    let address = app.local_addr();
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel();
    let server = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        base: format!("http://{address}"),
        client: reqwest::Client::builder().cookie_store(true).build().unwrap(),
        state,
        dir,
        database_url,
        shutdown: Some(tx),
        server: Some(server),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends with this app's cookie-keeping client and reads the reply whole.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        read(request.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// Stops accepting connections; in-flight requests finish first.
    pub async fn shutdown(&mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.server.take() {
            Some(handle) => handle.await.expect("server task"),
            None => Ok(()),
        }
    }
}

pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body read");
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
    Reply { status, headers, body }
}
