//! The day board: every technician's day side by side, where the dispatcher orders and moves
//! visits — and where the continuity guard stops a visit going to a stranger unannounced.

mod page;

pub use page::BoardPage;

use crate::error::AppError;
pub use domain::board::{Board, BoardStop, Lane, MoveCheck};
use leptos::prelude::*;

#[server(endpoint = "board/day")]
pub async fn board_day(date: String) -> Result<Board, AppError> {
    ssr::board(&date).await
}

#[server(endpoint = "board/check")]
pub async fn check_move(
    visit_id: String,
    technician: String,
    date: String,
) -> Result<MoveCheck, AppError> {
    ssr::check(&visit_id, &technician, &date).await
}

/// Moves a visit. If it breaks continuity, `reason` is required and a promise to tell the
/// customer who is coming is created for the dispatcher.
#[server(endpoint = "board/move")]
pub async fn move_visit(
    visit_id: String,
    technician: String,
    date: String,
    #[server(default)] position: Option<String>,
    #[server(default)] reason: Option<String>,
    #[server(default)] reason_text: Option<String>,
) -> Result<(), AppError> {
    ssr::move_to(ssr::MoveForm {
        visit_id,
        technician,
        date,
        position,
        reason,
        reason_text,
    })
    .await
}

/// Adapters over `service::board`, where the continuity guard is.
#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::state::*;
    use domain::continuity::BreakReason;
    use service::board::{self, MoveRequest};

    pub async fn board(raw_date: &str) -> Result<Board, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let date = match raw_date.trim() {
            "" => None,
            raw => Some(parse_date(raw, "day")?),
        };
        Ok(board::day(&state, &user, date).await?)
    }

    pub async fn check(
        raw_visit: &str,
        raw_technician: &str,
        raw_date: &str,
    ) -> Result<MoveCheck, AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let visit_id = parse_id(raw_visit, "visit")?;
        let technician = optional_id(raw_technician, "technician")?;
        let date = parse_date(raw_date, "day")?;
        Ok(board::check_move(&state, &user, visit_id, technician, date).await?)
    }

    /// A form's technician: empty means nobody.
    fn optional_id(raw: &str, what: &str) -> Result<Option<uuid::Uuid>, AppError> {
        match raw.trim() {
            "" => Ok(None),
            raw => Ok(Some(parse_id(raw, what)?)),
        }
    }

    pub struct MoveForm {
        pub visit_id: String,
        pub technician: String,
        pub date: String,
        pub position: Option<String>,
        pub reason: Option<String>,
        pub reason_text: Option<String>,
    }

    pub async fn move_to(form: MoveForm) -> Result<(), AppError> {
        let (state, user) = (app_state()?, require_user()?);
        let position = match form.position.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(raw.parse::<usize>().map_err(|_| {
                ServiceError::invalid(format!("{raw:?} is not a place in the day."))
            })?),
        };
        let request = MoveRequest {
            visit_id: parse_id(&form.visit_id, "visit")?,
            technician: optional_id(&form.technician, "technician")?,
            date: parse_date(&form.date, "day")?,
            position,
            reason: form.reason.as_deref().and_then(BreakReason::parse),
            reason_text: form.reason_text.unwrap_or_default(),
        };
        Ok(board::move_visit(&state, &user, request).await?)
    }
}
