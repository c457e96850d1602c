//! CSV import: the file is parsed (`csv_parse`) on a blocking thread as it is read, and
//! validated rows are written in batches inside one transaction, so a broken or
//! interrupted upload leaves nothing behind and memory stays bounded.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend};
use serde::Serialize;
use tokio::io::AsyncRead;
use utoipa::ToSchema;

use crate::{
    core::{
        database::{self, Db},
        error::AppError,
        write_txn::{BoundStatement, BulkConnection, WriteTxn},
    },
    domain::feedback_at::DateOrder,
    models::{
        customer::{self, Row},
        daily_stat::Deltas,
        response::{self, Feedback, Source},
        workspace,
    },
    services::{
        audit::{self, Actor, Target},
        csv_parse::{Batch, FileError, FileSummary, ImportColumn, MAX_LISTED_ERRORS, PreviewRow, RowError, parse},
        customers::email_conflict,
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
    /// A row whose email exists becomes a new response of that customer (§11).
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

/// Imports a CSV stream through the parser and one transaction. A dry run does all the
/// work, including conflict checks against the database, and rolls back. With an actor,
/// the audit entry commits with the import.
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

    let mut conn = BulkConnection::acquire(db).await?;
    let txn = conn.begin().await?;
    let sqlite = backend == DbBackend::Sqlite;
    if sqlite {
        // A larger page cache, so that a big import spills fewer pages to the WAL to read
        // them back later; and no checkpoint as part of the commit (see below).
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
    txn.commit().await?;
    drop(conn);
    if sqlite && report.inserted + report.updated + report.appended > 0 {
        // The import's pages are committed in the WAL; copying them into the database file
        // (a checkpoint) took a 1M-row import 0.3 s, which the report need not wait for.
        // Until it is done reads look pages up in the WAL (the summary took 20 ms instead of
        // 8 after 1M rows); TRUNCATE then empties the WAL file. Readers still on the old
        // snapshot make it wait (busy timeout) and, at worst, leave the reset to a later
        // checkpoint: there is nothing to report.
        let db = db.clone();
        tokio::spawn(async move {
            // A reader busy at that moment (the job worker polls every second) makes the
            // checkpoint answer busy without resetting the WAL: try again, a few times.
            for _ in 0..20 {
                match database::checkpoint(&db).await {
                    Ok(true) => return,
                    Ok(false) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
                    Err(err) => {
                        tracing::debug!(%err, "the checkpoint after an import did not run");
                        return;
                    }
                }
            }
        });
    }
    if !sqlite && report.inserted + report.appended >= ANALYZE_AFTER {
        let db = db.clone();
        tokio::spawn(async move {
            if let Err(err) = database::analyze_imported(&db).await {
                tracing::warn!(%err, "ANALYZE after an import failed");
            }
        });
    }
    Ok(report)
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
    while let Some(batch) = rx.recv().await {
        writer.write(txn, batch).await?;
        indexes.after_batch(txn, writer.report.inserted).await?;
    }
    let summary = parser.await.map_err(|e| AppError::Internal(e.into()))??;
    let report = &mut writer.report;
    report.columns = summary.columns;
    report.preview = summary.preview;
    report.dated_today = summary.dated_today;
    report.rejected_csv = summary.rejected_csv;
    if !options.dry_run {
        indexes.restore(txn).await?;
        writer.deltas.apply(txn).await?;
        follow_ups::imported(txn, workspace_id, before, threshold).await?;
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
/// (`customer::pause_search_index`), whatever the import's size.
struct IndexPlan {
    threshold: Option<u64>,
    dropped: bool,
    /// The highest customer id before the import.
    before: i64,
}

impl IndexPlan {
    async fn new(txn: &WriteTxn<'_>) -> Result<Self, AppError> {
        let before = customer::max_id(txn).await?;
        let threshold = match txn.get_database_backend() {
            DbBackend::Sqlite => Some(DEFER_INDEXES_AFTER.max(before.unsigned_abs() / 4)),
            _ => None,
        };
        customer::pause_search_index(txn, before).await?;
        Ok(Self { threshold, dropped: false, before })
    }

    async fn after_batch(&mut self, txn: &WriteTxn<'_>, inserted: u64) -> Result<(), AppError> {
        if !self.dropped && self.threshold.is_some_and(|t| inserted >= t) {
            customer::drop_secondary_indexes(txn).await?;
            self.dropped = true;
        }
        Ok(())
    }

    async fn restore(&self, txn: &WriteTxn<'_>) -> Result<(), AppError> {
        customer::resume_search_index(txn, self.before).await?;
        if self.dropped {
            // SQLite sorts an index's keys in runs the size of the page cache (a helper
            // thread sorts one run while the connection reads the next), then merges them.
            // After 1M rows both indexes took 0.4 s to build this way, against 0.8 s sorted
            // in one piece in memory (temp_store = memory); the helper saves about a tenth.
            txn.tune_sqlite(INDEX_BUILD_CACHE_KIB, false).await?;
            txn.sqlite_sort_helper().await?;
            customer::create_secondary_indexes(txn).await?;
        }
        Ok(())
    }
}

/// A parsed batch made ready for the writer on the parser thread: the customers and
/// responses left once repeats of an email inside the batch are settled, and the
/// statements inserting them. Building those statements is a good part of an import's
/// work; done here, it overlaps with the database writing the previous batch.
struct Prepared {
    total_rows: u64,
    invalid: u64,
    errors: Vec<RowError>,
    /// Rows dropped as repeats inside the batch: counted as updated under `update` (the
    /// later row replaced the earlier), as skipped under `skip` (the first row won) and
    /// under `append` (the same feedback twice).
    repeats: u64,
    /// One row per email: the customer as inserted (under `append`, its latest row).
    customers: Vec<Row>,
    /// Every response to write, in file order: the customers' rows, and under `append`
    /// the further rows of the same emails.
    responses: Vec<Row>,
    customer_inserts: Vec<BoundStatement>,
    response_inserts: Vec<BoundStatement>,
    /// The daily counts the responses add once they are all inserted.
    deltas: Deltas,
}

impl Prepared {
    fn new(batch: Batch, workspace_id: i64, on_conflict: OnConflict, backend: DbBackend) -> Self {
        let total_rows = batch.rows.len() as u64 + batch.invalid;
        let mut customers: Vec<Row> = Vec::with_capacity(batch.rows.len());
        let mut responses: Vec<Row> = Vec::new();
        let mut position: HashMap<String, usize, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(batch.rows.len(), Default::default());
        let mut seen: HashSet<(usize, i64, i16, String), foldhash::fast::RandomState> = HashSet::default();
        let mut repeats = 0;
        let append = on_conflict == OnConflict::Append;
        for (_, row) in batch.rows {
            match position.get(&row.email) {
                Some(&i) if append => {
                    if !seen.insert((i, row.feedback_at, row.satisfaction_score, row.review.clone())) {
                        repeats += 1;
                        continue;
                    }
                    if row.feedback_at >= customers[i].feedback_at {
                        customers[i] = row.clone();
                    }
                    responses.push(row);
                }
                Some(&i) => {
                    if on_conflict == OnConflict::Update {
                        customers[i] = row;
                    }
                    repeats += 1;
                }
                None => {
                    position.insert(row.email.clone(), customers.len());
                    if append {
                        seen.insert((customers.len(), row.feedback_at, row.satisfaction_score, row.review.clone()));
                        responses.push(row.clone());
                    }
                    customers.push(row);
                }
            }
        }
        if !append {
            responses = customers.clone();
        }
        let now = customer::now_millis();
        let customer_inserts = customer::insert_statements(backend, &customers, now, true);
        let response_inserts = response::import_statements(backend, workspace_id, &responses, now);
        let mut deltas = Deltas::default();
        for row in &responses {
            deltas.add(row.stats_key(), 1);
        }
        Self {
            total_rows,
            invalid: batch.invalid,
            errors: batch.errors,
            repeats,
            customers,
            responses,
            customer_inserts,
            response_inserts,
            deltas,
        }
    }
}

struct Writer {
    report: ImportReport,
    deltas: Deltas,
    workspace_id: i64,
    /// The workspace's low score: responses at or under it open follow-ups.
    threshold: i16,
    options: ImportOptions,
}

impl Writer {
    async fn write(&mut self, txn: &WriteTxn<'_>, batch: Prepared) -> Result<(), AppError> {
        let before = response::max_id(txn).await?;
        self.write_rows(txn, batch).await?;
        if !self.options.dry_run {
            follow_ups::open_for_imported(txn, self.workspace_id, before, self.threshold).await?;
        }
        Ok(())
    }

    async fn write_rows(&mut self, txn: &WriteTxn<'_>, batch: Prepared) -> Result<(), AppError> {
        let on_conflict = self.options.on_conflict;
        let report = &mut self.report;
        report.total_rows += batch.total_rows;
        report.invalid += batch.invalid;
        for error in batch.errors {
            if report.errors.len() < MAX_LISTED_ERRORS {
                report.errors.push(error);
            } else {
                report.truncated_errors += 1;
            }
        }
        match on_conflict {
            OnConflict::Update => report.updated += batch.repeats,
            OnConflict::Skip | OnConflict::Append => report.skipped += batch.repeats,
        }

        // Most batches hold only new emails: insert them all, and only when some email
        // already exists go back (to a savepoint) and sort the batch out row by row.
        let customers = batch.customers;
        txn.mark().await?;
        if customer::run_inserts(txn, batch.customer_inserts).await? == customers.len() as u64 {
            customer::run_inserts(txn, batch.response_inserts).await?;
            txn.keep_since_mark().await?;
            self.deltas.merge(batch.deltas);
            report.inserted += customers.len() as u64;
            report.appended += (batch.responses.len() - customers.len()) as u64;
            show_latest_of_repeated(txn, self.workspace_id, &batch.responses).await?;
            return Ok(());
        }
        txn.undo_to_mark().await?;

        // Earlier batches of this file are already in the transaction, so the database
        // answers "seen before" both for stored customers and for this file's own rows.
        let emails: Vec<&str> = customers.iter().map(|r| r.email.as_str()).collect();
        let mut existing: HashMap<String, i64> = HashMap::new();
        for chunk in emails.chunks(1_000) {
            for found in customer::existing_by_email(txn, self.workspace_id, chunk).await? {
                existing.insert(found.email, found.id);
            }
        }
        let mut by_email: HashMap<&str, Vec<&Row>> = HashMap::new();
        for row in &batch.responses {
            by_email.entry(row.email.as_str()).or_default().push(row);
        }
        let mut new_customers: Vec<Row> = Vec::new();
        let mut new_responses: Vec<Row> = Vec::new();
        for row in &customers {
            let group = by_email.remove(row.email.as_str()).unwrap_or_default();
            let Some(&id) = existing.get(&row.email) else {
                for r in &group {
                    self.deltas.add(r.stats_key(), 1);
                }
                report.inserted += 1;
                report.appended += group.len().saturating_sub(1) as u64;
                new_responses.extend(group.into_iter().cloned());
                new_customers.push(row.clone());
                continue;
            };
            match on_conflict {
                OnConflict::Skip => report.skipped += 1,
                OnConflict::Update => {
                    correct_latest(txn, self.workspace_id, id, row, &mut self.deltas).await?;
                    report.updated += 1;
                }
                OnConflict::Append => {
                    let old = customer::find(txn, self.workspace_id, id).await?.ok_or(AppError::NotFound)?;
                    for r in group {
                        let feedback = feedback_of(r);
                        if response::exists_equal(txn, id, &feedback).await? {
                            report.skipped += 1;
                            continue;
                        }
                        let added = response::insert(
                            txn,
                            self.workspace_id,
                            (id, &old.name, &old.email),
                            &feedback,
                            Source::Import,
                        )
                        .await?;
                        self.deltas.add(added.stats_key(), 1);
                        report.appended += 1;
                    }
                    customer::show_latest(txn, &old).await?;
                }
            }
        }
        let backend = txn.get_database_backend();
        let now = customer::now_millis();
        let statements = customer::insert_statements(backend, &new_customers, now, false);
        customer::run_inserts(txn, statements).await.map_err(email_conflict)?;
        customer::run_inserts(txn, response::import_statements(backend, self.workspace_id, &new_responses, now))
            .await?;
        show_latest_of_repeated(txn, self.workspace_id, &new_responses).await?;
        Ok(())
    }
}

fn feedback_of(row: &Row) -> Feedback {
    Feedback {
        satisfaction_score: row.satisfaction_score,
        review: row.review.clone(),
        sentiment: row.sentiment,
        feedback_at: row.feedback_at,
    }
}

/// `on_conflict=update` on a customer that exists: the row corrects its latest response
/// (and its name), as `PATCH /customers/{id}` does.
async fn correct_latest(
    txn: &WriteTxn<'_>,
    workspace_id: i64,
    id: i64,
    row: &Row,
    deltas: &mut Deltas,
) -> Result<(), AppError> {
    let old = customer::find(txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let (latest, _) = response::latest(txn, id).await?.ok_or(AppError::NotFound)?;
    deltas.add(latest.stats_key(), -1);
    let corrected = response::update(txn, latest.id, &feedback_of(row), &row.name, &old.email).await?;
    deltas.add(corrected.stats_key(), 1);
    let renamed = customer::update(txn, id, &Row { email: old.email.clone(), ..row.clone() }).await?;
    if renamed.name != old.name {
        response::rekey(txn, id, &renamed.name, &renamed.email).await?;
    }
    customer::show_latest(txn, &renamed).await?;
    Ok(())
}

/// Customers given more than one response by one batch: their rows were inserted from one
/// of those, so they are made to show the latest response and the right count.
async fn show_latest_of_repeated(txn: &WriteTxn<'_>, workspace_id: i64, responses: &[Row]) -> Result<(), AppError> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for row in responses {
        *counts.entry(row.email.as_str()).or_default() += 1;
    }
    let repeated: Vec<&str> = counts.into_iter().filter(|(_, n)| *n > 1).map(|(email, _)| email).collect();
    for chunk in repeated.chunks(1_000) {
        for found in customer::existing_by_email(txn, workspace_id, chunk).await? {
            if let Some(c) = customer::find(txn, workspace_id, found.id).await? {
                customer::show_latest(txn, &c).await?;
            }
        }
    }
    Ok(())
}
