//! Optimization endpoints: one path per scope starts a job; the job is read, applied or
//! cancelled under `/optimization/jobs/{id}`. See `docs/API.md` for the contract.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use crate::api::model::{Date, DateRange, ItemError};
use crate::api::paths::{self, Collection};
use crate::sandbox::body::JsonBody;
use crate::sandbox::documents;

use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::handlers::bulk;
use crate::sandbox::optimize::apply::apply;
use crate::sandbox::optimize::jobs::JobState;
use crate::sandbox::optimize::problem::{self, Dataset, Scope};
use crate::sandbox::optimize::{Goal, SolveLimits};

/// Longest time limit a job may ask for, in seconds.
const MAX_TIME_LIMIT: f64 = 600.0;
/// Time limit when none is given, in seconds.
const DEFAULT_TIME_LIMIT: f64 = 10.0;

/// Options every scope takes.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunOptions {
    /// Seconds the solver may run (default 10, at most 600).
    time_limit_seconds: Option<f64>,
    /// `duration` (default) or `vehiclesThenDistance`.
    goal: Option<Goal>,
}

impl RunOptions {
    fn limits(&self) -> Served<SolveLimits> {
        let t = self.time_limit_seconds.unwrap_or(DEFAULT_TIME_LIMIT);
        if !(t.is_finite() && t > 0.0 && t <= MAX_TIME_LIMIT) {
            return Err(Failure::BadRequest(format!(
                "timeLimitSeconds must be above 0 and at most {MAX_TIME_LIMIT}, got {t}"
            )));
        }
        Ok(SolveLimits {
            time_limit_seconds: t,
            max_generations: None,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DatesRequest {
    dates: Vec<Date>,
    #[serde(flatten)]
    options: RunOptions,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoutesRequest {
    ids: Vec<String>,
    #[serde(flatten)]
    options: RunOptions,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RangeRequest {
    date_range: DateRange,
    #[serde(flatten)]
    options: RunOptions,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DatasetRequest {
    #[serde(flatten)]
    dataset: Dataset,
    #[serde(flatten)]
    options: RunOptions,
}

async fn start(state: AppState, scope: Scope, options: RunOptions) -> Served<Response> {
    let limits = options.limits()?;
    let goal = options.goal.unwrap_or_default();
    let built = state
        .read(move |tx| problem::build(tx, &scope, goal))
        .await?;
    let job = state.jobs.start(built, limits)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"jobId": job.id, "status": "running"})),
    )
        .into_response())
}

async fn apply_job(state: AppState, id: String) -> Served<Json<Value>> {
    let job = state.jobs.get(&id)?;
    let outcome = match job.state() {
        JobState::Done(o) => o,
        JobState::Applied(_) => {
            return Err(Failure::Conflict(format!("job {id} was already applied")));
        }
        JobState::Running => {
            return Err(Failure::Conflict(format!(
                "job {id} is still running; apply it once its status is done"
            )));
        }
        JobState::Cancelled => {
            return Err(Failure::Conflict(format!(
                "job {id} was cancelled; it has no plan to apply"
            )));
        }
        JobState::Failed(e) => {
            return Err(Failure::Conflict(format!(
                "job {id} failed ({e}); it has no plan to apply"
            )));
        }
    };
    let o = outcome.clone();
    let applied = state
        .write(move |ctx| apply(ctx, &o.built, &o.solution))
        .await?;
    job.transition(|s| match s {
        JobState::Done(o) => Ok(JobState::Applied(o.clone())),
        _ => Err(Failure::Conflict(format!("job {id} was already applied"))),
    })?;
    Ok(Json(json!({
        "jobId": id,
        "applied": true,
        "routes": applied.routes,
        "assigned": applied.assigned,
        "unassigned": applied.unassigned,
        "created": applied.created,
    })))
}

/// A data set's drivers and tasks must hold valid values (time windows, dates, sizes), as
/// `POST /drivers` and `POST /tasks` would check them; what only a stored document needs
/// (a driver's name, a task's date when `dates` are given) is not asked.
fn check_dataset(d: &Dataset) -> Served<()> {
    let items = |what: &str, c: Collection, docs: &[Value]| -> Vec<ItemError> {
        docs.iter()
            .enumerate()
            .filter_map(|(i, doc)| {
                let problems = documents::check_values(c, doc);
                (!problems.is_empty()).then(|| {
                    let message = format!("{what}[{i}]: {}", documents::summary(&problems));
                    bulk::item_error(i, doc, message, Some(problems))
                })
            })
            .collect()
    };
    let mut errors = items("drivers", Collection::Drivers, &d.drivers);
    errors.extend(items("tasks", Collection::Tasks, &d.tasks));
    match errors.first() {
        None => Ok(()),
        Some(first) => Err(Failure::Invalid {
            message: first.message.clone(),
            errors,
        }),
    }
}

/// Routes of the optimization endpoints.
pub fn router(state: AppState) -> Router {
    let s = state.clone();
    let dates = post(move |JsonBody(r): JsonBody<DatesRequest>| {
        start(s.clone(), Scope::Dates(r.dates), r.options)
    });
    let s = state.clone();
    let routes = post(move |JsonBody(r): JsonBody<RoutesRequest>| {
        start(s.clone(), Scope::Routes(r.ids), r.options)
    });
    let s = state.clone();
    let range = post(move |JsonBody(r): JsonBody<RangeRequest>| {
        let scope = Scope::Period {
            start: r.date_range.start_date,
            end: r.date_range.end_date,
            intervals: false,
        };
        start(s.clone(), scope, r.options)
    });
    let s = state.clone();
    let intervals = post(move |JsonBody(r): JsonBody<RangeRequest>| {
        let scope = Scope::Period {
            start: r.date_range.start_date,
            end: r.date_range.end_date,
            intervals: true,
        };
        start(s.clone(), scope, r.options)
    });
    let s = state.clone();
    let dataset = post(move |JsonBody(r): JsonBody<DatasetRequest>| {
        let s = s.clone();
        async move {
            check_dataset(&r.dataset)?;
            start(s, Scope::Dataset(Box::new(r.dataset)), r.options).await
        }
    });
    let s = state.clone();
    let status = get(move |Path(id): Path<String>| {
        let s = s.clone();
        async move { s.jobs.get(&id).map(|j| Json(j.status())) }
    });
    let s = state.clone();
    let cancel = post(move |Path(id): Path<String>| {
        let s = s.clone();
        async move { s.jobs.cancel(&id).map(|j| Json(j.status())) }
    });
    let s = state;
    let apply_route = post(move |Path(id): Path<String>| apply_job(s.clone(), id));
    Router::new()
        .route(paths::OPTIMIZE_DATES, dates)
        .route(paths::OPTIMIZE_ROUTES, routes)
        .route(paths::OPTIMIZE_DATE_RANGE, range)
        .route(paths::OPTIMIZE_INTERVALS, intervals)
        .route(paths::OPTIMIZE_DATASET, dataset)
        .route(paths::OPTIMIZATION_JOB, status)
        .route(paths::OPTIMIZATION_JOB_CANCEL, cancel)
        .route(paths::OPTIMIZATION_JOB_APPLY, apply_route)
}
