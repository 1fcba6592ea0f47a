//! Applying pushed mutations exactly once, each on its own: one mutation's failure is its
//! own rejection, never the whole push's.

#[path = "sync/customer.rs"]
mod customer;
#[path = "sync/isolation.rs"]
mod isolation;
#[path = "sync/promise.rs"]
mod promise;
#[path = "sync/visit.rs"]
mod visit;

use super::audit::{self, Entry};
use super::customers::served_by;
use super::next_versions;
use super::{q, Backend, Db};
use crate::{PullScope, StoreError, StoreResult, SyncStore};
use async_trait::async_trait;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::sync::{Change, Decoded, Mutation, Outcome, PullResponse};
use domain::UserSummary;
use sqlx::Transaction;
use uuid::Uuid;

type Tx<'a> = Transaction<'a, Db>;

/// A device clock ahead of the server's by more than this is not believed.
const CLOCK_SKEW_ALLOWED_MINUTES: i64 = 5;

const NOT_YOURS: &str = "This customer is not on your route; ask the office.";

fn rejected(reason: impl Into<String>) -> Outcome {
    Outcome::Rejected {
        reason: reason.into(),
    }
}

#[async_trait]
impl SyncStore for Backend {
    async fn apply_push(
        &self,
        device_id: Uuid,
        user: &UserSummary,
        mutations: &[Decoded],
        at: DateTime<Utc>,
        today: NaiveDate,
    ) -> StoreResult<Vec<Outcome>> {
        // One transaction for the whole push: one commit (one disk flush) instead of one per
        // mutation. A failure of the database itself rolls the whole push back, and the
        // device sends it again; a mutation whose own data the database refuses is rolled back
        // to its savepoint and rejected alone (see `isolation`).
        let mut tx = self.pool.begin().await?;
        // A version per mutation, taken as one block first: this also takes the write lock
        // at the start. (One counter update per mutation made PostgreSQL slower with every
        // mutation of a push: each update of the same row in one transaction leaves another
        // row version to step over.) A duplicate only wastes its version; gaps are harmless.
        let mut versions = next_versions(&mut tx, mutations.len() as i64).await?;
        let mut outcomes = Vec::with_capacity(mutations.len());
        for decoded in mutations {
            let version = versions.next().expect("a version per mutation");
            let (answer, outcome) = match decoded {
                Decoded::Readable(mutation) => {
                    let answer = Answer {
                        mutation_id: mutation.id,
                        device_id,
                        seq: mutation.seq,
                        kind: mutation.change.kind(),
                    };
                    if let Some(earlier) = answered_before(&mut tx, mutation.id).await? {
                        outcomes.push(earlier);
                        continue;
                    }
                    let ctx = Ctx {
                        user,
                        version,
                        device_id,
                        at,
                        today,
                        made_at: believable(mutation.made_at, at),
                    };
                    let outcome = isolation::apply_alone(&mut tx, &ctx, mutation).await?;
                    (answer, outcome)
                }
                Decoded::Unreadable { id, seq, reason } => {
                    if let Some(earlier) = answered_before(&mut tx, *id).await? {
                        outcomes.push(earlier);
                        continue;
                    }
                    let answer = Answer {
                        mutation_id: *id,
                        device_id,
                        seq: *seq,
                        kind: "unreadable",
                    };
                    (answer, rejected(reason.as_str()))
                }
            };
            // Outside the mutation's savepoint: a rejection is remembered too, so a re-send
            // gets the same answer.
            record_answer(&mut tx, answer, &outcome, at).await?;
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn mutation_outcome(&self, mutation_id: Uuid) -> StoreResult<Option<Outcome>> {
        let row: Option<(String,)> = sqlx::query_as(q(
            "SELECT outcome FROM applied_mutations WHERE mutation_id = ?",
        ))
        .bind(mutation_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(json,)| serde_json::from_str(&json).map_err(|e| StoreError::Other(e.to_string())))
            .transpose()
    }

    async fn pull(
        &self,
        scope: &PullScope,
        cursor: i64,
        limit: usize,
    ) -> StoreResult<PullResponse> {
        super::pull::pull(&self.pool, scope, cursor, limit).await
    }
}

/// A kind of change as the server applies it. Each kind's module says how (`visit`,
/// `customer`, `promise`); [`applier`] is the one place that lists them.
#[async_trait]
trait Apply: Sync {
    /// Checks it against the database and writes it, inside the mutation's savepoint. The
    /// checks that need no database ran before (`Kind::validate`).
    async fn apply(
        &self,
        tx: &mut Tx<'_>,
        ctx: &Ctx<'_>,
        mutation: &Mutation,
    ) -> StoreResult<Outcome>;

    /// Its line in the audit trail once applied; `None` for a kind that records its own
    /// history.
    fn audit(&self) -> Option<Audit>;
}

/// What the audit trail says about an applied change.
struct Audit {
    /// `visit`, `promise` or `customer`: the row whose customer the line is filed under.
    entity: &'static str,
    id: Uuid,
    action: &'static str,
    detail: String,
}

fn applier(change: &Change) -> &dyn Apply {
    match change {
        Change::AddVisitNote(c) => c,
        Change::AdvanceVisit(c) => c,
        Change::AddPriority(c) => c,
        Change::AddPromise(c) => c,
        Change::KeepPromise(c) => c,
        Change::AcknowledgePriorities(c) => c,
        Change::EditCustomer(c) => c,
    }
}

/// Applies one readable mutation: checks it, writes it, and puts it in the audit trail if it
/// was applied. Runs inside the mutation's own savepoint.
async fn apply_one(tx: &mut Tx<'_>, ctx: &Ctx<'_>, mutation: &Mutation) -> StoreResult<Outcome> {
    if let Err(reason) = domain::sync::validate_mutation(mutation) {
        return Ok(rejected(reason));
    }
    let kind = applier(&mutation.change);
    let outcome = kind.apply(tx, ctx, mutation).await?;
    if outcome == Outcome::Applied {
        if let Some(audit) = kind.audit() {
            audit_mutation(tx, audit, ctx.user, ctx.made_at).await?;
        }
    }
    Ok(outcome)
}

/// The answer given the first time this mutation arrived, if it did: a re-sent mutation gets
/// the same answer, except that what was applied is now a duplicate.
async fn answered_before(tx: &mut Tx<'_>, mutation_id: Uuid) -> StoreResult<Option<Outcome>> {
    let seen: Option<(String,)> = sqlx::query_as(q(
        "SELECT outcome FROM applied_mutations WHERE mutation_id = ?",
    ))
    .bind(mutation_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(seen.map(
        |(recorded,)| match serde_json::from_str::<Outcome>(&recorded) {
            Ok(Outcome::Applied) | Err(_) => Outcome::Duplicate,
            Ok(other) => other,
        },
    ))
}

/// Which mutation an answer is for.
struct Answer {
    mutation_id: Uuid,
    device_id: Uuid,
    seq: i64,
    kind: &'static str,
}

/// Remembers the answer, in the push's transaction: this row is what makes a mutation apply
/// exactly once.
async fn record_answer(
    tx: &mut Tx<'_>,
    answer: Answer,
    outcome: &Outcome,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let recorded = serde_json::to_string(outcome).map_err(|e| StoreError::Other(e.to_string()))?;
    sqlx::query(q(
        "INSERT INTO applied_mutations (mutation_id, device_id, seq, kind, outcome, applied_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    ))
    .bind(answer.mutation_id)
    .bind(answer.device_id)
    .bind(answer.seq)
    .bind(answer.kind)
    .bind(recorded)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Puts a phone's change in the audit trail, under the technician who made it.
async fn audit_mutation(
    tx: &mut Tx<'_>,
    audit: Audit,
    user: &UserSummary,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let Audit {
        entity,
        id,
        action,
        detail,
    } = audit;
    let customer_id: Option<(Uuid,)> = match entity {
        "visit" => sqlx::query_as(q("SELECT customer_id FROM visits WHERE id = ?")),
        "promise" => sqlx::query_as(q("SELECT customer_id FROM promises WHERE id = ?")),
        _ => sqlx::query_as(q("SELECT id FROM customers WHERE id = ?")),
    }
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let entry = Entry {
        entity,
        entity_id: id,
        customer_id: customer_id.map(|(c,)| c),
        action,
        detail,
    };
    audit::record(tx, entry, Some(user.id), at).await
}

/// A device's timestamp, unless its clock is implausibly ahead of the server's.
fn believable(device_time: DateTime<Utc>, server_time: DateTime<Utc>) -> DateTime<Utc> {
    if device_time > server_time + Duration::minutes(CLOCK_SKEW_ALLOWED_MINUTES) {
        server_time
    } else {
        device_time
    }
}

/// What every mutation of a push is applied with.
struct Ctx<'a> {
    user: &'a UserSummary,
    version: i64,
    device_id: Uuid,
    /// The server's clock.
    at: DateTime<Utc>,
    /// The organisation's day by the server's clock: a technician's window is around it.
    today: NaiveDate,
    /// The device's time for the mutation, if believable.
    made_at: DateTime<Utc>,
}

/// Office and admin serve everyone; a technician serves the customers they are assigned to
/// or back up, or have a visit with in their window (see `customers::served_by`).
async fn serves(tx: &mut Tx<'_>, ctx: &Ctx<'_>, customer_id: Uuid) -> StoreResult<bool> {
    if ctx.user.role.sees_all_customers() {
        return Ok(true);
    }
    let (from, to) = domain::sync::window(ctx.today);
    let (yes,): (bool,) = sqlx::query_as(q(&format!(
        "SELECT EXISTS (SELECT 1 FROM customers c WHERE c.id = ?4 AND {})",
        served_by()
    )))
    .bind(ctx.user.id)
    .bind(from)
    .bind(to)
    .bind(customer_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(yes)
}
