//! Who may do what: every server function tried as nobody, as a technician who does not serve
//! the customer (Priya, against Sam's Green Fork Diner), as the office and as the admin. Each
//! row says who may; everyone else must be refused, and nothing may change. The table must
//! name every server function the server registers, so a new one without a row fails here.

use crate::helpers::*;
use crate::sync::Device;
use chrono::Utc;
use domain::sync::{Change, CustomerField, EditCustomer, Outcome};
use domain::{CustomerDraft, Role};
use std::collections::BTreeSet;
use store::{CustomerFilter, PromiseFilter};

/// Who a row lets in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum May {
    /// Office and admin (and a technician who serves the customer, not tried here).
    Office,
    /// The admin only.
    Admin,
    /// A technician, for their own things (their route, their calendar link): not the office.
    Technician,
    /// Anyone signed in; what each sees is their own (tried in the tests of each page).
    SignedIn,
    /// Anyone, signed in or not: logging in, creating the first admin, asking who one is.
    Public,
}

/// An endpoint, a form that targets someone else's customer, and who may call it.
type Row<'a> = (&'a str, Vec<(&'a str, &'a str)>, May);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_whoever_may_not_use_it() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let all = CustomerFilter {
            search: "green fork".into(),
            limit: 5,
            ..Default::default()
        };
        let diner = app.store.list_customers(&all).await.unwrap()[0].id;
        let priority = app.store.priorities_of(&[diner]).await.unwrap()[0].id;
        let promise = app
            .store
            .promises(&PromiseFilter {
                customer_id: Some(diner),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        let today = Utc::now().date_naive();
        let visit = app
            .store
            .customer_visits(
                diner,
                today - chrono::Duration::days(14),
                today + chrono::Duration::days(56),
            )
            .await
            .unwrap()
            .into_iter()
            .find(|v| v.scheduled_on >= today && v.status == domain::VisitStatus::Scheduled)
            .unwrap()
            .id;
        let priya = app
            .store
            .list_users(Some(Role::Technician))
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.email == PRIYA)
            .unwrap()
            .id;
        // Sam's phone, for the admin-only device rows.
        let sam = app.store.find_login(SAM).await.unwrap().unwrap().0;
        let phone = domain::new_id();
        app.store
            .register_device(phone, sam.id, "", Utc::now())
            .await
            .unwrap();
        let phone = phone.to_string();
        // A live API token, for the admin-only token rows.
        let admin_id = app
            .store
            .find_login("admin@rapport.example")
            .await
            .unwrap()
            .unwrap()
            .0
            .id;
        let token = domain::new_id();
        app.store
            .create_api_token(token, "Website form", "hash", admin_id, Utc::now())
            .await
            .unwrap();
        let token = token.to_string();
        // A phone that was signed out, for the admin-only row that lets one back in.
        let lost = domain::new_id();
        app.store
            .register_device(lost, sam.id, "", Utc::now())
            .await
            .unwrap();
        app.store
            .revoke_device(lost, admin_id, Utc::now())
            .await
            .unwrap();
        let lost = lost.to_string();
        // A conflict on the diner: the office changes its phone number while Sam's phone,
        // on the older copy, writes another. Settling it (taking the phone's) changes the
        // customer, so a refused settle that got through would show.
        let conflict = conflict_on(&app, diner).await.to_string();
        let (diner, priority, promise, visit, priya, today) = (
            diner.to_string(),
            priority.to_string(),
            promise.to_string(),
            visit.to_string(),
            priya.to_string(),
            today.to_string(),
        );
        let table: Vec<Row> = vec![
            ("customers/get", vec![("id", &diner)], May::Office),
            ("customers/list", vec![("search", "")], May::SignedIn),
            (
                "customers/settle",
                vec![
                    ("customer_id", &diner),
                    ("conflict_id", &conflict),
                    ("keep", "phone"),
                ],
                May::Office,
            ),
            (
                "customers/save",
                vec![
                    ("id", &diner),
                    ("name", "Green Fork Diner"),
                    ("contact_name", ""),
                    ("address", "77 Station Ave"),
                    ("phone", ""),
                    ("email", ""),
                    ("access_notes", "Changed by whoever got in"),
                ],
                May::Office,
            ),
            (
                "customers/assign",
                vec![
                    ("customer_id", &diner),
                    ("assigned", &priya),
                    ("backup", ""),
                ],
                May::Office,
            ),
            (
                "priorities/add",
                vec![("customer_id", &diner), ("text", "Injected")],
                May::Office,
            ),
            (
                "priorities/edit",
                vec![("id", &priority), ("text", "Rewritten")],
                May::Office,
            ),
            ("priorities/retire", vec![("id", &priority)], May::Office),
            (
                "promises/customer",
                vec![("customer_id", &diner)],
                May::Office,
            ),
            (
                "promises/add",
                vec![
                    ("customer_id", &diner),
                    ("text", "Injected"),
                    ("due_on", &today),
                    ("owner", ""),
                ],
                May::Office,
            ),
            (
                "promises/close",
                vec![("id", &promise), ("outcome", "kept")],
                May::Office,
            ),
            (
                "promises/call",
                vec![("customer_id", &diner), ("summary", "Injected call")],
                May::Office,
            ),
            ("board/day", vec![("date", &today)], May::Office),
            (
                "board/check",
                vec![
                    ("visit_id", &visit),
                    ("technician", &priya),
                    ("date", &today),
                ],
                May::Office,
            ),
            (
                "board/move",
                vec![
                    ("visit_id", &visit),
                    ("technician", &priya),
                    ("date", &today),
                    ("reason", "sick"),
                ],
                May::Office,
            ),
            (
                "plans/save",
                vec![
                    ("customer_id", &diner),
                    ("service_type", "Injected plan"),
                    ("frequency", "weekly"),
                    ("interval", "1"),
                    ("starts_on", &today),
                ],
                May::Office,
            ),
            (
                "visits/add",
                vec![("customer_id", &diner), ("date", &today)],
                May::Office,
            ),
            ("continuity/at-risk", vec![], May::Office),
            ("promises/overdue-count", vec![], May::SignedIn),
            ("promises/ledger", vec![], May::SignedIn),
            ("today/route", vec![], May::Technician),
            ("calendar/status", vec![], May::Technician),
            ("calendar/new", vec![], May::Technician),
            ("auth/logout", vec![], May::SignedIn),
            // The login page's own calls: they work without a session by design (the session
            // gate lists them), and refuse wrong passwords or a second first admin themselves
            // (see `auth`).
            ("auth/login", vec![], May::Public),
            ("auth/setup", vec![], May::Public),
            ("auth/me", vec![], May::Public),
            ("promises/cutoff", vec![("cutoff", "16:00")], May::Admin),
            ("devices/list", vec![], May::Admin),
            ("devices/revoke", vec![("id", &phone)], May::Admin),
            ("devices/allow", vec![("id", &lost)], May::Admin),
            ("tokens/list", vec![], May::Admin),
            ("tokens/new", vec![("name", "Accounts")], May::Admin),
            ("tokens/revoke", vec![("id", &token)], May::Admin),
        ];

        // Every server function the server registers has a row, and every row is one.
        let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.trim_start_matches("/api/").to_string())
            .collect();
        let rows: BTreeSet<String> = table.iter().map(|(e, _, _)| e.to_string()).collect();
        let missing: Vec<_> = registered.difference(&rows).collect();
        assert!(
            missing.is_empty(),
            "server functions without a row here (say who may call each): {missing:?}"
        );
        let stale: Vec<_> = rows.difference(&registered).collect();
        assert!(stale.is_empty(), "rows for no server function: {stale:?}");

        let before = snapshot(&app).await;
        let tokens_before = app.store.list_api_tokens().await.unwrap();
        let nobody = client();
        let priya_client = app.login_as(PRIYA).await;
        let office = app.login_as(OFFICE).await;
        let admin = app.login_as("admin@rapport.example").await;
        for (endpoint, form, may) in &table {
            let status = |res: reqwest::Response| res.status().as_u16();
            if *may == May::Public {
                continue;
            }
            let anonymous = status(app.call(&nobody, endpoint, form).await);
            assert_eq!(anonymous, 401, "{endpoint} without a session");
            if matches!(may, May::Office | May::Admin) {
                let other_technician = status(app.call(&priya_client, endpoint, form).await);
                assert_eq!(
                    other_technician, 403,
                    "{endpoint} as a technician who is not theirs"
                );
            }
            if matches!(may, May::Admin | May::Technician) {
                let as_office = status(app.call(&office, endpoint, form).await);
                assert_eq!(as_office, 403, "{endpoint} as the office");
            }
        }
        // Nothing the refused calls tried changed anything.
        assert_eq!(snapshot(&app).await, before, "refused calls changed data");
        let devices = app.store.list_devices().await.unwrap();
        for d in &devices {
            let signed_out = d.id.to_string() == lost;
            assert_eq!(
                d.revoked_at.is_some(),
                signed_out,
                "device {} changed",
                d.id
            );
        }
        let office_id = app.store.find_login(OFFICE).await.unwrap().unwrap().0.id;
        assert!(
            app.store
                .calendar_link_made(office_id)
                .await
                .unwrap()
                .is_none(),
            "the office made itself a calendar link"
        );
        assert_eq!(app.store.list_api_tokens().await.unwrap(), tokens_before);

        // What a technician may list is scoped to their own customers.
        let mine = json(
            app.call(&priya_client, "customers/list", &[("search", "")])
                .await,
            200,
        )
        .await;
        assert!(mine
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != diner.as_str()));

        // Those allowed get through (the forms above are valid).
        for (endpoint, form, may) in &table {
            // Logging out ends the session it is called with: a session of its own.
            let fresh;
            let who = match may {
                May::Admin => &admin,
                May::Office => &office,
                May::Technician => &priya_client,
                May::SignedIn => {
                    fresh = app.login_as(PRIYA).await;
                    &fresh
                }
                // Tried with real forms in `auth`.
                May::Public => continue,
            };
            let res = app.call(who, endpoint, form).await;
            let code = res.status().as_u16();
            assert!(
                (200..400).contains(&code),
                "{endpoint} as {may:?}: {code} {}",
                res.text().await.unwrap_or_default()
            );
        }
    }
}

/// Makes an unsettled conflict on the customer's phone number and returns its id.
async fn conflict_on(app: &TestApp, customer: uuid::Uuid) -> uuid::Uuid {
    let before = app.store.get_customer(customer).await.unwrap().unwrap();
    let mut sam = Device::of(app, SAM).await;
    let draft = CustomerDraft {
        name: before.name.clone(),
        contact_name: before.contact_name.clone(),
        address: before.address.clone(),
        phone: "(555) 010-0001".into(),
        email: before.email.clone(),
        access_notes: before.access_notes.clone(),
    };
    app.store
        .update_customer(customer, draft, None, None, Utc::now())
        .await
        .unwrap();
    let stale = sam.mutation(Change::EditCustomer(EditCustomer {
        customer_id: customer,
        field: CustomerField::Phone,
        value: "(555) 010-0002".into(),
        base_version: before.version,
    }));
    let outcome = sam.push(app, &[stale]).await;
    assert!(
        matches!(outcome[..], [Outcome::Conflict { .. }]),
        "{outcome:?}"
    );
    app.store.customer_conflicts(customer).await.unwrap()[0].id
}
