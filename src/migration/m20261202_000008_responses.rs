//! A customer's feedback history: `responses` holds every piece of feedback,
//! and the customer row keeps the latest one's score, review, sentiment and date (what the
//! list filters and sorts on) plus `response_count`. Every existing customer becomes one
//! response with the same values, so `daily_stats`, which now counts responses, holds
//! the same figures. Also the survey state a customer carries: `unsubscribed` and
//! `last_surveyed_at` (for the cooldown).
//!
//! `down` keeps each customer's latest response, as the customer row already does, and
//! drops the history: the first release cannot hold more than one per customer.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn create_responses(backend: DbBackend) -> String {
    // A plain rowid key on SQLite: AUTOINCREMENT would add a write to every insert.
    let id = match backend {
        DbBackend::Postgres => "id BIGSERIAL PRIMARY KEY",
        _ => "id INTEGER PRIMARY KEY",
    };
    format!(
        "CREATE TABLE responses ({id}, \
         workspace_id BIGINT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, \
         customer_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE, \
         satisfaction_score SMALLINT NOT NULL CHECK (satisfaction_score BETWEEN 1 AND 5), \
         review TEXT NOT NULL DEFAULT '', sentiment DOUBLE PRECISION NOT NULL DEFAULT 0, \
         feedback_at BIGINT NOT NULL, source VARCHAR(8) NOT NULL, search TEXT NOT NULL DEFAULT '', \
         created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)"
    )
}

const UP: [&str; 7] = [
    "ALTER TABLE customers ADD COLUMN response_count INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE customers ADD COLUMN unsubscribed BOOLEAN NOT NULL DEFAULT FALSE",
    "ALTER TABLE customers ADD COLUMN last_surveyed_at BIGINT NULL",
    "INSERT INTO responses (workspace_id, customer_id, satisfaction_score, review, sentiment, feedback_at, source, \
     search, created_at, updated_at) \
     SELECT workspace_id, id, satisfaction_score, review, sentiment, feedback_at, 'manual', search, created_at, \
     updated_at FROM customers ORDER BY id",
    "CREATE INDEX ix_responses_customer ON responses (customer_id, feedback_at, id)",
    "CREATE INDEX ix_responses_feedback_at ON responses (workspace_id, feedback_at)",
    "UPDATE customers SET response_count = 1",
];

const DOWN: [&str; 4] = [
    "DROP TABLE responses",
    "ALTER TABLE customers DROP COLUMN response_count",
    "ALTER TABLE customers DROP COLUMN unsubscribed",
    "ALTER TABLE customers DROP COLUMN last_surveyed_at",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // One script: separate calls could run on different pooled connections.
        let script = std::iter::once(create_responses(db.get_database_backend()))
            .chain(UP.iter().map(|s| String::from(*s)))
            .collect::<Vec<_>>()
            .join(";\n");
        db.execute_unprepared(&script).await.map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(&DOWN.join(";\n")).await.map(drop)
    }
}
