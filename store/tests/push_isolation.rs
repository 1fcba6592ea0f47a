//! One mutation's failure stays its own (`src/sql/sync/isolation.rs`): a mutation the database
//! refuses is rolled back to its savepoint and rejected alone, and the rest of the push goes on.
//! Here, not beside the code, because it seeds the demo, whose crate depends on the store.

use chrono::Utc;
use domain::new_id;
use domain::sync::{AddPriority, Change, Decoded, Mutation, Outcome};
use testdb::TestDb;
use uuid::Uuid;

const REFUSED: &str = "refused by the database";

/// A trigger on a priority's first history event, standing in for any refusal of one
/// mutation's data that validation did not foresee. It fires after the priority row is
/// written, so the mutation has a partial write for the savepoint to undo.
const SQLITE_TRIGGER: &[&str] = &["CREATE TRIGGER refuse BEFORE INSERT ON priority_events
     WHEN NEW.text = 'refused by the database'
     BEGIN SELECT RAISE(ABORT, 'this priority is refused'); END"];
const POSTGRES_TRIGGER: &[&str] = &[
    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.text = 'refused by the database' THEN
         RAISE EXCEPTION 'this priority is refused' USING ERRCODE = 'check_violation';
       END IF;
       RETURN NEW;
     END $$",
    "CREATE TRIGGER refuse BEFORE INSERT ON priority_events
     FOR EACH ROW EXECUTE FUNCTION refuse()",
];

/// The database under the store, for what its interface does not offer: installing the
/// trigger and reading the priorities table back.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Raw {
    async fn open(db: &TestDb) -> Raw {
        if db.backend == "sqlite" {
            Raw::Sqlite(sqlx::SqlitePool::connect(&db.url).await.unwrap())
        } else {
            Raw::Postgres(sqlx::PgPool::connect(&db.url).await.unwrap())
        }
    }

    async fn install_trigger(&self) {
        match self {
            Raw::Sqlite(pool) => {
                for sql in SQLITE_TRIGGER {
                    sqlx::query(sql).execute(pool).await.unwrap();
                }
            }
            Raw::Postgres(pool) => {
                for sql in POSTGRES_TRIGGER {
                    sqlx::query(sql).execute(pool).await.unwrap();
                }
            }
        }
    }

    async fn priorities_heard_by(&self, who: Uuid) -> Vec<String> {
        let rows: Vec<(String,)> = match self {
            Raw::Sqlite(pool) => {
                sqlx::query_as("SELECT text FROM priorities WHERE heard_by_id = ? ORDER BY text")
                    .bind(who)
                    .fetch_all(pool)
                    .await
            }
            Raw::Postgres(pool) => {
                sqlx::query_as("SELECT text FROM priorities WHERE heard_by_id = $1 ORDER BY text")
                    .bind(who)
                    .fetch_all(pool)
                    .await
            }
        }
        .unwrap();
        rows.into_iter().map(|(t,)| t).collect()
    }
}

#[tokio::test]
async fn a_mutation_the_database_refuses_is_rejected_alone_and_leaves_nothing() {
    for db in TestDb::all().await {
        let store = store::connect(&db.url).await.unwrap();
        let now = Utc::now();
        let today = now.date_naive();
        demo::seed(store.as_ref(), today, now).await.unwrap();
        let raw = Raw::open(&db).await;
        raw.install_trigger().await;
        let (sam, _) = store
            .find_login("sam@rapport.example")
            .await
            .unwrap()
            .unwrap();
        let customer = store.technician_day(sam.id, today).await.unwrap()[0].customer_id;
        let phone = new_id();
        store.register_device(phone, sam.id, "", now).await.unwrap();
        let priority = |seq, text: &str| {
            Decoded::Readable(Mutation {
                id: new_id(),
                seq,
                made_at: now,
                change: Change::AddPriority(AddPriority {
                    priority_id: new_id(),
                    customer_id: customer,
                    text: text.into(),
                    pinned: false,
                }),
            })
        };
        let push = [
            priority(1, "Before"),
            priority(2, REFUSED),
            priority(3, "After"),
        ];
        let outcomes = store
            .apply_push(phone, &sam, &push, now, today)
            .await
            .unwrap();
        assert_eq!(outcomes[0], Outcome::Applied, "{}", db.backend);
        assert_eq!(outcomes[2], Outcome::Applied, "{}", db.backend);
        let Outcome::Rejected { reason } = &outcomes[1] else {
            panic!("{}: {:?}", db.backend, outcomes[1]);
        };
        assert!(
            reason.starts_with("The server could not store this change (add_priority)")
                && reason.contains("this priority is refused"),
            "{}: {reason}",
            db.backend
        );
        let stored = raw.priorities_heard_by(sam.id).await;
        let stored: Vec<&str> = stored.iter().map(String::as_str).collect();
        assert!(
            stored.contains(&"After") && stored.contains(&"Before"),
            "{}: {stored:?}",
            db.backend
        );
        assert!(
            !stored.contains(&REFUSED),
            "{}: the refused priority's row was left behind",
            db.backend
        );
        // The rejection is remembered: sent again, the same answer, nothing new.
        let again = store
            .apply_push(phone, &sam, &push, now, today)
            .await
            .unwrap();
        assert_eq!(
            again,
            [Outcome::Duplicate, outcomes[1].clone(), Outcome::Duplicate]
        );
    }
}
