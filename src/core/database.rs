//! Connecting to SQLite (default) or PostgreSQL through one SeaORM code path, and migrating.

use std::{path::Path, time::Duration};

use anyhow::Context;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

pub type Db = DatabaseConnection;

/// How long a statement waits for a lock before the request answers 503 `unavailable`:
/// SQLite's busy timeout, PostgreSQL's `lock_timeout`.
const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
const LOCK_TIMEOUT_SQL: &str = "10s";

/// Opens the pool. For SQLite the parent folder is created and the file opened in WAL mode
/// with foreign keys on and a busy timeout, so readers never block the writer.
pub async fn connect(url: &str) -> anyhow::Result<Db> {
    let mut options = ConnectOptions::new(url.to_string());
    options.acquire_timeout(Duration::from_secs(3)).connect_timeout(Duration::from_secs(3)).sqlx_logging(false);
    if is_sqlite(url) {
        if let Some(parent) = sqlite_path(url).and_then(|p| p.parent().map(Path::to_path_buf))
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(&parent)
                .with_context(|| format!("cannot create the database folder {}", parent.display()))?;
        }
        options.max_connections(8).min_connections(1).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(LOCK_TIMEOUT)
                // temp_store stays SQLite's default (files): with it in memory, SQLite
                // sorts an index build's keys in one list, which took an import's
                // feedback_at index 0.75 s to build instead of 0.3 s (sorted in runs).
                // Statement journals stay in memory anyway (.cargo/config.toml).
                // 8 KiB pages for new databases (existing ones keep theirs): a 1M-row import
                // took 11 % less time than with 4 KiB and single-row writes 9 % more; 16 KiB
                // saved 15 % on the import but cost small writes 25 %.
                .page_size(8192)
                .create_if_missing(true)
        });
        // Each connection, as a request takes it, watches that request's flag (see
        // `core::cancel`): SQLite checks it every few thousand VM steps.
        options
            .map_sqlx_sqlite_pool_opts(|o| o.after_connect(|conn, _| Box::pin(watch_request(conn))))
            .map_sqlx_sqlite_before_acquire(|conn, _| {
                Box::pin(async move {
                    watch_request(conn).await?;
                    Ok(true)
                })
            });
    } else {
        // A lock that does not come free within SQLite's busy timeout fails the statement
        // (55P03, answered 503) instead of holding the request forever.
        options
            .max_connections(16)
            .min_connections(1)
            .map_sqlx_postgres_opts(|o| o.options([("lock_timeout", LOCK_TIMEOUT_SQL)]));
    }
    Database::connect(options).await.with_context(|| format!("cannot open the database at {}", redact(url)))
}

/// SQLite VM steps between two looks at the request's flag: a few microseconds of work.
const CANCEL_CHECK_STEPS: i32 = 10_000;

async fn watch_request(conn: &mut sea_orm::sqlx::SqliteConnection) -> Result<(), sea_orm::sqlx::Error> {
    let dropped = crate::core::cancel::current();
    conn.lock_handle()
        .await?
        .set_progress_handler(CANCEL_CHECK_STEPS, move || !dropped.load(std::sync::atomic::Ordering::Relaxed));
    Ok(())
}

/// A transaction that will write. On SQLite it takes the write lock at `BEGIN IMMEDIATE`:
/// a deferred transaction that reads and then writes is refused at once
/// (SQLITE_BUSY_SNAPSHOT) when another write committed in between, and no busy timeout
/// can help it then.
pub async fn begin_write(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    let mode = (db.get_database_backend() == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions { sqlite_transaction_mode: mode, ..Default::default() }).await
}

/// Whether the database refused for lack of time rather than for the request: SQLite's
/// busy timeout ran out (SQLITE_BUSY, SQLITE_LOCKED), PostgreSQL gave up on a lock, a
/// deadlock or a serialization conflict, or no pooled connection came free. A retry
/// later can succeed, so the API answers 503 with `Retry-After`, never 500.
pub fn is_busy(err: &DbErr) -> bool {
    use sea_orm::{ConnAcquireErr, RuntimeErr, sqlx::Error};
    match err {
        DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => {
            match &**e {
                Error::PoolTimedOut => true,
                Error::Database(db) => {
                    let code = db.code().unwrap_or_default();
                    match code.parse::<i32>() {
                        // SQLite's extended codes keep the primary code in the low byte.
                        Ok(sqlite) => matches!(sqlite & 0xff, 5 | 6),
                        Err(_) => matches!(&*code, "55P03" | "40P01" | "40001" | "57014"),
                    }
                }
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether the database answers a query.
pub async fn ping(db: &Db) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(drop)
}

pub fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// The file behind a `sqlite://path?options` URL (none for in-memory databases).
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// A statement written once with `$1…` placeholders for both backends. For SQLite they
/// become anonymous `?` with the values in order: SQLite looks numbered parameters up by
/// name, which costs quadratic time in a statement with thousands of them.
/// Appends one row, `(…)`, to a multi-row statement and binds its values in order:
/// `$n` placeholders on PostgreSQL, `?` on SQLite.
pub fn push_row(sql: &mut String, values: &mut Vec<Value>, row: impl IntoIterator<Item = Value>, backend: DbBackend) {
    use std::fmt::Write;
    sql.push('(');
    for (j, value) in row.into_iter().enumerate() {
        if j > 0 {
            sql.push_str(", ");
        }
        values.push(value);
        match backend {
            DbBackend::Postgres => write!(sql, "${}", values.len()).expect("writing to a String"),
            _ => sql.push('?'),
        }
    }
    sql.push(')');
}

pub fn stmt(db: &impl ConnectionTrait, sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    let backend = db.get_database_backend();
    match backend {
        DbBackend::Sqlite => {
            let values: Vec<Value> = values.into_iter().collect();
            let (sql, values) = positional(sql, &values);
            Statement::from_sql_and_values(backend, sql, values)
        }
        _ => Statement::from_sql_and_values(backend, sql, values),
    }
}

/// Rewrites `$N` placeholders (outside quoted text) as `?`, listing the values in the order
/// the placeholders appear.
fn positional(sql: &str, values: &[Value]) -> (String, Vec<Value>) {
    let mut out = String::with_capacity(sql.len());
    let mut ordered = Vec::with_capacity(values.len());
    let mut chars = sql.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((_, c)) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '$') if chars.peek().is_some_and(|(_, d)| d.is_ascii_digit()) => {
                let mut n = 0usize;
                while let Some((_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
                    n = n * 10 + d.to_digit(10).unwrap_or(0) as usize;
                    chars.next();
                }
                out.push('?');
                ordered.push(values.get(n.wrapping_sub(1)).cloned().unwrap_or(Value::String(None)));
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    (out, ordered)
}

/// A case-insensitive "contains" LIKE pattern for lowercase columns, with the user's own
/// `%`, `_` and `\` matched literally.
pub fn contains_pattern(text: &str) -> sea_orm::sea_query::LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 2);
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// An FTS5 query (SQLite, trigram tokenizer) for the rows whose text holds every
/// three-character piece of `text`: a superset of those containing it, to check with
/// `contains_pattern`. None under three characters. Pieces rather than one phrase: an index
/// without positions (`detail=none`) cannot match phrases.
pub fn fts_trigrams(text: &str) -> Option<String> {
    let chars: Vec<char> = text.trim().to_lowercase().chars().collect();
    let mut seen = std::collections::HashSet::new();
    let pieces: Vec<String> = chars
        .windows(3)
        .map(|w| w.iter().collect::<String>())
        .filter(|piece| seen.insert(piece.clone()))
        .map(|piece| format!("\"{}\"", piece.replace('"', "\"\"")))
        .collect();
    (!pieces.is_empty()).then(|| pieces.join(" AND "))
}

/// A consistent online copy of a live SQLite database (`VACUUM INTO`), or an explanation
/// of how to back up PostgreSQL.
pub async fn backup(db: &Db, out: &Path) -> anyhow::Result<()> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            anyhow::ensure!(!out.exists(), "{} already exists; choose a new file", out.display());
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            let target = out.to_str().context("the backup path must be valid UTF-8")?;
            db.execute_raw(stmt(db, "VACUUM INTO $1", [target.into()])).await.context("VACUUM INTO failed")?;
            Ok(())
        }
        _ => anyhow::bail!(
            "pulse backup copies SQLite databases only; for PostgreSQL use pg_dump, e.g. \
             `pg_dump --format=custom --file=pulse.dump \"$DATABASE_URL\"` (restore with pg_restore)"
        ),
    }
}

/// Copies the SQLite WAL into the database file and empties it; false when a reader or
/// writer kept it from finishing (try again later).
pub async fn checkpoint(db: &Db) -> Result<bool, DbErr> {
    // PASSIVE copies the WAL into the database file without blocking anyone; TRUNCATE then
    // has little left to copy, but it still blocks new writers while it waits for readers
    // to leave the WAL (up to the busy timeout), so nothing on a request's path runs it.
    for mode in ["PASSIVE", "TRUNCATE"] {
        let sql = format!("PRAGMA wal_checkpoint({mode})");
        let row = db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await?;
        if row.map(|r| r.try_get_by_index::<i32>(0)).transpose()?.unwrap_or(0) != 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Refreshes PostgreSQL's statistics of the tables an import fills. Until autovacuum gets
/// to them the planner guesses: after a 1M-row import it combined every index it could
/// for a one-row search (88 ms instead of 22).
pub async fn analyze_imported(db: &Db) -> Result<(), DbErr> {
    db.execute_unprepared("ANALYZE customers; ANALYZE responses").await.map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_placeholders_become_positional() {
        let values: Vec<Value> = vec![1i64.into(), "b".into()];
        let (sql, ordered) = positional("SELECT $2, '$1 stays', $1, $2, $10", &values);
        assert_eq!(sql, "SELECT ?, '$1 stays', ?, ?, ?");
        assert_eq!(ordered, vec![Value::from("b"), Value::from(1i64), Value::from("b"), Value::String(None)]);
    }

    #[test]
    fn sqlite_urls() {
        assert_eq!(sqlite_path("sqlite://data/pulse.db"), Some("data/pulse.db".into()));
        assert_eq!(sqlite_path("sqlite:///tmp/x.db?mode=rwc"), Some("/tmp/x.db".into()));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
        assert_eq!(redact("postgres://u:pw@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn fts_queries_ask_for_every_distinct_trigram() {
        assert_eq!(fts_trigrams(" ab "), None);
        assert_eq!(fts_trigrams("Ann a"), Some(r#""ann" AND "nn " AND "n a""#.into()));
        assert_eq!(fts_trigrams("aaaa"), Some(r#""aaa""#.into()));
        assert_eq!(fts_trigrams(r#"a"bc"#), Some(r#""a""b" AND """bc""#.into()));
        assert_eq!(fts_trigrams("çaé"), Some(r#""çaé""#.into()));
    }
}
