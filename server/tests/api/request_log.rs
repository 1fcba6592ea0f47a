//! Every request's log lines carry its id (sent back as `x-request-id`, so a person reporting
//! a failure can quote it) and the signed-in user the session gate found.

use crate::helpers::*;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::Layer;

/// The log of this test binary, as text.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Starts capturing the request spans and the trace layer's lines (not the database's, which
/// would be most of the log). The only test in this binary that sets a subscriber.
fn capture() -> Captured {
    let log = Captured::default();
    let writer = log.clone();
    let only = Targets::new()
        .with_target("tower_http::trace", tracing::Level::DEBUG)
        .with_target("server", tracing::Level::INFO);
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .with_filter(only);
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
        .expect("no other test sets a subscriber");
    log
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_is_logged_with_its_id_and_who_made_it() {
    let log = capture();
    for app in spawn_apps(true).await {
        let sam = app.login_as(SAM).await;
        let sam_id = app.store.find_login(SAM).await.unwrap().unwrap().0.id;
        let pull = app.url("/api/v1/sync/pull?cursor=0");

        // A request without an id is given a fresh one.
        let res = sam.get(&pull).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let given = res.headers()["x-request-id"].to_str().unwrap().to_string();
        assert!(uuid::Uuid::parse_str(&given).is_ok(), "{given}");

        // One that comes with an id (from a proxy) keeps it, in the answer and in the log.
        let id = format!("test-{}", domain::new_id());
        let res = sam
            .get(&pull)
            .header("x-request-id", &id)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["x-request-id"], id.as_str());
        let text = log.text();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(&id)).collect();
        assert!(
            lines
                .iter()
                .any(|l| l.contains("finished processing request")),
            "the request's lines: {lines:?}"
        );
        let user = format!("user={sam_id}");
        assert!(
            lines
                .iter()
                .filter(|l| l.contains("finished processing request"))
                .all(|l| l.contains(&user)),
            "the lines after the session gate name {user}: {lines:?}"
        );
        let fresh: Vec<&str> = text.lines().filter(|l| l.contains(&given)).collect();
        assert!(!fresh.is_empty(), "the given id is in the log too");
    }
}
