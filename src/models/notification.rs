//! `notification_settings`: each member's choices per workspace. A member
//! without a row has the defaults: on for owners and admins, off for the others.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::core::database::stmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choices {
    pub low_score_email: bool,
    pub weekly_digest: bool,
}

/// A member who wants an email, with the address to send it to.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Recipient {
    pub user_id: i64,
    pub username: String,
    pub email: String,
}

pub async fn get(db: &impl ConnectionTrait, workspace_id: i64, user_id: i64) -> Result<Option<Choices>, DbErr> {
    let row = db
        .query_one_raw(stmt(
            db,
            "SELECT low_score_email, weekly_digest FROM notification_settings WHERE workspace_id = $1 AND user_id = $2",
            [workspace_id.into(), user_id.into()],
        ))
        .await?;
    row.map(|r| {
        Ok(Choices {
            low_score_email: r.try_get("", "low_score_email")?,
            weekly_digest: r.try_get("", "weekly_digest")?,
        })
    })
    .transpose()
}

pub async fn put(db: &impl ConnectionTrait, workspace_id: i64, user_id: i64, c: Choices) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO notification_settings (workspace_id, user_id, low_score_email, weekly_digest) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, user_id) \
         DO UPDATE SET low_score_email = excluded.low_score_email, weekly_digest = excluded.weekly_digest",
        [workspace_id.into(), user_id.into(), c.low_score_email.into(), c.weekly_digest.into()],
    ))
    .await
    .map(drop)
}

/// The active members of a workspace who chose (or by their role default to) `choice`:
/// `low_score_email` or `weekly_digest`.
pub async fn recipients(db: &impl ConnectionTrait, workspace_id: i64, choice: &str) -> Result<Vec<Recipient>, DbErr> {
    let column = match choice {
        "low_score_email" => "low_score_email",
        _ => "weekly_digest",
    };
    Recipient::find_by_statement(stmt(
        db,
        &format!(
            "SELECT u.id AS user_id, u.username, u.email FROM memberships m JOIN users u ON u.id = m.user_id \
             LEFT JOIN notification_settings n ON n.workspace_id = m.workspace_id AND n.user_id = m.user_id \
             WHERE m.workspace_id = $1 AND u.is_active = TRUE \
             AND COALESCE(n.{column}, m.role IN ('owner', 'admin')) = TRUE ORDER BY u.id"
        ),
        [workspace_id.into()],
    ))
    .all(db)
    .await
}
