//! Optimization endpoints. The engine lands in a later change; until then every
//! optimization path answers 501 with a message that says so.

use axum::Router;
use axum::routing::{get, post};

use crate::api::paths;
use crate::sandbox::failure::Failure;

async fn not_yet() -> Failure {
    Failure::NotImplemented(
        "route optimization is not available in this sandbox version; routes, ETAs and every other endpoint work"
            .into(),
    )
}

/// Routes of the optimization endpoints.
pub fn router() -> Router {
    let mut r = Router::new();
    for p in [
        paths::OPTIMIZE_DATASET,
        paths::OPTIMIZE_DATES,
        paths::OPTIMIZE_ROUTES,
        paths::OPTIMIZE_DATE_RANGE,
        paths::OPTIMIZE_INTERVALS,
        paths::OPTIMIZATION_JOB_APPLY,
        paths::OPTIMIZATION_JOB_CANCEL,
    ] {
        r = r.route(p, post(not_yet));
    }
    r.route(paths::OPTIMIZATION_JOB, get(not_yet))
}
