//! What only a real process shows: `kill -9` in the middle of an import (HTTP or `pulse
//! import`) leaves no row of it and a sound database, and SIGTERM lets every request already
//! in flight finish while new connections are refused.

use std::{process::Stdio, time::Duration};

use futures::{SinkExt, channel::mpsc};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

const HEADER: &str = "name,email,review,satisfaction_score,feedback_at\n";

fn rows(range: std::ops::Range<usize>) -> String {
    range
        .map(|i| {
            format!(
                "Name {i},c{i}@example.com,\"Visit {i}: quick, friendly\",{},2026-01-{:02}\n",
                1 + i % 5,
                1 + i % 28
            )
        })
        .collect()
}

/// A `text/csv` upload whose body the test sends piece by piece.
fn streamed_import(
    server: &ServerProcess,
    token: &str,
) -> (mpsc::Sender<Result<String, std::io::Error>>, tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>) {
    let (tx, rx) = mpsc::channel(4);
    let request = reqwest::Client::new()
        .post(server.url("/api/v1/customers/import"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(reqwest::Body::wrap_stream(rx));
    (tx, tokio::spawn(request.send()))
}

async fn single_connection(url: &str) -> DatabaseConnection {
    Database::connect(ConnectOptions::new(url).max_connections(1).sqlx_logging(false).to_owned()).await.unwrap()
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// Waits until an import's write transaction is open (it has taken the database's write
/// lock on SQLite, or holds a row lock on `customers` on PostgreSQL).
async fn wait_for_import_transaction(url: &str) {
    let db = single_connection(url).await;
    let backend = db.get_database_backend();
    for _ in 0..200 {
        let writing = if backend == sea_orm::DatabaseBackend::Sqlite {
            db.execute_unprepared("PRAGMA busy_timeout = 0").await.unwrap();
            match db.execute_unprepared("BEGIN IMMEDIATE").await {
                Ok(_) => {
                    db.execute_unprepared("ROLLBACK").await.unwrap();
                    false
                }
                Err(_) => true,
            }
        } else {
            scalar(
                &db,
                "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
                 WHERE c.relname = 'customers' AND l.mode = 'RowExclusiveLock'",
            )
            .await
                > 0
        };
        if writing {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import never opened its transaction");
}

/// No customer, no aggregate, and on SQLite a clean `PRAGMA integrity_check`.
async fn assert_empty_and_sound(url: &str) {
    let db = single_connection(url).await;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        assert_sqlite_sound(&db).await;
    }
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM customers").await, 0, "no partial rows");
    assert_eq!(scalar(&db, "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM daily_stats").await, 0);
}

async fn total_customers(server: &ServerProcess, token: &str) -> i64 {
    let reply: Value = reqwest::Client::new()
        .get(server.url("/api/v1/customers?per_page=1"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reply["data"]["total"].as_i64().expect("a customer list")
}

#[tokio::test]
async fn kill_9_during_an_http_import_leaves_no_row_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let server = ServerProcess::start(&dir, &url);
    let token = server.admin_token().await;

    // The upload is received whole before the import's transaction begins (a slow client
    // must never hold the write lock), so the whole file is sent, large enough that the
    // import is still writing when the kill comes.
    let (mut body, upload) = streamed_import(&server, &token);
    body.send(Ok(format!("{HEADER}{}", rows(0..400_000)))).await.unwrap();
    drop(body);
    wait_for_import_transaction(&url).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.kill();
    assert!(upload.await.unwrap().is_err(), "the upload died with the server");

    assert_empty_and_sound(&url).await;
    let server = ServerProcess::start(&dir, &url);
    let token = server.admin_token().await;
    assert_eq!(total_customers(&server, &token).await, 0);

    // The same file, sent whole after the restart, goes in completely.
    let report: Value = reqwest::Client::new()
        .post(server.url("/api/v1/customers/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(format!("{HEADER}{}", rows(0..12_000)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["data"]["inserted"], 12_000, "{report}");
    assert_eq!(total_customers(&server, &token).await, 12_000);
}

#[tokio::test]
async fn kill_9_during_a_command_line_import_leaves_no_row_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let migrate = pulse(&dir, &url).arg("migrate").output().unwrap();
    assert!(migrate.status.success());
    let file = dir.path().join("customers.csv");
    std::fs::write(&file, format!("{HEADER}{}", rows(0..200_000))).unwrap();

    let mut import =
        pulse(&dir, &url).arg("import").arg(&file).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    wait_for_import_transaction(&url).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(import.try_wait().unwrap().is_none(), "the import was still running when killed");
    import.kill().unwrap();
    import.wait().unwrap();

    assert_empty_and_sound(&url).await;
}

/// A request whose headers have arrived but whose body is one byte short.
async fn held_login(server: &ServerProcess) -> (tokio::net::TcpStream, u8) {
    let address = server.base.trim_start_matches("http://");
    let body = serde_json::json!({"login": ADMIN_USERNAME, "password": ADMIN_PASSWORD}).to_string();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&body.as_bytes()[..body.len() - 1]).await.unwrap();
    (stream, *body.as_bytes().last().unwrap())
}

async fn finish_held(mut stream: tokio::net::TcpStream, last: u8) -> (u16, Value) {
    stream.write_all(&[last]).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let status = text.split(' ').nth(1).unwrap().parse().unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    (status, serde_json::from_str(body).unwrap())
}

#[tokio::test]
async fn sigterm_lets_the_requests_in_flight_finish() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let server = ServerProcess::start(&dir, &url);
    let token = server.admin_token().await;

    // An upload still arriving when the signal comes: a request in flight like the others.
    let (mut body, upload) = streamed_import(&server, &token);
    body.send(Ok(format!("{HEADER}{}", rows(0..3_000)))).await.unwrap();
    let mut logins = Vec::new();
    for _ in 0..4 {
        logins.push(held_login(&server).await);
    }
    // Let the server read what has been sent so far before the signal.
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.terminate();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(reqwest::get(server.url("/health/live")).await.is_err(), "no new connections once shutting down");

    body.send(Ok(rows(3_000..6_000))).await.unwrap();
    drop(body);
    for (stream, last) in logins {
        let (status, reply) = finish_held(stream, last).await;
        assert_eq!(status, 200, "{reply}");
        assert!(reply["data"]["access_token"].is_string());
    }
    let response = upload.await.unwrap().expect("the upload completes");
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["data"]["inserted"], 6_000, "{report}");

    let status = server.wait().await;
    assert!(status.success(), "exit status {status}");
    let db = single_connection(&url).await;
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM customers").await, 6_000);
}
