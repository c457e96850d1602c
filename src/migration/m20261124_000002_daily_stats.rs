//! `daily_stats`: customer counts per UTC day, score and sentiment class, maintained in the
//! same transaction as every customer write, so analytics never scan the customers table
//! unless a text search asks them to.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DailyStats {
    Table,
    Day,
    Score,
    SentimentClass,
    Count,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DailyStats::Table)
                    .col(big_integer(DailyStats::Day))
                    .col(small_integer(DailyStats::Score))
                    .col(small_integer(DailyStats::SentimentClass))
                    .col(big_integer(DailyStats::Count).default(0))
                    .primary_key(
                        Index::create().col(DailyStats::Day).col(DailyStats::Score).col(DailyStats::SentimentClass),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(DailyStats::Table).to_owned()).await
    }
}
