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
