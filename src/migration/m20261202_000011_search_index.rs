//! An index for `q` over the customers' folded `search` column: on SQLite an FTS5 table
//! with the trigram tokenizer over the column (external content: the text is stored once,
//! in `customers`), kept in step by triggers; on PostgreSQL a `pg_trgm` GIN index, which
//! `LIKE '%…%'` uses as it is. Folding (case, accents) already happened in Rust when the
//! column was written, so both match alike. The existing rows are indexed here.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let script = match manager.get_database_backend() {
            DbBackend::Postgres => "CREATE EXTENSION IF NOT EXISTS pg_trgm; \
                 CREATE INDEX ix_customers_search ON customers USING gin (search gin_trgm_ops);"
                .to_string(),
            _ => format!(
                "CREATE VIRTUAL TABLE customers_search USING fts5(search, content='customers', content_rowid='id', \
                 tokenize='trigram'); \
                 INSERT INTO customers_search (customers_search) VALUES ('rebuild'); {INSERT_TRIGGER} \
                 CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN \
                 INSERT INTO customers_search (customers_search, rowid, search) VALUES ('delete', old.id, old.search); \
                 END; \
                 CREATE TRIGGER customers_search_update AFTER UPDATE OF search ON customers \
                 WHEN old.search IS NOT new.search BEGIN \
                 INSERT INTO customers_search (customers_search, rowid, search) VALUES ('delete', old.id, old.search); \
                 INSERT INTO customers_search (rowid, search) VALUES (new.id, new.search); END;"
            ),
        };
        db.execute_unprepared(&script).await.map(drop)
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let script = match manager.get_database_backend() {
            // The extension stays: something else may use it, and it holds no data.
            DbBackend::Postgres => "DROP INDEX ix_customers_search",
            _ => {
                "DROP TRIGGER customers_search_insert; DROP TRIGGER customers_search_delete; \
                  DROP TRIGGER customers_search_update; DROP TABLE customers_search;"
            }
        };
        manager.get_connection().execute_unprepared(script).await.map(drop)
    }
}

/// As `models::customer::SEARCH_INSERT_TRIGGER`, which a bulk import drops and recreates;
/// a migration keeps its own copy, as it was written.
const INSERT_TRIGGER: &str = "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN \
     INSERT INTO customers_search (rowid, search) VALUES (new.id, new.search); END;";
