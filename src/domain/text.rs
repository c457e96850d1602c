//! Text rules: which characters a stored field may hold, and the folded form search uses.

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// NUL and the other control characters break exports, terminals and mail; tab, CR and LF
/// are ordinary in multi-line text.
pub fn check_controls(text: &str) -> Result<(), String> {
    if text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) {
        Err("must not contain control characters".into())
    } else {
        Ok(())
    }
}

/// Lower case without accents, for every script: compatibility decomposition, combining
/// marks dropped, then Unicode lower case (`Ölaf` → `olaf`, `ÉMILE` → `emile`, `José` →
/// `jose`, `ΆΝΝΑ` → `αννα`). Search compares folded text with folded text.
pub fn fold(text: &str) -> String {
    // Most text is ASCII, where folding is lower-casing: skip the decomposition (a CSV
    // import folds every row's name, email and review).
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(text.len());
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        folded.extend(c.to_lowercase());
    }
    folded
}

/// What `q` searches for a customer: name, email and review folded, one per line (a folded
/// query has no line break, so a match never spans two fields).
pub fn search_key(name: &str, email: &str, review: &str) -> String {
    let mut key = String::with_capacity(name.len() + email.len() + review.len() + 2);
    for (i, part) in [name, email, review].into_iter().enumerate() {
        if i > 0 {
            key.push('\n');
        }
        if part.is_ascii() {
            key.extend(part.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            key.push_str(&fold(part));
        }
    }
    key
}

/// A query as `search_key` holds text: folded, with control characters as spaces.
pub fn search_query(q: &str) -> String {
    fold(q.trim()).chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_not() {
        for ok in ["", "plain", "two\nlines\r\n", "tab\there", "émile 😀"] {
            assert!(check_controls(ok).is_ok(), "{ok:?}");
        }
        for bad in ["nul\0", "bell\u{7}", "esc\u{1b}[31m", "del\u{7f}", "c1\u{85}"] {
            assert!(check_controls(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn folding_removes_case_and_accents_in_every_script() {
        for (raw, want) in [
            ("Ölaf", "olaf"),
            ("ÉMILE", "emile"),
            ("José", "jose"),
            ("ΆΝΝΑ", "αννα"),
            ("Ђорђе", "ђорђе"),
            ("ﬁne", "fine"),
            ("İstanbul", "istanbul"),
            ("東京", "東京"),
            ("a@b.co", "a@b.co"),
        ] {
            assert_eq!(fold(raw), want, "{raw}");
        }
    }
}
