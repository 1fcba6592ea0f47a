//! Pushed changes to visits: notes, progress, priorities read.

use super::{believable, q, rejected, Apply, Audit, Ctx, Tx};
use crate::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::sync::{AcknowledgePriorities, AddVisitNote, AdvanceVisit, Mutation, Outcome};
use domain::visit::{merge_progress, Progress};
use domain::{Role, UserSummary, VisitStatus};
use uuid::Uuid;

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

#[async_trait]
impl Apply for AddVisitNote {
    async fn apply(&self, tx: &mut Tx<'_>, ctx: &Ctx<'_>, _: &Mutation) -> StoreResult<Outcome> {
        add_note(tx, ctx, self.note_id, self.visit_id, &self.body).await
    }

    fn audit(&self) -> Option<Audit> {
        Some(Audit {
            entity: "visit",
            id: self.visit_id,
            action: "note added",
            detail: String::new(),
        })
    }
}

#[async_trait]
impl Apply for AdvanceVisit {
    async fn apply(&self, tx: &mut Tx<'_>, ctx: &Ctx<'_>, _: &Mutation) -> StoreResult<Outcome> {
        let at = believable(self.at, ctx.at);
        advance(
            tx,
            ctx,
            self.visit_id,
            self.status,
            at,
            self.skip_reason.as_deref(),
        )
        .await
    }

    fn audit(&self) -> Option<Audit> {
        Some(Audit {
            entity: "visit",
            id: self.visit_id,
            action: self.status.label(),
            detail: self.skip_reason.clone().unwrap_or_default(),
        })
    }
}

#[async_trait]
impl Apply for AcknowledgePriorities {
    async fn apply(&self, tx: &mut Tx<'_>, ctx: &Ctx<'_>, _: &Mutation) -> StoreResult<Outcome> {
        acknowledge(tx, ctx, self.visit_id, believable(self.at, ctx.at)).await
    }

    fn audit(&self) -> Option<Audit> {
        Some(Audit {
            entity: "visit",
            id: self.visit_id,
            action: "priorities read",
            detail: String::new(),
        })
    }
}

async fn add_note(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    note_id: Uuid,
    visit_id: Uuid,
    body: &str,
) -> StoreResult<Outcome> {
    let visit = match own_visit(tx, ctx.user, visit_id).await? {
        Ok(v) => v,
        Err(reason) => return Ok(rejected(reason)),
    };
    let body = body.trim();
    let inserted = sqlx::query(q(
        "INSERT INTO visit_notes (id, visit_id, customer_id, author_id, body, written_at, received_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ))
    .bind(note_id)
    .bind(visit_id)
    .bind(visit.0)
    .bind(ctx.user.id)
    .bind(body)
    .bind(ctx.made_at)
    .bind(ctx.at)
    .bind(ctx.version)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Outcome::Applied);
    }
    // The id is taken. A re-sent mutation never gets here (its answer is remembered), so this
    // is another mutation carrying the same note: the same note again is harmless, a
    // different one is refused rather than answered "applied" with nothing stored.
    let (on, by, text): (Uuid, Uuid, String) = sqlx::query_as(q(
        "SELECT visit_id, author_id, body FROM visit_notes WHERE id = ?",
    ))
    .bind(note_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(
        if (on, by, text.as_str()) == (visit_id, ctx.user.id, body) {
            Outcome::Duplicate
        } else {
            rejected(ID_TAKEN)
        },
    )
}

/// The answer to a new record whose id another record already has.
pub(super) const ID_TAKEN: &str =
    "Another record already has this id, so this one was not saved; the app that sent it \
     may be faulty: update it, and write this again.";

async fn advance(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    visit_id: Uuid,
    status: VisitStatus,
    at: DateTime<Utc>,
    skip_reason: Option<&str>,
) -> StoreResult<Outcome> {
    let (_, _, current, arrived_at, departed_at, reason) =
        match own_visit(tx, ctx.user, visit_id).await? {
            Ok(v) => v,
            Err(reason) => return Ok(rejected(reason)),
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
    Ok(Outcome::Applied)
}

/// Keeps the earliest time the priorities were read.
async fn acknowledge(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    visit_id: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<Outcome> {
    if let Err(reason) = own_visit(tx, ctx.user, visit_id).await? {
        return Ok(rejected(reason));
    }
    let (current,): (Option<DateTime<Utc>>,) = sqlx::query_as(q(
        "SELECT priorities_acknowledged_at FROM visits WHERE id = ?",
    ))
    .bind(visit_id)
    .fetch_one(&mut **tx)
    .await?;
    if current.is_some_and(|earlier| earlier <= at) {
        return Ok(Outcome::Applied);
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
    Ok(Outcome::Applied)
}
