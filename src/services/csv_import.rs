//! CSV import: the file is parsed (`csv_parse`) on a blocking thread as it is read, and
//! validated rows are written in batches inside one transaction, so a broken or
//! interrupted upload leaves nothing behind and memory stays bounded.

use anyhow::Context;
use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use serde::Serialize;
use tokio::io::AsyncRead;
use utoipa::ToSchema;

mod writer;

use writer::{Prepared, Writer};

use crate::{
    core::{
        database::{self, Db},
        error::AppError,
        write_txn::{BulkConnection, WriteTxn},
    },
    domain::feedback_at::DateOrder,
    models::{
        customer_import,
        daily_stat::Deltas,
        response::{self},
        workspace,
    },
    services::{
        audit::{self, Actor, Target},
        csv_parse::{FileError, FileSummary, ImportColumn, PreviewRow, RowError, parse},
        follow_ups,
    },
};

/// SQLite page cache of the importing connection, in KiB: with 32 MiB a 1M-row import ran
/// within 3 % of its time with 64 MiB, at 35-40 MB less peak RSS.
const IMPORT_CACHE_KIB: u32 = 32 * 1024;
/// An import that has inserted this many rows, and at least a quarter of what the table held
/// before, builds the secondary indexes at the end instead of row by row (see `IndexPlan`).
const DEFER_INDEXES_AFTER: u64 = 50_000;
const INDEX_BUILD_CACHE_KIB: u32 = 4 * 1024;
/// On PostgreSQL, an import adding this many rows refreshes the planner's statistics.
const ANALYZE_AFTER: u64 = 10_000;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    #[default]
    Skip,
    Update,
    /// A row whose email exists becomes a new response of that customer; one equal to a
    /// response it already has is skipped.
    Append,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    pub on_conflict: OnConflict,
    pub dry_run: bool,
    /// How to read `31/12/2025`-style dates; without it they are refused as ambiguous.
    pub date_order: Option<DateOrder>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct ImportReport {
    pub total_rows: u64,
    pub inserted: u64,
    pub updated: u64,
    /// Rows added as new responses of customers that exist (`on_conflict=append`).
    pub appended: u64,
    pub skipped: u64,
    pub invalid: u64,
    pub errors: Vec<RowError>,
    pub truncated_errors: u64,
    /// Every column of the header, in order, with the field it fills (null: ignored).
    pub columns: Vec<ImportColumn>,
    /// The first valid rows as they will be stored.
    pub preview: Vec<PreviewRow>,
    /// Valid rows whose date was empty: they are dated at the time of the import.
    pub dated_today: u64,
    /// The invalid rows as CSV (the file's header plus an `error` column), to fix and import
    /// again; null when no row is invalid.
    #[schema(required = true)]
    pub rejected_csv: Option<String>,
}

impl ImportReport {
    /// Runs `tidy_up` for what this import wrote (nothing after a dry run).
    pub fn tidy_up(&self, db: &Db, dry_run: bool) -> impl Future<Output = ()> + use<> {
        let (added, updated) = if dry_run { (0, 0) } else { (self.inserted + self.appended, self.updated) };
        tidy_up(db.clone(), added, updated)
    }
}

/// Imports a CSV stream through the parser and one transaction. A dry run does all the
/// work, including conflict checks against the database, and rolls back. With an actor,
/// the audit entry commits with the import.
#[tracing::instrument(
    skip_all,
    fields(workspace_id = workspace_id, dry_run = options.dry_run, on_conflict = ?options.on_conflict)
)]
pub async fn import(
    db: &Db,
    workspace_id: i64,
    source: impl AsyncRead + Send + Unpin + 'static,
    options: ImportOptions,
    actor: Option<&Actor>,
) -> Result<ImportReport, AppError> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Prepared>(4);
    let now = Utc::now().timestamp();
    let backend = db.get_database_backend();
    let parser = tokio::task::spawn_blocking(move || {
        let reader = tokio_util::io::SyncIoBridge::new(source);
        parse(reader, workspace_id, now, options.date_order, |batch| {
            tx.blocking_send(Prepared::new(batch, workspace_id, options.on_conflict, backend)).is_ok()
        })
    });

    let mut conn = BulkConnection::acquire(db).await.context("taking the import's connection")?;
    let txn = conn.begin().await.context("beginning the import's transaction")?;
    let sqlite = backend == DbBackend::Sqlite;
    if sqlite {
        // A larger page cache, so that a big import spills fewer pages to the WAL to read
        // them back later; and no checkpoint as part of the commit (`tidy_up` runs one).
        txn.tune_sqlite(IMPORT_CACHE_KIB, false).await?;
    }
    let report = write_all(&txn, rx, parser, workspace_id, options).await?;
    if options.dry_run {
        txn.rollback().await?;
        return Ok(report);
    }
    if let Some(actor) = actor {
        let detail = serde_json::json!({"on_conflict": options.on_conflict, "total_rows": report.total_rows,
            "inserted": report.inserted, "updated": report.updated, "appended": report.appended,
            "skipped": report.skipped, "invalid": report.invalid});
        let target = Target { kind: "customers", id: None, name: "CSV import" };
        audit::record(&txn, workspace_id, actor, "customers.imported", target, detail).await;
    }
    phase("committed", txn.commit()).await.context("committing the import")?;
    drop(conn);
    Ok(report)
}

/// What a committed import leaves to do, off the request: on SQLite, copy its pages from the
/// WAL into the database file (a 1M-row import's took 0.3 s; until then reads look pages up
/// in the WAL, and the summary took 20 ms instead of 8); on PostgreSQL, refresh the
/// planner's statistics after a large one. Readers still on an old snapshot can keep the
/// checkpoint from resetting the WAL: it is tried again a few times, then left to a later one.
/// `added` counts the rows inserted or appended, `updated` those that corrected a response.
pub async fn tidy_up(db: Db, added: u64, updated: u64) {
    let done = match db.get_database_backend() {
        DbBackend::Sqlite if added + updated > 0 => checkpoint(&db).await,
        DbBackend::Postgres if added >= ANALYZE_AFTER => database::analyze_imported(&db).await,
        _ => Ok(()),
    };
    // Nothing is lost if it does not run: a later checkpoint or autovacuum does the same.
    if let Err(err) = done {
        tracing::warn!(%err, "tidying up after an import failed");
    }
}

async fn checkpoint(db: &Db) -> Result<(), DbErr> {
    for _ in 0..20 {
        if database::checkpoint(db).await? {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Writes every batch the parser sends into `txn`; then, unless this is a dry run, the
/// secondary indexes and the aggregates.
async fn write_all(
    txn: &WriteTxn<'_>,
    mut rx: tokio::sync::mpsc::Receiver<Prepared>,
    parser: tokio::task::JoinHandle<Result<FileSummary, FileError>>,
    workspace_id: i64,
    options: ImportOptions,
) -> Result<ImportReport, AppError> {
    let mut indexes = IndexPlan::new(txn).await?;
    let before = response::max_id(txn).await?;
    let threshold = workspace::find(txn, workspace_id).await?.map_or(2, |w| w.low_score_threshold);
    let mut writer =
        Writer { report: ImportReport::default(), deltas: Deltas::default(), workspace_id, threshold, options };
    let started = std::time::Instant::now();
    let mut waited = std::time::Duration::ZERO;
    loop {
        let asked = std::time::Instant::now();
        let Some(batch) = rx.recv().await else { break };
        waited += asked.elapsed();
        writer.write(txn, batch).await?;
        indexes
            .after_batch(txn, writer.report.inserted)
            .await
            .map_err(|e| e.context("dropping the secondary indexes"))?;
    }
    tracing::debug!(elapsed = ?started.elapsed(), ?waited, rows = writer.report.total_rows, "import: rows written");
    let summary = parser.await.map_err(|e| AppError::Internal(e.into()))??;
    let report = &mut writer.report;
    report.columns = summary.columns;
    report.preview = summary.preview;
    report.dated_today = summary.dated_today;
    report.rejected_csv = summary.rejected_csv;
    if !options.dry_run {
        indexes.restore(txn).await.map_err(|e| e.context("rebuilding the search and secondary indexes"))?;
        phase("daily counts written", writer.deltas.apply(txn)).await.context("updating the daily counts")?;
        phase("events queued", follow_ups::imported(txn, workspace_id, before, threshold))
            .await
            .context("queueing the import's events")?;
    }
    Ok(writer.report)
}

/// SQLite maintains an index row by row during inserts but builds one from sorted data
/// several times faster, so once an import has proved large against the table it joins,
/// the customers' secondary indexes are dropped inside its transaction and built again
/// just before it commits. Readers keep the committed schema meanwhile (WAL), and an
/// import that fails, is interrupted or is a dry run rolls the drop back with the rest.
/// Not on PostgreSQL, where dropping an index locks the table against readers.
///
/// The search index is written for the new customers in one statement at the end too
/// (`customer_import::pause_search_index`), whatever the import's size.
struct IndexPlan {
    threshold: Option<u64>,
    dropped: bool,
    /// The highest customer id before the import.
    before: i64,
}

impl IndexPlan {
    async fn new(txn: &WriteTxn<'_>) -> Result<Self, AppError> {
        let before = customer_import::max_id(txn).await?;
        let threshold = match txn.get_database_backend() {
            DbBackend::Sqlite => Some(DEFER_INDEXES_AFTER.max(before.unsigned_abs() / 4)),
            _ => None,
        };
        customer_import::pause_search_index(txn, before).await?;
        Ok(Self { threshold, dropped: false, before })
    }

    async fn after_batch(&mut self, txn: &WriteTxn<'_>, inserted: u64) -> Result<(), AppError> {
        if !self.dropped && self.threshold.is_some_and(|t| inserted >= t) {
            customer_import::drop_secondary_indexes(txn).await?;
            self.dropped = true;
        }
        Ok(())
    }

    async fn restore(&self, txn: &WriteTxn<'_>) -> Result<(), AppError> {
        phase("search index written", customer_import::resume_search_index(txn, self.before)).await?;
        if self.dropped {
            // SQLite sorts an index's keys in runs the size of the page cache (a helper
            // thread sorts one run while the connection reads the next), then merges them.
            // After 1M rows both indexes took 0.4 s to build this way, against 0.8 s sorted
            // in one piece in memory (temp_store = memory); the helper saves about a tenth.
            txn.tune_sqlite(INDEX_BUILD_CACHE_KIB, false).await?;
            txn.sqlite_sort_helper().await?;
            phase("secondary indexes built", customer_import::create_secondary_indexes(txn)).await?;
        }
        Ok(())
    }
}

/// Awaits one phase of an import and logs how long it took (`RUST_LOG=pulse=debug`).
async fn phase<T>(name: &'static str, work: impl Future<Output = T>) -> T {
    let started = std::time::Instant::now();
    let out = work.await;
    tracing::debug!(elapsed = ?started.elapsed(), "import: {name}");
    out
}
