//! Errors the sandbox answers with: always JSON `{status, error, message, errors?}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::api::model::ItemError;

use super::store::StoreError;

/// A request the sandbox could not serve, and why.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// 400: malformed JSON or query.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no or wrong key.
    #[error("missing or invalid API key: send it in the Authorization header")]
    Unauthorized,
    /// 404: unknown id or path.
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists but not with this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 409: the item's state forbids the change.
    #[error("{0}")]
    Conflict(String),
    /// 413: body too large.
    #[error("{0}")]
    TooLarge(String),
    /// 422: nothing in the request was valid.
    #[error("{message}")]
    Invalid {
        /// Summary.
        message: String,
        /// Per-item problems.
        errors: Vec<ItemError>,
    },
    /// 501: not available in the sandbox.
    #[error("{0}")]
    NotImplemented(String),
    /// 500: storage failed.
    #[error("internal error: {0}")]
    Store(#[from] StoreError),
    /// 500: something else failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Failure {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::Unauthorized => StatusCode::UNAUTHORIZED,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Failure::Conflict(_) => StatusCode::CONFLICT,
            Failure::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Failure::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Failure::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            Failure::Store(_) | Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Failure::BadRequest(_) => "bad_request",
            Failure::Unauthorized => "unauthorized",
            Failure::NotFound(_) => "not_found",
            Failure::MethodNotAllowed(_) => "method_not_allowed",
            Failure::Conflict(_) => "conflict",
            Failure::TooLarge(_) => "payload_too_large",
            Failure::Invalid { .. } => "validation_failed",
            Failure::NotImplemented(_) => "not_implemented",
            Failure::Store(_) | Failure::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut body = json!({
            "status": status.as_u16(),
            "error": self.code(),
            "message": self.to_string(),
        });
        if let Failure::Invalid { errors, .. } = &self {
            body["errors"] = json!(errors);
        }
        (status, Json(body)).into_response()
    }
}

/// Result of a handler.
pub type Served<T> = Result<T, Failure>;
