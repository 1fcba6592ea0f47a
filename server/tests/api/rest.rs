//! The REST API: tokens an admin makes and revokes, and the OpenAPI document held to what
//! the server really answers.

use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::HashMap;

const ADMIN: &str = "admin@rapport.example";

/// A token the admin makes on the API tokens page.
async fn make_token(app: &TestApp, admin: &reqwest::Client, name: &str) -> String {
    let made = json(app.call(admin, "tokens/new", &[("name", name)]).await, 200).await;
    made.as_str().expect("the token").to_string()
}

fn with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {token}").parse().unwrap(),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(ANSWER_WITHIN)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_a_token_other_systems_use_until_it_is_revoked() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let admin = app.login_as(ADMIN).await;
        let token = make_token(&app, &admin, "Accounts").await;
        assert!(token.starts_with(app::api_tokens::TOKEN_PREFIX) && token.len() > 60);
        let api = with_token(&token);
        let res = api
            .get(app.url("/api/v1/customers?search=gift"))
            .send()
            .await
            .unwrap();
        let found = json(res, 200).await;
        assert_eq!(found[0]["name"], demo::DOROTHY);

        // A write through the API is recorded as the admin's.
        let res = api
            .post(app.url("/api/v1/customers"))
            .json(&json!({ "name": "Quayside Laundry", "phone": "0161 555 0142" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let made = res.json::<Value>().await.unwrap();
        assert_eq!(
            location,
            format!("/api/v1/customers/{}", made["id"].as_str().unwrap())
        );
        let id: uuid::Uuid = made["id"].as_str().unwrap().parse().unwrap();
        let history = app.store.history("customer", id).await.unwrap();
        let admin_id = app.store.find_login(ADMIN).await.unwrap().unwrap().0.id;
        assert_eq!(history[0].by_user_id, Some(admin_id));

        // A PATCH that is refused in part is refused whole: nothing is written.
        let office_id = app.store.find_login(OFFICE).await.unwrap().unwrap().0.id;
        let res = api
            .patch(app.url(&location))
            .json(&json!({ "phone": "0161 000 0000", "assigned_technician_id": office_id }))
            .send()
            .await
            .unwrap();
        assert!(message(&json(res, 400).await).contains("is not an active technician"));
        let unchanged = app.store.get_customer(id).await.unwrap().unwrap();
        assert_eq!(unchanged.phone, "0161 555 0142");
        let res = api
            .patch(app.url(&location))
            .json(&json!({ "phone": "0161 000 0000", "version": unchanged.version - 1 }))
            .send()
            .await
            .unwrap();
        assert!(message(&json(res, 409).await).contains("changed since that version"));

        // The token is for the REST API only: not the phones' sync, not pages.
        let sync = api
            .get(app.url("/api/v1/sync/pull?cursor=0"))
            .send()
            .await
            .unwrap();
        assert_eq!(sync.status().as_u16(), 401);
        let page = api.get(app.url("/customers")).send().await.unwrap();
        assert!(page.status().is_redirection(), "{}", page.status());

        let listed = json(app.call(&admin, "tokens/list", &[]).await, 200).await;
        assert_eq!(listed[0]["name"], "Accounts");
        assert!(listed[0]["last_used"].is_string(), "{listed}");
        let token_id = listed[0]["id"].as_str().unwrap().to_string();

        // Only the admin makes tokens; the office cannot.
        let office = app.login_as(OFFICE).await;
        let res = app.call(&office, "tokens/new", &[("name", "Mine")]).await;
        assert_eq!(res.status().as_u16(), 403);

        json(
            app.call(&admin, "tokens/revoke", &[("id", &token_id)])
                .await,
            200,
        )
        .await;
        for client in [api, with_token("rapport_mistyped")] {
            let res = client
                .get(app.url("/api/v1/customers"))
                .send()
                .await
                .unwrap();
            assert!(message(&json(res, 401).await).contains("revoked or is mistyped"));
        }
        let listed = json(app.call(&admin, "tokens/list", &[]).await, 200).await;
        assert!(listed[0]["revoked"].is_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_answers_as_documented() {
    for app in spawn_apps(true).await {
        eprintln!("backend: {}", app.backend);
        let admin = app.login_as(ADMIN).await;
        let api = with_token(&make_token(&app, &admin, "Conformance").await);
        let sam = app.login_as(SAM).await;
        let res = client()
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap();
        let doc = json(res, 200).await;
        assert_eq!(doc["openapi"], "3.1.0");

        // Real ids for the path parameters.
        let dorothy = app
            .store
            .list_customers(&store::CustomerFilter {
                search: "gift".into(),
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        let priority = app.store.priorities_of(&[dorothy]).await.unwrap()[0].id;
        let promise = app
            .store
            .promises(&store::PromiseFilter {
                status: Some(domain::PromiseStatus::Open),
                ..Default::default()
            })
            .await
            .unwrap()[0]
            .id;
        let visit = app.store.all_visits().await.unwrap()[0].id;
        let ids: HashMap<&str, String> = HashMap::from([
            ("/api/v1/customers/{id}", dorothy.to_string()),
            ("/api/v1/customers/{id}/priorities", dorothy.to_string()),
            ("/api/v1/priorities/{id}", priority.to_string()),
            ("/api/v1/promises/{id}", promise.to_string()),
            ("/api/v1/promises/{id}/close", promise.to_string()),
            ("/api/v1/visits/{id}", visit.to_string()),
        ]);

        let mut tried = 0;
        for (template, item) in doc["paths"].as_object().unwrap() {
            for method in ["get", "post", "patch", "delete"] {
                let Some(op) = item.get(method) else {
                    continue;
                };
                let name = format!("{} {template}", method.to_uppercase());
                let documented = |status: u16| {
                    op["responses"]
                        .get(status.to_string())
                        .unwrap_or_else(|| panic!("{name}: {status} is not documented"))
                        .clone()
                };
                let example = op["requestBody"]["content"]["application/json"]["example"].clone();
                let example = with_customer(example, &dorothy.to_string());
                let has_body = !op["requestBody"].is_null();
                let url = |id: Option<&str>| match id {
                    Some(id) => app.url(&template.replace("{id}", id)),
                    None => app.url(template),
                };
                let send = |client: &reqwest::Client, url: String, body: Option<Value>| {
                    let request = client.request(method.to_uppercase().parse().unwrap(), url);
                    match body {
                        Some(body) => request.json(&body),
                        None => request,
                    }
                    .send()
                };
                let real_id = ids.get(template.as_str()).map(String::as_str);
                let body = has_body.then(|| example.clone());

                // Without a token, and as a technician: refused, as documented.
                for (who, client, status) in
                    [("nobody", &client(), 401), ("a technician", &sam, 403)]
                {
                    let res = send(client, url(real_id), body.clone()).await.unwrap();
                    assert_eq!(res.status().as_u16(), status, "{name} as {who}");
                    conforms(&doc, &documented(status), res, &name).await;
                }

                // The documented example, with a token: the documented success.
                let success: u16 = op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .filter_map(|k| k.parse().ok())
                    .find(|s| (200..300).contains(s))
                    .unwrap_or_else(|| panic!("{name} documents no success"));
                let res = send(&api, url(real_id), body.clone()).await.unwrap();
                let status = res.status().as_u16();
                assert_eq!(status, success, "{name} with its example");
                conforms(&doc, &documented(status), res, &name).await;

                if real_id.is_some() {
                    let unknown = uuid::Uuid::now_v7().to_string();
                    let res = send(&api, url(Some(&unknown)), body.clone()).await.unwrap();
                    assert_eq!(res.status().as_u16(), 404, "{name} with an unknown id");
                    conforms(&doc, &documented(404), res, &name).await;
                    let res = send(&api, url(Some("not-an-id")), body.clone())
                        .await
                        .unwrap();
                    assert_eq!(res.status().as_u16(), 400, "{name} with a malformed id");
                    conforms(&doc, &documented(400), res, &name).await;
                }
                if has_body {
                    let res = send(&api, url(real_id), Some(json!(["not", "an", "object"])))
                        .await
                        .unwrap();
                    assert_eq!(res.status().as_u16(), 400, "{name} with a bad body");
                    conforms(&doc, &documented(400), res, &name).await;
                }
                tried += 1;
            }
        }
        assert_eq!(tried, 14, "every operation was tried");
    }
}

/// The example's `customer_id` made a real one.
fn with_customer(mut example: Value, customer: &str) -> Value {
    if let Some(id) = example.get_mut("customer_id") {
        *id = json!(customer);
    }
    example
}

/// Checks an answer against its documented response: JSON of the documented schema, or no
/// body where none is documented.
async fn conforms(doc: &Value, response: &Value, res: reqwest::Response, name: &str) {
    let schema = &response["content"]["application/json"]["schema"];
    let text = res.text().await.unwrap();
    if schema.is_null() {
        assert!(text.is_empty(), "{name}: no body is documented, got {text}");
        return;
    }
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{name}: the answer is not JSON ({e}): {text}"));
    if let Err(problem) = check(doc, schema, &value, "$") {
        panic!("{name}: {problem}\n{value:#}");
    }
}

/// A small JSON Schema check: the parts the document uses ($ref, type, nullable types, enum,
/// required, properties, additionalProperties: false, items, and formats).
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types.is_empty() && !types.contains(&kind) {
        return Err(format!("{at} is {kind}, documented as {types:?}"));
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            return Err(format!("{at} = {value} is not one of {allowed:?}"));
        }
    }
    match value {
        Value::String(s) => {
            let ok = match schema["format"].as_str() {
                Some("uuid") => uuid::Uuid::parse_str(s).is_ok(),
                Some("date") => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
                Some("date-time") => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
                Some("time") => chrono::NaiveTime::parse_from_str(s, "%H:%M:%S").is_ok(),
                _ => true,
            };
            if !ok {
                return Err(format!("{at} = {s:?} is not a {}", schema["format"]));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(doc, &schema["items"], item, &format!("{at}[{i}]"))?;
            }
        }
        Value::Object(fields) => {
            for required in schema["required"].as_array().into_iter().flatten() {
                let required = required.as_str().unwrap();
                if !fields.contains_key(required) {
                    return Err(format!("{at}.{required} is required but missing"));
                }
            }
            let properties = schema["properties"].as_object();
            for (key, field) in fields {
                match properties.and_then(|p| p.get(key)) {
                    Some(property) => check(doc, property, field, &format!("{at}.{key}"))?,
                    None if properties.is_some() => {
                        return Err(format!("{at}.{key} is not documented"))
                    }
                    None => {}
                }
            }
        }
        _ => {}
    }
    Ok(())
}
