//! Surveys: choosing whom to ask, queueing one email each as a durable job,
//! and sending it (and the one reminder) when the job runs.

use crate::services::state::AppState;
use std::collections::HashSet;

use anyhow::Context;
use chrono::Utc;

use crate::{
    core::{
        database,
        error::AppError,
        security::{random_token, token_hash},
    },
    domain::text,
    models::{
        customer::{self, Candidate, Filter},
        job,
        survey::{self, Counts, Progress},
        workspace,
    },
    schemas::envelope::Page,
    services::mail::SurveyEmail,
};

pub const MAX_MESSAGE_CHARS: usize = 1_000;
/// The most customers one survey asks.
pub const MAX_RECIPIENTS: usize = 100_000;

/// Job kinds, with the recipient's id as payload.
pub const SURVEY_EMAIL: &str = "survey_email";
pub const SURVEY_REMINDER: &str = "survey_reminder";

/// Whom a survey asks.
pub enum Audience {
    Customers(Vec<i64>),
    Matching(Filter),
}

pub struct Created {
    pub survey_id: i64,
    pub counts: Counts,
}

/// Queues one survey email to every customer of `audience` not asked within the cooldown
/// and not unsubscribed; `user_id` is the sending account (none for an API key).
#[tracing::instrument(skip_all, fields(workspace_id = workspace_id))]
pub async fn create(
    state: &AppState,
    workspace_id: i64,
    user_id: Option<i64>,
    audience: Audience,
    message: &str,
) -> Result<Created, AppError> {
    let message = message.trim();
    text::check_controls(message).map_err(|m| AppError::field("message", m))?;
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(AppError::field("message", format!("must be at most {MAX_MESSAGE_CHARS} characters")));
    }
    let db = &state.db;
    let candidates = match audience {
        Audience::Customers(ids) => {
            let wanted: HashSet<i64> = ids.iter().copied().collect();
            if wanted.is_empty() {
                return Err(AppError::field("customer_ids", "must name at least one customer"));
            }
            if wanted.len() > MAX_RECIPIENTS {
                return Err(AppError::field("customer_ids", format!("at most {MAX_RECIPIENTS} customers at once")));
            }
            let ids: Vec<i64> = wanted.iter().copied().collect();
            let found = customer::candidates_by_id(db, workspace_id, &ids).await?;
            if found.len() != wanted.len() {
                let known: HashSet<i64> = found.iter().map(|c| c.id).collect();
                let mut missing: Vec<i64> = wanted.difference(&known).copied().collect();
                missing.sort_unstable();
                let list: Vec<String> = missing.iter().take(10).map(i64::to_string).collect();
                return Err(AppError::field(
                    "customer_ids",
                    format!("not customers of this workspace: {}", list.join(", ")),
                ));
            }
            found
        }
        Audience::Matching(filter) => {
            let found = customer::candidates(db, &filter).await?;
            if found.len() > MAX_RECIPIENTS {
                return Err(AppError::field(
                    "filter",
                    format!("matches {} customers; one survey asks at most {MAX_RECIPIENTS}", found.len()),
                ));
            }
            found
        }
    };

    let now = Utc::now();
    let (now_s, now_ms) = (now.timestamp(), now.timestamp_millis());
    let recent_after = now_s - state.settings.survey_cooldown.as_secs() as i64;
    let mut counts = Counts { queued: 0, skipped_recent: 0, skipped_unsubscribed: 0 };
    let mut asked: Vec<&Candidate> = Vec::new();
    for c in &candidates {
        if c.unsubscribed {
            counts.skipped_unsubscribed += 1;
        } else if c.last_surveyed_at.is_some_and(|t| t >= recent_after) {
            counts.skipped_recent += 1;
        } else {
            asked.push(c);
        }
    }
    counts.queued = asked.len() as i32;
    let recipients: Vec<survey::NewRecipient> = asked
        .iter()
        .map(|c| {
            let token = random_token();
            (c.id, token_hash(&token), state.sealer.seal(token.as_bytes()))
        })
        .collect();
    let expires_at = now_ms + state.settings.survey_token_ttl.as_millis() as i64;

    let txn = database::begin_write(db).await?;
    let survey_id =
        survey::insert(&txn, workspace_id, user_id, message, &counts, now_ms).await.context("storing the survey")?;
    let ids = survey::insert_recipients(&txn, survey_id, workspace_id, &recipients, expires_at, now_ms)
        .await
        .context("storing its recipients")?;
    let payloads: Vec<String> = ids.iter().map(i64::to_string).collect();
    job::enqueue(&txn, SURVEY_EMAIL, &payloads, now_ms, now_ms).await.context("queueing its emails")?;
    let asked_ids: Vec<i64> = asked.iter().map(|c| c.id).collect();
    customer::mark_surveyed(&txn, &asked_ids, now_s).await.context("marking the customers asked")?;
    txn.commit().await?;
    state.jobs_wake.notify_one();
    Ok(Created { survey_id, counts })
}

pub async fn list(state: &AppState, workspace_id: i64, page: Page) -> Result<(Vec<Progress>, u64), AppError> {
    Ok(survey::list(&state.db, workspace_id, page.offset(), page.per_page).await?)
}

pub async fn get(state: &AppState, workspace_id: i64, id: i64) -> Result<Progress, AppError> {
    survey::find(&state.db, workspace_id, id).await?.ok_or(AppError::NotFound)
}

/// Sends recipient `payload`'s survey email (or its reminder). Safe to run twice: a
/// recipient no longer queued is not mailed again, nor is a reminder after an answer.
#[tracing::instrument(skip_all, fields(reminder = reminder))]
pub async fn send(state: &AppState, payload: &str, reminder: bool) -> anyhow::Result<()> {
    let id: i64 = payload.parse().context("a recipient id")?;
    let db = &state.db;
    let Some(r) = survey::recipient(db, id).await? else { return Ok(()) };
    if reminder && r.answered_at.is_some() || !reminder && r.status != "queued" {
        return Ok(());
    }
    let now_ms = Utc::now().timestamp_millis();
    let (Some(customer), Some(workspace)) =
        (customer::find(db, r.workspace_id, r.customer_id).await?, workspace::find(db, r.workspace_id).await?)
    else {
        return Ok(());
    };
    if customer.unsubscribed || r.expires_at <= now_ms {
        if !reminder {
            survey::settle(db, id, "skipped", now_ms).await?;
        }
        return Ok(());
    }
    let message = survey::message(db, r.survey_id).await?;
    let token = String::from_utf8(state.sealer.open(&r.token_sealed)?).context("a sealed token")?;
    let email = state.mailer.survey(&SurveyEmail {
        to: &customer.email,
        customer_name: &customer.name,
        workspace_name: &workspace.name,
        message: &message,
        token: &token,
        reminder,
    });
    state.mailer.send(email).await?;
    let now_ms = Utc::now().timestamp_millis();
    if reminder {
        survey::mark_reminded(db, id, now_ms).await?;
        return Ok(());
    }
    let txn = database::begin_write(db).await?;
    if survey::settle(&txn, id, "sent", now_ms).await? {
        let remind_at = now_ms + state.settings.survey_reminder.as_millis() as i64;
        job::enqueue(&txn, SURVEY_REMINDER, &[payload.to_string()], remind_at, now_ms).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The email of recipient `payload` could not be sent after every retry.
pub async fn gave_up(state: &AppState, payload: &str) -> anyhow::Result<()> {
    let id: i64 = payload.parse().context("a recipient id")?;
    survey::settle(&state.db, id, "failed", Utc::now().timestamp_millis()).await?;
    Ok(())
}
