//! What every store test file needs: a fresh store per test and a few records to work with.
#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use domain::{new_id, CustomerDraft, Role};
use store::{DynStore, NewUser};

pub struct TestStore {
    pub store: DynStore,
    pub _dir: tempfile::TempDir,
}

pub async fn sqlite_store() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    TestStore {
        store: store::connect(&url).await.unwrap(),
        _dir: dir,
    }
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
