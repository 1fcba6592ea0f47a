//! One rule for text on every path and both databases: control characters other than line
//! breaks and tabs are refused with a reason (PostgreSQL cannot store a NUL at all, and a push
//! that fails with a 500 is retried for ever, blocking the phone's whole queue).

use crate::helpers::*;
use crate::sync::{dorothys_visit_today, note, Device};
use domain::sync::Outcome;
use serde_json::json as j;

const CONTROL: &str = "contains an invisible control character";

/// A form's fields, as a browser sends them.
type Form<'a> = Vec<(&'a str, &'a str)>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nul_in_one_note_is_rejected_alone_and_the_rest_of_the_push_applies() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let mut sam = Device::of(&app, SAM).await;
        let visit = dorothys_visit_today(&app, &sam).await;
        let push = [
            sam.mutation(note(visit, "Two stations chewed; replaced both.")),
            sam.mutation(note(visit, "Gate code 4411\0 (pasted)")),
            // Line breaks as a browser sends them (CR LF) and tabs are text like any other.
            sam.mutation(note(visit, "Back room:\r\n\tbait topped up")),
        ];
        let outcomes = sam.push(&app, &push).await;
        assert_eq!(outcomes[0], Outcome::Applied);
        assert_eq!(outcomes[2], Outcome::Applied);
        let Outcome::Rejected { reason } = &outcomes[1] else {
            panic!("the NUL note: {:?}", outcomes[1]);
        };
        assert_eq!(
            reason,
            "The note contains an invisible control character (NUL, U+0000) at character 15; \
             delete it (it usually comes from pasting out of another app) and try again."
        );
        // Sent again (the answer was lost): the same answers, nothing twice.
        let again = sam.push(&app, &push).await;
        assert_eq!(
            again,
            [Outcome::Duplicate, outcomes[1].clone(), Outcome::Duplicate]
        );
        let notes = sam.pull(&app, 0, 5000).await.notes;
        let bodies: Vec<&str> = notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(
            bodies,
            [
                "Two stations chewed; replaced both.",
                "Back room:\r\n\tbait topped up"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_rest_and_import_refuse_control_characters_and_change_nothing() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let dorothy = json(
            app.call(&office, "customers/list", &[("search", "gift")])
                .await,
            200,
        )
        .await[0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let admin = app.login_as("admin@rapport.example").await;
        let token = json(
            app.call(&admin, "tokens/new", &[("name", "Accounts")])
                .await,
            200,
        )
        .await
        .as_str()
        .unwrap()
        .to_string();
        let before = snapshot(&app).await;

        let due = (chrono::Utc::now().date_naive() + chrono::Duration::days(3)).to_string();
        let forms: Vec<(&str, Form, &str)> = vec![
            (
                "customers/save",
                vec![
                    ("id", ""),
                    ("name", "Quayside\0 Laundry"),
                    ("contact_name", ""),
                    ("address", ""),
                    ("phone", ""),
                    ("email", ""),
                    ("access_notes", ""),
                ],
                "Name",
            ),
            (
                "customers/save",
                vec![
                    ("id", ""),
                    ("name", "Quayside Laundry"),
                    ("contact_name", ""),
                    ("address", ""),
                    ("phone", ""),
                    ("email", ""),
                    ("access_notes", "Key under the mat\u{1b}[2J"),
                ],
                "Access notes",
            ),
            (
                "priorities/add",
                vec![("customer_id", &dorothy), ("text", "Quiet\0 please")],
                "The priority",
            ),
            (
                "promises/add",
                vec![
                    ("customer_id", &dorothy),
                    ("text", "Bring\0 the lid"),
                    ("due_on", &due),
                    ("owner", ""),
                ],
                "The promise",
            ),
        ];
        for (endpoint, form, field) in &forms {
            let res = app.call(&office, endpoint, form).await;
            assert!(
                res.status().is_client_error(),
                "{endpoint}: {}",
                res.status()
            );
            let said = message(&res.json().await.unwrap());
            assert!(
                said.starts_with(&format!("{field} {CONTROL}")),
                "{endpoint}: {said}"
            );
        }

        let api = reqwest::Client::new();
        let res = api
            .post(app.url("/api/v1/customers"))
            .bearer_auth(&token)
            .json(&j!({ "name": "Quayside\u{0} Laundry" }))
            .send()
            .await
            .unwrap();
        let body = json(res, 400).await;
        let said = body["error"].as_str().unwrap();
        assert!(said.starts_with(&format!("Name {CONTROL}")), "{said}");

        let file = "name,phone\nQuayside\u{7f} Laundry,0161 555 0142\n";
        let shown = json(
            office
                .post(app.url("/api/v1/import/customers/preview"))
                .json(&j!({ "csv": file }))
                .send()
                .await
                .unwrap(),
            200,
        )
        .await;
        let row = &shown["rows"][0];
        assert_eq!(row["action"], "reject", "{row}");
        let detail = row["detail"].as_str().unwrap();
        assert!(detail.contains(&format!("Name {CONTROL}")), "{detail}");

        assert_eq!(snapshot(&app).await, before, "nothing was stored");
    }
}
