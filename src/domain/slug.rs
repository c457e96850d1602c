//! Workspace names and slugs: a name is 1–80 characters; a slug 3–48 of `[a-z0-9-]`.

use crate::domain::text::{check_controls, fold};

pub const MAX_NAME_CHARS: usize = 80;

pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    check_controls(name)?;
    match name.chars().count() {
        0 => Err("is required".into()),
        n if n > MAX_NAME_CHARS => Err(format!("must be at most {MAX_NAME_CHARS} characters")),
        _ => Ok(name.to_string()),
    }
}

pub const MAX_SLUG_CHARS: usize = 48;

pub fn parse_slug(raw: &str) -> Result<String, String> {
    let slug = raw.trim();
    if !(3..=MAX_SLUG_CHARS).contains(&slug.len()) {
        return Err(format!("must be 3 to {MAX_SLUG_CHARS} characters long"));
    }
    if !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err("may contain only lowercase letters, digits and '-'".into());
    }
    Ok(slug.to_string())
}

/// A slug for a name: folded to ASCII letters and digits where it can be, other runs of
/// characters as one `-`, at most 40 characters (room for a `-N` suffix), at least 3.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_matches('-').chars().take(40).collect();
    slug = slug.trim_end_matches('-').to_string();
    while slug.len() < 3 {
        slug.push_str(if slug.is_empty() { "workspace" } else { "-ws" });
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_names() {
        for (name, want) in [
            ("Default", "default"),
            ("alice's workspace", "alice-s-workspace"),
            ("Café Ölaf  & Sons!", "cafe-olaf-sons"),
            ("東京", "workspace"),
            ("a", "a-ws"),
            (&"x".repeat(100), &"x".repeat(40)),
        ] {
            assert_eq!(slug_of(name), want, "{name}");
            assert!(parse_slug(&slug_of(name)).is_ok(), "{name}");
        }
    }

    #[test]
    fn names_and_slugs_are_checked() {
        assert!(parse_name("  ").is_err());
        assert!(parse_name(&"n".repeat(81)).is_err());
        assert_eq!(parse_name(" Shop "), Ok("Shop".into()));
        for bad in ["ab", "Has-Upper", "under_score", &"a".repeat(49)] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
        assert!(parse_slug("my-shop-2").is_ok());
    }
}
