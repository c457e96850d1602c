//! The `jobs` table: durable background work (see migration 000009). A job is claimed by
//! setting `locked_until` (a lease), deleted when done, retried later, or kept as failed.
//! Times are Unix milliseconds.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Value};

use crate::core::database::stmt;

#[derive(Clone, Debug, FromQueryResult)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Including this run.
    pub attempts: i32,
}

/// Adds jobs of one kind, each with its payload, due at `run_at`.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payloads: &[String],
    run_at: i64,
    now: i64,
) -> Result<(), DbErr> {
    for chunk in payloads.chunks(500) {
        let mut sql = String::from("INSERT INTO jobs (kind, payload, run_at, created_at) VALUES ");
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 4);
        for (i, payload) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let b = i * 4;
            sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
            values.extend([kind.into(), payload.clone().into(), run_at.into(), now.into()]);
        }
        db.execute_raw(stmt(db, &sql, values)).await?;
    }
    Ok(())
}

/// Takes up to `limit` due jobs for `lease` milliseconds. On PostgreSQL jobs another worker
/// is taking at the same moment are skipped, not waited for; SQLite has one writer anyway.
pub async fn claim(db: &impl ConnectionTrait, now: i64, lease: i64, limit: u64) -> Result<Vec<Job>, DbErr> {
    let skip_locked = if db.get_database_backend() == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE jobs SET locked_until = $1, attempts = attempts + 1 WHERE id IN \
         (SELECT id FROM jobs WHERE failed_at IS NULL AND run_at <= $2 AND (locked_until IS NULL OR locked_until <= $2) \
          ORDER BY run_at, id LIMIT $3{skip_locked}) \
         RETURNING id, kind, payload, attempts"
    );
    Job::find_by_statement(stmt(db, &sql, [(now + lease).into(), now.into(), (limit as i64).into()])).all(db).await
}

pub async fn finish(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "DELETE FROM jobs WHERE id = $1", [id.into()])).await.map(drop)
}

/// Releases the job to run again at `run_at`.
pub async fn retry(db: &impl ConnectionTrait, id: i64, run_at: i64, error: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE jobs SET run_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1",
        [id.into(), run_at.into(), error.into()],
    ))
    .await
    .map(drop)
}

/// Gives up on the job; it stays in the table, counted as failed.
pub async fn fail(db: &impl ConnectionTrait, id: i64, now: i64, error: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE jobs SET failed_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1",
        [id.into(), now.into(), error.into()],
    ))
    .await
    .map(drop)
}

/// Jobs waiting, running (leased) and failed, as the metrics report them.
pub async fn counts(db: &impl ConnectionTrait, now: i64) -> Result<(i64, i64, i64), DbErr> {
    #[derive(FromQueryResult)]
    struct Counts {
        pending: i64,
        running: i64,
        failed: i64,
    }
    let c = Counts::find_by_statement(stmt(
        db,
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN failed_at IS NULL AND (locked_until IS NULL OR locked_until <= $1) THEN 1 ELSE 0 END), 0) AS BIGINT) AS pending, \
           CAST(COALESCE(SUM(CASE WHEN failed_at IS NULL AND locked_until > $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS running, \
           CAST(COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed \
         FROM jobs",
        [now.into()],
    ))
    .one(db)
    .await?;
    Ok(c.map_or((0, 0, 0), |c| (c.pending, c.running, c.failed)))
}
