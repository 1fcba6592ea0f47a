//! A technician's calendar feed: a secret link, their visits only, and a new link retires the
//! old one.

use crate::helpers::*;
use reqwest::Client;

async fn new_link(app: &TestApp, c: &Client) -> String {
    let url = json(app.call(c, "calendar/new", &[]).await, 200).await;
    url.as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_subscribes_to_their_own_visits_and_a_new_link_retires_the_old() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let sam = app.login_as(SAM).await;
        let made = json(app.call(&sam, "calendar/status", &[]).await, 200).await;
        assert!(made.is_null(), "no link yet");
        let link = new_link(&app, &sam).await;
        assert!(link.starts_with(&app.url("/api/v1/calendar/")), "{link}");
        assert!(link.ends_with(".ics"));

        // A calendar app fetches it with no cookie at all.
        let res = reqwest::get(&link).await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar"));
        let ics = res.text().await.unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.contains(&format!("SUMMARY:{}\r\n", demo::DOROTHY)));
        assert!(
            ics.contains("What matters: "),
            "priorities travel with the visit"
        );
        let sam_id = app.store.find_login(SAM).await.unwrap().unwrap().0.id;
        let today = chrono::Utc::now().date_naive();
        let visits = app
            .store
            .technician_visits(sam_id, today, today + chrono::Duration::days(7))
            .await
            .unwrap();
        assert!(!visits.is_empty());
        for v in &visits {
            assert!(
                ics.contains(&format!("UID:{}@rapport", v.id)),
                "Sam's visit {}",
                v.id
            );
        }
        // Only Sam's: none of Priya's visits.
        let priya = app.store.find_login(PRIYA).await.unwrap().unwrap().0.id;
        for v in app
            .store
            .technician_visits(priya, today, today + chrono::Duration::days(7))
            .await
            .unwrap()
        {
            assert!(
                !ics.contains(&v.id.to_string()),
                "Priya's visit in Sam's feed"
            );
        }

        let made = json(app.call(&sam, "calendar/status", &[]).await, 200).await;
        assert!(made.is_string(), "the page says a link exists");
        let newer = new_link(&app, &sam).await;
        assert_ne!(newer, link);
        let old = reqwest::get(&link).await.unwrap();
        assert_eq!(old.status().as_u16(), 404);
        let body: serde_json::Value = old.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("Make a new one"));
        assert_eq!(reqwest::get(&newer).await.unwrap().status().as_u16(), 200);
        let feed = |file: &str| reqwest::get(app.url(&format!("/api/v1/calendar/{file}")));
        assert_eq!(feed("nope.ics").await.unwrap().status().as_u16(), 404);
        // Only `<token>.ics` is public: anything else under the prefix needs a session.
        for other in ["nope", "a/b.ics"] {
            assert_eq!(feed(other).await.unwrap().status().as_u16(), 401, "{other}");
        }

        // Calendar links are a technician's: the office has no route to show.
        let office = app.login_as(OFFICE).await;
        assert_eq!(
            app.call(&office, "calendar/new", &[])
                .await
                .status()
                .as_u16(),
            403
        );
        let nobody = client();
        assert_eq!(
            app.call(&nobody, "calendar/new", &[])
                .await
                .status()
                .as_u16(),
            401
        );
    }
}
