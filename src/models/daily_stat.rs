//! `daily_stats`: customer counts per (UTC day, score, sentiment class), kept exact by
//! applying every customer write's delta in the same transaction.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Value};

use crate::{
    core::database::stmt,
    domain::{feedback_at::SECONDS_PER_DAY, sentiment::Class},
};

/// The counting key of one customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub workspace_id: i64,
    pub day: i64,
    pub score: i16,
    pub class: i16,
}

impl Key {
    pub fn of(workspace_id: i64, feedback_at: i64, score: i16, sentiment: f64) -> Self {
        Self { workspace_id, day: feedback_at.div_euclid(SECONDS_PER_DAY), score, class: Class::of(sentiment) as i16 }
    }
}

/// Net changes to apply, summed per key. Summed in a hash map (an import adds a million
/// rows to a few thousand keys) and applied in key order, so that concurrent transactions
/// lock the rows they share in the same order: on PostgreSQL two writers upserting the same
/// keys in different orders would deadlock.
#[derive(Debug, Default)]
pub struct Deltas(HashMap<Key, i64, foldhash::fast::RandomState>);

impl Deltas {
    pub fn add(&mut self, key: Key, n: i64) {
        *self.0.entry(key).or_default() += n;
    }

    pub fn merge(&mut self, other: Deltas) {
        for (key, n) in other.0 {
            self.add(key, n);
        }
    }

    pub async fn apply(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        let mut changes: Vec<(Key, i64)> = self.0.into_iter().filter(|(_, n)| *n != 0).collect();
        changes.sort_unstable();
        for chunk in changes.chunks(500) {
            let mut sql =
                String::from("INSERT INTO daily_stats (workspace_id, day, score, sentiment_class, count) VALUES ");
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
            for (i, (key, n)) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push_str(", ");
                }
                let b = i * 5;
                sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5));
                values.extend([
                    key.workspace_id.into(),
                    key.day.into(),
                    key.score.into(),
                    key.class.into(),
                    (*n).into(),
                ]);
            }
            sql.push_str(
                " ON CONFLICT (workspace_id, day, score, sentiment_class) \
                 DO UPDATE SET count = daily_stats.count + excluded.count",
            );
            db.execute_raw(stmt(db, &sql, values)).await?;
        }
        Ok(())
    }
}

/// Which keys a count is broken down by; the others are summed over (and read as 0), so
/// the database returns a handful of rows instead of one per day, score and class.
#[derive(Clone, Copy, Debug)]
pub struct Grouping {
    pub by_day: bool,
    pub by_class: bool,
}

impl Grouping {
    /// The day column as selected: itself, or 0 when days are summed over.
    pub fn day(self, expr: &str) -> String {
        if self.by_day { expr.to_string() } else { "CAST(0 AS BIGINT)".into() }
    }

    /// The sentiment class as selected: itself, or 0 when classes are summed over.
    pub fn class(self, expr: &str) -> String {
        if self.by_class { expr.to_string() } else { "CAST(0 AS SMALLINT)".into() }
    }
}

/// Responses counted for one (day, score, sentiment class), as `Grouping` asks: what
/// analytics read, from `daily_stats` here or from `responses` (`response::day_counts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, FromQueryResult)]
pub struct DayCount {
    pub day: i64,
    pub score: i16,
    pub sentiment_class: i16,
    pub count: i64,
}

/// Counts for days in `[from_day, to_day]` (either end open).
pub async fn counts(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    from_day: Option<i64>,
    to_day: Option<i64>,
    scores: (i16, i16),
    class: Option<i16>,
    grouping: Grouping,
) -> Result<Vec<DayCount>, DbErr> {
    let sql = format!(
        "SELECT {day} AS day, score, {class} AS sentiment_class, CAST(SUM(count) AS BIGINT) AS count \
         FROM daily_stats \
         WHERE workspace_id = $6 AND count <> 0 AND day >= $1 AND day <= $2 AND score >= $3 AND score <= $4 \
           AND ($5 IS NULL OR sentiment_class = $5) GROUP BY 1, 2, 3",
        day = grouping.day("day"),
        class = grouping.class("sentiment_class"),
    );
    DayCount::find_by_statement(stmt(
        db,
        &sql,
        [
            from_day.unwrap_or(i64::MIN).into(),
            to_day.unwrap_or(i64::MAX).into(),
            scores.0.into(),
            scores.1.into(),
            class.into(),
            workspace_id.into(),
        ],
    ))
    .all(db)
    .await
}
