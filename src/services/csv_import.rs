//! CSV import (API.md §5): the file is parsed as it arrives, on a blocking thread, and
//! validated rows are written in batches inside one transaction, so a broken or
//! interrupted upload leaves nothing behind and memory stays bounded.

use std::{
    borrow::Cow,
    cell::Cell,
    collections::HashMap,
    io::{BufRead, BufReader, Read},
    rc::Rc,
};

use chrono::{DateTime, Utc};
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
    domain::feedback_at::{self, DateOrder},
    models::{
        customer::{self, Row},
        daily_stat::{Deltas, Key},
    },
    schemas::fields::{Email, Score},
    services::{
        customers::{email_conflict, parse_name, parse_review},
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
    /// How to read `31/12/2025`-style dates; without it they are refused as ambiguous.
    pub date_order: Option<DateOrder>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RowError {
    /// The line where the record starts; the header is line 1.
    pub row: u64,
    pub field: String,
    pub message: String,
    /// The value as it was in the file (at most 100 characters).
    pub value: String,
}

/// A column of the file's header and the field it fills; `field` is null when the column
/// is ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportColumn {
    pub header: String,
    #[schema(value_type = Option<String>, required = true)]
    pub field: Option<&'static str>,
}

/// A valid row as it will be stored.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct PreviewRow {
    pub row: u64,
    pub name: String,
    pub email: String,
    pub satisfaction_score: i16,
    pub review: String,
    pub feedback_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct ImportReport {
    pub total_rows: u64,
    pub inserted: u64,
    pub updated: u64,
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

/// Why a whole file was refused; nothing of it is written.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    Unusable(String),
    #[error("This does not look like a CSV file: it contains binary data.")]
    NotText,
    #[error("reading the upload failed: {0}")]
    Io(#[from] std::io::Error),
}

impl From<FileError> for ApiError {
    fn from(err: FileError) -> Self {
        match err {
            FileError::Unusable(message) => ApiError::field("file", message),
            FileError::NotText => ApiError::bad_request(
                "This does not look like a CSV file: it contains binary data. Save it as CSV from your spreadsheet program.",
            ),
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

/// What the parser learnt about the file as a whole.
#[derive(Debug, Default)]
pub struct FileSummary {
    pub columns: Vec<ImportColumn>,
    pub preview: Vec<PreviewRow>,
    pub dated_today: u64,
    pub rejected_csv: Option<String>,
}

/// The fields a column can fill, each with the header names that mean it (compared
/// lower-cased, with `_` read as a space).
const FIELDS: [(&str, &[&str]); 5] = [
    ("name", &["name", "full name", "customer", "customer name"]),
    ("email", &["email", "e-mail", "email address"]),
    ("satisfaction_score", &["satisfaction score", "score", "rating", "csat", "stars"]),
    ("review", &["review", "comment", "comments", "feedback", "message"]),
    ("feedback_at", &["feedback at", "date", "submitted at", "created at", "timestamp"]),
];
const PREVIEW_ROWS: usize = 5;
/// A header line or a record longer than this is refused, so that memory stays bounded
/// whatever the file's shape (a real row is a few KiB: a review is at most 5,000 characters).
const MAX_HEADER_BYTES: u64 = 64 * 1024;
const MAX_RECORD_BYTES: u64 = 1024 * 1024;
/// The rejected rows' CSV keeps at most this many rows and bytes.
const MAX_REJECTED_BYTES: usize = 4 * 1024 * 1024;
const MAX_VALUE_CHARS: usize = 100;

#[derive(Clone, Copy)]
struct Columns {
    name: usize,
    email: usize,
    score: usize,
    review: Option<usize>,
    feedback_at: Option<usize>,
}

fn normalize_header(header: &str) -> String {
    header.trim().to_lowercase().replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn find_columns(headers: &[String]) -> Result<(Columns, Vec<ImportColumn>), FileError> {
    let mut columns: Vec<ImportColumn> =
        headers.iter().map(|h| ImportColumn { header: h.trim().to_string(), field: None }).collect();
    let mut position = [None; FIELDS.len()];
    for (i, header) in headers.iter().enumerate() {
        let normalized = normalize_header(header);
        if let Some(f) = FIELDS.iter().position(|(_, aliases)| aliases.contains(&normalized.as_str()))
            && position[f].is_none()
        {
            position[f] = Some(i);
            columns[i].field = Some(FIELDS[f].0);
        }
    }
    let missing: Vec<&str> = [(0, "name"), (1, "email"), (2, "score (satisfaction_score, rating, stars or csat)")]
        .iter()
        .filter(|(f, _)| position[*f].is_none())
        .map(|(_, label)| *label)
        .collect();
    if !missing.is_empty() {
        return Err(FileError::Unusable(format!(
            "needs a first line naming the columns name, email and score; missing: {}",
            missing.join(", ")
        )));
    }
    let [Some(name), Some(email), Some(score), review, feedback_at] = position else {
        unreachable!("the required columns were found")
    };
    Ok((Columns { name, email, score, review, feedback_at }, columns))
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

/// A field's text: UTF-8 when it is, else Windows-1252 (what spreadsheet programs write on
/// Windows); NUL bytes mean a binary file.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    if bytes.contains(&0) {
        return Err(FileError::NotText);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0),
    }
}

/// A field's text without the CR that ends a CRLF line (records end at LF).
fn decode_field(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    decode(bytes)
}

/// Counts the bytes read and fails once a single record runs past `MAX_RECORD_BYTES`
/// (plus what the readers buffer ahead): the CSV reader grows its record to hold a whole
/// field, so an unclosed quote or a 95 MB line would otherwise be held in memory whole.
struct Metered<R> {
    inner: R,
    read: u64,
    record_start: Rc<Cell<u64>>,
}

const READ_AHEAD: u64 = 512 * 1024;

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.read.saturating_sub(self.record_start.get()) > MAX_RECORD_BYTES + READ_AHEAD {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, RecordTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("a row is longer than 1 MiB")]
struct RecordTooLong;

/// Parses a CSV stream, calling `emit` with every batch. `now` (Unix seconds) is the
/// `feedback_at` of rows that leave it empty. Stops early when `emit` returns false.
pub fn parse(
    reader: impl Read,
    workspace_id: i64,
    now: i64,
    date_order: Option<DateOrder>,
    mut emit: impl FnMut(Batch) -> bool,
) -> Result<FileSummary, FileError> {
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    let utf16 = matches!(reader.fill_buf()?, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]);
    let reader: Box<dyn Read> = if utf16 {
        Box::new(BufReader::with_capacity(
            256 * 1024,
            encoding_rs_io::DecodeReaderBytesBuilder::new().bom_sniffing(true).build(reader),
        ))
    } else {
        Box::new(reader)
    };
    let record_start = Rc::new(Cell::new(0));
    let mut reader = BufReader::new(Metered { inner: reader, read: 0, record_start: record_start.clone() });
    let mut first_line = Vec::new();
    (&mut reader).take(MAX_HEADER_BYTES).read_until(b'\n', &mut first_line)?;
    if first_line.len() as u64 == MAX_HEADER_BYTES && !first_line.ends_with(b"\n") {
        return Err(FileError::Unusable("has a first line longer than 64 KiB; is it a CSV file?".into()));
    }
    let bom = if first_line.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    if first_line[bom..].iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::Unusable("is empty; it needs a first line naming the columns, then customers".into()));
    }
    let delimiter = sniff_delimiter(&first_line);
    let crlf_or_lf = first_line.ends_with(b"\n");
    let mut builder = csv::ReaderBuilder::new();
    builder.delimiter(delimiter).flexible(true).has_headers(true);
    if crlf_or_lf {
        // Records end at LF; a CR before it is trimmed with the field. (With CRLF as the
        // terminator the CSV reader reports every record of a CRLF file one line early.)
        builder.terminator(csv::Terminator::Any(b'\n'));
    }
    let mut csv = builder.from_reader(std::io::Cursor::new(first_line).chain(reader));
    let headers: Vec<String> = csv
        .byte_headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| decode_field(h).map(|h| h.trim_start_matches('\u{feff}').to_string()))
        .collect::<Result<_, _>>()?;
    let (columns, described) = find_columns(&headers)?;
    let mut summary = FileSummary { columns: described, ..FileSummary::default() };
    let mut rejected = Rejected::new(&headers, delimiter);

    let mut batch = Batch::default();
    let mut record = csv::ByteRecord::new();
    let mut sentiments = sentiment::Memo::new(50_000);
    loop {
        record_start.set(csv.position().byte());
        if !csv.read_byte_record(&mut record).map_err(csv_error)? {
            break;
        }
        let line = record.position().map(|p| p.line()).unwrap_or_default();
        let fields: Vec<Cow<str>> = record.iter().map(decode_field).collect::<Result<_, _>>()?;
        let field = |i: Option<usize>| i.and_then(|i| fields.get(i)).map(|f| f.as_ref()).unwrap_or("");
        let mut errors = Vec::new();
        let (raw_name, raw_email, raw_score) =
            (field(Some(columns.name)), field(Some(columns.email)), field(Some(columns.score)));
        let raw_review = field(columns.review);
        let raw_date = field(columns.feedback_at).trim();
        let name = checked(&mut errors, line, "name", raw_name, parse_name(raw_name));
        let email = checked(&mut errors, line, "email", raw_email, Email::parse(raw_email));
        let score = checked(&mut errors, line, "satisfaction_score", raw_score, Score::parse(raw_score));
        let review = checked(&mut errors, line, "review", raw_review, parse_review(raw_review));
        let feedback_at = match raw_date {
            "" => Some(now),
            raw => checked(&mut errors, line, "feedback_at", raw, feedback_at::parse(raw, now, date_order)),
        };
        match (name, email, score, review, feedback_at) {
            (Some(name), Some(email), Some(score), Some(review), Some(feedback_at)) => {
                if raw_date.is_empty() {
                    summary.dated_today += 1;
                }
                let row = Row {
                    workspace_id,
                    sentiment: sentiments.score(&review),
                    name,
                    email: email.into_string(),
                    review,
                    satisfaction_score: score.get(),
                    feedback_at,
                };
                if summary.preview.len() < PREVIEW_ROWS {
                    summary.preview.push(PreviewRow::of(line, &row));
                }
                batch.rows.push((line, row));
            }
            _ => {
                rejected.add(&fields, &errors);
                batch.invalid += 1;
                batch.errors.extend(errors);
            }
        }
        if batch.rows.len() + batch.invalid as usize >= BATCH_ROWS && !emit(std::mem::take(&mut batch)) {
            return Ok(summary);
        }
    }
    emit(batch);
    summary.rejected_csv = rejected.finish();
    Ok(summary)
}

impl PreviewRow {
    fn of(line: u64, row: &Row) -> Self {
        Self {
            row: line,
            name: row.name.clone(),
            email: row.email.clone(),
            satisfaction_score: row.satisfaction_score,
            review: row.review.clone(),
            feedback_at: DateTime::from_timestamp(row.feedback_at, 0).unwrap_or_default(),
        }
    }
}

/// The invalid rows written back as CSV with their reasons, within `MAX_LISTED_ERRORS`
/// rows and `MAX_REJECTED_BYTES`.
struct Rejected {
    writer: csv::Writer<Vec<u8>>,
    rows: usize,
}

impl Rejected {
    fn new(headers: &[String], delimiter: u8) -> Self {
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
        let _ = writer.write_record(headers.iter().map(String::as_str).chain(["error"]));
        Self { writer, rows: 0 }
    }

    fn add(&mut self, fields: &[Cow<str>], errors: &[RowError]) {
        if self.rows >= MAX_LISTED_ERRORS || self.writer.get_ref().len() >= MAX_REJECTED_BYTES {
            return;
        }
        let reason: Vec<String> = errors.iter().map(|e| format!("{} {}", e.field, e.message)).collect();
        let reason = reason.join("; ");
        if self.writer.write_record(fields.iter().map(|f| f.as_ref()).chain([reason.as_str()])).is_ok() {
            self.rows += 1;
        }
    }

    fn finish(self) -> Option<String> {
        if self.rows == 0 {
            return None;
        }
        self.writer.into_inner().ok().map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
    }
}

fn checked<T>(errors: &mut Vec<RowError>, row: u64, field: &str, value: &str, result: Result<T, String>) -> Option<T> {
    result
        .map_err(|message| {
            let value = value.chars().take(MAX_VALUE_CHARS).collect();
            errors.push(RowError { row, field: field.into(), message, value })
        })
        .ok()
}

fn csv_error(err: csv::Error) -> FileError {
    let line = err.position().map(|p| p.line());
    match err.into_kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|e| e.is::<RecordTooLong>()) => {
            FileError::Unusable(format!(
                "has a row longer than 1 MiB{}; is a quote left open?",
                line.map(|l| format!(" (from line {l})")).unwrap_or_default()
            ))
        }
        csv::ErrorKind::Io(io) => FileError::Io(io),
        csv::ErrorKind::Utf8 { .. } => FileError::NotText,
        other => FileError::Unusable(format!("is not valid CSV: {other:?}")),
    }
}

/// Imports a CSV stream through the parser and one transaction. A dry run does all the
/// work, including conflict checks against the database, and rolls back.
pub async fn import(
    db: &Db,
    workspace_id: i64,
    source: impl AsyncRead + Send + Unpin + 'static,
    options: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let (tx, rx) = tokio::sync::mpsc::channel::<Prepared>(4);
    let now = Utc::now().timestamp();
    let backend = db.get_database_backend();
    let parser = tokio::task::spawn_blocking(move || {
        let reader = tokio_util::io::SyncIoBridge::new(source);
        parse(reader, workspace_id, now, options.date_order, |batch| {
            tx.blocking_send(Prepared::new(batch, options.on_conflict, backend)).is_ok()
        })
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
    let report = write_all(&txn, rx, parser, workspace_id, options).await?;
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
    parser: tokio::task::JoinHandle<Result<FileSummary, FileError>>,
    workspace_id: i64,
    options: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let mut indexes = IndexPlan::new(txn).await?;
    let mut writer = Writer { report: ImportReport::default(), deltas: Deltas::default(), workspace_id, options };
    while let Some(batch) = rx.recv().await {
        writer.write(txn, batch).await?;
        indexes.after_batch(txn, writer.report.inserted).await?;
    }
    let summary = parser.await.map_err(|e| ApiError::Internal(e.into()))??;
    let report = &mut writer.report;
    report.columns = summary.columns;
    report.preview = summary.preview;
    report.dated_today = summary.dated_today;
    report.rejected_csv = summary.rejected_csv;
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
    workspace_id: i64,
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
            for found in customer::existing_by_email(txn, self.workspace_id, chunk).await? {
                existing.insert(found.email.clone(), found);
            }
        }
        let mut inserts: Vec<Row> = Vec::new();
        for row in rows {
            match existing.get(&row.email) {
                Some(old) if update => {
                    self.deltas
                        .add(Key::of(self.workspace_id, old.feedback_at, old.satisfaction_score, old.sentiment), -1);
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
        run_bytes(csv.as_bytes(), None).map(|(batch, _)| batch)
    }

    fn run_bytes(bytes: &[u8], order: Option<DateOrder>) -> Result<(Batch, FileSummary), FileError> {
        let mut all = Batch::default();
        let summary = parse(bytes, 1, 1_767_225_600, order, |b| {
            all.rows.extend(b.rows);
            all.invalid += b.invalid;
            all.errors.extend(b.errors);
            true
        })?;
        Ok((all, summary))
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
        assert_eq!(rows[1].1.feedback_at, 1_767_225_600, "empty feedback_at is now");
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
        let long_first_line = "x".repeat(200_000);
        assert!(run(&long_first_line).unwrap_err().to_string().contains("64 KiB"));
        let open_quote = format!("name,email,score\nA,a@b.co,\"{}\n", "y\n".repeat(2_000_000));
        assert!(run(&open_quote).unwrap_err().to_string().contains("longer than 1 MiB"));
    }

    #[test]
    fn crlf_files_report_the_line_where_each_record_starts() {
        let csv = "name,email,score\r\nAnn,ann@example.com,5\r\nBob,bob,4\r\n\"Cy\r\nTwo\",cy@example.com,x\r\nDi,di@example.com,3\r\n";
        let Batch { rows, errors, .. } = run(csv).unwrap();
        assert_eq!(
            rows.iter().map(|(l, r)| (*l, r.email.as_str())).collect::<Vec<_>>(),
            [(2, "ann@example.com"), (6, "di@example.com")]
        );
        assert_eq!(
            errors.iter().map(|e| (e.row, e.field.as_str(), e.value.as_str())).collect::<Vec<_>>(),
            [(3, "email", "bob"), (4, "satisfaction_score", "x")]
        );
    }

    #[test]
    fn spreadsheet_headers_encodings_and_dates() {
        let csv = b"Full Name;E-mail;Stars;Comment;Date;Notes\r\nJos\xe9;j@example.com;4;tr\xe8s bien;31/12/2025;x\r\nAnn;ann@example.com;5;;;y\r\n";
        let (batch, summary) = run_bytes(csv, Some(DateOrder::Dmy)).unwrap();
        let fields: Vec<(&str, Option<&str>)> = summary.columns.iter().map(|c| (c.header.as_str(), c.field)).collect();
        assert_eq!(
            fields,
            [
                ("Full Name", Some("name")),
                ("E-mail", Some("email")),
                ("Stars", Some("satisfaction_score")),
                ("Comment", Some("review")),
                ("Date", Some("feedback_at")),
                ("Notes", None),
            ]
        );
        assert_eq!((batch.rows[0].1.name.as_str(), batch.rows[0].1.review.as_str()), ("José", "très bien"));
        assert_eq!(batch.rows[0].1.feedback_at, 1_767_139_200);
        assert_eq!(summary.dated_today, 1);
        assert_eq!(summary.preview.len(), 2);
        assert_eq!(summary.rejected_csv, None);

        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("name,email,score\nZoë,z@example.com,5\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (batch, _) = run_bytes(&utf16, None).unwrap();
        assert_eq!(batch.rows[0].1.name, "Zoë");
    }

    #[test]
    fn rejected_rows_come_back_as_csv_with_their_reason() {
        let (_, summary) =
            run_bytes(b"name,email,score,extra\nAnn,ann@example.com,9,keep\nBob,bob@example.com,4,x\n", None).unwrap();
        assert_eq!(
            summary.rejected_csv.as_deref(),
            Some(
                "name,email,score,extra,error\nAnn,ann@example.com,9,keep,satisfaction_score must be a whole number from 1 to 5\n"
            )
        );
    }
}
