//! Customer rules: validation, sentiment on write, and the daily counts kept in step with
//! every write in the same transaction.

use chrono::Utc;
use sea_orm::ConnectionTrait;

use crate::core::error::Checker;
use crate::domain::fields::{CustomerName, Email, Review, Score};
use crate::schemas::response::FeedbackInput;
use crate::services::conflicts::or_conflict;
use crate::{
    core::{
        database::{self, Db},
        error::AppError,
    },
    domain::{feedback_at::FeedbackAt, sentiment},
    models::{
        customer::{self, Filter, Row, Sort},
        daily_stat::Deltas,
        latest_response,
        response::{self, Feedback, Source},
    },
    schemas::{
        customer::{CustomerCreate, CustomerUpdate},
        envelope::Page,
    },
    services::follow_ups,
};

pub fn parse_feedback_at(raw: &str) -> Result<i64, String> {
    FeedbackAt::parse(raw, Utc::now().timestamp(), None).map(FeedbackAt::seconds)
}

fn score_from_json(value: &serde_json::Value) -> Result<i16, String> {
    match value {
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(v) => Score::new(v).map(Score::get),
            None => Err("must be a whole number from 1 to 5".into()),
        },
        serde_json::Value::String(s) => Score::parse(s).map(Score::get),
        _ => Err("must be a whole number from 1 to 5".into()),
    }
}

/// Checks `input` into `c`, filling what it leaves out from `base` (the response it
/// corrects; a new one has an empty review and is dated now). `None` when a field failed.
pub fn check_feedback(c: &mut Checker, input: &FeedbackInput, base: Option<&Feedback>) -> Option<Feedback> {
    let score = match input.satisfaction_score {
        Some(raw) => c.check("satisfaction_score", score_from_json(raw)),
        None => match base {
            Some(b) => Some(b.satisfaction_score),
            None => c.check("satisfaction_score", Err::<i16, _>("is required".into())),
        },
    };
    let review = match input.review {
        Some(raw) => c.check("review", Review::parse(raw).map(Review::into_string)),
        None => Some(base.map(|b| b.review.clone()).unwrap_or_default()),
    };
    let feedback_at = match input.feedback_at.filter(|s| !s.trim().is_empty()) {
        Some(raw) => c.check("feedback_at", parse_feedback_at(raw)),
        None => Some(base.map_or_else(|| Utc::now().timestamp(), |b| b.feedback_at)),
    };
    let (score, review, feedback_at) = (score?, review?, feedback_at?);
    let sentiment = match base {
        Some(b) if b.review == review => b.sentiment,
        _ => sentiment::score(&review),
    };
    Some(Feedback { satisfaction_score: score, review, sentiment, feedback_at })
}

pub fn feedback_of(r: &response::Model) -> Feedback {
    Feedback {
        satisfaction_score: r.satisfaction_score,
        review: r.review.clone(),
        sentiment: r.sentiment,
        feedback_at: r.feedback_at,
    }
}

/// Creates the customer and its first response.
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id))]
pub async fn create(
    db: &Db,
    workspace_id: i64,
    body: CustomerCreate,
    source: Source,
) -> Result<customer::Model, AppError> {
    let mut c = Checker::default();
    let name = c.check("name", CustomerName::parse(&body.name).map(CustomerName::into_string));
    let email = c.check("email", Email::parse(&body.email));
    let input = FeedbackInput {
        satisfaction_score: Some(&body.satisfaction_score),
        review: body.review.as_deref(),
        feedback_at: body.feedback_at.as_deref(),
    };
    let feedback = check_feedback(&mut c, &input, None);
    c.finish()?;
    let (Some(name), Some(email), Some(feedback)) = (name, email, feedback) else {
        unreachable!("the checker reported every missing field")
    };
    let row = new_row(workspace_id, name, &email, &feedback);
    let txn = database::begin_write(db).await?;
    let created = create_in(&txn, &row, &feedback, source).await?;
    txn.commit().await?;
    Ok(created)
}

/// Inserts customer `row` with its first response inside a write transaction the caller
/// holds.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    row: &Row,
    feedback: &Feedback,
    source: Source,
) -> Result<customer::Model, AppError> {
    let created = customer::insert(txn, row).await.map_err(or_conflict)?;
    let first = response::insert(txn, row.workspace_id, (created.id, &row.name, &row.email), feedback, source).await?;
    let mut deltas = Deltas::default();
    deltas.add(first.stats_key(), 1);
    deltas.apply(txn).await?;
    follow_ups::response_added(txn, &first, &created).await?;
    Ok(created)
}

/// The customer row of a new customer whose first response is `feedback`.
pub fn new_row(workspace_id: i64, name: String, email: &Email, feedback: &Feedback) -> Row {
    Row {
        workspace_id,
        name,
        email: email.as_str().to_string(),
        review: feedback.review.clone(),
        satisfaction_score: feedback.satisfaction_score,
        sentiment: feedback.sentiment,
        feedback_at: feedback.feedback_at,
    }
}

pub async fn get(db: &Db, workspace_id: i64, id: i64) -> Result<customer::Model, AppError> {
    customer::find(db, workspace_id, id).await?.ok_or(AppError::NotFound)
}

/// Renames the customer and, with score, review or feedback_at, corrects its latest
/// response (adding none).
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id, id = id))]
pub async fn update(db: &Db, workspace_id: i64, id: i64, body: CustomerUpdate) -> Result<customer::Model, AppError> {
    let txn = database::begin_write(db).await?;
    let old = customer::find_for_update(&txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let (latest, _) = response::latest(&txn, id).await?.ok_or(AppError::NotFound)?;
    let mut c = Checker::default();
    let name = body.name.as_deref().map(|n| c.check("name", CustomerName::parse(n).map(CustomerName::into_string)));
    let email = body.email.as_deref().map(|e| c.check("email", Email::parse(e)));
    let input = FeedbackInput {
        satisfaction_score: body.satisfaction_score.as_ref(),
        review: body.review.as_deref(),
        feedback_at: body.feedback_at.as_deref(),
    };
    let corrects = input.satisfaction_score.is_some() || input.review.is_some() || input.feedback_at.is_some();
    let feedback = check_feedback(&mut c, &input, Some(&feedback_of(&latest)));
    c.finish()?;
    let feedback = feedback.expect("the checker reported every failed field");
    let row = Row {
        workspace_id,
        name: name.flatten().unwrap_or(old.name.clone()),
        email: email.flatten().map(|e| e.as_str().to_string()).unwrap_or(old.email.clone()),
        review: old.review.clone(),
        satisfaction_score: old.satisfaction_score,
        sentiment: old.sentiment,
        feedback_at: old.feedback_at,
    };
    let mut updated = customer::update(&txn, id, &row).await.map_err(or_conflict)?;
    if row.name != old.name || row.email != old.email {
        response::rekey(&txn, id, &row.name, &row.email).await?;
    }
    if corrects {
        let corrected = response::update(&txn, latest.id, &feedback, &row.name, &row.email).await?;
        let mut deltas = Deltas::default();
        deltas.add(latest.stats_key(), -1);
        deltas.add(corrected.stats_key(), 1);
        deltas.apply(&txn).await?;
    }
    updated = latest_response::show_latest(&txn, &updated).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes the customer and its responses; returns what it was.
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id, id = id))]
pub async fn delete(db: &Db, workspace_id: i64, id: i64) -> Result<customer::Model, AppError> {
    let txn = database::begin_write(db).await?;
    let gone = customer::find_for_update(&txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let mut deltas = Deltas::default();
    for r in response::all_of_customer(&txn, id).await? {
        deltas.add(r.stats_key(), -1);
    }
    customer::delete(&txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    deltas.apply(&txn).await?;
    txn.commit().await?;
    Ok(gone)
}

pub async fn list(db: &Db, filter: &Filter, sort: Sort, page: Page) -> Result<(Vec<customer::Model>, u64), AppError> {
    Ok(customer::list(db, filter, sort, page.offset(), page.per_page).await?)
}
