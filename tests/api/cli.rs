//! The `pulse` binary: refusing weak production settings, migrate, create-admin, backup,
//! and exiting 0 on SIGTERM.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::*;

#[test]
fn help_is_available_for_every_command() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["create-admin", "--help"],
        &["backup", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_pulse")).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"), "{args:?}");
    }
}

#[test]
fn production_refuses_to_start_with_weak_secrets_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (vec![("APP_ENV", "production")], "JWT_SECRET"),
        (vec![("APP_ENV", "production"), ("JWT_SECRET", "too-short")], "JWT_SECRET"),
        (
            vec![
                ("APP_ENV", "production"),
                ("JWT_SECRET", &*"z".repeat(40).leak()),
                ("ADMIN_PASSWORD", ADMIN_PASSWORD),
            ],
            "ADMIN_PASSWORD",
        ),
        (vec![("APP_ENV", "production"), ("JWT_SECRET", &*"z".repeat(40).leak())], "ENCRYPTION_KEY"),
    ];
    for (vars, variable) in cases {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pulse"));
        cmd.current_dir(dir.path()).env_clear().envs(vars.clone());
        let out = cmd.output().unwrap();
        assert!(!out.status.success(), "{vars:?} must not start");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
        assert!(stderr.contains(variable), "{vars:?}: {stderr}");
    }
}

#[tokio::test]
async fn migrate_and_create_admin_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let out = pulse(&dir, &url).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let create = |password: &str| {
        let mut child = pulse(&dir, &url)
            .args(["create-admin", "--username", "boss", "--email", "Boss@Example.com"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let weak = create("password1");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too common"));

    let ok = create("a-long-and-unusual-passphrase");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created admin boss <boss@example.com>"));

    let again = create("a-long-and-unusual-passphrase");
    assert!(!again.status.success(), "a duplicate admin is refused");

    let db = Database::connect(&url).await.unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT role, is_verified FROM users WHERE username = 'boss'",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get::<String>("", "role").unwrap(), "admin");
    assert!(row.try_get::<bool>("", "is_verified").unwrap());
}

#[tokio::test]
async fn backup_of_a_live_sqlite_database_is_consistent() {
    if backend_name() == "postgres" {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database_url(&dir).await;
        let out = pulse(&dir, &url).args(["backup", "--out", "x.db"]).output().unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return;
    }
    let app = spawn_app().await;
    let out_file = app.dir.path().join("backups/pulse-backup.db");
    let out =
        pulse(&app.dir, &app.database_url).args(["backup", "--out", out_file.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let copy = Database::connect(format!("sqlite://{}?mode=ro", out_file.display())).await.unwrap();
    assert_sqlite_sound(&copy).await;
    let admins = copy
        .query_one_raw(Statement::from_string(copy.get_database_backend(), "SELECT username FROM users"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admins.try_get::<String>("", "username").unwrap(), ADMIN_USERNAME);

    let again =
        pulse(&app.dir, &app.database_url).args(["backup", "--out", out_file.to_str().unwrap()]).output().unwrap();
    assert!(!again.status.success(), "an existing file is never overwritten");
}

#[tokio::test]
async fn serve_exits_zero_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let server = ServerProcess::start(&dir, &url);
    let live = reqwest::get(format!("{}/health/live", server.base)).await.unwrap();
    assert_eq!(live.status(), 200);
    server.terminate();
    let status = server.wait().await;
    assert!(status.success(), "exit status {status}");
}

/// A scraper sees every request-independent counter from the first scrape, at 0.
#[tokio::test]
async fn metrics_counters_exist_at_zero_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let server = ServerProcess::start(&dir, &url);
    let text = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    for counter in [
        "auth_login_failures_total",
        "auth_lockouts_total",
        "auth_refresh_reuse_total",
        "http_responses_unauthorized_total",
        "http_responses_server_errors_total",
        "jobs_pending",
        "jobs_running",
        "jobs_failed",
    ] {
        assert!(text.lines().any(|l| l == format!("{counter} 0")), "{counter} is not at 0:\n{text}");
        assert!(text.contains(&format!("# HELP {counter} ")), "{counter} has no help text");
    }
    assert!(text.lines().any(|l| l.starts_with("password_hash_seconds_count ")), "the hash timings:\n{text}");
}

#[tokio::test]
async fn import_a_file_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let file = dir.path().join("customers.csv");
    std::fs::write(
        &file,
        "name,email,score,review\nAnn,ann@example.com,5,Lovely\nBob,bob@example.com,9,\nCy,cy@example.com,3,\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = pulse(&dir, &url).arg("import").arg(&file).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("the report as JSON")
    };
    let dry = run(&["--dry-run"]);
    assert_eq!((dry["inserted"].as_u64(), dry["invalid"].as_u64()), (Some(2), Some(1)));
    assert_eq!(dry["errors"][0]["row"], 3);
    let real = run(&[]);
    assert_eq!(real["inserted"], 2, "the dry run wrote nothing");
    let again = run(&["--on-conflict", "update"]);
    assert_eq!((again["inserted"].as_u64(), again["updated"].as_u64()), (Some(0), Some(2)));

    let missing = pulse(&dir, &url).args(["import", "nope.csv"]).output().unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot open"));
}

/// `pulse serve`, started outside the project with no `WEB_DIR`, serves the UI built into
/// it: compressed for clients that accept it, with an `ETag` that answers 304, and client
/// routes falling back to the page.
#[tokio::test]
async fn the_binary_serves_the_ui_built_into_it_from_any_directory() {
    if option_env!("PULSE_UI_EMBEDDED").is_none() {
        eprintln!("SKIPPED: this binary was built before the web UI (npm --prefix web run build, then rebuild)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_with(&dir, &fresh_database_url(&dir).await, &[("WEB_DIR", "")]);
    let client = reqwest::Client::new();
    let get = |path: &str, headers: &[(&str, &str)]| {
        let mut request = client.get(server.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    for path in ["/", "/customers/12"] {
        let page = get(path, &[]).await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.text().await.unwrap().contains("<div id=\"root\">"), "{path} is the UI's page");
    }
    let page = get("/", &[("accept-encoding", "br, gzip")]).await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "br");
    let etag = page.headers()["etag"].to_str().unwrap().to_string();
    let again = get("/", &[("if-none-match", &etag)]).await.unwrap();
    assert_eq!(again.status(), 304);
    let missing = get("/api/v1/nothing-here", &[]).await.unwrap();
    assert_eq!(missing.status(), 404);
    server.terminate();
}
