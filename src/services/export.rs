//! The customers export: the list's matches as CSV, read in chunks by id so a large
//! workspace streams in constant memory.

use bytes::Bytes;
use futures::{Stream, StreamExt};

use crate::{
    core::database::Db,
    models::customer::{self, Filter},
    schemas::customer::CustomerRead,
};

/// Rows read per query.
const CHUNK: u64 = 2_000;

/// The header line, then the matching customers as CSV rows.
pub fn csv_rows(db: Db, filter: Filter) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let header = "id,name,email,satisfaction_score,review,sentiment,feedback_at,created_at\n";
    let first = futures::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(header)) });
    let rows = futures::stream::try_unfold((db, filter, 0i64, false), |(db, filter, after, done)| async move {
        if done {
            return Ok(None);
        }
        let chunk = customer::chunk_after(&db, &filter, after, CHUNK).await.map_err(std::io::Error::other)?;
        let last = chunk.last().map(|c| c.id).unwrap_or(after);
        let finished = (chunk.len() as u64) < CHUNK;
        if chunk.is_empty() {
            return Ok(None);
        }
        let mut writer = csv::Writer::from_writer(Vec::new());
        for c in chunk {
            let read = CustomerRead::from(c);
            writer
                .write_record([
                    read.id.to_string().as_str(),
                    &neutralize(&read.name),
                    &neutralize(&read.email),
                    &read.satisfaction_score.to_string(),
                    &neutralize(&read.review),
                    &read.sentiment.to_string(),
                    &read.feedback_at.to_rfc3339(),
                    &read.created_at.to_rfc3339(),
                ])
                .map_err(std::io::Error::other)?;
        }
        let bytes = writer.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Some((Bytes::from(bytes), (db, filter, last, finished))))
    });
    first.chain(rows)
}

/// Cells a spreadsheet would run as a formula get a leading `'`.
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

#[cfg(test)]
mod tests {
    use super::neutralize;

    #[test]
    fn formulas_are_neutralized() {
        for (cell, want) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("ok", "ok"),
            ("", ""),
        ] {
            assert_eq!(neutralize(cell), want);
        }
    }
}
