//! Visits as people read them.

use chrono::{DateTime, Utc};
use domain::Visit;

/// "arrived 09:12, left 09:47", or the skip reason, in the organisation's time.
pub fn progress_times(v: &Visit, tz: chrono_tz::Tz) -> String {
    let at = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
    let mut parts = vec![];
    if let Some(t) = v.arrived_at {
        parts.push(format!("arrived {}", at(t)));
    }
    if let Some(t) = v.departed_at {
        parts.push(format!("left {}", at(t)));
    }
    if let Some(reason) = &v.skip_reason {
        parts.push(format!("skipped: {reason}"));
    }
    parts.join(", ")
}
