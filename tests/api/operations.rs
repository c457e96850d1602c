//! What an operator does: rotate the signing key, back up and restore.

use axum::Router;
use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

const OLD: &str = "old-signing-key-old-signing-key-old-signing-key";
const NEW: &str = "new-signing-key-new-signing-key-new-signing-key";

#[tokio::test]
async fn key_rotation_accepts_old_tokens_during_the_rotation_and_not_after() {
    let before = spawn_app_with(&[("JWT_SECRET", OLD), ("JWT_KID", "k1")], Router::new()).await;
    let session = before.admin().await;
    let old_token = session.access_token.clone();

    // The same database, restarted with a new current key and the old one listed.
    let url = before.database_url.clone();
    let previous = format!("k1:{OLD}");
    let during = spawn_app_with(
        &[("DATABASE_URL", &url), ("JWT_SECRET", NEW), ("JWT_KID", "k2"), ("JWT_PREVIOUS_SECRETS", &previous)],
        Router::new(),
    )
    .await;
    let me = during.send(during.client.get(during.url("/api/v1/users/me")).bearer_auth(&old_token)).await;
    assert_eq!(me.assert_ok(200)["username"], ADMIN_USERNAME);
    let fresh = during.admin().await;
    let header = fresh.access_token.split('.').next().unwrap();
    let header: serde_json::Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, header).unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], "k2", "new tokens use the new key");

    // Once the old key is dropped, its tokens are refused; new ones still work.
    let after = spawn_app_with(&[("DATABASE_URL", &url), ("JWT_SECRET", NEW), ("JWT_KID", "k2")], Router::new()).await;
    let refused = after.send(after.client.get(after.url("/api/v1/users/me")).bearer_auth(&old_token)).await;
    refused.assert_error(401, "unauthorized");
    let ok = after.send(after.client.get(after.url("/api/v1/users/me")).bearer_auth(&fresh.access_token)).await;
    ok.assert_ok(200);
}

#[tokio::test]
async fn a_backup_restores_to_a_working_server() {
    if backend_name() == "postgres" {
        println!(
            "SKIPPED a_backup_restores_to_a_working_server: pulse backup copies SQLite only (PostgreSQL: pg_dump)"
        );
        return;
    }
    let app = spawn_app().await;
    let admin = app.admin().await;
    admin
        .send(admin.unsafe_request(Method::POST, "/api/v1/customers").json(&json!({
            "name": "Kept Safe", "email": "kept@example.com", "satisfaction_score": 4, "review": "Nice"
        })))
        .await
        .assert_ok(201);
    let file = app.dir.path().join("backup.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pulse"))
        .args(["backup", "--out", file.to_str().unwrap()])
        .env_clear()
        .envs(test_vars(&app.dir, &app.database_url))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Restore: copy the file into place and start a server on it.
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = restored_dir.path().join("pulse.db");
    std::fs::copy(&file, &restored).unwrap();
    let url = format!("sqlite://{}", restored.display());
    let again = spawn_app_with(&[("DATABASE_URL", &url)], Router::new()).await;
    let session = again.admin().await;
    let list = session.get("/api/v1/customers").await;
    assert_eq!(list.assert_ok(200)["items"][0]["email"], "kept@example.com");
    assert_eq!(session.get("/api/v1/analytics/summary").await.data()["count"], 1);
}
