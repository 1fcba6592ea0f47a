//! What the sync tests that start whole servers share: a small world of people, sessions and
//! visits seeded straight into the store, and HTTP clients carrying a session.
// Each test binary uses part of it.
#![allow(dead_code)]

use chrono::{Duration, Utc};
use client::TransportError;
use domain::{new_id, CustomerDraft, Role, UserSummary, VisitStatus};
use std::collections::BTreeMap;
use store::{DynStore, NewSession, NewUser, NewVisit};
use uuid::Uuid;

/// What was seeded: people, their sessions, and customers with visits.
pub struct World {
    pub office: UserSummary,
    pub sam: UserSummary,
    pub priya: UserSummary,
    pub tokens: BTreeMap<Uuid, String>,
    pub customers: Vec<Uuid>,
}

/// Seeds the world: an office user, Sam and Priya, each with a session (nobody logs in:
/// argon2 would dominate a test that starts hundreds of worlds), and four customers with
/// visits today and tomorrow.
pub async fn seed(store: &DynStore) -> World {
    let now = Utc::now();
    let today = now.date_naive();
    let mut people = vec![];
    let mut tokens = BTreeMap::new();
    for (email, name, role) in [
        ("office@x.example", "Olive Office", Role::Office),
        ("sam@x.example", "Sam Tech", Role::Technician),
        ("priya@x.example", "Priya Tech", Role::Technician),
    ] {
        let user = NewUser {
            email: email.into(),
            name: name.into(),
            role,
            // Nobody logs in: each device gets a session directly (argon2 would dominate).
            password_hash: "-".into(),
        };
        let user = store.create_user(user, now).await.unwrap();
        let token = format!("token-{}", new_id().simple());
        let session = NewSession {
            token_hash: store::password::token_hash(&token),
            user_id: user.id,
            user_agent: "sync_faults".into(),
            expires_at: now + Duration::days(30),
        };
        store.create_session(session, now).await.unwrap();
        tokens.insert(user.id, token);
        people.push(user);
    }
    let (office, sam, priya) = (people[0].clone(), people[1].clone(), people[2].clone());
    // Sam serves three customers (one visit tomorrow), Priya one; one of Sam's customers also
    // has a visit with Priya, so both see her and both may edit her phone number.
    let plan = [
        ("Dorothy's Gift Shop", &sam, vec![(&sam, 0), (&priya, 1)]),
        ("Harbour Dental", &sam, vec![(&sam, 0)]),
        ("Greenfield Farm", &sam, vec![(&sam, 1)]),
        ("Mill Lane Bakery", &priya, vec![(&priya, 0)]),
    ];
    let mut customers = vec![];
    for (i, (name, assigned, visits)) in plan.into_iter().enumerate() {
        let draft = CustomerDraft {
            name: name.into(),
            phone: format!("555-010{i}"),
            access_notes: "Ring the bell".into(),
            ..Default::default()
        };
        let customer = store
            .create_customer(new_id(), draft, Some(assigned.id), Some(office.id), now)
            .await
            .unwrap();
        for (position, (technician, days_ahead)) in visits.into_iter().enumerate() {
            let visit = NewVisit {
                id: new_id(),
                plan: None,
                created_by: Some(office.id),
                customer_id: customer.id,
                technician_id: Some(technician.id),
                scheduled_on: today + Duration::days(days_ahead),
                window_start: None,
                window_end: None,
                position: position as i64,
                status: VisitStatus::Scheduled,
                arrived_at: None,
                departed_at: None,
                skip_reason: None,
            };
            store.create_visit(visit, now).await.unwrap();
        }
        customers.push(customer.id);
    }
    World {
        office,
        sam,
        priya,
        tokens,
        customers,
    }
}

/// A client that sends this session's cookie, as a logged-in browser would.
pub fn session_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let cookie = format!("{}={token}", app::auth::SESSION_COOKIE);
    headers.insert(reqwest::header::COOKIE, cookie.parse().unwrap());
    // No kept-alive connections: after a restart every request reaches the new server, and
    // the old one's connections (which hold its database pool) close.
    reqwest::Client::builder()
        .default_headers(headers)
        // A hung answer fails the test rather than the whole run.
        .timeout(std::time::Duration::from_secs(120))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

/// A sync response as the device sees it: 401 signs it out, anything but 200 is a failure.
pub async fn answer<T: serde::de::DeserializeOwned>(
    res: reqwest::Response,
) -> Result<T, TransportError> {
    let status = res.status().as_u16();
    if status != 200 {
        return Err(client::server_error(
            status,
            &res.text().await.unwrap_or_default(),
        ));
    }
    res.json().await.map_err(|e| TransportError::Server {
        status,
        message: e.to_string(),
    })
}
