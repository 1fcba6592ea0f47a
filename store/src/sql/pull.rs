//! Pulling changes by version.
//!
//! Every synced row carries the organisation version of its last write (see `next_version`),
//! and writers take versions one at a time (SQLite's single writer; PostgreSQL's row lock on
//! `org_state`), so versions become visible in order and a cursor never skips a change.
//! Versions are unique per row (see `next_version`), so a page can be cut after any version
//! without leaving part of a write behind.

use super::customers::CUSTOMER_COLUMNS;
use super::priorities::PRIORITY_SELECT as PRIORITY;
use super::promises::PROMISE_COLUMNS as PROMISE;
use super::visits::VISIT_COLUMNS as VISIT;
use super::{q, Db};
use crate::{PullScope, StoreResult};
use domain::sync::{Promise, PullResponse, VisitNote};
use domain::{Customer, Priority, Visit};
use std::collections::HashSet;
use uuid::Uuid;

/// Customers with a visit of this technician in the window (all customers for the office).
/// Parameters: ?1 technician (or NULL), ?2 from, ?3 to.
const IN_SCOPE: &str = "(?1 IS NULL OR customer_id IN (SELECT v.customer_id FROM visits v
     WHERE v.technician_id = ?1 AND v.scheduled_on BETWEEN ?2 AND ?3))";

pub async fn pull(
    pool: &sqlx::Pool<Db>,
    scope: &PullScope,
    cursor: i64,
    limit: usize,
) -> StoreResult<PullResponse> {
    let limit = limit.clamp(1, 5000);
    let fetch = limit as i64 + 1;
    let visits: Vec<Visit> = query(
        pool,
        scope,
        cursor,
        fetch,
        &format!(
            "SELECT {VISIT} FROM visits WHERE (?1 IS NULL OR technician_id = ?1)
         AND scheduled_on BETWEEN ?2 AND ?3 AND version > ?4 ORDER BY version LIMIT ?5"
        ),
    )
    .await?;
    let customers: Vec<Customer> = query(pool, scope, cursor, fetch, &format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE {} AND version > ?4 ORDER BY version LIMIT ?5",
        IN_SCOPE.replace("customer_id IN", "id IN")
    )).await?;
    let priorities: Vec<Priority> = query(
        pool,
        scope,
        cursor,
        fetch,
        &format!(
            "{PRIORITY} WHERE {} AND p.version > ?4 ORDER BY p.version LIMIT ?5",
            IN_SCOPE.replace("customer_id IN", "p.customer_id IN")
        ),
    )
    .await?;
    let promises: Vec<Promise> = query(
        pool,
        scope,
        cursor,
        fetch,
        &format!(
        "SELECT {PROMISE} FROM promises WHERE {IN_SCOPE} AND version > ?4 ORDER BY version LIMIT ?5"
    ),
    )
    .await?;
    let notes: Vec<VisitNote> = query(
        pool,
        scope,
        cursor,
        fetch,
        &format!(
        "SELECT {NOTE} FROM visit_notes WHERE {IN_SCOPE} AND version > ?4 ORDER BY version LIMIT ?5"
    ),
    )
    .await?;

    // Only a technician's phone has a scope to leave.
    let exits: Vec<(Uuid, i64)> = query(
        pool,
        scope,
        cursor,
        fetch,
        "SELECT visit_id, version FROM scope_exits
         WHERE technician_id = ?1 AND version > ?4
         ORDER BY version LIMIT ?5",
    )
    .await?;

    let versions = [
        exits.iter().map(|r| r.1).collect::<Vec<_>>(),
        visits.iter().map(|r| r.version).collect(),
        customers.iter().map(|r| r.version).collect(),
        priorities.iter().map(|r| r.version).collect(),
        promises.iter().map(|r| r.version).collect(),
        notes.iter().map(|r| r.version).collect(),
    ];
    let full_table = versions.iter().any(|v| v.len() > limit);
    let mut all: Vec<i64> = versions.concat();
    all.sort_unstable();
    let Some(&cut) = all.get(limit.min(all.len()).saturating_sub(1)) else {
        // Nothing written since the cursor; days may still have come into the window.
        let mut page = PullResponse {
            cursor,
            window: Some((scope.from, scope.to)),
            ..Default::default()
        };
        add_visits_entering_window(pool, scope, &mut page).await?;
        add_customers_entering_scope(pool, &mut page).await?;
        return Ok(page);
    };
    // Anything above the cut-off waits for the next page.
    let more = full_table || all.iter().any(|&v| v > cut);
    let keep = |v: i64| v <= cut;
    let mut page = PullResponse {
        cursor: cut,
        more,
        visits: visits.into_iter().filter(|r| keep(r.version)).collect(),
        customers: customers.into_iter().filter(|r| keep(r.version)).collect(),
        priorities: priorities.into_iter().filter(|r| keep(r.version)).collect(),
        promises: promises.into_iter().filter(|r| keep(r.version)).collect(),
        notes: notes.into_iter().filter(|r| keep(r.version)).collect(),
        removed_visits: exits
            .into_iter()
            .filter(|r| keep(r.1))
            .map(|r| r.0)
            .collect(),
        window: Some((scope.from, scope.to)),
    };
    add_visits_entering_window(pool, scope, &mut page).await?;
    add_customers_entering_scope(pool, &mut page).await?;
    Ok(page)
}

/// A technician's visits whose day has come into the window since the device's last pull
/// (`entered_after`): written long ago, so below the cursor, but new to the device.
async fn add_visits_entering_window(
    pool: &sqlx::Pool<Db>,
    scope: &PullScope,
    page: &mut PullResponse,
) -> StoreResult<()> {
    let (Some(technician), Some(after)) = (scope.technician_id, scope.entered_after) else {
        return Ok(());
    };
    if after >= scope.to {
        return Ok(());
    }
    let entering: Vec<Visit> = sqlx::query_as(q(&format!(
        "SELECT {VISIT} FROM visits
         WHERE technician_id = ? AND scheduled_on > ? AND scheduled_on <= ?"
    )))
    .bind(technician)
    .bind(after.max(scope.from - chrono::Duration::days(1)))
    .bind(scope.to)
    .fetch_all(pool)
    .await?;
    let known: HashSet<Uuid> = page.visits.iter().map(|v| v.id).collect();
    page.visits
        .extend(entering.into_iter().filter(|v| !known.contains(&v.id)));
    Ok(())
}

/// A visit that newly reached this technician brings its customer with it, however old the
/// customer's own version, so the stop can be served offline.
async fn add_customers_entering_scope(
    pool: &sqlx::Pool<Db>,
    page: &mut PullResponse,
) -> StoreResult<()> {
    let known: HashSet<Uuid> = page.customers.iter().map(|c| c.id).collect();
    let mut missing: Vec<Uuid> = page
        .visits
        .iter()
        .map(|v| v.customer_id)
        .filter(|id| !known.contains(id))
        .collect();
    missing.sort();
    missing.dedup();
    let known_priorities: HashSet<Uuid> = page.priorities.iter().map(|p| p.id).collect();
    let known_promises: HashSet<Uuid> = page.promises.iter().map(|p| p.id).collect();
    for id in missing {
        let customer: Option<Customer> = sqlx::query_as(q(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?;
        page.customers.extend(customer);
        let priorities: Vec<Priority> =
            sqlx::query_as(q(&format!("{PRIORITY} WHERE p.customer_id = ?")))
                .bind(id)
                .fetch_all(pool)
                .await?;
        page.priorities.extend(
            priorities
                .into_iter()
                .filter(|p| !known_priorities.contains(&p.id)),
        );
        let promises: Vec<Promise> = sqlx::query_as(q(&format!(
            "SELECT {PROMISE} FROM promises WHERE customer_id = ? AND status = 'open'"
        )))
        .bind(id)
        .fetch_all(pool)
        .await?;
        page.promises.extend(
            promises
                .into_iter()
                .filter(|p| !known_promises.contains(&p.id)),
        );
        // What happened last time, for a customer the phone may not have held for a while.
        let notes: Vec<VisitNote> = sqlx::query_as(q(&format!(
            "SELECT {NOTE} FROM visit_notes WHERE customer_id = ?
             ORDER BY written_at DESC, id DESC LIMIT {RECENT_NOTES}"
        )))
        .bind(id)
        .fetch_all(pool)
        .await?;
        let known_notes: HashSet<Uuid> = page.notes.iter().map(|n| n.id).collect();
        page.notes
            .extend(notes.into_iter().filter(|n| !known_notes.contains(&n.id)));
    }
    Ok(())
}

async fn query<T>(
    pool: &sqlx::Pool<Db>,
    scope: &PullScope,
    cursor: i64,
    fetch: i64,
    sql: &str,
) -> StoreResult<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
{
    Ok(sqlx::query_as(q(sql))
        .bind(scope.technician_id)
        .bind(scope.from)
        .bind(scope.to)
        .bind(cursor)
        .bind(fetch)
        .fetch_all(pool)
        .await?)
}

/// Notes sent with a customer coming into a phone's scope (the phone keeps as many).
const RECENT_NOTES: usize = 5;
const NOTE: &str = "id, visit_id, customer_id, author_id, body, written_at, version";
