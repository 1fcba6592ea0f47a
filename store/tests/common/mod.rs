//! What every store test file needs: a fresh store per test and a few records to work with.
#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use domain::{new_id, CustomerDraft, Role};
use store::{DynStore, NewUser};
use testdb::TestDb;

pub struct TestStore {
    pub store: DynStore,
    pub db: TestDb,
}

pub async fn open(db: TestDb) -> TestStore {
    TestStore {
        store: store::connect(&db.url).await.unwrap(),
        db,
    }
}

pub async fn sqlite_store() -> TestStore {
    open(TestDb::sqlite()).await
}

/// A fresh store on every backend this run covers: SQLite, and PostgreSQL when
/// `TEST_DATABASE_URL` is set. Tests run their body once per store.
pub async fn stores() -> Vec<TestStore> {
    let mut stores = vec![];
    for db in TestDb::all().await {
        stores.push(open(db).await);
    }
    stores
}

pub fn at(day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 12, 0, 0).unwrap()
}

pub async fn user(store: &DynStore, email: &str, role: Role) -> domain::UserSummary {
    let new = NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        password_hash: "x".into(),
    };
    store.create_user(new, at(1)).await.unwrap()
}

pub async fn customer(store: &DynStore, name: &str, tech: Option<uuid::Uuid>) -> domain::Customer {
    let draft = CustomerDraft {
        name: name.into(),
        address: "1 Main St".into(),
        ..Default::default()
    };
    store
        .create_customer(new_id(), draft, tech, None, at(1))
        .await
        .unwrap()
}
