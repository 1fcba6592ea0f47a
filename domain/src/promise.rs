//! Promises: every commitment made to a customer, with an owner and a date (PRODUCT.md's
//! promise ledger), and the pure rules over them — when one is overdue, whether it was kept on
//! time, when a callback is due.
//!
//! Times here are the organisation's local wall-clock times (`NaiveDateTime`): callers convert
//! from UTC with the organisation's time zone, so these rules stay free of time-zone data.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest promise text.
pub const MAX_PROMISE_TEXT: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum PromiseStatus {
    Open,
    Kept,
    Dropped,
}

impl PromiseStatus {
    pub fn label(self) -> &'static str {
        match self {
            PromiseStatus::Open => "Open",
            PromiseStatus::Kept => "Kept",
            PromiseStatus::Dropped => "Dropped",
        }
    }
}

/// Where a promise was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum PromiseOrigin {
    /// Made by a technician at a visit.
    #[default]
    Visit,
    /// A customer called and was promised a call back.
    Call,
    /// Created by the continuity guard: tell the customer who is coming instead.
    ContinuityBreak,
    /// Made by the office on the customer's page.
    Office,
}

impl PromiseOrigin {
    pub fn label(self) -> &'static str {
        match self {
            PromiseOrigin::Visit => "at a visit",
            PromiseOrigin::Call => "on a call",
            PromiseOrigin::ContinuityBreak => "continuity break",
            PromiseOrigin::Office => "by the office",
        }
    }
}

/// A commitment with an owner and a due date (and a time, for callbacks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Promise {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub owner_id: Uuid,
    pub text: String,
    pub due_on: NaiveDate,
    pub status: PromiseStatus,
    pub visit_id: Option<Uuid>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// Local time of day it is due by; none means by the end of `due_on`.
    #[serde(default)]
    pub due_time: Option<NaiveTime>,
    #[serde(default)]
    pub origin: PromiseOrigin,
    #[serde(default)]
    pub drop_reason: Option<String>,
}

impl Promise {
    /// The last local moment that still counts as on time.
    pub fn deadline(&self) -> NaiveDateTime {
        match self.due_time {
            Some(t) => self.due_on.and_time(t),
            None => self.due_on.and_time(end_of_day()),
        }
    }

    /// Open and past its deadline.
    pub fn is_overdue(&self, now_local: NaiveDateTime) -> bool {
        self.status == PromiseStatus::Open && now_local > self.deadline()
    }

    /// "due Tue 3 Mar", "due Tue 3 Mar by 17:00".
    pub fn due_label(&self) -> String {
        let day = self.due_on.format("%a %-d %b");
        match self.due_time {
            Some(t) => format!("due {day} by {}", t.format("%H:%M")),
            None => format!("due {day}"),
        }
    }
}

fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).expect("valid time")
}

/// Kept by the due date, out of all that came due: how reliable an owner (or the office
/// toward a customer) is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnTimeRate {
    pub kept_on_time: u32,
    pub came_due: u32,
}

impl OnTimeRate {
    /// Whole percent, or none when nothing has come due yet.
    pub fn percent(&self) -> Option<u32> {
        (self.came_due > 0).then(|| (self.kept_on_time * 100 + self.came_due / 2) / self.came_due)
    }

    pub fn label(&self) -> String {
        match self.percent() {
            Some(p) => format!(
                "{p}% kept on time ({} of {})",
                self.kept_on_time, self.came_due
            ),
            None => "nothing due yet".into(),
        }
    }
}

/// Counts the promises that came due by `now_local` and those of them kept by their deadline.
/// A dropped promise that came due counts as not kept; one still open and not yet due does not
/// count at all. `to_local` turns a UTC instant into the organisation's local time.
pub fn on_time_rate<'a>(
    promises: impl IntoIterator<Item = &'a Promise>,
    now_local: NaiveDateTime,
    to_local: impl Fn(DateTime<Utc>) -> NaiveDateTime,
) -> OnTimeRate {
    let mut rate = OnTimeRate::default();
    for p in promises {
        let closed = p.closed_at.map(&to_local);
        let kept_on_time =
            p.status == PromiseStatus::Kept && closed.is_some_and(|c| c <= p.deadline());
        let came_due = now_local > p.deadline() || kept_on_time;
        if p.status == PromiseStatus::Dropped && closed.is_some_and(|c| c <= p.deadline()) {
            // Dropped before it was due, with a reason: withdrawn, not broken.
            continue;
        }
        if came_due {
            rate.came_due += 1;
            rate.kept_on_time += u32::from(kept_on_time);
        }
    }
    rate
}

/// When a callback asked for at `now_local` is due: the same business day by `cutoff`, or, if
/// the call came after the cutoff or on a weekend, the next business day by the cutoff.
pub fn callback_due(now_local: NaiveDateTime, cutoff: NaiveTime) -> (NaiveDate, NaiveTime) {
    let mut day = now_local.date();
    if now_local.time() >= cutoff || is_weekend(day) {
        day += Duration::days(1);
        while is_weekend(day) {
            day += Duration::days(1);
        }
    }
    (day, cutoff)
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Checks a promise's text: said in words, not too long.
pub fn validate_text(text: &str) -> Result<String, String> {
    let text = text.trim();
    crate::text::check_text("The promise", text)?;
    let len = text.chars().count();
    if len == 0 {
        Err("Say what was promised.".into())
    } else if len > MAX_PROMISE_TEXT {
        Err(format!(
            "The promise is {len} characters long; the limit is {MAX_PROMISE_TEXT}."
        ))
    } else {
        Ok(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    fn promise(due: u32, time: Option<(u32, u32)>, status: PromiseStatus) -> Promise {
        Promise {
            id: Uuid::nil(),
            customer_id: Uuid::nil(),
            owner_id: Uuid::nil(),
            text: "Bring the lid".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, due).unwrap(),
            status,
            visit_id: None,
            closed_at: None,
            version: 1,
            due_time: time.map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap()),
            origin: PromiseOrigin::Office,
            drop_reason: None,
        }
    }

    #[test]
    fn overdue_means_open_and_past_the_deadline() {
        use PromiseStatus::*;
        let cases = [
            // due day, due time, status, now, overdue?
            (10, None, Open, at(10, 23, 0), false), // still the due day
            (10, None, Open, at(11, 0, 1), true),
            (10, Some((17, 0)), Open, at(10, 16, 59), false),
            (10, Some((17, 0)), Open, at(10, 17, 1), true),
            (10, None, Kept, at(20, 9, 0), false),
            (10, None, Dropped, at(20, 9, 0), false),
        ];
        for (due, time, status, now, expected) in cases {
            let p = promise(due, time, status);
            assert_eq!(
                p.is_overdue(now),
                expected,
                "{due} {time:?} {status:?} {now}"
            );
        }
    }

    #[test]
    fn kept_on_time_counts_only_what_came_due() {
        use PromiseStatus::*;
        let closed = |mut p: Promise, day: u32, h: u32| {
            p.closed_at = Some(at(day, h, 0).and_utc());
            p
        };
        let promises = [
            closed(promise(5, None, Kept), 5, 20), // kept on the day: on time
            closed(promise(5, None, Kept), 6, 8),  // kept a day late
            closed(promise(5, Some((12, 0)), Kept), 5, 13), // callback an hour late
            promise(6, None, Open),                // overdue: came due, not kept
            promise(20, None, Open),               // not due yet: not counted
            closed(promise(20, None, Kept), 7, 9), // kept early: on time
            closed(promise(20, None, Dropped), 7, 9), // withdrawn before due
            closed(promise(4, None, Dropped), 6, 9), // dropped after due: broken
        ];
        let rate = on_time_rate(&promises, at(10, 9, 0), |t| t.naive_utc());
        assert_eq!(
            rate,
            OnTimeRate {
                kept_on_time: 2,
                came_due: 6
            }
        );
        assert_eq!(rate.percent(), Some(33));
        assert_eq!(OnTimeRate::default().label(), "nothing due yet");
    }

    #[test]
    fn a_callback_is_due_the_same_business_day_by_the_cutoff() {
        let cutoff = NaiveTime::from_hms_opt(17, 0, 0).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        // 2026-03-06 is a Friday.
        let cases = [
            (at(4, 9, 30), day(4)), // Wednesday morning: today
            (at(4, 17, 0), day(5)), // at the cutoff: tomorrow
            (at(6, 18, 0), day(9)), // Friday evening: Monday
            (at(7, 10, 0), day(9)), // Saturday: Monday
            (at(8, 23, 0), day(9)), // Sunday night: Monday
        ];
        for (now, expected) in cases {
            assert_eq!(callback_due(now, cutoff), (expected, cutoff), "{now}");
        }
    }
}
