//! Values typed into forms and URLs, with messages a person can act on.

use crate::error::{ServiceError, ServiceResult};
use chrono::{NaiveDate, NaiveTime};
use uuid::Uuid;

/// An id from a URL or form.
pub fn parse_id(raw: &str, what: &str) -> ServiceResult<Uuid> {
    raw.trim()
        .parse()
        .map_err(|_| ServiceError::invalid(format!("{raw:?} is not a valid {what} id.")))
}

/// An optional id from a form: empty means none (no technician, a new record).
pub fn parse_optional_id(raw: &str, what: &str) -> ServiceResult<Option<Uuid>> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_id(raw, what).map(Some)
    }
}

/// A date from a form or URL ("2026-03-10").
pub fn parse_date(raw: &str, what: &str) -> ServiceResult<NaiveDate> {
    let date: NaiveDate = raw.trim().parse().map_err(|_| {
        ServiceError::invalid(format!(
            "{raw:?} is not a date; give the {what} as YYYY-MM-DD."
        ))
    })?;
    if !domain::plausible_date(date) {
        return Err(ServiceError::invalid(format!(
            "{date} is out of range; give a {what} between the years 2000 and 2200."
        )));
    }
    Ok(date)
}

/// An optional time of day from a form ("17:00"); empty means none.
pub fn parse_time(raw: &str, what: &str) -> ServiceResult<Option<NaiveTime>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
        .map(Some)
        .map_err(|_| {
            ServiceError::invalid(format!("{raw:?} is not a time; give the {what} as HH:MM."))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_read_or_refused_with_what_to_type() {
        assert!(parse_id(" 0190e7a4-0000-7000-8000-000000000001 ", "visit").is_ok());
        assert_eq!(parse_optional_id("  ", "technician").unwrap(), None);
        assert!(parse_optional_id("x", "technician").is_err());
        assert_eq!(
            parse_id("x", "visit").unwrap_err().to_string(),
            "\"x\" is not a valid visit id."
        );
        assert_eq!(
            parse_date("2026-03-10", "date").unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()
        );
        assert!(parse_date("1999-12-31", "date")
            .unwrap_err()
            .to_string()
            .contains("2000"));
        assert!(parse_date("March", "due date")
            .unwrap_err()
            .to_string()
            .contains("YYYY-MM-DD"));
        assert_eq!(parse_time(" ", "time").unwrap(), None);
        assert_eq!(
            parse_time("17:00", "time").unwrap(),
            NaiveTime::from_hms_opt(17, 0, 0)
        );
        assert!(parse_time("5pm", "time")
            .unwrap_err()
            .to_string()
            .contains("HH:MM"));
    }
}
