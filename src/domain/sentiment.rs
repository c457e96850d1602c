//! Review sentiment with VADER: a compound score in [-1, 1] and its class.

use std::sync::LazyLock;

use vader_sentiment::SentimentIntensityAnalyzer;

static ANALYZER: LazyLock<SentimentIntensityAnalyzer<'static>> = LazyLock::new(SentimentIntensityAnalyzer::new);

/// Above this the class is positive; below its negative, negative; else neutral.
pub const THRESHOLD: f64 = 0.05;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Negative = -1,
    Neutral = 0,
    Positive = 1,
}

impl Class {
    pub fn of(score: f64) -> Self {
        if score > THRESHOLD {
            Class::Positive
        } else if score < -THRESHOLD {
            Class::Negative
        } else {
            Class::Neutral
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "positive" => Some(Class::Positive),
            "neutral" => Some(Class::Neutral),
            "negative" => Some(Class::Negative),
            _ => None,
        }
    }
}

/// The compound score of a review, rounded to 4 decimals; an empty review is 0.
pub fn score(review: &str) -> f64 {
    if review.trim().is_empty() {
        return 0.0;
    }
    let compound = ANALYZER.polarity_scores(review).get("compound").copied().unwrap_or(0.0);
    (compound.clamp(-1.0, 1.0) * 10_000.0).round() / 10_000.0
}

/// Remembers the scores of recent review texts: bulk imports repeat short reviews a lot,
/// and VADER costs tens of microseconds a text.
pub struct Memo {
    scores: std::collections::HashMap<String, f64>,
    capacity: usize,
}

impl Memo {
    pub fn new(capacity: usize) -> Self {
        Self { scores: std::collections::HashMap::with_capacity(capacity), capacity }
    }

    pub fn score(&mut self, review: &str) -> f64 {
        if let Some(score) = self.scores.get(review) {
            return *score;
        }
        let value = score(review);
        if self.scores.len() >= self.capacity {
            self.scores.clear();
        }
        self.scores.insert(review.to_string(), value);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_thresholds() {
        assert_eq!(score(""), 0.0);
        assert_eq!(Class::of(score("   ")), Class::Neutral);
        assert_eq!(Class::of(score("Great service, I love it!")), Class::Positive);
        assert_eq!(Class::of(score("Terrible. Rude staff and a horrible wait.")), Class::Negative);
        assert_eq!(Class::of(score("The order arrived on Tuesday.")), Class::Neutral);
        assert_eq!(Class::of(0.05), Class::Neutral);
        assert_eq!(Class::of(0.0501), Class::Positive);
        assert_eq!(Class::of(-0.05), Class::Neutral);
        assert_eq!(Class::of(-0.0501), Class::Negative);
        let s = score("Absolutely wonderful, amazing, best ever!!!");
        assert!((-1.0..=1.0).contains(&s));
        let mut memo = Memo::new(1);
        assert_eq!(memo.score("Great!"), score("Great!"));
        assert_eq!(memo.score("Awful."), score("Awful."), "a full memo starts over");
        assert_eq!(memo.score("Awful."), score("Awful."));
    }
}
