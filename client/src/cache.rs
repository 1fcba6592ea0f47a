//! The technician's window of data on the device, and how changes land in it.

use chrono::{DateTime, NaiveDate, Utc};
use domain::sync::{Change, Promise, PromiseStatus, PullResponse, VisitNote};
use domain::{Customer, Priority, Stop, UserSummary, Visit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    pub customers: BTreeMap<Uuid, Customer>,
    pub priorities: BTreeMap<Uuid, Priority>,
    pub visits: BTreeMap<Uuid, Visit>,
    pub notes: BTreeMap<Uuid, VisitNote>,
    pub promises: BTreeMap<Uuid, Promise>,
}

impl Cache {
    /// Takes the server's rows as they are: the server has merged every device's changes.
    pub fn apply_pull(&mut self, page: &PullResponse) {
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
        for p in &page.promises {
            self.promises.insert(p.id, p.clone());
        }
    }

    /// Shows a local change at once, before the server has it. Version 0 marks "not synced".
    pub fn apply_local(&mut self, me: &UserSummary, change: &Change, made_at: DateTime<Utc>) {
        match change {
            Change::AddVisitNote {
                note_id,
                visit_id,
                body,
            } => {
                let Some(visit) = self.visits.get(visit_id) else {
                    return;
                };
                let note = VisitNote {
                    id: *note_id,
                    visit_id: *visit_id,
                    customer_id: visit.customer_id,
                    author_id: me.id,
                    body: body.trim().to_string(),
                    written_at: made_at,
                    version: 0,
                };
                self.notes.entry(*note_id).or_insert(note);
            }
            Change::AdvanceVisit {
                visit_id,
                status,
                at,
                skip_reason,
            } => {
                if let Some(v) = self.visits.get_mut(visit_id) {
                    v.advance(*status, *at, skip_reason.clone());
                }
            }
            Change::AddPriority {
                priority_id,
                customer_id,
                text,
                pinned,
            } => {
                let priority = Priority {
                    id: *priority_id,
                    customer_id: *customer_id,
                    text: text.trim().to_string(),
                    pinned: *pinned,
                    heard_by_id: me.id,
                    heard_by_name: me.name.clone(),
                    heard_role: me.role,
                    heard_at: made_at,
                    retired_at: None,
                    version: 0,
                };
                self.priorities.entry(*priority_id).or_insert(priority);
            }
            Change::AddPromise {
                promise_id,
                customer_id,
                visit_id,
                text,
                due_on,
            } => {
                let promise = Promise {
                    id: *promise_id,
                    customer_id: *customer_id,
                    owner_id: me.id,
                    text: text.trim().to_string(),
                    due_on: *due_on,
                    status: PromiseStatus::Open,
                    visit_id: *visit_id,
                    closed_at: None,
                    version: 0,
                };
                self.promises.entry(*promise_id).or_insert(promise);
            }
            Change::EditCustomer {
                customer_id,
                field,
                value,
                ..
            } => {
                if let Some(c) = self.customers.get_mut(customer_id) {
                    field.set(c, value.trim().to_string());
                }
            }
            Change::AcknowledgePriorities { visit_id, at } => {
                if let Some(v) = self.visits.get_mut(visit_id) {
                    let earliest = v.priorities_acknowledged_at.map_or(*at, |a| a.min(*at));
                    v.priorities_acknowledged_at = Some(earliest);
                }
            }
            Change::KeepPromise { promise_id, at } => {
                if let Some(p) = self.promises.get_mut(promise_id) {
                    if p.status == PromiseStatus::Open {
                        p.status = PromiseStatus::Kept;
                        p.closed_at = Some(*at);
                    }
                }
            }
        }
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
