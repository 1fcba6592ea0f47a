//! One mutation's failure stays its own.
//!
//! A push is one transaction, and a database error inside it used to fail the whole push with
//! a 500 that tells the phone to retry: the same push fails again, for ever, and the phone's
//! whole queue is stuck behind one bad mutation. So each mutation runs in a savepoint (sqlx's
//! nested transaction: `SAVEPOINT` on both databases). If the database refuses the
//! mutation's own data, its partial writes are rolled back to the savepoint and it is
//! rejected alone with a reason; the rest of the push goes on. A failure of the database
//! itself (connection lost, disk full, lock timeout, serialization) still fails the push, so
//! the phone retries later and nothing acknowledged is lost.

use super::{apply_one, rejected, Ctx, Tx};
use crate::{StoreError, StoreResult};
use domain::sync::{Mutation, Outcome};
use sqlx::Acquire;

/// Applies a mutation in its own savepoint.
pub(super) async fn apply_alone(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    mutation: &Mutation,
) -> StoreResult<Outcome> {
    let mut savepoint = tx.begin().await?;
    match apply_one(&mut savepoint, ctx, mutation).await {
        Ok(outcome) => {
            savepoint.commit().await?;
            Ok(outcome)
        }
        Err(StoreError::Database(e)) if refuses_its_data(&e) => {
            savepoint.rollback().await?;
            tracing::warn!(
                mutation = %mutation.id,
                kind = mutation.change.kind(),
                error = %e,
                "a pushed mutation was refused by the database and rejected alone"
            );
            Ok(rejected(format!(
                "The server could not store this change ({}): {}. Nothing of it was saved; \
                 the office can see it among the rejected changes. Write it again if it is \
                 still needed.",
                mutation.change.kind(),
                database_message(&e)
            )))
        }
        Err(other) => Err(other),
    }
}

/// Whether the database refused this statement because of the data in it (a value it cannot
/// store, a constraint), as opposed to failing itself. Only the former is the mutation's own
/// fault; anything unknown counts as the database failing, so the push is retried rather than
/// a phone's write being thrown away.
fn refuses_its_data(e: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = e else {
        return false;
    };
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        // SQLSTATE classes 22 (data exception: e.g. 22021 "invalid byte sequence", a NUL in
        // text) and 23 (integrity constraint violation), and 54000 (a value too large for an
        // index row): each would fail the same mutation on every retry.
        let code = pg.code();
        return code.starts_with("22") || code.starts_with("23") || code == "54000";
    }
    if let Some(code) = db.code() {
        // SQLite result codes (extended; the primary code is the low byte): TOOBIG 18,
        // CONSTRAINT 19, MISMATCH 20, RANGE 25.
        if let Ok(code) = code.parse::<i32>() {
            return matches!(code & 0xff, 18 | 19 | 20 | 25);
        }
    }
    false
}

/// The database's own words, without the driver's prefix.
fn database_message(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{q, Backend, Db};
    use crate::test_db::TestDb;
    use crate::{Devices, SyncStore, Users, Visits};
    use chrono::Utc;
    use domain::new_id;
    use domain::sync::{AddPriority, Change, Decoded, Mutation, Outcome};

    /// What this copy of the shared file is compiled for (it is compiled once per backend).
    fn is_this_backend(db: &TestDb) -> bool {
        std::any::type_name::<Db>()
            .to_lowercase()
            .contains(db.backend)
    }

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

    #[tokio::test]
    async fn a_mutation_the_database_refuses_is_rejected_alone_and_leaves_nothing() {
        for db in TestDb::all().await.into_iter().filter(is_this_backend) {
            let store = Backend::open(&db.url).await.unwrap();
            let now = Utc::now();
            let today = now.date_naive();
            crate::demo::seed(&store, today, now).await.unwrap();
            let trigger = if db.backend == "sqlite" {
                SQLITE_TRIGGER
            } else {
                POSTGRES_TRIGGER
            };
            for sql in trigger {
                sqlx::query(sql).execute(&store.pool).await.unwrap();
            }
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
            let stored: Vec<(String,)> = sqlx::query_as(q(
                "SELECT text FROM priorities WHERE heard_by_id = ? ORDER BY text",
            ))
            .bind(sam.id)
            .fetch_all(&store.pool)
            .await
            .unwrap();
            let stored: Vec<&str> = stored.iter().map(|(t,)| t.as_str()).collect();
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
}
