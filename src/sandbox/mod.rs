//! The eLogii-compatible sandbox server: axum over a SQLite document store.

pub mod body;
pub mod demo;
pub mod documents;
pub mod failure;
pub mod faults;
pub mod filter;
pub mod handlers;
pub mod ids;
pub mod optimize;
pub mod routing;
pub mod seed;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Method, Uri, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use thiserror::Error;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::decompression::RequestDecompressionLayer;

use failure::Failure;
use faults::FaultPlan;
use handlers::AppState;
use optimize::jobs::JobRegistry;
use optimize::matrix::MatrixSource;
use optimize::vrp::VrpOptimizer;
use routing::TravelModel;
use store::{Store, StoreError};

/// How to run a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// SQLite file (created if missing).
    pub db_path: PathBuf,
    /// The key clients must send.
    pub api_key: String,
    /// Faults to inject.
    pub faults: FaultPlan,
    /// Travel model for ETAs.
    pub travel: TravelModel,
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
    /// Seed the demo data set when the database has none yet.
    pub demo: Option<demo::DemoOptions>,
    /// OSRM base URL for the optimizer's travel times (`--osrm URL`); `None` uses `travel`.
    pub osrm_url: Option<String>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            db_path: PathBuf::from("sandbox.db"),
            api_key: String::new(),
            faults: FaultPlan::none(),
            travel: TravelModel::default(),
            max_body_bytes: 64 * 1024 * 1024,
            demo: None,
            osrm_url: None,
        }
    }
}

/// Why a sandbox could not start.
#[derive(Debug, Error)]
pub enum SandboxError {
    /// The database could not be opened.
    #[error("cannot open the sandbox database {path}: {source}")]
    Store {
        /// File.
        path: PathBuf,
        /// Cause.
        source: StoreError,
    },
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// Address.
        addr: SocketAddr,
        /// Cause.
        source: std::io::Error,
    },
    /// An empty API key was given.
    #[error("the sandbox needs a non-empty API key")]
    NoKey,
}

/// A running sandbox server.
pub struct Sandbox {
    /// The bound address.
    pub addr: SocketAddr,
    /// The store, for seeding and inspection.
    pub store: Arc<Store>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

fn key_matches(header: &str, key: &str) -> bool {
    let given = header
        .strip_prefix("ApiKey ")
        .or_else(|| header.strip_prefix("Bearer "))
        .unwrap_or(header)
        .trim();
    // Compare every byte so the time taken does not reveal how much of the key matched.
    given.len() == key.len()
        && given
            .bytes()
            .zip(key.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

async fn require_key(
    State(key): State<Arc<str>>,
    req: Request,
    next: Next,
) -> Result<Response, Failure> {
    let ok = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|h| key_matches(h, &key));
    if !ok {
        return Err(Failure::Unauthorized);
    }
    Ok(next.run(req).await)
}

async fn no_route(method: Method, uri: Uri) -> Failure {
    Failure::NotFound(format!(
        "no endpoint {method} {}; see docs/API.md for the endpoint table",
        uri.path()
    ))
}

async fn wrong_method(method: Method, uri: Uri) -> Failure {
    Failure::MethodNotAllowed(format!(
        "{} does not take {method}; see docs/API.md for the endpoint table",
        uri.path()
    ))
}

/// The whole HTTP application over a store.
pub fn app(store: Arc<Store>, opts: &SandboxOptions) -> Router {
    let matrix = match &opts.osrm_url {
        Some(url) => MatrixSource::Osrm(url.clone()),
        None => MatrixSource::Haversine(opts.travel),
    };
    let state = AppState {
        store,
        travel: opts.travel,
        jobs: Arc::new(JobRegistry::new(Arc::new(VrpOptimizer), matrix)),
    };
    let key: Arc<str> = Arc::from(opts.api_key.as_str());
    handlers::router(state)
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(opts.max_body_bytes))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn_with_state(key, require_key))
        .layer(middleware::from_fn_with_state(
            opts.faults.clone(),
            faults::inject,
        ))
}

impl Sandbox {
    /// Opens the store and serves on `listen` (use port 0 for any free port).
    pub async fn start(listen: SocketAddr, opts: SandboxOptions) -> Result<Sandbox, SandboxError> {
        if opts.api_key.trim().is_empty() {
            return Err(SandboxError::NoKey);
        }
        let (path, demo) = (opts.db_path.clone(), opts.demo.clone());
        let store = tokio::task::spawn_blocking(move || {
            let store = Store::open(&path)?;
            if let Some(d) = demo {
                match seed::seed_demo(&store, &d)? {
                    seed::Seeded::Now(n) => tracing::info!(documents = n, "seeded demo data"),
                    seed::Seeded::Already(day) => tracing::info!(%day, "demo data already seeded"),
                }
            }
            Ok::<_, StoreError>(store)
        })
        .await
        .map_err(|e| SandboxError::Store {
            path: opts.db_path.clone(),
            source: StoreError::Worker(e.to_string()),
        })?
        .map_err(|source| SandboxError::Store {
            path: opts.db_path.clone(),
            source,
        })?;
        Self::serve(listen, Arc::new(store), &opts).await
    }

    /// Serves an already open store.
    pub async fn serve(
        listen: SocketAddr,
        store: Arc<Store>,
        opts: &SandboxOptions,
    ) -> Result<Sandbox, SandboxError> {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|source| SandboxError::Bind {
                addr: listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: listen,
            source,
        })?;
        let router = app(store.clone(), opts);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "sandbox server stopped");
            }
        });
        tracing::info!(%addr, "sandbox listening");
        Ok(Sandbox {
            addr,
            store,
            shutdown: Some(tx),
            task,
        })
    }

    /// `http://ADDR`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests and waits for in-flight ones.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Waits until the server stops (it runs until shut down).
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::key_matches;

    #[test]
    fn accepts_the_documented_header_forms() {
        assert!(key_matches("k3y", "k3y"));
        assert!(key_matches("ApiKey k3y", "k3y"));
        assert!(key_matches("Bearer k3y", "k3y"));
        assert!(!key_matches("k3", "k3y"));
        assert!(!key_matches("", "k3y"));
    }
}
