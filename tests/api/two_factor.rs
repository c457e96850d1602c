//! Two-factor sign-in (docs/API.md, "Two-factor"). Codes are computed here from the secret the server
//! shows, with the real clock: the server accepts one step of drift either way, so a code
//! for 30 s from now is a fresh time step without waiting for it.

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

use crate::helpers::*;

async fn post(session: &Session, path: &str, body: Value) -> Reply {
    session.send(session.request(Method::POST, path).bearer_auth(&session.access_token).json(&body)).await
}

fn code_at(secret: &str, offset_steps: i64) -> String {
    let totp = Builder::new().with_secret(Secret::try_from_base32(secret).unwrap()).build().unwrap();
    let now = chrono::Utc::now().timestamp() + offset_steps * 30;
    totp.generate(now as u64).to_string()
}

/// Turns two-factor on for `session`'s account; returns the secret and the recovery codes.
async fn enable(session: &Session) -> (String, Vec<String>) {
    let setup = post(session, "/api/v1/auth/2fa/setup", json!({"password": USER_PASSWORD})).await;
    let secret = setup.assert_ok(200)["secret"].as_str().unwrap().to_string();
    let enabled = post(session, "/api/v1/auth/2fa/enable", json!({"code": code_at(&secret, 0)})).await;
    let codes = enabled.assert_ok(200)["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (secret, codes)
}

async fn mfa_token(app: &TestApp, login: &str) -> String {
    let reply = app.try_login(login, USER_PASSWORD).await;
    let data = reply.assert_ok(200);
    assert_eq!(data["mfa_required"], true, "{}", reply.body);
    assert!(data.get("access_token").is_none());
    assert!(reply.headers.get("set-cookie").is_none(), "no cookie before the second factor");
    data["mfa_token"].as_str().unwrap().to_string()
}

async fn second_step(app: &TestApp, token: &str, code: &str) -> Reply {
    app.post_json("/api/v1/auth/login/2fa", &json!({"mfa_token": token, "code": code})).await
}

#[tokio::test]
async fn setup_needs_the_password_and_changes_nothing_until_a_code_confirms_it() {
    let app = spawn_app().await;
    let user = app.verified_user("tessa").await;
    post(&user, "/api/v1/auth/2fa/setup", json!({"password": "not-my-password"}))
        .await
        .assert_error(422, "validation_failed");
    let setup = post(&user, "/api/v1/auth/2fa/setup", json!({"password": USER_PASSWORD})).await;
    let data = setup.assert_ok(200).clone();
    let secret = data["secret"].as_str().unwrap();
    assert!(data["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/Pulse:tessa%40example.com?"), "{data}");
    assert!(data["qr_svg"].as_str().unwrap().contains("<svg"));
    // Not on yet: the password alone still logs in.
    assert!(app.try_login("tessa", USER_PASSWORD).await.assert_ok(200)["access_token"].is_string());
    post(&user, "/api/v1/auth/2fa/enable", json!({"code": "000000"})).await.assert_error(401, "invalid_code");
    let enabled = post(&user, "/api/v1/auth/2fa/enable", json!({"code": code_at(secret, 0)})).await;
    let codes = enabled.assert_ok(200)["recovery_codes"].as_array().unwrap().clone();
    assert_eq!(codes.len(), 10);
    let me = user.send(user.request(Method::GET, "/api/v1/users/me").bearer_auth(&user.access_token)).await;
    assert_eq!(me.assert_ok(200)["two_factor_enabled"], true, "enabling revokes no session");
    // The secret is stored sealed, never as the base32 the app shows.
    let stored = app
        .state
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            "SELECT totp_secret FROM users WHERE username = 'tessa'",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<String>(0)
        .unwrap();
    assert!(!stored.contains(secret) && !stored.is_empty());
}

#[tokio::test]
async fn login_takes_a_second_step_and_a_time_step_works_once() {
    let app = spawn_app().await;
    let user = app.verified_user("ulla").await;
    let (secret, _) = enable(&user).await;
    let token = mfa_token(&app, "ulla").await;
    // The step used at `enable` is spent.
    second_step(&app, &token, &code_at(&secret, 0)).await.assert_error(401, "invalid_code");
    second_step(&app, "not-a-token", &code_at(&secret, 1)).await.assert_error(401, "unauthorized");
    let fresh = code_at(&secret, 1);
    let reply = second_step(&app, &token, &fresh).await;
    assert!(reply.assert_ok(200)["access_token"].is_string());
    let cookies: Vec<&str> = reply.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).collect();
    assert_eq!(cookies.len(), 3, "{cookies:?}");
    let again = mfa_token(&app, "ulla").await;
    second_step(&app, &again, &fresh).await.assert_error(401, "invalid_code");
}

#[tokio::test]
async fn recovery_codes_work_once_and_regenerating_kills_the_old_ones() {
    let app = spawn_app().await;
    let user = app.verified_user("vera").await;
    let (secret, codes) = enable(&user).await;
    let token = mfa_token(&app, "vera").await;
    second_step(&app, &token, &codes[0].to_lowercase()).await.assert_ok(200);
    let token = mfa_token(&app, "vera").await;
    second_step(&app, &token, &codes[0]).await.assert_error(401, "invalid_code");

    let body = json!({"password": USER_PASSWORD, "code": codes[1]});
    let fresh = post(&user, "/api/v1/auth/2fa/recovery-codes", body).await;
    let new_codes = fresh.assert_ok(200)["recovery_codes"].as_array().unwrap().clone();
    let token = mfa_token(&app, "vera").await;
    second_step(&app, &token, &codes[2]).await.assert_error(401, "invalid_code");
    second_step(&app, &token, new_codes[0].as_str().unwrap()).await.assert_ok(200);
    let wrong_password = json!({"password": "nope-nope-nope", "code": code_at(&secret, 1)});
    post(&user, "/api/v1/auth/2fa/recovery-codes", wrong_password).await.assert_error(422, "validation_failed");
}

#[tokio::test]
async fn wrong_codes_count_toward_the_lockout() {
    let app = spawn_app().await;
    let user = app.verified_user("wanda").await;
    let (secret, _) = enable(&user).await;
    let token = mfa_token(&app, "wanda").await;
    for _ in 0..5 {
        second_step(&app, &token, "123456").await.assert_error(401, "invalid_code");
    }
    let locked = second_step(&app, &token, &code_at(&secret, 1)).await;
    locked.assert_error(429, "account_locked");
    app.try_login("wanda", USER_PASSWORD).await.assert_error(429, "account_locked");
}

#[tokio::test]
async fn disabling_needs_password_and_code_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    let user = app.verified_user("xena").await;
    let (secret, codes) = enable(&user).await;
    let token = mfa_token(&app, "xena").await;
    let other = second_step(&app, &token, &codes[0]).await;
    let other_token = other.assert_ok(200)["access_token"].as_str().unwrap().to_string();

    let wrong_password = json!({"password": "wrong-password-1", "code": code_at(&secret, 1)});
    post(&user, "/api/v1/auth/2fa/disable", wrong_password).await.assert_error(422, "validation_failed");
    let wrong_code = json!({"password": USER_PASSWORD, "code": "999999"});
    post(&user, "/api/v1/auth/2fa/disable", wrong_code).await.assert_error(401, "invalid_code");
    let disable = json!({"password": USER_PASSWORD, "code": code_at(&secret, 1)});
    post(&user, "/api/v1/auth/2fa/disable", disable).await.assert_ok(200);

    user.me_bearer(&other_token).await.assert_error(401, "unauthorized");
    assert_eq!(user.me_bearer(&user.access_token).await.assert_ok(200)["two_factor_enabled"], false);
    assert!(app.try_login("xena", USER_PASSWORD).await.assert_ok(200)["access_token"].is_string());
}

#[tokio::test]
async fn a_workspace_may_require_two_factor_of_its_members() {
    let app = spawn_app().await;
    let owner = app.verified_user("yara").await;
    let wid = owner.send(owner.request(Method::GET, "/api/v1/users/me").bearer_auth(&owner.access_token)).await.data()
        ["default_workspace_id"]
        .as_i64()
        .unwrap();
    let patch = json!({"settings": {"require_two_factor": true}});
    let path = format!("/api/v1/workspaces/{wid}");
    owner.send(owner.request(Method::PATCH, &path).bearer_auth(&owner.access_token).json(&patch)).await.assert_ok(200);
    let customers = format!("/api/v1/workspaces/{wid}/customers");
    let refused = owner.send(owner.request(Method::GET, &customers).bearer_auth(&owner.access_token)).await;
    refused.assert_error(403, "two_factor_required");
    enable(&owner).await;
    owner.send(owner.request(Method::GET, &customers).bearer_auth(&owner.access_token)).await.assert_ok(200);
}
