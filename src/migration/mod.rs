//! The schema's history (the Alembic equivalent), run at start and by `pulse migrate`.

use sea_orm_migration::prelude::*;

mod m20261124_000001_initial;
mod m20261124_000002_daily_stats;
mod m20261124_000003_lean_customer_indexes;
mod m20261124_000004_customer_times_as_integers;
mod m20261201_000005_customer_search;
mod m20261201_000006_workspaces;
mod m20261201_000007_two_factor_and_api_keys;
mod m20261202_000008_responses;
mod m20261202_000009_surveys_and_jobs;
mod m20261202_000010_closing_the_loop;
mod m20261202_000011_search_index;
mod m20261202_000012_lean_search_index;

pub struct Migrator;

/// Applies every migration the database has not seen yet.
pub async fn apply(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    use anyhow::Context;
    Migrator::up(db, None).await.context("database migration failed")
}

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_initial::Migration),
            Box::new(m20261124_000002_daily_stats::Migration),
            Box::new(m20261124_000003_lean_customer_indexes::Migration),
            Box::new(m20261124_000004_customer_times_as_integers::Migration),
            Box::new(m20261201_000005_customer_search::Migration),
            Box::new(m20261201_000006_workspaces::Migration),
            Box::new(m20261201_000007_two_factor_and_api_keys::Migration),
            Box::new(m20261202_000008_responses::Migration),
            Box::new(m20261202_000009_surveys_and_jobs::Migration),
            Box::new(m20261202_000010_closing_the_loop::Migration),
            Box::new(m20261202_000011_search_index::Migration),
            Box::new(m20261202_000012_lean_search_index::Migration),
        ]
    }
}
