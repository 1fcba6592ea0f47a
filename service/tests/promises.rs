//! The promise rules, called as every adapter calls them, on every backend this run covers:
//! who makes, keeps and drops promises, calls that ask for a callback, the cutoff, and the
//! ledger as each person sees it.

mod common;

use chrono::{Duration, NaiveTime, TimeZone, Utc};
use common::*;
use domain::{PromiseOrigin, PromiseStatus};
use service::promises::{self, Outcome, PromiseInput};
use service::ServiceError;
use testdb::TestDb;
use uuid::Uuid;

fn promise(customer_id: Uuid, text: &str, owner: Option<Uuid>) -> PromiseInput {
    PromiseInput {
        customer_id,
        text: text.into(),
        due_on: today(),
        due_time: None,
        owner,
    }
}

#[tokio::test]
async fn who_may_make_a_promise_and_for_whom() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;

        // Her technician makes one for himself, from a visit; not one for someone else.
        let sams = promises::add(
            &state,
            &p.sam,
            promise(dorothy.id, " Bring the part ", None),
        )
        .await
        .unwrap();
        assert_eq!(sams.text, "Bring the part", "{}", db.backend);
        assert_eq!(
            (sams.owner_id, sams.origin),
            (p.sam.id, PromiseOrigin::Visit)
        );
        let for_priya = promise(dorothy.id, "x", Some(p.priya.id));
        let refused = promises::add(&state, &p.sam, for_priya).await;
        assert_eq!(refused.unwrap_err().status(), 403, "{}", db.backend);
        let stranger = promises::add(&state, &p.priya, promise(dorothy.id, "x", None)).await;
        assert_eq!(stranger.unwrap_err().status(), 403, "{}", db.backend);

        // The office gives one to anyone who works here now, due today or later.
        let office = promises::add(
            &state,
            &p.office,
            promise(dorothy.id, "Call", Some(p.sam.id)),
        )
        .await
        .unwrap();
        assert_eq!(office.origin, PromiseOrigin::Office, "{}", db.backend);
        let mut past = promise(dorothy.id, "Late", None);
        past.due_on = today() - Duration::days(1);
        let past = promises::add(&state, &p.office, past).await;
        assert!(past.unwrap_err().to_string().contains("in the past"));
        store
            .set_user_disabled(p.priya.id, Some(now()))
            .await
            .unwrap();
        let gone = promises::add(
            &state,
            &p.office,
            promise(dorothy.id, "x", Some(p.priya.id)),
        );
        assert!(gone
            .await
            .unwrap_err()
            .to_string()
            .contains("work here now"));
        let empty = promises::add(&state, &p.office, promise(dorothy.id, "  ", None)).await;
        assert!(
            matches!(empty, Err(ServiceError::Invalid(_))),
            "{}",
            db.backend
        );
    }
}

#[tokio::test]
async fn anyone_serving_the_customer_keeps_a_promise_but_only_its_owner_or_the_office_drops_it() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        // Priya backs Sam up, so she serves Dorothy too.
        store
            .set_technicians(dorothy.id, Some(p.sam.id), Some(p.priya.id), None, now())
            .await
            .unwrap();
        let made = |text: &'static str| {
            promises::add(&state, &p.office, promise(dorothy.id, text, Some(p.sam.id)))
        };
        let (first, second) = (made("First").await.unwrap(), made("Second").await.unwrap());

        assert!(Outcome::parse("done", "")
            .unwrap_err()
            .to_string()
            .contains("kept or dropped"));
        let dropped = Outcome::Dropped("Customer changed their mind".into());
        let by_priya = promises::close(&state, &p.priya, first.id, dropped.clone()).await;
        assert_eq!(
            by_priya.unwrap_err().to_string(),
            "Only the promise's owner or the office can drop it."
        );
        let no_reason = promises::close(&state, &p.sam, first.id, Outcome::Dropped(" ".into()));
        assert!(matches!(no_reason.await, Err(ServiceError::Invalid(_))));
        let kept = promises::close(&state, &p.priya, first.id, Outcome::Kept)
            .await
            .unwrap();
        assert_eq!(kept.status, PromiseStatus::Kept, "{}", db.backend);
        let closed = promises::close(&state, &p.sam, second.id, dropped)
            .await
            .unwrap();
        assert_eq!(closed.status, PromiseStatus::Dropped, "{}", db.backend);
        assert_eq!(
            closed.drop_reason.as_deref(),
            Some("Customer changed their mind")
        );
        let nobody = promises::close(&state, &p.sam, domain::new_id(), Outcome::Kept).await;
        assert_eq!(nobody.unwrap_err().status(), 404, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_call_asking_for_a_callback_is_due_by_the_cutoff_the_admin_sets() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;

        let four = NaiveTime::from_hms_opt(16, 0, 0).unwrap();
        let by_office = promises::set_callback_cutoff(&state, &p.office, four).await;
        assert_eq!(by_office.unwrap_err().status(), 403, "{}", db.backend);
        assert!(promises::parse_cutoff(" ")
            .unwrap_err()
            .to_string()
            .contains("HH:MM"));
        promises::set_callback_cutoff(&state, &p.admin, promises::parse_cutoff("16:00").unwrap())
            .await
            .unwrap();
        assert_eq!(promises::callback_cutoff(&state).await.unwrap(), four);

        let by_sam = promises::log_call(&state, &p.sam, dorothy.id, "Asked", true).await;
        assert_eq!(by_sam.unwrap_err().status(), 403, "the office logs calls");
        let empty = promises::log_call(&state, &p.office, dorothy.id, " ", true).await;
        assert!(
            matches!(empty, Err(ServiceError::Invalid(_))),
            "{}",
            db.backend
        );
        promises::log_call(&state, &p.office, dorothy.id, "Wants a quote", true)
            .await
            .unwrap();
        let ledger = promises::customer_ledger(&state, &p.office, dorothy.id)
            .await
            .unwrap();
        let callback = &ledger.rows[0].promise;
        assert_eq!(
            callback.text, "Call Dorothy's back: Wants a quote",
            "{}",
            db.backend
        );
        assert_eq!(callback.origin, PromiseOrigin::Call, "{}", db.backend);
        assert_eq!((callback.due_on, callback.due_time), (today(), Some(four)));
    }
}

#[tokio::test]
async fn the_ledger_shows_a_technician_their_own_and_the_office_everyones_overdue_first() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        let mut by_nine = promise(dorothy.id, "Ring at nine", Some(p.sam.id));
        by_nine.due_time = Some(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        // Made early in the morning, so it could still be kept then.
        let morning = at(&state, Utc.with_ymd_and_hms(2026, 3, 10, 7, 0, 0).unwrap());
        promises::add(&morning, &p.office, by_nine).await.unwrap();
        let mut next_week = promise(dorothy.id, "Bring the part", Some(p.office.id));
        next_week.due_on = today() + Duration::days(7);
        promises::add(&state, &p.office, next_week).await.unwrap();

        // At noon, Sam's nine o'clock promise is overdue.
        assert_eq!(promises::overdue_count(&state, &p.sam).await.unwrap(), 1);
        assert_eq!(promises::overdue_count(&state, &p.office).await.unwrap(), 1);
        assert_eq!(promises::overdue_count(&state, &p.priya).await.unwrap(), 0);
        let office = promises::ledger(&state, &p.office).await.unwrap();
        assert_eq!(office.overdue.len(), 1, "{}", db.backend);
        assert_eq!(office.overdue[0].owner_name, "sam", "{}", db.backend);
        assert_eq!(
            office.overdue[0].customer_name, "Dorothy's",
            "{}",
            db.backend
        );
        assert_eq!(office.upcoming.len(), 1, "{}", db.backend);
        assert_eq!(
            office.callback_cutoff, "17:00",
            "the default: {}",
            db.backend
        );
        assert!(!office.is_admin, "{}", db.backend);
        let sams = promises::ledger(&state, &p.sam).await.unwrap();
        assert_eq!(
            (sams.overdue.len(), sams.upcoming.len()),
            (1, 0),
            "{}",
            db.backend
        );

        // On her page: a technician may give a promise only to himself.
        let page = promises::customer_ledger(&state, &p.sam, dorothy.id)
            .await
            .unwrap();
        assert_eq!(page.rows.len(), 2, "{}", db.backend);
        let owners: Vec<Uuid> = page.owners.iter().map(|u| u.id).collect();
        assert_eq!(owners, [p.sam.id], "{}", db.backend);
        let stranger = promises::customer_ledger(&state, &p.priya, dorothy.id).await;
        assert_eq!(stranger.unwrap_err().status(), 403, "{}", db.backend);
    }
}
