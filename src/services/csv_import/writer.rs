//! Writing parsed batches: settling repeats of an email inside a batch, inserting new
//! customers and their responses in bulk, and row by row only when an email already exists.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DbBackend};

use super::{ImportOptions, ImportReport, OnConflict};
use crate::{
    core::{
        error::AppError,
        write_txn::{BoundStatement, WriteTxn},
    },
    models::{
        customer::{self, Row},
        customer_import,
        daily_stat::Deltas,
        latest_response,
        response::{self, Feedback, Source},
    },
    services::{
        conflicts::or_conflict,
        csv_parse::{Batch, MAX_LISTED_ERRORS, RowError},
        follow_ups,
    },
};

/// A parsed batch made ready for the writer on the parser thread: the customers and
/// responses left once repeats of an email inside the batch are settled, and the
/// statements inserting them. Building those statements is a good part of an import's
/// work; done here, it overlaps with the database writing the previous batch.
pub(super) struct Prepared {
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
    pub(super) fn new(batch: Batch, workspace_id: i64, on_conflict: OnConflict, backend: DbBackend) -> Self {
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
        let customer_inserts = customer_import::insert_statements(backend, &customers, now, true);
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

pub(super) struct Writer {
    pub report: ImportReport,
    pub deltas: Deltas,
    pub workspace_id: i64,
    /// The workspace's low score: responses at or under it open follow-ups.
    pub threshold: i16,
    pub options: ImportOptions,
}

impl Writer {
    pub(super) async fn write(&mut self, txn: &WriteTxn<'_>, batch: Prepared) -> Result<(), AppError> {
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
        if customer_import::run_inserts(txn, batch.customer_inserts).await? == customers.len() as u64 {
            customer_import::run_inserts(txn, batch.response_inserts).await?;
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
            for found in customer_import::existing_by_email(txn, self.workspace_id, chunk).await? {
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
                    latest_response::show_latest(txn, &old).await?;
                }
            }
        }
        let backend = txn.get_database_backend();
        let now = customer::now_millis();
        let statements = customer_import::insert_statements(backend, &new_customers, now, false);
        customer_import::run_inserts(txn, statements).await.map_err(or_conflict)?;
        customer_import::run_inserts(txn, response::import_statements(backend, self.workspace_id, &new_responses, now))
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
    latest_response::show_latest(txn, &renamed).await?;
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
        for found in customer_import::existing_by_email(txn, workspace_id, chunk).await? {
            if let Some(c) = customer::find(txn, workspace_id, found.id).await? {
                latest_response::show_latest(txn, &c).await?;
            }
        }
    }
    Ok(())
}
