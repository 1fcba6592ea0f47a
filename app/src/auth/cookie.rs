//! Reading and writing the session cookie.

use super::{SESSION_COOKIE, SESSION_DAYS};

/// The value of cookie `name` in a `Cookie:` request header.
pub fn find(header: &str, name: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value for a new session: script cannot read it, and other sites cannot
/// send it along with their forms (SameSite=Lax).
pub fn session(token: &str, secure: bool) -> String {
    let max_age = SESSION_DAYS * 24 * 3600;
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The `Set-Cookie` value that marks this browser as one `user` logged in on (`value` comes
/// from `throttle::device_value`).
pub fn device(value: &str, secure: bool) -> String {
    let max_age = super::DEVICE_DAYS * 24 * 3600;
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}",
        super::DEVICE_COOKIE
    )
}

/// The one check for every redirect target taken from a request (`next` after login, and
/// the page the session gate sends a person back to after logging in): a path on this site
/// made only of plain URL characters, or nothing (the caller then goes to the home page).
///
/// A list of what is allowed rather than of what is not: browsers drop tabs and line breaks
/// before resolving (`/\t/evil.example` is `//evil.example`, another site), treat `\` as
/// `/`, and a control character cannot be put into a `Location` header at all. Anything else
/// a path may need arrives percent-encoded, which the browser does not decode when resolving.
pub fn safe_next(next: &str) -> Option<&str> {
    const MAX_LEN: usize = 2000;
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/?=&%+,:@!$*'();".contains(c);
    let ok = next.len() <= MAX_LEN
        && next.starts_with('/')
        && !next.starts_with("//")
        && next.chars().all(plain);
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_named_cookie_among_others() {
        let header = "a=1; rapport_session=abc; b=2";
        assert_eq!(find(header, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(find("rapport_session=", SESSION_COOKIE), None);
        assert_eq!(find("x=1", SESSION_COOKIE), None);
    }

    #[test]
    fn session_cookies_are_http_only_and_same_site() {
        let c = session("t", false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(session("t", true).ends_with("; Secure"));
        assert!(cleared(false).contains("Max-Age=0"));
    }

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(safe_next("/customers?q=a"), Some("/customers?q=a"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("/"), Some("/"));
        assert_eq!(
            safe_next("/customers%3Fq%3Da%20b?x=1&y=%2F"),
            Some("/customers%3Fq%3Da%20b?x=1&y=%2F")
        );
        for bad in [
            "",
            "customers",
            "/\t/evil.example/x",
            "/\r\n/evil.example",
            "/customers\u{7f}",
            "/customers\u{0}",
            "/ /evil.example",
            "/caf\u{e9}",
            "javascript:alert(1)",
            "/\\/evil.example",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(3000))), None);
    }
}
