use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// What a user may do. Technicians serve their own customers; office staff run the schedule;
/// admins also manage users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Technician,
    Office,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Technician, Role::Office, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Technician => "technician",
            Role::Office => "office",
            Role::Admin => "admin",
        }
    }

    /// Office and admin users see every customer; technicians only those they serve.
    pub fn sees_all_customers(self) -> bool {
        matches!(self, Role::Office | Role::Admin)
    }

    /// Where a user lands after logging in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Technician => "/today",
            Role::Office | Role::Admin => "/customers",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?}: expected technician, office or admin"))
    }
}

/// A user as the UI shows them: never carries the password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn only_office_and_admin_see_every_customer() {
        assert!(!Role::Technician.sees_all_customers());
        assert!(Role::Office.sees_all_customers());
        assert!(Role::Admin.sees_all_customers());
    }
}

/// How long a session lives: long enough for a phone to stay signed in through days offline.
pub const SESSION_DAYS: i64 = 30;
/// How long a browser stays known (to the login throttle) after its last login.
pub const DEVICE_DAYS: i64 = 365;

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
    crate::text::check_text("The name", &name)?;
    crate::text::check_text("The email", &email)?;
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
mod admin_tests {
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
