//! The technician's window of data on the device, and how changes land in it.

use chrono::{DateTime, NaiveDate, Utc};
use domain::sync::{Change, Promise, PromiseStatus, PullResponse, VisitNote};
use domain::{Customer, Priority, Stop, UserSummary, Visit};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Notes from earlier visits kept per customer: enough to know what happened last time.
pub const OLDER_NOTES_KEPT: usize = 5;
use uuid::Uuid;

/// Saved on the phone inside [`crate::engine::LocalState`]: a new field gets
/// `#[serde(default)]` (see there).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    pub customers: BTreeMap<Uuid, Customer>,
    pub priorities: BTreeMap<Uuid, Priority>,
    pub visits: BTreeMap<Uuid, Visit>,
    pub notes: BTreeMap<Uuid, VisitNote>,
    pub promises: BTreeMap<Uuid, Promise>,
    /// The days the last pull covered; the next pull says where it ended, so visits whose day
    /// has since come into the window are sent even though they were written long ago.
    #[serde(default)]
    pub window: Option<(NaiveDate, NaiveDate)>,
}

impl Cache {
    /// Takes the server's rows as they are: the server has merged every device's changes.
    /// Visits that left the technician's scope go first (a visit that came back later is in
    /// the same or a later page, so it is re-added), then anything outside the window, then
    /// customers with no visit left.
    pub fn apply_pull(&mut self, page: &PullResponse) {
        for id in &page.removed_visits {
            self.visits.remove(id);
        }
        for c in &page.customers {
            self.customers.insert(c.id, c.clone());
        }
        for p in &page.priorities {
            self.priorities.insert(p.id, p.clone());
        }
        for v in &page.visits {
            self.visits.insert(v.id, v.clone());
        }
        for n in &page.notes {
            self.notes.insert(n.id, n.clone());
        }
        // The phone keeps open promises only: a kept or dropped one leaves it, as it leaves
        // the stop's list. (A customer new to the phone comes with its open ones alone.)
        for p in &page.promises {
            if p.status == PromiseStatus::Open {
                self.promises.insert(p.id, p.clone());
            } else {
                self.promises.remove(&p.id);
            }
        }
        if let Some((from, to)) = page.window {
            self.window = Some((from, to));
            // Pruning waits for the last page: a visit that left on this page may come back on
            // the next one, and its customer's notes must not be dropped in between.
            if !page.more {
                self.visits
                    .retain(|_, v| v.version == 0 || (from..=to).contains(&v.scheduled_on));
            }
        }
        if !page.more {
            self.drop_out_of_scope();
        }
    }

    /// Forgets customers this phone no longer has a visit for, with everything about them,
    /// and keeps only the last few notes from visits that left the window.
    fn drop_out_of_scope(&mut self) {
        let served: BTreeSet<Uuid> = self.visits.values().map(|v| v.customer_id).collect();
        self.customers.retain(|id, _| served.contains(id));
        self.priorities
            .retain(|_, p| served.contains(&p.customer_id));
        self.promises.retain(|_, p| served.contains(&p.customer_id));
        self.notes.retain(|_, n| served.contains(&n.customer_id));
        let mut older: BTreeMap<Uuid, Vec<(DateTime<Utc>, Uuid)>> = BTreeMap::new();
        for n in self.notes.values() {
            if !self.visits.contains_key(&n.visit_id) && n.version != 0 {
                older
                    .entry(n.customer_id)
                    .or_default()
                    .push((n.written_at, n.id));
            }
        }
        for mut notes in older.into_values() {
            notes.sort_unstable_by(|a, b| b.cmp(a));
            for (_, id) in notes.into_iter().skip(OLDER_NOTES_KEPT) {
                self.notes.remove(&id);
            }
        }
    }

    /// Shows a local change at once, before the server has it (see [`crate::kinds::LocalChange`]).
    pub fn apply_local(&mut self, me: &UserSummary, change: &Change, made_at: DateTime<Utc>) {
        crate::kinds::local(change).apply_local(self, me, made_at);
    }

    /// Takes back a row a local change made that the server refused (see [`crate::kinds::LocalChange`]).
    pub fn forget_local(&mut self, change: &Change) {
        crate::kinds::local(change).forget_local(self);
    }

    /// A day's stops in route order, each with its customer's priorities (pinned first).
    pub fn day(&self, technician_id: Uuid, date: NaiveDate) -> Vec<Stop> {
        let mut stops: Vec<Stop> = self
            .visits
            .values()
            .filter(|v| v.technician_id == Some(technician_id) && v.scheduled_on == date)
            .filter_map(|v| {
                let customer = self.customers.get(&v.customer_id)?.clone();
                let priorities = self.priorities_of(customer.id);
                Some(Stop {
                    visit: v.clone(),
                    customer,
                    priorities,
                })
            })
            .collect();
        domain::visit::route_order(&mut stops);
        stops
    }

    pub fn priorities_of(&self, customer_id: Uuid) -> Vec<Priority> {
        let mine = self
            .priorities
            .values()
            .filter(|p| p.customer_id == customer_id)
            .cloned()
            .collect();
        domain::priority::for_display(mine)
    }

    /// Open promises to this customer, soonest due first.
    pub fn open_promises(&self, customer_id: Uuid) -> Vec<Promise> {
        let mut open: Vec<Promise> = self
            .promises
            .values()
            .filter(|p| p.customer_id == customer_id && p.status == PromiseStatus::Open)
            .cloned()
            .collect();
        open.sort_by_key(|p| (p.due_on, p.id));
        open
    }

    /// Notes of one visit, oldest first.
    pub fn notes_of(&self, visit_id: Uuid) -> Vec<VisitNote> {
        let mut notes: Vec<VisitNote> = self
            .notes
            .values()
            .filter(|n| n.visit_id == visit_id)
            .cloned()
            .collect();
        notes.sort_by_key(|n| (n.written_at, n.id));
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::VisitStatus;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn customer(id: Uuid) -> Customer {
        let at = day(1).and_hms_opt(0, 0, 0).unwrap().and_utc();
        Customer {
            id,
            name: format!("Customer {id}"),
            contact_name: String::new(),
            address: String::new(),
            phone: String::new(),
            email: String::new(),
            access_notes: String::new(),
            assigned_technician_id: None,
            backup_technician_id: None,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    fn visit(id: u128, customer_id: Uuid, on: NaiveDate, version: i64) -> Visit {
        Visit {
            id: Uuid::from_u128(id),
            customer_id,
            technician_id: Some(Uuid::from_u128(99)),
            scheduled_on: on,
            window_start: None,
            window_end: None,
            position: 0,
            status: VisitStatus::Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
            version,
            priorities_acknowledged_at: None,
        }
    }

    fn note(id: u128, visit_id: Uuid, customer_id: Uuid, minute: u32) -> VisitNote {
        VisitNote {
            id: Uuid::from_u128(id),
            visit_id,
            customer_id,
            author_id: Uuid::from_u128(99),
            body: format!("note {id}"),
            written_at: day(1).and_hms_opt(9, minute, 0).unwrap().and_utc(),
            version: 1,
        }
    }

    /// Found by the 10 000-case fault run: a customer new to the phone came with its open
    /// promises only, while a pull by version also brought kept ones, so two phones of one
    /// technician could hold different promises.
    #[test]
    fn only_open_promises_stay_on_the_phone() {
        let a = Uuid::from_u128(1);
        let promise = |id: u128, status| Promise {
            id: Uuid::from_u128(id),
            customer_id: a,
            owner_id: Uuid::from_u128(99),
            text: format!("promise {id}"),
            due_on: day(12),
            status,
            visit_id: None,
            closed_at: None,
            version: id as i64,
            due_time: None,
            origin: domain::PromiseOrigin::Visit,
            drop_reason: None,
        };
        let mut cache = Cache::default();
        cache.apply_pull(&PullResponse {
            customers: vec![customer(a)],
            visits: vec![visit(10, a, day(10), 1)],
            promises: vec![
                promise(20, PromiseStatus::Open),
                promise(21, PromiseStatus::Kept),
            ],
            window: Some((day(3), day(24))),
            ..Default::default()
        });
        let ids = |c: &Cache| c.promises.keys().map(|id| id.as_u128()).collect::<Vec<_>>();
        assert_eq!(ids(&cache), [20]);
        cache.apply_pull(&PullResponse {
            promises: vec![promise(20, PromiseStatus::Dropped)],
            window: Some((day(3), day(24))),
            ..Default::default()
        });
        assert!(ids(&cache).is_empty(), "a dropped promise leaves the phone");
    }

    #[test]
    fn visits_that_leave_the_scope_take_their_customer_with_them() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut cache = Cache::default();
        let mut first = PullResponse {
            customers: vec![customer(a), customer(b)],
            visits: vec![visit(10, a, day(10), 1), visit(11, b, day(10), 2)],
            window: Some((day(3), day(24))),
            ..Default::default()
        };
        // Seven notes from an earlier visit of A, outside the window.
        first.notes = (0..7)
            .map(|n| note(100 + n, Uuid::from_u128(50), a, n as u32))
            .collect();
        first.notes.push(note(200, Uuid::from_u128(10), a, 0));
        cache.apply_pull(&first);
        assert_eq!(cache.visits.len(), 2);
        // Only the last few of the older notes stay, and every note of a visit on the phone.
        let kept: BTreeSet<u128> = cache.notes.keys().map(|id| id.as_u128()).collect();
        assert_eq!(kept, BTreeSet::from([102, 103, 104, 105, 106, 200]));

        // B's visit went to another technician; A's moved to another day, still in the window.
        cache.apply_pull(&PullResponse {
            removed_visits: vec![Uuid::from_u128(11), Uuid::from_u128(10)],
            visits: vec![visit(10, a, day(12), 3)],
            window: Some((day(3), day(24))),
            ..Default::default()
        });
        assert_eq!(
            cache
                .visits
                .keys()
                .map(|id| id.as_u128())
                .collect::<Vec<_>>(),
            [10]
        );
        assert_eq!(cache.visits[&Uuid::from_u128(10)].scheduled_on, day(12));
        assert!(cache.customers.contains_key(&a));
        assert!(
            !cache.customers.contains_key(&b),
            "B has no visit on this phone any more"
        );

        // A week later the window has moved past A's visit.
        cache.apply_pull(&PullResponse {
            window: Some((day(13), day(31))),
            ..Default::default()
        });
        assert!(cache.visits.is_empty());
        assert!(cache.customers.is_empty() && cache.notes.is_empty());
    }
}
