//! The real sync client (the engine the browser runs, compiled natively) against the real
//! server, with a network that can go away or lose responses.

use crate::helpers::*;
use crate::support::answer;
use chrono::{Duration, Utc};
use client::{Engine, MemoryStorage, Transport, TransportError};
use domain::sync::{
    AddPriority, AddPromise, AddVisitNote, AdvanceVisit, Change, EditCustomer, PullRequest,
    PullResponse, PushRequest, PushResponse,
};
use domain::{new_id, UserSummary, VisitStatus};
use std::cell::Cell;
use uuid::Uuid;

/// reqwest carrying the session cookie, with switches for a bad network.
struct Network {
    base: String,
    http: reqwest::Client,
    offline: Cell<bool>,
    lose_next_response: Cell<bool>,
}

impl Network {
    fn new(app: &TestApp, http: reqwest::Client) -> Network {
        Network {
            base: app.base.clone(),
            http,
            offline: Cell::new(false),
            lose_next_response: Cell::new(false),
        }
    }
}

impl Transport for Network {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        if self.offline.get() {
            return Err(TransportError::Offline);
        }
        let sent = self
            .http
            .post(format!("{}/api/v1/sync/push", self.base))
            .json(request)
            .send()
            .await;
        let res = sent.map_err(|_| TransportError::Offline)?;
        if self.lose_next_response.replace(false) {
            // The server applied the push; the phone never hears back.
            return Err(TransportError::Offline);
        }
        answer(res).await
    }

    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        if self.offline.get() {
            return Err(TransportError::Offline);
        }
        let request = PullRequest {
            limit: Some(50),
            ..request.clone()
        };
        let url = format!("{}/api/v1/sync/pull?{}", self.base, request.query());
        answer(
            self.http
                .get(url)
                .send()
                .await
                .map_err(|_| TransportError::Offline)?,
        )
        .await
    }
}

async fn user(app: &TestApp, email: &str) -> UserSummary {
    app.store.find_login(email).await.unwrap().unwrap().0
}

fn dorothys_visit(engine: &Engine<MemoryStorage>, sam: &UserSummary) -> (Uuid, Uuid) {
    let today = Utc::now().date_naive();
    let stop = engine
        .cache()
        .day(sam.id, today)
        .into_iter()
        .find(|s| s.customer.name == demo::DOROTHY)
        .expect("Dorothy is on today's route");
    (stop.visit.id, stop.customer.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_offline_reaches_the_server_exactly_once_when_the_signal_returns() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = user(&app, SAM).await;
        let storage = MemoryStorage::default();
        let http = app.login_as(SAM).await;
        let online = Network::new(&app, http.clone());
        let mut engine = Engine::open(storage.clone(), sam.clone()).unwrap();
        engine.sync(&online, Utc::now()).await.unwrap();
        assert_eq!(engine.status(Utc::now()).summary(), "All synced");
        let (visit, customer) = dorothys_visit(&engine, &sam);

        // The signal goes; the technician works through the stop.
        drop(engine);
        let now = Utc::now();
        let offline = Network::new(&app, http.clone());
        offline.offline.set(true);
        let mut engine = Engine::open(storage.clone(), sam.clone()).unwrap();
        let changes = vec![
            Change::AdvanceVisit(AdvanceVisit {
                visit_id: visit,
                status: VisitStatus::OnSite,
                at: now,
                skip_reason: None,
            }),
            Change::AddVisitNote(AddVisitNote {
                note_id: new_id(),
                visit_id: visit,
                body: "Replaced two bait stations.".into(),
            }),
            Change::AddPriority(AddPriority {
                priority_id: new_id(),
                customer_id: customer,
                text: "Use the back door on Saturdays".into(),
                pinned: false,
            }),
            Change::AddPromise(AddPromise {
                promise_id: new_id(),
                customer_id: customer,
                visit_id: Some(visit),
                text: "Bring sealant next visit".into(),
                due_on: now.date_naive() + Duration::days(28),
            }),
            Change::AdvanceVisit(AdvanceVisit {
                visit_id: visit,
                status: VisitStatus::Done,
                at: now + Duration::minutes(30),
                skip_reason: None,
            }),
        ];
        for change in changes {
            engine.record(change, now).unwrap();
        }
        assert!(engine.sync(&offline, now).await.is_err());
        assert_eq!(engine.status(now).summary(), "5 changes waiting");

        // The tab is closed and the phone restarts: everything is still there.
        drop(engine);
        let network = Network::new(&app, http.clone());
        network.lose_next_response.set(true);
        let mut engine = Engine::open_saved(storage.clone())
            .unwrap()
            .expect("saved on this device");
        assert_eq!(engine.state().outbox.len(), 5);
        assert_eq!(engine.cache().notes_of(visit).len(), 1);
        assert_eq!(engine.cache().visits[&visit].status, VisitStatus::Done);

        // Back online, but the first answer is lost on the way: the retry is acknowledged.
        assert!(engine.sync(&network, now).await.is_err(), "response lost");
        assert_eq!(
            engine.state().outbox.len(),
            5,
            "nothing is forgotten without an answer"
        );
        engine.sync(&network, now).await.unwrap();
        let status = engine.status(now);
        assert_eq!(status.summary(), "All synced");
        assert_eq!(status.problems, 0);

        // The office sees each thing exactly once.
        let office = app.login_as(OFFICE).await;
        let detail = json(
            app.call(&office, "customers/get", &[("id", &customer.to_string())])
                .await,
            200,
        )
        .await;
        let priorities: Vec<_> = detail["priorities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["text"] == "Use the back door on Saturdays")
            .collect();
        assert_eq!(priorities.len(), 1);
        assert_eq!(priorities[0]["heard_role"], "technician");
        let visit_row = detail["visits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["visit"]["id"] == visit.to_string())
            .unwrap();
        assert_eq!(visit_row["visit"]["status"], "done");
        let times = visit_row["times"].as_str().unwrap();
        assert!(
            times.starts_with("arrived ") && times.contains(", left "),
            "{times}"
        );

        let mut fresh = Engine::open(MemoryStorage::default(), user(&app, OFFICE).await).unwrap();
        fresh.sync(&Network::new(&app, office), now).await.unwrap();
        assert_eq!(
            fresh.cache().notes_of(visit).len(),
            1,
            "the note arrived once"
        );
        assert_eq!(
            fresh
                .cache()
                .open_promises(customer)
                .iter()
                .filter(|p| p.text == "Bring sealant next visit")
                .count(),
            1,
            "the promise arrived once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_devices_of_one_technician_converge_with_the_server() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = user(&app, SAM).await;
        let http = app.login_as(SAM).await;
        let net = Network::new(&app, http.clone());
        let mut phone = Engine::open(MemoryStorage::default(), sam.clone()).unwrap();
        let mut tablet = Engine::open(MemoryStorage::default(), sam.clone()).unwrap();
        phone.sync(&net, Utc::now()).await.unwrap();
        tablet.sync(&net, Utc::now()).await.unwrap();
        let (visit, _) = dorothys_visit(&phone, &sam);
        let now = Utc::now();
        phone
            .record(
                Change::AddVisitNote(AddVisitNote {
                    note_id: new_id(),
                    visit_id: visit,
                    body: "From the phone".into(),
                }),
                now,
            )
            .unwrap();
        tablet
            .record(
                Change::AddVisitNote(AddVisitNote {
                    note_id: new_id(),
                    visit_id: visit,
                    body: "From the tablet".into(),
                }),
                now,
            )
            .unwrap();
        tablet
            .record(
                Change::AdvanceVisit(AdvanceVisit {
                    visit_id: visit,
                    status: VisitStatus::EnRoute,
                    at: now,
                    skip_reason: None,
                }),
                now,
            )
            .unwrap();
        phone
            .record(
                Change::AdvanceVisit(AdvanceVisit {
                    visit_id: visit,
                    status: VisitStatus::OnSite,
                    at: now,
                    skip_reason: None,
                }),
                now,
            )
            .unwrap();

        phone.sync(&net, now).await.unwrap();
        tablet.sync(&net, now).await.unwrap();
        phone.sync(&net, now).await.unwrap();

        let bodies = |e: &Engine<MemoryStorage>| {
            e.cache()
                .notes_of(visit)
                .into_iter()
                .map(|n| n.body)
                .collect::<Vec<_>>()
        };
        assert_eq!(bodies(&phone).len(), 2);
        assert_eq!(bodies(&phone), bodies(&tablet));
        assert_eq!(phone.cache().visits[&visit].status, VisitStatus::OnSite);
        assert_eq!(
            phone.cache(),
            tablet.cache(),
            "both devices hold the same data"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_server_refuses_is_kept_as_a_problem_and_does_not_block_the_rest() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = user(&app, SAM).await;
        let http = app.login_as(SAM).await;
        let net = Network::new(&app, http);
        let mut engine = Engine::open(MemoryStorage::default(), sam.clone()).unwrap();
        engine.sync(&net, Utc::now()).await.unwrap();
        let (visit, _) = dorothys_visit(&engine, &sam);
        let now = Utc::now();
        // A visit that is not on Sam's route (say the office moved it while he was offline).
        let elsewhere = Change::AddVisitNote(AddVisitNote {
            note_id: new_id(),
            visit_id: new_id(),
            body: "Lost stop".into(),
        });
        engine.record(elsewhere, now).unwrap();
        engine
            .record(
                Change::AddVisitNote(AddVisitNote {
                    note_id: new_id(),
                    visit_id: visit,
                    body: "Fine".into(),
                }),
                now,
            )
            .unwrap();
        engine.sync(&net, now).await.unwrap();
        let status = engine.status(now);
        assert_eq!(status.summary(), "All synced");
        assert_eq!(status.problems, 1);
        assert_eq!(
            engine.state().problems[0].reason,
            "That visit no longer exists."
        );
        assert_eq!(engine.cache().notes_of(visit).len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflicting_edit_of_a_single_value_keeps_both_values_visible() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = user(&app, SAM).await;
        let net = Network::new(&app, app.login_as(SAM).await);
        let mut engine = Engine::open(MemoryStorage::default(), sam.clone()).unwrap();
        engine.sync(&net, Utc::now()).await.unwrap();
        let (_, customer) = dorothys_visit(&engine, &sam);
        let copy = engine.cache().customers[&customer].clone();

        // The office changes the phone number; the technician, offline, changes it too.
        let office = app.login_as(OFFICE).await;
        let id = customer.to_string();
        let form = [
            ("id", id.as_str()),
            ("name", copy.name.as_str()),
            ("contact_name", ""),
            ("address", copy.address.as_str()),
            ("phone", "(555) 777-0000"),
            ("email", ""),
            ("access_notes", ""),
        ];
        app.call(&office, "customers/save", &form).await;
        let change = Change::EditCustomer(EditCustomer {
            customer_id: customer,
            field: domain::sync::CustomerField::Phone,
            value: "(555) 123-9999".into(),
            base_version: copy.version,
        });
        engine.record(change, Utc::now()).unwrap();
        assert_eq!(
            engine.cache().customers[&customer].phone,
            "(555) 123-9999",
            "shown at once"
        );

        engine.sync(&net, Utc::now()).await.unwrap();
        // The phone now shows the office's number, and says what happened to its own.
        assert_eq!(engine.cache().customers[&customer].phone, "(555) 777-0000");
        let problems = &engine.state().problems;
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].reason.contains("(555) 777-0000")
                && problems[0].reason.contains("(555) 123-9999")
        );
    }
}
