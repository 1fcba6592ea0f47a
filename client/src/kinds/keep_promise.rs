use super::LocalChange;
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::{KeepPromise, PromiseStatus};
use domain::UserSummary;

impl LocalChange for KeepPromise {
    fn apply_local(&self, cache: &mut Cache, _me: &UserSummary, _made_at: DateTime<Utc>) {
        if let Some(p) = cache.promises.get_mut(&self.promise_id) {
            if p.status == PromiseStatus::Open {
                p.status = PromiseStatus::Kept;
                p.closed_at = Some(self.at);
            }
        }
    }

    fn forget_local(&self, _cache: &mut Cache) {}
}
