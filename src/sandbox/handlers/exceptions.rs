//! Driver schedule exceptions of one driver.

use axum::Router;
use axum::extract::{Path, Query};
use axum::routing::get;
use serde_json::Value;

use crate::api::paths::{self, Collection};

use super::list::ListPlan;
use super::{AppState, list_response};
use crate::sandbox::documents::str_field;
use crate::sandbox::failure::{Failure, Served};

/// Whether an exception's `driver` names this driver by id, uid or reference.
fn names_driver(exc: &Value, driver: &Value) -> bool {
    let Some(d) = exc.get("driver") else {
        return false;
    };
    let pairs = [
        ("id", "_id"),
        ("_id", "_id"),
        ("uid", "uid"),
        ("reference", "reference"),
    ];
    pairs
        .iter()
        .any(|(ek, dk)| match (str_field(d, ek), str_field(driver, dk)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        })
}

/// Routes of the exception endpoints.
pub fn router(state: AppState) -> Router {
    Router::new().route(
        paths::EXCEPTIONS_OF_DRIVER,
        get(
            move |Path(key): Path<String>, Query(q): Query<Vec<(String, String)>>| {
                let s = state.clone();
                async move {
                    let plan = ListPlan::from_params(Collection::ScheduleExceptions, &q)?;
                    let body = s
                        .read(move |tx| {
                            let driver = match tx.get(Collection::Drivers, &key)? {
                                Some(d) => d,
                                None => tx
                                    .find(
                                        Collection::Drivers,
                                        &[crate::sandbox::store::IndexedCond::Reference(
                                            key.clone(),
                                        )],
                                    )?
                                    .into_iter()
                                    .next()
                                    .ok_or_else(|| {
                                        Failure::NotFound(format!(
                                            "no driver with _id, uid or reference {key:?}"
                                        ))
                                    })?,
                            };
                            let ans = plan.run(tx, Collection::ScheduleExceptions)?;
                            let all: Vec<Value> = serde_json::from_str(&ans.body)
                                .map_err(|e| Failure::Internal(e.to_string()))?;
                            let mine: Vec<Value> = all
                                .into_iter()
                                .filter(|e| names_driver(e, &driver))
                                .collect();
                            Ok::<_, Failure>(mine)
                        })
                        .await?;
                    let n = body.len() as u64;
                    Served::Ok(list_response(Value::Array(body).to_string(), n))
                }
            },
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_driver_by_any_key() {
        let d = json!({"_id": "a", "uid": "DR-1", "reference": "van-7"});
        assert!(names_driver(&json!({"driver": {"id": "a"}}), &d));
        assert!(names_driver(&json!({"driver": {"uid": "DR-1"}}), &d));
        assert!(names_driver(&json!({"driver": {"reference": "van-7"}}), &d));
        assert!(!names_driver(&json!({"driver": {"uid": "DR-2"}}), &d));
    }
}
