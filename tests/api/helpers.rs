//! `spawn_app()`: the real application on port 0 with a fresh database — a temp SQLite
//! file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set: tests never share one.

use pulse::services::state::AppState;
use std::{
    collections::HashMap,
    sync::{Arc, OnceLock},
    time::Duration,
};

use axum::Router;
use pulse::{
    Application,
    core::{config::Settings, telemetry},
};
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use tempfile::TempDir;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::{mpsc, oneshot},
};

/// The development admin that every test app seeds.
pub use pulse::core::config::{
    DEFAULT_ADMIN_EMAIL as ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD as ADMIN_PASSWORD,
    DEFAULT_ADMIN_USERNAME as ADMIN_USERNAME,
};

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
        ("ENCRYPTION_KEY", "5f".repeat(32)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Asserts SQLite's `PRAGMA integrity_check` answers `ok`.
pub async fn assert_sqlite_sound(db: &impl ConnectionTrait) {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA integrity_check"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "ok");
}

/// The `pulse` binary with the test settings, run in the test's folder.
pub fn pulse(dir: &TempDir, database_url: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pulse"));
    cmd.current_dir(dir.path()).env_clear().envs(test_vars(dir, database_url)).env("LOG_FORMAT", "json");
    cmd
}

/// `pulse serve` as a child process, for what only a real process shows: signals, kill -9.
pub struct ServerProcess {
    child: Option<std::process::Child>,
    pub base: String,
}

impl ServerProcess {
    pub fn start(dir: &TempDir, database_url: &str) -> Self {
        Self::start_with(dir, database_url, &[])
    }

    /// Starts with extra settings, overriding the test defaults.
    pub fn start_with(dir: &TempDir, database_url: &str, vars: &[(&str, &str)]) -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = pulse(dir, database_url)
            .envs(vars.iter().copied())
            .arg("serve")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("pulse serve starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|line| {
                let event = serde_json::from_str::<Value>(&line).ok()?;
                (event["message"] == "Pulse is listening").then(|| event["address"].as_str().map(str::to_string))?
            })
            .expect("the server logged its address");
        // Keep reading the log so a full pipe never blocks the server.
        std::thread::spawn(move || lines.for_each(drop));
        Self { child: Some(child), base: format!("http://{address}") }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn terminate(&self) {
        let pid = self.child.as_ref().unwrap().id().to_string();
        let status = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success());
    }

    /// SIGKILL: no shutdown code runs.
    pub fn kill(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }

    pub async fn wait(mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap()
    }

    /// Logs in as the seeded admin and returns the bearer token.
    pub async fn admin_token(&self) -> String {
        let reply: Value = reqwest::Client::new()
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"login": ADMIN_USERNAME, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        reply["data"]["access_token"].as_str().expect("admin login").to_string()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[], Router::new()).await
}

/// Spawns with extra settings (overriding the test defaults) and extra routes.
pub async fn spawn_app_with(overrides: &[(&str, &str)], extra: Router<AppState>) -> TestApp {
    static LOGS: OnceLock<()> = OnceLock::new();
    LOGS.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            telemetry::init(pulse::core::config::LogFormat::Pretty, false);
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
        client: browser().0,
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

/// A client with its own cookie jar: one browser.
pub fn browser() -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    (reqwest::Client::builder().cookie_provider(jar.clone()).build().unwrap(), jar)
}

pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body read");
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::Null) };
    Reply { status, headers, body }
}

/// One browser (cookie jar) talking to the app.
pub struct Session {
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    pub base: String,
    pub access_token: String,
}

impl Session {
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url: reqwest::Url = format!("{}/api/v1/auth/refresh", self.base).parse().unwrap();
        let header = reqwest::cookie::CookieStore::cookies(&*self.jar, &url)?;
        header.to_str().ok()?.split("; ").find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// An unsafe request the way the web UI sends it: cookies plus the CSRF header.
    pub fn unsafe_request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.request(method, path).header("x-csrf-token", self.cookie("csrf_token").unwrap_or_default())
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        read(request.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(Method::GET, path)).await
    }

    pub async fn refresh(&self) -> Reply {
        self.send(self.unsafe_request(Method::POST, "/api/v1/auth/refresh")).await
    }

    /// `GET /users/me` with the bearer token only (no cookies).
    pub async fn me_bearer(&self, token: &str) -> Reply {
        read(
            reqwest::Client::new()
                .get(format!("{}/api/v1/users/me", self.base))
                .bearer_auth(token)
                .send()
                .await
                .unwrap(),
        )
        .await
    }
}

impl TestApp {
    pub async fn signup(&self, username: &str, email: &str, password: &str) -> Reply {
        let body = serde_json::json!({"username": username, "email": email, "password": password});
        self.post_json("/api/v1/auth/signup", &body).await
    }

    /// Logs in from a fresh browser and checks the answer was 200.
    pub async fn login(&self, login: &str, password: &str) -> Session {
        let (client, jar) = browser();
        let reply = read(
            client
                .post(self.url("/api/v1/auth/login"))
                .json(&serde_json::json!({"login": login, "password": password}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        let data = reply.assert_ok(200);
        Session {
            client,
            jar,
            base: self.base.clone(),
            access_token: data["access_token"].as_str().unwrap().to_string(),
        }
    }

    pub async fn try_login(&self, login: &str, password: &str) -> Reply {
        read(
            reqwest::Client::new()
                .post(self.url("/api/v1/auth/login"))
                .json(&serde_json::json!({"login": login, "password": password}))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn admin(&self) -> Session {
        self.login(ADMIN_USERNAME, ADMIN_PASSWORD).await
    }

    /// Signs up, follows the emailed link, logs in.
    pub async fn verified_user(&self, username: &str) -> Session {
        let email = format!("{username}@example.com");
        self.signup(username, &email, USER_PASSWORD).await.assert_ok(201);
        let token = self.wait_for_token(&email, "verify-email").await;
        self.post_json("/api/v1/auth/verify-email", &serde_json::json!({"token": token})).await.assert_ok(200);
        self.login(username, USER_PASSWORD).await
    }

    /// Emails written to the outbox for `to`, decoded, oldest first.
    pub fn emails_to(&self, to: &str) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("outbox")) else { return vec![] };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        files
            .into_iter()
            .map(|path| decode_email(&std::fs::read_to_string(path).unwrap()))
            .filter(|text| text.contains(&format!("To: {to}")))
            .collect()
    }

    /// The token of the newest `page` link (`verify-email`, `reset-password`) sent to `to`,
    /// once the background mail work of earlier requests has finished.
    pub async fn wait_for_token(&self, to: &str, page: &str) -> String {
        self.settle().await;
        self.emails_to(to)
            .iter()
            .rev()
            .find_map(|text| token_in(text, page))
            .unwrap_or_else(|| panic!("no {page} email reached {to}"))
    }

    /// Waits for the background work (emails) of every request answered so far.
    pub async fn settle(&self) {
        tokio::time::timeout(Duration::from_secs(10), self.state.settle()).await.expect("background work finishes");
    }

    /// See `jobs_settled`.
    pub async fn jobs_settled(&self) {
        jobs_settled(&self.state.db).await;
    }
}

/// Waits until every background job due by now has run to its end (done, or failed for
/// good); jobs queued for later (reminders, retries) do not count. What a due job would do
/// has then been done, so a test can check that something did not happen.
pub async fn jobs_settled(db: &impl ConnectionTrait) {
    eventually("the due background jobs to finish", async || {
        let now = chrono::Utc::now().timestamp_millis();
        let sql = format!("SELECT COUNT(*) FROM jobs WHERE failed_at IS NULL AND run_at <= {now}");
        let row = db.query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql)).await.unwrap();
        (row.unwrap().try_get_by_index::<i64>(0).unwrap() == 0).then_some(())
    })
    .await;
}

pub const USER_PASSWORD: &str = "violet-harbor-9137";

/// Undoes quoted-printable soft breaks and escapes, enough to read links.
pub fn decode_email(raw: &str) -> String {
    raw.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
}

pub fn token_in(text: &str, page: &str) -> Option<String> {
    let marker = format!("http://pulse.test/{page}?token=");
    let start = text.find(&marker)? + marker.len();
    Some(text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect())
}

/// A minimal SMTP server: accepts one message per connection and hands over its data.
pub async fn smtp_listener() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test.local ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            tx.send(std::mem::take(body)).unwrap();
                            data = None;
                            write.write_all(b"250 OK queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let answer: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-test.local\r\n250 8BITMIME\r\n",
                        "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"502 unknown\r\n",
                    };
                    write.write_all(answer).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

/// reqwest is built with rustls but without a crypto provider of its own (Pulse uses
/// ring, as lettre does); the tests' clients need it installed before the first is built.
#[ctor::ctor(unsafe)]
fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The caller's default workspace.
pub async fn workspace_id(session: &Session) -> i64 {
    session.get("/api/v1/users/me").await.assert_ok(200)["default_workspace_id"].as_i64().unwrap()
}

/// Polls until `check` holds (background jobs run on their own time), for at most 20 s.
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
