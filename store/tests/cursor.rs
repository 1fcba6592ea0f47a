//! The pull cursor never skips a change: two store instances over one database (two server
//! instances, in production), several writers committing concurrently, and a reader pulling
//! all the while. A cursor on a plain sequence or timestamp fails this: a transaction that took
//! number N can commit after one that took N+1, and a reader that already moved past N+1 never
//! sees N.

mod common;

use chrono::Utc;
use common::{customer, user};
use domain::{new_id, PriorityDraft, Role};
use std::collections::{HashMap, HashSet};
use store::{NewPriority, PullScope};
use testdb::TestDb;
use uuid::Uuid;

const WRITERS: usize = 8;
const WRITES_EACH: usize = 25;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_two_instances_never_make_a_puller_miss_a_change() {
    // Transactions stay open a little after taking their version, so they overlap.
    store::fault::delay_commits_for_tests(15);
    for db in TestDb::all().await {
        eprintln!("backend: {}", db.backend);
        let one = store::connect(&db.url).await.unwrap();
        let two = store::connect(&db.url).await.unwrap();
        let office = user(&one, "office@example.com", Role::Office).await;
        let mut customers = vec![];
        for n in 0..4 {
            customers.push(customer(&one, &format!("Customer {n}"), None).await.id);
        }
        let scope = PullScope {
            technician_id: None,
            from: Utc::now().date_naive(),
            to: Utc::now().date_naive(),
            entered_after: None,
        };

        // Writers: new priorities and edits of them, spread over both instances.
        let mut writers = vec![];
        for w in 0..WRITERS {
            let store = if w % 2 == 0 { one.clone() } else { two.clone() };
            let customers = customers.clone();
            let by = office.id;
            writers.push(tokio::spawn(async move {
                let mut mine = vec![];
                for i in 0..WRITES_EACH {
                    if i % 3 == 2 {
                        let id: Uuid = mine[i % mine.len()];
                        let draft = PriorityDraft {
                            text: format!("writer {w} edit {i}"),
                            pinned: i % 2 == 0,
                        };
                        store
                            .edit_priority(id, draft, by, Utc::now())
                            .await
                            .unwrap();
                    } else {
                        let p = NewPriority {
                            id: new_id(),
                            customer_id: customers[(w + i) % customers.len()],
                            draft: PriorityDraft {
                                text: format!("writer {w} priority {i}"),
                                pinned: false,
                            },
                            heard_by_id: by,
                            heard_role: Role::Office,
                            heard_at: Utc::now(),
                        };
                        mine.push(store.add_priority(p).await.unwrap().id);
                    }
                }
            }));
        }

        // The reader pulls in small pages, alternating instances, while the writers write.
        let mut cursor = 0;
        let mut seen: HashSet<(Uuid, i64)> = HashSet::new();
        let mut latest: HashMap<Uuid, i64> = HashMap::new();
        let mut pulls = 0;
        loop {
            let done = writers.iter().all(|w| w.is_finished());
            let store = if pulls % 2 == 0 { &one } else { &two };
            let page = store.pull(&scope, cursor, 7).await.unwrap();
            pulls += 1;
            assert!(page.cursor >= cursor, "the cursor never goes back");
            for p in &page.priorities {
                assert!(
                    seen.insert((p.id, p.version)),
                    "{} at {} twice",
                    p.id,
                    p.version
                );
                latest.insert(p.id, p.version);
            }
            cursor = page.cursor;
            if done && !page.more {
                // One more pass after the writers finished, to catch their last commits.
                let last = store.pull(&scope, cursor, 5000).await.unwrap();
                assert!(last.priorities.is_empty());
                break;
            }
            tokio::task::yield_now().await;
        }
        for w in writers {
            w.await.unwrap();
        }

        // Every priority's last write reached the reader.
        let all = one.priorities_of(&customers).await.unwrap();
        assert_eq!(all.len(), WRITERS * (WRITES_EACH - WRITES_EACH / 3));
        for p in all {
            assert_eq!(
                latest.get(&p.id),
                Some(&p.version),
                "{} missed its last change",
                p.text
            );
        }
        assert!(
            pulls > 3,
            "the reader pulled while the writers wrote ({pulls} pulls)"
        );
    }
}
