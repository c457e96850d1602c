//! Keywords that tell low reviews from high ones: words and two-word phrases scored by
//! weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).
//!
//! Terms: a review is lower-cased and split into tokens of letters and digits, with an
//! apostrophe inside a word kept (`don't`); a token with a digit is a number, and tokens of
//! one letter and stop words (NLTK's English list) are dropped. A phrase is two kept words
//! that were adjacent: nothing dropped and only white space between them.

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use crate::domain::stats::{Z95, round};

static STOP_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../../assets/stop-words.txt").lines().filter(|w| !w.is_empty()).collect());

/// Distinct terms counted at most: a bound on memory whatever the reviews hold (real
/// review sets stay far below it; terms first seen past it are not counted).
pub const MAX_TERMS: usize = 500_000;

/// Calls `emit` with every word and phrase of `review`, in order.
pub fn terms(review: &str, mut emit: impl FnMut(&str)) {
    let text = review.to_lowercase().replace('’', "'");
    let chars: Vec<char> = text.chars().collect();
    let mut previous: Option<String> = None;
    let mut clean_gap = true;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            if !chars[i].is_whitespace() {
                clean_gap = false;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_alphanumeric()
                || (chars[i] == '\'' && i + 1 < chars.len() && chars[i + 1].is_alphanumeric()))
        {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        let kept =
            token.chars().count() > 1 && !token.chars().any(|c| c.is_numeric()) && !STOP_WORDS.contains(token.as_str());
        if kept {
            if let Some(before) = previous.as_deref().filter(|_| clean_gap) {
                emit(&format!("{before} {token}"));
            }
            emit(&token);
            previous = Some(token);
        } else {
            previous = None;
        }
        clean_gap = true;
    }
}

/// Occurrences of each term in low (1–2), middle (3) and high (4–5) reviews.
#[derive(Default)]
pub struct Counts {
    terms: HashMap<String, [u64; 3]>,
}

/// One term of a list: its occurrences on the list's side and its |z|.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub term: String,
    pub count: u64,
    pub z: f64,
}

impl Counts {
    pub fn add(&mut self, score: i16, review: &str) {
        let band = match score {
            1 | 2 => 0,
            3 => 1,
            _ => 2,
        };
        let full = self.terms.len() >= MAX_TERMS;
        terms(review, |term| match self.terms.get_mut(term) {
            Some(counts) => counts[band] += 1,
            None if !full => {
                let mut counts = [0; 3];
                counts[band] = 1;
                self.terms.insert(term.to_string(), counts);
            }
            None => {}
        });
    }

    /// The terms significantly more frequent in low reviews (`negative`) and in high ones
    /// (`positive`), |z| ≥ 1.959964, by |z|, then count, then term; at most `limit` each.
    pub fn lists(&self, limit: usize) -> (Vec<Scored>, Vec<Scored>) {
        let total: f64 = self.terms.values().map(|c| (c[0] + c[1] + c[2]) as f64).sum();
        let low: f64 = self.terms.values().map(|c| c[0] as f64).sum();
        let high: f64 = self.terms.values().map(|c| c[2] as f64).sum();
        let (mut negative, mut positive) = (Vec::new(), Vec::new());
        for (term, c) in &self.terms {
            let (y_i, y_j) = (c[0] as f64, c[2] as f64);
            let prior = (c[0] + c[1] + c[2]) as f64;
            let (rest_i, rest_j) = (low + total - y_i - prior, high + total - y_j - prior);
            if rest_i <= 0.0 || rest_j <= 0.0 {
                continue;
            }
            let delta = ((y_i + prior) / rest_i).ln() - ((y_j + prior) / rest_j).ln();
            let z = delta / (1.0 / (y_i + prior) + 1.0 / (y_j + prior)).sqrt();
            if z >= Z95 {
                negative.push((z, c[0], term));
            } else if z <= -Z95 {
                positive.push((-z, c[2], term));
            }
        }
        let finish = |mut list: Vec<(f64, u64, &String)>| -> Vec<Scored> {
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
            list.into_iter()
                .take(limit)
                .map(|(z, count, term)| Scored { term: term.clone(), count, z: round(z, 2) })
                .collect()
        };
        (finish(negative), finish(positive))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(review: &str) -> Vec<String> {
        let mut out = Vec::new();
        terms(review, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_and_phrases() {
        assert_eq!(
            all("Slow delivery, rude staff! I'd wait 30 minutes; don't order."),
            [
                "slow",
                "slow delivery",
                "delivery",
                "rude",
                "rude staff",
                "staff",
                "i'd",
                "i'd wait",
                "wait",
                "minutes",
                "order"
            ]
        );
        assert_eq!(all("well-made  product"), ["well", "made", "made product", "product"], "hyphens split phrases too");
        assert_eq!(all("great 5star value"), ["great", "value"], "a number breaks a phrase");
        assert_eq!(all("‘great’ service"), ["great", "service"], "quotes are punctuation between words");
        assert_eq!(all("It’s FAST and Cheap"), ["fast", "cheap"]);
    }

    #[test]
    fn a_term_goes_to_the_side_where_it_is_frequent_and_never_to_both() {
        let mut counts = Counts::default();
        for _ in 0..40 {
            counts.add(1, "slow delivery and rude staff");
            counts.add(5, "friendly staff and fast delivery");
            counts.add(3, "staff ok");
        }
        let (negative, positive) = counts.lists(10);
        let names = |l: &[Scored]| l.iter().map(|s| s.term.clone()).collect::<Vec<_>>();
        assert!(names(&negative).contains(&"slow".to_string()) && names(&negative).contains(&"rude staff".to_string()));
        assert!(
            names(&positive).contains(&"friendly".to_string())
                && names(&positive).contains(&"fast delivery".to_string())
        );
        for term in names(&negative) {
            assert!(!names(&positive).contains(&term), "{term} on both lists");
        }
        assert!(!names(&negative).contains(&"staff".to_string()) && !names(&positive).contains(&"staff".to_string()));
        assert!(negative.windows(2).all(|w| w[0].z >= w[1].z));
        assert_eq!(negative.iter().find(|s| s.term == "slow").unwrap().count, 40);
    }

    #[test]
    fn one_band_alone_lists_nothing() {
        let mut counts = Counts::default();
        for _ in 0..50 {
            counts.add(5, "great product great service");
        }
        assert_eq!(counts.lists(20), (vec![], vec![]));
    }
}
