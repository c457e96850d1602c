//! Workspaces, roles and invitations: a stranger sees nothing that is not theirs; every
//! route answers each role as the role table of docs/API.md says; invitations over
//! real SMTP; the last owner never disappears.

use std::collections::HashMap;

use axum::Router;
use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;

async fn send(session: &Session, method: Method, path: &str, body: Option<Value>) -> Reply {
    let mut request = session.request(method, path).bearer_auth(&session.access_token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    session.send(request).await
}

async fn default_workspace(session: &Session) -> i64 {
    send(session, Method::GET, "/api/v1/users/me", None).await.assert_ok(200)["default_workspace_id"]
        .as_i64()
        .expect("a default workspace")
}

async fn user_id(session: &Session) -> i64 {
    send(session, Method::GET, "/api/v1/users/me", None).await.assert_ok(200)["id"].as_i64().unwrap()
}

async fn add_customer(session: &Session, wid: i64, email: &str) -> i64 {
    let body = json!({"name": "Ann", "email": email, "satisfaction_score": 2, "review": "slow and rude"});
    let reply = send(session, Method::POST, &format!("/api/v1/workspaces/{wid}/customers"), Some(body)).await;
    reply.assert_ok(201)["id"].as_i64().unwrap()
}

/// Invites `email` with `role` and returns the token of the emailed link.
pub async fn invite(app: &TestApp, by: &Session, wid: i64, email: &str, role: &str) -> String {
    let body = json!({"email": email, "role": role});
    send(by, Method::POST, &format!("/api/v1/workspaces/{wid}/invitations"), Some(body)).await.assert_ok(201);
    app.wait_for_token(email, "invite").await
}

/// Signs up through an invitation: the account is verified at once and joins the workspace.
pub async fn join(app: &TestApp, token: &str, username: &str) -> Session {
    let body = json!({"username": username, "email": format!("{username}@example.com"),
                      "password": USER_PASSWORD, "invitation_token": token});
    let reply = app.post_json("/api/v1/auth/signup", &body).await;
    assert_eq!(reply.assert_ok(201)["user"]["is_verified"], true, "{}", reply.body);
    app.login(username, USER_PASSWORD).await
}

/// A workspace with one account of each role, and a stranger with a workspace of their own.
struct Team {
    wid: i64,
    customer: i64,
    by_role: HashMap<&'static str, Session>,
    stranger: Session,
}

async fn team(app: &TestApp) -> Team {
    let owner = app.verified_user("owner1").await;
    let wid = default_workspace(&owner).await;
    let customer = add_customer(&owner, wid, "c1@example.com").await;
    let mut by_role = HashMap::new();
    for role in ["viewer", "member", "admin"] {
        let name = format!("{role}1");
        let token = invite(app, &owner, wid, &format!("{name}@example.com"), role).await;
        by_role.insert(role, join(app, &token, &name).await);
    }
    by_role.insert("owner", owner);
    let stranger = app.verified_user("stranger").await;
    Team { wid, customer, by_role, stranger }
}

#[tokio::test]
async fn signup_creates_a_workspace_of_ones_own_and_a_stranger_sees_nothing_else() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let admin_wid = default_workspace(&admin).await;
    let secret = add_customer(&admin, admin_wid, "secret@example.com").await;

    let stranger = app.verified_user("stranger").await;
    let own = send(&stranger, Method::GET, "/api/v1/workspaces", None).await;
    let items = own.assert_ok(200)["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!((items[0]["name"].as_str(), items[0]["role"].as_str()), (Some("stranger's workspace"), Some("owner")));

    let list = send(&stranger, Method::GET, "/api/v1/customers", None).await;
    assert_eq!(list.assert_ok(200)["total"], 0, "the stranger's own workspace is empty");
    let summary = send(&stranger, Method::GET, "/api/v1/analytics/summary", None).await;
    assert_eq!(summary.assert_ok(200)["count"], 0);
    send(&stranger, Method::GET, &format!("/api/v1/customers/{secret}"), None).await.assert_error(404, "not_found");
    for path in [
        format!("/api/v1/workspaces/{admin_wid}"),
        format!("/api/v1/workspaces/{admin_wid}/customers"),
        format!("/api/v1/workspaces/{admin_wid}/customers/{secret}"),
        format!("/api/v1/workspaces/{admin_wid}/customers/export"),
        format!("/api/v1/workspaces/{admin_wid}/analytics/summary"),
        format!("/api/v1/workspaces/{admin_wid}/members"),
        "/api/v1/workspaces/999999/customers".to_string(),
    ] {
        send(&stranger, Method::GET, &path, None).await.assert_error(404, "not_found");
    }
    let patch = json!({"name": "Mine now"});
    let path = format!("/api/v1/workspaces/{admin_wid}/customers/{secret}");
    send(&stranger, Method::PATCH, &path, Some(patch)).await.assert_error(404, "not_found");
    send(&stranger, Method::DELETE, &path, None).await.assert_error(404, "not_found");
    assert_eq!(send(&admin, Method::GET, &path, None).await.assert_ok(200)["name"], "Ann", "nothing changed");
}

#[tokio::test]
async fn the_same_email_may_be_a_customer_of_two_workspaces() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let other = app.verified_user("other").await;
    let (a, b) = (default_workspace(&admin).await, default_workspace(&other).await);
    add_customer(&admin, a, "shared@example.com").await;
    add_customer(&other, b, "shared@example.com").await;
    let again = json!({"name": "Ann", "email": "shared@example.com", "satisfaction_score": 4});
    let reply = send(&admin, Method::POST, "/api/v1/customers", Some(again)).await;
    reply.assert_error(409, "email_taken");
    let summary = send(&other, Method::GET, &format!("/api/v1/workspaces/{b}/analytics/summary"), None).await;
    assert_eq!(summary.assert_ok(200)["count"], 1, "daily counts are per workspace");
}

/// Every customer, analytics, workspace and invitation route for every role, from one table:
/// the status each role gets. `V`, `M`, `A`, `O` are viewer, member, admin, owner.
#[tokio::test]
async fn every_route_answers_every_role_as_the_contract_says() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (w, c) = (team.wid, team.customer);
    // (method, path, body, least role, success status)
    let routes: Vec<(Method, String, Option<Value>, &str, u16)> = vec![
        (Method::GET, format!("/api/v1/workspaces/{w}"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/members"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/customers"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/customers/{c}"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/customers/export"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/analytics/summary"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/analytics/trends"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/analytics/distribution"), None, "viewer", 200),
        (Method::GET, format!("/api/v1/workspaces/{w}/analytics/keywords"), None, "viewer", 200),
        (
            Method::POST,
            format!("/api/v1/workspaces/{w}/customers"),
            Some(json!({"name": "N", "email": "{role}-new@example.com", "satisfaction_score": 4})),
            "member",
            201,
        ),
        (
            Method::PATCH,
            format!("/api/v1/workspaces/{w}/customers/{c}"),
            Some(json!({"satisfaction_score": 3})),
            "member",
            200,
        ),
        (Method::GET, format!("/api/v1/workspaces/{w}/invitations"), None, "admin", 200),
        (
            Method::POST,
            format!("/api/v1/workspaces/{w}/invitations"),
            Some(json!({"email": "{role}-invitee@example.com", "role": "viewer"})),
            "admin",
            201,
        ),
        (
            Method::PATCH,
            format!("/api/v1/workspaces/{w}"),
            Some(json!({"settings": {"low_score_threshold": 3}})),
            "admin",
            200,
        ),
        (Method::PATCH, format!("/api/v1/workspaces/{w}"), Some(json!({"name": "Renamed"})), "owner", 200),
    ];
    let rank = |role: &str| ["viewer", "member", "admin", "owner"].iter().position(|r| *r == role).unwrap();
    for (method, path, body, least, success) in &routes {
        for role in ["viewer", "member", "admin", "owner"] {
            let session = &team.by_role[role];
            let body = body.as_ref().map(|b| serde_json::from_str(&b.to_string().replace("{role}", role)).unwrap());
            let reply = send(session, method.clone(), path, body).await;
            let want = if rank(role) >= rank(least) { *success } else { 403 };
            assert_eq!(reply.status.as_u16(), want, "{role} {method} {path}: {}", reply.body);
            if want == 403 {
                reply.assert_error(403, "forbidden");
            }
            let stranger = send(&team.stranger, method.clone(), path, None).await;
            assert_eq!(stranger.status.as_u16(), 404, "a non-member {method} {path}: {}", stranger.body);
        }
    }
    // Import needs a member; deleting a customer too (last, since it removes the row).
    for role in ["viewer", "member"] {
        let session = &team.by_role[role];
        let request = session
            .request(Method::POST, &format!("/api/v1/workspaces/{w}/customers/import?dry_run=true"))
            .bearer_auth(&session.access_token)
            .header("content-type", "text/csv")
            .body("name,email,score\nA,a@example.com,4\n");
        let reply = session.send(request).await;
        assert_eq!(reply.status.as_u16(), if role == "viewer" { 403 } else { 200 }, "{role}: {}", reply.body);
    }
    let path = format!("/api/v1/workspaces/{w}/customers/{c}");
    send(&team.by_role["viewer"], Method::DELETE, &path, None).await.assert_error(403, "forbidden");
    send(&team.by_role["member"], Method::DELETE, &path, None).await.assert_ok(200);
    // Deleting the workspace: the owner alone.
    let confirm = json!({"confirm": "Renamed"});
    send(&team.by_role["admin"], Method::DELETE, &format!("/api/v1/workspaces/{w}"), Some(confirm.clone()))
        .await
        .assert_error(403, "forbidden");
    send(&team.by_role["owner"], Method::DELETE, &format!("/api/v1/workspaces/{w}"), Some(json!({"confirm": "nope"})))
        .await
        .assert_error(422, "validation_failed");
    send(&team.by_role["owner"], Method::DELETE, &format!("/api/v1/workspaces/{w}"), Some(confirm))
        .await
        .assert_ok(200);
    send(&team.by_role["owner"], Method::GET, &format!("/api/v1/workspaces/{w}/customers"), None)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn admins_manage_members_but_never_owners_and_the_last_owner_stays() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let w = team.wid;
    let (owner_id, admin_id, member_id, viewer_id) = (
        user_id(&team.by_role["owner"]).await,
        user_id(&team.by_role["admin"]).await,
        user_id(&team.by_role["member"]).await,
        user_id(&team.by_role["viewer"]).await,
    );
    let admin = &team.by_role["admin"];
    let owner = &team.by_role["owner"];
    let member_path = |id: i64| format!("/api/v1/workspaces/{w}/members/{id}");

    let promote = send(admin, Method::PATCH, &member_path(member_id), Some(json!({"role": "admin"}))).await;
    assert_eq!(promote.assert_ok(200)["role"], "admin");
    send(admin, Method::PATCH, &member_path(viewer_id), Some(json!({"role": "owner"})))
        .await
        .assert_error(403, "forbidden");
    send(admin, Method::PATCH, &member_path(owner_id), Some(json!({"role": "member"})))
        .await
        .assert_error(403, "forbidden");
    send(admin, Method::DELETE, &member_path(owner_id), None).await.assert_error(403, "forbidden");
    send(admin, Method::PATCH, &member_path(viewer_id), Some(json!({"role": "king"})))
        .await
        .assert_error(422, "validation_failed");

    // The only owner can neither leave, nor be demoted.
    send(owner, Method::DELETE, &member_path(owner_id), None).await.assert_error(409, "conflict");
    send(owner, Method::PATCH, &member_path(owner_id), Some(json!({"role": "admin"})))
        .await
        .assert_error(409, "conflict");
    // With a second owner, the first may leave; a viewer may leave too.
    send(owner, Method::PATCH, &member_path(admin_id), Some(json!({"role": "owner"}))).await.assert_ok(200);
    send(owner, Method::DELETE, &member_path(owner_id), None).await.assert_ok(200);
    send(&team.by_role["viewer"], Method::DELETE, &member_path(viewer_id), None).await.assert_ok(200);
    send(&team.by_role["viewer"], Method::GET, &format!("/api/v1/workspaces/{w}"), None)
        .await
        .assert_error(404, "not_found");
    let members = send(admin, Method::GET, &format!("/api/v1/workspaces/{w}/members"), None).await;
    let roles: Vec<(&str, &str)> = members.assert_ok(200)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["username"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("member1", "admin"), ("admin1", "owner")]);
}

/// Two owners demoting each other at the same moment: one owner remains.
#[tokio::test]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let app = spawn_app().await;
    let owner = app.verified_user("first").await;
    let w = default_workspace(&owner).await;
    let token = invite(&app, &owner, w, "second@example.com", "owner").await;
    let second = join(&app, &token, "second").await;
    let (first_id, second_id) = (user_id(&owner).await, user_id(&second).await);
    let path = |id: i64| format!("/api/v1/workspaces/{w}/members/{id}");
    let (to_second, to_first) = (path(second_id), path(first_id));
    let (a, b) = tokio::join!(
        send(&owner, Method::PATCH, &to_second, Some(json!({"role": "member"}))),
        send(&second, Method::PATCH, &to_first, Some(json!({"role": "member"})))
    );
    let mut statuses = [a.status.as_u16(), b.status.as_u16()];
    statuses.sort();
    assert!(statuses == [200, 409] || statuses == [200, 403], "{statuses:?}: {} / {}", a.body, b.body);
    let members = send(&owner, Method::GET, &format!("/api/v1/workspaces/{w}/members"), None).await;
    let owners = members.data()["items"].as_array().unwrap().iter().filter(|m| m["role"] == "owner").count();
    let members = if owners == 0 {
        send(&second, Method::GET, &format!("/api/v1/workspaces/{w}/members"), None).await
    } else {
        members
    };
    let owners = members.data()["items"].as_array().unwrap().iter().filter(|m| m["role"] == "owner").count();
    assert_eq!(owners, 1, "{}", members.body);
}

#[tokio::test]
async fn an_invitation_arrives_over_smtp_and_its_link_joins_the_workspace() {
    let (port, mut received) = smtp_listener().await;
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("SMTP_URL", &smtp_url)], Router::new()).await;
    let admin = app.admin().await;
    let w = default_workspace(&admin).await;
    let created = send(
        &admin,
        Method::POST,
        &format!("/api/v1/workspaces/{w}/invitations"),
        Some(json!({"email": "Nina@Example.com", "role": "member"})),
    )
    .await;
    let invitation = created.assert_ok(201).clone();
    assert_eq!(
        (invitation["email"].as_str(), invitation["status"].as_str()),
        (Some("nina@example.com"), Some("pending"))
    );
    assert_eq!(invitation["invited_by"]["username"], ADMIN_USERNAME);
    let message = tokio::time::timeout(std::time::Duration::from_secs(10), received.recv()).await.unwrap().unwrap();
    let text = decode_email(&message);
    assert!(text.contains("To: nina@example.com") && text.contains("Default"), "{text}");
    let token = token_in(&text, "invite").expect("the invitation link");

    let preview = app.get(&format!("/api/v1/invitations/{token}")).await;
    assert_eq!(
        preview.assert_ok(200).clone(),
        json!({"workspace": {"name": "Default"}, "email": "nina@example.com", "role": "member",
               "invited_by": {"username": ADMIN_USERNAME}, "expires_at": invitation["expires_at"]})
    );
    // Another address cannot use it; nothing is created then.
    let wrong = json!({"username": "mallory", "email": "mallory@example.com", "password": USER_PASSWORD, "invitation_token": token});
    app.post_json("/api/v1/auth/signup", &wrong).await.assert_error(403, "invitation_email_mismatch");
    app.try_login("mallory", USER_PASSWORD).await.assert_error(401, "invalid_credentials");

    let nina = join(&app, &token, "nina").await;
    let list = send(&nina, Method::GET, "/api/v1/workspaces", None).await;
    let items = list.assert_ok(200)["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1, "an invited signup creates no workspace of its own");
    assert_eq!((items[0]["id"].as_i64(), items[0]["role"].as_str()), (Some(w), Some("member")));
    app.get(&format!("/api/v1/invitations/{token}")).await.assert_error(400, "invalid_token");
    let listed = send(&admin, Method::GET, &format!("/api/v1/workspaces/{w}/invitations"), None).await;
    assert_eq!(listed.assert_ok(200)["items"][0]["status"], "accepted");
}

#[tokio::test]
async fn existing_accounts_accept_with_their_own_address_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let w = default_workspace(&admin).await;
    let bob = app.verified_user("bob").await;
    let carol = app.verified_user("carol").await;
    let token = invite(&app, &admin, w, "bob@example.com", "viewer").await;

    send(&carol, Method::POST, "/api/v1/invitations/accept", Some(json!({"token": &token})))
        .await
        .assert_error(403, "invitation_email_mismatch");
    send(&bob, Method::POST, "/api/v1/invitations/accept", Some(json!({"token": "not-a-token"})))
        .await
        .assert_error(400, "invalid_token");
    let joined = send(&bob, Method::POST, "/api/v1/invitations/accept", Some(json!({"token": &token}))).await;
    assert_eq!((joined.assert_ok(200)["id"].as_i64(), joined.data()["role"].as_str()), (Some(w), Some("viewer")));
    send(&bob, Method::POST, "/api/v1/invitations/accept", Some(json!({"token": &token})))
        .await
        .assert_error(400, "invalid_token");
    let again = invite(&app, &admin, w, "carol@example.com", "member").await;
    let body = json!({"email": "bob@example.com", "role": "member"});
    send(&admin, Method::POST, &format!("/api/v1/workspaces/{w}/invitations"), Some(body))
        .await
        .assert_error(409, "already_member");
    // Bob's default workspace stays his own; he may switch to the one he joined.
    let own = default_workspace(&bob).await;
    assert_ne!(own, w);
    send(&bob, Method::PATCH, "/api/v1/users/me", Some(json!({"default_workspace_id": w}))).await.assert_ok(200);
    assert_eq!(default_workspace(&bob).await, w);
    send(&carol, Method::PATCH, "/api/v1/users/me", Some(json!({"default_workspace_id": w})))
        .await
        .assert_error(422, "validation_failed");
    send(&carol, Method::POST, "/api/v1/invitations/accept", Some(json!({"token": &again}))).await.assert_ok(200);
}

#[tokio::test]
async fn revoked_replaced_and_resent_links_die_and_sending_is_limited() {
    let app = spawn_app_with(&[("INVITATIONS_PER_HOUR", "3")], Router::new()).await;
    let admin = app.admin().await;
    let w = default_workspace(&admin).await;
    let first = invite(&app, &admin, w, "dan@example.com", "viewer").await;
    let second = invite(&app, &admin, w, "dan@example.com", "member").await;
    app.get(&format!("/api/v1/invitations/{first}")).await.assert_error(400, "invalid_token");
    let list = send(&admin, Method::GET, &format!("/api/v1/workspaces/{w}/invitations"), None).await;
    let items = list.assert_ok(200)["items"].clone();
    let statuses: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["pending", "revoked"], "newest first");
    let id = items[0]["id"].as_i64().unwrap();

    let resent = send(&admin, Method::POST, &format!("/api/v1/workspaces/{w}/invitations/{id}/resend"), None).await;
    resent.assert_ok(202);
    let third = app.wait_for_token("dan@example.com", "invite").await;
    assert_ne!(third, second);
    app.get(&format!("/api/v1/invitations/{second}")).await.assert_error(400, "invalid_token");
    assert_eq!(app.get(&format!("/api/v1/invitations/{third}")).await.assert_ok(200)["role"], "member");

    send(&admin, Method::DELETE, &format!("/api/v1/workspaces/{w}/invitations/{id}"), None).await.assert_ok(200);
    app.get(&format!("/api/v1/invitations/{third}")).await.assert_error(400, "invalid_token");

    // Three invitations this hour (dan's first, dan's second and re-sent, erin's): the fourth waits.
    let erin = json!({"email": "erin@example.com", "role": "viewer"});
    send(&admin, Method::POST, &format!("/api/v1/workspaces/{w}/invitations"), Some(erin)).await.assert_ok(201);
    let body = json!({"email": "frank@example.com", "role": "viewer"});
    let limited = send(&admin, Method::POST, &format!("/api/v1/workspaces/{w}/invitations"), Some(body)).await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
}

#[tokio::test]
async fn expired_invitations_are_refused() {
    let app = spawn_app_with(&[("INVITATION_TTL_SECONDS", "1")], Router::new()).await;
    let admin = app.admin().await;
    let w = default_workspace(&admin).await;
    let token = invite(&app, &admin, w, "late@example.com", "viewer").await;
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    app.get(&format!("/api/v1/invitations/{token}")).await.assert_error(400, "invalid_token");
    let body =
        json!({"username": "late", "email": "late@example.com", "password": USER_PASSWORD, "invitation_token": token});
    app.post_json("/api/v1/auth/signup", &body).await.assert_error(400, "invalid_token");
    let list = send(&admin, Method::GET, &format!("/api/v1/workspaces/{w}/invitations"), None).await;
    assert_eq!(list.assert_ok(200)["items"][0]["status"], "expired");
}

#[tokio::test]
async fn invite_only_signup_needs_an_invitation() {
    let app = spawn_app_with(&[("SIGNUP_MODE", "invite")], Router::new()).await;
    app.signup("walkin", "walkin@example.com", USER_PASSWORD).await.assert_error(403, "signup_closed");
    let admin = app.admin().await;
    let w = default_workspace(&admin).await;
    let token = invite(&app, &admin, w, "invited@example.com", "member").await;
    join(&app, &token, "invited").await;
}

#[tokio::test]
async fn workspaces_are_created_renamed_and_their_slugs_are_unique() {
    let app = spawn_app().await;
    let owner = app.verified_user("shopkeeper").await;
    let made = send(&owner, Method::POST, "/api/v1/workspaces", Some(json!({"name": "Café Ölaf"}))).await;
    let made = made.assert_ok(201).clone();
    assert_eq!((made["slug"].as_str(), made["role"].as_str()), (Some("cafe-olaf"), Some("owner")));
    assert_eq!(
        made["settings"],
        json!({"public_form_enabled": false, "low_score_threshold": 2, "require_two_factor": false})
    );
    let twin = send(&owner, Method::POST, "/api/v1/workspaces", Some(json!({"name": "Cafe Olaf"}))).await;
    assert_eq!(twin.assert_ok(201)["slug"], "cafe-olaf-2");
    let id = made["id"].as_i64().unwrap();
    let taken =
        send(&owner, Method::PATCH, &format!("/api/v1/workspaces/{id}"), Some(json!({"slug": "cafe-olaf-2"}))).await;
    taken.assert_error(409, "slug_taken");
    let bad =
        send(&owner, Method::PATCH, &format!("/api/v1/workspaces/{id}"), Some(json!({"slug": "No Spaces"}))).await;
    bad.assert_error(422, "validation_failed");
    let threshold = json!({"settings": {"low_score_threshold": 5}});
    send(&owner, Method::PATCH, &format!("/api/v1/workspaces/{id}"), Some(threshold))
        .await
        .assert_error(422, "validation_failed");
    send(&owner, Method::POST, "/api/v1/workspaces", Some(json!({"name": ""})))
        .await
        .assert_error(422, "validation_failed");
}

/// An instance admin manages accounts but sees no workspace's data without a membership;
/// deleting an account takes the workspaces nobody else is in along.
#[tokio::test]
async fn instance_admins_see_no_workspace_they_are_not_in() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let user = app.verified_user("lonely").await;
    let w = default_workspace(&user).await;
    add_customer(&user, w, "theirs@example.com").await;
    send(&admin, Method::GET, &format!("/api/v1/workspaces/{w}/customers"), None).await.assert_error(404, "not_found");
    let id = user_id(&user).await;
    send(&admin, Method::DELETE, &format!("/api/v1/users/{id}"), None).await.assert_ok(200);
    let left = app.state.db.query_one_raw(sea_orm::Statement::from_string(
        app.state.db.get_database_backend(),
        format!("SELECT COUNT(*) AS n FROM customers WHERE workspace_id = {w}"),
    ));
    let n: i64 = left.await.unwrap().unwrap().try_get_by_index(0).unwrap();
    assert_eq!(n, 0, "the deleted account's own workspace went with it");
}
