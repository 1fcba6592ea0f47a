//! Where "now" comes from. Tests can fix it; the app uses the system clock.

use chrono::{DateTime, SubsecRound, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    /// The system clock, to the microsecond: PostgreSQL keeps no finer, so an installation
    /// reads back the same instants whichever database it runs on (and after a copy).
    pub fn system() -> Clock {
        Clock(Arc::new(|| Utc::now().trunc_subsecs(6)))
    }

    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock(Arc::new(move || at))
    }

    /// The system clock plus an offset that tests move forward (`--test-clock`), so a test
    /// can see a promise become overdue without waiting a day.
    pub fn adjustable(offset_seconds: Arc<AtomicI64>) -> Clock {
        Clock(Arc::new(move || {
            let offset = offset_seconds.load(Ordering::SeqCst);
            Utc::now().trunc_subsecs(6) + chrono::Duration::seconds(offset)
        }))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}
