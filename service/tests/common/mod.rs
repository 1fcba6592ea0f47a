//! What the service tests share: a state on a fresh database at a fixed instant, and a few
//! records made straight in the store (the rules under test are the service's, not these).
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::{new_id, Customer, CustomerDraft, Role, UserSummary};
use service::{AppState, Clock};
use store::{DynStore, NewUser};
use testdb::TestDb;
use uuid::Uuid;

/// Noon on Tuesday 10 March 2026, UTC: the tests' "now".
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The state every adapter passes, on this database, with the clock stopped at `now()` and
/// the organisation in UTC.
pub async fn state(db: &TestDb) -> AppState {
    AppState {
        store: store::connect(&db.url).await.unwrap(),
        clock: Clock::fixed(now()),
        time_zone: chrono_tz::UTC,
        secure_cookies: false,
        trusted_proxy: false,
    }
}

/// The same state with the clock at another instant.
pub fn at(state: &AppState, instant: DateTime<Utc>) -> AppState {
    AppState {
        clock: Clock::fixed(instant),
        ..state.clone()
    }
}

pub async fn user(store: &DynStore, email: &str, role: Role) -> UserSummary {
    let new = NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        password_hash: "x".into(),
    };
    store.create_user(new, now()).await.unwrap()
}

/// A customer whose assigned technician is `technician`.
pub async fn customer(store: &DynStore, name: &str, technician: Option<Uuid>) -> Customer {
    let draft = CustomerDraft {
        name: name.into(),
        address: "1 Main St".into(),
        ..Default::default()
    };
    store
        .create_customer(new_id(), draft, technician, None, now())
        .await
        .unwrap()
}

/// The people most tests need: an admin, the office, Sam (who serves the customer) and Priya
/// (who does not).
pub struct People {
    pub admin: UserSummary,
    pub office: UserSummary,
    pub sam: UserSummary,
    pub priya: UserSummary,
}

pub async fn people(store: &DynStore) -> People {
    People {
        admin: user(store, "ada@x.test", Role::Admin).await,
        office: user(store, "olivia@x.test", Role::Office).await,
        sam: user(store, "sam@x.test", Role::Technician).await,
        priya: user(store, "priya@x.test", Role::Technician).await,
    }
}
