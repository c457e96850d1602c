//! The findings of the security and robustness review, one behaviour per test, through
//! the front door: slow and stalled clients, a busy database, shutdown, bounds on input,
//! labels of metrics, tokens and cookies that must not outlive what they were for.

use std::time::{Duration, Instant};

use reqwest::Method;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

fn address(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// Reads what the server sends until it closes the connection or `limit` passes; returns
/// the bytes and whether the server closed it.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return (raw, false),
            Ok(Ok(0)) | Ok(Err(_)) => return (raw, true),
            Ok(Ok(n)) => raw.extend_from_slice(&buf[..n]),
        }
    }
}

fn with_q(path: &str, q: &str) -> String {
    format!("{path}?q={}", url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>())
}

fn status_of(raw: &[u8]) -> Option<u16> {
    String::from_utf8_lossy(raw).split(' ').nth(1)?.parse().ok()
}

async fn create_customer(session: &Session, body: Value) -> Reply {
    session
        .send(session.request(Method::POST, "/api/v1/customers").bearer_auth(&session.access_token).json(&body))
        .await
}

async fn import_csv(session: &Session, query: &str, csv: impl Into<reqwest::Body>) -> Reply {
    session
        .send(
            session
                .request(Method::POST, &format!("/api/v1/customers/import{query}"))
                .bearer_auth(&session.access_token)
                .header("content-type", "text/csv")
                .body(csv),
        )
        .await
}

// --- slow clients, a busy database, shutdown ------------------------------------------------

/// Finding (high): an upload that stalled after its headers held SQLite's write lock, so
/// every other write failed with 500 after the busy timeout. The upload is now received
/// whole before the import begins, and dropped when it sends nothing for the idle timeout.
#[tokio::test]
async fn a_stalled_upload_holds_no_lock_and_is_dropped_after_the_idle_timeout() {
    let app = spawn_app_with(&[("UPLOAD_IDLE_TIMEOUT_SECONDS", "2")], axum::Router::new()).await;
    let admin = app.admin().await;
    let mut stalled = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    let head = format!(
        "POST /api/v1/customers/import?dry_run=true HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: text/csv\r\nContent-Length: 100000\r\n\r\nname,email,score\nAnn,ann@",
        address(&app),
        admin.access_token
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = Instant::now();
    let created =
        create_customer(&admin, json!({"name": "Bea", "email": "bea@example.com", "satisfaction_score": 5})).await;
    created.assert_ok(201);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the write waited {:?} on the stalled upload",
        started.elapsed()
    );

    let (raw, _) = read_until_closed(&mut stalled, Duration::from_secs(8)).await;
    assert_eq!(status_of(&raw), Some(400), "{}", String::from_utf8_lossy(&raw));
    assert!(String::from_utf8_lossy(&raw).contains("stalled"), "{}", String::from_utf8_lossy(&raw));
}

/// Finding (high): a database that stays locked answered 500 "database is locked". It is
/// 503 `unavailable` with `Retry-After` now (busy timeout on SQLite, lock_timeout on
/// PostgreSQL).
#[tokio::test]
async fn a_busy_database_answers_503_with_retry_after() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let holder = sea_orm::Database::connect(
        sea_orm::ConnectOptions::new(app.database_url.clone()).max_connections(1).sqlx_logging(false).to_owned(),
    )
    .await
    .unwrap();
    let backend = holder.get_database_backend();
    let lock = match backend {
        sea_orm::DatabaseBackend::Sqlite => "BEGIN EXCLUSIVE",
        _ => "BEGIN; LOCK TABLE customers IN ACCESS EXCLUSIVE MODE",
    };
    holder.execute_unprepared(lock).await.unwrap();

    let reply =
        create_customer(&admin, json!({"name": "Cy", "email": "cy@example.com", "satisfaction_score": 3})).await;
    reply.assert_error(503, "unavailable");
    assert!(reply.header("retry-after").is_some_and(|s| s.parse::<u64>().is_ok_and(|s| s >= 1)), "{:?}", reply.headers);

    holder.execute_unprepared("ROLLBACK").await.unwrap();
    create_customer(&admin, json!({"name": "Cy", "email": "cy@example.com", "satisfaction_score": 3}))
        .await
        .assert_ok(201);
}

/// Finding (medium): half-sent request headers kept a connection open forever.
#[tokio::test]
async fn request_headers_must_arrive_within_ten_seconds() {
    let app = spawn_app().await;
    let mut slow = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    slow.write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut slow, Duration::from_secs(20)).await;
    assert!(closed, "the server kept a half-sent request open for 20 s");
    assert!(started.elapsed() >= Duration::from_secs(9), "closed after {:?}", started.elapsed());
}

/// Finding (medium): with one half-sent connection open, SIGTERM never finished. Shutdown
/// now ends within `SHUTDOWN_GRACE_SECONDS`, whatever clients do.
#[tokio::test]
async fn shutdown_ends_within_the_grace_period_whatever_clients_do() {
    let mut app = spawn_app_with(&[("SHUTDOWN_GRACE_SECONDS", "2")], axum::Router::new()).await;
    let mut half_sent = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    half_sent.write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{").await.unwrap();
    let mut idle = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    idle.write_all(b"GET /health/live HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(6), app.shutdown()).await.expect("shutdown finished").unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "shutdown took {:?}", started.elapsed());
}

// --- metrics, tokens, cookies ------------------------------------------------------------------

/// Finding (medium): every invented HTTP method made new `/metrics` series.
#[tokio::test]
async fn invented_methods_share_one_metrics_label() {
    let app = spawn_app().await;
    for i in 0..20 {
        let method = Method::from_bytes(format!("XQZ{i}").as_bytes()).unwrap();
        app.send(app.request(method, "/health/live")).await;
    }
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(!metrics.contains("XQZ"), "a raw method became a label");
    assert!(metrics.contains("method=\"other\""), "{metrics}");
}

/// Finding (medium): a reset link mailed to the old address still worked after the email
/// changed.
#[tokio::test]
async fn an_email_change_kills_outstanding_reset_links() {
    let app = spawn_app().await;
    let user = app.verified_user("mover").await;
    app.post_json("/api/v1/auth/forgot-password", &json!({"email": "mover@example.com"})).await.assert_ok(202);
    let token = app.wait_for_token("mover@example.com", "reset-password").await;

    let patch = user.request(Method::PATCH, "/api/v1/users/me").bearer_auth(&user.access_token);
    user.send(patch.json(&json!({"email": "moved@example.com"}))).await.assert_ok(200);

    let reset = json!({"token": token, "new_password": "a-brand-new-passphrase-7"});
    app.post_json("/api/v1/auth/reset-password", &reset).await.assert_error(400, "invalid_token");
    app.login("mover", USER_PASSWORD).await;
}

/// Finding (low): a `csrf_token` cookie planted before login survived the login.
#[tokio::test]
async fn login_issues_a_fresh_csrf_token_whatever_the_browser_had() {
    let app = spawn_app().await;
    let (client, jar) = browser();
    let planted = "attacker-chosen-csrf-token-0123456789abcdef";
    jar.add_cookie_str(&format!("csrf_token={planted}; Path=/"), &app.base.parse().unwrap());
    let reply = read(
        client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": ADMIN_USERNAME, "password": ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    reply.assert_ok(200);
    let issued: Vec<&str> = reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.strip_prefix("csrf_token="))
        .collect();
    assert_eq!(issued.len(), 1, "{:?}", reply.headers);
    assert!(!issued[0].starts_with(planted), "the planted token was kept");
}

/// Finding (low): `COOKIE_SECURE=false` removed `Secure` in production.
#[tokio::test]
async fn production_cookies_stay_secure_whatever_cookie_secure_says() {
    let app = spawn_app_with(
        &[
            ("APP_ENV", "production"),
            ("JWT_SECRET", "Zq8vN3kR7tW1yB5mC9xL2pF6hJ4dG0sA8eU3iO7nT1rK5wQ9"),
            ("COOKIE_SECURE", "false"),
            ("ADMIN_PASSWORD", "a-long-production-passphrase-1"),
        ],
        axum::Router::new(),
    )
    .await;
    let reply = app
        .send(app.client.post(app.url("/api/v1/auth/login")).json(&json!({
            "login": ADMIN_USERNAME,
            "password": "a-long-production-passphrase-1"
        })))
        .await;
    reply.assert_ok(200);
    let cookies: Vec<&str> = reply.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert_eq!(cookies.len(), 3, "{cookies:?}");
    assert!(cookies.iter().all(|c| c.contains("; Secure")), "{cookies:?}");
}

// --- bounds on input -------------------------------------------------------------------------

/// Finding (low): a quoted local part signed up, and its emails then failed forever.
#[tokio::test]
async fn an_address_the_mailer_cannot_send_to_is_refused_at_signup() {
    let app = spawn_app().await;
    let reply = app.signup("quoted", "\"a b\"@example.com", USER_PASSWORD).await;
    reply.assert_error(422, "validation_failed");
    assert!(reply.body["error"]["fields"]["email"].is_array(), "{}", reply.body);
}

/// Finding (low): NUL bytes were stored in names and reviews, and the export they made
/// could not be imported back.
#[tokio::test]
async fn control_characters_are_refused_in_text_fields() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let reply = create_customer(
        &admin,
        json!({"name": "Nul\u{0}Name", "email": "nul@example.com", "review": "bell\u{7}", "satisfaction_score": 4}),
    )
    .await;
    reply.assert_error(422, "validation_failed");
    assert!(reply.body["error"]["fields"]["name"].is_array() && reply.body["error"]["fields"]["review"].is_array());
    let ok = create_customer(
        &admin,
        json!({"name": "Tab\tName", "email": "tab@example.com", "review": "two\r\nlines", "satisfaction_score": 4}),
    )
    .await;
    ok.assert_ok(201);
}

/// Finding (medium): `feedback_at` took any year chrono can hold; one such row broke
/// trends. The bound now: 1970-01-01 up to one day after now.
#[tokio::test]
async fn feedback_dates_outside_1970_to_tomorrow_are_refused() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let tomorrow_plus = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    for (i, date) in ["+262142-01-01", "-0001-01-01", "1969-12-31", &tomorrow_plus].iter().enumerate() {
        let reply = create_customer(
            &admin,
            json!({"name": "X", "email": format!("x{i}@example.com"), "satisfaction_score": 3, "feedback_at": date}),
        )
        .await;
        reply.assert_error(422, "validation_failed");
        assert!(reply.body["error"]["fields"]["feedback_at"].is_array(), "{date}: {}", reply.body);
    }
    let report = import_csv(&admin, "", "name,email,score,date\nA,a@example.com,4,1969-12-31\n").await;
    let data = report.assert_ok(200);
    assert_eq!((data["invalid"].as_u64(), data["errors"][0]["field"].as_str()), (Some(1), Some("feedback_at")));
}

/// Finding (medium): a stored date near the end of the calendar (the first release let
/// them in) made trends answer 422 or 500, and period arithmetic panicked.
#[tokio::test]
async fn analytics_never_fail_on_dates_at_the_ends_of_the_calendar() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    create_customer(&admin, json!({"name": "Now", "email": "now@example.com", "satisfaction_score": 4}))
        .await
        .assert_ok(201);
    // As a first-release database could hold it: year 262142.
    let wid = admin.get("/api/v1/users/me").await.data()["default_workspace_id"].as_i64().unwrap();
    app.state
        .db
        .execute_unprepared(&format!(
            "INSERT INTO customers (workspace_id, name, email, review, satisfaction_score, sentiment, feedback_at, search, created_at, updated_at) \
             VALUES ({wid}, 'Far', 'far@example.com', '', 2, 0, 8210266876799, 'far', 0, 0)"
        ))
        .await
        .unwrap();
    for path in [
        "/api/v1/analytics/trends",
        "/api/v1/analytics/trends?granularity=week",
        "/api/v1/analytics/trends?granularity=month",
        "/api/v1/analytics/trends?granularity=month&q=far",
        "/api/v1/analytics/summary?from=0001-01-01&to=9999-12-31",
        "/api/v1/analytics/trends?granularity=month&from=9999-01-01&to=9999-12-31",
        "/api/v1/analytics/trends?granularity=week&from=0001-01-01&to=0001-02-01",
        "/api/v1/customers?from=0001-01-01&to=9999-12-31",
    ] {
        let reply = admin.send(admin.request(Method::GET, path).bearer_auth(&admin.access_token)).await;
        assert!(reply.status.as_u16() < 500, "{path}: {} {}", reply.status, reply.body);
    }
    let far = admin
        .send(
            admin.request(Method::GET, "/api/v1/analytics/summary?from=+262142-01-01").bearer_auth(&admin.access_token),
        )
        .await;
    far.assert_error(400, "bad_request");
}

/// Finding (low): a page far past the data (page × per_page beyond i64) answered 500.
#[tokio::test]
async fn any_page_past_the_data_is_an_empty_page() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for path in [
        "/api/v1/customers?page=9223372036854775807",
        "/api/v1/customers?page=9223372036854775807&per_page=500",
        "/api/v1/customers?page=4611686018427387904&per_page=2",
        "/api/v1/users?page=9223372036854775807&per_page=500",
    ] {
        let reply = admin.send(admin.request(Method::GET, path).bearer_auth(&admin.access_token)).await;
        let data = reply.assert_ok(200);
        assert_eq!(data["items"], json!([]), "{path}");
    }
}

/// Finding (low): a 50,000-character `q` answered 500 and cut an export off mid-stream.
#[tokio::test]
async fn a_search_longer_than_200_characters_is_a_bad_request() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let long = "a".repeat(50_000);
    for path in ["/api/v1/customers", "/api/v1/customers/export", "/api/v1/analytics/summary", "/api/v1/users"] {
        let request = admin.request(Method::GET, &with_q(path, &long)).bearer_auth(&admin.access_token);
        admin.send(request).await.assert_error(400, "bad_request");
    }
    let fine = admin.request(Method::GET, &with_q("/api/v1/customers", &"a".repeat(200)));
    admin.send(fine.bearer_auth(&admin.access_token)).await.assert_ok(200);
}

/// Finding (low): on SQLite only ASCII folded case (`Ölaf`, `ÉMILE`, `jose`/`José`).
#[tokio::test]
async fn search_folds_case_and_accents_in_every_script() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for (name, email) in [
        ("Ölaf Berg", "olaf@example.com"),
        ("ÉMILE Zola", "ez@example.com"),
        ("José Ñúñez", "jn@example.com"),
        ("Άννα Παππά", "anna@example.com"),
    ] {
        create_customer(&admin, json!({"name": name, "email": email, "satisfaction_score": 4})).await.assert_ok(201);
    }
    for (q, want) in [
        ("ölaf", "olaf@example.com"),
        ("OLAF", "olaf@example.com"),
        ("émile", "ez@example.com"),
        ("emile", "ez@example.com"),
        ("jose", "jn@example.com"),
        ("JOSÉ", "jn@example.com"),
        ("nunez", "jn@example.com"),
        ("αννα", "anna@example.com"),
        ("ΆΝΝΑ", "anna@example.com"),
    ] {
        let reply = admin
            .send(admin.request(Method::GET, &with_q("/api/v1/customers", q)).bearer_auth(&admin.access_token))
            .await;
        let emails: Vec<&str> =
            reply.assert_ok(200)["items"].as_array().unwrap().iter().filter_map(|c| c["email"].as_str()).collect();
        assert_eq!(emails, [want], "q={q}");
    }
}

/// Finding (medium): keyword counting ran on the async workers (8 s for one request over
/// long reviews, `/health/live` stalled meanwhile). It runs on blocking threads now, a few
/// requests at a time, reading reviews a page at a time.
#[tokio::test]
async fn keyword_requests_do_not_stall_other_requests() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let review = "slow delivery and rude staff, the parcel arrived broken and nobody answered ".repeat(60);
    let csv: String = std::iter::once("name,email,score,review\n".to_string())
        .chain((0..3_000).map(|i| {
            let score = 1 + i % 5;
            let mood = if score <= 2 { "dreadful" } else { "lovely" };
            format!("N{i},k{i}@example.com,{score},\"{review} {mood} word{i}\"\n")
        }))
        .collect();
    import_csv(&admin, "", csv).await.assert_ok(200);

    let keywords: Vec<_> = (0..8)
        .map(|_| {
            let request = admin.request(Method::GET, "/api/v1/analytics/keywords").bearer_auth(&admin.access_token);
            tokio::spawn(request.send())
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = Instant::now();
    app.get("/health/live").await.assert_ok(200);
    let live = started.elapsed();
    for k in keywords {
        let reply = read(k.await.unwrap().unwrap()).await;
        let negative = reply.assert_ok(200)["negative"].as_array().unwrap().clone();
        assert!(negative.iter().any(|t| t["term"] == "dreadful"), "{}", reply.body);
    }
    assert!(live < Duration::from_millis(500), "/health/live took {live:?} during keyword requests");
}

// --- import as spreadsheets write it ---------------------------------------------------------

/// Finding: error lines were one early in CRLF files (what Excel writes).
#[tokio::test]
async fn errors_name_the_line_of_the_record_in_crlf_files() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "name,email,score\r\nAnn,ann@example.com,5\r\nBob,bob,4\r\nCy,cy@example.com,9\r\n";
    let report = import_csv(&admin, "?dry_run=true", csv).await;
    let errors = report.assert_ok(200)["errors"].clone();
    assert_eq!(
        errors,
        json!([
            {"row": 3, "field": "email", "message": "is not a valid email address", "value": "bob"},
            {"row": 4, "field": "satisfaction_score", "message": "must be a whole number from 1 to 5", "value": "9"}
        ])
    );
}

/// Finding: `Comment` and `Date` columns were silently ignored and the preview said
/// everything looked good. The report now maps every column, names the ignored ones, shows
/// the first rows as stored and counts the rows dated today.
#[tokio::test]
async fn the_preview_maps_every_column_and_says_what_it_ignores() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "Full name,E-mail,Stars,Comment,Date,Notes\nAnn Lee,ann@example.com,5,Lovely,2025-12-31 14:30,x\nBo,bo@example.com,2,,,y\n";
    let report = import_csv(&admin, "?dry_run=true", csv).await;
    let data = report.assert_ok(200);
    assert_eq!(
        data["columns"],
        json!([
            {"header": "Full name", "field": "name"},
            {"header": "E-mail", "field": "email"},
            {"header": "Stars", "field": "satisfaction_score"},
            {"header": "Comment", "field": "review"},
            {"header": "Date", "field": "feedback_at"},
            {"header": "Notes", "field": null}
        ])
    );
    assert_eq!(data["dated_today"], 1);
    assert_eq!(
        data["preview"][0],
        json!({
            "row": 2, "name": "Ann Lee", "email": "ann@example.com", "satisfaction_score": 5,
            "review": "Lovely", "feedback_at": "2025-12-31T14:30:00Z"
        })
    );
    assert_eq!(data["rejected_csv"], Value::Null);
    let list = admin.send(admin.request(Method::GET, "/api/v1/customers").bearer_auth(&admin.access_token)).await;
    assert_eq!(list.assert_ok(200)["total"], 0, "a dry run writes nothing");
}

/// Finding: a Windows-1252 file was refused as "not UTF-8", and `31/12/2025` could not be
/// read. Bytes that are not UTF-8 are read as Windows-1252; `date_format=dmy|mdy` reads
/// day-first and month-first dates; UTF-16 with a BOM is read too.
#[tokio::test]
async fn windows_files_and_day_first_dates_import() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv: &[u8] = b"name;email;score;review;date\r\nJos\xe9 P\xe9rez;jose@example.com;4;Tr\xe8s bien;31/12/2025\r\n";
    let report = import_csv(&admin, "?date_format=dmy", csv.to_vec()).await;
    assert_eq!(report.assert_ok(200)["inserted"], 1, "{}", report.body);
    let list = admin.send(admin.request(Method::GET, "/api/v1/customers").bearer_auth(&admin.access_token)).await;
    let customer = &list.assert_ok(200)["items"][0];
    assert_eq!((customer["name"].as_str(), customer["review"].as_str()), (Some("José Pérez"), Some("Très bien")));
    assert_eq!(customer["feedback_at"], "2025-12-31T00:00:00Z");

    let ambiguous = import_csv(&admin, "?dry_run=true", "name,email,score,date\nA,a@example.com,4,12/31/2025\n").await;
    let message = ambiguous.assert_ok(200)["errors"][0]["message"].as_str().unwrap().to_string();
    assert!(message.contains("31/12/2025") && !message.contains("RFC"), "{message}");
    let month_first =
        import_csv(&admin, "?dry_run=true&date_format=mdy", "name,email,score,date\nA,a@example.com,4,12/31/2025\n")
            .await;
    assert_eq!(month_first.assert_ok(200)["invalid"], 0);

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("name,email,score\nZoë,zoe@example.com,5\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(import_csv(&admin, "", utf16).await.assert_ok(200)["inserted"], 1);
    let binary = import_csv(&admin, "", b"name,email,score\nA\0,a@example.com,1\n".to_vec()).await;
    binary.assert_error(400, "bad_request");
}

/// Finding: the errors did not show the bad value and could not be downloaded. The report
/// carries the rejected rows as CSV, their own columns plus the reason, to fix and import.
#[tokio::test]
async fn rejected_rows_can_be_downloaded_fixed_and_imported_again() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let csv = "name,email,score,note\nAnn,ann@example.com,5,a\nBob,bob@,4,b\n,cy@example.com,six,c\n";
    let report = import_csv(&admin, "", csv).await;
    let data = report.assert_ok(200).clone();
    assert_eq!((data["inserted"].as_u64(), data["invalid"].as_u64()), (Some(1), Some(2)));
    let rejected = data["rejected_csv"].as_str().unwrap();
    assert_eq!(
        rejected,
        "name,email,score,note,error\nBob,bob@,4,b,email is not a valid email address\n\
         ,cy@example.com,six,c,name is required; satisfaction_score must be a whole number from 1 to 5\n"
    );
    let fixed = rejected.replace("bob@,", "bob@example.com,").replace(",cy@example.com,six", "Cy,cy@example.com,3");
    let again = import_csv(&admin, "", fixed).await;
    assert_eq!(again.assert_ok(200)["inserted"], 2, "{}", again.body);
}

/// Finding: a CSV whose first line was 95 MB took 567 MB of memory. A first line over
/// 64 KiB, or a record over 1 MiB, is refused before it is held whole.
#[tokio::test]
async fn an_overlong_line_is_refused_without_reading_it_whole() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let header = "n".repeat(3 * 1024 * 1024);
    import_csv(&admin, "", header).await.assert_error(422, "validation_failed");
    let open_quote = format!("name,email,score\nA,a@example.com,\"{}", "x\n".repeat(2 * 1024 * 1024));
    let reply = import_csv(&admin, "", open_quote).await;
    reply.assert_error(422, "validation_failed");
    assert!(reply.body["error"]["fields"]["file"][0].as_str().unwrap().contains("1 MiB"), "{}", reply.body);
}

/// The export of what was stored imports back whole.
#[tokio::test]
async fn an_export_imports_back() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    create_customer(&admin, json!({"name": "=Ann, \"the\" first", "email": "ann@example.com", "review": "multi\nline ñ", "satisfaction_score": 4})).await.assert_ok(201);
    let export = admin.request(Method::GET, "/api/v1/customers/export").bearer_auth(&admin.access_token);
    let csv = export.send().await.unwrap().text().await.unwrap();
    let session = app.verified_user("second").await;
    let _ = session;
    app.state
        .db
        .execute_raw(Statement::from_string(app.state.db.get_database_backend(), "DELETE FROM customers"))
        .await
        .unwrap();
    let report = import_csv(&admin, "", csv).await;
    let data = report.assert_ok(200);
    assert_eq!((data["inserted"].as_u64(), data["invalid"].as_u64()), (Some(1), Some(0)), "{}", report.body);
}

/// Finding (low): a long search kept its SQLite connection busy after the client gave up.
/// A request's queries now stop when the request is dropped. Eight slow queries abandoned
/// by their clients would otherwise hold all eight pooled connections for many seconds,
/// and the next request would wait for a connection and answer 503.
#[tokio::test]
async fn queries_stop_when_their_client_goes_away() {
    if backend_name() != "sqlite" {
        eprintln!("SKIPPED on PostgreSQL: queries are interrupted through SQLite's progress handler");
        return;
    }
    async fn slow(axum::extract::State(state): axum::extract::State<pulse::services::state::AppState>) -> &'static str {
        let sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000) SELECT COUNT(*) FROM c";
        let _ = state.db.execute_unprepared(sql).await;
        "done"
    }
    let app = spawn_app_with(&[], axum::Router::new().route("/test/slow", axum::routing::get(slow))).await;
    let admin = app.admin().await;
    let quick = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    let abandoned: Vec<_> = (0..8).map(|_| quick.get(app.url("/test/slow")).send()).collect();
    for result in futures::future::join_all(abandoned).await {
        assert!(result.is_err(), "the client gave up waiting");
    }
    let started = Instant::now();
    let list = admin.send(admin.request(Method::GET, "/api/v1/customers").bearer_auth(&admin.access_token)).await;
    list.assert_ok(200);
    assert!(started.elapsed() < Duration::from_secs(2), "waited {:?} for a connection", started.elapsed());
}
