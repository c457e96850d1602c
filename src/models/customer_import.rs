//! What a bulk import does to the `customers` table beyond single-row writes: multi-row
//! insert statements, finding existing emails in bulk, and pausing the secondary and
//! search indexes while it writes.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};

use crate::{
    core::{
        database::{push_row, stmt},
        write_txn::{BoundStatement, WriteTxn},
    },
    models::customer::{INSERT_COLUMNS, Row},
};

/// An existing customer's id, by email (for the import).
#[derive(Clone, Debug, FromQueryResult)]
pub struct Existing {
    pub id: i64,
    pub email: String,
}

/// The secondary indexes a bulk import may build at its end, as the migrations leave them
/// (name, table and columns). Not `ix_responses_customer`: an import reads by it.
pub const SECONDARY_INDEXES: [(&str, &str); 3] = [
    ("ix_customers_feedback_at", "customers (workspace_id, feedback_at)"),
    ("ix_customers_name", "customers (workspace_id, name)"),
    ("ix_responses_feedback_at", "responses (workspace_id, feedback_at)"),
];

pub async fn drop_secondary_indexes(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for (name, _) in SECONDARY_INDEXES {
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
    }
    Ok(())
}

pub async fn create_secondary_indexes(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for (name, column) in SECONDARY_INDEXES {
        db.execute_unprepared(&format!("CREATE INDEX IF NOT EXISTS {name} ON {column}")).await?;
    }
    Ok(())
}

/// SQLite's search index is kept by triggers (`m20261202_000011_search_index`). FTS5
/// writes a row's trigrams several times faster in one statement for many rows than a
/// trigger does row by row, so a bulk import pauses the triggers for the rows it inserts
/// (ids above `before`) and indexes those rows at its end, in its transaction; a failed
/// import rolls the pause back with everything else. No-ops on PostgreSQL, whose GIN
/// index needs no help.
pub async fn pause_search_index(db: &impl ConnectionTrait, before: i64) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    db.execute_unprepared(&format!(
        "DROP TRIGGER customers_search_insert; DROP TRIGGER customers_search_update; {}",
        search_update_trigger(&format!("old.id <= {before}"))
    ))
    .await
    .map(drop)
}

/// Indexes the rows inserted since `pause_search_index(before)` and restores the triggers.
pub async fn resume_search_index(db: &impl ConnectionTrait, before: i64) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Ok(());
    }
    // FTS5 gathers new rows in memory and writes a segment each time it holds `hashsize`
    // bytes (1 MiB by default), merging segments as they pile up. Indexing 1M rows (sqlite3
    // 3.40, this machine, no positions): 8.4 s with 1 MiB, 6.3 s with 4, 7.0 s with 16 for
    // 15 MB more peak memory.
    db.execute_unprepared(&format!(
        "INSERT INTO customers_search (customers_search, rank) VALUES ('hashsize', {FTS_IMPORT_HASHSIZE}); \
         INSERT INTO customers_search (rowid, search) SELECT id, search FROM customers WHERE id > {before}; \
         INSERT INTO customers_search (customers_search, rank) VALUES ('hashsize', {FTS_DEFAULT_HASHSIZE}); \
         DROP TRIGGER customers_search_update; {SEARCH_INSERT_TRIGGER} {}",
        search_update_trigger("TRUE")
    ))
    .await
    .map(drop)
}

const FTS_IMPORT_HASHSIZE: u32 = 4 << 20;
const FTS_DEFAULT_HASHSIZE: u32 = 1 << 20;

const SEARCH_INSERT_TRIGGER: &str = "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN \
     INSERT INTO customers_search (rowid, search) VALUES (new.id, new.search); END;";

fn search_update_trigger(also: &str) -> String {
    format!(
        "CREATE TRIGGER customers_search_update AFTER UPDATE OF search ON customers \
         WHEN old.search IS NOT new.search AND {also} BEGIN \
         INSERT INTO customers_search (customers_search, rowid, search) VALUES ('delete', old.id, old.search); \
         INSERT INTO customers_search (rowid, search) VALUES (new.id, new.search); END;"
    )
}

/// The highest id so far: an instant upper bound of the table's size.
pub async fn max_id(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let row = db.query_one_raw(stmt(db, "SELECT COALESCE(MAX(id), 0) AS n FROM customers", [])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}

pub async fn existing_by_email(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    emails: &[&str],
) -> Result<Vec<Existing>, DbErr> {
    if emails.is_empty() {
        return Ok(vec![]);
    }
    let placeholders: Vec<String> = (2..=emails.len() + 1).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, email FROM customers \
         WHERE workspace_id = $1 AND email IN ({})",
        placeholders.join(", ")
    );
    let values = std::iter::once(Value::from(workspace_id)).chain(emails.iter().map(|e| Value::from(String::from(*e))));
    Existing::find_by_statement(stmt(db, &sql, values)).all(db).await
}

/// The statements inserting `rows`, a thousand a statement (ten values a row keep each
/// under both databases' parameter limits). With `skip_existing`, rows whose email exists
/// are left out instead of failing. Built and bound apart from running them, so that an
/// import does that on its parser thread while the database writes the previous batch.
/// The SQL is written out directly: building a query tree for eight thousand values and
/// rendering it cost an import's parser thread more than the parsing.
pub fn insert_statements(backend: DbBackend, rows: &[Row], now: i64, skip_existing: bool) -> Vec<BoundStatement> {
    const CHUNK: usize = 1_000;
    let head = format!("INSERT INTO customers ({}) VALUES ", INSERT_COLUMNS.join(", "));
    let tail = if skip_existing { " ON CONFLICT (workspace_id, email) DO NOTHING" } else { "" };
    rows.chunks(CHUNK)
        .map(|chunk| {
            let mut sql = String::with_capacity(head.len() + chunk.len() * 48 + tail.len());
            sql.push_str(&head);
            let mut values = Vec::with_capacity(chunk.len() * INSERT_COLUMNS.len());
            for (i, row) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                push_row(&mut sql, &mut values, row.insert_values(now), backend);
            }
            sql.push_str(tail);
            BoundStatement::new(Statement::from_sql_and_values(backend, sql, values))
        })
        .collect()
}

/// Runs statements from `insert_statements` and returns how many rows they wrote.
pub async fn run_inserts(txn: &WriteTxn<'_>, statements: Vec<BoundStatement>) -> Result<u64, DbErr> {
    let mut written = 0;
    for statement in statements {
        written += txn.run(statement).await?.rows_affected();
    }
    Ok(written)
}
