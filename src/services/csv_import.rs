//! CSV import (API.md §5): the file is parsed as it arrives, on a blocking thread, and
//! validated rows are written in batches inside one transaction, so a broken or
//! interrupted upload leaves nothing behind and memory stays bounded.

use std::{
    collections::HashMap,
    io::{BufRead, BufReader, Read},
};

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend};
use serde::Serialize;
use tokio::io::AsyncRead;
use utoipa::ToSchema;

use crate::{
    core::{
        database::Db,
        error::ApiError,
        write_txn::{BoundStatement, BulkConnection, WriteTxn},
    },
    models::{
        customer::{self, Row},
        daily_stat::{Deltas, Key},
    },
    schemas::fields::{Email, Score},
    services::{
        customers::{email_conflict, parse_feedback_at, parse_name, parse_review},
        sentiment,
    },
};

/// At most this many row errors are listed; the rest are counted.
pub const MAX_LISTED_ERRORS: usize = 1_000;
const BATCH_ROWS: usize = 2_000;
/// SQLite page cache of the importing connection, in KiB: with 32 MiB a 1M-row import ran
/// within 3 % of its time with 64 MiB, at 35-40 MB less peak RSS.
const IMPORT_CACHE_KIB: u32 = 32 * 1024;
/// An import that has inserted this many rows, and at least a quarter of what the table held
/// before, builds the secondary indexes at the end instead of row by row (see `IndexPlan`).
const DEFER_INDEXES_AFTER: u64 = 50_000;
const INDEX_BUILD_CACHE_KIB: u32 = 4 * 1024;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OnConflict {
    #[default]
    Skip,
    Update,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    pub on_conflict: OnConflict,
    pub dry_run: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    /// The line where the record starts; the header is line 1.
    pub row: u64,
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    pub total_rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub skipped: u64,
    pub invalid: u64,
    pub errors: Vec<RowError>,
    pub truncated_errors: u64,
}

/// Why a whole file was refused; nothing of it is written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    Unusable(String),
    #[error("The file is not UTF-8 text CSV.")]
    NotText,
    #[error("reading the upload failed: {0}")]
    Io(#[from] std::io::Error),
}

impl From<FileError> for ApiError {
    fn from(err: FileError) -> Self {
        match err {
            FileError::Unusable(message) => ApiError::field("file", message),
            FileError::NotText => ApiError::bad_request("The file is not UTF-8 text CSV (check its encoding)."),
            FileError::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => ApiError::PayloadTooLarge,
            FileError::Io(io) => ApiError::bad_request(format!("The upload was interrupted: {io}")),
        }
    }
}

/// What the parser hands to the writer: valid rows with their line, and row errors.
#[derive(Debug, Default)]
pub struct Batch {
    pub rows: Vec<(u64, Row)>,
    pub invalid: u64,
    pub errors: Vec<RowError>,
}

#[derive(Clone, Copy)]
struct Columns {
    name: usize,
    email: usize,
    score: usize,
    review: Option<usize>,
    feedback_at: Option<usize>,
}

fn find_columns(header: &csv::ByteRecord) -> Result<Columns, FileError> {
    let names: Vec<String> = header
        .iter()
        .map(|h| std::str::from_utf8(h).map(|s| s.trim().to_lowercase()).map_err(|_| FileError::NotText))
        .collect::<Result<_, _>>()?;
    let find = |aliases: &[&str]| names.iter().position(|n| aliases.contains(&n.as_str()));
    let name = find(&["name"]);
    let email = find(&["email"]);
    let score = find(&["satisfaction_score", "score", "rating"]);
    let missing: Vec<&str> = [(name, "name"), (email, "email"), (score, "satisfaction_score (or score, rating)")]
        .iter()
        .filter(|(found, _)| found.is_none())
        .map(|(_, label)| *label)
        .collect();
    if !missing.is_empty() {
        return Err(FileError::Unusable(format!(
            "needs a header row naming the columns name, email and satisfaction_score; missing: {}",
            missing.join(", ")
        )));
    }
    Ok(Columns {
        name: name.unwrap_or_default(),
        email: email.unwrap_or_default(),
        score: score.unwrap_or_default(),
        review: find(&["review"]),
        feedback_at: find(&["feedback_at"]),
    })
}

/// The delimiter the header line uses most: comma, semicolon or tab.
fn sniff_delimiter(header_line: &[u8]) -> u8 {
    let mut best = (b',', 0);
    for d in [b',', b';', b'\t'] {
        let n = header_line.iter().filter(|b| **b == d).count();
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// Parses a CSV stream, calling `emit` with every batch. `now` (Unix seconds) is the
/// `feedback_at` of rows that leave it empty. Stops early when `emit` returns false.
pub fn parse(reader: impl Read, now: i64, mut emit: impl FnMut(Batch) -> bool) -> Result<(), FileError> {
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let mut first_line = Vec::new();
    reader.read_until(b'\n', &mut first_line)?;
    if first_line.starts_with(b"\xEF\xBB\xBF") {
        first_line.drain(..3);
    }
    if first_line.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Unusable("is empty; it needs a header row and customers".into()));
    }
    if first_line.contains(&0) || std::str::from_utf8(&first_line).is_err() {
        return Err(FileError::NotText);
    }
    let delimiter = sniff_delimiter(&first_line);
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(std::io::Cursor::new(first_line).chain(reader));
    let columns = find_columns(csv.byte_headers().map_err(csv_error)?)?;

    let mut batch = Batch::default();
    let mut record = csv::ByteRecord::new();
    let mut sentiments = sentiment::Memo::new(50_000);
    while csv.read_byte_record(&mut record).map_err(csv_error)? {
        let line = record.position().map(|p| p.line()).unwrap_or_default();
        let field = |i: Option<usize>| -> Result<&str, FileError> {
            match i.and_then(|i| record.get(i)) {
                None => Ok(""),
                Some(bytes) if bytes.contains(&0) => Err(FileError::NotText),
                Some(bytes) => std::str::from_utf8(bytes).map_err(|_| FileError::NotText),
            }
        };
        let mut errors = Vec::new();
        let name = check(&mut errors, line, "name", parse_name(field(Some(columns.name))?));
        let email = check(&mut errors, line, "email", Email::parse(field(Some(columns.email))?));
        let score = check(&mut errors, line, "satisfaction_score", Score::parse(field(Some(columns.score))?));
        let review = check(&mut errors, line, "review", parse_review(field(columns.review)?));
        let feedback_at = match field(columns.feedback_at)?.trim() {
            "" => Some(now),
            raw => check(&mut errors, line, "feedback_at", parse_feedback_at(raw)),
        };
        match (name, email, score, review, feedback_at) {
            (Some(name), Some(email), Some(score), Some(review), Some(feedback_at)) => {
                let row = Row {
                    sentiment: sentiments.score(&review),
                    name,
                    email: email.into_string(),
                    review,
                    satisfaction_score: score.get(),
                    feedback_at,
                };
                batch.rows.push((line, row));
            }
            _ => {
                batch.invalid += 1;
                batch.errors.extend(errors);
            }
        }
        if batch.rows.len() + batch.invalid as usize >= BATCH_ROWS && !emit(std::mem::take(&mut batch)) {
            return Ok(());
        }
    }
    emit(batch);
    Ok(())
}

fn check<T>(errors: &mut Vec<RowError>, row: u64, field: &str, result: Result<T, String>) -> Option<T> {
    result.map_err(|message| errors.push(RowError { row, field: field.into(), message })).ok()
}

fn csv_error(err: csv::Error) -> FileError {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => FileError::Io(io),
        csv::ErrorKind::Utf8 { .. } => FileError::NotText,
        other => FileError::Unusable(format!("is not valid CSV: {other:?}")),
    }
}

/// Imports a CSV stream through the parser and one transaction. A dry run does all the
/// work, including conflict checks against the database, and rolls back.
pub async fn import(
    db: &Db,
    source: impl AsyncRead + Send + Unpin + 'static,
    options: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Prepared>(4);
    let now = Utc::now().timestamp();
    let backend = db.get_database_backend();
    let parser = tokio::task::spawn_blocking(move || {
        let reader = tokio_util::io::SyncIoBridge::new(source);
        parse(reader, now, |batch| tx.blocking_send(Prepared::new(batch, options.on_conflict, backend)).is_ok())
    });

    let mut conn = BulkConnection::acquire(db).await?;
    let txn = conn.begin().await?;
    let sqlite = backend == DbBackend::Sqlite;
    if sqlite {
        // A larger page cache, so that a big import spills fewer pages to the WAL to read
        // them back later; and no checkpoint as part of the commit (see below). The
        // connection is closed afterwards, settings and all.
        txn.execute_unprepared(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}; PRAGMA wal_autocheckpoint = 0"))
            .await?;
    }
    let report = write_all(&txn, rx, parser, options).await?;
    if options.dry_run {
        txn.rollback().await?;
        return Ok(report);
    }
    txn.commit().await?;
    drop(conn);
    if sqlite && report.inserted + report.updated > 0 {
        // The import's pages are committed in the WAL; copying them into the database file
        // (a checkpoint) took a 1M-row import 0.3 s, which the report need not wait for.
        // Until it is done reads look pages up in the WAL (the summary took 20 ms instead of
        // 8 after 1M rows); TRUNCATE then empties the WAL file. Readers still on the old
        // snapshot make it wait (busy timeout) and, at worst, leave the reset to a later
        // checkpoint: there is nothing to report.
        let db = db.clone();
        tokio::spawn(async move {
            if let Err(err) = db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await {
                tracing::debug!(%err, "the checkpoint after an import did not run");
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
    parser: tokio::task::JoinHandle<Result<(), FileError>>,
    options: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let mut indexes = IndexPlan::new(txn).await?;
    let mut writer = Writer { report: ImportReport::default(), deltas: Deltas::default(), options };
    while let Some(batch) = rx.recv().await {
        writer.write(txn, batch).await?;
        indexes.after_batch(txn, writer.report.inserted).await?;
    }
    parser.await.map_err(|e| ApiError::Internal(e.into()))??;
    if !options.dry_run {
        indexes.restore(txn).await?;
        writer.deltas.apply(txn).await?;
    }
    Ok(writer.report)
}

/// SQLite maintains an index row by row during inserts but builds one from sorted data
/// several times faster, so once an import has proved large against the table it joins,
/// the customers' secondary indexes are dropped inside its transaction and built again
/// just before it commits. Readers keep the committed schema meanwhile (WAL), and an
/// import that fails, is interrupted or is a dry run rolls the drop back with the rest.
/// Not on PostgreSQL, where dropping an index locks the table against readers.
struct IndexPlan {
    threshold: Option<u64>,
    dropped: bool,
}

impl IndexPlan {
    async fn new(txn: &WriteTxn<'_>) -> Result<Self, ApiError> {
        let threshold = match txn.get_database_backend() {
            DbBackend::Sqlite => Some(DEFER_INDEXES_AFTER.max(customer::max_id(txn).await?.unsigned_abs() / 4)),
            _ => None,
        };
        Ok(Self { threshold, dropped: false })
    }

    async fn after_batch(&mut self, txn: &WriteTxn<'_>, inserted: u64) -> Result<(), ApiError> {
        if !self.dropped && self.threshold.is_some_and(|t| inserted >= t) {
            customer::drop_secondary_indexes(txn).await?;
            self.dropped = true;
        }
        Ok(())
    }

    async fn restore(&self, txn: &WriteTxn<'_>) -> Result<(), ApiError> {
        if self.dropped {
            // SQLite sorts an index's keys in runs the size of the page cache (a helper
            // thread sorts one run while the connection reads the next), then merges them.
            // After 1M rows both indexes took 0.4 s to build this way, against 0.8 s sorted
            // in one piece in memory (temp_store = memory); the helper saves about a tenth.
            txn.execute_unprepared(&format!("PRAGMA cache_size = -{INDEX_BUILD_CACHE_KIB}; PRAGMA threads = 1"))
                .await?;
            customer::create_secondary_indexes(txn).await?;
        }
        Ok(())
    }
}

/// A parsed batch made ready for the writer on the parser thread: the rows left once
/// repeats of an email inside the batch are settled, and the statements inserting them.
/// Building those statements is a good part of an import's work; done here, it overlaps
/// with the database writing the previous batch.
struct Prepared {
    total_rows: u64,
    invalid: u64,
    errors: Vec<RowError>,
    /// Rows dropped as repeats inside the batch: counted as updated under `update` (the
    /// later row replaced the earlier), as skipped under `skip` (the first row won).
    repeats: u64,
    rows: Vec<Row>,
    inserts: Vec<BoundStatement>,
    /// The daily counts the rows add once they are all inserted.
    deltas: Deltas,
}

impl Prepared {
    fn new(batch: Batch, on_conflict: OnConflict, backend: DbBackend) -> Self {
        let total_rows = batch.rows.len() as u64 + batch.invalid;
        let mut rows: Vec<Row> = Vec::with_capacity(batch.rows.len());
        let mut position: HashMap<String, usize, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(batch.rows.len(), Default::default());
        let mut repeats = 0;
        for (_, row) in batch.rows {
            match position.get(&row.email) {
                Some(&i) => {
                    if on_conflict == OnConflict::Update {
                        rows[i] = row;
                    }
                    repeats += 1;
                }
                None => {
                    position.insert(row.email.clone(), rows.len());
                    rows.push(row);
                }
            }
        }
        let inserts = customer::insert_statements(backend, &rows, customer::now_millis(), true);
        let mut deltas = Deltas::default();
        for row in &rows {
            deltas.add(row.stats_key(), 1);
        }
        Self { total_rows, invalid: batch.invalid, errors: batch.errors, repeats, rows, inserts, deltas }
    }
}

struct Writer {
    report: ImportReport,
    deltas: Deltas,
    options: ImportOptions,
}

impl Writer {
    async fn write(&mut self, txn: &WriteTxn<'_>, batch: Prepared) -> Result<(), ApiError> {
        let update = self.options.on_conflict == OnConflict::Update;
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
        if update {
            report.updated += batch.repeats;
        } else {
            report.skipped += batch.repeats;
        }

        // Most batches hold only new emails: insert them all, and only when some email
        // already exists go back (to a savepoint) and sort the batch out row by row.
        let rows = batch.rows;
        txn.execute_unprepared("SAVEPOINT import_batch").await?;
        if customer::run_inserts(txn, batch.inserts).await? == rows.len() as u64 {
            txn.execute_unprepared("RELEASE SAVEPOINT import_batch").await?;
            self.deltas.merge(batch.deltas);
            report.inserted += rows.len() as u64;
            return Ok(());
        }
        txn.execute_unprepared("ROLLBACK TO SAVEPOINT import_batch").await?;
        txn.execute_unprepared("RELEASE SAVEPOINT import_batch").await?;

        // Earlier batches of this file are already in the transaction, so the database
        // answers "seen before" both for stored customers and for this file's own rows.
        let emails: Vec<&str> = rows.iter().map(|r| r.email.as_str()).collect();
        let mut existing: HashMap<String, customer::Existing> = HashMap::new();
        for chunk in emails.chunks(1_000) {
            for found in customer::existing_by_email(txn, chunk).await? {
                existing.insert(found.email.clone(), found);
            }
        }
        let mut inserts: Vec<Row> = Vec::new();
        for row in rows {
            match existing.get(&row.email) {
                Some(old) if update => {
                    self.deltas.add(Key::of(old.feedback_at, old.satisfaction_score, old.sentiment), -1);
                    self.deltas.add(row.stats_key(), 1);
                    customer::update(txn, old.id, &row).await.map_err(email_conflict)?;
                    report.updated += 1;
                }
                Some(_) => report.skipped += 1,
                None => {
                    self.deltas.add(row.stats_key(), 1);
                    inserts.push(row);
                    report.inserted += 1;
                }
            }
        }
        let statements =
            customer::insert_statements(txn.get_database_backend(), &inserts, customer::now_millis(), false);
        customer::run_inserts(txn, statements).await.map_err(email_conflict)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole file as one batch.
    fn run(csv: &str) -> Result<Batch, FileError> {
        let mut all = Batch::default();
        parse(csv.as_bytes(), 1_000, |b| {
            all.rows.extend(b.rows);
            all.invalid += b.invalid;
            all.errors.extend(b.errors);
            true
        })?;
        Ok(all)
    }

    #[test]
    fn a_mixed_file_reports_exact_lines() {
        let csv = "\u{FEFF}Name;EMAIL;rating;Review;feedback_at;extra\n\
                   Ann;ann@example.com;5;\"Great, really\ngreat\";2024-03-01;x\n\
                   Bob;bob@example.com;9;ok;2024-03-02T10:00:00Z;y\n\
                   ;no-name@example.com;3;;;\n\
                   Cy;not-an-email;4;;;\n\
                   Di;di@example.com;2;;yesterday;\n\
                   Ed;ed@example.com;4;;;\n";
        let Batch { rows, invalid, errors } = run(csv).unwrap();
        assert_eq!(rows.iter().map(|(l, r)| (*l, r.name.as_str())).collect::<Vec<_>>(), [(2, "Ann"), (8, "Ed")]);
        assert_eq!(rows[0].1.review, "Great, really\ngreat");
        assert_eq!(rows[0].1.feedback_at, 1_709_251_200);
        assert_eq!(rows[1].1.feedback_at, 1_000, "empty feedback_at is now");
        assert_eq!(invalid, 4);
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(got, [(4, "satisfaction_score"), (5, "name"), (6, "email"), (7, "feedback_at")]);
    }

    #[test]
    fn delimiters_and_aliases() {
        for (csv, _) in [
            ("email,score,name\na@b.co,4,A\n", ","),
            ("email\tsatisfaction_score\tname\na@b.co\t4\tA\n", "tab"),
            ("EMAIL;Score;NAME\na@b.co;4;A\n", ";"),
        ] {
            let Batch { rows, invalid, .. } = run(csv).unwrap();
            assert_eq!((rows.len(), invalid), (1, 0), "{csv}");
            assert_eq!(rows[0].1.satisfaction_score, 4);
        }
    }

    #[test]
    fn unusable_files_are_refused_whole() {
        assert!(matches!(run(""), Err(FileError::Unusable(_))));
        assert!(matches!(run("\u{FEFF}\n"), Err(FileError::Unusable(_))));
        let missing = run("name,review\nA,x\n").unwrap_err().to_string();
        assert!(missing.contains("email") && missing.contains("satisfaction_score"), "{missing}");
        assert!(matches!(run("\u{0}\u{1}PK\u{3}\u{4}binary"), Err(FileError::NotText)));
        let latin1 = b"name,email,score\nJos\xe9,j@example.com,4\n";
        let result = parse(&latin1[..], 0, |_| true);
        assert!(matches!(result, Err(FileError::NotText)));
    }
}
