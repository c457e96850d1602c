//! `login_throttles`: failed-login counting and lockout per login name, kept the same way
//! whether or not an account has that name.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Debug, FromQueryResult)]
pub struct Slot {
    pub attempts: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Claims one password check for `key` atomically and returns the count including it.
/// A new window starts when the previous one is older than `window_start_after` or its
/// lock has ended. Checks claimed during a lock never move the lock's end.
pub async fn claim_attempt(
    db: &impl ConnectionTrait,
    key: &str,
    now: DateTime<Utc>,
    window_start_after: DateTime<Utc>,
) -> Result<Slot, DbErr> {
    Slot::find_by_statement(stmt(
        db,
        "INSERT INTO login_throttles (login_key, attempts, window_started_at, locked_until) VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (login_key) DO UPDATE SET \
           attempts = CASE WHEN (login_throttles.locked_until IS NOT NULL AND login_throttles.locked_until <= $2) \
                             OR (login_throttles.locked_until IS NULL AND login_throttles.window_started_at <= $3) \
                           THEN 1 ELSE login_throttles.attempts + 1 END, \
           window_started_at = CASE WHEN (login_throttles.locked_until IS NOT NULL AND login_throttles.locked_until <= $2) \
                             OR (login_throttles.locked_until IS NULL AND login_throttles.window_started_at <= $3) \
                           THEN $2 ELSE login_throttles.window_started_at END, \
           locked_until = CASE WHEN login_throttles.locked_until IS NOT NULL AND login_throttles.locked_until <= $2 \
                           THEN NULL ELSE login_throttles.locked_until END \
         RETURNING attempts, locked_until",
        [key.into(), now.into(), window_start_after.into()],
    ))
    .one(db)
    .await?
    .ok_or(DbErr::RecordNotInserted)
}

/// Gives back a claimed check that was not a failure (a correct password whose login
/// waits for its second factor).
pub async fn release(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "UPDATE login_throttles SET attempts = attempts - 1 WHERE login_key = $1 AND attempts > 0",
        [key.into()],
    ))
    .await?;
    Ok(())
}

/// Starts the lock if none is running.
pub async fn lock(db: &impl ConnectionTrait, key: &str, until: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE login_throttles SET locked_until = $2 WHERE login_key = $1 AND locked_until IS NULL",
            [key.into(), until.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Forgets the failures of these login names (a success, a completed reset, an admin unlock).
/// Returns how many of them were locked.
pub async fn clear(db: &impl ConnectionTrait, keys: &[&str], now: DateTime<Utc>) -> Result<usize, DbErr> {
    let mut were_locked = 0;
    for key in keys {
        let removed = Slot::find_by_statement(stmt(
            db,
            "DELETE FROM login_throttles WHERE login_key = $1 RETURNING attempts, locked_until",
            [(*key).into()],
        ))
        .all(db)
        .await?;
        were_locked += removed.iter().filter(|s| s.locked_until.is_some_and(|until| until > now)).count();
    }
    Ok(were_locked)
}
