//! Turning an HTTP answer into a value or a typed [`ApiError`].

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::api::error::ApiError;
use crate::api::model::ItemError;

/// How many characters of a body an error quotes.
const EXCERPT_CHARS: usize = 200;

/// The error body the sandbox sends (`{"status", "error", "message", "errors"}`); every
/// field optional so that any JSON error a real server sends still yields its message.
#[derive(Debug, Default, Deserialize)]
struct ErrorBody {
    message: Option<String>,
    error: Option<serde_json::Value>,
    #[serde(default)]
    errors: Vec<ItemError>,
}

/// Maps a non-2xx answer to the error a caller can act on.
pub fn error_for_status(status: u16, retry_after: Option<Duration>, body: &[u8]) -> ApiError {
    let parsed: Option<ErrorBody> = serde_json::from_slice(body).ok();
    let message = parsed
        .as_ref()
        .and_then(|b| {
            b.message.clone().or_else(|| match &b.error {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
                None => None,
            })
        })
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| fallback_message(status, body));
    let errors = parsed.map(|b| b.errors).unwrap_or_default();
    match status {
        401 => ApiError::Unauthorized { message },
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        409 => ApiError::Conflict { message },
        400 | 413 | 422 => ApiError::Validation {
            status,
            message,
            errors,
        },
        429 => ApiError::RateLimited { retry_after },
        500..=599 => ApiError::Server { status, message },
        _ => ApiError::Http { status, message },
    }
}

/// A message for a body that is not the JSON error shape: its text, else the reason phrase.
fn fallback_message(status: u16, body: &[u8]) -> String {
    let text = excerpt(body);
    if text.trim().is_empty() {
        reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("no message")
            .to_string()
    } else {
        text
    }
}

/// The first [`EXCERPT_CHARS`] characters of a body, lossily decoded.
pub fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if out.len() < body.len() {
        out.push('…');
    }
    out
}

/// Reads a JSON body as `T`, naming the field that did not fit.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if path == "." || path.is_empty() {
            inner.to_string()
        } else {
            format!("at {path}: {inner}")
        };
        ApiError::Decode {
            message,
            excerpt: excerpt(body),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_each_status_to_its_error() {
        let body = br#"{"status":404,"error":"not_found","message":"no task abc"}"#;
        assert_eq!(
            error_for_status(404, None, body),
            ApiError::NotFound {
                message: "no task abc".into()
            }
        );
        assert!(matches!(
            error_for_status(401, None, b"{}"),
            ApiError::Unauthorized { .. }
        ));
        assert!(matches!(
            error_for_status(403, None, b""),
            ApiError::Forbidden { .. }
        ));
        assert!(matches!(
            error_for_status(409, None, b"{\"message\":\"assigned\"}"),
            ApiError::Conflict { .. }
        ));
        assert!(matches!(
            error_for_status(413, None, b""),
            ApiError::Validation { status: 413, .. }
        ));
        assert_eq!(
            error_for_status(429, Some(Duration::from_secs(2)), b""),
            ApiError::RateLimited {
                retry_after: Some(Duration::from_secs(2))
            }
        );
        assert!(matches!(
            error_for_status(503, None, b"busy"),
            ApiError::Server { status: 503, .. }
        ));
        assert!(matches!(
            error_for_status(501, None, b""),
            ApiError::Server { status: 501, .. }
        ));
        assert!(matches!(
            error_for_status(418, None, b""),
            ApiError::Http { status: 418, .. }
        ));
    }

    #[test]
    fn validation_keeps_the_per_item_errors() {
        let body = br#"{"status":422,"error":"validation","message":"no item was valid",
            "errors":[{"index":1,"message":"bad date","problems":[{"field":"date","message":"x"}]}, "plain"]}"#;
        match error_for_status(422, None, body) {
            ApiError::Validation {
                status,
                message,
                errors,
            } => {
                assert_eq!(status, 422);
                assert_eq!(message, "no item was valid");
                assert_eq!(errors.len(), 2);
                assert_eq!(errors[0].index, Some(1));
                assert_eq!(errors[1].message, "plain");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn non_json_bodies_become_the_message() {
        match error_for_status(502, None, b"<html>Bad gateway</html>") {
            ApiError::Server { message, .. } => assert_eq!(message, "<html>Bad gateway</html>"),
            other => panic!("unexpected {other:?}"),
        }
        match error_for_status(500, None, b"") {
            ApiError::Server { message, .. } => assert_eq!(message, "Internal Server Error"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn decode_errors_name_the_field_and_quote_the_body() {
        let body = br#"[{"_id":"a","date":"not a date"}]"#;
        let err = decode::<Vec<crate::api::model::Task>>(body).unwrap_err();
        match err {
            ApiError::Decode { message, excerpt } => {
                assert!(message.contains("[0].date"), "{message}");
                assert!(excerpt.starts_with("[{\"_id\""));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn excerpts_are_short_and_cut_on_char_boundaries() {
        let long = "é".repeat(1000);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
