use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::sync::{
    AcknowledgePriorities, AddPriority, AddPromise, AddVisitNote, AdvanceVisit, Change,
    CustomerField, EditCustomer, KeepPromise, Mutation, Outcome, PullResponse, PushRequest,
    PushResponse,
};
use domain::{new_id, VisitStatus};
use reqwest::Client;
use uuid::Uuid;

/// A simulated phone: its own device id and mutation counter, the real wire types.
pub(crate) struct Device {
    id: Uuid,
    seq: i64,
    pub(crate) client: Client,
}

impl Device {
    pub(crate) async fn of(app: &TestApp, email: &str) -> Device {
        Device {
            id: new_id(),
            seq: 0,
            client: app.login_as(email).await,
        }
    }

    pub(crate) fn mutation(&mut self, change: Change) -> Mutation {
        self.seq += 1;
        Mutation {
            id: new_id(),
            seq: self.seq,
            made_at: Utc::now(),
            change,
        }
    }

    pub(crate) async fn push(&self, app: &TestApp, mutations: &[Mutation]) -> Vec<Outcome> {
        let body = PushRequest {
            device_id: self.id,
            mutations: mutations.to_vec(),
        };
        let res = self
            .client
            .post(app.url("/api/v1/sync/push"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());
        let answer: PushResponse = res.json().await.unwrap();
        answer.results.into_iter().map(|r| r.outcome).collect()
    }

    pub(crate) async fn pull(&self, app: &TestApp, cursor: i64, limit: usize) -> PullResponse {
        let url = app.url(&format!("/api/v1/sync/pull?cursor={cursor}&limit={limit}"));
        let res = self.client.get(url).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        res.json().await.unwrap()
    }

    /// Pulls page after page until nothing more is waiting.
    async fn pull_all(
        &self,
        app: &TestApp,
        mut cursor: i64,
        limit: usize,
    ) -> (Vec<PullResponse>, i64) {
        let mut pages = vec![];
        loop {
            let page = self.pull(app, cursor, limit).await;
            cursor = page.cursor;
            let more = page.more;
            pages.push(page);
            if !more {
                return (pages, cursor);
            }
        }
    }
}

pub(crate) fn note(visit_id: Uuid, body: &str) -> Change {
    Change::AddVisitNote(AddVisitNote {
        note_id: new_id(),
        visit_id,
        body: body.into(),
    })
}

/// Sam's visit to Dorothy today, from his first pull.
pub(crate) async fn dorothys_visit_today(app: &TestApp, sam: &Device) -> Uuid {
    let page = sam.pull(app, 0, 5000).await;
    let dorothy = page
        .customers
        .iter()
        .find(|c| c.name == demo::DOROTHY)
        .unwrap();
    let today = Utc::now().date_naive();
    page.visits
        .iter()
        .find(|v| v.customer_id == dorothy.id && v.scheduled_on == today)
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resent_push_is_acknowledged_as_duplicate_and_applied_once() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let first = sam.mutation(note(visit, "Two stations chewed; replaced both."));
        assert_eq!(
            sam.push(&app, std::slice::from_ref(&first)).await,
            [Outcome::Applied]
        );

        // The response was lost: the phone sends the same mutation again, with a new one.
        let second = sam.mutation(note(visit, "Customer asked about the back room."));
        let outcomes = sam.push(&app, &[first.clone(), second]).await;
        assert_eq!(outcomes, [Outcome::Duplicate, Outcome::Applied]);
        assert_eq!(sam.push(&app, &[first]).await, [Outcome::Duplicate]);

        let notes = sam.pull(&app, 0, 5000).await.notes;
        let texts: Vec<_> = notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Two stations chewed; replaced both.",
                "Customer asked about the back room."
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visit_status_from_two_devices_moves_forward_only_and_keeps_the_earliest_arrival() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut phone = Device::of(&app, SAM).await;
        let mut tablet = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &phone).await;
        let now = Utc::now();
        let advance = |status, at| {
            Change::AdvanceVisit(AdvanceVisit {
                visit_id: visit,
                status,
                at,
                skip_reason: None,
            })
        };
        let m1 = phone.mutation(advance(VisitStatus::OnSite, now - Duration::minutes(5)));
        let m2 = tablet.mutation(advance(VisitStatus::OnSite, now - Duration::minutes(9)));
        let m3 = phone.mutation(advance(VisitStatus::EnRoute, now - Duration::minutes(20)));
        assert_eq!(
            phone.push(&app, &[m1, m3]).await,
            [Outcome::Applied, Outcome::Applied]
        );
        assert_eq!(tablet.push(&app, &[m2]).await, [Outcome::Applied]);

        let page = phone.pull(&app, 0, 5000).await;
        let v = page.visits.iter().find(|v| v.id == visit).unwrap();
        assert_eq!(
            v.status,
            VisitStatus::OnSite,
            "en route arrived late and did not move it back"
        );
        assert_eq!(
            v.arrived_at.unwrap().timestamp(),
            (now - Duration::minutes(9)).timestamp()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_office_made_while_the_phone_was_offline_reaches_it_on_the_next_pull() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = Device::of(&app, SAM).await;
        let (_, cursor) = sam.pull_all(&app, 0, 5000).await;

        let office = app.login_as(OFFICE).await;
        let list = json(
            app.call(&office, "customers/list", &[("search", "gift")])
                .await,
            200,
        )
        .await;
        let id = list[0]["id"].as_str().unwrap();
        let text = "Closed on Wednesdays this month";
        json(
            app.call(
                &office,
                "priorities/add",
                &[("customer_id", id), ("text", text)],
            )
            .await,
            200,
        )
        .await;

        let page = sam.pull(&app, cursor, 5000).await;
        assert_eq!(page.priorities.len(), 1, "only what changed comes down");
        assert_eq!(page.priorities[0].text, text);
        assert!(page.cursor > cursor);
        assert!(sam
            .pull(&app, page.cursor, 5000)
            .await
            .priorities
            .is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pulling_in_small_pages_delivers_everything_exactly_once() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = Device::of(&app, SAM).await;
        let whole = sam.pull(&app, 0, 5000).await;
        assert!(!whole.more);
        let (pages, _) = sam.pull_all(&app, 0, 7).await;
        assert!(pages.len() > 3);
        let mut visits: Vec<Uuid> = pages
            .iter()
            .flat_map(|p| p.visits.iter().map(|v| v.id))
            .collect();
        let mut priorities: Vec<Uuid> = pages
            .iter()
            .flat_map(|p| p.priorities.iter().map(|v| v.id))
            .collect();
        visits.sort();
        priorities.sort();
        priorities.dedup(); // a customer's priorities also ride along with its first visit
        let mut expected_visits: Vec<Uuid> = whole.visits.iter().map(|v| v.id).collect();
        let mut expected_priorities: Vec<Uuid> = whole.priorities.iter().map(|v| v.id).collect();
        expected_visits.sort();
        expected_priorities.sort();
        assert_eq!(visits, expected_visits, "every visit once, none twice");
        assert_eq!(priorities, expected_priorities);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_cannot_write_to_another_technicians_visit() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let mut priya = Device::of(&app, PRIYA).await;
        let m = priya.mutation(note(visit, "Not my stop"));
        let expected = Outcome::Rejected {
            reason: "That visit is no longer on your route.".into(),
        };
        assert_eq!(
            priya.push(&app, std::slice::from_ref(&m)).await,
            std::slice::from_ref(&expected)
        );
        assert_eq!(
            priya.push(&app, &[m]).await,
            [expected],
            "a re-send gets the same answer"
        );
        assert!(sam.pull(&app, 0, 5000).await.notes.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_pushes_get_a_clear_4xx_and_change_nothing() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let post = |body: String| {
            sam.client
                .post(app.url("/api/v1/sync/push"))
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        let res = post("{not json".into()).await.unwrap();
        assert_eq!(res.status().as_u16(), 400);
        assert!(res.text().await.unwrap().contains("not valid sync JSON"));
        let unknown = format!(
            r#"{{"device_id":"{}","mutations":[{{"id":"{}","seq":1,"made_at":"2026-01-01T00:00:00Z","change":{{"kind":"delete_everything"}}}}]}}"#,
            Uuid::nil(),
            Uuid::nil()
        );
        // A change this server cannot read is refused alone: it must not block the queue.
        for _ in 0..2 {
            let res = post(unknown.clone()).await.unwrap();
            let body = json(res, 200).await;
            assert_eq!(body["results"][0]["outcome"], "rejected");
            let reason = body["results"][0]["reason"].as_str().unwrap();
            assert!(reason.contains("\"delete_everything\""), "{reason}");
        }

        let visit = dorothys_visit_today(&app, &sam).await;
        let many: Vec<_> = (0..501)
            .map(|i| sam.mutation(note(visit, &format!("n{i}"))))
            .collect();
        let body = PushRequest {
            device_id: sam.id,
            mutations: many,
        };
        let res = sam
            .client
            .post(app.url("/api/v1/sync/push"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 413);

        let empty = sam.mutation(note(visit, "   "));
        let outcome = sam.push(&app, &[empty]).await;
        assert_eq!(
            outcome,
            [Outcome::Rejected {
                reason: "The note is empty.".into()
            }]
        );
        assert!(sam.pull(&app, 0, 5000).await.notes.is_empty());

        let res = sam
            .client
            .get(app.url("/api/v1/sync/pull?cursor=-1"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 400);
        let res = client()
            .get(app.url("/api/v1/sync/pull?cursor=0"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_belongs_to_the_user_who_first_synced_it() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = Device::of(&app, SAM).await;
        assert!(sam.push(&app, &[]).await.is_empty());
        let priya = app.login_as(PRIYA).await;
        let body = PushRequest {
            device_id: sam.id,
            mutations: vec![],
        };
        let res = priya
            .post(app.url("/api/v1/sync/push"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_the_priorities_is_recorded_once_at_the_earliest_time() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let now = Utc::now();
        let ack = |at| {
            Change::AcknowledgePriorities(AcknowledgePriorities {
                visit_id: visit,
                at,
            })
        };
        let later = sam.mutation(ack(now));
        let earlier = sam.mutation(ack(now - Duration::minutes(3)));
        let outcomes = sam.push(&app, &[later, earlier]).await;
        assert_eq!(outcomes, [Outcome::Applied, Outcome::Applied]);
        let page = sam.pull(&app, 0, 5000).await;
        let v = page.visits.iter().find(|v| v.id == visit).unwrap();
        let read = v.priorities_acknowledged_at.unwrap();
        assert_eq!(read.timestamp(), (now - Duration::minutes(3)).timestamp());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_made_on_an_older_copy_is_a_conflict_that_keeps_both_values() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let first = sam.pull(&app, 0, 5000).await;
        let dorothy = first
            .customers
            .iter()
            .find(|c| c.name == demo::DOROTHY)
            .unwrap()
            .clone();

        // The office changes the phone while Sam's phone is offline with the old copy.
        let office = app.login_as(OFFICE).await;
        let id = dorothy.id.to_string();
        let form = [
            ("id", id.as_str()),
            ("name", dorothy.name.as_str()),
            ("contact_name", ""),
            ("address", dorothy.address.as_str()),
            ("phone", "(555) 777-0000"),
            ("email", ""),
            ("access_notes", ""),
        ];
        let res = app.call(&office, "customers/save", &form).await;
        assert!(res.status().is_success() || res.status().is_redirection());

        let edit = |field, value: &str, base| {
            Change::EditCustomer(EditCustomer {
                customer_id: dorothy.id,
                field,
                value: value.into(),
                base_version: base,
            })
        };
        let phone = sam.mutation(edit(
            CustomerField::Phone,
            "(555) 123-9999",
            dorothy.version,
        ));
        let expected = Outcome::Conflict {
            field: "phone".into(),
            server_value: "(555) 777-0000".into(),
            your_value: "(555) 123-9999".into(),
        };
        assert_eq!(
            sam.push(&app, std::slice::from_ref(&phone)).await,
            std::slice::from_ref(&expected)
        );
        assert_eq!(
            sam.push(&app, &[phone]).await,
            [expected],
            "a re-send gets the same answer"
        );

        // Nothing was overwritten, and the office sees both values.
        let detail = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        assert_eq!(detail["customer"]["phone"], "(555) 777-0000");
        let conflicts = detail["conflicts"].as_array().unwrap();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0]["device_value"], "(555) 123-9999");
        assert_eq!(conflicts[0]["user_name"], "Sam Ortiz");

        // A field the office did not touch takes the phone's value; so does an edit on the new copy.
        let gate = sam.mutation(edit(
            CustomerField::AccessNotes,
            "Gate code 4821",
            dorothy.version,
        ));
        let page = sam.pull(&app, 0, 5000).await;
        let fresh = page
            .customers
            .iter()
            .find(|c| c.id == dorothy.id)
            .unwrap()
            .version;
        let phone = sam.mutation(edit(CustomerField::Phone, "(555) 123-9999", fresh));
        assert_eq!(
            sam.push(&app, &[gate, phone]).await,
            [Outcome::Applied, Outcome::Applied]
        );
        let detail = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        assert_eq!(detail["customer"]["access_notes"], "Gate code 4821");
        assert_eq!(detail["customer"]["phone"], "(555) 123-9999");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promise_made_on_the_phone_can_be_kept_and_stays_kept() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let first = sam.pull(&app, 0, 5000).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let customer = first
            .visits
            .iter()
            .find(|v| v.id == visit)
            .unwrap()
            .customer_id;
        let promise_id = new_id();
        let due_on = Utc::now().date_naive() + Duration::days(7);
        let add = sam.mutation(Change::AddPromise(AddPromise {
            promise_id,
            customer_id: customer,
            visit_id: Some(visit),
            text: "Bring the spare bait stations".into(),
            due_on,
        }));
        let keep = sam.mutation(Change::KeepPromise(KeepPromise {
            promise_id,
            at: Utc::now(),
        }));
        let keep_again = sam.mutation(Change::KeepPromise(KeepPromise {
            promise_id,
            at: Utc::now(),
        }));
        let outcomes = sam.push(&app, &[add, keep, keep_again]).await;
        assert_eq!(
            outcomes,
            [Outcome::Applied, Outcome::Applied, Outcome::Applied]
        );
        let page = sam.pull(&app, 0, 5000).await;
        let promise = page.promises.iter().find(|p| p.id == promise_id).unwrap();
        assert_eq!(promise.status, domain::sync::PromiseStatus::Kept);
        assert_eq!(promise.due_on, due_on);
        assert!(promise.closed_at.is_some());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_given_to_someone_else_leaves_the_first_phone_and_reaches_the_second() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = Device::of(&app, SAM).await;
        let priya = Device::of(&app, PRIYA).await;
        let office = app.login_as(OFFICE).await;
        let visit = dorothys_visit_today(&app, &sam).await;

        // Both phones hold their window, as the real client cache does.
        let mut sam_cache = client::Cache::default();
        let (pages, sam_cursor) = sam.pull_all(&app, 0, 200).await;
        pages.iter().for_each(|p| sam_cache.apply_pull(p));
        let dorothy = sam_cache.visits[&visit].customer_id;
        let mut priya_cache = client::Cache::default();
        let (pages, priya_cursor) = priya.pull_all(&app, 0, 200).await;
        pages.iter().for_each(|p| priya_cache.apply_pull(p));
        assert!(!priya_cache.visits.contains_key(&visit));

        // The office sends Priya instead (Sam is sick): a continuity break, with a reason.
        let today = Utc::now().date_naive().to_string();
        let res = app
            .call(
                &office,
                "board/move",
                &[
                    ("visit_id", &visit.to_string()),
                    ("technician", &priya_id(&app).await.to_string()),
                    ("date", &today),
                    ("reason", "sick"),
                ],
            )
            .await;
        assert_eq!(res.status().as_u16(), 200, "{}", res.text().await.unwrap());

        // Sam's next pull tells his phone to drop the visit, and Dorothy with it (no other
        // visit of hers is Sam's in the window: next week's already went to Priya).
        let (pages, _) = sam.pull_all(&app, sam_cursor, 200).await;
        assert!(pages.iter().any(|p| p.removed_visits.contains(&visit)));
        pages.iter().for_each(|p| sam_cache.apply_pull(p));
        assert!(!sam_cache.visits.contains_key(&visit));
        let sams_days_with_dorothy = sam_cache
            .visits
            .values()
            .filter(|v| v.customer_id == dorothy)
            .count();
        assert_eq!(
            sam_cache.customers.contains_key(&dorothy),
            sams_days_with_dorothy > 0,
            "a customer stays on the phone exactly as long as one of their visits does"
        );

        // Priya's phone gets the visit with Dorothy and her priorities, "same technician" first.
        let (pages, _) = priya.pull_all(&app, priya_cursor, 200).await;
        pages.iter().for_each(|p| priya_cache.apply_pull(p));
        assert_eq!(
            priya_cache.visits[&visit].technician_id,
            Some(priya_id(&app).await)
        );
        assert!(priya_cache.customers.contains_key(&dorothy));
        assert_eq!(
            priya_cache.priorities_of(dorothy)[0].text,
            demo::SAME_TECHNICIAN
        );
    }
}

async fn priya_id(app: &TestApp) -> Uuid {
    app.store
        .list_users(Some(domain::Role::Technician))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == PRIYA)
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_office_settles_a_conflict_and_cannot_save_over_a_newer_phone_edit() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let first = sam.pull(&app, 0, 5000).await;
        let dorothy = first
            .customers
            .iter()
            .find(|c| c.name == demo::DOROTHY)
            .unwrap()
            .clone();
        let office = app.login_as(OFFICE).await;
        let id = dorothy.id.to_string();
        let version = dorothy.version.to_string();
        let form = |phone: &'static str, access: &'static str, version: &str| {
            vec![
                ("id", id.clone()),
                ("name", dorothy.name.clone()),
                ("contact_name", String::new()),
                ("address", dorothy.address.clone()),
                ("phone", phone.to_string()),
                ("email", String::new()),
                ("access_notes", access.to_string()),
                ("version", version.to_string()),
            ]
        };
        let save = |form: Vec<(&'static str, String)>| {
            let office = office.clone();
            let app = &app;
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call(&office, "customers/save", &form).await
            }
        };
        let res = save(form("(555) 777-0000", "", &version)).await;
        assert!(res.status().is_success() || res.status().is_redirection());

        // Sam's phone, still on the old copy, writes a phone number: a conflict.
        let phone = sam.mutation(Change::EditCustomer(EditCustomer {
            customer_id: dorothy.id,
            field: CustomerField::Phone,
            value: "(555) 123-9999".into(),
            base_version: dorothy.version,
        }));
        sam.push(&app, &[phone]).await;
        // And the access notes, which nobody else touched: applied.
        let gate = sam.mutation(Change::EditCustomer(EditCustomer {
            customer_id: dorothy.id,
            field: CustomerField::AccessNotes,
            value: "Gate code 4821".into(),
            base_version: dorothy.version,
        }));
        assert_eq!(sam.push(&app, &[gate]).await, [Outcome::Applied]);

        // The office's form, opened before the phone's edit, cannot overwrite the gate code.
        let stale = save(form("(555) 777-0000", "", &version)).await;
        let body = json(stale, 409).await;
        assert!(message(&body).starts_with("This customer changed since you opened the form"));

        // Settle the conflict by taking Sam's number: it becomes the value and the list empties.
        let detail = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        let conflict = detail["conflicts"][0]["id"].as_str().unwrap().to_string();
        let settled = app
            .call(
                &office,
                "customers/settle",
                &[
                    ("customer_id", &id),
                    ("conflict_id", &conflict),
                    ("keep", "phone"),
                ],
            )
            .await;
        assert_eq!(
            settled.status().as_u16(),
            200,
            "{}",
            settled.text().await.unwrap()
        );
        let detail = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        assert_eq!(detail["customer"]["phone"], "(555) 123-9999");
        assert_eq!(detail["customer"]["access_notes"], "Gate code 4821");
        assert!(detail["conflicts"].as_array().unwrap().is_empty());
        let again = app
            .call(
                &office,
                "customers/settle",
                &[
                    ("customer_id", &id),
                    ("conflict_id", &conflict),
                    ("keep", "current"),
                ],
            )
            .await;
        assert_eq!(again.status().as_u16(), 409);
        // Sam's phone gets the settled value on its next pull.
        let page = sam.pull(&app, first.cursor, 5000).await;
        let mine = page.customers.iter().find(|c| c.id == dorothy.id).unwrap();
        assert_eq!(mine.phone, "(555) 123-9999");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_over_one_database_serve_two_devices_that_converge() {
    for a in spawn_apps(true).await {
        eprintln!("backend: {}", a.backend);
        let b = a.second_instance().await;
        // Sam's phone talks to instance A, his tablet to instance B (a load balancer's choice).
        let mut phone = Device::of(&a, SAM).await;
        let mut tablet = Device::of(&b, SAM).await;
        let visit = dorothys_visit_today(&a, &phone).await;

        let from_phone: Vec<Mutation> = (0..5)
            .map(|i| phone.mutation(note(visit, &format!("phone note {i}"))))
            .collect();
        let from_tablet: Vec<Mutation> = (0..5)
            .map(|i| tablet.mutation(note(visit, &format!("tablet note {i}"))))
            .collect();
        let (p, t) = tokio::join!(phone.push(&a, &from_phone), tablet.push(&b, &from_tablet));
        assert!(p.iter().chain(&t).all(|o| *o == Outcome::Applied));
        // The phone re-sends through the other instance after a lost response: not twice.
        let again = phone.push(&b, &from_phone).await;
        assert!(again.iter().all(|o| *o == Outcome::Duplicate));
        // Sam's tablet also marks the visit on site through B; the phone sees it through A.
        let arrive = tablet.mutation(Change::AdvanceVisit(AdvanceVisit {
            visit_id: visit,
            status: VisitStatus::OnSite,
            at: Utc::now(),
            skip_reason: None,
        }));
        assert_eq!(tablet.push(&b, &[arrive]).await, [Outcome::Applied]);

        // Each device pulls from the instance it did not push to, and both end up the same.
        let mut caches = vec![];
        for (device, instance) in [(&phone, &b), (&tablet, &a)] {
            let mut cache = client::Cache::default();
            let (pages, _) = device.pull_all(instance, 0, 50).await;
            pages.iter().for_each(|p| cache.apply_pull(p));
            caches.push(cache);
        }
        let notes = |c: &client::Cache| {
            let mut bodies: Vec<String> = c.notes_of(visit).into_iter().map(|n| n.body).collect();
            bodies.sort();
            bodies
        };
        assert_eq!(notes(&caches[0]).len(), 10);
        assert_eq!(notes(&caches[0]), notes(&caches[1]));
        assert_eq!(caches[0].visits[&visit], caches[1].visits[&visit]);
        assert_eq!(caches[0].visits[&visit].status, VisitStatus::OnSite);

        // The office, on instance B, sees each of the ten notes exactly once.
        let office = b.login_as(OFFICE).await;
        let dorothy = caches[0].visits[&visit].customer_id.to_string();
        let detail = json(
            b.call(&office, "customers/get", &[("id", &dorothy)]).await,
            200,
        )
        .await;
        let bodies: Vec<&str> = detail["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n[0]["body"].as_str().unwrap())
            .filter(|b| b.contains(" note "))
            .collect();
        assert_eq!(bodies.len(), 10, "{bodies:?}");
    }
}

/// Found by the seeded fault test (`tests/sync_faults.rs`): a phone that edits the same field
/// twice offline sends both edits on the same copy of the customer; the second must build on
/// the first, not conflict with it. Another phone's edit on that copy still conflicts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_offline_edits_of_one_field_on_one_phone_build_on_each_other() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut phone = Device::of(&app, SAM).await;
        let mut tablet = Device::of(&app, SAM).await;
        let first = phone.pull(&app, 0, 5000).await;
        let dorothy = first
            .customers
            .iter()
            .find(|c| c.name == demo::DOROTHY)
            .unwrap()
            .clone();
        let edit = |value: &str| {
            Change::EditCustomer(EditCustomer {
                customer_id: dorothy.id,
                field: CustomerField::Phone,
                value: value.into(),
                base_version: dorothy.version,
            })
        };
        let typo = phone.mutation(edit("(555) 010-99"));
        let fixed = phone.mutation(edit("(555) 010-9999"));
        assert_eq!(
            phone.push(&app, &[typo, fixed]).await,
            [Outcome::Applied, Outcome::Applied]
        );
        let late = tablet.mutation(edit("(555) 444-0000"));
        assert_eq!(
            tablet.push(&app, &[late]).await,
            [Outcome::Conflict {
                field: "phone".into(),
                server_value: "(555) 010-9999".into(),
                your_value: "(555) 444-0000".into(),
            }]
        );
        let now = app.store.get_customer(dorothy.id).await.unwrap().unwrap();
        assert_eq!(now.phone, "(555) 010-9999");
    }
}

/// Found by the seeded fault test: a visit given to a technician brings its customer's
/// priorities to their phone even when the customer's own row changed after the phone's
/// cursor (it used to bring the customer alone, and the priorities never came).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_given_to_a_technician_brings_its_customers_older_priorities() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = Device::of(&app, SAM).await;
        let priya = Device::of(&app, PRIYA).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let cursor = priya.pull_all(&app, 0, 5000).await.1;
        let dorothy = app
            .store
            .get_customer(
                app.store
                    .get_visit(visit)
                    .await
                    .unwrap()
                    .unwrap()
                    .customer_id,
            )
            .await
            .unwrap()
            .unwrap();
        let priorities = app.store.priorities_of(&[dorothy.id]).await.unwrap();
        assert!(!priorities.is_empty(), "Dorothy has priorities");

        // The office corrects Dorothy's phone number, then gives today's visit to Priya.
        let office = app.store.find_login(OFFICE).await.unwrap().unwrap().0;
        let draft = domain::CustomerDraft {
            name: dorothy.name.clone(),
            contact_name: dorothy.contact_name.clone(),
            address: dorothy.address.clone(),
            phone: "(555) 010-4242".into(),
            email: dorothy.email.clone(),
            access_notes: dorothy.access_notes.clone(),
        };
        let now = Utc::now();
        app.store
            .update_customer(dorothy.id, draft, None, Some(office.id), now)
            .await
            .unwrap();
        let mv = store::VisitMove {
            visit_id: visit,
            technician_id: Some(priya_id(&app).await),
            day: now.date_naive(),
            position: None,
            by: office.id,
            continuity_break: None,
        };
        app.store.move_visit(mv, now).await.unwrap();

        let (pages, _) = priya.pull_all(&app, cursor, 5000).await;
        let got: Vec<Uuid> = pages
            .iter()
            .flat_map(|p| p.priorities.iter().map(|p| p.id))
            .collect();
        for p in &priorities {
            assert!(got.contains(&p.id), "Priya's phone got \"{}\"", p.text);
        }
        assert!(pages
            .iter()
            .any(|p| p.customers.iter().any(|c| c.phone == "(555) 010-4242")));
    }
}

/// The first visit in a technician's pull that is not at this customer, with its customer.
fn another_visit(page: &PullResponse, not_at: Uuid) -> (Uuid, Uuid) {
    let v = page
        .visits
        .iter()
        .find(|v| v.customer_id != not_at)
        .expect("a visit elsewhere");
    (v.id, v.customer_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_record_reusing_another_records_id_is_rejected_and_writes_nothing() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let sams_page = sam.pull(&app, 0, 5000).await;
        let dorothy = sams_page
            .visits
            .iter()
            .find(|v| v.id == visit)
            .unwrap()
            .customer_id;
        let (note_id, priority_id, promise_id) = (new_id(), new_id(), new_id());
        let due_on = Utc::now().date_naive() + Duration::days(3);
        let sams = [
            sam.mutation(Change::AddVisitNote(AddVisitNote {
                note_id,
                visit_id: visit,
                body: "Two stations chewed.".into(),
            })),
            sam.mutation(Change::AddPriority(AddPriority {
                priority_id,
                customer_id: dorothy,
                text: "Quiet during opening hours".into(),
                pinned: false,
            })),
            sam.mutation(Change::AddPromise(AddPromise {
                promise_id,
                customer_id: dorothy,
                visit_id: None,
                text: "Bring the spare lid".into(),
                due_on,
            })),
        ];
        assert_eq!(
            sam.push(&app, &sams).await,
            [Outcome::Applied, Outcome::Applied, Outcome::Applied]
        );

        // Priya's phone (faulty, or hostile) makes new records of her own with Sam's ids.
        let mut priya = Device::of(&app, PRIYA).await;
        let (her_visit, her_customer) = another_visit(&priya.pull(&app, 0, 5000).await, dorothy);
        let clashes = [
            priya.mutation(Change::AddVisitNote(AddVisitNote {
                note_id,
                visit_id: her_visit,
                body: "Not Sam's note".into(),
            })),
            priya.mutation(Change::AddPriority(AddPriority {
                priority_id,
                customer_id: her_customer,
                text: "Not Sam's priority".into(),
                pinned: true,
            })),
            priya.mutation(Change::AddPromise(AddPromise {
                promise_id,
                customer_id: her_customer,
                visit_id: None,
                text: "Not Sam's promise".into(),
                due_on,
            })),
        ];
        for outcome in priya.push(&app, &clashes).await {
            let Outcome::Rejected { reason } = outcome else {
                panic!("a clash was answered {outcome:?}");
            };
            assert!(
                reason.starts_with("Another record already has this id"),
                "{reason}"
            );
        }
        // Nothing of hers anywhere: not on Dorothy's timeline, not on her customer's.
        let office = app.login_as(OFFICE).await;
        for customer in [dorothy, her_customer] {
            let page = app
                .call(&office, "customers/get", &[("id", &customer.to_string())])
                .await
                .text()
                .await
                .unwrap();
            assert!(page.contains("\"id\""), "{page}");
            assert!(!page.contains("Not Sam's"), "{customer}: {page}");
        }

        // The same record sent again by a new mutation (an app that re-recorded it) is harmless.
        let again = sam.mutation(Change::AddVisitNote(AddVisitNote {
            note_id,
            visit_id: visit,
            body: "Two stations chewed.".into(),
        }));
        assert_eq!(sam.push(&app, &[again]).await, [Outcome::Duplicate]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_made_before_2000_is_rejected_whatever_its_kind() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let mut reset = sam.mutation(note(visit, "Written on a phone whose clock was reset."));
        reset.made_at = "1999-12-31T23:00:00Z".parse().unwrap();
        let Outcome::Rejected { reason } = &sam.push(&app, &[reset]).await[0] else {
            panic!("a note made in 1999 was accepted");
        };
        assert_eq!(
            reason,
            "The time 1999-12-31 23:00:00 UTC (made_at) is not plausible; check the phone's date and time."
        );
        assert!(sam.pull(&app, 0, 5000).await.notes.is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_serves_a_customer_through_a_visit_in_their_window_not_an_old_one() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let saved = app
            .call(
                &office,
                "customers/save",
                &[
                    ("id", ""),
                    ("name", "Quayside Laundry"),
                    ("contact_name", ""),
                    ("address", ""),
                    ("phone", ""),
                    ("email", ""),
                    ("access_notes", ""),
                ],
            )
            .await;
        assert!(saved.status().is_success() || saved.status().is_redirection());
        let found = app
            .store
            .list_customers(&store::CustomerFilter {
                search: "Quayside".into(),
                limit: 5,
                ..Default::default()
            })
            .await
            .unwrap();
        let laundry = found[0].id;
        let today = Utc::now().date_naive();
        let sam_id = app.store.find_login(SAM).await.unwrap().unwrap().0.id;
        let priya = priya_id(&app).await;
        // Sam was there a month ago (the only tie he has); Priya goes tomorrow.
        for (technician, day) in [
            (sam_id, today - Duration::days(30)),
            (priya, today + Duration::days(1)),
        ] {
            let visit = store::NewVisit {
                id: new_id(),
                plan: None,
                created_by: None,
                customer_id: laundry,
                technician_id: Some(technician),
                scheduled_on: day,
                window_start: None,
                window_end: None,
                position: 0,
                status: VisitStatus::Scheduled,
                arrived_at: None,
                departed_at: None,
                skip_reason: None,
            };
            app.store.create_visit(visit, Utc::now()).await.unwrap();
        }
        for (email, may) in [(SAM, false), (PRIYA, true)] {
            let mut phone = Device::of(&app, email).await;
            let page = app
                .call(
                    &phone.client,
                    "customers/get",
                    &[("id", &laundry.to_string())],
                )
                .await;
            let status = page.status().as_u16();
            assert_eq!(
                status == 200,
                may,
                "{email} opens the customer page: {status}"
            );
            let listed = json(
                app.call(&phone.client, "customers/list", &[("search", "Quayside")])
                    .await,
                200,
            )
            .await;
            assert_eq!(
                listed.as_array().unwrap().len(),
                usize::from(may),
                "{email}"
            );
            let priority = phone.mutation(Change::AddPriority(AddPriority {
                priority_id: new_id(),
                customer_id: laundry,
                text: "Collect before noon".into(),
                pinned: false,
            }));
            let outcome = phone.push(&app, &[priority]).await.remove(0);
            if may {
                assert_eq!(outcome, Outcome::Applied, "{email}");
            } else {
                assert_eq!(
                    outcome,
                    Outcome::Rejected {
                        reason: "This customer is not on your route; ask the office.".into()
                    },
                    "{email}"
                );
            }
        }
    }
}
