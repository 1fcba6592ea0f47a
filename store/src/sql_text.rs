//! Small text helpers for the SQL the two backends share.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Escapes a search term for `LIKE ... ESCAPE '\'` and wraps it in wildcards.
pub fn like_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Rewrites SQLite placeholders for PostgreSQL: `?N` becomes `$N`, and a bare `?` takes the
/// next number after the largest seen so far (SQLite's own rule). Quoted text is left alone.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let (mut highest, mut quoted) = (0u32, false);
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
            continue;
        }
        if c != '?' || quoted {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let n = if digits.is_empty() {
            highest + 1
        } else {
            digits.parse().unwrap_or(highest + 1)
        };
        highest = highest.max(n);
        out.push('$');
        out.push_str(&n.to_string());
    }
    out
}

/// [`to_postgres`], converted once per distinct statement and kept for the life of the
/// process. The statements are the store's own (a fixed, small set), so this stays bounded;
/// it gives the `&'static str` sqlx wants without converting on every query.
pub fn postgres_cached(sql: &str) -> &'static str {
    static CACHE: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(converted) = cache.get(sql) {
        return converted;
    }
    let converted: &'static str = Box::leak(to_postgres(sql).into_boxed_str());
    cache.insert(sql.to_string(), converted);
    converted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_like_sqlite_numbers_them() {
        let cases = [
            ("SELECT 1", "SELECT 1"),
            ("a = ? AND b = ?", "a = $1 AND b = $2"),
            ("a = ?2 OR b = ?1 OR c = ?2", "a = $2 OR b = $1 OR c = $2"),
            ("x = ?3 AND y = ?", "x = $3 AND y = $4"),
            ("v = '?' AND w = ?", "v = '?' AND w = $1"),
            (
                "LIKE ?2 ESCAPE '\\' OR p = ?",
                "LIKE $2 ESCAPE '\\' OR p = $3",
            ),
        ];
        for (sqlite, postgres) in cases {
            assert_eq!(to_postgres(sqlite), postgres, "{sqlite}");
        }
        assert!(std::ptr::eq(
            postgres_cached("a = ?"),
            postgres_cached("a = ?")
        ));
    }

    #[test]
    fn search_terms_match_literally() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
