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

/// Marking a session used is bookkeeping done after the answer: a request whose session
/// was last used over a minute ago still answers at once while another writer holds the
/// lock it needs (a large import's checkpoint held SQLite's for minutes, and the first
/// request after it answered 503), and the mark lands once the lock is free.
#[tokio::test]
async fn a_request_does_not_wait_for_the_write_lock_to_mark_its_session_used() {
    use pulse::{core::database, services::session_cache::Forget};
    use sea_orm::ConnectionTrait;

    let app = spawn_app().await;
    let user = app.verified_user("toucher").await;
    let db = &app.state.db;
    let backend = db.get_database_backend();
    let session = |sql: &str| sea_orm::Statement::from_string(backend, sql.to_string());
    let id_of = "(SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'toucher')";
    let long_ago = "2020-01-01 00:00:00+00:00";
    db.execute_raw(session(&format!("UPDATE sessions SET last_used_at = '{long_ago}' WHERE id = {id_of}")))
        .await
        .unwrap();
    app.state.sessions.forget_here(Forget::All);

    // Another writer: SQLite's write lock, PostgreSQL's lock on the session's row.
    let writer = database::begin_write(db).await.unwrap();
    writer.execute_raw(session(&format!("UPDATE sessions SET ip = ip WHERE id = {id_of}"))).await.unwrap();
    user.get("/api/v1/users/me").await.assert_ok(200);
    writer.rollback().await.unwrap();

    app.state.settle().await;
    let row = db.query_one_raw(session(&format!("SELECT last_used_at FROM sessions WHERE id = {id_of}"))).await;
    let last_used: chrono::DateTime<chrono::Utc> = row.unwrap().unwrap().try_get_by_index(0).unwrap();
    assert!(last_used > chrono::Utc::now() - chrono::Duration::minutes(1), "marked used: {last_used}");
}
