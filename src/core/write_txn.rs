//! A pooled connection and transaction for bulk writes (the CSV import). SeaORM code runs
//! on the transaction (it is a `ConnectionTrait`), and it also runs statements whose values
//! were converted to the driver's arguments beforehand, on another thread: SeaORM converts
//! a statement's values on the task that awaits it, between one statement and the next,
//! which during a 1M-row import left SQLite waiting for a third of the time.

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr, Statement, Values,
    sqlx::{
        self, AssertSqlSafe, Connection, IntoArguments, Postgres, Sqlite, pool::PoolConnection, postgres::PgArguments,
        sqlite::SqliteArguments,
    },
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

use crate::core::database::Db;

/// A statement with its values already converted to the arguments of its database.
pub struct BoundStatement {
    sql: String,
    args: Arguments,
}

enum Arguments {
    Sqlite(SqliteArguments),
    Postgres(PgArguments),
}

impl BoundStatement {
    pub fn new(stmt: Statement) -> Self {
        let values = sqlx_values(stmt.values);
        let args = match stmt.db_backend {
            DbBackend::Postgres => Arguments::Postgres(IntoArguments::<Postgres>::into_arguments(values)),
            _ => Arguments::Sqlite(IntoArguments::<Sqlite>::into_arguments(values)),
        };
        Self { sql: stmt.sql, args }
    }
}

/// A connection taken from the pool for bulk writes, and closed when dropped instead of
/// going back to the pool: settings a bulk write changes on it (page cache, sorter threads,
/// checkpoints) end with it.
pub struct BulkConnection {
    backend: DbBackend,
    conn: Pooled,
}

enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl BulkConnection {
    pub async fn acquire(db: &Db) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let conn = match backend {
            DbBackend::Sqlite => {
                let mut conn = db.get_sqlite_connection_pool().acquire().await.map_err(conn_err)?;
                conn.close_on_drop();
                Pooled::Sqlite(conn)
            }
            _ => {
                let mut conn = db.get_postgres_connection_pool().acquire().await.map_err(conn_err)?;
                conn.close_on_drop();
                Pooled::Postgres(conn)
            }
        };
        Ok(Self { backend, conn })
    }

    /// Begins a transaction; on SQLite with `BEGIN IMMEDIATE`, as `database::begin_write`
    /// does and for the same reason.
    pub async fn begin(&mut self) -> Result<WriteTxn<'_>, DbErr> {
        let conn = match &mut self.conn {
            Pooled::Sqlite(conn) => Conn::Sqlite(conn.begin_with("BEGIN IMMEDIATE").await.map_err(conn_err)?),
            Pooled::Postgres(conn) => Conn::Postgres(conn.begin().await.map_err(conn_err)?),
        };
        Ok(WriteTxn { backend: self.backend, conn: Mutex::new(conn) })
    }
}

/// A transaction on a `BulkConnection`; rolled back if dropped before `commit`.
pub struct WriteTxn<'c> {
    backend: DbBackend,
    conn: Mutex<Conn<'c>>,
}

enum Conn<'c> {
    Sqlite(sqlx::Transaction<'c, Sqlite>),
    Postgres(sqlx::Transaction<'c, Postgres>),
}

/// Evaluates `$body` with `$tx` bound to the open transaction, whichever the database.
macro_rules! on_tx {
    ($self:expr, $tx:ident => $body:expr) => {
        match &mut *$self.conn.lock().await {
            Conn::Sqlite($tx) => $body,
            Conn::Postgres($tx) => $body,
        }
    };
}

impl WriteTxn<'_> {
    pub async fn run(&self, stmt: BoundStatement) -> Result<ExecResult, DbErr> {
        let sql = AssertSqlSafe(stmt.sql);
        let mut conn = self.conn.lock().await;
        let result = match (&mut *conn, stmt.args) {
            (Conn::Sqlite(tx), Arguments::Sqlite(args)) => {
                sqlx::query_with(sql, args).execute(&mut **tx).await.map(ExecResult::from)
            }
            (Conn::Postgres(tx), Arguments::Postgres(args)) => {
                sqlx::query_with(sql, args).execute(&mut **tx).await.map(ExecResult::from)
            }
            _ => return Err(DbErr::Custom("a statement bound for another database".into())),
        };
        result.map_err(exec_err)
    }

    /// Marks a point that `undo_to_mark` can return to without ending the transaction.
    pub async fn mark(&self) -> Result<(), DbErr> {
        self.execute_unprepared("SAVEPOINT bulk_mark").await.map(drop)
    }

    /// Keeps what was written since `mark`.
    pub async fn keep_since_mark(&self) -> Result<(), DbErr> {
        self.execute_unprepared("RELEASE SAVEPOINT bulk_mark").await.map(drop)
    }

    /// Undoes what was written since `mark`.
    pub async fn undo_to_mark(&self) -> Result<(), DbErr> {
        self.execute_unprepared("ROLLBACK TO SAVEPOINT bulk_mark; RELEASE SAVEPOINT bulk_mark").await.map(drop)
    }

    /// SQLite only: this connection's page cache, and whether a commit may checkpoint the
    /// WAL. The connection is closed after its bulk write, settings and all.
    pub async fn tune_sqlite(&self, cache_kib: u32, autocheckpoint: bool) -> Result<(), DbErr> {
        let pages = if autocheckpoint { 1000 } else { 0 };
        self.execute_unprepared(&format!("PRAGMA cache_size = -{cache_kib}; PRAGMA wal_autocheckpoint = {pages}"))
            .await
            .map(drop)
    }

    /// SQLite only: lets an index build sort on one helper thread.
    pub async fn sqlite_sort_helper(&self) -> Result<(), DbErr> {
        self.execute_unprepared("PRAGMA threads = 1").await.map(drop)
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        match self.conn.into_inner() {
            Conn::Sqlite(tx) => tx.commit().await,
            Conn::Postgres(tx) => tx.commit().await,
        }
        .map_err(exec_err)
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        match self.conn.into_inner() {
            Conn::Sqlite(tx) => tx.rollback().await,
            Conn::Postgres(tx) => tx.rollback().await,
        }
        .map_err(exec_err)
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn<'_> {
    fn get_database_backend(&self) -> DbBackend {
        self.backend
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.run(BoundStatement::new(stmt)).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        let sql = AssertSqlSafe(sql.to_string());
        on_tx!(self, tx => sqlx::raw_sql(sql).execute(&mut **tx).await.map(ExecResult::from)).map_err(exec_err)
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let (sql, values) = (AssertSqlSafe(stmt.sql), sqlx_values(stmt.values));
        on_tx!(self, tx => sqlx::query_with(sql, values).fetch_optional(&mut **tx).await.map(|r| r.map(QueryResult::from)))
            .map_err(query_err)
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let (sql, values) = (AssertSqlSafe(stmt.sql), sqlx_values(stmt.values));
        on_tx!(self, tx => sqlx::query_with(sql, values).fetch_all(&mut **tx).await.map(|r| r.into_iter().map(QueryResult::from).collect()))
            .map_err(query_err)
    }
}

fn sqlx_values(values: Option<Values>) -> SqlxValues {
    SqlxValues(values.unwrap_or(Values(Vec::new())))
}

// The errors SeaORM itself makes of sqlx's, so callers recognise them (unique violations).
fn conn_err(err: sqlx::Error) -> DbErr {
    DbErr::Conn(RuntimeErr::SqlxError(err.into()))
}

fn exec_err(err: sqlx::Error) -> DbErr {
    DbErr::Exec(RuntimeErr::SqlxError(err.into()))
}

fn query_err(err: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(err.into()))
}
