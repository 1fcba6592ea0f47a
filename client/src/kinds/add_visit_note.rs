use super::{drop_unsynced, LocalChange};
use crate::cache::Cache;
use chrono::{DateTime, Utc};
use domain::sync::{AddVisitNote, VisitNote};
use domain::UserSummary;

impl LocalChange for AddVisitNote {
    fn apply_local(&self, cache: &mut Cache, me: &UserSummary, made_at: DateTime<Utc>) {
        let Some(visit) = cache.visits.get(&self.visit_id) else {
            return;
        };
        let note = VisitNote {
            id: self.note_id,
            visit_id: self.visit_id,
            customer_id: visit.customer_id,
            author_id: me.id,
            body: self.body.trim().to_string(),
            written_at: made_at,
            version: 0,
        };
        cache.notes.entry(self.note_id).or_insert(note);
    }

    fn forget_local(&self, cache: &mut Cache) {
        drop_unsynced(&mut cache.notes, &self.note_id, |n| n.version)
    }
}
