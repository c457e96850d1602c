//! Surveys and the durable job queue that sends them.
//!
//! `survey_recipients` is one customer asked by one survey: its token (a hash to look it
//! up, and the token sealed with ENCRYPTION_KEY so the reminder can carry the same links),
//! whether the email went out, and the answer. `jobs` is background work that must
//! survive a restart and run once across instances: a worker claims a due job by setting
//! `locked_until` (a lease; PostgreSQL claims with `FOR UPDATE SKIP LOCKED`), deletes it
//! when done, and a job whose worker died is claimed again once its lease has passed.
//! Times are Unix milliseconds.

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
            "CREATE TABLE surveys ({id}, \
             workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
             created_by BIGINT NULL REFERENCES users (id) ON DELETE SET NULL, \
             message TEXT NOT NULL DEFAULT '', queued INTEGER NOT NULL, skipped_recent INTEGER NOT NULL, \
             skipped_unsubscribed INTEGER NOT NULL, created_at BIGINT NOT NULL)"
        ),
        "CREATE INDEX ix_surveys_workspace ON surveys (workspace_id, id)".into(),
        format!(
            "CREATE TABLE survey_recipients ({id}, \
             survey_id BIGINT NOT NULL REFERENCES surveys (id) ON DELETE CASCADE, \
             workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
             customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE, \
             token_hash VARCHAR(64) NOT NULL UNIQUE, token_sealed TEXT NOT NULL, \
             status VARCHAR(8) NOT NULL DEFAULT 'queued', sent_at BIGINT NULL, reminded_at BIGINT NULL, \
             answered_at BIGINT NULL, response_id BIGINT NULL REFERENCES responses (id) ON DELETE SET NULL, \
             expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL)"
        ),
        "CREATE INDEX ix_survey_recipients_survey ON survey_recipients (survey_id, status)".into(),
        "CREATE INDEX ix_survey_recipients_customer ON survey_recipients (customer_id)".into(),
        "CREATE INDEX ix_survey_recipients_sent ON survey_recipients (workspace_id, sent_at)".into(),
        format!(
            "CREATE TABLE jobs ({id}, kind VARCHAR(32) NOT NULL, payload TEXT NOT NULL, run_at BIGINT NOT NULL, \
             attempts INTEGER NOT NULL DEFAULT 0, locked_until BIGINT NULL, failed_at BIGINT NULL, \
             last_error TEXT NULL, created_at BIGINT NOT NULL)"
        ),
        "CREATE INDEX ix_jobs_due ON jobs (run_at) WHERE failed_at IS NULL".into(),
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
            .execute_unprepared("DROP TABLE jobs;\nDROP TABLE survey_recipients;\nDROP TABLE surveys")
            .await
            .map(drop)
    }
}
