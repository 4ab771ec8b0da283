//! The HTTP client of the eLogii API: one async method per endpoint (see `endpoints.rs`),
//! the auth header, timeouts, gzip, retries (`retry.rs`) and whole-list paging (`paging.rs`).

mod cancel;
mod endpoints;
mod paging;
mod response;
mod retry;
mod secret;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::{debug, warn};

use super::error::ApiError;
use super::paths::Method;

pub use cancel::CancelToken;
pub use paging::{FetchOptions, FetchProgress, PageRequest, plan_pages};
pub use response::excerpt;
pub use retry::{Failure, Repeat, RetryPolicy, is_retryable_status, parse_retry_after};
pub use secret::ApiKey;

/// The header the server puts the number of matching items in.
pub const TOTAL_COUNT_HEADER: &str = "x-total-count";

/// Everything the client needs to reach one server.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Scheme, host and optional path prefix, e.g. `https://api-35.elogii.com`.
    pub base_url: String,
    /// The API key.
    pub api_key: ApiKey,
    /// A word put before the key in the `Authorization` header (`ApiKey`, `Bearer`); none
    /// sends the bare key, as the eLogii reference does.
    pub auth_prefix: Option<String>,
    /// Longest wait to open a connection.
    pub connect_timeout: Duration,
    /// Longest wait for a whole request, answer body included.
    pub request_timeout: Duration,
    /// Retries after the first attempt, for requests that may be repeated.
    pub max_retries: u32,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl ClientConfig {
    /// Defaults for everything but the server and the key.
    pub fn new(base_url: impl Into<String>, api_key: ApiKey) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            api_key,
            auth_prefix: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_retries: RetryPolicy::default().max_retries,
            user_agent: format!("elogii-console/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// A connection-pooling client for one server. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    key: ApiKey,
    retry: RetryPolicy,
    request_timeout: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// One request as the endpoint methods describe it.
#[derive(Debug)]
pub(crate) struct Call {
    method: Method,
    path: String,
    query: String,
    body: Option<Vec<u8>>,
    repeat: Repeat,
}

impl Call {
    /// A request without a body.
    pub(crate) fn new(method: Method, path: impl Into<String>, repeat: Repeat) -> Self {
        Call {
            method,
            path: path.into(),
            query: String::new(),
            body: None,
            repeat,
        }
    }

    /// Sets the encoded query string.
    pub(crate) fn query(mut self, q: String) -> Self {
        self.query = q;
        self
    }

    /// Sets a JSON body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, ApiError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| ApiError::Invalid(format!("cannot encode the request body: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }
}

/// A 2xx answer.
#[derive(Debug)]
pub(crate) struct Reply {
    /// `X-Total-Count`, when sent.
    pub(crate) total: Option<u64>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// Decodes the body; an empty body reads as JSON `null`.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return response::decode(b"null");
        }
        response::decode(&self.body)
    }
}

/// What one attempt ended with.
enum Attempt {
    Done(Reply),
    Refused(Failure, ApiError),
}

impl Client {
    /// Builds a client; fails when the base URL or the key cannot be used.
    pub fn new(config: ClientConfig) -> Result<Client, ApiError> {
        let base_url = config.base_url.trim().trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| ApiError::Invalid(format!("base URL {base_url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ApiError::Invalid(format!(
                "base URL {base_url:?} must start with http:// or https://"
            )));
        }
        if config.api_key.is_empty() {
            return Err(ApiError::Invalid("the API key is empty".into()));
        }
        let auth_text = match config.auth_prefix.as_deref().map(str::trim) {
            Some(p) if !p.is_empty() => format!("{p} {}", config.api_key.expose()),
            _ => config.api_key.expose().to_string(),
        };
        let mut auth = HeaderValue::from_str(&auth_text).map_err(|_| {
            ApiError::Invalid(
                "the API key contains characters that cannot be sent in an HTTP header".into(),
            )
        })?;
        // Sensitive values are left out of hyper's and reqwest's Debug output.
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, auth);
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .user_agent(config.user_agent.clone())
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .gzip(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| ApiError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                key: config.api_key,
                retry: RetryPolicy {
                    max_retries: config.max_retries,
                    ..RetryPolicy::default()
                },
                request_timeout: config.request_timeout,
            }),
        })
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Replaces the backoff settings (tests use short waits; the count stays as configured
    /// unless `policy` changes it).
    pub fn with_retry_policy(mut self, policy: RetryPolicy) -> Self {
        let inner = Inner {
            http: self.inner.http.clone(),
            base_url: self.inner.base_url.clone(),
            key: self.inner.key.clone(),
            retry: policy,
            request_timeout: self.inner.request_timeout,
        };
        self.inner = Arc::new(inner);
        self
    }

    /// Sends a call, retrying as [`RetryPolicy`] allows, and returns the 2xx answer.
    pub(crate) async fn execute(&self, call: &Call) -> Result<Reply, ApiError> {
        let mut attempt = 0u32;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(call).await;
            let (failure, error) = match outcome {
                Attempt::Done(reply) => {
                    debug!(
                        method = ?call.method,
                        path = %call.path,
                        attempt,
                        ms = started.elapsed().as_millis() as u64,
                        bytes = reply.body.len(),
                        "request done"
                    );
                    return Ok(reply);
                }
                Attempt::Refused(f, e) => (f, self.scrub(e)),
            };
            let jitter: f64 = rand::random();
            match self
                .inner
                .retry
                .next_delay(attempt, call.repeat, failure, jitter)
            {
                Some(wait) => {
                    warn!(
                        method = ?call.method,
                        path = %call.path,
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        error = %error,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                None => {
                    debug!(method = ?call.method, path = %call.path, attempt, error = %error, "request failed");
                    return Err(self.explain_unrepeated(call, failure, error));
                }
            }
        }
    }

    /// One attempt: send, read the whole body, classify.
    async fn attempt(&self, call: &Call) -> Attempt {
        let mut url = format!("{}{}", self.inner.base_url, call.path);
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&call.query);
        }
        let method = match call.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut req = self.inner.http.request(method, &url);
        if let Some(body) = &call.body {
            req = req
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return self.transport_failure(e),
        };
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = match resp.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => return self.transport_failure(e),
        };
        if (200..300).contains(&status) {
            let total = headers
                .get(TOTAL_COUNT_HEADER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok());
            return Attempt::Done(Reply { total, body });
        }
        let retry_after = headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        Attempt::Refused(
            Failure::Status(status, retry_after),
            response::error_for_status(status, retry_after, &body),
        )
    }

    /// Classifies a reqwest error: never sent, or sent and then lost.
    fn transport_failure(&self, e: reqwest::Error) -> Attempt {
        let text = error_chain(&e);
        if e.is_connect() {
            Attempt::Refused(Failure::NotSent, ApiError::Network(text))
        } else if e.is_timeout() {
            Attempt::Refused(
                Failure::Broken,
                ApiError::Timeout(self.inner.request_timeout),
            )
        } else {
            Attempt::Refused(Failure::Broken, ApiError::Network(text))
        }
    }

    /// Says so when a write was not resent because its fate is unknown.
    fn explain_unrepeated(&self, call: &Call, failure: Failure, error: ApiError) -> ApiError {
        match (call.repeat, failure, error) {
            (Repeat::Never, Failure::Broken, ApiError::Network(m)) => ApiError::Network(format!(
                "{m}; the request was sent and may have been applied, so it was not repeated — check before sending it again"
            )),
            (_, _, e) => e,
        }
    }

    /// Removes the key from any text an error carries, in case a server echoed it.
    fn scrub(&self, e: ApiError) -> ApiError {
        let k = &self.inner.key;
        match e {
            ApiError::Unauthorized { message } => ApiError::Unauthorized {
                message: k.redact(&message),
            },
            ApiError::Forbidden { message } => ApiError::Forbidden {
                message: k.redact(&message),
            },
            ApiError::NotFound { message } => ApiError::NotFound {
                message: k.redact(&message),
            },
            ApiError::Validation {
                status,
                message,
                errors,
            } => ApiError::Validation {
                status,
                message: k.redact(&message),
                errors,
            },
            ApiError::Conflict { message } => ApiError::Conflict {
                message: k.redact(&message),
            },
            ApiError::Server { status, message } => ApiError::Server {
                status,
                message: k.redact(&message),
            },
            ApiError::Http { status, message } => ApiError::Http {
                status,
                message: k.redact(&message),
            },
            ApiError::Network(m) => ApiError::Network(k.redact(&m)),
            ApiError::Decode { message, excerpt } => ApiError::Decode {
                message: k.redact(&message),
                excerpt: k.redact(&excerpt),
            },
            other => other,
        }
    }
}

/// An error and its causes on one line ("error sending request …: connection reset").
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !out.contains(&t) {
            out.push_str(": ");
            out.push_str(&t);
        }
        src = s.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(key: &str) -> ClientConfig {
        ClientConfig::new("http://127.0.0.1:9", ApiKey::new(key))
    }

    #[test]
    fn debug_output_never_holds_the_key() {
        let key = "k3y-that-must-stay-secret-42";
        let mut cfg = config(key);
        cfg.auth_prefix = Some("Bearer".into());
        let client = Client::new(cfg.clone()).expect("client");
        let text = format!("{client:?} {cfg:?} {:?}", client.inner.http);
        assert!(!text.contains(key), "{text}");
    }

    #[test]
    fn rejects_unusable_urls_and_keys() {
        let mut cfg = config("abc");
        cfg.base_url = "ftp://x".into();
        assert!(matches!(Client::new(cfg), Err(ApiError::Invalid(_))));
        assert!(matches!(Client::new(config("")), Err(ApiError::Invalid(_))));
        let err = Client::new(config("bad\u{7}key")).unwrap_err();
        assert!(!err.to_string().contains("bad\u{7}key"));
    }

    #[tokio::test]
    async fn connection_refused_is_a_network_error_without_the_key() {
        // Port 9 (discard) is closed on test machines; the connect fails at once.
        let key = "never-print-this-key-123";
        let client = Client::new(config(key))
            .expect("client")
            .with_retry_policy(RetryPolicy {
                max_retries: 1,
                base_delay: Duration::from_millis(1),
                ..RetryPolicy::default()
            });
        let err = client
            .execute(&Call::new(Method::Get, "/tasks", Repeat::Never))
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Network(_)), "{err:?}");
        assert!(!format!("{err} {err:?}").contains(key));
    }

    #[test]
    fn scrub_removes_an_echoed_key() {
        let key = "echoed-secret-key-999";
        let client = Client::new(config(key)).expect("client");
        let e = client.scrub(ApiError::Unauthorized {
            message: format!("key {key} is unknown"),
        });
        assert!(!e.to_string().contains(key));
    }
}
