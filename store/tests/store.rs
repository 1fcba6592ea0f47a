//! Store tests, written against the `Store` interface so every backend runs the same ones.
//! Each test gets its own temporary SQLite file.

mod common;

use chrono::{Duration, NaiveDate};
use common::{at, customer, stores, user};
use domain::{new_id, CustomerDraft, PriorityDraft, Role, VisitStatus};
use store::{CustomerFilter, NewPriority, NewSession, NewUser, NewVisit, StoreError};

#[tokio::test]
async fn a_new_database_is_created_and_migrated_on_first_open() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        assert_eq!(t.store.user_count().await.unwrap(), 0);
        // Opening the same database again runs no migration twice.
        let again = store::connect(&t.db.url).await.unwrap();
        assert_eq!(again.user_count().await.unwrap(), 0);
    }
}

#[tokio::test]
async fn emails_are_unique_whatever_their_case() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        user(&t.store, "Sam@Example.com", Role::Technician).await;
        let dup = NewUser {
            email: "sam@example.com".into(),
            name: "Other".into(),
            role: Role::Office,
            password_hash: "x".into(),
        };
        let err = t.store.create_user(dup, at(2)).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(m) if m.contains("already exists")));
        let (found, _) = t
            .store
            .find_login("SAM@example.com ")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.role, Role::Technician);
    }
}

#[tokio::test]
async fn sessions_end_when_revoked_or_expired() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let u = user(&t.store, "o@example.com", Role::Office).await;
        for (hash, expires) in [("live", at(10)), ("old", at(3))] {
            let session = NewSession {
                token_hash: hash.into(),
                user_id: u.id,
                user_agent: "test".into(),
                expires_at: expires,
            };
            t.store.create_session(session, at(2)).await.unwrap();
        }
        let now = at(5);
        assert_eq!(
            t.store.session_user("live", now).await.unwrap().unwrap().id,
            u.id
        );
        assert!(
            t.store.session_user("old", now).await.unwrap().is_none(),
            "expired"
        );
        assert!(
            t.store.session_user("nope", now).await.unwrap().is_none(),
            "unknown"
        );
        t.store.revoke_session("live", now).await.unwrap();
        assert!(
            t.store.session_user("live", now).await.unwrap().is_none(),
            "revoked"
        );
    }
}

#[tokio::test]
async fn login_failures_are_counted_per_email_within_a_window() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        for day in [1, 5, 6] {
            t.store
                .record_login_failure("a@example.com", at(day))
                .await
                .unwrap();
        }
        t.store
            .record_login_failure("b@example.com", at(6))
            .await
            .unwrap();
        assert_eq!(
            t.store
                .login_failures_since("A@example.com", at(4))
                .await
                .unwrap(),
            2
        );
        t.store.clear_login_failures("a@example.com").await.unwrap();
        assert_eq!(
            t.store
                .login_failures_since("a@example.com", at(1))
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            t.store
                .login_failures_since("b@example.com", at(1))
                .await
                .unwrap(),
            1
        );
    }
}

#[tokio::test]
async fn customer_search_matches_name_address_and_phone_and_escapes_wildcards() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        customer(&t.store, "Dorothy's Gift Shop", None).await;
        customer(&t.store, "Hillside Bakery", None).await;
        customer(&t.store, "100% Clean", None).await;
        let search = |s: &str| CustomerFilter {
            search: s.into(),
            ..Default::default()
        };
        let names =
            |v: Vec<domain::CustomerSummary>| v.into_iter().map(|c| c.name).collect::<Vec<_>>();
        assert_eq!(
            names(t.store.list_customers(&search("gift")).await.unwrap()),
            ["Dorothy's Gift Shop"]
        );
        assert_eq!(
            names(t.store.list_customers(&search("%")).await.unwrap()),
            ["100% Clean"]
        );
        assert_eq!(t.store.list_customers(&search("")).await.unwrap().len(), 3);
        assert_eq!(
            t.store
                .list_customers(&search("main st"))
                .await
                .unwrap()
                .len(),
            3
        );
    }
}

#[tokio::test]
async fn every_write_stamps_a_new_version() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let c1 = customer(&t.store, "A", None).await;
        let draft = CustomerDraft {
            name: "A2".into(),
            ..Default::default()
        };
        let c2 = t
            .store
            .update_customer(c1.id, draft, None, None, at(3))
            .await
            .unwrap();
        assert!(c2.version > c1.version);
        assert_eq!(c2.name, "A2");
        let missing = t
            .store
            .update_customer(new_id(), CustomerDraft::default(), None, None, at(3))
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound(_))));
    }
}

#[tokio::test]
async fn priorities_are_added_edited_and_retired_with_who_heard_them() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let office = user(&t.store, "office@example.com", Role::Office).await;
        let c = customer(&t.store, "Dorothy's Gift Shop", None).await;
        let add = |text: &str, pinned: bool, day: u32| NewPriority {
            id: new_id(),
            customer_id: c.id,
            draft: PriorityDraft {
                text: text.into(),
                pinned,
            },
            heard_by_id: office.id,
            heard_role: Role::Office,
            heard_at: at(day),
        };
        let same = t
            .store
            .add_priority(add("Same technician every time", true, 2))
            .await
            .unwrap();
        let day = t
            .store
            .add_priority(add("Day does not matter", false, 3))
            .await
            .unwrap();
        assert_eq!(same.heard_by_name, "office");
        assert_eq!(same.heard_role, Role::Office);

        let edited = t
            .store
            .edit_priority(
                day.id,
                PriorityDraft {
                    text: "Any day is fine".into(),
                    pinned: false,
                },
                office.id,
                at(4),
            )
            .await
            .unwrap();
        assert_eq!(edited.text, "Any day is fine");
        assert!(edited.version > day.version);

        t.store
            .retire_priority(same.id, office.id, at(5))
            .await
            .unwrap();
        let again = t.store.retire_priority(same.id, office.id, at(6)).await;
        assert!(
            matches!(again, Err(StoreError::NotFound(_))),
            "retiring twice is refused"
        );

        let shown = domain::priority::for_display(t.store.priorities_of(&[c.id]).await.unwrap());
        let texts: Vec<_> = shown.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["Any day is fine"]);
    }
}

#[tokio::test]
async fn a_technicians_day_lists_only_their_visits_on_that_day_in_order() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let sam = user(&t.store, "sam@example.com", Role::Technician).await;
        let priya = user(&t.store, "priya@example.com", Role::Technician).await;
        let a = customer(&t.store, "A", Some(sam.id)).await;
        let b = customer(&t.store, "B", None).await;
        let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let visit = |customer_id, tech, date, position| NewVisit {
            id: new_id(),
            customer_id,
            technician_id: Some(tech),
            scheduled_on: date,
            window_start: None,
            window_end: None,
            position,
            status: VisitStatus::Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
            plan: None,
            created_by: None,
        };
        t.store
            .create_visit(visit(b.id, sam.id, day, 2), at(1))
            .await
            .unwrap();
        t.store
            .create_visit(visit(a.id, sam.id, day, 1), at(1))
            .await
            .unwrap();
        t.store
            .create_visit(visit(a.id, sam.id, day + Duration::days(1), 0), at(1))
            .await
            .unwrap();
        t.store
            .create_visit(visit(a.id, priya.id, day, 0), at(1))
            .await
            .unwrap();

        let route = t.store.technician_day(sam.id, day).await.unwrap();
        let order: Vec<_> = route.iter().map(|v| v.customer_id).collect();
        assert_eq!(order, [a.id, b.id]);

        // Sam serves B only through a visit; Priya serves A through hers, not B.
        assert!(t.store.technician_serves(sam.id, b.id, day).await.unwrap());
        assert!(t
            .store
            .technician_serves(priya.id, a.id, day)
            .await
            .unwrap());
        assert!(!t
            .store
            .technician_serves(priya.id, b.id, day)
            .await
            .unwrap());
        let served = CustomerFilter {
            served_by: Some((priya.id, day)),
            ..Default::default()
        };
        assert_eq!(t.store.list_customers(&served).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn the_demo_has_dorothy_and_a_route_for_every_technician_today() {
    for t in stores().await {
        eprintln!("backend: {}", t.db.backend);
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        demo::seed(t.store.as_ref(), today, at(10)).await.unwrap();

        let all = t
            .store
            .list_customers(&CustomerFilter::default())
            .await
            .unwrap();
        assert!(all.len() >= 40, "{} customers", all.len());
        let dorothy = all.iter().find(|c| c.name == demo::DOROTHY).unwrap();
        assert_eq!(dorothy.top_priority.as_deref(), Some(demo::SAME_TECHNICIAN));

        let techs = t.store.list_users(Some(Role::Technician)).await.unwrap();
        assert_eq!(techs.len(), 3);
        for tech in techs {
            let route = t.store.technician_day(tech.id, today).await.unwrap();
            assert_eq!(
                route.len(),
                5,
                "{} has {} stops today",
                tech.name,
                route.len()
            );
        }
        let (office, hash) = t
            .store
            .find_login("office@rapport.example")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(office.role, Role::Office);
        assert!(store::password::verify_password(demo::DEMO_PASSWORD, &hash));
    }
}
