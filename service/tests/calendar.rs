//! A technician's calendar link, on every backend this run covers: who may make one, what it
//! looks like, and which headers may say where it points.

mod common;

use common::*;
use service::calendar::{self, FEED_PREFIX};
use testdb::TestDb;

#[tokio::test]
async fn a_technician_makes_their_own_link_and_sees_when_it_was_made() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let p = people(&state.store).await;

        let office = calendar::new_link(&state, &p.office, "https://x").await;
        assert_eq!(office.unwrap_err().status(), 403, "technicians only");
        assert_eq!(calendar::link_made(&state, &p.sam).await.unwrap(), None);
        let link = calendar::new_link(&state, &p.sam, "https://rapport.example")
            .await
            .unwrap();
        let token = link
            .strip_prefix(&format!("https://rapport.example{FEED_PREFIX}"))
            .and_then(|rest| rest.strip_suffix(".ics"))
            .unwrap_or_else(|| panic!("{link}"));
        let owner = state
            .store
            .calendar_owner(&store::password::token_hash(token))
            .await
            .unwrap();
        assert_eq!(owner.map(|u| u.id), Some(p.sam.id), "{}", db.backend);
        let made = calendar::link_made(&state, &p.sam).await.unwrap();
        assert_eq!(made.as_deref(), Some("2026-03-10 12:00"), "{}", db.backend);
    }
}

#[tokio::test]
async fn forwarded_headers_say_where_the_link_points_only_behind_a_trusted_proxy() {
    let db = TestDb::sqlite();
    let mut state = state(&db).await;
    let headers = |name: &str| match name {
        "host" => Some("10.0.0.5:3000".to_string()),
        "x-forwarded-host" => Some("rapport.example, proxy.internal".to_string()),
        "x-forwarded-proto" => Some("https".to_string()),
        _ => None,
    };
    assert_eq!(calendar::origin(&state, headers), "http://10.0.0.5:3000");
    state.secure_cookies = true;
    assert_eq!(calendar::origin(&state, headers), "https://10.0.0.5:3000");
    state.secure_cookies = false;
    state.trusted_proxy = true;
    assert_eq!(calendar::origin(&state, headers), "https://rapport.example");
    assert_eq!(calendar::origin(&state, |_| None), "http://localhost");
}
