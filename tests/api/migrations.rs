//! Migrations over a database that already holds data, on both backends.

use pulse::{core::database, migration::Migrator};
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::MigratorTrait;

use crate::helpers::*;

async fn created_at_millis(db: &database::Db) -> Vec<(i64, i64)> {
    let sql = "SELECT created_at, updated_at FROM customers ORDER BY id";
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get_by_index(0).unwrap(), r.try_get_by_index(1).unwrap()))
        .collect()
}

/// Customer times stored as timestamps become Unix milliseconds, to the millisecond, and
/// the way back and forth again keeps them.
#[tokio::test]
async fn customer_times_become_milliseconds_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = database::connect(&fresh_database_url(&dir).await).await.unwrap();
    Migrator::up(&db, Some(3)).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO customers (name, email, review, satisfaction_score, sentiment, feedback_at, created_at, updated_at) \
         VALUES ('Ann', 'ann@example.com', '', 4, 0, 0, '2025-06-01T12:34:56.789+00:00', '2025-06-02T00:00:00+00:00'), \
                ('Bob', 'bob@example.com', '', 2, 0, 0, '1999-12-31T23:59:59.999+00:00', '2000-01-01T00:00:00.001+00:00')",
    )
    .await
    .unwrap();

    Migrator::up(&db, None).await.unwrap();
    let expected = vec![(1_748_781_296_789, 1_748_822_400_000), (946_684_799_999, 946_684_800_001)];
    assert_eq!(created_at_millis(&db).await, expected);

    Migrator::down(&db, Some(1)).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(created_at_millis(&db).await, expected, "down and up again keep the times");
}
