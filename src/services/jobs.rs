//! The worker that runs durable jobs (`models::job`): every instance runs one. It claims
//! due jobs a few at a time under a lease, runs them concurrently, deletes those done,
//! retries failures with backoff and gives up after `MAX_ATTEMPTS`. A job is claimed by
//! one worker at a time, so across instances each runs once; a worker killed mid-job
//! leaves its lease to expire, and the job runs again (the only repeat: work in flight).

use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::{
    models::job::{self, Job},
    services::state::AppState,
    services::{follow_ups, notifications, surveys, webhooks},
};

/// Jobs run at once by one worker; also how many it claims at a time (twice that).
const CONCURRENCY: usize = 8;
const MAX_ATTEMPTS: i32 = 5;
/// How often an idle worker looks for due jobs (a job queued on this instance wakes it at
/// once): reminders go out within this of their time.
const POLL: Duration = Duration::from_secs(1);
/// How often the worker looks at `schedules` (the weekly digest).
const SCHEDULES: Duration = Duration::from_secs(60);

/// Runs jobs until `stop` is cancelled; jobs in flight then finish.
pub async fn run(state: AppState, stop: CancellationToken) {
    let lease = state.settings.job_lease.as_millis() as i64;
    let mut schedules_checked: Option<std::time::Instant> = None;
    while !stop.is_cancelled() {
        if schedules_checked.is_none_or(|at| at.elapsed() >= SCHEDULES) {
            schedules_checked = Some(std::time::Instant::now());
            if let Err(err) = notifications::queue_due_digests(&state).await {
                tracing::warn!(error = ?err, "cannot check the weekly digest's schedule");
            }
        }
        let claimed = job::claim(&state.db, Utc::now().timestamp_millis(), lease, 2 * CONCURRENCY as u64).await;
        let jobs = match claimed {
            Ok(jobs) => jobs,
            Err(err) => {
                tracing::warn!(%err, "cannot claim background jobs");
                Vec::new()
            }
        };
        if jobs.is_empty() {
            tokio::select! {
                () = stop.cancelled() => break,
                () = state.jobs_wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
            continue;
        }
        futures::stream::iter(jobs).for_each_concurrent(CONCURRENCY, |job| run_one(&state, job)).await;
    }
}

#[tracing::instrument(skip_all, fields(job = job.id, kind = %job.kind, attempt = job.attempts))]
async fn run_one(state: &AppState, job: Job) {
    let result = match job.kind.as_str() {
        surveys::SURVEY_EMAIL => surveys::send(state, &job.payload, false).await,
        surveys::SURVEY_REMINDER => surveys::send(state, &job.payload, true).await,
        webhooks::WEBHOOK_DELIVERY => webhooks::attempt(state, &job.payload).await,
        follow_ups::LOW_SCORE_ALERT => notifications::send_alert(state, &job.payload).await,
        notifications::WEEKLY_DIGEST => notifications::send_digest(state, &job.payload).await,
        other => Err(anyhow::anyhow!("unknown job kind {other}")),
    };
    let now = Utc::now().timestamp_millis();
    let recorded = match result {
        Ok(()) => job::finish(&state.db, job.id).await,
        Err(err) if job.attempts >= MAX_ATTEMPTS => {
            tracing::error!(job = job.id, kind = %job.kind, error = ?err, "background job failed for good");
            if job.kind == surveys::SURVEY_EMAIL
                && let Err(err) = surveys::gave_up(state, &job.payload).await
            {
                tracing::error!(job = job.id, error = ?err, "cannot record the failure");
            }
            job::fail(&state.db, job.id, now, &format!("{err:#}")).await
        }
        Err(err) => {
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = ?err, "background job will be retried");
            job::retry(&state.db, job.id, now + backoff(job.attempts).as_millis() as i64, &format!("{err:#}")).await
        }
    };
    if let Err(err) = recorded {
        // The lease runs out and the job runs again.
        tracing::error!(job = job.id, %err, "cannot record a background job's outcome");
    }
}

/// 10 s, 20 s, 40 s … at most an hour.
fn backoff(attempts: i32) -> Duration {
    Duration::from_secs(10u64.saturating_mul(1 << attempts.clamp(1, 16).saturating_sub(1)).min(3_600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::from_secs(10));
        assert_eq!(backoff(2), Duration::from_secs(20));
        assert_eq!(backoff(4), Duration::from_secs(80));
        assert_eq!(backoff(30), Duration::from_secs(3_600));
    }
}
