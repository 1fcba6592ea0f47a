//! Applying pushed mutations exactly once, and pulling changes by version.

use super::audit::{self, Entry};
use super::customers::{stamp_field, CUSTOMER_COLUMNS, SERVED_BY};
use super::priorities::record_event;
use super::{next_versions, Backend};
use super::{q, Db};
use crate::{PullScope, StoreError, StoreResult, SyncStore};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::sync::{judge_edit, EditVerdict, FieldStamp, FieldWrite};
use domain::sync::{Change, CustomerField, Decoded, Mutation, Outcome, PullResponse};
use domain::visit::{merge_progress, Progress};
use domain::Customer;
use domain::{new_id, Role, UserSummary, VisitStatus};
use sqlx::Transaction;
use uuid::Uuid;

type Tx<'a> = Transaction<'a, Db>;
/// A rejection reason, for the device and the office to read.
type Verdict = Result<(), String>;

/// A device clock ahead of the server's by more than this is not believed.
const CLOCK_SKEW_ALLOWED_MINUTES: i64 = 5;

#[async_trait]
impl SyncStore for Backend {
    async fn apply_push(
        &self,
        device_id: Uuid,
        user: &UserSummary,
        mutations: &[Decoded],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<Outcome>> {
        // One transaction for the whole push: one commit (one disk flush) instead of one per
        // mutation. A failure anywhere rolls the whole push back, and the device sends it
        // again; every mutation still carries its own version and record.
        let mut tx = self.pool.begin().await?;
        // A version per mutation, taken as one block first: this also takes the write lock
        // at the start. (One counter update per mutation made PostgreSQL slower with every
        // mutation of a push: each update of the same row in one transaction leaves another
        // row version to step over.) A duplicate only wastes its version; gaps are harmless.
        let mut versions = next_versions(&mut tx, mutations.len() as i64).await?;
        let mut outcomes = Vec::with_capacity(mutations.len());
        for decoded in mutations {
            let version = versions.next().expect("a version per mutation");
            let outcome = match decoded {
                Decoded::Readable(mutation) => {
                    apply_one(&mut tx, version, device_id, user, mutation, at).await?
                }
                Decoded::Unreadable { id, seq, reason } => {
                    let answer = Answer {
                        mutation_id: *id,
                        device_id,
                        seq: *seq,
                        kind: "unreadable",
                    };
                    reject_unreadable(&mut tx, answer, reason, at).await?
                }
            };
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

/// Applies one mutation exactly once, together with the record of its id.
async fn apply_one(
    tx: &mut Tx<'_>,
    version: i64,
    device_id: Uuid,
    user: &UserSummary,
    mutation: &Mutation,
    at: DateTime<Utc>,
) -> StoreResult<Outcome> {
    if let Some(earlier) = answered_before(tx, mutation.id).await? {
        return Ok(earlier);
    }
    let ctx = Ctx {
        user,
        version,
        at,
        made_at: believable(mutation.made_at, at),
    };
    let outcome = match domain::sync::validate(&mutation.change) {
        Ok(()) => match &mutation.change {
            Change::EditCustomer {
                customer_id,
                field,
                value,
                base_version,
            } => {
                let edit = FieldEdit {
                    device_id,
                    seq: mutation.seq,
                    customer_id: *customer_id,
                    field: *field,
                    value,
                    base_version: *base_version,
                };
                edit_customer(tx, &ctx, mutation.id, edit).await?
            }
            change => match apply(tx, &ctx, change).await? {
                Ok(()) => Outcome::Applied,
                Err(reason) => Outcome::Rejected { reason },
            },
        },
        Err(reason) => Outcome::Rejected { reason },
    };
    if outcome == Outcome::Applied {
        audit_mutation(tx, &mutation.change, user, ctx.made_at).await?;
    }
    let answer = Answer {
        mutation_id: mutation.id,
        device_id,
        seq: mutation.seq,
        kind: mutation.change.kind(),
    };
    record_answer(tx, answer, &outcome, at).await?;
    Ok(outcome)
}

/// Answers a mutation whose change could not be read with a rejection, recorded like any
/// other answer so that a re-send gets the same one.
async fn reject_unreadable(
    tx: &mut Tx<'_>,
    answer: Answer,
    reason: &str,
    at: DateTime<Utc>,
) -> StoreResult<Outcome> {
    if let Some(earlier) = answered_before(tx, answer.mutation_id).await? {
        return Ok(earlier);
    }
    let outcome = Outcome::Rejected {
        reason: reason.to_string(),
    };
    record_answer(tx, answer, &outcome, at).await?;
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

/// Remembers the answer, in the mutation's own transaction: this row is what makes a mutation
/// apply exactly once.
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

/// Puts a phone's change in the audit trail, under the technician who made it. Priorities
/// record their own history (`record_event`).
async fn audit_mutation(
    tx: &mut Tx<'_>,
    change: &Change,
    user: &UserSummary,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let (entity, id, action, detail) = match change {
        Change::AddVisitNote { visit_id, .. } => ("visit", *visit_id, "note added", String::new()),
        Change::AdvanceVisit {
            visit_id,
            status,
            skip_reason,
            ..
        } => (
            "visit",
            *visit_id,
            status.label(),
            skip_reason.clone().unwrap_or_default(),
        ),
        Change::AcknowledgePriorities { visit_id, .. } => {
            ("visit", *visit_id, "priorities read", String::new())
        }
        Change::AddPromise {
            promise_id, text, ..
        } => ("promise", *promise_id, "made", text.clone()),
        Change::KeepPromise { promise_id, .. } => ("promise", *promise_id, "kept", String::new()),
        Change::EditCustomer {
            customer_id,
            field,
            value,
            ..
        } => (
            "customer",
            *customer_id,
            "edited",
            format!("{}: {value}", field.as_str().replace('_', " ")),
        ),
        Change::AddPriority { .. } => return Ok(()),
    };
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

struct Ctx<'a> {
    user: &'a UserSummary,
    version: i64,
    at: DateTime<Utc>,
    made_at: DateTime<Utc>,
}

async fn apply(tx: &mut Tx<'_>, ctx: &Ctx<'_>, change: &Change) -> StoreResult<Verdict> {
    match change {
        Change::AddVisitNote {
            note_id,
            visit_id,
            body,
        } => add_note(tx, ctx, *note_id, *visit_id, body).await,
        Change::AdvanceVisit {
            visit_id,
            status,
            at,
            skip_reason,
        } => {
            let at = believable(*at, ctx.at);
            advance(tx, ctx, *visit_id, *status, at, skip_reason.clone()).await
        }
        Change::AddPriority {
            priority_id,
            customer_id,
            text,
            pinned,
        } => add_priority(tx, ctx, *priority_id, *customer_id, text, *pinned).await,
        Change::AddPromise {
            promise_id,
            customer_id,
            visit_id,
            text,
            due_on,
        } => {
            if !serves(tx, ctx.user, *customer_id).await? {
                return Ok(Err(NOT_YOURS.into()));
            }
            // The visit may have been removed (a plan changed) while the phone was offline:
            // refuse with a reason rather than fail the whole push on the foreign key.
            if let Some(visit_id) = visit_id {
                let visit: Option<(Uuid,)> =
                    sqlx::query_as(q("SELECT customer_id FROM visits WHERE id = ?"))
                        .bind(visit_id)
                        .fetch_optional(&mut **tx)
                        .await?;
                match visit {
                    None => return Ok(Err("That visit no longer exists.".into())),
                    Some((c,)) if c != *customer_id => {
                        return Ok(Err("That visit is at another customer.".into()))
                    }
                    Some(_) => {}
                }
            }
            let origin = if ctx.user.role == Role::Technician {
                "visit"
            } else {
                "office"
            };
            sqlx::query(q(
                "INSERT INTO promises (id, customer_id, owner_id, text, due_on, origin, visit_id,
                    status, created_by_id, created_at, version)
                 VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            ))
            .bind(promise_id)
            .bind(customer_id)
            .bind(ctx.user.id)
            .bind(text.trim())
            .bind(due_on)
            .bind(origin)
            .bind(visit_id)
            .bind(ctx.user.id)
            .bind(ctx.made_at)
            .bind(ctx.version)
            .execute(&mut **tx)
            .await?;
            Ok(Ok(()))
        }
        Change::AcknowledgePriorities { visit_id, at } => {
            acknowledge(tx, ctx, *visit_id, believable(*at, ctx.at)).await
        }
        // Field edits need the mutation id for the conflict record: see `edit_customer`.
        Change::EditCustomer { .. } => Ok(Err("Field edits are applied separately.".into())),
        Change::KeepPromise { promise_id, at } => {
            keep_promise(tx, ctx, *promise_id, believable(*at, ctx.at)).await
        }
    }
}

const NOT_YOURS: &str = "This customer is not on your route; ask the office.";

/// Office and admin serve everyone; a technician serves their own customers.
async fn serves(tx: &mut Tx<'_>, user: &UserSummary, customer_id: Uuid) -> StoreResult<bool> {
    if user.role.sees_all_customers() {
        return Ok(true);
    }
    let (yes,): (bool,) = sqlx::query_as(q(&format!(
        "SELECT EXISTS (SELECT 1 FROM customers c WHERE c.id = ?2 AND {SERVED_BY})"
    )))
    .bind(user.id)
    .bind(customer_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(yes)
}

type VisitRow = (
    Uuid,
    Option<Uuid>,
    VisitStatus,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
);

/// The visit if this user may work on it: their own, or any for the office.
async fn own_visit(
    tx: &mut Tx<'_>,
    user: &UserSummary,
    visit_id: Uuid,
) -> StoreResult<Result<VisitRow, String>> {
    let row: Option<VisitRow> = sqlx::query_as(q(
        "SELECT customer_id, technician_id, status, arrived_at, departed_at, skip_reason
         FROM visits WHERE id = ?",
    ))
    .bind(visit_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match row {
        None => Err("That visit no longer exists.".into()),
        Some(v) if user.role == Role::Technician && v.1 != Some(user.id) => {
            Err("That visit is no longer on your route.".into())
        }
        Some(v) => Ok(v),
    })
}

async fn add_note(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    note_id: Uuid,
    visit_id: Uuid,
    body: &str,
) -> StoreResult<Verdict> {
    let visit = match own_visit(tx, ctx.user, visit_id).await? {
        Ok(v) => v,
        Err(reason) => return Ok(Err(reason)),
    };
    sqlx::query(q(
        "INSERT INTO visit_notes (id, visit_id, customer_id, author_id, body, written_at, received_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ))
    .bind(note_id)
    .bind(visit_id)
    .bind(visit.0)
    .bind(ctx.user.id)
    .bind(body.trim())
    .bind(ctx.made_at)
    .bind(ctx.at)
    .bind(ctx.version)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(()))
}

async fn advance(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    visit_id: Uuid,
    status: VisitStatus,
    at: DateTime<Utc>,
    skip_reason: Option<String>,
) -> StoreResult<Verdict> {
    let (_, _, current, arrived_at, departed_at, reason) =
        match own_visit(tx, ctx.user, visit_id).await? {
            Ok(v) => v,
            Err(reason) => return Ok(Err(reason)),
        };
    let before = Progress {
        status: current,
        arrived_at,
        departed_at,
        skip_reason: reason,
    };
    let after = merge_progress(
        before.clone(),
        status,
        at,
        skip_reason.map(|r| r.trim().to_string()),
    );
    if after != before {
        sqlx::query(q(
            "UPDATE visits SET status = ?, arrived_at = ?, departed_at = ?, skip_reason = ?,
                updated_at = ?, version = ? WHERE id = ?",
        ))
        .bind(after.status)
        .bind(after.arrived_at)
        .bind(after.departed_at)
        .bind(after.skip_reason)
        .bind(ctx.at)
        .bind(ctx.version)
        .bind(visit_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Ok(()))
}

struct FieldEdit<'a> {
    device_id: Uuid,
    seq: i64,
    customer_id: Uuid,
    field: CustomerField,
    value: &'a str,
    base_version: i64,
}

/// Applies a field edit made on the device's copy of the customer, unless the field changed on
/// the server after that copy: then nothing is overwritten and both values are recorded.
async fn edit_customer(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    mutation_id: Uuid,
    edit: FieldEdit<'_>,
) -> StoreResult<Outcome> {
    if !serves(tx, ctx.user, edit.customer_id).await? {
        return Ok(Outcome::Rejected {
            reason: NOT_YOURS.into(),
        });
    }
    let customer: Option<Customer> = sqlx::query_as(q(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
    )))
    .bind(edit.customer_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(mut customer) = customer else {
        return Ok(Outcome::Rejected {
            reason: "That customer no longer exists.".into(),
        });
    };
    let stamp: Option<(i64, Option<Uuid>, Option<i64>)> = sqlx::query_as(q(
        "SELECT version, device_id, device_seq FROM field_versions
         WHERE entity = 'customer' AND entity_id = ? AND field = ?",
    ))
    .bind(edit.customer_id)
    .bind(edit.field.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let stamp = stamp.map(|(version, device, seq)| FieldStamp {
        version,
        device: device.zip(seq),
    });
    let value = edit.value.trim().to_string();
    let server_value = edit.field.get(&customer).to_string();
    let write = FieldWrite {
        base_version: edit.base_version,
        device_id: edit.device_id,
        seq: edit.seq,
        value: &value,
    };
    if judge_edit(stamp, &server_value, write) == EditVerdict::Conflict {
        sqlx::query(q(
            "INSERT INTO conflicts (id, entity, entity_id, field, server_value, device_value, user_id, mutation_id, at)
             VALUES (?, 'customer', ?, ?, ?, ?, ?, ?, ?)",
        ))
        .bind(new_id())
        .bind(edit.customer_id)
        .bind(edit.field.as_str())
        .bind(&server_value)
        .bind(&value)
        .bind(ctx.user.id)
        .bind(mutation_id)
        .bind(ctx.at)
        .execute(&mut **tx)
        .await?;
        let field = edit.field.as_str().to_string();
        return Ok(Outcome::Conflict {
            field,
            server_value,
            your_value: value,
        });
    }
    edit.field.set(&mut customer, value);
    sqlx::query(q("UPDATE customers SET phone = ?, access_notes = ?, updated_at = ?, version = ? WHERE id = ?"))
        .bind(&customer.phone)
        .bind(&customer.access_notes)
        .bind(ctx.at)
        .bind(ctx.version)
        .bind(edit.customer_id)
        .execute(&mut **tx)
        .await?;
    let writer = Some((edit.device_id, edit.seq));
    stamp_field(tx, edit.customer_id, edit.field, ctx.version, writer).await?;
    Ok(Outcome::Applied)
}

/// Keeps the earliest time the priorities were read.
async fn acknowledge(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    visit_id: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<Verdict> {
    if let Err(reason) = own_visit(tx, ctx.user, visit_id).await? {
        return Ok(Err(reason));
    }
    let (current,): (Option<DateTime<Utc>>,) = sqlx::query_as(q(
        "SELECT priorities_acknowledged_at FROM visits WHERE id = ?",
    ))
    .bind(visit_id)
    .fetch_one(&mut **tx)
    .await?;
    if current.is_some_and(|earlier| earlier <= at) {
        return Ok(Ok(()));
    }
    sqlx::query(q(
        "UPDATE visits SET priorities_acknowledged_at = ?, updated_at = ?, version = ? WHERE id = ?",
    ))
    .bind(at)
    .bind(ctx.at)
    .bind(ctx.version)
    .bind(visit_id)
    .execute(&mut **tx)
    .await?;
    Ok(Ok(()))
}

async fn add_priority(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    priority_id: Uuid,
    customer_id: Uuid,
    text: &str,
    pinned: bool,
) -> StoreResult<Verdict> {
    if !serves(tx, ctx.user, customer_id).await? {
        return Ok(Err(NOT_YOURS.into()));
    }
    let inserted = sqlx::query(q(
        "INSERT INTO priorities (id, customer_id, text, pinned, heard_by_id, heard_role, heard_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ))
    .bind(priority_id)
    .bind(customer_id)
    .bind(text.trim())
    .bind(pinned)
    .bind(ctx.user.id)
    .bind(ctx.user.role)
    .bind(ctx.made_at)
    .bind(ctx.version)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 1 {
        if let Some(priority) = Backend::priority_in(tx, priority_id).await? {
            record_event(tx, &priority, "added", ctx.user.id, ctx.made_at).await?;
        }
    }
    Ok(Ok(()))
}

async fn keep_promise(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    promise_id: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<Verdict> {
    let row: Option<(Uuid, String)> =
        sqlx::query_as(q("SELECT customer_id, status FROM promises WHERE id = ?"))
            .bind(promise_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((customer_id, status)) = row else {
        return Ok(Err("That promise no longer exists.".into()));
    };
    if !serves(tx, ctx.user, customer_id).await? {
        return Ok(Err(NOT_YOURS.into()));
    }
    match status.as_str() {
        "open" => {
            sqlx::query(q(
                "UPDATE promises SET status = 'kept', closed_at = ?, version = ? WHERE id = ?",
            ))
            .bind(at)
            .bind(ctx.version)
            .bind(promise_id)
            .execute(&mut **tx)
            .await?;
            Ok(Ok(()))
        }
        "kept" => Ok(Ok(())),
        _ => Ok(Err(
            "The office dropped this promise; it cannot be kept now.".into(),
        )),
    }
}
