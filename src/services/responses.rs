//! A customer's responses: add, correct, delete. Every write keeps the
//! customer row showing its latest response and the daily counts exact, in one transaction.

use crate::core::error::Checker;
use crate::schemas::response::FeedbackInput;
use crate::{
    core::{
        database::{self, Db},
        error::AppError,
    },
    models::{
        customer,
        daily_stat::Deltas,
        latest_response,
        response::{self, Feedback, Source},
    },
    schemas::envelope::Page,
    services::{
        customers::{check_feedback, feedback_of},
        follow_ups,
    },
};

pub async fn list(
    db: &Db,
    workspace_id: i64,
    customer_id: i64,
    page: Page,
) -> Result<(Vec<response::Model>, u64), AppError> {
    customer::find(db, workspace_id, customer_id).await?.ok_or(AppError::NotFound)?;
    Ok(response::of_customer(db, customer_id, page.offset(), page.per_page).await?)
}

/// Adds a response to customer `customer_id`.
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id, customer_id = customer_id))]
pub async fn add(
    db: &Db,
    workspace_id: i64,
    customer_id: i64,
    input: &FeedbackInput<'_>,
    source: Source,
) -> Result<response::Model, AppError> {
    let mut c = Checker::default();
    let feedback = check_feedback(&mut c, input, None);
    c.finish()?;
    let feedback = feedback.expect("the checker reported every failed field");
    let txn = database::begin_write(db).await?;
    let owner = customer::find_for_update(&txn, workspace_id, customer_id).await?.ok_or(AppError::NotFound)?;
    let added = add_in(&txn, &owner, &feedback, source).await?;
    txn.commit().await?;
    Ok(added)
}

/// Adds a response inside a write transaction the caller holds (surveys and the public
/// form add theirs with other writes).
pub async fn add_in(
    txn: &impl sea_orm::ConnectionTrait,
    owner: &customer::Model,
    feedback: &Feedback,
    source: Source,
) -> Result<response::Model, AppError> {
    let added =
        response::insert(txn, owner.workspace_id, (owner.id, &owner.name, &owner.email), feedback, source).await?;
    let mut deltas = Deltas::default();
    deltas.add(added.stats_key(), 1);
    deltas.apply(txn).await?;
    latest_response::show_latest(txn, owner).await?;
    follow_ups::response_added(txn, &added, owner).await?;
    Ok(added)
}

/// Corrects response `id`: the fields given replace its own.
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id, id = id))]
pub async fn correct(
    db: &Db,
    workspace_id: i64,
    id: i64,
    input: &FeedbackInput<'_>,
) -> Result<response::Model, AppError> {
    let txn = database::begin_write(db).await?;
    let old = response::find(&txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let mut c = Checker::default();
    let feedback = check_feedback(&mut c, input, Some(&feedback_of(&old)));
    c.finish()?;
    let feedback = feedback.expect("the checker reported every failed field");
    let corrected = correct_in(&txn, &old, &feedback).await?;
    txn.commit().await?;
    Ok(corrected)
}

/// Replaces response `old`'s feedback inside a write transaction the caller holds.
pub async fn correct_in(
    txn: &impl sea_orm::ConnectionTrait,
    old: &response::Model,
    feedback: &Feedback,
) -> Result<response::Model, AppError> {
    let owner = customer::find_for_update(txn, old.workspace_id, old.customer_id).await?.ok_or(AppError::NotFound)?;
    let corrected = response::update(txn, old.id, feedback, &owner.name, &owner.email).await?;
    let mut deltas = Deltas::default();
    deltas.add(old.stats_key(), -1);
    deltas.add(corrected.stats_key(), 1);
    deltas.apply(txn).await?;
    latest_response::show_latest(txn, &owner).await?;
    Ok(corrected)
}

/// Deletes response `id`; a customer's only response cannot go (delete the customer).
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id, id = id))]
pub async fn delete(db: &Db, workspace_id: i64, id: i64) -> Result<(), AppError> {
    let txn = database::begin_write(db).await?;
    let old = response::find(&txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let owner = customer::find_for_update(&txn, workspace_id, old.customer_id).await?.ok_or(AppError::NotFound)?;
    if owner.response_count <= 1 {
        return Err(AppError::conflict(
            "conflict",
            "This is the customer's only response: delete the customer instead.",
        ));
    }
    response::delete(&txn, id).await?;
    let mut deltas = Deltas::default();
    deltas.add(old.stats_key(), -1);
    deltas.apply(&txn).await?;
    latest_response::show_latest(&txn, &owner).await?;
    txn.commit().await?;
    Ok(())
}
