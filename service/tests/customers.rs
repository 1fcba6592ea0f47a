//! The customer rules, called as every adapter calls them, on every backend this run covers:
//! who lists and reads which customers, the customer page's read model, saving, settling a
//! phone's conflicting edit, and assigning technicians.

mod common;

use chrono::Duration;
use common::*;
use domain::sync::{Change, CustomerField, Decoded, EditCustomer, Mutation, Outcome};
use domain::{new_id, CustomerDraft, PriorityDraft};
use service::customers::{self, Keep};
use service::{priorities, ServiceError};
use testdb::TestDb;

fn draft(name: &str) -> CustomerDraft {
    CustomerDraft {
        name: name.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_technician_lists_and_reads_only_the_customers_they_serve() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        customer(store, "Green Fork Diner", Some(p.priya.id)).await;

        let names = |list: Vec<domain::CustomerSummary>| -> Vec<String> {
            list.into_iter().map(|c| c.name).collect()
        };
        let sams = customers::list(&state, &p.sam, "").await.unwrap();
        assert_eq!(names(sams), ["Dorothy's"], "{}", db.backend);
        let offices = customers::list(&state, &p.office, "").await.unwrap();
        assert_eq!(offices.len(), 2, "{}", db.backend);
        let found = customers::list(&state, &p.office, "fork").await.unwrap();
        assert_eq!(names(found), ["Green Fork Diner"], "{}", db.backend);

        let refused = customers::detail(&state, &p.priya, dorothy.id).await;
        assert_eq!(refused.unwrap_err().status(), 403, "{}", db.backend);
        let nobody = customers::detail(&state, &p.office, new_id()).await;
        assert_eq!(nobody.unwrap_err().status(), 404, "{}", db.backend);

        // Her technician reads her page, but managing it is the office's.
        let seen = customers::detail(&state, &p.sam, dorothy.id).await.unwrap();
        assert!(!seen.can_manage, "{}", db.backend);
        assert!(seen.technicians.is_empty(), "{}", db.backend);
        assert_eq!(seen.assigned_name.as_deref(), Some("sam"), "{}", db.backend);
        let managed = customers::detail(&state, &p.office, dorothy.id)
            .await
            .unwrap();
        assert!(managed.can_manage, "{}", db.backend);
        assert_eq!(
            managed.technicians.len(),
            2,
            "only technicians: {}",
            db.backend
        );
    }
}

#[tokio::test]
async fn the_customer_page_tells_what_happened_newest_first_and_the_admin_sees_every_change() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        let wish = PriorityDraft {
            text: "Same technician every time".into(),
            pinned: true,
        };
        priorities::add(&state, &p.sam, dorothy.id, wish)
            .await
            .unwrap();
        let later = at(&state, now() + Duration::hours(1));
        service::visits::add_one_off(&later, &p.office, dorothy.id, today(), None, None)
            .await
            .unwrap();

        let page = customers::detail(&state, &p.office, dorothy.id)
            .await
            .unwrap();
        assert_eq!(page.priorities.len(), 1, "{}", db.backend);
        assert_eq!(page.visits.len(), 1, "{}", db.backend);
        assert_eq!(page.visits[0].technician.as_deref(), Some("sam"));
        let kinds: Vec<&str> = page.timeline.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.contains(&"priority"), "{kinds:?} {}", db.backend);
        assert!(kinds.contains(&"visit"), "{kinds:?} {}", db.backend);
        assert!(
            page.timeline.windows(2).all(|w| w[0].at >= w[1].at),
            "newest first: {:?}",
            page.timeline
        );
        let priority = page.timeline.iter().find(|e| e.kind == "priority").unwrap();
        assert_eq!(priority.who, "sam", "{}", db.backend);
        assert_eq!(priority.when, "Tue 10 Mar 2026 12:00", "{}", db.backend);
        assert!(page.history.is_empty(), "office: {}", db.backend);
        assert_eq!(page.continuity, "No completed visits yet", "{}", db.backend);

        let admins = customers::detail(&state, &p.admin, dorothy.id)
            .await
            .unwrap();
        assert!(
            admins.history.iter().any(|e| e.kind == "priority"),
            "{:?} {}",
            admins.history,
            db.backend
        );
    }
}

#[tokio::test]
async fn only_the_office_saves_a_customer_and_never_over_a_newer_version() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;

        let refused = customers::save(&state, &p.sam, None, draft("Sam's own"), None).await;
        assert_eq!(refused.unwrap_err().status(), 403, "{}", db.backend);
        let unnamed = customers::save(&state, &p.office, None, draft("  "), None).await;
        assert!(
            matches!(unnamed, Err(ServiceError::Invalid(_))),
            "{}",
            db.backend
        );

        let made = customers::save(&state, &p.office, None, draft(" Dorothy's "), None)
            .await
            .unwrap();
        assert_eq!(made.name, "Dorothy's", "{}", db.backend);
        let renamed = draft("Dorothy's Gifts");
        let saved = customers::save(
            &state,
            &p.office,
            Some(made.id),
            renamed,
            Some(made.version),
        )
        .await
        .unwrap();
        assert_eq!(saved.name, "Dorothy's Gifts", "{}", db.backend);
        // A form filled from the first version does not overwrite the second.
        let stale = draft("Dorothy's Old Name");
        let stale =
            customers::save(&state, &p.office, Some(made.id), stale, Some(made.version)).await;
        assert_eq!(stale.unwrap_err().status(), 409, "{}", db.backend);
    }
}

#[tokio::test]
async fn a_phones_conflicting_edit_is_settled_by_the_office_either_way() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", Some(p.sam.id)).await;
        // The office changes her phone number while Sam's phone, on the old copy, does too.
        let mut office_edit = draft("Dorothy's");
        office_edit.address = dorothy.address.clone();
        office_edit.phone = "555 0100".into();
        customers::save(&state, &p.office, Some(dorothy.id), office_edit, None)
            .await
            .unwrap();
        let device = new_id();
        store
            .register_device(device, p.sam.id, "", now())
            .await
            .unwrap();
        let edit = Mutation {
            id: new_id(),
            seq: 1,
            made_at: now(),
            change: Change::EditCustomer(EditCustomer {
                customer_id: dorothy.id,
                field: CustomerField::Phone,
                value: "555 0199".into(),
                base_version: dorothy.version,
            }),
        };
        let pushed = store
            .apply_push(device, &p.sam, &[Decoded::Readable(edit)], now(), today())
            .await
            .unwrap();
        assert!(matches!(pushed[0], Outcome::Conflict { .. }), "{pushed:?}");
        let page = customers::detail(&state, &p.office, dorothy.id)
            .await
            .unwrap();
        assert_eq!(page.conflicts.len(), 1, "{}", db.backend);
        let conflict = page.conflicts[0].id;

        assert!(Keep::parse("mine")
            .unwrap_err()
            .to_string()
            .contains("\"current\""));
        let by_sam = customers::settle_conflict(&state, &p.sam, dorothy.id, conflict, Keep::Phone);
        assert_eq!(by_sam.await.unwrap_err().status(), 403, "{}", db.backend);
        customers::settle_conflict(
            &state,
            &p.office,
            dorothy.id,
            conflict,
            Keep::parse("phone").unwrap(),
        )
        .await
        .unwrap();
        let page = customers::detail(&state, &p.office, dorothy.id)
            .await
            .unwrap();
        assert!(page.conflicts.is_empty(), "{}", db.backend);
        assert_eq!(
            page.customer.phone, "555 0199",
            "the phone's value: {}",
            db.backend
        );
    }
}

#[tokio::test]
async fn technicians_are_assigned_by_the_office_two_different_active_people() {
    for db in TestDb::all().await {
        let state = state(&db).await;
        let store = &state.store;
        let p = people(store).await;
        let dorothy = customer(store, "Dorothy's", None).await;
        let assign = |who, assigned, backup| {
            customers::assign_technicians(&state, who, dorothy.id, assigned, backup)
        };

        let by_sam = assign(&p.sam, Some(p.sam.id), None).await;
        assert_eq!(by_sam.unwrap_err().status(), 403, "{}", db.backend);
        let twice = assign(&p.office, Some(p.sam.id), Some(p.sam.id)).await;
        assert_eq!(
            twice.unwrap_err().to_string(),
            "The backup must be someone other than the assigned technician.",
        );
        let not_a_technician = assign(&p.office, Some(p.office.id), None).await;
        assert_eq!(
            not_a_technician.unwrap_err().to_string(),
            "Choose one of the technicians."
        );
        store
            .set_user_disabled(p.priya.id, Some(now()))
            .await
            .unwrap();
        let gone = assign(&p.office, Some(p.sam.id), Some(p.priya.id)).await;
        assert!(
            matches!(gone, Err(ServiceError::Invalid(_))),
            "{}",
            db.backend
        );

        assign(&p.office, Some(p.sam.id), None).await.unwrap();
        let after = state.customer(dorothy.id).await.unwrap();
        assert_eq!(
            after.assigned_technician_id,
            Some(p.sam.id),
            "{}",
            db.backend
        );
        assert_eq!(after.backup_technician_id, None, "{}", db.backend);
    }
}
