use crate::{Customer, Priority};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a visit stands. Status only moves forward; `Done` and `Skipped` are both final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "snake_case"))]
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

/// How far a visit got, as merged from every device's reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub status: VisitStatus,
    pub arrived_at: Option<DateTime<Utc>>,
    pub departed_at: Option<DateTime<Utc>>,
    pub skip_reason: Option<String>,
}

impl VisitStatus {
    /// Order for merging: like `rank`, with done above skipped (the work happened).
    fn merge_order(self) -> u8 {
        match self {
            VisitStatus::Skipped => 3,
            VisitStatus::Done => 4,
            other => other.rank(),
        }
    }
}

/// Merges one reported step into a visit's progress.
///
/// Commutative and idempotent, so reports that arrive late, twice or out of order from any
/// number of devices end in the same state: the status keeps the most advanced step, arrival
/// and departure keep the earliest time, and of several skip reasons one is chosen by a fixed
/// rule rather than by arrival order.
pub fn merge_progress(
    current: Progress,
    status: VisitStatus,
    at: DateTime<Utc>,
    skip_reason: Option<String>,
) -> Progress {
    let earliest = |a: Option<DateTime<Utc>>| Some(a.map_or(at, |a| a.min(at)));
    let mut next = current;
    if status.merge_order() > next.status.merge_order() {
        next.status = status;
    }
    match status {
        VisitStatus::OnSite => next.arrived_at = earliest(next.arrived_at),
        VisitStatus::Done => next.departed_at = earliest(next.departed_at),
        VisitStatus::Skipped => {
            next.skip_reason = match (next.skip_reason, skip_reason) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        }
        VisitStatus::Scheduled | VisitStatus::EnRoute => {}
    }
    next
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
    /// When the technician confirmed having read the customer's priorities before the visit.
    #[serde(default)]
    pub priorities_acknowledged_at: Option<DateTime<Utc>>,
}

impl Visit {
    /// Merges one reported step into this visit (see [`merge_progress`]).
    pub fn advance(&mut self, status: VisitStatus, at: DateTime<Utc>, skip_reason: Option<String>) {
        let before = Progress {
            status: self.status,
            arrived_at: self.arrived_at,
            departed_at: self.departed_at,
            skip_reason: self.skip_reason.take(),
        };
        let after = merge_progress(before, status, at, skip_reason);
        self.status = after.status;
        self.arrived_at = after.arrived_at;
        self.departed_at = after.departed_at;
        self.skip_reason = after.skip_reason;
    }

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
    fn progress_merges_to_the_same_state_in_any_order() {
        use chrono::TimeZone;
        let t = |m| Utc.with_ymd_and_hms(2026, 3, 10, 9, m, 0).unwrap();
        let reports = [
            (EnRoute, t(0), None),
            (OnSite, t(20), None),
            (OnSite, t(15), None), // a second device saw the arrival earlier
            (Done, t(50), None),
            (Skipped, t(55), Some("Customer not home".to_string())),
            (Done, t(50), None), // a duplicate
        ];
        let start = Progress {
            status: Scheduled,
            arrived_at: None,
            departed_at: None,
            skip_reason: None,
        };
        let expected = Progress {
            status: Done,
            arrived_at: Some(t(15)),
            departed_at: Some(t(50)),
            skip_reason: Some("Customer not home".into()),
        };
        // Every rotation and the reverse of the reports give the same result.
        for shift in 0..reports.len() {
            let mut order = reports.to_vec();
            order.rotate_left(shift);
            for seq in [order.clone(), order.into_iter().rev().collect()] {
                let merged = seq
                    .into_iter()
                    .fold(start.clone(), |p, (s, at, r)| merge_progress(p, s, at, r));
                assert_eq!(merged, expected);
            }
        }
    }

    #[test]
    fn a_status_never_moves_back_in_a_merge() {
        use chrono::TimeZone;
        let at = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        let table = [
            (Scheduled, EnRoute, EnRoute),
            (OnSite, EnRoute, OnSite),
            (Done, OnSite, Done),
            (Skipped, Done, Done),
            (Done, Skipped, Done),
            (Skipped, EnRoute, Skipped),
        ];
        for (from, report, expected) in table {
            let p = Progress {
                status: from,
                arrived_at: None,
                departed_at: None,
                skip_reason: None,
            };
            let merged = merge_progress(p, report, at, Some("x".into()));
            assert_eq!(merged.status, expected, "{from:?} + {report:?}");
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
            priorities_acknowledged_at: None,
        };
        assert_eq!(v.window_label(), "08:00–10:00");
        v.window_end = None;
        assert_eq!(v.window_label(), "from 08:00");
        v.window_start = None;
        assert_eq!(v.window_label(), "any time");
    }
}
