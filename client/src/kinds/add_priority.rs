use super::{drop_unsynced, LocalChange};
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::AddPriority;
use domain::{Priority, UserSummary};

impl LocalChange for AddPriority {
    fn apply_local(&self, cache: &mut Cache, me: &UserSummary, made_at: DateTime<Utc>) {
        let priority = Priority {
            id: self.priority_id,
            customer_id: self.customer_id,
            text: self.text.trim().to_string(),
            pinned: self.pinned,
            heard_by_id: me.id,
            heard_by_name: me.name.clone(),
            heard_role: me.role,
            heard_at: made_at,
            retired_at: None,
            version: 0,
        };
        cache.priorities.entry(self.priority_id).or_insert(priority);
    }

    fn forget_local(&self, cache: &mut Cache) {
        drop_unsynced(&mut cache.priorities, &self.priority_id, |p| p.version)
    }
}
