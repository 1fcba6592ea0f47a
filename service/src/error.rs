//! The service layer's one error: each variant *is* its HTTP status, so an adapter turns it
//! into an answer in one place and no call site has a status to remember.

use store::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// Nobody is signed in (401).
    #[error("Please log in to continue.")]
    Unauthorized,
    /// Signed in, but not allowed (403).
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// What was sent breaks a rule; the message says what to fix (422).
    #[error("{0}")]
    Invalid(String),
    /// Something changed meanwhile, or it already exists (409).
    #[error("{0}")]
    Conflict(String),
    /// 429.
    #[error("{0}")]
    TooManyAttempts(String),
    /// The cause is in the server's log; the person gets no internals (500).
    #[error("Something went wrong on the server. It has been logged; please try again.")]
    Internal,
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn forbidden() -> ServiceError {
        ServiceError::Forbidden("You do not have access to that.".into())
    }

    pub fn invalid(message: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(message.into())
    }

    pub fn not_found(message: impl Into<String>) -> ServiceError {
        ServiceError::NotFound(message.into())
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            ServiceError::Unauthorized => 401,
            ServiceError::Forbidden(_) => 403,
            ServiceError::NotFound(_) => 404,
            ServiceError::Invalid(_) => 422,
            ServiceError::Conflict(_) => 409,
            ServiceError::TooManyAttempts(_) => 429,
            ServiceError::Internal => 500,
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => {
                ServiceError::NotFound(format!("That {what} does not exist."))
            }
            StoreError::Conflict(m) => ServiceError::Conflict(m),
            StoreError::Refused(m) => ServiceError::Forbidden(m),
            other => {
                tracing::error!(error = %other, "store error");
                ServiceError::Internal
            }
        }
    }
}
