//! Closing the loop: follow-ups opened by low scores, each member's
//! notification choices, webhooks and their deliveries, the audit log, and `schedules`
//! (recurring work such as the weekly digest: the instance that moves a row's `next_run_at`
//! forward runs it, so it runs once across instances). Times are Unix milliseconds.
//!
//! Existing low responses open no follow-up: follow-ups start with this release.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_script(backend: DbBackend) -> String {
    let id = match backend {
        DbBackend::Postgres => "id BIGSERIAL PRIMARY KEY",
        _ => "id INTEGER PRIMARY KEY AUTOINCREMENT",
    };
    [
        format!(
            "CREATE TABLE follow_ups ({id}, \
             workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
             response_id BIGINT NOT NULL UNIQUE REFERENCES responses (id) ON DELETE CASCADE, \
             customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE, \
             status VARCHAR(8) NOT NULL DEFAULT 'open', \
             assignee_id BIGINT NULL REFERENCES users (id) ON DELETE SET NULL, \
             note TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, closed_at BIGINT NULL)"
        ),
        "CREATE INDEX ix_follow_ups_workspace ON follow_ups (workspace_id, status, id)".into(),
        "CREATE INDEX ix_follow_ups_customer ON follow_ups (customer_id)".into(),
        "CREATE TABLE notification_settings (\
         workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
         user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE, \
         low_score_email BOOLEAN NOT NULL, weekly_digest BOOLEAN NOT NULL, \
         PRIMARY KEY (workspace_id, user_id))"
            .into(),
        format!(
            "CREATE TABLE webhooks ({id}, \
             workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
             url TEXT NOT NULL, events TEXT NOT NULL, secret_sealed TEXT NOT NULL, \
             active BOOLEAN NOT NULL DEFAULT TRUE, created_at BIGINT NOT NULL)"
        ),
        "CREATE INDEX ix_webhooks_workspace ON webhooks (workspace_id)".into(),
        format!(
            "CREATE TABLE webhook_deliveries ({id}, \
             webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE, \
             message_id VARCHAR(40) NOT NULL, event VARCHAR(32) NOT NULL, payload TEXT NOT NULL, \
             status VARCHAR(10) NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, \
             last_status_code INTEGER NULL, last_error TEXT NULL, created_at BIGINT NOT NULL, \
             next_attempt_at BIGINT NULL)"
        ),
        "CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id)".into(),
        format!(
            "CREATE TABLE audit_log ({id}, \
             workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
             at BIGINT NOT NULL, actor_type VARCHAR(8) NOT NULL, actor_id BIGINT NULL, actor_name TEXT NOT NULL, \
             action VARCHAR(40) NOT NULL, target_type VARCHAR(20) NOT NULL, target_id BIGINT NULL, \
             target_name TEXT NOT NULL, ip VARCHAR(45) NULL, detail TEXT NOT NULL DEFAULT '{{}}')"
        ),
        "CREATE INDEX ix_audit_log_workspace ON audit_log (workspace_id, id)".into(),
        "CREATE TABLE schedules (name VARCHAR(40) PRIMARY KEY, next_run_at BIGINT NOT NULL)".into(),
    ]
    .join(";\n")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&up_script(db.get_database_backend())).await.map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "DROP TABLE schedules;\nDROP TABLE audit_log;\nDROP TABLE webhook_deliveries;\nDROP TABLE webhooks;\n\
                 DROP TABLE notification_settings;\nDROP TABLE follow_ups",
            )
            .await
            .map(drop)
    }
}
