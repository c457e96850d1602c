//! Sessions kept in memory are refused as soon as they are revoked: on the instance that
//! revoked them before it answers, and on the others through PostgreSQL's `NOTIFY`, also
//! after the listening connection was cut.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn me(client: &reqwest::Client, server: &ServerProcess, token: &str) -> StatusCode {
    client.get(server.url("/api/v1/users/me")).bearer_auth(token).send().await.unwrap().status()
}

async fn logout(client: &reqwest::Client, server: &ServerProcess, token: &str) {
    let reply = client.post(server.url("/api/v1/auth/logout")).bearer_auth(token).send().await.unwrap();
    assert!(reply.status().is_success(), "logout answered {}", reply.status());
}

/// Polls `/users/me` on `server` until it refuses `token`; how long that took.
async fn refused_after(client: &reqwest::Client, server: &ServerProcess, token: &str) -> Duration {
    let start = Instant::now();
    eventually("the revoked session to be refused", async || {
        (me(client, server, token).await == StatusCode::UNAUTHORIZED).then_some(())
    })
    .await;
    start.elapsed()
}

#[tokio::test]
async fn a_logout_on_one_instance_is_refused_on_another() {
    if backend_name() != "postgres" {
        eprintln!("SKIPPED: several instances share PostgreSQL only (set TEST_DATABASE_URL)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(&dir).await;
    let a = ServerProcess::start(&dir, &url);
    let b = ServerProcess::start(&dir, &url);
    let client = reqwest::Client::new();

    let token = a.admin_token().await;
    for _ in 0..3 {
        assert_eq!(me(&client, &b, &token).await, StatusCode::OK, "B serves the session (from memory after once)");
    }
    logout(&client, &a, &token).await;
    assert_eq!(me(&client, &a, &token).await, StatusCode::UNAUTHORIZED, "A refuses it at once");
    let took = refused_after(&client, &b, &token).await;
    assert!(took < Duration::from_secs(1), "B refused it after {took:?}");

    // Cut B's listening connection: B must not serve from memory what it may have missed.
    let db = sea_orm::Database::connect(&url).await.unwrap();
    let listeners = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = current_database() AND query LIKE 'LISTEN%'";
    use sea_orm::ConnectionTrait;
    let cut = db.execute_unprepared(listeners).await.unwrap();
    assert!(cut.rows_affected() >= 1, "the listeners were found");
    let token = b.admin_token().await;
    assert_eq!(me(&client, &b, &token).await, StatusCode::OK);
    let other =
        client.post(a.url("/api/v1/auth/logout-all")).bearer_auth(&token).json(&json!({})).send().await.unwrap();
    assert!(other.status().is_success(), "logout-all answered {}", other.status());
    let took = refused_after(&client, &b, &token).await;
    assert!(took < Duration::from_secs(2), "B refused it after {took:?}, its listener cut");
}
