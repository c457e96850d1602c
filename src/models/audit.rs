//! The `audit_log` table: append-only; nothing here updates or deletes.
//! `at` is Unix milliseconds.

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};

use crate::core::database::stmt;

#[derive(Clone, Debug, FromQueryResult)]
pub struct Entry {
    pub id: i64,
    pub workspace_id: i64,
    pub at: i64,
    pub actor_type: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<i64>,
    pub target_name: String,
    pub ip: Option<String>,
    pub detail: String,
}

pub async fn append(db: &impl ConnectionTrait, e: &Entry) -> Result<(), DbErr> {
    db.execute_raw(stmt(
        db,
        "INSERT INTO audit_log (workspace_id, at, actor_type, actor_id, actor_name, action, target_type, target_id, \
         target_name, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        [
            e.workspace_id.into(),
            e.at.into(),
            e.actor_type.clone().into(),
            e.actor_id.into(),
            e.actor_name.clone().into(),
            e.action.clone().into(),
            e.target_type.clone().into(),
            e.target_id.into(),
            e.target_name.clone().into(),
            e.ip.clone().into(),
            e.detail.clone().into(),
        ],
    ))
    .await
    .map(drop)
}

pub struct Filter {
    pub workspace_id: i64,
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

pub async fn list(db: &impl ConnectionTrait, f: &Filter, offset: u64, limit: u64) -> Result<(Vec<Entry>, u64), DbErr> {
    let mut condition = String::from("workspace_id = $1");
    let mut values: Vec<Value> = vec![f.workspace_id.into()];
    let mut add = |sql: &str, value: Value| {
        values.push(value);
        condition.push_str(&format!(" AND {sql} ${}", values.len()));
    };
    if let Some(action) = &f.action {
        add("action =", action.clone().into());
    }
    if let Some(actor) = f.actor_id {
        add("actor_id =", actor.into());
    }
    if let Some(from) = f.from {
        add("at >=", from.into());
    }
    if let Some(to) = f.to {
        add("at <=", to.into());
    }
    let total = db
        .query_one_raw(stmt(db, &format!("SELECT COUNT(*) AS n FROM audit_log WHERE {condition}"), values.clone()))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(0);
    let n = values.len();
    values.push((limit.min(i64::MAX as u64) as i64).into());
    values.push((offset.min(i64::MAX as u64) as i64).into());
    let items = Entry::find_by_statement(stmt(
        db,
        &format!("SELECT * FROM audit_log WHERE {condition} ORDER BY id DESC LIMIT ${} OFFSET ${}", n + 1, n + 2),
        values,
    ))
    .all(db)
    .await?;
    Ok((items, total as u64))
}
