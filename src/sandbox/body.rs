//! Request body extraction with JSON errors a person can act on.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::failure::Failure;

/// A JSON body; malformed JSON answers 400 with the place of the fault, too large 413.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = Failure;

    async fn from_request(req: Request, state: &S) -> Result<Self, Failure> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Failure::TooLarge(
                    "request body is too large; send fewer items per request".to_string(),
                )
            } else {
                Failure::BadRequest(format!("could not read the request body: {e}"))
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses JSON bytes, naming the path and position of any fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Failure> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Failure::BadRequest(
            "request body is empty; send a JSON object".to_string(),
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = if path == "." || path.is_empty() {
            String::new()
        } else {
            format!(" at {path}")
        };
        if inner.is_syntax() || inner.is_eof() {
            Failure::BadRequest(format!("malformed JSON: {inner}"))
        } else {
            Failure::BadRequest(format!("unexpected request body{at}: {inner}"))
        }
    })
}
