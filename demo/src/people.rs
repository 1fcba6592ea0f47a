//! The staff: an office user, an admin, three technicians, and one technician who has left.

use crate::DEMO_PASSWORD;
use chrono::{DateTime, Duration, Utc};
use domain::{Role, UserSummary};
use store::password::hash_password;
use store::{NewUser, Store, StoreResult};

/// The demo accounts, as printed at start-up.
pub const DEMO_USERS: [(&str, &str, Role); 5] = [
    ("Olivia Grant", "office@rapport.example", Role::Office),
    ("Avery Admin", "admin@rapport.example", Role::Admin),
    ("Sam Ortiz", "sam@rapport.example", Role::Technician),
    ("Priya Nair", "priya@rapport.example", Role::Technician),
    ("Jake Turner", "jake@rapport.example", Role::Technician),
];

/// A technician who has left: their name stays on Dorothy's history, they can no longer log in.
pub const FORMER_TECHNICIAN: (&str, &str) = ("Chris Walker", "chris@rapport.example");

pub(crate) async fn seed_users(
    store: &dyn Store,
    now: DateTime<Utc>,
) -> StoreResult<Vec<UserSummary>> {
    let mut users = Vec::new();
    for (name, email, role) in DEMO_USERS {
        let password_hash = hash_password(DEMO_PASSWORD);
        let user = NewUser {
            email: email.into(),
            name: name.into(),
            role,
            password_hash,
        };
        users.push(store.create_user(user, now).await?);
    }
    Ok(users)
}

/// The technician who has left, as they were when they joined over a year ago; `seed`
/// disables them once their visits are in.
pub(crate) async fn seed_former(store: &dyn Store, now: DateTime<Utc>) -> StoreResult<UserSummary> {
    store
        .create_user(
            NewUser {
                email: FORMER_TECHNICIAN.1.into(),
                name: FORMER_TECHNICIAN.0.into(),
                role: Role::Technician,
                password_hash: hash_password(DEMO_PASSWORD),
            },
            now - Duration::days(400),
        )
        .await
}
