//! Typed errors of the HTTP client. None of them ever holds the API key.

use std::time::Duration;

use thiserror::Error;

use super::model::ItemError;

/// What can go wrong talking to the API.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum ApiError {
    /// 401: the key is missing or wrong.
    #[error("unauthorized: the server refused the API key ({message})")]
    Unauthorized {
        /// Server's message.
        message: String,
    },
    /// 403: the key may not do this.
    #[error("forbidden: {message}")]
    Forbidden {
        /// Server's message.
        message: String,
    },
    /// 404: no such item or path.
    #[error("not found: {message}")]
    NotFound {
        /// Server's message.
        message: String,
    },
    /// 400/413/422: the request was refused as invalid; per-item problems in `errors`.
    #[error("rejected by the server: {message}")]
    Validation {
        /// HTTP status.
        status: u16,
        /// Server's message.
        message: String,
        /// Per-item problems.
        errors: Vec<ItemError>,
    },
    /// 409: the request conflicts with the item's state (e.g. deleting an assigned task).
    #[error("conflict: {message}")]
    Conflict {
        /// Server's message.
        message: String,
    },
    /// 429 after every retry.
    #[error("rate limited by the server{}", retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// What the server asked us to wait.
        retry_after: Option<Duration>,
    },
    /// 5xx after every retry.
    #[error("server error {status}: {message}")]
    Server {
        /// HTTP status.
        status: u16,
        /// Server's message.
        message: String,
    },
    /// Another unexpected status.
    #[error("unexpected HTTP {status}: {message}")]
    Http {
        /// HTTP status.
        status: u16,
        /// Server's message.
        message: String,
    },
    /// The connection failed or broke.
    #[error("network error: {0}")]
    Network(String),
    /// No answer in time.
    #[error("no answer within {}s", .0.as_secs_f32())]
    Timeout(Duration),
    /// The answer was not what the API promises.
    #[error("could not read the server's answer: {message} (body starts: {excerpt:?})")]
    Decode {
        /// What failed.
        message: String,
        /// The first bytes of the body.
        excerpt: String,
    },
    /// Refused locally: the profile is read-only.
    #[error("read-only: {0} is disabled in a read-only profile")]
    ReadOnly(String),
    /// The request was cancelled before it finished.
    #[error("cancelled")]
    Cancelled,
    /// A bad argument caught before sending.
    #[error("invalid request: {0}")]
    Invalid(String),
}

impl ApiError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. }
                | ApiError::Server { .. }
                | ApiError::Network(_)
                | ApiError::Timeout(_)
        )
    }
}
