//! What customers do without an account: open and answer a survey, unsubscribe,
//! and answer a workspace's public form. Opening never records anything: mail scanners
//! open every link, so only a POST answers.

use crate::schemas::response::FeedbackInput;
use crate::services::state::AppState;
use std::net::IpAddr;

use chrono::Utc;

use crate::core::error::Checker;
use crate::{
    core::{
        database::{self, Db},
        error::AppError,
        security::token_hash,
    },
    domain::fields::{CustomerName, Email},
    models::{
        customer,
        response::{self, Source},
        survey::{self, Recipient},
        workspace,
    },
    services::{
        customers::{self, check_feedback},
        responses,
    },
};

/// What the answer page shows.
pub struct SurveyPage {
    pub workspace_name: String,
    pub customer_name: String,
    pub answer: Option<response::Model>,
}

/// The recipient of a survey link still valid.
async fn recipient(db: &impl sea_orm::ConnectionTrait, token: &str) -> Result<Recipient, AppError> {
    let r = survey::recipient_by_token(db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
    if r.expires_at <= Utc::now().timestamp_millis() {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

pub async fn survey_page(db: &Db, token: &str) -> Result<SurveyPage, AppError> {
    let r = recipient(db, token).await?;
    let customer = customer::find(db, r.workspace_id, r.customer_id).await?.ok_or(AppError::NotFound)?;
    let workspace = workspace::find(db, r.workspace_id).await?.ok_or(AppError::NotFound)?;
    let answer = match r.response_id {
        Some(id) if r.answered_at.is_some() => response::find(db, r.workspace_id, id).await?,
        _ => None,
    };
    Ok(SurveyPage { workspace_name: workspace.name, customer_name: customer.name, answer })
}

/// Records a survey answer: the first is a new response (`true`); within
/// `SURVEY_EDIT_SECONDS` of it another replaces it (`false`); later answers are refused.
pub async fn answer_survey(
    state: &AppState,
    token: &str,
    input: &FeedbackInput<'_>,
) -> Result<(bool, response::Model), AppError> {
    let mut c = Checker::default();
    let feedback = check_feedback(&mut c, &FeedbackInput { feedback_at: None, ..*input }, None);
    c.finish()?;
    let mut feedback = feedback.expect("the checker reported every failed field");
    let txn = database::begin_write(&state.db).await?;
    let r = recipient(&txn, token).await?;
    let now = Utc::now().timestamp_millis();
    let answer = match (r.answered_at, r.response_id) {
        (None, _) => {
            let owner =
                customer::find_for_update(&txn, r.workspace_id, r.customer_id).await?.ok_or(AppError::NotFound)?;
            let added = responses::add_in(&txn, &owner, &feedback, Source::Survey).await?;
            survey::mark_answered(&txn, r.id, added.id, now).await?;
            (true, added)
        }
        (Some(at), Some(id)) if now - at <= state.settings.survey_edit.as_millis() as i64 => {
            let old = response::find(&txn, r.workspace_id, id).await?.ok_or_else(already_answered)?;
            // The answer keeps the time it was first given.
            feedback.feedback_at = old.feedback_at;
            (false, responses::correct_in(&txn, &old, &feedback).await?)
        }
        _ => return Err(already_answered()),
    };
    txn.commit().await?;
    Ok(answer)
}

fn already_answered() -> AppError {
    AppError::conflict("already_answered", "This survey was answered and the answer is final. Thank you!")
}

/// Unsubscribes the customer of a survey link, also of an expired one; idempotent.
pub async fn unsubscribe(db: &Db, token: &str) -> Result<(), AppError> {
    let r = survey::recipient_by_token(db, &token_hash(token)).await?.ok_or(AppError::NotFound)?;
    customer::unsubscribe(db, r.customer_id).await?;
    Ok(())
}

/// The workspace whose public form `slug` is, when the form is on.
pub async fn form(db: &Db, slug: &str) -> Result<workspace::Model, AppError> {
    workspace::find_by_slug(db, slug).await?.filter(|w| w.public_form_enabled).ok_or(AppError::NotFound)
}

pub struct FormAnswer<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub feedback: FeedbackInput<'a>,
    /// The honeypot: people leave it empty.
    pub website: Option<&'a str>,
}

/// Stores a public form answer: a new customer, or a new response of the customer with
/// that email. Over `FORM_RATE_LIMIT_PER_HOUR` per IP → `RateLimited`; a filled honeypot is accepted
/// and dropped.
pub async fn answer_form(
    state: &AppState,
    slug: &str,
    ip: Option<IpAddr>,
    answer: FormAnswer<'_>,
) -> Result<(), AppError> {
    let workspace = form(&state.db, slug).await?;
    if let (Some(limiter), Some(ip)) = (&state.form_limiter, ip) {
        limiter.check(&ip).await.map_err(|retry_after| AppError::RateLimited { retry_after })?;
    }
    if answer.website.is_some_and(|w| !w.trim().is_empty()) {
        return Ok(());
    }
    let mut c = Checker::default();
    let name = c.check("name", CustomerName::parse(answer.name).map(CustomerName::into_string));
    let email = c.check("email", Email::parse(answer.email));
    let feedback = check_feedback(&mut c, &FeedbackInput { feedback_at: None, ..answer.feedback }, None);
    c.finish()?;
    let (Some(name), Some(email), Some(feedback)) = (name, email, feedback) else {
        unreachable!("the checker reported every missing field")
    };
    let txn = database::begin_write(&state.db).await?;
    match customer::find_by_email(&txn, workspace.id, email.as_str()).await? {
        Some(existing) => {
            let owner = customer::find_for_update(&txn, workspace.id, existing.id).await?.ok_or(AppError::NotFound)?;
            responses::add_in(&txn, &owner, &feedback, Source::Form).await?;
        }
        None => {
            let row = customers::new_row(workspace.id, name, &email, &feedback);
            customers::create_in(&txn, &row, &feedback, Source::Form).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
