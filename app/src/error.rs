//! The error every server function returns, in words a person can act on.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyAttempts(String),
    /// The cause is in the server's log; the person gets no internals.
    #[error("Something went wrong on the server. It has been logged; please try again.")]
    Internal,
    #[error("Could not reach the server ({0}). Check the connection and try again.")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::Deserialization(m) => {
                let e = AppError::Invalid(format!("The form could not be read: {m}"));
                // On the server this is a malformed request: a 422, not the default 500.
                #[cfg(feature = "ssr")]
                crate::state::set_status(e.status());
                e
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

impl AppError {
    pub fn forbidden() -> AppError {
        AppError::Forbidden("You do not have access to that.".into())
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<service::ServiceError> for AppError {
    /// The one place a rule's refusal becomes a server function's error: the answer gets the
    /// refusal's status here, inside the request.
    fn from(e: service::ServiceError) -> Self {
        use service::ServiceError as S;
        let e = match e {
            S::Unauthorized => AppError::Unauthorized,
            S::Forbidden(m) => AppError::Forbidden(m),
            S::NotFound(m) => AppError::NotFound(m),
            S::Invalid(m) => AppError::Invalid(m),
            S::Conflict(m) => AppError::Conflict(m),
            S::TooManyAttempts(m) => AppError::TooManyAttempts(m),
            S::Internal => AppError::Internal,
        };
        crate::state::set_status(e.status());
        e
    }
}

#[cfg(feature = "ssr")]
impl From<store::StoreError> for AppError {
    fn from(e: store::StoreError) -> Self {
        service::ServiceError::from(e).into()
    }
}
