//! The office's day board, continuity guard and promise ledger, over HTTP as the pages call
//! them.

use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::{PromiseOrigin, PromiseStatus, Role};
use store::PromiseFilter;
use uuid::Uuid;

struct Demo {
    dorothy: Uuid,
    visit_today: Uuid,
    priya: Uuid,
    office: Uuid,
}

async fn demo(app: &TestApp) -> Demo {
    let customers = app
        .store
        .list_customers(&store::CustomerFilter {
            search: "Dorothy".into(),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    let dorothy = customers[0].id;
    let today = Utc::now().date_naive();
    let visit_today = app
        .store
        .customer_visits(dorothy, today, today)
        .await
        .unwrap()[0]
        .id;
    let users = app.store.list_users(None).await.unwrap();
    let id = |email: &str| users.iter().find(|u| u.email == email).unwrap().id;
    Demo {
        dorothy,
        visit_today,
        priya: id(PRIYA),
        office: id(OFFICE),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sending_someone_new_is_stopped_until_a_reason_is_given_and_makes_a_promise() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let d = demo(&app).await;
        let office = app.login_as(OFFICE).await;
        let today = Utc::now().date_naive().to_string();
        let (visit, priya) = (d.visit_today.to_string(), d.priya.to_string());

        let check = app
            .call(
                &office,
                "board/check",
                &[
                    ("visit_id", &visit),
                    ("technician", &priya),
                    ("date", &today),
                ],
            )
            .await;
        let check = json(check, 200).await;
        assert_eq!(check["is_break"], true);
        assert_eq!(check["assigned_name"], "Sam Ortiz");
        assert_eq!(check["priorities"][0]["text"], demo::SAME_TECHNICIAN);

        // Without a reason nothing moves, and the message says what to do.
        let refused = app
            .call(
                &office,
                "board/move",
                &[
                    ("visit_id", &visit),
                    ("technician", &priya),
                    ("date", &today),
                ],
            )
            .await;
        let body = json(refused, 422).await;
        assert!(
            message(&body).contains("is Sam Ortiz's customer. Choose why"),
            "{body}"
        );
        let unchanged = app.store.get_visit(d.visit_today).await.unwrap().unwrap();
        assert_ne!(unchanged.technician_id, Some(d.priya));

        // "Other" needs words.
        let refused = app
            .call(
                &office,
                "board/move",
                &[
                    ("visit_id", &visit),
                    ("technician", &priya),
                    ("date", &today),
                    ("reason", "other"),
                ],
            )
            .await;
        assert_eq!(refused.status().as_u16(), 422);

        let moved = app
            .call(
                &office,
                "board/move",
                &[
                    ("visit_id", &visit),
                    ("technician", &priya),
                    ("date", &today),
                    ("reason", "sick"),
                ],
            )
            .await;
        assert_eq!(
            moved.status().as_u16(),
            200,
            "{}",
            moved.text().await.unwrap()
        );
        let after = app.store.get_visit(d.visit_today).await.unwrap().unwrap();
        assert_eq!(after.technician_id, Some(d.priya));

        let promises = app
            .store
            .promises(&PromiseFilter {
                customer_id: Some(d.dorothy),
                status: Some(PromiseStatus::Open),
                ..Default::default()
            })
            .await
            .unwrap();
        let tell: Vec<_> = promises
            .iter()
            .filter(|p| p.visit_id == Some(d.visit_today))
            .collect();
        assert_eq!(tell.len(), 1);
        assert_eq!(tell[0].origin, PromiseOrigin::ContinuityBreak);
        assert_eq!(tell[0].owner_id, d.office);
        assert_eq!(
            tell[0].due_on.to_string(),
            today,
            "the visit is today: tell her today"
        );
        assert!(tell[0]
            .text
            .starts_with("Tell Dorothy's Gift Shop who is coming: Priya Nair"));

        // Moving it back to Sam is no break: no reason asked, no promise made.
        let sam = app
            .store
            .list_users(Some(Role::Technician))
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == SAM)
            .unwrap();
        let back = app
            .call(
                &office,
                "board/move",
                &[
                    ("visit_id", &visit),
                    ("technician", &sam.id.to_string()),
                    ("date", &today),
                ],
            )
            .await;
        assert_eq!(back.status().as_u16(), 200);
        let breaks = app.store.continuity_breaks(d.dorothy).await.unwrap();
        assert_eq!(
            breaks
                .iter()
                .filter(|b| b.visit_id == d.visit_today)
                .count(),
            1
        );

        // Sam serves Dorothy and may keep promises to her, but not drop the office's.
        let sam_client = app.login_as(SAM).await;
        let promise = tell[0].id.to_string();
        let drop = app
            .call(
                &sam_client,
                "promises/close",
                &[
                    ("id", &promise),
                    ("outcome", "dropped"),
                    ("reason", "not mine"),
                ],
            )
            .await;
        let body = json(drop, 403).await;
        assert_eq!(
            message(&body),
            "Only the promise's owner or the office can drop it."
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn technicians_cannot_use_the_board() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let d = demo(&app).await;
        let sam = app.login_as(SAM).await;
        let today = Utc::now().date_naive().to_string();
        for (endpoint, form) in [
            ("board/day", vec![("date", today.clone())]),
            (
                "board/move",
                vec![
                    ("visit_id", d.visit_today.to_string()),
                    ("technician", d.priya.to_string()),
                    ("date", today.clone()),
                    ("reason", "sick".to_string()),
                ],
            ),
        ] {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call(&sam, endpoint, &form).await;
            assert_eq!(res.status().as_u16(), 403, "{endpoint}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_shows_each_technicians_day_and_what_the_phones_reported() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let yesterday = (Utc::now().date_naive() - Duration::days(1)).to_string();
        let board = json(
            app.call(&office, "board/day", &[("date", &yesterday)])
                .await,
            200,
        )
        .await;
        let lanes = board["lanes"].as_array().unwrap();
        let names: Vec<&str> = lanes.iter().map(|l| l["name"].as_str().unwrap()).collect();
        assert_eq!(&names[..3], ["Jake Turner", "Priya Nair", "Sam Ortiz"]);
        assert_eq!(names.last(), Some(&"Unassigned"));
        // Yesterday's visits were worked: their synced times are on the board.
        let done: Vec<&serde_json::Value> = lanes
            .iter()
            .flat_map(|l| l["stops"].as_array().unwrap())
            .filter(|s| s["visit"]["status"] == "done")
            .collect();
        assert!(!done.is_empty());
        assert!(done
            .iter()
            .all(|s| s["progress"].as_str().unwrap().starts_with("arrived ")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_is_due_by_the_cutoff_and_counts_as_overdue_once_late() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let d = demo(&app).await;
        let office = app.login_as(OFFICE).await;
        let before = json(app.call(&office, "promises/overdue-count", &[]).await, 200).await;
        assert!(
            before.as_u64().unwrap() >= 3,
            "the demo has overdue promises: {before}"
        );

        let res = app
            .call(
                &office,
                "promises/call",
                &[
                    ("customer_id", &d.dorothy.to_string()),
                    ("summary", "Asked who is coming on Tuesday"),
                    ("callback", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
        let calls = app.store.calls_of(d.dorothy).await.unwrap();
        let promise_id = calls[0].promise_id.expect("a callback promise");
        let promise = app.store.get_promise(promise_id).await.unwrap().unwrap();
        assert_eq!(promise.origin, PromiseOrigin::Call);
        assert_eq!(promise.due_time.unwrap().to_string(), "17:00:00");

        // Keep it; a second close is refused as a conflict with a message.
        let kept = app
            .call(
                &office,
                "promises/close",
                &[("id", &promise_id.to_string()), ("outcome", "kept")],
            )
            .await;
        assert_eq!(kept.status().as_u16(), 200);
        let again = app
            .call(
                &office,
                "promises/close",
                &[
                    ("id", &promise_id.to_string()),
                    ("outcome", "dropped"),
                    ("reason", "x"),
                ],
            )
            .await;
        let body = json(again, 409).await;
        assert_eq!(message(&body), "This promise is already kept.");

        // A technician can't close a promise to a customer who is not theirs.
        let jake_id = app
            .store
            .list_users(Some(Role::Technician))
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == "jake@rapport.example")
            .unwrap()
            .id;
        let open = app
            .store
            .promises(&PromiseFilter {
                status: Some(PromiseStatus::Open),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut not_jakes = None;
        for p in open {
            if !app
                .store
                .technician_serves(jake_id, p.customer_id, chrono::Utc::now().date_naive())
                .await
                .unwrap()
            {
                not_jakes = Some(p);
                break;
            }
        }
        let not_jakes = not_jakes.expect("the demo has promises to others' customers");
        let jake = app.login_as("jake@rapport.example").await;
        let res = app
            .call(
                &jake,
                "promises/close",
                &[("id", &not_jakes.id.to_string()), ("outcome", "kept")],
            )
            .await;
        assert_eq!(res.status().as_u16(), 403);
        let still = app.store.get_promise(not_jakes.id).await.unwrap().unwrap();
        assert_eq!(still.status, PromiseStatus::Open);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unassigned_visits_are_on_the_board_and_go_to_the_customers_technician_without_a_reason() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let today = Utc::now().date_naive().to_string();
        let board = json(
            app.call(&office, "board/day", &[("date", &today)]).await,
            200,
        )
        .await;
        let lanes = board["lanes"].as_array().unwrap();
        let unassigned = lanes.iter().find(|l| l["name"] == "Unassigned").unwrap();
        let stop = &unassigned["stops"][0];
        let visit = stop["visit"]["id"].as_str().unwrap();
        let customer: Uuid = stop["visit"]["customer_id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let own = app.store.get_customer(customer).await.unwrap().unwrap();
        let technician = own.assigned_technician_id.unwrap().to_string();
        let res = app
            .call(
                &office,
                "board/move",
                &[
                    ("visit_id", visit),
                    ("technician", &technician),
                    ("date", &today),
                ],
            )
            .await;
        assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
        let moved = app
            .store
            .get_visit(visit.parse().unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(moved.technician_id, own.assigned_technician_id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_off_visit_goes_to_the_customers_technician_and_the_admin_sees_who_did_what() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let d = demo(&app).await;
        let office = app.login_as(OFFICE).await;
        let day = (Utc::now().date_naive() + Duration::days(3)).to_string();
        let id = d.dorothy.to_string();
        let res = app
            .call(
                &office,
                "visits/add",
                &[
                    ("customer_id", &id),
                    ("date", &day),
                    ("window_start", "09:00"),
                    ("window_end", "10:00"),
                ],
            )
            .await;
        assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
        let on_day = app
            .store
            .customer_visits(d.dorothy, day.parse().unwrap(), day.parse().unwrap())
            .await
            .unwrap();
        let one_off = on_day
            .iter()
            .find(|v| v.window_start.map(|t| t.to_string()) == Some("09:00:00".into()))
            .expect("the one-off visit");
        let sam = app.store.get_customer(d.dorothy).await.unwrap().unwrap();
        assert_eq!(one_off.technician_id, sam.assigned_technician_id);

        // In the past it is refused with a reason.
        let yesterday = (Utc::now().date_naive() - Duration::days(1)).to_string();
        let res = app
            .call(
                &office,
                "visits/add",
                &[("customer_id", &id), ("date", &yesterday)],
            )
            .await;
        assert_eq!(res.status().as_u16(), 422);

        // The admin reads who scheduled it; the office user does not get the history.
        let office_view = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        assert!(office_view["history"].as_array().unwrap().is_empty());
        let admin = app.login_as("admin@rapport.example").await;
        let admin_view = json(app.call(&admin, "customers/get", &[("id", &id)]).await, 200).await;
        let history = admin_view["history"].as_array().unwrap();
        let scheduled = history
            .iter()
            .find(|e| e["text"] == format!("scheduled: for {day}"))
            .expect("the one-off visit is in the history");
        assert_eq!(scheduled["who"], "Olivia Grant");
        assert_eq!(scheduled["kind"], "visit");
    }
}
