//! Drops two customer indexes that cost every import more than they save: analytics read
//! `daily_stats`, and a score or sentiment filter on the list is served well enough by
//! walking `feedback_at` (the list's default order). The 1M-row import benchmark spends
//! most of its time in SQLite's B-tree maintenance.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["ix_customers_score", "ix_customers_sentiment"] {
            manager.drop_index(Index::drop().name(name).table(Alias::new("customers")).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let create = |name: &str, cols: &[&'static str]| {
            let mut stmt = Index::create();
            stmt.name(name).table(Alias::new("customers"));
            for c in cols {
                stmt.col(Alias::new(*c));
            }
            stmt.to_owned()
        };
        manager.create_index(create("ix_customers_score", &["satisfaction_score", "feedback_at"])).await?;
        manager.create_index(create("ix_customers_sentiment", &["sentiment"])).await
    }
}
