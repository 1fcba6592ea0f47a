//! The priority rules, called as every adapter calls them, on every backend this run covers.

mod common;

use chrono::Utc;
use common::{state, user};
use domain::{new_id, CustomerDraft, PriorityDraft, Role};
use service::priorities::{self, PriorityPatch};
use service::ServiceError;
use testdb::TestDb;

fn draft(text: &str) -> PriorityDraft {
    PriorityDraft {
        text: text.into(),
        pinned: false,
    }
}

#[tokio::test]
async fn who_may_add_change_and_retire_a_priority_and_what_they_are_told() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let office = user(store, "olivia@x.test", Role::Office).await;
        let sam = user(store, "sam@x.test", Role::Technician).await;
        let priya = user(store, "priya@x.test", Role::Technician).await;
        let customer_draft = CustomerDraft {
            name: "Dorothy's".into(),
            ..Default::default()
        };
        let dorothy = store
            .create_customer(new_id(), customer_draft, Some(sam.id), None, Utc::now())
            .await
            .unwrap();

        // Her technician may add one; another technician may not; nobody adds an empty one.
        let added = priorities::add(&state, &sam, dorothy.id, draft(" Same tech "))
            .await
            .unwrap();
        assert_eq!(added.text, "Same tech", "{}", db.backend);
        let refused = priorities::add(&state, &priya, dorothy.id, draft("x")).await;
        assert_eq!(refused.unwrap_err().status(), 403, "{}", db.backend);
        let empty = priorities::add(&state, &office, dorothy.id, draft("  ")).await;
        assert!(
            matches!(empty, Err(ServiceError::Invalid(_))),
            "{}",
            db.backend
        );
        let nobody = priorities::add(&state, &office, new_id(), draft("x")).await;
        assert_eq!(nobody.unwrap_err().status(), 404, "{}", db.backend);

        // A change keeps what it does not name.
        let pin = PriorityPatch {
            pinned: Some(true),
            ..Default::default()
        };
        let pinned = priorities::edit(&state, &office, added.id, pin)
            .await
            .unwrap();
        assert_eq!((pinned.text.as_str(), pinned.pinned), ("Same tech", true));
        let other = priorities::edit(&state, &priya, added.id, PriorityPatch::default()).await;
        assert_eq!(other.unwrap_err().status(), 403, "{}", db.backend);

        // Retired, it is history: neither changed nor retired again.
        priorities::retire(&state, &sam, added.id).await.unwrap();
        let again = priorities::retire(&state, &sam, added.id).await;
        assert_eq!(again.unwrap_err().status(), 404, "{}", db.backend);
        let edit = priorities::edit(&state, &office, added.id, PriorityPatch::default()).await;
        assert!(
            edit.unwrap_err().to_string().contains("retired"),
            "{}",
            db.backend
        );
        let shown = priorities::of_customer(&state, dorothy.id, false)
            .await
            .unwrap();
        assert!(shown.is_empty(), "{}", db.backend);
        let all = priorities::of_customer(&state, dorothy.id, true)
            .await
            .unwrap();
        assert_eq!(all.len(), 1, "{}", db.backend);
    }
}
