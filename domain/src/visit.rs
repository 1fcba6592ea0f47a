use crate::{Customer, Priority};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a visit stands. Status only moves forward; `Done` and `Skipped` are both final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "TEXT", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Scheduled,
    EnRoute,
    OnSite,
    Done,
    Skipped,
}

impl VisitStatus {
    /// How far along the visit is; merges keep the most advanced state.
    pub fn rank(self) -> u8 {
        match self {
            VisitStatus::Scheduled => 0,
            VisitStatus::EnRoute => 1,
            VisitStatus::OnSite => 2,
            VisitStatus::Done | VisitStatus::Skipped => 3,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VisitStatus::Scheduled => "Scheduled",
            VisitStatus::EnRoute => "En route",
            VisitStatus::OnSite => "On site",
            VisitStatus::Done => "Done",
            VisitStatus::Skipped => "Skipped",
        }
    }

    pub fn is_final(self) -> bool {
        self.rank() == 3
    }

    /// A status may only move forward, and a finished visit stays finished.
    pub fn can_move_to(self, next: VisitStatus) -> bool {
        !self.is_final() && next.rank() > self.rank()
    }
}

/// One service stop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Visit {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub technician_id: Option<Uuid>,
    /// The day of service in the organisation's time zone.
    pub scheduled_on: NaiveDate,
    pub window_start: Option<NaiveTime>,
    pub window_end: Option<NaiveTime>,
    /// Order within the technician's day.
    pub position: i64,
    pub status: VisitStatus,
    pub arrived_at: Option<DateTime<Utc>>,
    pub departed_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
    pub version: i64,
}

impl Visit {
    /// "08:00–10:00", "from 08:00", or "any time" when no window was agreed.
    pub fn window_label(&self) -> String {
        let fmt = |t: NaiveTime| t.format("%H:%M").to_string();
        match (self.window_start, self.window_end) {
            (Some(s), Some(e)) => format!("{}–{}", fmt(s), fmt(e)),
            (Some(s), None) => format!("from {}", fmt(s)),
            (None, Some(e)) => format!("by {}", fmt(e)),
            (None, None) => "any time".into(),
        }
    }
}

/// A visit on a technician's day with what they must know before knocking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stop {
    pub visit: Visit,
    pub customer: Customer,
    /// Already in display order (pinned first).
    pub priorities: Vec<Priority>,
}

/// Puts a day's stops in route order: by position, then window start, so a day whose order was
/// never set still reads sensibly.
pub fn route_order(stops: &mut [Stop]) {
    stops.sort_by(|a, b| {
        a.visit
            .position
            .cmp(&b.visit.position)
            .then(a.visit.window_start.cmp(&b.visit.window_start))
            .then(a.customer.name.cmp(&b.customer.name))
    });
}

#[cfg(test)]
mod tests {
    use super::VisitStatus::*;
    use super::*;

    #[test]
    fn status_moves_forward_only() {
        let table = [
            (Scheduled, EnRoute, true),
            (Scheduled, OnSite, true),
            (Scheduled, Done, true),
            (EnRoute, Scheduled, false),
            (OnSite, EnRoute, false),
            (OnSite, Skipped, true),
            (Done, Skipped, false),
            (Skipped, Done, false),
            (Done, Done, false),
        ];
        for (from, to, allowed) in table {
            assert_eq!(from.can_move_to(to), allowed, "{from:?} -> {to:?}");
        }
    }

    #[test]
    fn window_labels_read_like_a_person_would_say_them() {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0);
        let mut v = Visit {
            id: Uuid::nil(),
            customer_id: Uuid::nil(),
            technician_id: None,
            scheduled_on: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            window_start: t(8),
            window_end: t(10),
            position: 0,
            status: Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
            version: 0,
        };
        assert_eq!(v.window_label(), "08:00–10:00");
        v.window_end = None;
        assert_eq!(v.window_label(), "from 08:00");
        v.window_start = None;
        assert_eq!(v.window_label(), "any time");
    }
}
