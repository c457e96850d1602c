//! Signup, verification, login, cookies, access-token attacks, refresh rotation, logout,
//! CSRF and the auth headers.

use axum::{Router, routing::get};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use pulse::{api::extractors::VerifiedUser, services::state::AppState};
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn signup_then_verify_via_the_emailed_link_then_login() {
    let app = spawn_app().await;
    let reply = app.signup("Alice_1", "Alice@Example.com", USER_PASSWORD).await;
    let user = &reply.assert_ok(201)["user"];
    assert_eq!(user["username"], "Alice_1");
    assert_eq!(user["email"], "alice@example.com", "emails are stored lowercase");
    assert_eq!(user["role"], "user");
    assert_eq!(user["is_verified"], false);
    assert_eq!(user["is_active"], true);
    let keys: Vec<&str> = user.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 11, "exactly UserRead's fields (since workspaces and two-factor): {keys:?}");
    assert!(!reply.body.to_string().contains("argon2"), "no hash leaks");

    // Unverified: logs in with a warning, and data routes answer 403.
    let unverified = app.login("alice@example.com", USER_PASSWORD).await;
    let login = app.try_login("ALICE_1", USER_PASSWORD).await;
    assert_eq!(login.assert_ok(200)["warnings"], json!(["email_not_verified"]));

    let token = app.wait_for_token("alice@example.com", "verify-email").await;
    let verified = app.post_json("/api/v1/auth/verify-email", &json!({"token": token})).await;
    assert_eq!(verified.assert_ok(200)["user"]["is_verified"], true);
    let again = app.post_json("/api/v1/auth/verify-email", &json!({"token": token})).await;
    assert_eq!(again.assert_ok(200)["user"]["is_verified"], true, "a second click is fine");
    app.post_json("/api/v1/auth/verify-email", &json!({"token": "nonsense"})).await.assert_error(400, "invalid_token");

    let login = app.try_login("alice_1", USER_PASSWORD).await;
    assert_eq!(login.assert_ok(200)["warnings"], json!([]));
    let me = unverified.get("/api/v1/users/me").await;
    assert_eq!(me.assert_ok(200)["is_verified"], true);
}

#[tokio::test]
async fn unverified_accounts_get_403_on_data_routes() {
    let data_route = Router::<AppState>::new().route("/api/v1/test-data", get(|_: VerifiedUser| async { "data" }));
    let app = spawn_app_with(&[], data_route).await;
    app.signup("bob", "bob@example.com", USER_PASSWORD).await.assert_ok(201);
    let bob = app.login("bob", USER_PASSWORD).await;
    bob.get("/api/v1/test-data").await.assert_error(403, "email_not_verified");
    let admin = app.admin().await;
    let ok = admin.send(admin.request(Method::GET, "/api/v1/test-data")).await;
    assert_eq!(ok.status, 200);
    app.get("/api/v1/test-data").await.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn signup_rejects_duplicates_and_weak_input() {
    let app = spawn_app().await;
    app.signup("carol", "carol@example.com", USER_PASSWORD).await.assert_ok(201);
    app.signup("carol2", "CAROL@example.com", USER_PASSWORD).await.assert_error(409, "email_taken");
    app.signup("CaRoL", "other@example.com", USER_PASSWORD).await.assert_error(409, "username_taken");

    let bad = app.signup("x", "not-an-email", "pass").await;
    bad.assert_error(422, "validation_failed");
    let fields = &bad.body["error"]["fields"];
    assert!(fields["username"][0].as_str().unwrap().contains("3 to 32"));
    assert_eq!(fields["email"][0], "is not a valid email address");
    assert!(fields["password"][0].as_str().unwrap().contains("at least 8"));

    let common = app.signup("dave", "dave@example.com", "iloveyou1").await;
    assert!(common.body["error"]["fields"]["password"][0].as_str().unwrap().contains("too common"));
    let same = app.signup("dave_the_great", "dave@example.com", "dave_the_great").await;
    assert!(same.body["error"]["fields"]["password"][0].as_str().unwrap().contains("username or email"));
    app.post_json("/api/v1/auth/signup", &json!({"username": "eve"})).await.assert_error(422, "validation_failed");
}

#[tokio::test]
async fn the_design_notes_admin_logs_in_with_the_contract_cookies() {
    let app = spawn_app().await;
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(response.headers()["cache-control"], "no-store");
    let reply = read(response).await;
    let data = reply.assert_ok(200);
    assert_eq!(data["user"]["role"], "admin");
    assert_eq!(data["token_type"], "bearer");
    assert_eq!(data["expires_in"], 900);
    assert!(data.get("refresh_token").is_none(), "the refresh token is never in a body");

    let find = |name: &str| cookies.iter().find(|c| c.starts_with(&format!("{name}="))).unwrap().clone();
    let access = find("access_token");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=900"] {
        assert!(access.contains(part), "{access}");
    }
    let refresh = find("refresh_token");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth", "Max-Age=1209600"] {
        assert!(refresh.contains(part), "{refresh}");
    }
    let csrf = find("csrf_token");
    assert!(!csrf.contains("HttpOnly") && csrf.contains("SameSite=Lax") && csrf.contains("Max-Age=1209600"), "{csrf}");
    assert!(cookies.iter().all(|c| !c.contains("Secure")), "not Secure in development");

    let secure = spawn_app_with(&[("COOKIE_SECURE", "true")], Router::new()).await;
    let response = reqwest::Client::new()
        .post(secure.url("/api/v1/auth/login"))
        .json(&json!({"login": ADMIN_USERNAME, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(response.headers().get_all("set-cookie").iter().all(|c| c.to_str().unwrap().contains("Secure")));
}

#[tokio::test]
async fn bearer_and_cookie_both_authenticate_and_auth_answers_are_never_cached() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let by_cookie = admin.get("/api/v1/users/me").await;
    assert_eq!(by_cookie.assert_ok(200)["username"], ADMIN_USERNAME);
    assert_eq!(by_cookie.header("cache-control"), Some("no-store"));
    let by_bearer = admin.me_bearer(&admin.access_token).await;
    assert_eq!(by_bearer.assert_ok(200)["username"], ADMIN_USERNAME);
    let anonymous = app.get("/api/v1/users/me").await;
    anonymous.assert_error(401, "unauthorized");
    assert_eq!(anonymous.header("cache-control"), Some("no-store"));
    let failed = app.try_login("nobody", "wrong-password").await;
    assert_eq!(failed.header("cache-control"), Some("no-store"));
}

fn forge(kid: Option<&str>, secret: &str, claims: serde_json::Value) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid.map(String::from);
    encode(&header, &claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

#[tokio::test]
async fn forged_and_tampered_access_tokens_are_401() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let secret = test_vars(&app.dir, "")["JWT_SECRET"].clone();
    let payload = admin.access_token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).unwrap(),
    )
    .unwrap();
    assert_eq!(claims["typ"], "access");
    assert!(claims["sid"].is_string() && claims["iss"].is_string() && claims["aud"].is_string());

    let valid = forge(Some("k1"), &secret, claims.clone());
    admin.me_bearer(&valid).await.assert_ok(200);

    let mut attacks = vec![
        ("wrong key", forge(Some("k1"), "another-secret-of-enough-length-000000", claims.clone())),
        ("unknown kid", forge(Some("k9"), &secret, claims.clone())),
        ("no kid", forge(None, &secret, claims.clone())),
    ];
    let mut wrong_aud = claims.clone();
    wrong_aud["aud"] = json!("someone-else");
    attacks.push(("wrong aud", forge(Some("k1"), &secret, wrong_aud)));
    let mut wrong_typ = claims.clone();
    wrong_typ["typ"] = json!("refresh");
    attacks.push(("wrong typ", forge(Some("k1"), &secret, wrong_typ)));
    let mut expired = claims.clone();
    expired["exp"] = json!(jsonwebtoken::get_current_timestamp() - 3600);
    attacks.push(("expired", forge(Some("k1"), &secret, expired)));
    let none_header =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, r#"{"alg":"none","kid":"k1"}"#);
    attacks.push(("alg none", format!("{none_header}.{payload}.")));
    let mut tampered = admin.access_token.clone();
    tampered.pop();
    tampered.push(if admin.access_token.ends_with('A') { 'B' } else { 'A' });
    attacks.push(("tampered signature", tampered));
    attacks.push(("garbage", "not.a.jwt".into()));

    for (name, token) in attacks {
        let reply = admin.me_bearer(&token).await;
        assert_eq!(reply.status, 401, "{name}: {}", reply.body);
        reply.assert_error(401, "unauthorized");
    }
}

#[tokio::test]
async fn refresh_rotates_and_a_replay_after_the_grace_window_revokes_the_family() {
    let app = spawn_app_with(&[("REFRESH_REUSE_GRACE_SECONDS", "0")], Router::new()).await;
    let session = app.admin().await;
    let first = session.cookie("refresh_token").unwrap();

    let rotated = session.refresh().await;
    let data = rotated.assert_ok(200);
    assert_eq!(data["user"]["username"], ADMIN_USERNAME);
    assert!(data.get("refresh_token").is_none());
    let second = session.cookie("refresh_token").unwrap();
    assert_ne!(first, second, "rotated on use");
    let new_access = data["access_token"].as_str().unwrap().to_string();

    // Replay the first token from an attacker's browser.
    let (thief, thief_jar) = browser();
    let url: reqwest::Url = app.url("/").parse().unwrap();
    thief_jar.add_cookie_str(&format!("refresh_token={first}; Path=/api/v1/auth"), &url);
    thief_jar.add_cookie_str("csrf_token=x; Path=/", &url);
    let replay =
        read(thief.post(app.url("/api/v1/auth/refresh")).header("x-csrf-token", "x").send().await.unwrap()).await;
    replay.assert_error(401, "token_reused");

    // The whole family is dead: the successor and the access tokens of the session.
    session.refresh().await.assert_error(401, "unauthorized");
    session.me_bearer(&new_access).await.assert_error(401, "unauthorized");
    let events = count_events(&app, "refresh_reuse").await;
    assert_eq!(events, 1);
}

#[tokio::test]
async fn concurrent_refreshes_inside_the_grace_window_both_succeed() {
    let app = spawn_app().await;
    let session = app.admin().await;
    let (a, b) = tokio::join!(session.refresh(), session.refresh());
    a.assert_ok(200);
    b.assert_ok(200);
    let cookie_of = |reply: &Reply| {
        reply
            .headers
            .get_all("set-cookie")
            .iter()
            .find_map(|c| {
                c.to_str().unwrap().strip_prefix("refresh_token=").map(|v| v.split(';').next().unwrap().to_string())
            })
            .unwrap()
    };
    assert_eq!(cookie_of(&a), cookie_of(&b), "both tabs get the same successor");
    session.refresh().await.assert_ok(200);
    session.get("/api/v1/users/me").await.assert_ok(200);
}

#[tokio::test]
async fn refresh_needs_its_cookie_and_csrf_header() {
    let app = spawn_app().await;
    let session = app.admin().await;
    let no_header = session.send(session.request(Method::POST, "/api/v1/auth/refresh")).await;
    no_header.assert_error(403, "csrf_failed");
    let (anon, _) = browser();
    let reply = read(anon.post(app.url("/api/v1/auth/refresh")).send().await.unwrap()).await;
    assert!(reply.status == 401 || reply.status == 403, "{}", reply.body);
}

#[tokio::test]
async fn logout_revokes_at_once_and_clears_cookies() {
    let app = spawn_app().await;
    let session = app.admin().await;
    let other = app.admin().await;
    let response = session.unsafe_request(Method::POST, "/api/v1/auth/logout").send().await.unwrap();
    let cleared: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let reply = read(response).await;
    assert_eq!(reply.assert_ok(200), &json!(null));
    for name in ["access_token=", "refresh_token=", "csrf_token="] {
        assert!(cleared.iter().any(|c| c.starts_with(name) && c.contains("Max-Age=0")), "{name} {cleared:?}");
    }
    session.me_bearer(&session.access_token).await.assert_error(401, "unauthorized");
    other.get("/api/v1/users/me").await.assert_ok(200);

    let third = app.admin().await;
    third.send(third.unsafe_request(Method::POST, "/api/v1/auth/logout-all")).await.assert_ok(200);
    other.me_bearer(&other.access_token).await.assert_error(401, "unauthorized");
    third.me_bearer(&third.access_token).await.assert_error(401, "unauthorized");
    other.refresh().await.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn csrf_protects_cookie_authenticated_unsafe_requests() {
    let app = spawn_app_with(&[("CORS_ORIGIN", "http://ui.test:5173")], Router::new()).await;
    let session = app.admin().await;
    let patch = |csrf: Option<&str>, extra: &[(&str, &str)]| {
        let mut req = session.request(Method::PATCH, "/api/v1/users/me").json(&json!({}));
        if let Some(token) = csrf {
            req = req.header("x-csrf-token", token);
        }
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        req
    };
    let csrf = session.cookie("csrf_token").unwrap();
    session.send(patch(None, &[])).await.assert_error(403, "csrf_failed");
    session.send(patch(Some("wrong"), &[])).await.assert_error(403, "csrf_failed");
    session.send(patch(Some(&csrf), &[("origin", "https://evil.test")])).await.assert_error(403, "csrf_failed");
    session.send(patch(Some(&csrf), &[("sec-fetch-site", "cross-site")])).await.assert_error(403, "csrf_failed");
    session.send(patch(Some(&csrf), &[])).await.assert_ok(200);
    session
        .send(patch(Some(&csrf), &[("origin", "http://ui.test:5173"), ("sec-fetch-site", "cross-site")]))
        .await
        .assert_ok(200);
    session.send(patch(Some(&csrf), &[("origin", &app.base.clone())])).await.assert_ok(200);

    // Bearer clients are exempt; safe methods need nothing.
    let bearer = reqwest::Client::new()
        .patch(app.url("/api/v1/users/me"))
        .bearer_auth(&session.access_token)
        .header("origin", "https://evil.test")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);
    session.get("/api/v1/users/me").await.assert_ok(200);

    // Login CSRF: a foreign page cannot log the victim in.
    let forged = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("origin", "https://evil.test")
                .json(&json!({"login": ADMIN_USERNAME, "password": ADMIN_PASSWORD})),
        )
        .await;
    forged.assert_error(403, "csrf_failed");
    let forged_signup = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/signup"))
                .header("sec-fetch-site", "cross-site")
                .json(&json!({"username": "mallory", "email": "m@example.com", "password": USER_PASSWORD})),
        )
        .await;
    forged_signup.assert_error(403, "csrf_failed");
}

#[tokio::test]
async fn per_ip_rate_limit_on_auth_routes() {
    let app = spawn_app_with(&[("AUTH_RATE_LIMIT_PER_MINUTE", "3")], Router::new()).await;
    for _ in 0..3 {
        app.post_json("/api/v1/auth/forgot-password", &json!({"email": "x@example.com"})).await.assert_ok(202);
    }
    let limited = app.post_json("/api/v1/auth/forgot-password", &json!({"email": "x@example.com"})).await;
    limited.assert_error(429, "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    app.get("/health/live").await.assert_ok(200);
}

/// With `RATE_LIMIT_URL`, instances share one budget per IP: three requests spread over two
/// instances use it up for both. Needs Redis on 127.0.0.1:6379 (the test command starts
/// Debian's `redis-server` where none answers).
#[tokio::test]
async fn the_per_ip_limit_holds_across_instances_through_redis() {
    if tokio::net::TcpStream::connect("127.0.0.1:6379").await.is_err() {
        eprintln!("SKIPPED: no Redis on 127.0.0.1:6379");
        return;
    }
    // Redis counts fixed one-minute windows: a new window between the requests below would
    // give them a fresh budget, so the test does not start in a minute's last 10 seconds.
    let into_minute = chrono::Utc::now().timestamp_millis().rem_euclid(60_000) as u64;
    if into_minute > 50_000 {
        tokio::time::sleep(std::time::Duration::from_millis(60_000 - into_minute + 100)).await;
    }
    let prefix = format!("pulse-test-{}", ulid::Ulid::new());
    let shared = [
        ("AUTH_RATE_LIMIT_PER_MINUTE", "3"),
        ("RATE_LIMIT_URL", "redis://127.0.0.1:6379/"),
        ("RATE_LIMIT_PREFIX", &prefix),
    ];
    let a = spawn_app_with(&shared, Router::new()).await;
    let b = spawn_app_with(&shared, Router::new()).await;
    let forgot = json!({"email": "x@example.com"});
    a.post_json("/api/v1/auth/forgot-password", &forgot).await.assert_ok(202);
    b.post_json("/api/v1/auth/forgot-password", &forgot).await.assert_ok(202);
    a.post_json("/api/v1/auth/forgot-password", &forgot).await.assert_ok(202);
    let limited = b.post_json("/api/v1/auth/forgot-password", &forgot).await;
    limited.assert_error(429, "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    a.post_json("/api/v1/auth/forgot-password", &forgot).await.assert_error(429, "rate_limited");
}

pub async fn count_events(app: &TestApp, kind: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = &app.state.db;
    let row = db
        .query_one_raw(pulse::core::database::stmt(
            db,
            "SELECT COUNT(*) AS n FROM auth_events WHERE kind = $1",
            [kind.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}
