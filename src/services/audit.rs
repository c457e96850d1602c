//! The audit log: who did what to which thing, from where. Append-only;
//! `detail` never holds a secret, token or key.

use chrono::Utc;
use serde_json::Value;

use crate::{
    core::{database::Db, error::AppError},
    models::audit::{self, Entry, Filter},
    schemas::envelope::Page,
};

/// Who acted: an account or an API key, and the client's address.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: &'static str,
    pub id: i64,
    pub name: String,
    pub ip: Option<String>,
}

/// What was acted on.
pub struct Target<'a> {
    pub kind: &'a str,
    pub id: Option<i64>,
    pub name: &'a str,
}

/// Appends one entry. A failure is logged, not returned: the action itself is done.
pub async fn record(
    db: &impl sea_orm::ConnectionTrait,
    workspace_id: i64,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    detail: Value,
) {
    let entry = Entry {
        id: 0,
        workspace_id,
        at: Utc::now().timestamp_millis(),
        actor_type: actor.kind.to_string(),
        actor_id: Some(actor.id),
        actor_name: actor.name.clone(),
        action: action.to_string(),
        target_type: target.kind.to_string(),
        target_id: target.id,
        target_name: target.name.to_string(),
        ip: actor.ip.clone(),
        detail: detail.to_string(),
    };
    if let Err(err) = audit::append(db, &entry).await {
        tracing::error!(%err, action, "cannot write the audit log");
    }
}

pub async fn list(db: &Db, filter: &Filter, page: Page) -> Result<(Vec<Entry>, u64), AppError> {
    Ok(audit::list(db, filter, page.offset(), page.per_page).await?)
}
