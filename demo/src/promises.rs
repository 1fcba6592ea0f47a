//! Promises in every state, so the ledger has something to show: some kept on time, some
//! late, some overdue right now; and a call this morning with a callback due today.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use domain::{new_id, PromiseOrigin, PromiseStatus};
use store::{NewPromise, Store, StoreResult};
use uuid::Uuid;

/// Makes the demo's promises, all relative to today.
pub(crate) struct Promises<'a> {
    /// Each demo customer's id and their technician's, in the demo's order.
    pub customers: &'a [(Uuid, Uuid)],
    pub office: Uuid,
    pub today: NaiveDate,
}

impl Promises<'_> {
    /// A promise to the `n`th customer, due `due` days from today; made at a visit unless the
    /// office owns it.
    pub(crate) fn promise(&self, n: usize, owner: Uuid, text: &str, due: i64) -> NewPromise {
        NewPromise {
            id: new_id(),
            customer_id: self.customers[n].0,
            owner_id: owner,
            text: text.into(),
            due_on: self.today + Duration::days(due),
            due_time: None,
            origin: if owner == self.office {
                PromiseOrigin::Office
            } else {
                PromiseOrigin::Visit
            },
            visit_id: None,
            created_by: owner,
        }
    }
}

pub(crate) async fn seed_ledger(
    store: &dyn Store,
    promises: &Promises<'_>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let customers = promises.customers;
    let office = promises.office;
    let ledger: [(usize, bool, &str, i64, Option<i64>); 8] = [
        // customer, by the office?, what, due (days from today), kept (days from today)
        (3, false, "Send a copy of the inspection report", -3, None),
        (
            5,
            true,
            "Call back about moving service to evenings",
            -1,
            None,
        ),
        (
            9,
            false,
            "Email the written summary of the last visit",
            -2,
            None,
        ),
        (
            1,
            false,
            "Bring flour-safe bait stations next time",
            -6,
            Some(-7),
        ),
        (2, true, "Confirm the new visit day by phone", -5, Some(-5)),
        (4, false, "Check the back fence for gaps", -9, Some(-4)),
        (
            7,
            true,
            "Send the invoice to the management company",
            -4,
            Some(-4),
        ),
        (
            10,
            false,
            "Leave a parking permit on the dashboard",
            3,
            None,
        ),
    ];
    for (n, by_office, text, due, kept) in ledger {
        let owner = if by_office { office } else { customers[n].1 };
        let made = now + Duration::days(due - 7);
        let p = store
            .create_promise(promises.promise(n, owner, text, due), made)
            .await?;
        if let Some(kept) = kept {
            let at = now + Duration::days(kept);
            store
                .close_promise(p.id, PromiseStatus::Kept, None, owner, at)
                .await?;
        }
    }

    // A call this morning asking for a call back, due by the end of the business day.
    let mut callback = promises.promise(1, office, "Call Marco back about the new oven room", 0);
    callback.origin = PromiseOrigin::Call;
    callback.due_time = NaiveTime::from_hms_opt(17, 0, 0);
    store
        .log_call(
            customers[1].0,
            "Marco asked whether the new oven room needs treating".into(),
            Some(callback),
            office,
            now - Duration::hours(2),
        )
        .await?;
    Ok(())
}
