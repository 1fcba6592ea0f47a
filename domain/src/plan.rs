//! Service plans: a customer's recurring agreement, and the dates it puts visits on.
//!
//! Dates are calendar days in the organisation's time zone, so a plan never drifts across a
//! daylight-saving change: "every Tuesday 08:00–10:00" stays Tuesday at 08:00 local. Turning a
//! local window into an instant is [`local_to_utc`], which also settles the hour that does not
//! exist on the spring-forward day.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How far ahead a plan's visits are generated.
pub const HORIZON_WEEKS: i64 = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "snake_case"))]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every `interval` weeks, on the preferred weekdays (or the start date's weekday).
    Weekly,
    /// Every `interval` months, on the start date's day of the month (the last day in shorter
    /// months).
    Monthly,
    /// Once in each of the chosen months, on the start date's day of the month.
    Seasonal,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Weekly, Frequency::Monthly, Frequency::Seasonal];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Seasonal => "seasonal",
        }
    }

    pub fn parse(raw: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.as_str() == raw)
    }
}

/// A recurring agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePlan {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub service_type: String,
    pub frequency: Frequency,
    /// Every how many weeks or months (1 or more).
    pub interval: u32,
    /// Weekly plans: which days (empty: the start date's weekday).
    pub weekdays: Vec<Weekday>,
    /// Seasonal plans: which months, 1–12.
    pub months: Vec<u32>,
    pub window_start: Option<NaiveTime>,
    pub window_end: Option<NaiveTime>,
    /// Who does the visits; none leaves them unassigned on the day board.
    pub technician_id: Option<Uuid>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub version: i64,
}

impl ServicePlan {
    /// The dates this plan puts a visit on between `from` and `to` (inclusive), in order.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let from = from.max(self.starts_on);
        let to = self.ends_on.map_or(to, |end| end.min(to));
        if from > to {
            return vec![];
        }
        let interval = self.interval.max(1);
        let mut dates = match self.frequency {
            Frequency::Weekly => self.weekly(from, to, interval),
            Frequency::Monthly => {
                let mut dates = vec![];
                let mut n = 0;
                while let Some(month) = add_months(self.starts_on, n * interval) {
                    let date = on_day(month, self.starts_on.day());
                    if date > to {
                        break;
                    }
                    dates.push(date);
                    n += 1;
                }
                dates
            }
            Frequency::Seasonal => {
                let mut dates = vec![];
                for year in from.year()..=to.year() {
                    for &m in &self.months {
                        if let Some(first) = NaiveDate::from_ymd_opt(year, m, 1) {
                            dates.push(on_day(first, self.starts_on.day()));
                        }
                    }
                }
                dates
            }
        };
        dates.sort();
        dates.dedup();
        dates.retain(|d| (from..=to).contains(d));
        dates
    }

    fn weekly(&self, from: NaiveDate, to: NaiveDate, interval: u32) -> Vec<NaiveDate> {
        let days = if self.weekdays.is_empty() {
            vec![self.starts_on.weekday()]
        } else {
            self.weekdays.clone()
        };
        let anchor = monday_of(self.starts_on);
        let step = Duration::weeks(i64::from(interval));
        // Start at the first active week on or before `from`.
        let weeks_before = (monday_of(from) - anchor).num_weeks() / i64::from(interval);
        let mut week = anchor + step * weeks_before.max(0) as i32;
        let mut dates = vec![];
        while week <= to {
            for d in &days {
                dates.push(week + Duration::days(i64::from(d.num_days_from_monday())));
            }
            week += step;
        }
        dates
    }

    /// "Weekly on Tue", "Every 2 weeks on Mon, Thu", "Monthly on the 31st", "In Mar, Jun".
    pub fn describe(&self) -> String {
        let every = |unit: &str, once: &str| match self.interval {
            0 | 1 => once.to_string(),
            n => format!("Every {n} {unit}s"),
        };
        match self.frequency {
            Frequency::Weekly => {
                let days: Vec<String> = if self.weekdays.is_empty() {
                    vec![self.starts_on.weekday().to_string()]
                } else {
                    self.weekdays.iter().map(|d| d.to_string()).collect()
                };
                format!("{} on {}", every("week", "Weekly"), days.join(", "))
            }
            Frequency::Monthly => {
                format!(
                    "{} on day {}",
                    every("month", "Monthly"),
                    self.starts_on.day()
                )
            }
            Frequency::Seasonal => {
                let months: Vec<String> = self
                    .months
                    .iter()
                    .filter_map(|m| NaiveDate::from_ymd_opt(2000, *m, 1))
                    .map(|d| d.format("%b").to_string())
                    .collect();
                format!("In {}", months.join(", "))
            }
        }
    }
}

fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The first of the month `n` months after `d`'s month.
fn add_months(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    let index = d.year() * 12 + d.month0() as i32 + n as i32;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
}

/// Day `day` of `month_start`'s month, or its last day when the month is shorter.
fn on_day(month_start: NaiveDate, day: u32) -> NaiveDate {
    (0..4)
        .find_map(|back| month_start.with_day(day - back))
        .unwrap_or(month_start)
}

/// Parses "mon,thu" into weekdays, refusing anything else.
pub fn parse_weekdays(raw: &str) -> Result<Vec<Weekday>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Weekday>()
                .map_err(|_| format!("{s:?} is not a day of the week."))
        })
        .collect()
}

/// "mon,thu" for storage.
pub fn format_weekdays(days: &[Weekday]) -> String {
    days.iter()
        .map(|d| d.to_string().to_lowercase())
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses "3,6,9,12" into months.
pub fn parse_months(raw: &str) -> Result<Vec<u32>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => Ok(m),
            _ => Err(format!("{s:?} is not a month number (1–12).")),
        })
        .collect()
}

/// A local date and time as an instant. On the spring-forward day a time that does not exist
/// (02:30) becomes the first moment after the gap; in the repeated autumn hour, the earlier one.
pub fn local_to_utc<Tz: TimeZone>(tz: &Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        // Minute by minute to the end of the gap (half-hour gaps exist, e.g. Lord Howe).
        LocalResult::None => (1..=240)
            .find_map(|m| {
                tz.from_local_datetime(&(local + Duration::minutes(m)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Weekday::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn plan(frequency: Frequency, interval: u32, starts_on: NaiveDate) -> ServicePlan {
        ServicePlan {
            id: Uuid::nil(),
            customer_id: Uuid::nil(),
            service_type: "Pest control".into(),
            frequency,
            interval,
            weekdays: vec![],
            months: vec![],
            window_start: NaiveTime::from_hms_opt(8, 0, 0),
            window_end: NaiveTime::from_hms_opt(10, 0, 0),
            technician_id: None,
            starts_on,
            ends_on: None,
            version: 0,
        }
    }

    #[test]
    fn weekly_plans_keep_their_weekday_and_interval() {
        // 2026-03-03 is a Tuesday.
        let mut p = plan(Frequency::Weekly, 2, d(2026, 3, 3));
        assert_eq!(
            p.occurrences(d(2026, 3, 1), d(2026, 4, 5)),
            [d(2026, 3, 3), d(2026, 3, 17), d(2026, 3, 31)]
        );
        // Asked from the middle of the plan, the rhythm is the same.
        assert_eq!(
            p.occurrences(d(2026, 3, 18), d(2026, 4, 20)),
            [d(2026, 3, 31), d(2026, 4, 14)]
        );
        p.interval = 1;
        p.weekdays = vec![Mon, Thu];
        p.ends_on = Some(d(2026, 3, 12));
        assert_eq!(
            p.occurrences(d(2026, 3, 1), d(2026, 3, 31)),
            [d(2026, 3, 5), d(2026, 3, 9), d(2026, 3, 12)]
        );
    }

    #[test]
    fn monthly_plans_fall_back_to_the_last_day_of_short_months() {
        let p = plan(Frequency::Monthly, 1, d(2027, 1, 31));
        assert_eq!(
            p.occurrences(d(2027, 1, 1), d(2027, 5, 31)),
            [
                d(2027, 1, 31),
                d(2027, 2, 28),
                d(2027, 3, 31),
                d(2027, 4, 30),
                d(2027, 5, 31)
            ]
        );
        let leap = plan(Frequency::Monthly, 12, d(2027, 2, 28));
        assert_eq!(
            leap.occurrences(d(2027, 1, 1), d(2028, 12, 31)),
            [d(2027, 2, 28), d(2028, 2, 28)]
        );
        let quarterly = plan(Frequency::Monthly, 3, d(2026, 11, 30));
        assert_eq!(
            quarterly.occurrences(d(2026, 12, 1), d(2027, 9, 1)),
            [d(2027, 2, 28), d(2027, 5, 30), d(2027, 8, 30)]
        );
    }

    #[test]
    fn seasonal_plans_visit_in_the_chosen_months() {
        let mut p = plan(Frequency::Seasonal, 1, d(2026, 4, 15));
        p.months = vec![10, 4];
        assert_eq!(
            p.occurrences(d(2026, 1, 1), d(2027, 12, 31)),
            [
                d(2026, 4, 15),
                d(2026, 10, 15),
                d(2027, 4, 15),
                d(2027, 10, 15)
            ]
        );
    }

    #[test]
    fn describes_itself_in_words() {
        let mut p = plan(Frequency::Weekly, 1, d(2026, 3, 3));
        assert_eq!(p.describe(), "Weekly on Tue");
        p.interval = 2;
        p.weekdays = vec![Mon, Thu];
        assert_eq!(p.describe(), "Every 2 weeks on Mon, Thu");
        assert_eq!(
            plan(Frequency::Monthly, 1, d(2026, 1, 31)).describe(),
            "Monthly on day 31"
        );
        assert_eq!(parse_weekdays("mon, Thu").unwrap(), [Mon, Thu]);
        assert!(parse_weekdays("someday").is_err());
        assert_eq!(parse_months("3,12").unwrap(), [3, 12]);
        assert!(parse_months("13").is_err());
        assert_eq!(format_weekdays(&[Mon, Thu]), "mon,thu");
    }

    /// A fixed-offset zone can't show DST, so this test builds one with a gap by hand: the
    /// store's tests check the real zones (America/New_York) through chrono-tz.
    #[test]
    fn local_times_become_instants() {
        let utc = Utc;
        let t = local_to_utc(
            &utc,
            d(2026, 3, 8),
            NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        );
        assert_eq!(t.to_rfc3339(), "2026-03-08T08:00:00+00:00");
    }
}
