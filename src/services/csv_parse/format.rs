//! How spreadsheet programs write CSV: which delimiter, which encoding a field is in, and
//! which header names mean which field.

use std::borrow::Cow;

use super::{FileError, ImportColumn};

/// The fields a column can fill, each with the header names that mean it (compared
/// lower-cased, with `_` read as a space).
const FIELDS: [(&str, &[&str]); 5] = [
    ("name", &["name", "full name", "customer", "customer name"]),
    ("email", &["email", "e-mail", "email address"]),
    ("satisfaction_score", &["satisfaction score", "score", "rating", "csat", "stars"]),
    ("review", &["review", "comment", "comments", "feedback", "message"]),
    ("feedback_at", &["feedback at", "date", "submitted at", "created at", "timestamp"]),
];

#[derive(Clone, Copy)]
pub(super) struct Columns {
    pub name: usize,
    pub email: usize,
    pub score: usize,
    pub review: Option<usize>,
    pub feedback_at: Option<usize>,
}

fn normalize_header(header: &str) -> String {
    header.trim().to_lowercase().replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn find_columns(headers: &[String]) -> Result<(Columns, Vec<ImportColumn>), FileError> {
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
pub(super) fn sniff_delimiter(header_line: &[u8]) -> u8 {
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
pub(super) fn decode_field(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    decode(bytes)
}
