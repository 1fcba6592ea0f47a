use crate::helpers::*;
use serde_json::Value;

async fn find_customer(app: &TestApp, c: &reqwest::Client, search: &str) -> Value {
    let list = json(
        app.call(c, "customers/list", &[("search", search)]).await,
        200,
    )
    .await;
    list[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_searches_every_customer_and_a_technician_sees_only_their_own() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let all = json(
            app.call(&office, "customers/list", &[("search", "")]).await,
            200,
        )
        .await;
        assert!(all.as_array().unwrap().len() >= 40);
        let found = json(
            app.call(&office, "customers/list", &[("search", "gift")])
                .await,
            200,
        )
        .await;
        assert_eq!(found[0]["name"], demo::DOROTHY);
        assert_eq!(found[0]["top_priority"], demo::SAME_TECHNICIAN);

        let sam = app.login_as(SAM).await;
        let mine = json(
            app.call(&sam, "customers/list", &[("search", "")]).await,
            200,
        )
        .await;
        let mine = mine.as_array().unwrap();
        assert!(!mine.is_empty() && mine.len() < all.as_array().unwrap().len());
        assert!(mine
            .iter()
            .all(|c| c["assigned_technician_name"] == "Sam Ortiz"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_cannot_open_another_technicians_customer() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        // Sam's customer, whom Priya has never served.
        let diner = find_customer(&app, &office, "green fork").await;
        let priya = app.login_as(PRIYA).await;
        let id = diner["id"].as_str().unwrap();
        let res = app.call(&priya, "customers/get", &[("id", id)]).await;
        assert_eq!(res.status().as_u16(), 403);
        let res = client()
            .get(app.url(&format!("/customers/{id}")))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "no session: to login");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_creates_and_edits_a_customer_and_assigns_a_technician() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let form = [
            ("id", ""),
            ("name", "  Acme Corner Store "),
            ("contact_name", "Ann"),
            ("address", "5 Side St"),
            ("phone", "(555) 123-4567"),
            ("email", ""),
            ("access_notes", "Back door"),
        ];
        let res = app.call(&office, "customers/save", &form).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{}",
            res.status()
        );
        let acme = find_customer(&app, &office, "acme").await;
        assert_eq!(acme["name"], "Acme Corner Store");
        let id = acme["id"].as_str().unwrap().to_string();

        let bad = [
            ("id", id.as_str()),
            ("name", ""),
            ("contact_name", ""),
            ("address", ""),
            ("phone", ""),
            ("email", ""),
            ("access_notes", ""),
        ];
        let res = app.call(&office, "customers/save", &bad).await;
        assert_eq!(message(&json(res, 422).await), "Name is required.");

        let sam = app.store.find_login(SAM).await.unwrap().unwrap().0;
        let sam_id = sam.id.to_string();
        let form = [
            ("customer_id", id.as_str()),
            ("assigned", sam_id.as_str()),
            ("backup", ""),
        ];
        json(app.call(&office, "customers/assign", &form).await, 200).await;
        let detail = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        assert_eq!(detail["assigned_name"], "Sam Ortiz");

        // Only technicians can be assigned, and technicians cannot edit customers.
        let office_id = app
            .store
            .find_login(OFFICE)
            .await
            .unwrap()
            .unwrap()
            .0
            .id
            .to_string();
        let form = [
            ("customer_id", id.as_str()),
            ("assigned", office_id.as_str()),
            ("backup", ""),
        ];
        assert_eq!(
            app.call(&office, "customers/assign", &form)
                .await
                .status()
                .as_u16(),
            422
        );
        let sam_client = app.login_as(SAM).await;
        let res = app
            .call(
                &sam_client,
                "customers/save",
                &form_with_name(&id, "Hijacked"),
            )
            .await;
        assert_eq!(res.status().as_u16(), 403);
    }
}

fn form_with_name<'a>(id: &'a str, name: &'a str) -> [(&'a str, &'a str); 7] {
    [
        ("id", id),
        ("name", name),
        ("contact_name", ""),
        ("address", ""),
        ("phone", ""),
        ("email", ""),
        ("access_notes", ""),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_page_is_rendered_on_the_server_with_priorities_first() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let dorothy = find_customer(&app, &office, "gift").await;
        let res = office
            .get(app.url(&format!("/customers/{}", dorothy["id"].as_str().unwrap())))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let html = res.text().await.unwrap();
        let priorities = html.find(">Priorities<").expect("priorities card");
        let details = html.find(">Details<").expect("details card");
        assert!(priorities < details, "priorities come first");
        assert!(
            html.contains("Same technician every time — strangers in the shop make her nervous")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_or_malformed_customer_id_gets_a_clear_answer() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let res = app
            .call(&office, "customers/get", &[("id", "not-a-uuid")])
            .await;
        assert!(message(&json(res, 422).await).contains("is not a valid customer id"));
        let res = app
            .call(
                &office,
                "customers/get",
                &[("id", &uuid::Uuid::now_v7().to_string())],
            )
            .await;
        assert_eq!(res.status().as_u16(), 404);
    }
}

/// Leptos can leave a streamed page unfinished when a resource is created inside a
/// `Suspense` (it happened to the customer page in CI): such a page stalls on every load.
/// Every signed-in page, many times over and side by side, must arrive whole. Leptos also has
/// a rare race (seen 3 times in several thousand page loads by the API tests) in which one load
/// stalls and the next is fine: a stalled page is printed with where it stopped and loaded
/// again; it fails if the same page stalls twice or if stalls are more than rare.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_arrives_whole_when_many_load_at_once() {
    let app = spawn_apps(true).await.remove(0);
    let office = app.login_as(OFFICE).await;
    let sam = app.login_as(SAM).await;
    let dorothy = find_customer(&app, &office, "gift").await;
    let dorothy = format!("/customers/{}", dorothy["id"].as_str().unwrap());
    let pages = [
        (&office, dorothy.as_str()),
        (&office, "/promises"),
        (&office, "/board"),
        (&office, "/at-risk"),
        (&office, "/customers"),
        (&sam, "/today"),
        (&sam, dorothy.as_str()),
        (&sam, "/calendar"),
    ];
    // RAPPORT_PAGE_ROUNDS=500 for a longer hunt.
    let rounds = std::env::var("RAPPORT_PAGE_ROUNDS").map_or(20, |n| n.parse().unwrap());
    let stalls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stall = std::time::Duration::from_secs(20);
    for round in 0..rounds {
        let mut loads = tokio::task::JoinSet::new();
        for (who, path) in pages {
            let (who, url, path) = (who.clone(), app.url(path), path.to_string());
            let stalls = stalls.clone();
            loads.spawn(async move {
                let page = match load_page(&who, &url, stall).await {
                    Ok(page) => page,
                    Err(first) => {
                        eprintln!("round {round}: {first}; loading it again");
                        stalls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        load_page(&who, &url, stall).await.unwrap_or_else(|second| {
                            panic!("round {round}: {path} stalled twice: {first}; {second}")
                        })
                    }
                };
                assert_eq!(page.0.as_u16(), 200, "{path}");
                assert!(page.1.contains("</html>"), "{path}");
            });
        }
        while let Some(done) = loads.join_next().await {
            done.unwrap();
        }
    }
    let stalls = stalls.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        stalls * 50 <= rounds * pages.len(),
        "{stalls} of {} loads stalled: not a rare race any more",
        rounds * pages.len()
    );
}
