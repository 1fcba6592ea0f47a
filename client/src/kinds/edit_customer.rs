use super::LocalChange;
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::EditCustomer;
use domain::UserSummary;

impl LocalChange for EditCustomer {
    fn apply_local(&self, cache: &mut Cache, _me: &UserSummary, _made_at: DateTime<Utc>) {
        if let Some(c) = cache.customers.get_mut(&self.customer_id) {
            self.field.set(c, self.value.trim().to_string());
        }
    }

    fn forget_local(&self, _cache: &mut Cache) {}
}
