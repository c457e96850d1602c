//! The `recovery_codes` table: single-use codes for a lost authenticator, stored as hashes.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr};

use crate::core::database::stmt;

/// Replaces the account's codes with these hashes.
pub async fn replace(db: &impl ConnectionTrait, user_id: i64, hashes: &[String]) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "DELETE FROM recovery_codes WHERE user_id = $1", [user_id.into()])).await?;
    for hash in hashes {
        db.execute_raw(stmt(
            db,
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)",
            [user_id.into(), hash.as_str().into()],
        ))
        .await?;
    }
    Ok(())
}

/// Uses a code up in one statement: true only for an unused code of this account.
pub async fn consume(db: &impl ConnectionTrait, user_id: i64, hash: &str) -> Result<bool, DbErr> {
    let result = db
        .execute_raw(stmt(
            db,
            "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            [user_id.into(), hash.into(), Utc::now().into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn delete_all(db: &impl ConnectionTrait, user_id: i64) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "DELETE FROM recovery_codes WHERE user_id = $1", [user_id.into()])).await?;
    Ok(())
}
