//! Customer rules: validation, sentiment on write, and the daily counts kept in step with
//! every write in the same transaction.

use chrono::Utc;
use sea_orm::{DbErr, SqlErr};

use crate::{
    core::{
        database::{self, Db},
        error::{ApiError, FieldErrors},
    },
    domain::{feedback_at, text},
    models::{
        customer::{self, Filter, Row, SortKey},
        daily_stat::{Deltas, Key},
    },
    schemas::{
        customer::{CustomerCreate, CustomerUpdate},
        envelope::Page,
        fields::{Email, Score},
    },
    services::sentiment,
};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_REVIEW_CHARS: usize = 5_000;

/// One field's value checked; the error text is what the API and the CSV report say.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    text::check_controls(name)?;
    if name.is_empty() {
        Err("is required".into())
    } else if name.chars().count() > MAX_NAME_CHARS {
        Err(format!("must be at most {MAX_NAME_CHARS} characters"))
    } else {
        Ok(name.to_string())
    }
}

pub fn parse_review(raw: &str) -> Result<String, String> {
    let review = raw.trim();
    text::check_controls(review)?;
    if review.chars().count() > MAX_REVIEW_CHARS {
        Err(format!("must be at most {MAX_REVIEW_CHARS} characters"))
    } else {
        Ok(review.to_string())
    }
}

pub fn parse_feedback_at(raw: &str) -> Result<i64, String> {
    feedback_at::parse(raw, Utc::now().timestamp(), None)
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

/// Collects one error per field.
#[derive(Default)]
struct Checker(FieldErrors);

impl Checker {
    fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.0.entry(field.to_string()).or_default().push(m)).ok()
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() { Ok(()) } else { Err(ApiError::Validation(self.0)) }
    }
}

pub fn email_conflict(err: DbErr) -> ApiError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            ApiError::conflict("email_taken", "A customer with this email already exists.")
        }
        _ => err.into(),
    }
}

pub async fn create(db: &Db, workspace_id: i64, body: CustomerCreate) -> Result<customer::Model, ApiError> {
    let mut c = Checker::default();
    let name = c.check("name", parse_name(&body.name));
    let email = c.check("email", Email::parse(&body.email));
    let review = c.check("review", parse_review(body.review.as_deref().unwrap_or("")));
    let score = c.check("satisfaction_score", score_from_json(&body.satisfaction_score));
    let feedback_at = match body.feedback_at.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(raw) => c.check("feedback_at", parse_feedback_at(raw)),
        None => Some(Utc::now().timestamp()),
    };
    c.finish()?;
    let (Some(name), Some(email), Some(review), Some(score), Some(feedback_at)) =
        (name, email, review, score, feedback_at)
    else {
        unreachable!("the checker reported every missing field")
    };
    let row = Row {
        workspace_id,
        sentiment: sentiment::score(&review),
        name,
        email: email.as_str().to_string(),
        review,
        satisfaction_score: score,
        feedback_at,
    };
    let txn = database::begin_write(db).await?;
    let created = customer::insert(&txn, &row).await.map_err(email_conflict)?;
    let mut deltas = Deltas::default();
    deltas.add(row.stats_key(), 1);
    deltas.apply(&txn).await?;
    txn.commit().await?;
    Ok(created)
}

pub async fn get(db: &Db, workspace_id: i64, id: i64) -> Result<customer::Model, ApiError> {
    customer::find(db, workspace_id, id).await?.ok_or(ApiError::NotFound)
}

pub async fn update(db: &Db, workspace_id: i64, id: i64, body: CustomerUpdate) -> Result<customer::Model, ApiError> {
    let txn = database::begin_write(db).await?;
    let old = customer::find_for_update(&txn, workspace_id, id).await?.ok_or(ApiError::NotFound)?;
    let mut c = Checker::default();
    let name = body.name.as_deref().map(|n| c.check("name", parse_name(n)));
    let email = body.email.as_deref().map(|e| c.check("email", Email::parse(e)));
    let review = body.review.as_deref().map(|r| c.check("review", parse_review(r)));
    let score = body.satisfaction_score.as_ref().map(|s| c.check("satisfaction_score", score_from_json(s)));
    let feedback_at = body.feedback_at.as_deref().map(|f| c.check("feedback_at", parse_feedback_at(f)));
    c.finish()?;
    let review = review.flatten().unwrap_or(old.review.clone());
    let row = Row {
        workspace_id,
        sentiment: if review == old.review { old.sentiment } else { sentiment::score(&review) },
        name: name.flatten().unwrap_or(old.name.clone()),
        email: email.flatten().map(|e| e.as_str().to_string()).unwrap_or(old.email.clone()),
        review,
        satisfaction_score: score.flatten().unwrap_or(old.satisfaction_score),
        feedback_at: feedback_at.flatten().unwrap_or(old.feedback_at),
    };
    let updated = customer::update(&txn, id, &row).await.map_err(email_conflict)?;
    let mut deltas = Deltas::default();
    deltas.add(Key::of(workspace_id, old.feedback_at, old.satisfaction_score, old.sentiment), -1);
    deltas.add(row.stats_key(), 1);
    deltas.apply(&txn).await?;
    txn.commit().await?;
    Ok(updated)
}

pub async fn delete(db: &Db, workspace_id: i64, id: i64) -> Result<(), ApiError> {
    let txn = database::begin_write(db).await?;
    let removed = customer::delete(&txn, workspace_id, id).await?.ok_or(ApiError::NotFound)?;
    let mut deltas = Deltas::default();
    deltas.add(Key::of(workspace_id, removed.feedback_at, removed.satisfaction_score, removed.sentiment), -1);
    deltas.apply(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn list(
    db: &Db,
    filter: &Filter,
    sort: (SortKey, sea_orm::Order),
    page: Page,
) -> Result<(Vec<customer::Model>, u64), ApiError> {
    Ok(customer::list(db, filter, sort, page.offset(), page.per_page).await?)
}
