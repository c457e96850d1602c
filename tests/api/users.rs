//! `/api/v1/users` and `/auth/sessions`: profile edits, admin management with the
//! last-admin guard, immediate revocation on role change and deactivation.

use reqwest::Method;
use serde_json::json;

use crate::{auth::count_events, helpers::*};

async fn id_of(session: &Session) -> i64 {
    session.get("/api/v1/users/me").await.data()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn admin_routes_refuse_non_admins() {
    let app = spawn_app().await;
    let user = app.verified_user("paul").await;
    user.get("/api/v1/users").await.assert_error(403, "forbidden");
    user.get("/api/v1/users/1").await.assert_error(403, "forbidden");
    user.send(user.unsafe_request(Method::PATCH, "/api/v1/users/1").json(&json!({"role": "user"})))
        .await
        .assert_error(403, "forbidden");
    user.send(user.unsafe_request(Method::DELETE, "/api/v1/users/1")).await.assert_error(403, "forbidden");
    app.get("/api/v1/users").await.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn admins_list_and_filter_users() {
    let app = spawn_app().await;
    for name in ["quinn", "quentin", "rosa"] {
        app.signup(name, &format!("{name}@example.com"), USER_PASSWORD).await.assert_ok(201);
    }
    let admin = app.admin().await;
    let all = admin.get("/api/v1/users").await;
    let data = all.assert_ok(200);
    assert_eq!(
        (data["total"].as_u64(), data["page"].as_u64(), data["per_page"].as_u64()),
        (Some(4), Some(1), Some(50))
    );

    let q = admin.get("/api/v1/users?q=QU").await;
    let names: Vec<&str> =
        q.data()["items"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["quinn", "quentin"]);
    assert_eq!(admin.get("/api/v1/users?role=admin").await.data()["total"], 1);
    assert_eq!(admin.get("/api/v1/users?is_verified=false").await.data()["total"], 3);
    let page = admin.get("/api/v1/users?page=2&per_page=3").await;
    assert_eq!(page.data()["items"].as_array().unwrap().len(), 1);
    assert_eq!(admin.get("/api/v1/users?page=9").await.data()["items"], json!([]));
    admin.get("/api/v1/users?page=0").await.assert_error(400, "bad_request");
    admin.get("/api/v1/users?per_page=abc").await.assert_error(400, "bad_request");
    assert_eq!(admin.get("/api/v1/users?per_page=100000").await.data()["per_page"], 500);
    admin.get("/api/v1/users/999999").await.assert_error(404, "not_found");
    admin.get("/api/v1/users/not-a-number").await.assert_error(404, "not_found");
    let one = admin.get("/api/v1/users/1").await;
    assert_eq!(one.assert_ok(200)["username"], ADMIN_USERNAME);
}

#[tokio::test]
async fn role_changes_and_deactivation_revoke_sessions_at_once() {
    let app = spawn_app().await;
    let user = app.verified_user("sam").await;
    let id = id_of(&user).await;
    let admin = app.admin().await;
    let patch =
        |body: serde_json::Value| admin.unsafe_request(Method::PATCH, &format!("/api/v1/users/{id}")).json(&body);

    let promoted = admin.send(patch(json!({"role": "admin"}))).await;
    assert_eq!(promoted.assert_ok(200)["role"], "admin");
    user.me_bearer(&user.access_token).await.assert_error(401, "unauthorized");
    assert_eq!(count_events(&app, "role_change").await, 1);

    let again = app.login("sam", USER_PASSWORD).await;
    admin.send(patch(json!({"role": "nonsense"}))).await.assert_error(422, "validation_failed");
    let disabled = admin.send(patch(json!({"is_active": false}))).await;
    assert_eq!(disabled.assert_ok(200)["is_active"], false);
    again.me_bearer(&again.access_token).await.assert_error(403, "account_disabled");
    again.refresh().await.assert_error(403, "account_disabled");
    app.try_login("sam", USER_PASSWORD).await.assert_error(403, "account_disabled");
    app.try_login("sam", "wrong-password-here").await.assert_error(401, "invalid_credentials");
    assert_eq!(count_events(&app, "deactivation").await, 1);

    admin.send(patch(json!({"is_active": true}))).await.assert_ok(200);
    again.me_bearer(&again.access_token).await.assert_error(401, "unauthorized");
    app.login("sam", USER_PASSWORD).await;
    admin.send(patch(json!({"unknown_field": 1}))).await.assert_error(422, "validation_failed");
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_disabled_or_deleted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let patch = |id: i64, body: serde_json::Value| {
        admin.unsafe_request(Method::PATCH, &format!("/api/v1/users/{id}")).json(&body)
    };
    admin.send(patch(1, json!({"role": "user"}))).await.assert_error(409, "conflict");
    admin.send(patch(1, json!({"is_active": false}))).await.assert_error(409, "conflict");
    admin.send(admin.unsafe_request(Method::DELETE, "/api/v1/users/1")).await.assert_error(409, "conflict");

    let other = app.verified_user("tess").await;
    let id = id_of(&other).await;
    admin.send(patch(id, json!({"role": "admin"}))).await.assert_ok(200);
    let tess = app.login("tess", USER_PASSWORD).await;
    // Now admin 1 may step down; tess is the last one and cannot.
    tess.send(tess.unsafe_request(Method::DELETE, &format!("/api/v1/users/{id}"))).await.assert_error(409, "conflict");
    admin.send(patch(1, json!({"role": "user"}))).await.assert_ok(200);
    let tess_patch = tess.unsafe_request(Method::PATCH, &format!("/api/v1/users/{id}")).json(&json!({"role": "user"}));
    tess.send(tess_patch).await.assert_error(409, "conflict");
}

/// Two admins demoting each other at the same moment: one wins, the other is refused (409,
/// or 401 once the winner's change has ended its session), and an admin always remains.
#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_app().await;
    let mut survivor = app.admin().await;
    for round in 0..4 {
        let name = format!("peer{round}");
        let peer = app.verified_user(&name).await;
        let peer_id = id_of(&peer).await;
        let survivor_id = id_of(&survivor).await;
        let promote = survivor.unsafe_request(Method::PATCH, &format!("/api/v1/users/{peer_id}"));
        survivor.send(promote.json(&json!({"role": "admin"}))).await.assert_ok(200);
        let peer = app.login(&name, USER_PASSWORD).await;

        let demote = |by: &Session, id: i64| by.unsafe_request(Method::PATCH, &format!("/api/v1/users/{id}"));
        let (a, b) = tokio::join!(
            survivor.send(demote(&survivor, peer_id).json(&json!({"role": "user"}))),
            peer.send(demote(&peer, survivor_id).json(&json!({"role": "user"}))),
        );
        let statuses = [a.status.as_u16(), b.status.as_u16()];
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: {statuses:?}");
        assert!(statuses.iter().all(|s| [200, 401, 409].contains(s)), "round {round}: {statuses:?}");
        if statuses[1] == 200 {
            survivor = peer;
        }
        let admins = survivor.get("/api/v1/users?role=admin&is_active=true").await;
        assert_eq!(admins.assert_ok(200)["total"], 1, "round {round}");
    }
}

#[tokio::test]
async fn admins_delete_accounts() {
    let app = spawn_app().await;
    let user = app.verified_user("uma").await;
    let id = id_of(&user).await;
    let admin = app.admin().await;
    admin.send(admin.unsafe_request(Method::DELETE, &format!("/api/v1/users/{id}"))).await.assert_ok(200);
    admin.get(&format!("/api/v1/users/{id}")).await.assert_error(404, "not_found");
    admin
        .send(admin.unsafe_request(Method::DELETE, &format!("/api/v1/users/{id}")))
        .await
        .assert_error(404, "not_found");
    user.me_bearer(&user.access_token).await.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn profile_edits_and_a_new_email_needs_verifying() {
    let app = spawn_app().await;
    let user = app.verified_user("vera").await;
    app.signup("walt", "walt@example.com", USER_PASSWORD).await.assert_ok(201);
    let patch = |body: serde_json::Value| user.unsafe_request(Method::PATCH, "/api/v1/users/me").json(&body);

    let renamed = user.send(patch(json!({"username": "Vera.K"}))).await;
    assert_eq!(renamed.assert_ok(200)["username"], "Vera.K");
    user.send(patch(json!({"username": "WALT"}))).await.assert_error(409, "username_taken");
    user.send(patch(json!({"email": "walt@example.com"}))).await.assert_error(409, "email_taken");
    let bad = user.send(patch(json!({"email": "nope", "username": "x"}))).await;
    bad.assert_error(422, "validation_failed");
    assert!(bad.body["error"]["fields"]["email"].is_array() && bad.body["error"]["fields"]["username"].is_array());

    let moved = user.send(patch(json!({"email": "Vera.New@Example.com"}))).await;
    let data = moved.assert_ok(200);
    assert_eq!((data["email"].as_str(), data["is_verified"].as_bool()), (Some("vera.new@example.com"), Some(false)));
    let token = app.wait_for_token("vera.new@example.com", "verify-email").await;
    app.post_json("/api/v1/auth/verify-email", &json!({"token": token})).await.assert_ok(200);
    assert_eq!(user.get("/api/v1/users/me").await.data()["is_verified"], true);
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_individually() {
    let app = spawn_app().await;
    let laptop = app.verified_user("xena").await;
    let phone = app.login("xena", USER_PASSWORD).await;
    let stranger = app.verified_user("yuri").await;

    let list = laptop.get("/api/v1/auth/sessions").await;
    let items = list.assert_ok(200)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|s| s["current"] == true).count(), 1);
    for s in &items {
        for key in ["id", "created_at", "last_used_at", "user_agent", "ip", "current"] {
            assert!(s.get(key).is_some(), "{key} in {s}");
        }
        assert_eq!(s["ip"], "127.0.0.1");
    }
    let phone_id = items.iter().find(|s| s["current"] == false).unwrap()["id"].as_i64().unwrap();

    let stranger_try =
        stranger.send(stranger.unsafe_request(Method::DELETE, &format!("/api/v1/auth/sessions/{phone_id}"))).await;
    stranger_try.assert_error(404, "not_found");
    laptop
        .send(laptop.unsafe_request(Method::DELETE, "/api/v1/auth/sessions/999999"))
        .await
        .assert_error(404, "not_found");
    laptop
        .send(laptop.unsafe_request(Method::DELETE, &format!("/api/v1/auth/sessions/{phone_id}")))
        .await
        .assert_ok(200);
    phone.me_bearer(&phone.access_token).await.assert_error(401, "unauthorized");
    laptop.get("/api/v1/users/me").await.assert_ok(200);
    assert_eq!(laptop.get("/api/v1/auth/sessions").await.data()["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn auth_events_never_hold_secrets() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    app.try_login(ADMIN_USERNAME, "a-wrong-secret-password").await;
    app.login(ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let db = &app.state.db;
    let rows = db
        .query_all_raw(pulse::core::database::stmt(db, "SELECT kind, login, detail FROM auth_events", []))
        .await
        .unwrap();
    let dump: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?}",
                r.try_get::<String>("", "kind").unwrap(),
                r.try_get::<Option<String>>("", "login").unwrap(),
                r.try_get::<Option<String>>("", "detail").unwrap()
            )
        })
        .collect();
    let text = dump.join("\n");
    assert!(text.contains("login_failure") && text.contains("login_success"), "{text}");
    assert!(!text.contains("a-wrong-secret-password") && !text.contains(ADMIN_PASSWORD), "{text}");
}
