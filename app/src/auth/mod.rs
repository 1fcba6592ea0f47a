//! Logging in and out, and creating the first admin account.

pub mod cookie;
mod pages;
mod server_fns;
#[cfg(feature = "ssr")]
mod ssr;
#[cfg(feature = "ssr")]
mod throttle;

pub use pages::{LoginPage, SetupPage};
pub use server_fns::*;

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "rapport_session";
/// How long a session lives: long enough for a phone to stay signed in through days offline.
pub const SESSION_DAYS: i64 = 30;
/// The cookie by which a browser that logged in before is known (`throttle`): a correct
/// password from it passes the login throttle, so strangers' failures cannot lock its owner out.
pub const DEVICE_COOKIE: &str = "rapport_device";
/// How long a browser stays known after its last login.
pub const DEVICE_DAYS: i64 = 365;

/// The address a request came from, put into the request by the server's session gate: the
/// connection's peer, or behind a configured proxy (`--trusted-proxy`) the address it passed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub std::net::IpAddr);

/// The longest name and email an account may have.
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_EMAIL_CHARS: usize = 200;

/// Checks a new admin's name and email (the setup page and the `create-admin` command) and
/// gives them as stored: trimmed, the email in lower case. The message says what to fix.
pub fn check_admin(name: &str, email: &str) -> Result<(String, String), String> {
    let name = name.trim().to_string();
    let email = email.trim().to_lowercase();
    if name.is_empty() || !email.contains('@') {
        return Err("Enter your name and a valid email.".into());
    }
    domain::text::check_text("The name", &name)?;
    domain::text::check_text("The email", &email)?;
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "The name is longer than {MAX_NAME_CHARS} characters; shorten it."
        ));
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(format!(
            "The email is longer than {MAX_EMAIL_CHARS} characters; use a shorter one."
        ));
    }
    Ok((name, email))
}

#[cfg(test)]
mod tests {
    use super::check_admin;

    #[test]
    fn an_admin_needs_a_name_and_an_email_of_plain_text() {
        assert_eq!(
            check_admin(" Ada ", " Ada@Example.com "),
            Ok(("Ada".into(), "ada@example.com".into()))
        );
        assert!(check_admin("", "a@b").is_err());
        assert!(check_admin("Ada", "nope").is_err());
        assert!(check_admin("A\0da", "a@b").unwrap_err().contains("NUL"));
        assert!(check_admin("Ada", "a\u{1b}@b")
            .unwrap_err()
            .contains("escape"));
        assert!(check_admin(&"x".repeat(201), "a@b").is_err());
        assert!(check_admin("Ada", &format!("{}@b", "x".repeat(199))).is_err());
        assert!(check_admin(&"x".repeat(200), "a@b").is_ok());
    }
}
