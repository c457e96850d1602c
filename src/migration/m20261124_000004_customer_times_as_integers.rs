//! Stores a customer's `created_at` and `updated_at` as Unix milliseconds (BIGINT), like
//! `feedback_at`, instead of timestamps. On SQLite a timestamp is RFC 3339 text: the two of
//! them were 70 of the ~170 bytes a customer row took, and imports write rows by the million.
//! Portable steps (add, fill, drop, rename) rather than SQLite's table rebuild, sent as one
//! script so that every step runs on the same connection.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let script = match manager.get_database_backend() {
            DbBackend::Sqlite => {
                convert("BIGINT NOT NULL DEFAULT 0", "CAST(ROUND((julianday({c}) - 2440587.5) * 86400000) AS INTEGER)")
            }
            _ => {
                convert("BIGINT NOT NULL DEFAULT 0", "CAST(EXTRACT(EPOCH FROM {c}) * 1000 AS BIGINT)")
                    + "ALTER TABLE customers ALTER COLUMN created_at DROP DEFAULT;\n\
                       ALTER TABLE customers ALTER COLUMN updated_at DROP DEFAULT;\n"
            }
        };
        manager.get_connection().execute_unprepared(&script).await.map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let script = match manager.get_database_backend() {
            DbBackend::Sqlite => convert(
                "timestamp_with_timezone_text NOT NULL DEFAULT ''",
                "strftime('%Y-%m-%dT%H:%M:%f+00:00', {c} / 1000.0, 'unixepoch')",
            ),
            _ => convert("TIMESTAMPTZ NOT NULL DEFAULT now()", "to_timestamp({c} / 1000.0)"),
        };
        manager.get_connection().execute_unprepared(&script).await.map(drop)
    }
}

/// Replaces both columns by ones of `column_type`, filled with `expr` of the old value
/// (`{c}` stands for the old column).
fn convert(column_type: &str, expr: &str) -> String {
    ["created_at", "updated_at"]
        .iter()
        .map(|c| {
            format!(
                "ALTER TABLE customers ADD COLUMN {c}_new {column_type};\n\
                 UPDATE customers SET {c}_new = {};\n\
                 ALTER TABLE customers DROP COLUMN {c};\n\
                 ALTER TABLE customers RENAME COLUMN {c}_new TO {c};\n",
                expr.replace("{c}", c)
            )
        })
        .collect()
}
