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

// Its test (a trigger refusing one mutation of a push) is in `store/tests/push_isolation.rs`:
// it needs the demo data, which lives in its own crate on top of this one.
