use super::LocalChange;
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::AdvanceVisit;
use domain::UserSummary;

impl LocalChange for AdvanceVisit {
    /// The same merge as the server's, so the phone shows what the server will hold.
    fn apply_local(&self, cache: &mut Cache, _me: &UserSummary, _made_at: DateTime<Utc>) {
        if let Some(v) = cache.visits.get_mut(&self.visit_id) {
            v.advance(self.status, self.at, self.skip_reason.clone());
        }
    }

    fn forget_local(&self, _cache: &mut Cache) {}
}
