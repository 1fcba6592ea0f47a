use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_priority_the_office_adds_is_on_the_technicians_stop_today() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let list = json(
            app.call(&office, "customers/list", &[("search", "gift")])
                .await,
            200,
        )
        .await;
        let id = list[0]["id"].as_str().unwrap().to_string();
        let text = "Prefers the back door <script>alert(1)</script>";
        let res = app
            .call(
                &office,
                "priorities/add",
                &[("customer_id", &id), ("text", text)],
            )
            .await;
        let added = json(res, 200).await;
        assert_eq!(added["heard_by_name"], "Olivia Grant");
        assert_eq!(added["heard_role"], "office");

        let sam = app.login_as(SAM).await;
        let route = json(app.call(&sam, "today/route", &[]).await, 200).await;
        let stop = route["stops"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["customer"]["id"] == id.as_str())
            .expect("Dorothy is on Sam's route today");
        let texts: Vec<_> = stop["priorities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["text"].clone())
            .collect();
        assert_eq!(texts[0], demo::SAME_TECHNICIAN, "pinned stays first");
        assert!(texts.iter().any(|t| t == text));

        // Rendered escaped on the page, never as markup.
        let html = sam
            .get(app.url("/today"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<script>alert(1)</script>"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn priorities_are_edited_and_retired_and_bad_input_is_refused() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let office = app.login_as(OFFICE).await;
        let list = json(
            app.call(&office, "customers/list", &[("search", "bakery")])
                .await,
            200,
        )
        .await;
        let id = list[0]["id"].as_str().unwrap().to_string();

        let res = app
            .call(
                &office,
                "priorities/add",
                &[("customer_id", &id), ("text", "   ")],
            )
            .await;
        assert_eq!(
            message(&json(res, 422).await),
            "Write the priority in the customer's words."
        );

        let res = app
            .call(
                &office,
                "priorities/add",
                &[
                    ("customer_id", &id),
                    ("text", "Ring twice"),
                    ("pinned", "on"),
                ],
            )
            .await;
        let p = json(res, 200).await;
        assert_eq!(p["pinned"], true);
        let pid = p["id"].as_str().unwrap().to_string();

        let res = app
            .call(
                &office,
                "priorities/edit",
                &[("id", &pid), ("text", "Ring twice, then wait")],
            )
            .await;
        let edited = json(res, 200).await;
        assert_eq!(edited["text"], "Ring twice, then wait");
        assert_eq!(edited["pinned"], false);

        json(
            app.call(&office, "priorities/retire", &[("id", &pid)])
                .await,
            200,
        )
        .await;
        let detail = json(
            app.call(&office, "customers/get", &[("id", &id)]).await,
            200,
        )
        .await;
        assert!(detail["priorities"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != pid.as_str()));
        let res = app
            .call(&office, "priorities/retire", &[("id", &pid)])
            .await;
        assert_eq!(res.status().as_u16(), 404);

        // Another technician's customer is out of bounds for adding too.
        let priya = app.login_as(PRIYA).await;
        let diner = json(
            app.call(&office, "customers/list", &[("search", "green fork")])
                .await,
            200,
        )
        .await;
        let did = diner[0]["id"].as_str().unwrap();
        let res = app
            .call(
                &priya,
                "priorities/add",
                &[("customer_id", did), ("text", "x")],
            )
            .await;
        assert_eq!(res.status().as_u16(), 403);
    }
}
