//! Analytics (docs/API.md, "Analytics"). Every figure comes from counts per (UTC day, score, sentiment
//! class): read from `daily_stats` when the filter allows, else counted from `responses`.
//! Averages and percentages are exact ratios of integers, rounded half away from zero.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::domain::feedback_at::SECONDS_PER_DAY;
use crate::{
    core::{database::Db, error::AppError},
    domain::{keywords, stats},
    models::{
        customer::Filter,
        daily_stat::{self, DayCount, Grouping},
        response, survey,
    },
    schemas::analytics::{
        Bucket, Distribution, Granularity, Keywords, PeriodSummary, ResponseRate, SentimentCounts, Summary, Term,
        TrendPoint, Trends,
    },
};

/// At most this many trend points in one answer.
const MAX_POINTS: i64 = 20_000;

pub async fn day_counts(db: &Db, filter: &Filter, grouping: Grouping) -> Result<Vec<DayCount>, AppError> {
    let whole_days = filter.from.is_none_or(|f| f.rem_euclid(SECONDS_PER_DAY) == 0)
        && filter.to.is_none_or(|t| (t + 1).rem_euclid(SECONDS_PER_DAY) == 0);
    let rows = if filter.q.is_none() && whole_days {
        let scores = (filter.min_score.unwrap_or(1), filter.max_score.unwrap_or(5));
        daily_stat::counts(
            db,
            filter.workspace_id,
            filter.from.map(|f| f.div_euclid(SECONDS_PER_DAY)),
            filter.to.map(|t| t.div_euclid(SECONDS_PER_DAY)),
            scores,
            filter.sentiment,
            grouping,
        )
        .await?
    } else {
        response::day_counts(db, filter, grouping).await?
    };
    Ok(rows)
}

/// `round(num / den, decimals)`, half away from zero, exactly (no float on the way).
pub fn ratio(num: i64, den: i64, decimals: u32) -> Option<f64> {
    if den == 0 {
        return None;
    }
    let scale = 10i128.pow(decimals);
    let (num, den) = (num as i128 * scale, den as i128);
    let rounded = (2 * num.abs() + den.abs()) / (2 * den.abs()) * (num.signum() * den.signum());
    Some(rounded as f64 / scale as f64)
}

#[derive(Default)]
struct Totals {
    count: i64,
    sum: i64,
    high: i64,
    by_score: [i64; 5],
    by_class: [i64; 3],
}

impl Totals {
    fn of<'a>(rows: impl IntoIterator<Item = &'a DayCount>) -> Self {
        let mut t = Totals::default();
        for r in rows {
            t.count += r.count;
            t.sum += r.count * r.score as i64;
            if r.score >= 4 {
                t.high += r.count;
            }
            t.by_score[(r.score.clamp(1, 5) - 1) as usize] += r.count;
            t.by_class[(r.sentiment_class.clamp(-1, 1) + 1) as usize] += r.count;
        }
        t
    }

    fn sum_of_squares(&self) -> i64 {
        self.by_score.iter().enumerate().map(|(i, n)| (i as i64 + 1).pow(2) * n).sum()
    }

    fn avg(&self) -> Option<f64> {
        ratio(self.sum, self.count, 2)
    }

    fn csat(&self) -> Option<f64> {
        ratio(100 * self.high, self.count, 1)
    }

    /// The middle score (mean of the two middle ones for an even count), from the counts.
    fn median(&self) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let nth = |k: i64| {
            let mut seen = 0;
            for (i, n) in self.by_score.iter().enumerate() {
                seen += n;
                if seen > k {
                    return i as i64 + 1;
                }
            }
            5
        };
        let (a, b) = (nth((self.count - 1) / 2), nth(self.count / 2));
        ratio(a + b, 2, 1)
    }
}

const BY_CLASS: Grouping = Grouping { by_day: false, by_class: true };
const BY_DAY: Grouping = Grouping { by_day: true, by_class: false };
const BY_SCORE: Grouping = Grouping { by_day: false, by_class: false };

pub async fn summary(db: &Db, filter: &Filter) -> Result<Summary, AppError> {
    let totals = Totals::of(&day_counts(db, filter, BY_CLASS).await?);
    let previous_period = match (filter.from, filter.to) {
        (Some(from), Some(to)) => {
            let length = to + 1 - from;
            let previous = Filter { from: Some(from - length), to: Some(from - 1), ..filter.clone() };
            let p = Totals::of(&day_counts(db, &previous, BY_SCORE).await?);
            Some(PeriodSummary {
                count: p.count as u64,
                avg_score: p.avg(),
                csat_pct: p.csat(),
                csat_change_significant: stats::shares_differ(totals.high, totals.count, p.high, p.count),
            })
        }
        _ => None,
    };
    Ok(Summary {
        count: totals.count as u64,
        avg_score: totals.avg(),
        median_score: totals.median(),
        csat_pct: totals.csat(),
        csat_ci95: stats::wilson_pct(totals.high, totals.count),
        avg_ci95: stats::mean_interval(totals.sum, totals.sum_of_squares(), totals.count),
        distribution: (1..=5).map(|s| (s.to_string(), totals.by_score[s - 1] as u64)).collect(),
        sentiment: SentimentCounts {
            negative: totals.by_class[0] as u64,
            neutral: totals.by_class[1] as u64,
            positive: totals.by_class[2] as u64,
        },
        previous_period,
        response_rate: response_rate(db, filter).await?,
    })
}

/// Survey emails sent in the filter's date window (its other filters do not apply).
async fn response_rate(db: &Db, filter: &Filter) -> Result<Option<ResponseRate>, AppError> {
    let millis = |seconds: i64| seconds.saturating_mul(1_000);
    let to = filter.to.map(|t| millis(t) + 999);
    let (sent, answered) = survey::response_rate(db, filter.workspace_id, filter.from.map(millis), to).await?;
    Ok((sent > 0).then(|| ResponseRate {
        sent: sent as u64,
        answered: answered as u64,
        pct: ratio(100 * answered, sent, 1),
    }))
}

pub async fn distribution(db: &Db, filter: &Filter) -> Result<Distribution, AppError> {
    let totals = Totals::of(&day_counts(db, filter, BY_SCORE).await?);
    let buckets = (1..=5u8)
        .map(|score| {
            let n = totals.by_score[score as usize - 1];
            Bucket { score, count: n as u64, pct: ratio(100 * n, totals.count, 1) }
        })
        .collect();
    Ok(Distribution { buckets })
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")
}

/// The date of a day number, or None outside the calendar's range (stored rows of the first
/// release could reach it; no date arithmetic may panic).
fn date_of(day: i64) -> Option<NaiveDate> {
    epoch().checked_add_signed(chrono::TimeDelta::try_days(day)?)
}

/// The first day of the period containing `day`.
pub fn period_start(day: i64, granularity: Granularity) -> i64 {
    match granularity {
        Granularity::Day => day,
        // 1970-01-01 was a Thursday: Monday is three days before.
        Granularity::Week => day.saturating_sub(day.saturating_add(3).rem_euclid(7)),
        Granularity::Month => date_of(day).map_or(day, |date| day - date.day0() as i64),
    }
}

/// The first day of the next period; None past the end of the calendar.
fn next_period(start: i64, granularity: Granularity) -> Option<i64> {
    match granularity {
        Granularity::Day => start.checked_add(1),
        Granularity::Week => start.checked_add(7),
        Granularity::Month => {
            let date = date_of(start)?;
            let next = if date.month() == 12 {
                NaiveDate::from_ymd_opt(date.year().checked_add(1)?, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
            }?;
            Some((next - epoch()).num_days())
        }
    }
}

pub async fn trends(db: &Db, filter: &Filter, granularity: Granularity) -> Result<Trends, AppError> {
    let rows = day_counts(db, filter, BY_DAY).await?;
    let first = filter.from.map(|f| f.div_euclid(SECONDS_PER_DAY)).or_else(|| rows.iter().map(|r| r.day).min());
    let last = filter.to.map(|t| t.div_euclid(SECONDS_PER_DAY)).or_else(|| rows.iter().map(|r| r.day).max());
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Trends { granularity, points: vec![] });
    };
    let mut by_period: HashMap<i64, Vec<DayCount>> = HashMap::new();
    for r in rows {
        by_period.entry(period_start(r.day, granularity)).or_default().push(r);
    }
    let mut points = Vec::new();
    let mut start = period_start(first, granularity);
    while start <= last {
        if points.len() as i64 >= MAX_POINTS {
            return Err(AppError::field(
                "granularity",
                "gives too many points for this date range; choose a coarser one",
            ));
        }
        let totals = Totals::of(by_period.get(&start).into_iter().flatten());
        let Some(date) = date_of(start) else { break };
        points.push(TrendPoint {
            period_start: date.format("%Y-%m-%d").to_string(),
            count: totals.count as u64,
            avg_score: totals.avg(),
            csat_pct: totals.csat(),
        });
        match next_period(start, granularity) {
            Some(next) => start = next,
            None => break,
        }
    }
    Ok(Trends { granularity, points })
}

/// Keyword counting is CPU work over every matching review: it runs on blocking threads,
/// at most this many requests at once (the others wait), reading reviews a page at a time.
const KEYWORD_SLOTS: usize = 2;
const KEYWORD_PAGE: u64 = 2_000;

/// Terms that mark low reviews against high ones and the reverse, over every review of the
/// filtered set (weighted log-odds with an informative Dirichlet prior; words and two-word phrases).
pub async fn keywords(db: &Db, filter: &Filter, limit: Option<u32>) -> Result<Keywords, AppError> {
    static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(KEYWORD_SLOTS);
    let limit = match limit {
        None => 20,
        Some(n @ 1..=100) => n as usize,
        Some(_) => return Err(AppError::bad_request("limit must be from 1 to 100.")),
    };
    let _slot = SLOTS.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
    let (pages, mut received) = tokio::sync::mpsc::channel::<Vec<(i16, String)>>(1);
    let counter = tokio::task::spawn_blocking(move || {
        let mut counts = keywords::Counts::default();
        while let Some(page) = received.blocking_recv() {
            page.iter().for_each(|(score, review)| counts.add(*score, review));
        }
        counts.lists(limit)
    });
    let mut after = 0;
    loop {
        let page = response::reviews_after(db, filter, after, KEYWORD_PAGE).await?;
        let Some(last) = page.last().map(|r| r.0) else { break };
        after = last;
        let full = page.len() as u64 == KEYWORD_PAGE;
        if pages.send(page.into_iter().map(|(_, score, review)| (score, review)).collect()).await.is_err() || !full {
            break;
        }
    }
    drop(pages);
    let (negative, positive) = counter.await.map_err(|e| AppError::Internal(e.into()))?;
    let terms =
        |list: Vec<keywords::Scored>| list.into_iter().map(|s| Term { term: s.term, count: s.count, z: s.z }).collect();
    Ok(Keywords { negative: terms(negative), positive: terms(positive) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_round_half_away_from_zero_exactly() {
        assert_eq!(ratio(2345, 1000, 2), Some(2.35));
        assert_eq!(ratio(1, 3, 2), Some(0.33));
        assert_eq!(ratio(2, 3, 2), Some(0.67));
        assert_eq!(ratio(100, 8, 1), Some(12.5));
        assert_eq!(ratio(100, 16, 1), Some(6.3));
        assert_eq!(ratio(-5, 2, 0), Some(-3.0));
        assert_eq!(ratio(1, 0, 2), None);
    }

    #[test]
    fn medians_from_counts() {
        let rows = |scores: &[(i16, i64)]| -> Vec<DayCount> {
            scores.iter().map(|&(score, count)| DayCount { day: 0, score, sentiment_class: 0, count }).collect()
        };
        assert_eq!(Totals::of(&rows(&[(1, 1), (5, 1)])).median(), Some(3.0));
        assert_eq!(Totals::of(&rows(&[(2, 1), (3, 1)])).median(), Some(2.5));
        assert_eq!(Totals::of(&rows(&[(1, 2), (4, 1)])).median(), Some(1.0));
        assert_eq!(Totals::of(&rows(&[])).median(), None);
    }

    #[test]
    fn periods_start_on_day_monday_and_first_of_month() {
        let day = |y, m, d| {
            (NaiveDate::from_ymd_opt(y, m, d).unwrap() - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
        };
        assert_eq!(period_start(day(2024, 3, 14), Granularity::Week), day(2024, 3, 11));
        assert_eq!(period_start(day(2024, 3, 11), Granularity::Week), day(2024, 3, 11));
        assert_eq!(period_start(day(2024, 3, 10), Granularity::Week), day(2024, 3, 4));
        assert_eq!(period_start(day(1969, 12, 31), Granularity::Week), day(1969, 12, 29));
        assert_eq!(period_start(day(2024, 2, 29), Granularity::Month), day(2024, 2, 1));
        assert_eq!(next_period(day(2024, 12, 1), Granularity::Month), Some(day(2025, 1, 1)));
        assert_eq!(date_of(day(2024, 2, 29)).unwrap().to_string(), "2024-02-29");
    }

    #[test]
    fn period_arithmetic_never_panics_at_the_ends_of_the_calendar() {
        for day in [i64::MIN, i64::MIN / 86_400, -100_000_000, 95_000_000, i64::MAX / 86_400, i64::MAX] {
            for granularity in [Granularity::Day, Granularity::Week, Granularity::Month] {
                let start = period_start(day, granularity);
                let _ = next_period(start, granularity);
                let _ = date_of(start);
            }
        }
    }
}
