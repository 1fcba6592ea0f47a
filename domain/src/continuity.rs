//! Continuity: the same technician on the relationship (PRODUCT.md). A visit given to anyone
//! other than the customer's assigned technician is a *break*; these rules say when one
//! happens, how continuous a customer's service has been, and which customers are at risk.

use crate::{Priority, VisitStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// How many completed visits the continuity figures look back over.
pub const CONTINUITY_WINDOW: usize = 10;

/// Why a visit goes to someone other than the customer's technician.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum BreakReason {
    Sick,
    Vacation,
    LeftCompany,
    CustomerAsked,
    Other,
}

impl BreakReason {
    pub const ALL: [BreakReason; 5] = [
        BreakReason::Sick,
        BreakReason::Vacation,
        BreakReason::LeftCompany,
        BreakReason::CustomerAsked,
        BreakReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BreakReason::Sick => "sick",
            BreakReason::Vacation => "vacation",
            BreakReason::LeftCompany => "left_company",
            BreakReason::CustomerAsked => "customer_asked",
            BreakReason::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BreakReason::Sick => "Technician is sick",
            BreakReason::Vacation => "Technician is on vacation",
            BreakReason::LeftCompany => "Technician left the company",
            BreakReason::CustomerAsked => "Customer asked for someone else",
            BreakReason::Other => "Other",
        }
    }

    pub fn parse(raw: &str) -> Option<BreakReason> {
        BreakReason::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// The reason as it reads on a timeline: "sick", or the words given for "other".
    pub fn describe(self, text: &str) -> String {
        match (self, text.trim()) {
            (BreakReason::Other, t) if !t.is_empty() => t.to_string(),
            (r, "") => r.label().to_string(),
            (r, t) => format!("{} — {t}", r.label()),
        }
    }
}

/// Whether giving a visit now held by `current` to `next` breaks continuity: someone is being
/// sent who is not the customer's assigned technician, and it is not who was already going
/// (moving a substitute's visit to another day is not a new break).
pub fn is_break(assigned: Option<Uuid>, current: Option<Uuid>, next: Option<Uuid>) -> bool {
    match (assigned, next) {
        (Some(assigned), Some(next)) => next != assigned && Some(next) != current,
        _ => false,
    }
}

/// What the dispatcher must read before sending someone new: "same technician" wishes first,
/// then pinned priorities, then the rest; retired ones left out.
pub fn priorities_for_break(priorities: &[Priority]) -> Vec<Priority> {
    let mut active: Vec<Priority> = priorities
        .iter()
        .filter(|p| p.retired_at.is_none())
        .cloned()
        .collect();
    active.sort_by_key(|p| (!asks_for_same_technician(&p.text), !p.pinned, p.heard_at));
    active
}

/// A priority that says the customer wants the same person every time.
pub fn asks_for_same_technician(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "same technician",
        "same tech",
        "same person",
        "same guy",
        "same woman",
        "who knows",
    ]
    .iter()
    .any(|phrase| t.contains(phrase))
}

/// A completed or skipped visit, as continuity looks at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PastVisit {
    pub day: NaiveDate,
    pub technician_id: Option<Uuid>,
    pub status: VisitStatus,
}

/// How continuous a customer's service has been over their last completed visits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continuity {
    /// Completed visits looked at (at most [`CONTINUITY_WINDOW`]).
    pub completed: u32,
    /// Of those, done by the assigned technician.
    pub by_assigned: u32,
    /// Different people who did them.
    pub technicians: u32,
}

impl Continuity {
    /// Scores the last `window` done visits (any order in; newest are used).
    pub fn of(visits: &[PastVisit], assigned: Option<Uuid>, window: usize) -> Continuity {
        let mut done: Vec<&PastVisit> = visits
            .iter()
            .filter(|v| v.status == VisitStatus::Done)
            .collect();
        done.sort_by_key(|v| std::cmp::Reverse(v.day));
        done.truncate(window);
        let people: BTreeSet<Option<Uuid>> = done.iter().map(|v| v.technician_id).collect();
        Continuity {
            completed: done.len() as u32,
            by_assigned: done
                .iter()
                .filter(|v| assigned.is_some() && v.technician_id == assigned)
                .count() as u32,
            technicians: people.len() as u32,
        }
    }

    /// Whole percent done by the assigned technician, none before the first visit.
    pub fn percent(&self) -> Option<u32> {
        (self.completed > 0).then(|| (self.by_assigned * 100 + self.completed / 2) / self.completed)
    }

    /// "4 technicians in the last 10 visits · 40% by Sam Ortiz".
    pub fn label(&self, assigned_name: Option<&str>) -> String {
        let Some(percent) = self.percent() else {
            return "No completed visits yet".into();
        };
        let people = match self.technicians {
            1 => "1 technician".to_string(),
            n => format!("{n} technicians"),
        };
        let visits = match self.completed {
            1 => "the last visit".to_string(),
            n => format!("the last {n} visits"),
        };
        match assigned_name {
            Some(name) => format!("{people} in {visits} · {percent}% by {name}"),
            None => format!("{people} in {visits} · no assigned technician"),
        }
    }
}

/// What counts against a customer's relationship.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskInputs {
    pub customer_id: Uuid,
    pub customer_name: String,
    pub continuity: Continuity,
    /// Continuity breaks recorded recently.
    pub breaks: u32,
    pub overdue_promises: u32,
    /// Visits skipped recently.
    pub skipped: u32,
}

/// A customer on the at-risk list, with the reasons in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AtRisk {
    pub customer_id: Uuid,
    pub customer_name: String,
    pub score: u32,
    pub reasons: Vec<String>,
    pub continuity: Continuity,
}

impl RiskInputs {
    /// Each extra face in the window, each break and each overdue promise weighs more than a
    /// skipped visit: those are what make a customer feel like a stranger.
    pub fn score(&self) -> u32 {
        let extra_faces = self.continuity.technicians.saturating_sub(1);
        let not_assigned = self.continuity.completed - self.continuity.by_assigned;
        extra_faces * 3 + not_assigned + self.breaks * 3 + self.overdue_promises * 3 + self.skipped
    }

    fn reasons(&self) -> Vec<String> {
        let plural = |n: u32, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        let mut reasons = vec![];
        if self.continuity.technicians > 1 {
            reasons.push(format!(
                "{} in the last {}",
                plural(self.continuity.technicians, "technician", "technicians"),
                plural(self.continuity.completed, "visit", "visits")
            ));
        }
        let not_assigned = self.continuity.completed - self.continuity.by_assigned;
        if not_assigned > 0 && self.continuity.technicians <= 1 {
            // One face, but not the assigned one (or nobody is assigned): say so.
            reasons.push(format!(
                "{} of the last {} by someone other than their technician",
                not_assigned,
                plural(self.continuity.completed, "visit", "visits")
            ));
        }
        if self.breaks > 0 {
            reasons.push(plural(self.breaks, "continuity break", "continuity breaks"));
        }
        if self.overdue_promises > 0 {
            reasons.push(plural(
                self.overdue_promises,
                "overdue promise",
                "overdue promises",
            ));
        }
        if self.skipped > 0 {
            reasons.push(plural(self.skipped, "skipped visit", "skipped visits"));
        }
        reasons
    }
}

/// Ranks customers by risk, highest first; customers with nothing against them are left out.
/// Ties go by name so the list is stable.
pub fn rank_at_risk(inputs: Vec<RiskInputs>) -> Vec<AtRisk> {
    let mut ranked: Vec<AtRisk> = inputs
        .into_iter()
        .filter(|i| i.score() > 0)
        .map(|i| AtRisk {
            customer_id: i.customer_id,
            score: i.score(),
            reasons: i.reasons(),
            continuity: i.continuity,
            customer_name: i.customer_name,
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.customer_name.cmp(&b.customer_name))
    });
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use VisitStatus::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn a_break_is_sending_someone_new() {
        let (sam, priya, jake) = (Some(id(1)), Some(id(2)), Some(id(3)));
        let cases = [
            // assigned, current, next, break?
            (sam, sam, priya, true),    // Sam's visit to Priya
            (sam, None, priya, true),   // unassigned visit to someone not Sam
            (sam, priya, sam, false),   // back to Sam
            (sam, priya, priya, false), // Priya's visit moved to another day
            (sam, priya, jake, true),   // from one substitute to another
            (sam, sam, None, false),    // unassigning sends no one
            (None, sam, priya, false),  // no assigned technician: nothing to break
        ];
        for (assigned, current, next, expected) in cases {
            assert_eq!(
                is_break(assigned, current, next),
                expected,
                "{current:?} -> {next:?}"
            );
        }
    }

    #[test]
    fn continuity_looks_at_the_last_completed_visits() {
        let (sam, priya, chris, jake) = (id(1), id(2), id(3), id(4));
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        // Dorothy's year: eleven visits, one skipped, the oldest outside the window.
        let techs = [
            sam, sam, priya, sam, chris, sam, jake, sam, priya, sam, priya,
        ];
        let mut visits: Vec<PastVisit> = techs
            .iter()
            .enumerate()
            .map(|(i, t)| PastVisit {
                day: day(i as u32 + 1),
                technician_id: Some(*t),
                status: Done,
            })
            .collect();
        visits.push(PastVisit {
            day: day(20),
            technician_id: Some(jake),
            status: Skipped,
        });
        let c = Continuity::of(&visits, Some(sam), 10);
        assert_eq!(
            c,
            Continuity {
                completed: 10,
                by_assigned: 5,
                technicians: 4
            }
        );
        assert_eq!(c.percent(), Some(50));
        assert_eq!(
            c.label(Some("Sam Ortiz")),
            "4 technicians in the last 10 visits · 50% by Sam Ortiz"
        );
        assert_eq!(Continuity::default().label(None), "No completed visits yet");
    }

    #[test]
    fn at_risk_ranks_faces_breaks_and_promises_above_skips() {
        let inputs =
            |n: u128, name: &str, techs, by_assigned, breaks, overdue, skipped| RiskInputs {
                customer_id: id(n),
                customer_name: name.into(),
                continuity: Continuity {
                    completed: 10,
                    by_assigned,
                    technicians: techs,
                },
                breaks,
                overdue_promises: overdue,
                skipped,
            };
        let ranked = rank_at_risk(vec![
            inputs(1, "Steady Co", 1, 10, 0, 0, 0),
            inputs(2, "Dorothy's Gift Shop", 4, 5, 2, 0, 0),
            inputs(3, "Skips Inc", 1, 10, 0, 0, 2),
            inputs(4, "Waiting Ltd", 1, 10, 0, 1, 0),
            inputs(5, "Stranger Co", 1, 7, 0, 0, 0),
        ]);
        let names: Vec<&str> = ranked.iter().map(|r| r.customer_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Dorothy's Gift Shop",
                "Stranger Co",
                "Waiting Ltd",
                "Skips Inc"
            ]
        );
        assert_eq!(
            ranked[1].reasons,
            ["3 of the last 10 visits by someone other than their technician"]
        );
        assert_eq!(
            ranked[0].reasons,
            ["4 technicians in the last 10 visits", "2 continuity breaks"]
        );
    }

    #[test]
    fn same_technician_wishes_come_first() {
        use chrono::{TimeZone, Utc};
        let p = |text: &str, pinned: bool, retired: bool| Priority {
            id: Uuid::now_v7(),
            customer_id: id(1),
            text: text.into(),
            pinned,
            heard_by_id: id(9),
            heard_by_name: "Olivia".into(),
            heard_role: crate::Role::Office,
            heard_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            retired_at: retired.then(Utc::now),
            version: 1,
        };
        let list = priorities_for_break(&[
            p("Park behind the store", false, false),
            p("Call before coming", true, false),
            p("Same technician every time", false, false),
            p("Old wish", false, true),
        ]);
        let texts: Vec<&str> = list.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Same technician every time",
                "Call before coming",
                "Park behind the store"
            ]
        );
    }
}
