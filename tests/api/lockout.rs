//! Login protection: lockout at the threshold, the same for unknown names, expiry,
//! success resetting the count, reset lifting the lock, and parallel guesses.

use axum::Router;
use chrono::Utc;
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::{auth::count_events, helpers::*};

async fn fail(app: &TestApp, login: &str) -> Reply {
    app.try_login(login, "definitely-wrong-password").await
}

/// Moves a running lock into the past, as if its time had run out.
async fn expire_lock(app: &TestApp, login: &str) {
    let db = &app.state.db;
    let past = Utc::now() - chrono::Duration::seconds(1);
    db.execute_raw(pulse::core::database::stmt(
        db,
        "UPDATE login_throttles SET locked_until = $2 WHERE login_key = $1",
        [login.into(), past.into()],
    ))
    .await
    .unwrap();
}

fn without_request_id(reply: &Reply) -> serde_json::Value {
    let mut body = reply.body.clone();
    body["error"].as_object_mut().unwrap().remove("request_id");
    body
}

#[tokio::test]
async fn five_failures_lock_the_name_even_for_the_right_password() {
    let app = spawn_app().await;
    for _ in 0..5 {
        fail(&app, ADMIN_USERNAME).await.assert_error(401, "invalid_credentials");
    }
    let locked = app.try_login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    locked.assert_error(429, "account_locked");
    let retry: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((890..=900).contains(&retry), "{retry}");

    // Attempts during the lock do not extend it.
    for _ in 0..3 {
        fail(&app, ADMIN_USERNAME).await.assert_error(429, "account_locked");
    }
    let later: u64 =
        app.try_login(ADMIN_USERNAME, ADMIN_PASSWORD).await.header("retry-after").unwrap().parse().unwrap();
    assert!(later <= retry);

    // When it runs out, the right password works again.
    expire_lock(&app, ADMIN_USERNAME).await;
    app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    assert_eq!(count_events(&app, "lockout").await, 1);
    assert_eq!(count_events(&app, "login_failure").await, 5);
}

#[tokio::test]
async fn unknown_names_are_counted_and_answered_exactly_like_real_ones() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let real = fail(&app, ADMIN_USERNAME).await;
        let ghost = fail(&app, "no-such-user").await;
        assert_eq!(real.status, ghost.status);
        assert_eq!(without_request_id(&real), without_request_id(&ghost));
    }
    let real = fail(&app, ADMIN_USERNAME).await;
    let ghost = fail(&app, "no-such-user").await;
    ghost.assert_error(429, "account_locked");
    assert_eq!(without_request_id(&real), without_request_id(&ghost));
    assert_eq!(real.header("retry-after").is_some(), ghost.header("retry-after").is_some());
}

#[tokio::test]
async fn a_success_resets_the_count() {
    let app = spawn_app().await;
    for _ in 0..4 {
        fail(&app, ADMIN_USERNAME).await.assert_error(401, "invalid_credentials");
    }
    app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    for _ in 0..4 {
        fail(&app, ADMIN_USERNAME).await.assert_error(401, "invalid_credentials");
    }
    app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
}

#[tokio::test]
async fn a_completed_password_reset_lifts_the_lock() {
    let app = spawn_app().await;
    let user = app.verified_user("frank").await;
    drop(user);
    for _ in 0..5 {
        fail(&app, "frank").await;
    }
    app.try_login("frank", USER_PASSWORD).await.assert_error(429, "account_locked");
    app.post_json("/api/v1/auth/forgot-password", &json!({"email": "frank@example.com"})).await.assert_ok(202);
    let token = app.wait_for_token("frank@example.com", "reset-password").await;
    let new_password = "new-lilac-meadow-2207";
    app.post_json("/api/v1/auth/reset-password", &json!({"token": token, "new_password": new_password}))
        .await
        .assert_ok(200);
    app.login("frank", new_password).await;
    assert_eq!(count_events(&app, "unlock").await, 1);
}

#[tokio::test]
async fn an_admin_can_unlock_an_account() {
    let app = spawn_app().await;
    let user = app.verified_user("gina").await;
    let me = user.get("/api/v1/users/me").await;
    let id = me.data()["id"].as_i64().unwrap();
    for _ in 0..5 {
        fail(&app, "gina@example.com").await;
    }
    app.try_login("gina@example.com", USER_PASSWORD).await.assert_error(429, "account_locked");
    let admin = app.admin().await;
    admin
        .send(admin.unsafe_request(Method::PATCH, &format!("/api/v1/users/{id}")).json(&json!({"unlock": true})))
        .await
        .assert_ok(200);
    app.login("gina@example.com", USER_PASSWORD).await;
}

#[tokio::test]
async fn twenty_parallel_wrong_passwords_are_checked_exactly_five_times() {
    let app = spawn_app_with(&[], Router::new()).await;
    let attempts = (0..20).map(|_| fail(&app, ADMIN_USERNAME));
    let replies = futures::future::join_all(attempts).await;
    let checked = replies.iter().filter(|r| r.status == 401).count();
    let refused = replies.iter().filter(|r| r.status == 429).count();
    assert_eq!((checked, refused), (5, 15), "{:?}", replies.iter().map(|r| r.status).collect::<Vec<_>>());
    for reply in replies.iter().filter(|r| r.status == 429) {
        assert_eq!(reply.body["error"]["code"], "account_locked");
    }
    app.try_login(ADMIN_USERNAME, ADMIN_PASSWORD).await.assert_error(429, "account_locked");
}
