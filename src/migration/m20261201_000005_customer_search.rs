//! A folded copy of each customer's name, email and review (`domain::text::fold`: lower
//! case, accents removed, for every script), which `q` searches. Folding happens in Rust so
//! that SQLite and PostgreSQL match alike; the existing rows are filled here, a thousand
//! per statement.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{DbBackend, FromQueryResult, Statement, Value},
};

use crate::domain::text::search_key;

#[derive(DeriveMigrationName)]
pub struct Migration;

const CHUNK: u64 = 1_000;

#[derive(FromQueryResult)]
struct Texts {
    id: i64,
    name: String,
    email: String,
    review: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        db.execute_unprepared("ALTER TABLE customers ADD COLUMN search TEXT NOT NULL DEFAULT ''").await?;
        let mut after = 0i64;
        loop {
            let rows = Texts::find_by_statement(Statement::from_sql_and_values(
                backend,
                match backend {
                    DbBackend::Postgres => {
                        "SELECT id, name, email, review FROM customers WHERE id > $1 ORDER BY id LIMIT $2"
                    }
                    _ => "SELECT id, name, email, review FROM customers WHERE id > ? ORDER BY id LIMIT ?",
                },
                [after.into(), (CHUNK as i64).into()],
            ))
            .all(db)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 2);
            let mut tuples = Vec::with_capacity(rows.len());
            for row in &rows {
                values.push(row.id.into());
                values.push(search_key(&row.name, &row.email, &row.review).into());
                tuples.push(match backend {
                    DbBackend::Postgres => format!("(${}::bigint, ${})", values.len() - 1, values.len()),
                    _ => "(?, ?)".to_string(),
                });
            }
            let sql = match backend {
                DbBackend::Postgres => format!(
                    "UPDATE customers SET search = v.s FROM (VALUES {}) AS v(id, s) WHERE customers.id = v.id",
                    tuples.join(", ")
                ),
                _ => format!(
                    "UPDATE customers SET search = v.column2 FROM (VALUES {}) AS v WHERE customers.id = v.column1",
                    tuples.join(", ")
                ),
            };
            db.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("ALTER TABLE customers DROP COLUMN search").await.map(drop)
    }
}
