//! How large a request may be, and how a too-large one is refused so the sender hears why.
//!
//! Answering 413 while the client is still sending leaves unread bytes on the connection; the
//! server then closes it and the client's kernel may throw the answer away (a TCP reset), so a
//! phone or script sees "broken pipe" instead of "too large". A request whose declared length
//! is over the limit is therefore read to the end and discarded (never kept) before the answer,
//! up to [`DRAIN_AT_MOST`] bytes and [`DRAIN_FOR`]; past those the connection is let go.
//! Bodies without a declared length are cut off by the limit layers in `startup`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use std::time::Duration;

/// Requests larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// A customer file is the one thing larger than an ordinary request: about 60 000 customers of
/// ordinary length.
pub const IMPORT_MAX_BYTES: usize = 16 * 1024 * 1024;
pub const IMPORT_PATHS: &str = "/api/v1/import/";

/// The most of a too-large body that is read (and dropped) so that its sender gets the 413.
const DRAIN_AT_MOST: u64 = 64 * 1024 * 1024;
/// How long a slow sender is waited for before the connection is let go.
const DRAIN_FOR: Duration = Duration::from_secs(20);

/// The limit that applies to a path.
pub fn limit_for(path: &str) -> usize {
    if path.starts_with(IMPORT_PATHS) {
        IMPORT_MAX_BYTES
    } else {
        MAX_BODY_BYTES
    }
}

/// What a person is told when what they sent to `path` is too large.
pub fn too_large_message(path: &str) -> String {
    let mb = limit_for(path) / (1024 * 1024);
    if path.starts_with(IMPORT_PATHS) {
        format!("The file is larger than {mb} MB; split it into several files.")
    } else {
        format!("The request is larger than {mb} MB, the most Rapport accepts. Send less at once.")
    }
}

/// Refuses a request whose declared length is over its path's limit, after reading it out.
pub async fn refuse_declared_too_large(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit_for(&path) as u64 => {
            if length <= DRAIN_AT_MOST {
                // Whether it ends, errs or times out, the answer is the same.
                let _ = tokio::time::timeout(DRAIN_FOR, discard(req.into_body())).await;
            }
            too_large(&path)
        }
        _ => next.run(req).await,
    }
}

/// Reads a body to its end, keeping nothing.
async fn discard(mut body: Body) {
    while let Some(Ok(_)) = body.frame().await {}
}

/// The 413 with a message, for this middleware and for the limit layers' own refusals.
pub fn too_large(path: &str) -> Response {
    let body = axum::Json(serde_json::json!({ "error": too_large_message(path) }));
    (StatusCode::PAYLOAD_TOO_LARGE, body).into_response()
}
