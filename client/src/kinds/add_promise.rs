use super::{drop_unsynced, LocalChange};
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::{AddPromise, Promise, PromiseStatus};
use domain::UserSummary;

impl LocalChange for AddPromise {
    fn apply_local(&self, cache: &mut Cache, me: &UserSummary, _made_at: DateTime<Utc>) {
        let promise = Promise {
            id: self.promise_id,
            customer_id: self.customer_id,
            owner_id: me.id,
            text: self.text.trim().to_string(),
            due_on: self.due_on,
            status: PromiseStatus::Open,
            visit_id: self.visit_id,
            closed_at: None,
            version: 0,
            due_time: None,
            origin: domain::PromiseOrigin::Visit,
            drop_reason: None,
        };
        cache.promises.entry(self.promise_id).or_insert(promise);
    }

    fn forget_local(&self, cache: &mut Cache) {
        drop_unsynced(&mut cache.promises, &self.promise_id, |p| p.version)
    }
}
