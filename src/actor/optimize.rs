//! Optimization jobs: start one, then poll it every [`POLL_EVERY`] until it ends, sending
//! progress straight to the UI so nothing waits on the solver.

use std::time::Duration;

use serde_json::Value;
use tokio::sync::mpsc::UnboundedSender;

use crate::api::client::Client;
use crate::api::error::ApiError;

use super::protocol::{Event, OptimizeRun, OptimizeScope, RequestId};

/// How often a running job is asked for its state.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

/// How a watched job ended.
pub enum JobEnd {
    /// Finished with a plan.
    Done {
        /// Job id.
        job: String,
        /// The `result` JSON.
        result: Value,
    },
    /// Cancelled (here or by another client of the API).
    Cancelled {
        /// Job id.
        job: String,
    },
    /// Failed, or could not be started or read.
    Failed {
        /// Job id when known.
        job: Option<String>,
        /// Why.
        message: String,
    },
}

/// Starts `run`, reports `OptimizationStarted` and `OptimizationProgress` on `events`, and
/// returns how the job ended.
pub async fn watch(
    client: &Client,
    req: RequestId,
    run: &OptimizeRun,
    events: &UnboundedSender<Event>,
) -> JobEnd {
    let body = run.body();
    let started = match &run.scope {
        OptimizeScope::Dates(_) => client.optimize_dates(&body).await,
        OptimizeScope::Routes(_) => client.optimize_routes(&body).await,
    };
    let job = match started.and_then(|v| job_id(&v)) {
        Ok(job) => job,
        Err(e) => {
            return JobEnd::Failed {
                job: None,
                message: e.to_string(),
            };
        }
    };
    // A closed channel means the UI is gone; the actor stops by itself then.
    let _ = events.send(Event::OptimizationStarted {
        req,
        job: job.clone(),
    });
    loop {
        tokio::time::sleep(POLL_EVERY).await;
        let state = match client.optimization_job(&job).await {
            Ok(v) => v,
            Err(e) => {
                return JobEnd::Failed {
                    job: Some(job),
                    message: e.to_string(),
                };
            }
        };
        match state.get("status").and_then(Value::as_str).unwrap_or("") {
            "running" => {
                let progress = state.get("progress").and_then(Value::as_f64).unwrap_or(0.0);
                let _ = events.send(Event::OptimizationProgress {
                    req,
                    job: job.clone(),
                    progress,
                });
            }
            "done" => {
                let result = state.get("result").cloned().unwrap_or(Value::Null);
                return JobEnd::Done { job, result };
            }
            "cancelled" => return JobEnd::Cancelled { job },
            other => {
                let why = state
                    .get("error")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("the job ended with status {other:?}"));
                return JobEnd::Failed {
                    job: Some(job),
                    message: why,
                };
            }
        }
    }
}

fn job_id(answer: &Value) -> Result<String, ApiError> {
    answer
        .get("jobId")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| ApiError::Invalid("the optimization start answer has no jobId".into()))
}

impl JobEnd {
    /// The event that tells the UI.
    pub fn into_event(self, req: RequestId) -> Event {
        match self {
            JobEnd::Done { job, result } => Event::OptimizationDone { req, job, result },
            JobEnd::Cancelled { job } => Event::OptimizationCancelled { req, job },
            JobEnd::Failed { job, message } => Event::OptimizationFailed { req, job, message },
        }
    }
}
