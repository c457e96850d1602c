//! Reading a CSV file as spreadsheets write it: encodings (UTF-8, Windows-1252 per field,
//! UTF-16 with a BOM), delimiters, header aliases, dates, bounded records, and the parts of
//! the import report that come from the file itself (columns, preview, rejected rows).

use std::{
    borrow::Cow,
    cell::Cell,
    io::{BufRead, BufReader, Read},
    rc::Rc,
};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

mod format;

use format::{decode_field, find_columns, sniff_delimiter};

use crate::{
    core::error::AppError,
    domain::fields::{CustomerName, Email, Review, Score},
    domain::{
        feedback_at::{DateOrder, FeedbackAt},
        sentiment,
    },
    models::customer::Row,
};

/// At most this many row errors are listed (and rejected rows written back); the rest are
/// counted.
pub const MAX_LISTED_ERRORS: usize = 1_000;
/// Rows per batch handed to the writer.
const BATCH_ROWS: usize = 2_000;

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

impl From<FileError> for AppError {
    fn from(err: FileError) -> Self {
        match err {
            FileError::Unusable(message) => AppError::field("file", message),
            FileError::NotText => AppError::bad_request(
                "This does not look like a CSV file: it contains binary data. Save it as CSV from your spreadsheet program.",
            ),
            FileError::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => AppError::TooLarge,
            FileError::Io(io) => AppError::bad_request(format!("The upload was interrupted: {io}")),
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

const PREVIEW_ROWS: usize = 5;
/// A header line or a record longer than this is refused, so that memory stays bounded
/// whatever the file's shape (a real row is a few KiB: a review is at most 5,000 characters).
const MAX_HEADER_BYTES: u64 = 64 * 1024;
const MAX_RECORD_BYTES: u64 = 1024 * 1024;
/// The rejected rows' CSV keeps at most this many rows and bytes.
const MAX_REJECTED_BYTES: usize = 4 * 1024 * 1024;
const MAX_VALUE_CHARS: usize = 100;

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
        let name =
            checked(&mut errors, line, "name", raw_name, CustomerName::parse(raw_name).map(CustomerName::into_string));
        let email = checked(&mut errors, line, "email", raw_email, Email::parse(raw_email));
        let score = checked(&mut errors, line, "satisfaction_score", raw_score, Score::parse(raw_score));
        let review =
            checked(&mut errors, line, "review", raw_review, Review::parse(raw_review).map(Review::into_string));
        let feedback_at = match raw_date {
            "" => Some(now),
            raw => checked(
                &mut errors,
                line,
                "feedback_at",
                raw,
                FeedbackAt::parse(raw, now, date_order).map(FeedbackAt::seconds),
            ),
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

#[cfg(test)]
mod tests;
