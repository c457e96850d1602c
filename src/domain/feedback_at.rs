//! When feedback was given: the formats people and spreadsheets write, and the range a
//! stored date may take (1970-01-01 up to one day after now).

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Deserialize;
use utoipa::ToSchema;

pub const SECONDS_PER_DAY: i64 = 86_400;

/// How to read a date whose day and month are both numbers: `31/12/2025` or `12/31/2025`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Day first: 31/12/2025.
    Dmy,
    /// Month first: 12/31/2025.
    Mdy,
}

/// When feedback was given, in Unix seconds, as read from what a person or a spreadsheet
/// wrote (`FeedbackAt::parse`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FeedbackAt(i64);

impl FeedbackAt {
    pub fn parse(raw: &str, now: i64, order: Option<DateOrder>) -> Result<Self, String> {
        parse(raw, now, order).map(Self)
    }

    pub fn seconds(self) -> i64 {
        self.0
    }
}

/// Parses a feedback date as Unix seconds: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (UTC),
/// RFC 3339, and with an `order` also `DD/MM/YYYY` or `MM/DD/YYYY` (`/`, `.` or `-`, with an
/// optional time). Dates before 1970 or more than a day after `now` are refused.
fn parse(raw: &str, now: i64, order: Option<DateOrder>) -> Result<i64, String> {
    let seconds = read(raw.trim(), order).ok_or_else(|| {
        match order {
            Some(DateOrder::Dmy) => "must be a date like 31/12/2025, 2025-12-31 or 2025-12-31 14:30",
            Some(DateOrder::Mdy) => "must be a date like 12/31/2025, 2025-12-31 or 2025-12-31 14:30",
            None if looks_numeric(raw) => {
                "must be a date like 2025-12-31 or 2025-12-31 14:30; for dates like 31/12/2025 choose \
                 day-first or month-first dates"
            }
            None => "must be a date like 2025-12-31 or 2025-12-31 14:30",
        }
        .to_string()
    })?;
    if !(0..=now.saturating_add(SECONDS_PER_DAY)).contains(&seconds) {
        return Err("must be between 1970-01-01 and tomorrow".into());
    }
    Ok(seconds)
}

fn looks_numeric(raw: &str) -> bool {
    let parts: Vec<&str> = raw.trim().split(['/', '.', '-']).collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn read(text: &str, order: Option<DateOrder>) -> Option<i64> {
    // `NaiveDate`'s own parser reads YYYY-MM-DD without interpreting a format string
    // (which took a CSV import's parser thread measurable time per row).
    if let Ok(date) = text.parse::<NaiveDate>() {
        return Some(date.and_time(NaiveTime::MIN).and_utc().timestamp());
    }
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(instant.timestamp());
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc().timestamp());
        }
    }
    let order = order?;
    let (date, time) = match text.split_once(' ') {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text, None),
    };
    let mut parts = date.split(['/', '.', '-']).map(|p| p.parse::<u32>().ok());
    let (a, b, year) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || !(1000..=9999).contains(&year) {
        return None;
    }
    let (day, month) = match order {
        DateOrder::Dmy => (a, b),
        DateOrder::Mdy => (b, a),
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = match time {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(t, "%H:%M")).ok()?,
    };
    Some(date.and_time(time).and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    #[test]
    fn formats_people_write() {
        let day = 1_767_139_200; // 2025-12-31
        for (raw, order, want) in [
            ("2025-12-31", None, day),
            (" 2025-12-31 ", None, day),
            ("2025-12-31 14:30", None, day + 14 * 3600 + 30 * 60),
            ("2025-12-31 14:30:15", None, day + 14 * 3600 + 30 * 60 + 15),
            ("2025-12-31T14:30:00Z", None, day + 14 * 3600 + 30 * 60),
            ("2025-12-31T15:30:00+01:00", None, day + 14 * 3600 + 30 * 60),
            ("31/12/2025", Some(DateOrder::Dmy), day),
            ("31.12.2025", Some(DateOrder::Dmy), day),
            ("31-12-2025 14:30", Some(DateOrder::Dmy), day + 14 * 3600 + 30 * 60),
            ("12/31/2025", Some(DateOrder::Mdy), day),
            ("2025-12-31", Some(DateOrder::Mdy), day),
        ] {
            assert_eq!(parse(raw, NOW, order), Ok(want), "{raw}");
        }
    }

    #[test]
    fn ambiguous_wrong_and_out_of_range_dates_are_refused_in_plain_words() {
        let err = parse("31/12/2025", NOW, None).unwrap_err();
        assert!(err.contains("day-first"), "{err}");
        assert!(parse("12/31/2025", NOW, Some(DateOrder::Dmy)).is_err());
        for bad in ["yesterday", "2024-02-30", "2025-13-01", "+262142-01-01", "-262143-01-01", ""] {
            let err = parse(bad, NOW, None).unwrap_err();
            assert!(!err.contains("RFC"), "{err}");
        }
        assert_eq!(parse("1969-12-31", NOW, None).unwrap_err(), "must be between 1970-01-01 and tomorrow");
        assert_eq!(parse("1970-01-01", NOW, None), Ok(0));
        assert!(parse("2026-01-02", NOW, None).is_ok(), "one day ahead is allowed (time zones)");
        assert!(parse("2026-01-03", NOW, None).is_err());
        assert!(parse("9999-12-31T23:59:59Z", NOW, None).is_err());
    }
}
