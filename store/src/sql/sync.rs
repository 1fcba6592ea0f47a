//! Applying pushed mutations exactly once, and pulling changes by version.

use super::audit::{self, Entry};
use super::customers::{stamp_field, CUSTOMER_COLUMNS, SERVED_BY};
use super::priorities::record_event;
use super::{next_version, Backend};
use super::{q, Db};
use crate::{PullScope, StoreError, StoreResult, SyncStore};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use domain::sync::{Change, CustomerField, Mutation, Outcome, PullResponse};
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
    async fn register_device(
        &self,
        device_id: Uuid,
        user_id: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let row: Option<(Uuid, Option<DateTime<Utc>>)> =
            sqlx::query_as(q("SELECT user_id, revoked_at FROM devices WHERE id = ?"))
                .bind(device_id)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            None => {
                sqlx::query(q(
                    "INSERT INTO devices (id, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)
                     ON CONFLICT (id) DO NOTHING",
                ))
                .bind(device_id)
                .bind(user_id)
                .bind(at)
                .bind(at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
            Some((owner, _)) if owner != user_id => Err(StoreError::Refused(
                "This device is registered to another user. Log out and in again to reset it."
                    .into(),
            )),
            Some((_, Some(_))) => Err(StoreError::Refused(
                "This device was signed out by the office. Log in again to sync.".into(),
            )),
            Some(_) => {
                sqlx::query(q("UPDATE devices SET last_seen_at = ? WHERE id = ?"))
                    .bind(at)
                    .bind(device_id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    }

    async fn apply_mutation(
        &self,
        device_id: Uuid,
        user: &UserSummary,
        mutation: &Mutation,
        at: DateTime<Utc>,
    ) -> StoreResult<Outcome> {
        let mut tx = self.pool.begin().await?;
        // First, so the transaction holds the write lock from the start; a duplicate only
        // wastes a version number, and gaps in versions are harmless to cursors.
        let version = next_version(&mut tx).await?;
        let seen: Option<(String,)> = sqlx::query_as(q(
            "SELECT outcome FROM applied_mutations WHERE mutation_id = ?",
        ))
        .bind(mutation.id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((recorded,)) = seen {
            // The same answer as the first time; what was applied is now a duplicate.
            return Ok(match serde_json::from_str::<Outcome>(&recorded) {
                Ok(Outcome::Applied) | Err(_) => Outcome::Duplicate,
                Ok(other) => other,
            });
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
                        customer_id: *customer_id,
                        field: *field,
                        value,
                        base_version: *base_version,
                    };
                    edit_customer(&mut tx, &ctx, mutation.id, edit).await?
                }
                change => match apply(&mut tx, &ctx, change).await? {
                    Ok(()) => Outcome::Applied,
                    Err(reason) => Outcome::Rejected { reason },
                },
            },
            Err(reason) => Outcome::Rejected { reason },
        };
        if outcome == Outcome::Applied {
            audit_mutation(&mut tx, &mutation.change, user, ctx.made_at).await?;
        }
        let recorded =
            serde_json::to_string(&outcome).map_err(|e| StoreError::Other(e.to_string()))?;
        sqlx::query(q(
            "INSERT INTO applied_mutations (mutation_id, device_id, seq, kind, outcome, applied_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        ))
        .bind(mutation.id)
        .bind(device_id)
        .bind(mutation.seq)
        .bind(mutation.change.kind())
        .bind(recorded)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(outcome)
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
    let stamped: Option<(i64,)> = sqlx::query_as(q(
        "SELECT version FROM field_versions WHERE entity = 'customer' AND entity_id = ? AND field = ?",
    ))
    .bind(edit.customer_id)
    .bind(edit.field.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let value = edit.value.trim().to_string();
    let server_value = edit.field.get(&customer).to_string();
    let changed_since = stamped.is_some_and(|(v,)| v > edit.base_version);
    if changed_since && server_value != value {
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
    stamp_field(tx, edit.customer_id, edit.field, ctx.version).await?;
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
