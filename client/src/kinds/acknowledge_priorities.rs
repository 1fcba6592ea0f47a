use super::LocalChange;
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::AcknowledgePriorities;
use domain::UserSummary;

impl LocalChange for AcknowledgePriorities {
    /// The earliest reading counts, as on the server.
    fn apply_local(&self, cache: &mut Cache, _me: &UserSummary, _made_at: DateTime<Utc>) {
        if let Some(v) = cache.visits.get_mut(&self.visit_id) {
            let earliest = v
                .priorities_acknowledged_at
                .map_or(self.at, |a| a.min(self.at));
            v.priorities_acknowledged_at = Some(earliest);
        }
    }

    fn forget_local(&self, _cache: &mut Cache) {}
}
