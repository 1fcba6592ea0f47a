//! CSV export and the customer import, over HTTP, on both backends.

use crate::helpers::*;
use serde_json::{json, Value};

async fn export(app: &TestApp, who: &reqwest::Client, table: &str) -> String {
    let res = who
        .get(app.url(&format!("/api/v1/export/{table}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200, "{table}");
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(kind, "text/csv; charset=utf-8");
    let disposition = res.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with(&format!("attachment; filename=\"rapport-{table}-")));
    res.text().await.unwrap()
}

async fn post(app: &TestApp, who: &reqwest::Client, path: &str, body: &Value) -> reqwest::Response {
    who.post(app.url(path)).json(body).send().await.unwrap()
}

async fn preview(app: &TestApp, who: &reqwest::Client, body: &Value) -> Value {
    json(
        post(app, who, "/api/v1/import/customers/preview", body).await,
        200,
    )
    .await
}

/// The lines of a CSV file, as a spreadsheet reads them (quoted line breaks included).
fn records(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_customer_file_imported_again_changes_nothing() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let before = snapshot(&app).await;
        let file = export(&app, &office, "customers").await;
        let lines = records(&file);
        let customers = app.store.known_customers().await.unwrap();
        assert_eq!(
            lines.len(),
            customers.len() + 1,
            "a header and a line per customer"
        );
        assert_eq!(
            lines[0],
            [
                "id",
                "name",
                "contact_name",
                "address",
                "phone",
                "email",
                "access_notes",
                "technician",
                "backup_technician",
                "priorities"
            ]
        );
        let dorothy = lines
            .iter()
            .find(|l| l[1] == demo::DOROTHY)
            .expect("Dorothy's line");
        assert_eq!(dorothy[7], SAM);
        assert!(dorothy[9].lines().any(|p| p == demo::SAME_TECHNICIAN));

        let body = json!({ "csv": file });
        let shown = preview(&app, &office, &body).await;
        assert_eq!(shown["problem"], Value::Null);
        let body = json!({ "csv": file, "based_on": shown["based_on"] });
        assert_eq!(
            shown["counts"],
            json!({ "create": 0, "update": 0, "unchanged": customers.len(), "reject": 0 }),
            "{:#}",
            shown["rows"]
        );
        let done = json(
            post(&app, &office, "/api/v1/import/customers", &body).await,
            200,
        )
        .await;
        assert_eq!(
            done,
            json!({ "created": 0, "updated": 0, "priorities": 0, "unchanged": customers.len(), "rejected": 0 })
        );
        assert_eq!(
            snapshot(&app).await,
            before,
            "the round trip changed nothing"
        );
        assert_eq!(export(&app, &office, "customers").await, file);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priorities_visits_and_promises_export_every_row() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let priorities = app.store.all_priorities().await.unwrap();
        let visits = app.store.all_visits().await.unwrap();
        let promises = app
            .store
            .promises(&store::PromiseFilter::default())
            .await
            .unwrap();
        for (table, rows, header) in [
            (
                "priorities",
                priorities.len(),
                "id,customer_id,customer,text,pinned",
            ),
            (
                "visits",
                visits.len(),
                "id,customer_id,customer,technician,scheduled_on",
            ),
            (
                "promises",
                promises.len(),
                "id,customer_id,customer,text,owner,due_on",
            ),
        ] {
            let file = export(&app, &office, table).await;
            assert!(file.starts_with(header), "{table}: {file:.80}");
            assert_eq!(records(&file).len(), rows + 1, "{table}");
            assert!(rows > 0, "the demo has {table}");
        }
        let visits_file = records(&export(&app, &office, "visits").await);
        let first = visits.first().unwrap();
        let line = visits_file
            .iter()
            .find(|l| l[0] == first.id.to_string())
            .unwrap();
        assert_eq!(line[4], first.scheduled_on.to_string());

        let res = office
            .get(app.url("/api/v1/export/invoices.csv"))
            .send()
            .await
            .unwrap();
        assert!(message(&json(res, 404).await).contains("choose customers.csv"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_is_previewed_row_by_row_then_imported_as_previewed() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let file = format!(
            "Business,Tel,Technician,Door code,Priorities\n\
             Harbour Bakery,'+44 161 555 0199,{SAM},4711,\"Deliveries before 7\nNo van in the yard\"\n\
             {dorothy},0161 555 0000,,,Ring the bell twice\n\
             Nobody's Shop,1,Olive Unknown,,\n",
            dorothy = demo::DOROTHY
        );

        // "Business" is recognised as the name; "Door code" is not known and waits for a choice.
        let shown = preview(&app, &office, &json!({ "csv": file })).await;
        assert_eq!(shown["problem"], Value::Null);
        let gate = &shown["columns"][3];
        assert_eq!(gate["header"], "Door code");
        assert_eq!(gate["needs_choice"], true);
        assert_eq!(shown["columns"][0]["field"], "name");

        let before = snapshot(&app).await;
        let body = json!({ "csv": file, "mapping": { "Door code": "access_notes" } });
        let shown = preview(&app, &office, &body).await;
        assert_eq!(
            shown["counts"],
            json!({ "create": 1, "update": 1, "unchanged": 0, "reject": 1 })
        );
        let rows = shown["rows"].as_array().unwrap();
        let said: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r["name"].as_str().unwrap(),
                    r["action"].as_str().unwrap(),
                    r["detail"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            said[0],
            (
                "Harbour Bakery",
                "create",
                "new customer; technician Sam Ortiz; 2 new priorities"
            )
        );
        assert_eq!(said[1], (demo::DOROTHY, "update", "phone; 1 new priority"));
        assert_eq!(said[2].1, "reject");
        assert!(said[2]
            .2
            .contains("No active technician is called \"Olive Unknown\""));
        assert_eq!(
            rows[2]["line"], 5,
            "lines count the header and the quoted line break"
        );
        assert_eq!(snapshot(&app).await, before, "a preview writes nothing");

        let seen = json!({
            "csv": file,
            "mapping": { "Door code": "access_notes" },
            "based_on": shown["based_on"]
        });
        let done = json(
            post(&app, &office, "/api/v1/import/customers", &seen).await,
            200,
        )
        .await;
        assert_eq!(
            done,
            json!({ "created": 1, "updated": 1, "priorities": 2 + 1, "unchanged": 0, "rejected": 1 })
        );
        let known = app.store.known_customers().await.unwrap();
        let bakery = known
            .iter()
            .find(|k| k.customer.name == "Harbour Bakery")
            .expect("the new customer");
        assert_eq!(bakery.customer.phone, "+44 161 555 0199");
        assert_eq!(bakery.customer.access_notes, "4711");
        let sam = app.store.find_login(SAM).await.unwrap().unwrap().0;
        assert_eq!(bakery.customer.assigned_technician_id, Some(sam.id));
        assert_eq!(bakery.priorities.len(), 2);
        let dorothy = known
            .iter()
            .find(|k| k.customer.name == demo::DOROTHY)
            .unwrap();
        assert_eq!(dorothy.customer.phone, "0161 555 0000");
        assert!(dorothy
            .priorities
            .iter()
            .any(|p| p == "Ring the bell twice"));
        assert!(!known.iter().any(|k| k.customer.name == "Nobody's Shop"));
        let history = app
            .store
            .history("customer", bakery.customer.id)
            .await
            .unwrap();
        assert_eq!(history[0].detail, "Harbour Bakery (imported)");
        // The priorities are written in bulk: each as one heard by the office, with its audit
        // entry, and distinct versions.
        let olivia = app.store.find_login(OFFICE).await.unwrap().unwrap().0;
        let added = app
            .store
            .priorities_of(&[bakery.customer.id])
            .await
            .unwrap();
        assert_eq!(added.len(), 2);
        assert_ne!(added[0].version, added[1].version);
        for priority in &added {
            assert_eq!(priority.heard_by_id, olivia.id);
            assert_eq!(priority.heard_role, domain::Role::Office);
            let entries = app.store.history("priority", priority.id).await.unwrap();
            assert_eq!(entries.len(), 1, "{entries:?}");
            assert_eq!(entries[0].action, "added");
            assert_eq!(entries[0].detail, priority.text);
        }

        // The same file again: the bakery and Dorothy are now as in the file.
        let again = preview(&app, &office, &body).await;
        assert_eq!(
            again["counts"],
            json!({ "create": 0, "update": 0, "unchanged": 2, "reject": 1 })
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_needs_a_name_column_the_office_and_a_readable_file() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let before = snapshot(&app).await;
        let no_name = json!({ "csv": "Site,Tel\nHarbour Bakery,1\n" });
        let shown = preview(&app, &office, &no_name).await;
        assert_eq!(
            shown["problem"],
            "No column holds the customer's name; choose which column it is."
        );
        let res = post(&app, &office, "/api/v1/import/customers", &no_name).await;
        assert!(message(&json(res, 400).await).starts_with("Nothing was imported. No column"));

        let cases = [
            (json!({ "csv": "" }), 400, "The file is empty"),
            (json!({ "csv": "name,phone\n" }), 400, "no customers"),
            (json!({ "text": "name\nX\n" }), 400, "Send {\"csv\""),
        ];
        for (body, status, says) in cases {
            let res = post(&app, &office, "/api/v1/import/customers/preview", &body).await;
            let answer = json(res, status).await;
            assert!(message(&answer).contains(says), "{body}: {answer}");
        }
        let odd = json!({ "csv": "name\nX\n", "mapping": { "name": "shoe_size" } });
        let shown = preview(&app, &office, &odd).await;
        assert!(shown["problem"]
            .as_str()
            .unwrap()
            .contains("\"shoe_size\" is not something"));
        let huge = json!({ "csv": format!("name\n{}", "x,".repeat(9_000_000)) });
        let res = post(&app, &office, "/api/v1/import/customers", &huge).await;
        assert!(message(&json(res, 413).await).contains("split it into several files"));

        let sam = app.login_as(SAM).await;
        let file = json!({ "csv": "name\nSam's Own\n" });
        for path in [
            "/api/v1/import/customers/preview",
            "/api/v1/import/customers",
        ] {
            let res = post(&app, &sam, path, &file).await;
            assert!(message(&json(res, 403).await).contains("Only the office can import"));
            let res = post(&app, &client(), path, &file).await;
            assert_eq!(res.status().as_u16(), 401);
        }
        let res = sam
            .get(app.url("/api/v1/export/customers.csv"))
            .send()
            .await
            .unwrap();
        assert!(message(&json(res, 403).await).contains("Only the office can export"));
        let res = office
            .post(app.url("/api/v1/import/customers"))
            .header("sec-fetch-site", "cross-site")
            .json(&file)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(snapshot(&app).await, before, "nothing refused was written");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_does_what_its_preview_showed_or_nothing() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let file = format!(
            "name,access_notes\n{},Key under the blue pot\nHarbour Bakery,Side door\n",
            demo::DOROTHY
        );
        let unseen = json!({ "csv": file });
        let res = post(&app, &office, "/api/v1/import/customers", &unseen).await;
        assert!(message(&json(res, 400).await).starts_with("Preview the file first"));

        let shown = preview(&app, &office, &unseen).await;
        let seen = json!({ "csv": file, "based_on": shown["based_on"] });
        // Meanwhile Sam's phone changes Dorothy's access notes: the preview no longer says
        // what the import would overwrite.
        let dorothy = app
            .store
            .known_customers()
            .await
            .unwrap()
            .into_iter()
            .find(|k| k.customer.name == demo::DOROTHY)
            .unwrap()
            .customer;
        let draft = domain::CustomerDraft {
            name: dorothy.name.clone(),
            contact_name: dorothy.contact_name.clone(),
            address: dorothy.address.clone(),
            phone: dorothy.phone.clone(),
            email: dorothy.email.clone(),
            access_notes: "Ring twice; the dog is friendly".into(),
        };
        app.store
            .update_customer(dorothy.id, draft, None, None, chrono::Utc::now())
            .await
            .unwrap();
        let before = snapshot(&app).await;
        let res = post(&app, &office, "/api/v1/import/customers", &seen).await;
        assert_eq!(
            message(&json(res, 409).await),
            format!(
                "{} changed since the preview; nothing was imported. Preview the file again.",
                demo::DOROTHY
            )
        );
        assert_eq!(snapshot(&app).await, before, "nothing was imported");

        // Previewed again, it goes through.
        let shown = preview(&app, &office, &unseen).await;
        let seen = json!({ "csv": file, "based_on": shown["based_on"] });
        let done = json(
            post(&app, &office, "/api/v1/import/customers", &seen).await,
            200,
        )
        .await;
        assert_eq!(
            (done["created"].as_u64(), done["updated"].as_u64()),
            (Some(1), Some(1))
        );
    }
}
