//! The server process killed (SIGKILL) in the middle of pushes, many times over.
//!
//! A phone keeps writing notes and pushing them to the real `rapport-server` binary; at a
//! random moment during each push the process is killed outright (no shutdown, nothing
//! flushed) and started again over the same database. After every restart, everything the
//! phone was told was applied must be in the database; at the end, every note is there exactly
//! once. `RAPPORT_KILLS` sets the number of kills (default 25; `RAPPORT_SYNC_SEED` the seed).

use chrono::Utc;
use client::{Engine, MemoryStorage, Transport, TransportError};
use domain::sync::{
    AddVisitNote, Change, Outcome, PullRequest, PullResponse, PushRequest, PushResponse,
};
use domain::{new_id, UserSummary};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::Duration;
use support::{answer, seed, session_client};
use testdb::TestDb;
use tokio::process::{Child, Command};
use uuid::Uuid;

mod support;

/// The server binary on a port of its own, over the test's database.
struct Process {
    child: Child,
    base: String,
}

async fn start(db_url: &str) -> Process {
    // A free port: bind, read it, let go (the server binds it a moment later).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_rapport-server"))
        .args(["--database-url", db_url, "--log", "error"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("rapport-server starts");
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..300 {
        if let Ok(res) = http.get(format!("{base}/healthz")).send().await {
            if res.status().is_success() {
                return Process { child, base };
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("rapport-server did not answer /healthz within 6 s");
}

/// Plain HTTP; every answer the phone hears is written down.
struct Link {
    base: RefCell<String>,
    http: reqwest::Client,
    heard: RefCell<BTreeMap<Uuid, Outcome>>,
    /// Pushes sent whose answer never came: the kill landed while the server had them.
    cut_pushes: Cell<usize>,
}

impl Transport for Link {
    async fn push(&self, request: &PushRequest) -> Result<PushResponse, TransportError> {
        let url = format!("{}/api/v1/sync/push", self.base.borrow());
        let res = self.http.post(url).json(request).send().await;
        let res = res.map_err(|e| {
            if !e.is_connect() {
                self.cut_pushes.set(self.cut_pushes.get() + 1);
            }
            TransportError::Offline
        })?;
        let response: PushResponse = answer(res).await?;
        let mut heard = self.heard.borrow_mut();
        for r in &response.results {
            heard.insert(r.id, r.outcome.clone());
        }
        Ok(response)
    }

    async fn pull(&self, request: &PullRequest) -> Result<PullResponse, TransportError> {
        let url = format!(
            "{}/api/v1/sync/pull?{}",
            self.base.borrow(),
            request.query()
        );
        let res = self.http.get(url).send().await;
        answer(res.map_err(|_| TransportError::Offline)?).await
    }
}

fn seed_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

#[tokio::test]
async fn killing_the_server_mid_push_loses_nothing_acknowledged_and_applies_nothing_twice() {
    let kills = seed_number("RAPPORT_KILLS", 25);
    let mut rng = seed_number("RAPPORT_SYNC_SEED", 1);
    // xorshift: enough to spread the kill moments, and the same spread for the same seed.
    let mut next = move |below: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % below
    };
    for db in TestDb::all().await {
        let started = std::time::Instant::now();
        let mut server = start(&db.url).await;
        let store = store::connect(&db.url).await.unwrap();
        let world = seed(&store).await;
        let sam: UserSummary = world.sam.clone();
        let link = Link {
            base: RefCell::new(server.base.clone()),
            http: session_client(&world.tokens[&sam.id]),
            heard: RefCell::new(BTreeMap::new()),
            cut_pushes: Cell::new(0),
        };
        let mut phone = Engine::open(MemoryStorage::default(), sam.clone()).unwrap();
        phone.sync(&link, Utc::now()).await.expect("first sync");
        let visits: Vec<Uuid> = phone
            .cache()
            .visits
            .values()
            .filter(|v| v.technician_id == Some(sam.id))
            .map(|v| v.id)
            .collect();
        let mut notes = BTreeSet::new();
        let (mut interrupted, mut completed) = (0, 0);
        let mut committed_unheard = BTreeSet::new();
        for round in 0..kills {
            // A day's worth of notes waiting, then a push that the kill cuts short.
            for i in 0..40 {
                let note_id = new_id();
                let change = Change::AddVisitNote(AddVisitNote {
                    note_id,
                    visit_id: visits[(i % visits.len() as u64) as usize],
                    body: format!("round {round} note {i}"),
                });
                phone.record(change, Utc::now()).unwrap();
                notes.insert(note_id);
            }
            let pid = server.child.id().expect("running") as i32;
            let delay = Duration::from_millis(next(60));
            let kill = async {
                tokio::time::sleep(delay).await;
                // SIGKILL: no graceful shutdown, no flushing, in-flight transactions cut.
                let status = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status()
                    .await
                    .unwrap();
                assert!(status.success(), "kill -KILL {pid}");
            };
            let (synced, ()) = tokio::join!(phone.sync(&link, Utc::now()), kill);
            match synced {
                Ok(()) => completed += 1,
                Err(_) => interrupted += 1,
            }
            server.child.wait().await.unwrap();
            server = start(&db.url).await;
            *link.base.borrow_mut() = server.base.clone();
            // Writes the server committed though the phone never heard back: the kill landed
            // between the commit and the answer. They must come back as duplicates.
            for m in &phone.state().outbox {
                if store.mutation_outcome(m.id).await.unwrap().is_some() {
                    committed_unheard.insert(m.id);
                }
            }
            // Everything the phone heard was applied is in the database, after the kill.
            let heard = link.heard.borrow().clone();
            for (id, outcome) in &heard {
                let recorded = store.mutation_outcome(*id).await.unwrap();
                assert!(
                    recorded.is_some(),
                    "{}: round {round}: mutation {id} was answered {outcome:?} but is not in the database",
                    db.backend
                );
            }
        }
        // The signal holds now: whatever is left goes up.
        phone
            .sync(&link, Utc::now())
            .await
            .expect("sync after the last restart");
        assert!(phone.state().outbox.is_empty());
        assert!(
            phone.state().problems.is_empty(),
            "{:?}",
            phone.state().problems
        );

        let today = Utc::now().date_naive();
        let everything = store::PullScope {
            technician_id: None,
            from: today - chrono::Duration::days(7),
            to: today + chrono::Duration::days(7),
            entered_after: None,
        };
        let on_server = store.pull(&everything, 0, 1_000_000).await.unwrap().notes;
        let ids: BTreeSet<Uuid> = on_server.iter().map(|n| n.id).collect();
        assert_eq!(on_server.len(), ids.len(), "a note is stored twice");
        assert_eq!(ids, notes, "{}: the notes on the server", db.backend);
        let mut bodies: Vec<&str> = on_server.iter().map(|n| n.body.as_str()).collect();
        bodies.sort_unstable();
        bodies.dedup();
        assert_eq!(
            bodies.len(),
            notes.len(),
            "no note applied twice under a new id"
        );
        eprintln!(
            "kill test on {}: {kills} kills ({interrupted} syncs cut short, {completed} finished \
             first; {} pushes cut off, {} notes committed whose answer the kill cut off), {} \
             notes each stored once, in {:.1} s",
            db.backend,
            link.cut_pushes.get(),
            committed_unheard.len(),
            notes.len(),
            started.elapsed().as_secs_f64()
        );
        assert!(
            link.cut_pushes.get() > 0,
            "no kill landed in the middle of a push"
        );
        drop(store);
        let _ = server.child.kill().await;
    }
}
