//! Pushed changes to promises: made and kept.

use super::visit::ID_TAKEN;
use super::{believable, q, rejected, serves, Apply, Audit, Ctx, Tx, NOT_YOURS};
use crate::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use domain::sync::{AddPromise, KeepPromise, Mutation, Outcome};
use domain::Role;
use uuid::Uuid;

#[async_trait]
impl Apply for AddPromise {
    async fn apply(&self, tx: &mut Tx<'_>, ctx: &Ctx<'_>, _: &Mutation) -> StoreResult<Outcome> {
        add(tx, ctx, self).await
    }

    fn audit(&self) -> Option<Audit> {
        Some(Audit {
            entity: "promise",
            id: self.promise_id,
            action: "made",
            detail: self.text.clone(),
        })
    }
}

#[async_trait]
impl Apply for KeepPromise {
    async fn apply(&self, tx: &mut Tx<'_>, ctx: &Ctx<'_>, _: &Mutation) -> StoreResult<Outcome> {
        keep(tx, ctx, self.promise_id, believable(self.at, ctx.at)).await
    }

    fn audit(&self) -> Option<Audit> {
        Some(Audit {
            entity: "promise",
            id: self.promise_id,
            action: "kept",
            detail: String::new(),
        })
    }
}

async fn add(tx: &mut Tx<'_>, ctx: &Ctx<'_>, new: &AddPromise) -> StoreResult<Outcome> {
    if !serves(tx, ctx, new.customer_id).await? {
        return Ok(rejected(NOT_YOURS));
    }
    // The visit may have been removed (a plan changed) while the phone was offline: refuse
    // with a reason rather than fail on the foreign key.
    if let Some(visit_id) = new.visit_id {
        let visit: Option<(Uuid,)> =
            sqlx::query_as(q("SELECT customer_id FROM visits WHERE id = ?"))
                .bind(visit_id)
                .fetch_optional(&mut **tx)
                .await?;
        match visit {
            None => return Ok(rejected("That visit no longer exists.")),
            Some((c,)) if c != new.customer_id => {
                return Ok(rejected("That visit is at another customer."))
            }
            Some(_) => {}
        }
    }
    let origin = if ctx.user.role == Role::Technician {
        "visit"
    } else {
        "office"
    };
    let text = new.text.trim();
    let inserted = sqlx::query(q(
        "INSERT INTO promises (id, customer_id, owner_id, text, due_on, origin, visit_id,
            status, created_by_id, created_at, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    ))
    .bind(new.promise_id)
    .bind(new.customer_id)
    .bind(ctx.user.id)
    .bind(text)
    .bind(new.due_on)
    .bind(origin)
    .bind(new.visit_id)
    .bind(ctx.user.id)
    .bind(ctx.made_at)
    .bind(ctx.version)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Outcome::Applied);
    }
    // The id is taken by another mutation's promise (a re-send never gets here). Answering
    // "applied" would write "promise made" on the timeline of whoever owns that id; the same
    // promise again is harmless, another one is refused.
    let (of, said, due, by): (Uuid, String, NaiveDate, Uuid) = sqlx::query_as(q(
        "SELECT customer_id, text, due_on, created_by_id FROM promises WHERE id = ?",
    ))
    .bind(new.promise_id)
    .fetch_one(&mut **tx)
    .await?;
    let same = (of, said.as_str(), due, by) == (new.customer_id, text, new.due_on, ctx.user.id);
    Ok(if same {
        Outcome::Duplicate
    } else {
        rejected(ID_TAKEN)
    })
}

async fn keep(
    tx: &mut Tx<'_>,
    ctx: &Ctx<'_>,
    promise_id: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<Outcome> {
    let row: Option<(Uuid, String)> =
        sqlx::query_as(q("SELECT customer_id, status FROM promises WHERE id = ?"))
            .bind(promise_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((customer_id, status)) = row else {
        return Ok(rejected("That promise no longer exists."));
    };
    if !serves(tx, ctx, customer_id).await? {
        return Ok(rejected(NOT_YOURS));
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
            Ok(Outcome::Applied)
        }
        "kept" => Ok(Outcome::Applied),
        _ => Ok(rejected(
            "The office dropped this promise; it cannot be kept now.",
        )),
    }
}
