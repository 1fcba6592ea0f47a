//! A technician's visits as an iCalendar feed (RFC 5545), so they appear in the phone's own
//! calendar app. Pure: the server gathers the visits and turns local times into UTC.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// When a visit happens: a time window, or just the day when it has none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    Window(DateTime<Utc>, DateTime<Utc>),
}

/// One visit as the calendar shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    pub visit_id: Uuid,
    pub when: When,
    /// The customer's name.
    pub title: String,
    pub address: String,
    /// Priorities and access notes, one per line.
    pub details: Vec<String>,
    /// A skipped visit stays in the calendar, marked cancelled.
    pub cancelled: bool,
    /// The visit's version, so calendar apps see that it changed.
    pub sequence: i64,
}

/// The whole feed. `stamp` is when it was made (DTSTAMP).
pub fn feed(name: &str, events: &[CalendarEvent], stamp: DateTime<Utc>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Rapport//Field service visits//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}@rapport", e.visit_id));
        lines.push(format!("DTSTAMP:{}", utc(stamp)));
        match e.when {
            When::Day(day) => {
                lines.push(format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
                let next = day.succ_opt().unwrap_or(day);
                lines.push(format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")));
            }
            When::Window(start, end) => {
                lines.push(format!("DTSTART:{}", utc(start)));
                lines.push(format!("DTEND:{}", utc(end)));
            }
        }
        lines.push(format!("SEQUENCE:{}", e.sequence.max(0)));
        lines.push(format!("SUMMARY:{}", escape(&e.title)));
        if !e.address.trim().is_empty() {
            lines.push(format!("LOCATION:{}", escape(&e.address)));
        }
        if !e.details.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&e.details.join("\n"))));
        }
        if e.cancelled {
            lines.push("STATUS:CANCELLED".into());
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Text values escape backslashes, semicolons, commas and line breaks.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets continue on the next line after a space; every line ends in
/// CRLF. Never splits a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_without_splitting_characters() {
        assert_eq!(
            escape("Gate; code, 4821\\x\nback"),
            "Gate\\; code\\, 4821\\\\x\\nback"
        );
        let long = format!("DESCRIPTION:{}", "é".repeat(60));
        let folded = fold(&long);
        for line in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }

    #[test]
    fn a_feed_has_one_event_per_visit_with_day_or_window() {
        let stamp = "2026-11-22T08:00:00Z".parse().unwrap();
        let events = [
            CalendarEvent {
                visit_id: Uuid::from_u128(1),
                when: When::Window(
                    "2026-11-23T14:00:00Z".parse().unwrap(),
                    "2026-11-23T15:30:00Z".parse().unwrap(),
                ),
                title: "Dorothy's Gift Shop".into(),
                address: "12 High St, Springfield".into(),
                details: vec!["Same technician every time".into()],
                cancelled: false,
                sequence: 42,
            },
            CalendarEvent {
                visit_id: Uuid::from_u128(2),
                when: When::Day(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
                title: "Mill Lane Bakery".into(),
                address: String::new(),
                details: vec![],
                cancelled: true,
                sequence: 7,
            },
        ];
        let ics = feed("Sam's visits", &events, stamp);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        for expected in [
            "UID:00000000-0000-0000-0000-000000000001@rapport",
            "DTSTART:20261123T140000Z",
            "DTEND:20261123T153000Z",
            "SUMMARY:Dorothy's Gift Shop",
            "LOCATION:12 High St\\, Springfield",
            "DESCRIPTION:Same technician every time",
            "SEQUENCE:42",
            "DTSTART;VALUE=DATE:20261231",
            "DTEND;VALUE=DATE:20270101",
            "STATUS:CANCELLED",
            "X-WR-CALNAME:Sam's visits",
        ] {
            assert!(
                ics.contains(&format!("{expected}\r\n")),
                "{expected} in\n{ics}"
            );
        }
        assert!(!ics.contains("LOCATION:\r\n"), "no empty location");
    }
}
