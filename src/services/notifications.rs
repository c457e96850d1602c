//! Notifications: each member's choices, the low-score alert (a job per
//! follow-up opened) and the weekly digest (Mondays 08:00 UTC, once across instances
//! through `schedules`; also previewed on demand).

use crate::services::state::AppState;
use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use crate::{
    core::{database::Db, error::AppError},
    models::{
        customer::Filter,
        follow_up, job, membership,
        notification::{self, Choices},
        response, schedule, workspace,
    },
    schemas::follow_up::DigestPreview,
    services::{analytics, mail::Email},
};

pub const WEEKLY_DIGEST: &str = "weekly_digest";

/// The member's choices, or their role's defaults (on for owners and admins).
pub async fn choices(db: &Db, workspace_id: i64, user_id: i64) -> Result<Choices, AppError> {
    if let Some(c) = notification::get(db, workspace_id, user_id).await? {
        return Ok(c);
    }
    let role = membership::role_of(db, workspace_id, user_id).await?.unwrap_or_default();
    let on = role == "owner" || role == "admin";
    Ok(Choices { low_score_email: on, weekly_digest: on })
}

pub async fn set_choices(db: &Db, workspace_id: i64, user_id: i64, c: Choices) -> Result<Choices, AppError> {
    notification::put(db, workspace_id, user_id, c).await?;
    Ok(c)
}

/// Mails the low-score alert of follow-up `payload` to every member who wants it.
#[tracing::instrument(skip_all)]
pub async fn send_alert(state: &AppState, payload: &str) -> anyhow::Result<()> {
    let id: i64 = payload.parse().context("a follow-up id")?;
    let db = &state.db;
    let Some(f) = follow_up::find_any(db, id).await? else { return Ok(()) };
    let Some(ws) = workspace::find(db, f.workspace_id).await? else { return Ok(()) };
    let link = format!("{}/w/{}/follow-ups?id={}", state.settings.public_url, ws.slug, f.id);
    for member in notification::recipients(db, f.workspace_id, "low_score_email").await? {
        let review = if f.review.is_empty() { "(no review)".to_string() } else { format!("“{}”", f.review) };
        let email = state.mailer.notice(
            &member.email,
            &format!("Low score in {}: {} gave {}/5", ws.name, f.customer_name, f.satisfaction_score),
            &member.username,
            &format!(
                "{} ({}) scored {}/5 in {}. {review}",
                f.customer_name, f.customer_email, f.satisfaction_score, ws.name
            ),
            "Open the follow-up",
            link.clone(),
            "You get this email because low-score alerts are on for you in this workspace; turn them off in Pulse.",
        );
        state.mailer.send(email).await?;
    }
    Ok(())
}

/// The next Monday 08:00 UTC strictly after `now`.
pub fn next_digest_time(now: DateTime<Utc>) -> DateTime<Utc> {
    let days_to_monday = (7 - now.weekday().num_days_from_monday()) % 7;
    let monday = now.date_naive() + Duration::days(days_to_monday as i64);
    let at = Utc.from_utc_datetime(&monday.and_hms_opt(8, 0, 0).expect("a valid time"));
    if at > now { at } else { at + Duration::days(7) }
}

/// Called by the job worker now and then: when the digest is due, this instance (the one
/// that moved the schedule) queues one digest job per workspace; true when it did.
pub async fn queue_due_digests(state: &AppState) -> anyhow::Result<bool> {
    let now = Utc::now();
    let db = &state.db;
    schedule::ensure(db, WEEKLY_DIGEST, next_digest_time(now).timestamp_millis()).await?;
    let (now_ms, next) = (now.timestamp_millis(), next_digest_time(now).timestamp_millis());
    if !schedule::take_due(db, WEEKLY_DIGEST, now_ms, next).await? {
        return Ok(false);
    }
    let ids: Vec<String> = workspace::all_ids(db).await?.iter().map(i64::to_string).collect();
    job::enqueue(db, WEEKLY_DIGEST, &ids, now_ms, now_ms).await?;
    state.jobs_wake.notify_one();
    Ok(true)
}

/// Mails workspace `payload`'s digest of the past seven days to the members who want it.
#[tracing::instrument(skip_all)]
pub async fn send_digest(state: &AppState, payload: &str) -> anyhow::Result<()> {
    let id: i64 = payload.parse().context("a workspace id")?;
    let recipients = notification::recipients(&state.db, id, "weekly_digest").await?;
    if recipients.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let Some(digest) = digest(state, id, now - Duration::days(7), now).await? else { return Ok(()) };
    for member in recipients {
        state.mailer.send(Email { to: member.email.clone(), ..digest.clone() }).await?;
    }
    Ok(())
}

/// The digest of this week so far (since Monday 00:00 UTC), not sent.
pub async fn preview(state: &AppState, workspace_id: i64) -> Result<DigestPreview, AppError> {
    let now = Utc::now();
    let monday = now.date_naive() - Duration::days(now.weekday().num_days_from_monday() as i64);
    let from = Utc.from_utc_datetime(&monday.and_hms_opt(0, 0, 0).expect("a valid time"));
    let digest = digest(state, workspace_id, from, now).await?.ok_or(AppError::NotFound)?;
    Ok(DigestPreview { subject: digest.subject, text: digest.text, html: digest.html })
}

async fn digest(
    state: &AppState,
    workspace_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Option<Email>, AppError> {
    let db = &state.db;
    let Some(ws) = workspace::find(db, workspace_id).await? else { return Ok(None) };
    let filter = Filter { workspace_id, from: Some(from.timestamp()), to: Some(to.timestamp()), ..Default::default() };
    let summary = analytics::summary(db, &filter).await?;
    let open = follow_up::count_open(db, workspace_id).await?;
    let lowest = response::lowest_reviews(db, workspace_id, from.timestamp(), to.timestamp(), 3).await?;
    let fmt = |v: Option<f64>, unit: &str| v.map_or("—".to_string(), |v| format!("{v}{unit}"));
    let previous = summary.previous_period.as_ref();
    let change = |now: Option<f64>, before: Option<f64>, unit: &str| match (now, before) {
        (Some(a), Some(b)) => format!(" ({:+.1}{unit} on the week before)", a - b),
        _ => String::new(),
    };
    let lines = [
        format!(
            "Responses: {}{}",
            summary.count,
            previous.map_or(String::new(), |p| format!(" (week before: {})", p.count))
        ),
        format!(
            "Average score: {}{}",
            fmt(summary.avg_score, ""),
            change(summary.avg_score, previous.and_then(|p| p.avg_score), "")
        ),
        format!(
            "CSAT: {}{}",
            fmt(summary.csat_pct, " %"),
            change(summary.csat_pct, previous.and_then(|p| p.csat_pct), " points")
        ),
        format!("Open follow-ups: {open}"),
    ];
    let lows: Vec<String> =
        lowest.iter().map(|(name, score, review)| format!("{score}/5 from {name}: “{review}”")).collect();
    let link = format!("{}/w/{}", state.settings.public_url, ws.slug);
    let subject =
        format!("Your week in {}: {} responses, CSAT {}", ws.name, summary.count, fmt(summary.csat_pct, " %"));
    let period = format!("{} to {}", from.format("%Y-%m-%d"), to.format("%Y-%m-%d"));
    let mut lead = format!("{} from {period}.\n\n{}", ws.name, lines.join("\n"));
    if !lows.is_empty() {
        lead.push_str(&format!("\n\nThe lowest reviews:\n{}", lows.join("\n")));
    }
    Ok(Some(state.mailer.notice(
        "",
        &subject,
        "there",
        &lead,
        "Open the dashboard",
        link,
        "You get this digest because it is on for you in this workspace; turn it off in Pulse.",
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_goes_out_on_mondays_at_eight_utc() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        // Wednesday → next Monday; Monday before 08:00 → the same day; at 08:00 → a week on.
        assert_eq!(next_digest_time(at("2026-12-02T10:00:00Z")), at("2026-12-07T08:00:00Z"));
        assert_eq!(next_digest_time(at("2026-12-07T07:59:59Z")), at("2026-12-07T08:00:00Z"));
        assert_eq!(next_digest_time(at("2026-12-07T08:00:00Z")), at("2026-12-14T08:00:00Z"));
        assert_eq!(next_digest_time(at("2026-12-06T23:00:00Z")), at("2026-12-07T08:00:00Z"));
    }
}
