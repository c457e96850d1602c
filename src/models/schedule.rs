//! `schedules`: recurring work run once across instances. The instance whose UPDATE moves a
//! due row's `next_run_at` forward is the one that runs it. Times are Unix milliseconds.

use sea_orm::{ConnectionTrait, DbErr};

use crate::core::database::stmt;

/// Creates the schedule `name` first due at `first` unless it exists.
pub async fn ensure(db: &impl ConnectionTrait, name: &str, first: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO schedules (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        [name.into(), first.into()],
    ))
    .await
    .map(drop)
}

/// Takes the run of `name` due at or before `now`, moving it to `next`; false when it is not
/// due or another instance took it.
pub async fn take_due(db: &impl ConnectionTrait, name: &str, now: i64, next: i64) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE schedules SET next_run_at = $3 WHERE name = $1 AND next_run_at <= $2",
            [name.into(), now.into(), next.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}
