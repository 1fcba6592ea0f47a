//! The malformed-input sweep: every kind of bad input gets a 4xx (or, inside a good push, a
//! rejection) with a message a person can act on, changes nothing, and text is stored as
//! typed and shown escaped.

use crate::helpers::*;
use chrono::{DateTime, Utc};
use reqwest::Client;
use serde_json::{json as j, Value};
use uuid::Uuid;

const DEVICE: &str = "0190a0b0-0000-7000-8000-00000000abcd";

async fn push_raw(app: &TestApp, c: &Client, body: String) -> reqwest::Response {
    c.post(app.url("/api/v1/sync/push"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn pull_all(app: &TestApp, c: &Client) -> Value {
    json(
        c.get(app.url("/api/v1/sync/pull?cursor=0&limit=5000"))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await
}

/// A technician's visit today at this customer, from their own pull.
fn visit_at(page: &Value, customer: &str) -> (String, String) {
    let customer_id = page["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == customer)
        .unwrap_or_else(|| panic!("{customer} is in the pull"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let today = Utc::now().date_naive().to_string();
    let visit = page["visits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["customer_id"] == customer_id.as_str() && v["scheduled_on"] == today.as_str())
        .unwrap_or_else(|| panic!("a visit at {customer} today"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    (visit, customer_id)
}

fn mutation(change: Value) -> Value {
    j!({
        "id": Uuid::now_v7(),
        "seq": 1,
        "made_at": Utc::now(),
        "change": change,
    })
}

fn push_of(mutations: Vec<Value>) -> String {
    j!({ "device_id": DEVICE, "mutations": mutations }).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_pushes_get_a_4xx_that_says_what_to_fix_and_change_nothing() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.login_as(SAM).await;
        let page = pull_all(&app, &sam).await;
        let (visit, _) = visit_at(&page, demo::DOROTHY);
        let note = |body: &str| j!({ "kind": "add_visit_note", "note_id": Uuid::now_v7(), "visit_id": visit, "body": body });
        let before = snapshot(&app).await;
        let envelope =
            |mutations: &str| format!(r#"{{"device_id":"{DEVICE}","mutations":{mutations}}}"#);
        let one = |field: &str, value: &str| {
            let mut m = mutation(note("hello"));
            m[field] = serde_json::from_str(value).unwrap();
            push_of(vec![m])
        };
        let cases: Vec<(&str, String, u16, &str)> = vec![
            ("not JSON", "{not json".into(), 400, "not valid sync JSON"),
            ("an empty body", String::new(), 400, "not valid sync JSON"),
            (
                "a list, not an object",
                "[]".into(),
                400,
                "expected a push: an object with device_id and mutations",
            ),
            (
                "a device id that is not a UUID",
                r#"{"device_id":"phone-1","mutations":[]}"#.into(),
                400,
                "UUID",
            ),
            ("mutations not a list", envelope("{}"), 400, "invalid type"),
            (
                "a mutation id that is not a UUID",
                one("id", r#""m-1""#),
                400,
                "UUID",
            ),
            (
                "a sequence number that is text",
                one("seq", r#""one""#),
                400,
                "invalid type",
            ),
            (
                "a time that is not a time",
                one("made_at", r#""yesterday""#),
                400,
                "not valid sync JSON",
            ),
            (
                "a body over 1 MB",
                "x".repeat(2 * 1024 * 1024),
                413,
                "larger than 1 MB, the most Rapport accepts",
            ),
            (
                "more than 500 mutations",
                push_of((0..501).map(|i| mutation(note(&format!("n{i}")))).collect()),
                413,
                "at most 500 mutations",
            ),
        ];
        for (what, body, status, says) in cases {
            let res = push_raw(&app, &sam, body).await;
            assert_eq!(res.status().as_u16(), status, "{what}");
            let text = res.text().await.unwrap();
            assert!(text.contains(says), "{what}: {text}");
        }
        assert_eq!(snapshot(&app).await, before, "nothing changed");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_change_in_a_push_is_rejected_with_a_reason_and_the_rest_goes_through() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.login_as(SAM).await;
        let page = pull_all(&app, &sam).await;
        let (visit, dorothy) = visit_at(&page, demo::DOROTHY);
        let priya = app.login_as(PRIYA).await;
        let priyas_page = pull_all(&app, &priya).await;
        let priyas_visit = priyas_page["visits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["technician_id"] != Value::Null && v["id"] != visit.as_str())
            .unwrap()["id"]
            .clone();
        let typed = "<script>alert(\"x\")</script> Robert'); DROP TABLE visit_notes;-- ☕";
        let note_id = Uuid::now_v7();
        let cases: Vec<(&str, Value, Option<&str>)> = vec![
            (
                "an unknown kind",
                j!({"kind": "wipe"}),
                Some("does not know the change \"wipe\""),
            ),
            (
                "a visit id that is not a UUID",
                j!({"kind": "add_visit_note", "note_id": Uuid::now_v7(), "visit_id": "visit-7", "body": "x"}),
                Some("The change \"add_visit_note\" could not be read"),
            ),
            (
                "a note that is too long",
                j!({"kind": "add_visit_note", "note_id": Uuid::now_v7(), "visit_id": visit, "body": "x".repeat(20_001)}),
                Some("the limit is 20000"),
            ),
            (
                "a due date out of range",
                j!({"kind": "add_promise", "promise_id": Uuid::now_v7(), "customer_id": dorothy, "text": "Call back", "due_on": "1850-01-01"}),
                Some("The due date 1850-01-01 is out of range"),
            ),
            (
                "a date that does not exist",
                j!({"kind": "add_promise", "promise_id": Uuid::now_v7(), "customer_id": dorothy, "text": "Call back", "due_on": "2026-02-30"}),
                Some("could not be read"),
            ),
            (
                "a phone whose clock was reset",
                j!({"kind": "advance_visit", "visit_id": visit, "status": "on_site", "at": "1970-01-01T00:00:00Z"}),
                Some("is not plausible; check the phone's date and time"),
            ),
            (
                "someone else's visit",
                j!({"kind": "add_visit_note", "note_id": Uuid::now_v7(), "visit_id": priyas_visit, "body": "x"}),
                Some("no longer on your route"),
            ),
            (
                "HTML and SQL in a note, stored as typed",
                j!({"kind": "add_visit_note", "note_id": note_id, "visit_id": visit, "body": typed}),
                None,
            ),
        ];
        let mutations: Vec<Value> = cases.iter().map(|(_, c, _)| mutation(c.clone())).collect();
        let body = push_of(mutations);
        for attempt in ["first", "re-sent"] {
            let answer = json(push_raw(&app, &sam, body.clone()).await, 200).await;
            for (i, (what, _, says)) in cases.iter().enumerate() {
                let result = &answer["results"][i];
                match says {
                    Some(says) => {
                        assert_eq!(result["outcome"], "rejected", "{attempt}: {what}");
                        let reason = result["reason"].as_str().unwrap();
                        assert!(reason.contains(says), "{attempt}: {what}: {reason}");
                    }
                    None if attempt == "first" => {
                        assert_eq!(result["outcome"], "applied", "{what}")
                    }
                    None => assert_eq!(result["outcome"], "duplicate", "{what}"),
                }
            }
        }
        let notes = pull_all(&app, &sam).await["notes"].clone();
        let notes = notes.as_array().unwrap();
        assert_eq!(notes.len(), 1, "only the good note was stored: {notes:?}");
        assert_eq!(notes[0]["id"], note_id.to_string());
        assert_eq!(notes[0]["body"], typed, "stored exactly as typed");

        // Shown escaped: the office's page for Dorothy has the note as text, not as markup.
        let office = app.login_as(OFFICE).await;
        let html = office
            .get(app.url(&format!("/customers/{dorothy}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("<script>alert"),
            "the note's script tag reached the page"
        );
        assert!(
            html.contains("&lt;script&gt;alert"),
            "the note is on the page, escaped"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_clock_in_the_future_is_not_believed() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.login_as(SAM).await;
        let page = pull_all(&app, &sam).await;
        let (visit, _) = visit_at(&page, demo::DOROTHY);
        let future = "2099-01-01T09:00:00Z";
        let mut note = mutation(
            j!({"kind": "add_visit_note", "note_id": Uuid::now_v7(), "visit_id": visit, "body": "From the future"}),
        );
        note["made_at"] = j!(future);
        let mut arrive = mutation(
            j!({"kind": "advance_visit", "visit_id": visit, "status": "on_site", "at": future}),
        );
        arrive["made_at"] = j!(future);
        let answer = json(push_raw(&app, &sam, push_of(vec![note, arrive])).await, 200).await;
        assert_eq!(answer["results"][0]["outcome"], "applied");
        assert_eq!(answer["results"][1]["outcome"], "applied");
        let page = pull_all(&app, &sam).await;
        let soon = Utc::now() + chrono::Duration::minutes(1);
        let time = |v: &Value| v.as_str().unwrap().parse::<DateTime<Utc>>().unwrap();
        assert!(
            time(&page["notes"][0]["written_at"]) <= soon,
            "the note is dated now, not 2099"
        );
        let v = page["visits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == visit.as_str())
            .unwrap();
        assert_eq!(v["status"], "on_site");
        assert!(time(&v["arrived_at"]) <= soon, "arrived now, not in 2099");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_parameters_that_make_no_sense_get_a_400() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.login_as(SAM).await;
        let cases = [
            ("cursor=abc", 400, "query string is not valid"),
            ("cursor=-1", 400, "cannot be negative"),
            ("cursor=0&limit=-5", 400, "query string is not valid"),
            (
                "cursor=0&known_to=2026-13-45",
                400,
                "query string is not valid",
            ),
            (
                "cursor=0&device_id=phone-1",
                400,
                "query string is not valid",
            ),
            (
                "cursor=99999999999999999999",
                400,
                "query string is not valid",
            ),
            ("cursor=0&known_to=1850-01-01", 200, "cursor"),
            ("cursor=0&known_to=2199-12-31&limit=0", 200, "cursor"),
        ];
        for (query, status, says) in cases {
            let res = sam
                .get(app.url(&format!("/api/v1/sync/pull?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), status, "{query}");
            let text = res.text().await.unwrap();
            assert!(text.contains(says), "{query}: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_forms_with_bad_input_say_what_is_wrong_and_store_text_as_typed() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let before = snapshot(&app).await;
        let res = app
            .call(
                &office,
                "customers/save",
                &[("id", ""), ("name", "No other fields")],
            )
            .await;
        assert!(res.status().is_client_error(), "{}", res.status());
        assert!(message(&res.json().await.unwrap()).contains("The form could not be read"));
        let res = app
            .call(&office, "customers/get", &[("id", "1 OR 1=1")])
            .await;
        assert_eq!(
            message(&json(res, 422).await),
            "\"1 OR 1=1\" is not a valid customer id."
        );
        assert_eq!(snapshot(&app).await, before);

        let name = "Robert'); DROP TABLE customers;-- <b>& Sons</b>";
        let form = [
            ("id", ""),
            ("name", name),
            ("contact_name", ""),
            ("address", ""),
            ("phone", ""),
            ("email", ""),
            ("access_notes", ""),
        ];
        let res = app.call(&office, "customers/save", &form).await;
        assert!(res.status().is_success() || res.status().is_redirection());
        let found = json(
            app.call(&office, "customers/list", &[("search", "'); drop")])
                .await,
            200,
        )
        .await;
        assert_eq!(
            found[0]["name"], name,
            "found by its SQL-looking text, stored as typed"
        );
        let all = json(
            app.call(&office, "customers/list", &[("search", "")]).await,
            200,
        )
        .await;
        assert!(
            all.as_array().unwrap().len() > 5,
            "the customers table is still there"
        );
        let id = found[0]["id"].as_str().unwrap();
        let html = office
            .get(app.url(&format!("/customers/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("&lt;b&gt;&amp; Sons&lt;/b&gt;"),
            "the name is shown as text"
        );
        assert!(
            !html.contains("<b>& Sons</b>"),
            "markup in the name reached the page: {}",
            // `get`, not indexing: 300 bytes back may fall inside a character.
            html.get(html.find("<b>& Sons</b>").unwrap_or(0).saturating_sub(300)..)
                .unwrap_or(&html)
                .chars()
                .take(600)
                .collect::<String>()
        );
    }
}
