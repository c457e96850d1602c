//! Unique-index violations as 409s. The database decides what is taken, so two writers
//! racing for one email cannot both pass a check made before the insert; which index a
//! write broke is read from the constraint PostgreSQL names, or from SQLite's message,
//! which names the index or the table's columns.

use std::ops::Deref;

use sea_orm::{DbErr, RuntimeErr, sqlx};

use crate::core::error::AppError;

/// The unique indexes a person can run into, with their names on PostgreSQL and in
/// SQLite's "UNIQUE constraint failed: …" message, and the conflict's code and message.
const UNIQUE_KEYS: [(&str, &str, &str, &str); 4] = [
    ("users_email_key", "users.email", "email_taken", "An account with this email already exists."),
    ("ux_users_username_lower", "index 'ux_users_username_lower'", "username_taken", "This username is taken."),
    (
        "ux_customers_workspace_email",
        "customers.workspace_id, customers.email",
        "email_taken",
        "A customer with this email already exists.",
    ),
    ("workspaces_slug_key", "workspaces.slug", "slug_taken", "This address is taken by another workspace."),
];

/// The `Conflict` of a known unique index; any other error as it is.
pub fn or_conflict(err: DbErr) -> AppError {
    match broken_unique_key(&err) {
        Some((code, message)) => AppError::conflict(code, message),
        None => err.into(),
    }
}

fn broken_unique_key(err: &DbErr) -> Option<(&'static str, &'static str)> {
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err else { return None };
    let sqlx::Error::Database(db) = e.deref() else { return None };
    if !db.is_unique_violation() {
        return None;
    }
    let sqlite_names = db.message().strip_prefix("UNIQUE constraint failed: ");
    UNIQUE_KEYS
        .iter()
        .find(|(postgres, sqlite, ..)| db.constraint() == Some(*postgres) || sqlite_names == Some(*sqlite))
        .map(|(.., code, message)| (*code, *message))
}
