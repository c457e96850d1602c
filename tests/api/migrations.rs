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

    down_to(&db, 3).await;
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(created_at_millis(&db).await, expected, "down and up again keep the times");
}

/// Reverts migrations until the first `applied` of them are left.
async fn down_to(db: &database::Db, applied: usize) {
    Migrator::down(db, Some((Migrator::migrations().len() - applied) as u32)).await.unwrap();
}

async fn rows(db: &database::Db, sql: &str) -> Vec<Vec<String>> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (0..)
                .map_while(|i| {
                    r.try_get_by_index::<i64>(i)
                        .map(|v| v.to_string())
                        .or_else(|_| r.try_get_by_index::<String>(i))
                        .or_else(|_| r.try_get_by_index::<Option<i64>>(i).map(|v| format!("{v:?}")))
                        .ok()
                })
                .collect()
        })
        .collect()
}

/// A first-release database with accounts, customers and daily counts moves into one
/// `Default` workspace with nothing lost (admins its owners, everyone else members), and
/// the way down and up again keeps every row.
#[tokio::test]
async fn a_first_release_database_moves_into_a_default_workspace_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = database::connect(&fresh_database_url(&dir).await).await.unwrap();
    Migrator::up(&db, Some(5)).await.unwrap();
    let now = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "now()",
        _ => "'2025-01-01T00:00:00+00:00'",
    };
    db.execute_unprepared(&format!(
        "INSERT INTO users (email, username, password_hash, role, is_active, is_verified, failed_attempts, created_at, updated_at) \
         VALUES ('root@example.com', 'root', 'x', 'admin', true, true, 0, {now}, {now}), \
                ('ann@example.com', 'ann', 'x', 'user', true, true, 0, {now}, {now}); \
         INSERT INTO customers (name, email, review, satisfaction_score, sentiment, feedback_at, created_at, updated_at, search) \
         VALUES ('Ann', 'a@example.com', 'great', 5, 0.6, 86400, 1, 1, 'ann'), \
                ('Bob', 'b@example.com', 'bad', 1, -0.5, 172800, 2, 2, 'bob'); \
         INSERT INTO daily_stats (day, score, sentiment_class, count) VALUES (1, 5, 1, 1), (2, 1, -1, 1)"
    ))
    .await
    .unwrap();

    Migrator::up(&db, None).await.unwrap();
    let expected_workspaces = vec![vec!["1".to_string(), "Default".into(), "default".into()]];
    assert_eq!(rows(&db, "SELECT id, name, slug FROM workspaces").await, expected_workspaces);
    let memberships =
        rows(&db, "SELECT u.username, m.role FROM memberships m JOIN users u ON u.id = m.user_id ORDER BY u.username")
            .await;
    assert_eq!(memberships, [["ann", "member"], ["root", "owner"]]);
    assert_eq!(rows(&db, "SELECT default_workspace_id FROM users ORDER BY id").await, [["1"], ["1"]]);
    let customers =
        "SELECT workspace_id, name, email, CAST(satisfaction_score AS BIGINT), created_at FROM customers ORDER BY id";
    assert_eq!(
        rows(&db, customers).await,
        [["1", "Ann", "a@example.com", "5", "1"], ["1", "Bob", "b@example.com", "1", "2"]]
    );
    let stats = "SELECT workspace_id, day, CAST(score AS BIGINT), CAST(sentiment_class AS BIGINT), count \
                 FROM daily_stats ORDER BY day";
    assert_eq!(rows(&db, stats).await, [["1", "1", "5", "1", "1"], ["1", "2", "1", "-1", "1"]]);
    // A second workspace may now hold the same address.
    db.execute_unprepared(&format!(
        "INSERT INTO workspaces (name, slug, public_form_enabled, low_score_threshold, require_two_factor, created_at, updated_at) \
         VALUES ('Other', 'other', false, 2, false, {now}, {now})"
    ))
    .await
    .unwrap();
    db.execute_unprepared(
        "INSERT INTO customers (workspace_id, name, email, review, satisfaction_score, sentiment, feedback_at, created_at, updated_at, search) \
         VALUES (2, 'Twin', 'x@example.com', '', 3, 0, 0, 3, 3, 'twin')",
    )
    .await
    .unwrap();
    db.execute_unprepared("DELETE FROM customers WHERE workspace_id = 2; DELETE FROM workspaces WHERE id = 2")
        .await
        .unwrap();

    down_to(&db, 5).await;
    let before = "SELECT name, email, CAST(satisfaction_score AS BIGINT), created_at FROM customers ORDER BY id";
    assert_eq!(rows(&db, before).await, [["Ann", "a@example.com", "5", "1"], ["Bob", "b@example.com", "1", "2"]]);
    let old_stats =
        "SELECT day, CAST(score AS BIGINT), CAST(sentiment_class AS BIGINT), count FROM daily_stats ORDER BY day";
    assert_eq!(rows(&db, old_stats).await, [["1", "5", "1", "1"], ["2", "1", "-1", "1"]]);
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        rows(&db, customers).await,
        [["1", "Ann", "a@example.com", "5", "1"], ["1", "Bob", "b@example.com", "1", "2"]]
    );
    assert_eq!(rows(&db, stats).await, [["1", "1", "5", "1", "1"], ["1", "2", "1", "-1", "1"]]);
}

/// A `Default` workspace (id 1) with the customers of `values` (a SQL `VALUES` list of
/// workspace_id, name, email, review, score, sentiment, feedback_at, created_at,
/// updated_at, search), written as a database of that schema version holds them.
async fn insert_default_workspace_with(db: &database::Db, values: &str) {
    let now = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "now()",
        _ => "'2025-01-01T00:00:00+00:00'",
    };
    db.execute_unprepared(&format!(
        "INSERT INTO workspaces (name, slug, public_form_enabled, low_score_threshold, require_two_factor, created_at, updated_at) \
         VALUES ('Default', 'default', false, 2, false, {now}, {now}); \
         INSERT INTO customers (workspace_id, name, email, review, satisfaction_score, sentiment, feedback_at, created_at, updated_at, search) \
         VALUES {values}"
    ))
    .await
    .unwrap();
}

/// Every customer of a database from before feedback history becomes one response with
/// its own score, review, sentiment, date and search key (so analytics, which count
/// responses from then on, give the same figures); down and up again keep them.
#[tokio::test]
async fn every_customer_becomes_one_response_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = database::connect(&fresh_database_url(&dir).await).await.unwrap();
    Migrator::up(&db, Some(7)).await.unwrap();
    insert_default_workspace_with(
        &db,
        "(1, 'Ann', 'a@example.com', 'great', 5, 0.625, 86400, 1, 1, 'ann\na@example.com\ngreat'), \
                (1, 'Bob', 'b@example.com', 'bad', 1, -0.5, 172800, 2, 3, 'bob\nb@example.com\nbad'), \
                (1, 'Cy', 'c@example.com', '', 3, 0, 259200, 4, 4, 'cy\nc@example.com\n')",
    )
    .await;
    let customers = "SELECT id, workspace_id, CAST(satisfaction_score AS BIGINT), review, \
                     CAST(sentiment * 1000 AS BIGINT), feedback_at, search, created_at, updated_at FROM customers ORDER BY id";
    let before = rows(&db, customers).await;
    assert_eq!(before.len(), 3);

    Migrator::up(&db, None).await.unwrap();
    let responses = "SELECT customer_id, workspace_id, CAST(satisfaction_score AS BIGINT), review, \
                     CAST(sentiment * 1000 AS BIGINT), feedback_at, search, created_at, updated_at FROM responses ORDER BY customer_id";
    assert_eq!(rows(&db, responses).await, before, "one response per customer, every value kept");
    assert_eq!(rows(&db, "SELECT source FROM responses").await, [["manual"], ["manual"], ["manual"]]);
    assert_eq!(
        rows(&db, "SELECT CAST(response_count AS BIGINT) FROM customers ORDER BY id").await,
        [["1"], ["1"], ["1"]]
    );
    assert_eq!(rows(&db, customers).await, before, "the customers are untouched");

    down_to(&db, 7).await;
    assert_eq!(rows(&db, customers).await, before, "down keeps every customer as it was");
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(rows(&db, responses).await, before);
}

/// The search index covers the customers that exist when it is created, is rebuilt
/// without positions (SQLite) and back with them, and comes and goes again with nothing
/// else touched.
#[tokio::test]
async fn the_search_index_covers_existing_customers_and_goes_away_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = database::connect(&fresh_database_url(&dir).await).await.unwrap();
    Migrator::up(&db, Some(10)).await.unwrap();
    insert_default_workspace_with(
        &db,
        "(1, 'Ann', 'a@example.com', 'great', 5, 0.6, 86400, 1, 1, 'ann\na@example.com\ngreat'), \
                (1, 'Bob', 'b@example.com', 'slow parcel', 1, -0.5, 172800, 2, 3, 'bob\nb@example.com\nslow parcel')",
    )
    .await;
    let customers = "SELECT id, name, search FROM customers ORDER BY id";
    let before = rows(&db, customers).await;

    Migrator::up(&db, None).await.unwrap();
    assert_eq!(rows(&db, customers).await, before, "the customers are untouched");
    let sqlite = db.get_database_backend() == sea_orm::DbBackend::Sqlite;
    let search = if sqlite {
        "SELECT rowid FROM customers_search WHERE search GLOB '*parcel*'"
    } else {
        "SELECT id FROM customers WHERE search LIKE '%parcel%'"
    };
    assert_eq!(rows(&db, search).await, [["2"]], "existing customers are indexed");
    db.execute_unprepared("UPDATE customers SET search = 'bob\nb@example.com\nquick' WHERE id = 2").await.unwrap();
    db.execute_unprepared("INSERT INTO customers (workspace_id, name, email, review, satisfaction_score, sentiment, feedback_at, created_at, updated_at, search) \
         VALUES (1, 'Cy', 'c@example.com', 'parcel ok', 4, 0, 0, 5, 5, 'cy\nc@example.com\nparcel ok')").await.unwrap();
    assert_eq!(rows(&db, search).await, [["3"]], "writes keep the index in step");
    let detail = "SELECT sql LIKE '%detail=none%' FROM sqlite_master WHERE name = 'customers_search'";
    if sqlite {
        assert_eq!(rows(&db, detail).await, [["1"]], "the index keeps no positions");
    }

    down_to(&db, 11).await;
    if sqlite {
        assert_eq!(rows(&db, detail).await, [["0"]], "down puts the positions back");
    }
    assert_eq!(rows(&db, search).await, [["3"]], "and the index still covers every customer");
    down_to(&db, 10).await;
    let gone = if sqlite {
        "SELECT name FROM sqlite_master WHERE name LIKE 'customers_search%'"
    } else {
        "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_customers_search'"
    };
    assert!(rows(&db, gone).await.is_empty(), "down removes the index and its triggers");
    assert_eq!(rows(&db, customers).await.len(), 3, "and no customer");
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(rows(&db, search).await, [["3"]]);
}
