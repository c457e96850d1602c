//! Parsed field types (parse, don't validate): past the schema boundary an email, a username,
//! a password or a score is one of these, never a raw string.

use std::{collections::HashSet, fmt, sync::LazyLock};

use secrecy::SecretString;

use crate::domain::text;

/// Lowercased, syntactically valid email address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        // The local part must be a dot-atom: a quoted one (`"a b"@x.com`) is valid mail syntax
        // that the mailer cannot send to, so such an account would never get its emails.
        let valid = trimmed.len() <= 254
            && email_address::EmailAddress::is_valid(trimmed)
            && trimmed
                .rsplit_once('@')
                .is_some_and(|(local, domain)| domain.contains('.') && !domain.ends_with('.') && is_dot_atom(local))
            && trimmed.parse::<lettre::Address>().is_ok();
        if valid { Ok(Self(trimmed.to_lowercase())) } else { Err("is not a valid email address".into()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// RFC 5322 `dot-atom-text`, with UTF-8 letters allowed (RFC 6531).
fn is_dot_atom(local: &str) -> bool {
    let atext = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    !local.is_empty() && local.split('.').all(|atom| !atom.is_empty() && atom.chars().all(atext))
}

/// 3–32 of `[A-Za-z0-9_.-]`; case is kept, uniqueness ignores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if !(3..=32).contains(&raw.chars().count()) {
            return Err("must be 3 to 32 characters long".into());
        }
        if !raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            return Err("may contain only letters, digits, '_', '.' and '-'".into());
        }
        Ok(Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("../../assets/common-passwords.txt").lines().collect());

/// A password that meets the policy: 8–128 characters, not the username or email (or its
/// local part), not in the shipped list of common and breached passwords.
#[derive(Clone, Debug)]
pub struct Password(SecretString);

impl Password {
    pub fn parse(raw: &str, username: Option<&str>, email: Option<&str>) -> Result<Self, String> {
        let len = raw.chars().count();
        if len < 8 {
            return Err("must be at least 8 characters long".into());
        }
        if len > 128 {
            return Err("must be at most 128 characters long".into());
        }
        let lower = raw.to_lowercase();
        let email_local = email.and_then(|e| e.split('@').next());
        let personal = [username, email, email_local];
        if personal.into_iter().flatten().any(|p| p.len() >= 3 && p.to_lowercase() == lower) {
            return Err("must not be your username or email".into());
        }
        if COMMON_PASSWORDS.contains(lower.as_str()) {
            return Err("is too common; choose a less guessable password".into());
        }
        Ok(Self(SecretString::from(raw.to_string())))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

/// A satisfaction score, 1 to 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Score(i16);

impl Score {
    pub fn new(value: i64) -> Result<Self, String> {
        if (1..=5).contains(&value) { Ok(Self(value as i16)) } else { Err("must be a whole number from 1 to 5".into()) }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let value: i64 = match raw.parse() {
            Ok(v) => v,
            // "4.0" is a whole number written by a spreadsheet; "4.5" is not a score.
            Err(_) => match raw.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.is_finite() => f as i64,
                _ => return Err("must be a whole number from 1 to 5".into()),
            },
        };
        Self::new(value)
    }

    pub fn get(self) -> i16 {
        self.0
    }
}

/// A customer's name: trimmed, 1 to 200 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerName(String);

impl CustomerName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = bounded_text(raw, Self::MAX_CHARS)?;
        if name.is_empty() { Err("is required".into()) } else { Ok(Self(name)) }
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A review: trimmed, at most 5,000 characters, no control characters; may be empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review(String);

impl Review {
    pub const MAX_CHARS: usize = 5_000;

    pub fn parse(raw: &str) -> Result<Self, String> {
        bounded_text(raw, Self::MAX_CHARS).map(Self)
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Trimmed free text without control characters, at most `max` characters.
fn bounded_text(raw: &str, max: usize) -> Result<String, String> {
    let text = raw.trim();
    text::check_controls(text)?;
    if text.chars().count() > max { Err(format!("must be at most {max} characters")) } else { Ok(text.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["a@b.co", " Alice@Example.COM ", "first.last+tag@sub.example.org"] {
            assert!(Email::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Email::parse("Alice@Example.COM").unwrap().as_str(), "alice@example.com");
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a b@example.com",
            "a@example.",
            "a@@example.com",
            "\"a b\"@example.com",
            "a..b@example.com",
            ".a@example.com",
            "a\u{0}@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        for ok in ["abc", "Admin_1.x-y", &"a".repeat(32)] {
            assert!(Username::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", &"a".repeat(33), "has space", "émile", "semi;colon", ""] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(COMMON_PASSWORDS.len() >= 10_000, "the shipped list has {}", COMMON_PASSWORDS.len());
        assert!(Password::parse("tulip-orbit-42", Some("alice"), Some("alice@example.com")).is_ok());
        assert!(Password::parse(&"x".repeat(128), None, None).is_ok());
        let cases = [
            ("short", "at least 8"),
            (&"x".repeat(129) as &str, "at most 128"),
            ("password1", "too common"),
            ("Qwertyuiop", "too common"),
            ("alice_the_great", "username"),
            ("alice@example.com", "username or email"),
        ];
        for (pw, why) in cases {
            let err = Password::parse(pw, Some("alice_the_great"), Some("alice@example.com")).unwrap_err();
            assert!(err.contains(why), "{pw}: {err}");
        }
    }

    #[test]
    fn scores() {
        for (raw, want) in [
            ("1", Some(1)),
            (" 5 ", Some(5)),
            ("4.0", Some(4)),
            ("0", None),
            ("6", None),
            ("4.5", None),
            ("x", None),
            ("", None),
        ] {
            assert_eq!(Score::parse(raw).ok().map(Score::get), want, "{raw}");
        }
    }

    #[test]
    fn names_and_reviews_are_trimmed_and_bounded() {
        assert_eq!(CustomerName::parse("  Ada  ").unwrap().into_string(), "Ada");
        assert_eq!(CustomerName::parse("   ").unwrap_err(), "is required");
        assert!(CustomerName::parse(&"n".repeat(201)).is_err());
        assert!(CustomerName::parse(&"n".repeat(200)).is_ok());
        assert!(CustomerName::parse("Ada\u{0}").is_err());
        assert_eq!(Review::parse("  ").unwrap().into_string(), "");
        assert!(Review::parse(&"r".repeat(5_001)).is_err());
        assert!(Review::parse(&"r".repeat(5_000)).is_ok());
    }
}
