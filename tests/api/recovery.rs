//! Forgot / reset / change password, resend verification, mail limits, and a real SMTP
//! exchange.

use axum::Router;
use reqwest::Method;
use serde_json::json;

use crate::{auth::count_events, helpers::*};

fn without_request_id(reply: &Reply) -> serde_json::Value {
    let mut body = reply.body.clone();
    if let Some(error) = body.get_mut("error").and_then(|e| e.as_object_mut()) {
        error.remove("request_id");
    }
    body
}

#[tokio::test]
async fn forgot_password_and_resend_answer_identically_for_known_and_unknown_addresses() {
    let app = spawn_app().await;
    app.signup("henry", "henry@example.com", USER_PASSWORD).await.assert_ok(201);
    for path in ["/api/v1/auth/forgot-password", "/api/v1/auth/resend-verification"] {
        let known = app.post_json(path, &json!({"email": "henry@example.com"})).await;
        let unknown = app.post_json(path, &json!({"email": "nobody@example.com"})).await;
        let malformed = app.post_json(path, &json!({"email": "not an email"})).await;
        for reply in [&known, &unknown, &malformed] {
            assert_eq!(reply.assert_ok(202), &json!(null));
        }
        assert_eq!(without_request_id(&known), without_request_id(&unknown));
        assert_eq!(known.headers.get("content-length"), unknown.headers.get("content-length"));
        // Both routes share one per-address counter: let the first route's email go out
        // before the second route asks, so which one wins the cooldown is not a race.
        app.settle().await;
    }
    app.wait_for_token("henry@example.com", "reset-password").await;
    assert!(app.emails_to("nobody@example.com").is_empty());
}

#[tokio::test]
async fn reset_tokens_are_single_use_expiring_and_purpose_bound() {
    let app = spawn_app().await;
    let session = app.verified_user("ivy").await;
    app.post_json("/api/v1/auth/forgot-password", &json!({"email": "ivy@example.com"})).await.assert_ok(202);
    let reset = app.wait_for_token("ivy@example.com", "reset-password").await;
    let verify = app.wait_for_token("ivy@example.com", "verify-email").await;

    // A verification token is not a reset token, and trying uses nothing up.
    let wrong = app
        .post_json("/api/v1/auth/reset-password", &json!({"token": verify, "new_password": "x-ray-quartz-8812"}))
        .await;
    wrong.assert_error(400, "invalid_token");
    app.post_json("/api/v1/auth/verify-email", &json!({"token": reset})).await.assert_error(400, "invalid_token");

    // A password the policy refuses loses nothing either.
    let weak = app.post_json("/api/v1/auth/reset-password", &json!({"token": reset, "new_password": "short"})).await;
    weak.assert_error(422, "validation_failed");
    assert!(weak.body["error"]["fields"]["new_password"].is_array());

    let new_password = "x-ray-quartz-8812";
    app.post_json("/api/v1/auth/reset-password", &json!({"token": reset, "new_password": new_password}))
        .await
        .assert_ok(200);
    app.post_json("/api/v1/auth/reset-password", &json!({"token": reset, "new_password": "another-pass-4471"}))
        .await
        .assert_error(400, "invalid_token");

    // Every session ended; the old password is gone.
    session.me_bearer(&session.access_token).await.assert_error(401, "unauthorized");
    app.try_login("ivy", USER_PASSWORD).await.assert_error(401, "invalid_credentials");
    app.login("ivy", new_password).await;
    assert_eq!(count_events(&app, "password_reset").await, 1);
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let app =
        spawn_app_with(&[("RESET_TOKEN_TTL_SECONDS", "0"), ("VERIFY_TOKEN_TTL_SECONDS", "0")], Router::new()).await;
    app.signup("jack", "jack@example.com", USER_PASSWORD).await.assert_ok(201);
    let verify = app.wait_for_token("jack@example.com", "verify-email").await;
    app.post_json("/api/v1/auth/verify-email", &json!({"token": verify})).await.assert_error(400, "invalid_token");
    app.post_json("/api/v1/auth/forgot-password", &json!({"email": "jack@example.com"})).await.assert_ok(202);
    let reset = app.wait_for_token("jack@example.com", "reset-password").await;
    app.post_json("/api/v1/auth/reset-password", &json!({"token": reset, "new_password": "zebra-canyon-5521"}))
        .await
        .assert_error(400, "invalid_token");
}

#[tokio::test]
async fn a_new_link_supersedes_the_old_one_and_verified_accounts_get_none() {
    let app = spawn_app_with(&[("MAIL_COOLDOWN_SECONDS", "0")], Router::new()).await;
    app.signup("kate", "kate@example.com", USER_PASSWORD).await.assert_ok(201);
    let first = app.wait_for_token("kate@example.com", "verify-email").await;
    app.post_json("/api/v1/auth/resend-verification", &json!({"email": "kate@example.com"})).await.assert_ok(202);
    let second = app.wait_for_token("kate@example.com", "verify-email").await;
    assert_ne!(first, second);
    app.post_json("/api/v1/auth/verify-email", &json!({"token": first})).await.assert_error(400, "invalid_token");
    app.post_json("/api/v1/auth/verify-email", &json!({"token": second})).await.assert_ok(200);

    let before = app.emails_to("kate@example.com").len();
    app.post_json("/api/v1/auth/resend-verification", &json!({"email": "kate@example.com"})).await.assert_ok(202);
    app.settle().await;
    let verify_links =
        app.emails_to("kate@example.com").iter().filter(|e| token_in(e, "verify-email").is_some()).count();
    assert_eq!(verify_links, before, "an already verified account gets no verification email");
}

#[tokio::test]
async fn mail_limits_per_address_are_silent() {
    let app = spawn_app_with(&[("MAIL_COOLDOWN_SECONDS", "3600")], Router::new()).await;
    app.signup("liam", "liam@example.com", USER_PASSWORD).await.assert_ok(201);
    app.wait_for_token("liam@example.com", "verify-email").await;
    // The signup email does not count: the first forgot-password mail goes out.
    app.post_json("/api/v1/auth/forgot-password", &json!({"email": "liam@example.com"})).await.assert_ok(202);
    let first = app.wait_for_token("liam@example.com", "reset-password").await;
    // Inside the cooldown: still 202, and no new email.
    app.post_json("/api/v1/auth/forgot-password", &json!({"email": "liam@example.com"})).await.assert_ok(202);
    app.post_json("/api/v1/auth/resend-verification", &json!({"email": "liam@example.com"})).await.assert_ok(202);
    app.settle().await;
    let resets =
        app.emails_to("liam@example.com").iter().filter_map(|e| token_in(e, "reset-password")).collect::<Vec<_>>();
    assert_eq!(resets, vec![first]);
    assert_eq!(app.emails_to("liam@example.com").len(), 2, "signup + one reset");
}

/// Regression: the allowance was a count followed by an insert, so simultaneous requests
/// for one address could all pass the check before any was counted.
#[tokio::test]
async fn simultaneous_requests_for_one_address_send_one_email() {
    let app = spawn_app_with(&[("MAIL_COOLDOWN_SECONDS", "3600")], Router::new()).await;
    app.signup("mia", "mia@example.com", USER_PASSWORD).await.assert_ok(201);
    app.wait_for_token("mia@example.com", "verify-email").await;
    let body = json!({"email": "mia@example.com"});
    let requests = (0..8).map(|_| app.post_json("/api/v1/auth/forgot-password", &body));
    for reply in futures::future::join_all(requests).await {
        reply.assert_ok(202);
    }
    app.settle().await;
    let resets = app.emails_to("mia@example.com").iter().filter(|e| token_in(e, "reset-password").is_some()).count();
    assert_eq!(resets, 1);
}

#[tokio::test]
async fn change_password_checks_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let here = app.verified_user("noah").await;
    let elsewhere = app.login("noah", USER_PASSWORD).await;
    let change = |current: &str, new: &str| {
        here.unsafe_request(Method::POST, "/api/v1/auth/change-password")
            .json(&json!({"current_password": current, "new_password": new}))
    };
    let wrong = here.send(change("not-my-password", "fresh-orchid-7781")).await;
    wrong.assert_error(422, "validation_failed");
    assert!(wrong.body["error"]["fields"]["current_password"].is_array());
    let weak = here.send(change(USER_PASSWORD, "noah")).await;
    assert!(weak.body["error"]["fields"]["new_password"].is_array());

    here.send(change(USER_PASSWORD, "fresh-orchid-7781")).await.assert_ok(200);
    here.get("/api/v1/users/me").await.assert_ok(200);
    elsewhere.me_bearer(&elsewhere.access_token).await.assert_error(401, "unauthorized");
    app.login("noah", "fresh-orchid-7781").await;
}

#[tokio::test]
async fn a_real_smtp_exchange_carries_a_working_link() {
    let (port, mut received) = smtp_listener().await;
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("SMTP_URL", &smtp_url), ("MAIL_OUTBOX_DIR", "")], Router::new()).await;
    app.signup("olivia", "olivia@example.com", USER_PASSWORD).await.assert_ok(201);
    let message = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv())
        .await
        .expect("an email arrived over SMTP")
        .unwrap();
    let text = decode_email(&message);
    assert!(text.contains("To: olivia@example.com"));
    assert!(text.contains("Content-Type: multipart/alternative"), "text + HTML bodies");
    assert!(text.contains("text/html") && text.contains("text/plain"));
    let token = token_in(&text, "verify-email").expect("the verification link");
    let verified = app.post_json("/api/v1/auth/verify-email", &json!({"token": token})).await;
    assert_eq!(verified.assert_ok(200)["user"]["is_verified"], true);
    assert!(app.emails_to("olivia@example.com").is_empty(), "no outbox when MAIL_OUTBOX_DIR is empty");
}
