//! Follow-ups: every response at or below the workspace's threshold opens
//! one; members assign, note and close them. Also where a new response's consequences
//! start: the follow-up, the webhook events and the low-score alert.

use crate::services::state::AppState;
use chrono::Utc;
use serde_json::{Value, json};

use crate::{
    core::{database::Db, error::AppError},
    domain::text,
    models::{
        customer,
        follow_up::{self, Change, ListFilter, View},
        job, membership,
        response::{self, Source},
        workspace,
    },
    schemas::{
        envelope::Page,
        follow_up::{FollowUpRead, FollowUpStats},
        response::ResponseRead,
    },
    services::{analytics::ratio, webhooks},
};

pub const MAX_NOTE_CHARS: usize = 2_000;
/// The job kind of a low-score alert, with the follow-up's id as payload.
pub const LOW_SCORE_ALERT: &str = "low_score_alert";

/// A response with its customer, as webhook events carry it.
pub fn response_event(r: &response::Model, c: &customer::Model) -> Value {
    let mut data = serde_json::to_value(ResponseRead::from(r.clone())).unwrap_or_default();
    data["customer"] = json!({"id": c.id, "name": c.name, "email": c.email});
    data
}

/// What a new response sets off, in its transaction: `response.created` (and
/// `survey.answered` for a survey's), and at or below the threshold a follow-up,
/// `response.low_score` and the alert emails.
pub async fn response_added(
    db: &impl sea_orm::ConnectionTrait,
    r: &response::Model,
    owner: &customer::Model,
) -> Result<(), sea_orm::DbErr> {
    let data = response_event(r, owner);
    webhooks::emit(db, r.workspace_id, "response.created", &data).await?;
    if r.source == Source::Survey.as_str() {
        webhooks::emit(db, r.workspace_id, "survey.answered", &data).await?;
    }
    let threshold = workspace::find(db, r.workspace_id).await?.map_or(2, |w| w.low_score_threshold);
    if r.satisfaction_score <= threshold {
        let now = Utc::now().timestamp_millis();
        if let Some(id) = follow_up::open(db, r.workspace_id, r.id, r.customer_id, now).await? {
            webhooks::emit(db, r.workspace_id, "response.low_score", &data).await?;
            job::enqueue(db, LOW_SCORE_ALERT, &[id.to_string()], now, now).await?;
        }
    }
    Ok(())
}

/// During a bulk import, after each batch (the responses with ids above `after_id`): the
/// follow-ups of its low responses, opened while the batch's rows are still in the page
/// cache (once at the end, over a 1M-row import, this read 160 MB back and took 12 s).
/// No alert emails: an import brings history, and a thousand alerts would bury the one
/// that matters.
pub async fn open_for_imported(
    db: &impl sea_orm::ConnectionTrait,
    workspace_id: i64,
    after_id: i64,
    threshold: i16,
) -> Result<(), sea_orm::DbErr> {
    follow_up::open_after(db, workspace_id, after_id, threshold, Utc::now().timestamp_millis()).await
}

/// After a bulk import (responses with ids above `after_id`): the webhook events of its
/// responses, when a webhook listens.
pub async fn imported(
    db: &impl sea_orm::ConnectionTrait,
    workspace_id: i64,
    after_id: i64,
    threshold: i16,
) -> Result<(), sea_orm::DbErr> {
    let hooks = crate::models::webhook::list(db, workspace_id).await?;
    let listens = |e: &str| hooks.iter().any(|h| h.listens_to(e));
    let (created, low) = (listens("response.created"), listens("response.low_score"));
    if !created && !low {
        return Ok(());
    }
    let mut after = after_id;
    loop {
        let page = response::with_customers_after(db, workspace_id, after, 500).await?;
        let Some((last, _)) = page.last() else { break };
        after = last.id;
        for (r, c) in &page {
            let data = response_event(r, c);
            if created {
                webhooks::emit(db, workspace_id, "response.created", &data).await?;
            }
            if low && r.satisfaction_score <= threshold {
                webhooks::emit(db, workspace_id, "response.low_score", &data).await?;
            }
        }
    }
    Ok(())
}

pub async fn list(db: &Db, filter: &ListFilter, page: Page) -> Result<(Vec<View>, u64), AppError> {
    Ok(follow_up::list(db, filter, page.offset(), page.per_page).await?)
}

/// What a PATCH asks for; `None` keeps a field (`assignee_id: Some(None)` unassigns).
pub struct Patch {
    pub status: Option<String>,
    pub assignee_id: Option<Option<i64>>,
    pub note: Option<String>,
}

pub async fn update(state: &AppState, workspace_id: i64, id: i64, patch: Patch) -> Result<View, AppError> {
    let db = &state.db;
    let old = follow_up::find(db, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    let status = match patch.status.as_deref() {
        None => old.status.clone(),
        Some(s @ ("open" | "closed")) => s.to_string(),
        Some(_) => return Err(AppError::field("status", "must be open or closed")),
    };
    let assignee_id = match patch.assignee_id {
        None => old.assignee_id,
        Some(None) => None,
        Some(Some(user_id)) => {
            if membership::role_of(db, workspace_id, user_id).await?.is_none() {
                return Err(AppError::field("assignee_id", "is not a member of this workspace"));
            }
            Some(user_id)
        }
    };
    let note = match patch.note {
        None => old.note.clone(),
        Some(note) => {
            let note = note.trim().to_string();
            text::check_controls(&note).map_err(|m| AppError::field("note", m))?;
            if note.chars().count() > MAX_NOTE_CHARS {
                return Err(AppError::field("note", format!("must be at most {MAX_NOTE_CHARS} characters")));
            }
            note
        }
    };
    let closing = status == "closed" && old.status != "closed";
    let closed_at = match status.as_str() {
        "closed" if closing => Some(Utc::now().timestamp_millis()),
        "closed" => old.closed_at,
        _ => None,
    };
    let txn = crate::core::database::begin_write(db).await?;
    follow_up::update(&txn, id, &Change { status, assignee_id, note, closed_at }).await?;
    let updated = follow_up::find(&txn, workspace_id, id).await?.ok_or(AppError::NotFound)?;
    if closing {
        let data = serde_json::to_value(FollowUpRead::from(updated.clone())).unwrap_or_default();
        webhooks::emit(&txn, workspace_id, "follow_up.closed", &data).await?;
    }
    txn.commit().await?;
    state.jobs_wake.notify_one();
    Ok(updated)
}

/// `{open, closed, median_hours_to_close, recovery_rate_pct}` over follow-ups opened in
/// `[from, to]` (Unix seconds, either end open).
pub async fn stats(db: &Db, workspace_id: i64, from: Option<i64>, to: Option<i64>) -> Result<FollowUpStats, AppError> {
    let millis = |s: i64| s.saturating_mul(1_000);
    let rows = follow_up::outcomes(db, workspace_id, from.map(millis), to.map(|t| millis(t) + 999)).await?;
    let open = rows.iter().filter(|r| r.status == "open").count() as u64;
    let mut hours: Vec<i64> = rows.iter().filter_map(|r| r.closed_at.map(|c| c - r.created_at)).collect();
    hours.sort_unstable();
    // The median in milliseconds (mean of the two middle ones), then hours to 1 decimal.
    let median_hours = match hours.len() {
        0 => None,
        n => {
            let twice = hours[(n - 1) / 2] + hours[n / 2];
            ratio(twice, 2 * 3_600_000, 1)
        }
    };
    let again = rows.iter().filter(|r| r.responded_again == 1).count() as i64;
    let recovered = rows.iter().filter(|r| r.recovered == 1).count() as i64;
    Ok(FollowUpStats {
        open,
        closed: rows.len() as u64 - open,
        median_hours_to_close: median_hours,
        recovery_rate_pct: ratio(100 * recovered, again, 1),
    })
}
