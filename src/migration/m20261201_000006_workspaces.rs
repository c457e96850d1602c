//! Workspaces, memberships and invitations; every customer and daily count belongs to a
//! workspace, and a customer's email is unique per workspace instead of globally.
//!
//! A database with accounts or customers gets one workspace `Default` (slug `default`)
//! holding every customer: instance admins become its owners, every other account a member,
//! and it is everyone's default workspace. Nothing is lost; `down` folds the workspaces back
//! (it fails if two workspaces hold the same email, which the first release cannot store).
//!
//! SQLite cannot drop the column-level UNIQUE on `customers.email`, so there the table is
//! rebuilt; PostgreSQL alters it in place. `daily_stats` gains `workspace_id` at the head of
//! its primary key, so one workspace's counts are one range of it, however many there are.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{DbBackend, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Workspaces {
    Table,
    Id,
    Name,
    Slug,
    PublicFormEnabled,
    LowScoreThreshold,
    RequireTwoFactor,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    WorkspaceId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    WorkspaceId,
    Email,
    Role,
    TokenHash,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

const CUSTOMER_COLUMNS: &str =
    "id, name, email, review, satisfaction_score, sentiment, feedback_at, created_at, updated_at, search";

fn customers_table(name: &str, with_workspace: bool) -> String {
    let (workspace, email) = if with_workspace {
        ("workspace_id integer NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE, ", "email varchar NOT NULL")
    } else {
        ("", "email varchar NOT NULL UNIQUE")
    };
    format!(
        "CREATE TABLE {name} (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, {workspace}name varchar NOT NULL, \
         {email}, review text NOT NULL DEFAULT '', satisfaction_score smallint NOT NULL, \
         sentiment double NOT NULL DEFAULT 0, feedback_at integer NOT NULL, created_at BIGINT NOT NULL DEFAULT 0, \
         updated_at BIGINT NOT NULL DEFAULT 0, search TEXT NOT NULL DEFAULT '', \
         CHECK (satisfaction_score BETWEEN 1 AND 5))"
    )
}

fn daily_stats_table(name: &str, with_workspace: bool) -> String {
    let (column, key) = if with_workspace { ("workspace_id BIGINT NOT NULL, ", "workspace_id, ") } else { ("", "") };
    format!(
        "CREATE TABLE {name} ({column}day BIGINT NOT NULL, score SMALLINT NOT NULL, sentiment_class SMALLINT NOT NULL, \
         count BIGINT NOT NULL DEFAULT 0, PRIMARY KEY ({key}day, score, sentiment_class))"
    )
}

/// Sends the statements as one script: each call may run on another pooled connection,
/// and SQLite's rebuild steps (create, copy, drop, rename) must share one.
async fn run(manager: &SchemaManager<'_>, statements: &[String]) -> Result<(), DbErr> {
    manager.get_connection().execute_unprepared(&statements.join(";\n")).await.map(drop)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Workspaces::Table)
                    .col(big_pk_auto(Workspaces::Id))
                    .col(string(Workspaces::Name))
                    .col(string_uniq(Workspaces::Slug))
                    .col(boolean(Workspaces::PublicFormEnabled).default(false))
                    .col(small_integer(Workspaces::LowScoreThreshold).default(2))
                    .col(boolean(Workspaces::RequireTwoFactor).default(false))
                    .col(timestamp_with_time_zone(Workspaces::CreatedAt))
                    .col(timestamp_with_time_zone(Workspaces::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(big_integer(Memberships::WorkspaceId))
                    .col(big_integer(Memberships::UserId))
                    .col(string(Memberships::Role))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .primary_key(Index::create().col(Memberships::WorkspaceId).col(Memberships::UserId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_memberships_user")
                    .table(Memberships::Table)
                    .col(Memberships::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(big_pk_auto(Invitations::Id))
                    .col(big_integer(Invitations::WorkspaceId))
                    .col(string(Invitations::Email))
                    .col(string(Invitations::Role))
                    .col(string_uniq(Invitations::TokenHash))
                    .col(big_integer_null(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .col(timestamp_with_time_zone_null(Invitations::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::WorkspaceId)
                            .to(Workspaces::Table, Workspaces::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Invitations::Table, Invitations::InvitedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_invitations_workspace")
                    .table(Invitations::Table)
                    .col(Invitations::WorkspaceId)
                    .col(Invitations::CreatedAt)
                    .to_owned(),
            )
            .await?;
        run(manager, &["ALTER TABLE users ADD COLUMN default_workspace_id BIGINT NULL".to_string()]).await?;

        // The Default workspace of an existing database; its id is 1 (the table is new).
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let has_data = db
            .query_one_raw(Statement::from_string(
                backend,
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM customers) THEN 1 ELSE 0 END AS x",
            ))
            .await?
            .map(|r| r.try_get::<i32>("", "x"))
            .transpose()?
            .unwrap_or(0)
            == 1;
        let now = match backend {
            DbBackend::Postgres => "now()",
            _ => "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')",
        };
        if has_data {
            run(
                manager,
                &[
                    format!(
                        "INSERT INTO workspaces (id, name, slug, created_at, updated_at) VALUES (1, 'Default', 'default', {now}, {now})"
                    ),
                    format!(
                        "INSERT INTO memberships (workspace_id, user_id, role, created_at) \
                         SELECT 1, id, CASE WHEN role = 'admin' THEN 'owner' ELSE 'member' END, {now} FROM users"
                    ),
                    "UPDATE users SET default_workspace_id = 1".to_string(),
                ],
            )
            .await?;
            if backend == DbBackend::Postgres {
                run(manager, &["SELECT setval(pg_get_serial_sequence('workspaces', 'id'), 1)".to_string()]).await?;
            }
        }

        let customers = match backend {
            DbBackend::Postgres => vec![
                "ALTER TABLE customers ADD COLUMN workspace_id BIGINT NULL".to_string(),
                "UPDATE customers SET workspace_id = 1".to_string(),
                "ALTER TABLE customers ALTER COLUMN workspace_id SET NOT NULL".to_string(),
                "ALTER TABLE customers ADD CONSTRAINT fk_customers_workspace FOREIGN KEY (workspace_id) \
                 REFERENCES workspaces (id) ON DELETE CASCADE"
                    .to_string(),
                "ALTER TABLE customers DROP CONSTRAINT customers_email_key".to_string(),
                "DROP INDEX ix_customers_feedback_at".to_string(),
                "DROP INDEX ix_customers_name".to_string(),
            ],
            _ => vec![
                customers_table("customers_new", true),
                format!(
                    "INSERT INTO customers_new (workspace_id, {CUSTOMER_COLUMNS}) SELECT 1, {CUSTOMER_COLUMNS} FROM customers"
                ),
                "DROP TABLE customers".to_string(),
                "ALTER TABLE customers_new RENAME TO customers".to_string(),
            ],
        };
        let mut customers = customers;
        customers.extend([
            "CREATE UNIQUE INDEX ux_customers_workspace_email ON customers (workspace_id, email)".to_string(),
            "CREATE INDEX ix_customers_feedback_at ON customers (workspace_id, feedback_at)".to_string(),
            "CREATE INDEX ix_customers_name ON customers (workspace_id, name)".to_string(),
            daily_stats_table("daily_stats_new", true),
            "INSERT INTO daily_stats_new (workspace_id, day, score, sentiment_class, count) \
                 SELECT 1, day, score, sentiment_class, count FROM daily_stats"
                .to_string(),
            "DROP TABLE daily_stats".to_string(),
            "ALTER TABLE daily_stats_new RENAME TO daily_stats".to_string(),
        ]);
        run(manager, &customers).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let customers = match backend {
            DbBackend::Postgres => vec![
                "DROP INDEX ux_customers_workspace_email".to_string(),
                "DROP INDEX ix_customers_feedback_at".to_string(),
                "DROP INDEX ix_customers_name".to_string(),
                "ALTER TABLE customers DROP COLUMN workspace_id".to_string(),
                "ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email)".to_string(),
            ],
            _ => vec![
                customers_table("customers_old", false),
                format!("INSERT INTO customers_old ({CUSTOMER_COLUMNS}) SELECT {CUSTOMER_COLUMNS} FROM customers"),
                "DROP TABLE customers".to_string(),
                "ALTER TABLE customers_old RENAME TO customers".to_string(),
            ],
        };
        let mut customers = customers;
        customers.extend([
            "CREATE INDEX ix_customers_feedback_at ON customers (feedback_at)".to_string(),
            "CREATE INDEX ix_customers_name ON customers (name)".to_string(),
            daily_stats_table("daily_stats_old", false),
            "INSERT INTO daily_stats_old (day, score, sentiment_class, count) \
                 SELECT day, score, sentiment_class, SUM(count) FROM daily_stats GROUP BY day, score, sentiment_class"
                .to_string(),
            "DROP TABLE daily_stats".to_string(),
            "ALTER TABLE daily_stats_old RENAME TO daily_stats".to_string(),
            "ALTER TABLE users DROP COLUMN default_workspace_id".to_string(),
            "DROP TABLE invitations".to_string(),
            "DROP TABLE memberships".to_string(),
            "DROP TABLE workspaces".to_string(),
        ]);
        run(manager, &customers).await
    }
}
