//! HTTP handlers: the generic collection endpoints here, special actions per collection in
//! the submodules. Every handler runs its storage work on the blocking pool, in one
//! transaction.

pub mod bulk;
pub mod exceptions;
pub mod forms;
pub mod list;
pub mod optimization;
pub mod routes;
pub mod tasks;
pub mod templates;

use std::sync::Arc;

use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::api::model::{IdsRequest, ItemsRequest};
use crate::api::paths::{self, Collection};

use super::body::JsonBody;
use super::failure::{Failure, Served};
use super::optimize::jobs::JobRegistry;
use super::routing::TravelModel;
use super::store::{Store, Tx};
use bulk::Bulk;
use list::ListPlan;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    /// The document store.
    pub store: Arc<Store>,
    /// Travel times for ETAs.
    pub travel: TravelModel,
    /// Optimization jobs.
    pub jobs: Arc<JobRegistry>,
}

/// What domain code needs inside a transaction.
pub struct Ctx<'a, 'c> {
    /// The transaction.
    pub tx: &'a Tx<'c>,
    /// Travel times.
    pub travel: TravelModel,
    /// Unix seconds of the request.
    pub now: i64,
}

impl AppState {
    /// Runs `f` in a write transaction on the blocking pool.
    pub async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Ctx<'_, '_>) -> Served<R> + Send + 'static,
    ) -> Served<R> {
        let (store, travel) = (self.store.clone(), self.travel);
        tokio::task::spawn_blocking(move || {
            store.write(|tx| {
                let ctx = Ctx {
                    tx,
                    travel,
                    now: super::documents::now_secs(),
                };
                f(&ctx)
            })
        })
        .await
        .map_err(|e| Failure::Internal(format!("worker failed: {e}")))?
    }

    /// Runs `f` in a read transaction on the blocking pool.
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Served<R> + Send + 'static,
    ) -> Served<R> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || store.read(f))
            .await
            .map_err(|e| Failure::Internal(format!("worker failed: {e}")))?
    }
}

/// A `POST` route taking `{ids, …}` whose action answers a bulk result.
pub fn ids_action(
    state: &AppState,
    f: fn(&Ctx<'_, '_>, &IdsRequest) -> Served<Bulk>,
) -> axum::routing::MethodRouter {
    let s = state.clone();
    post(move |JsonBody(req): JsonBody<IdsRequest>| {
        let s = s.clone();
        async move {
            s.write(move |ctx| f(ctx, &req))
                .await
                .map(Bulk::into_response)
        }
    })
}

/// A list response: the JSON array with `X-Total-Count`.
fn list_response(body: String, total: u64) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::HeaderName::from_static("x-total-count"),
                total.to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

async fn list(state: AppState, c: Collection, params: Vec<(String, String)>) -> Served<Response> {
    let plan = ListPlan::from_params(c, &params)?;
    let ans = state.read(move |tx| Ok(plan.run(tx, c)?)).await?;
    Ok(list_response(ans.body, ans.total))
}

/// Loads one document by `_id` or UID, or answers 404.
pub fn must_get(tx: &Tx<'_>, c: Collection, key: &str) -> Served<Value> {
    tx.get(c, key)?
        .ok_or_else(|| Failure::NotFound(format!("no {} with _id or uid {key:?}", c.singular())))
}

async fn get_one(state: AppState, c: Collection, id: String) -> Served<Json<Value>> {
    state.read(move |tx| must_get(tx, c, &id).map(Json)).await
}

async fn put_one(state: AppState, c: Collection, id: String, patch: Value) -> Served<Json<Value>> {
    if !patch.is_object() {
        return Err(Failure::BadRequest(
            "PUT takes a JSON object with the fields to change".into(),
        ));
    }
    state
        .write(move |ctx| {
            let old = must_get(ctx.tx, c, &id)?;
            match bulk::update_doc(ctx, c, old, &patch) {
                Ok(doc) => Ok(Json(doc)),
                Err(bulk::ItemFailure::Invalid(problems)) => Err(Failure::Invalid {
                    message: super::documents::summary(&problems),
                    errors: vec![bulk::item_error(
                        0,
                        &patch,
                        super::documents::summary(&problems),
                        Some(problems),
                    )],
                }),
                Err(bulk::ItemFailure::Refused(m)) => Err(Failure::Conflict(m)),
                Err(bulk::ItemFailure::Fatal(f)) => Err(f),
            }
        })
        .await
}

async fn delete_one(state: AppState, c: Collection, id: String) -> Served<Json<Value>> {
    state
        .write(move |ctx| {
            let doc = must_get(ctx.tx, c, &id)?;
            match bulk::delete_doc(ctx, c, &doc) {
                Ok(()) => Ok(Json(serde_json::json!({"result": 1, "ids": [doc["_id"]]}))),
                Err(bulk::ItemFailure::Refused(m)) => Err(Failure::Conflict(m)),
                Err(bulk::ItemFailure::Invalid(p)) => Err(Failure::Invalid {
                    message: super::documents::summary(&p),
                    errors: vec![],
                }),
                Err(bulk::ItemFailure::Fatal(f)) => Err(f),
            }
        })
        .await
}

async fn create_one(state: AppState, c: Collection, item: Value) -> Served<Response> {
    let out = state
        .write(move |ctx| bulk::create_many(ctx, c, vec![item], true))
        .await?;
    match out.items.first() {
        Some(doc) => Ok((StatusCode::CREATED, Json(doc.clone())).into_response()),
        None => Err(out.into_failure()),
    }
}

/// Builds the routes of every collection and action.
pub fn router(state: AppState) -> Router {
    let mut r = Router::new();
    for c in Collection::ALL {
        let base = c.path();
        let item = format!("{base}/{{id}}");
        let (s1, s2, s3, s4) = (state.clone(), state.clone(), state.clone(), state.clone());
        let mut base_route =
            get(move |Query(q): Query<Vec<(String, String)>>| list(s1.clone(), c, q));
        if c != Collection::Routes {
            base_route = base_route
                .post(move |JsonBody(item): JsonBody<Value>| create_one(s2.clone(), c, item));
        }
        r = r.route(&base, base_route);
        r = r.route(
            &item,
            get(move |Path(id): Path<String>| get_one(s3.clone(), c, id))
                .put({
                    let s = state.clone();
                    move |Path(id): Path<String>, JsonBody(p): JsonBody<Value>| {
                        put_one(s.clone(), c, id, p)
                    }
                })
                .delete(move |Path(id): Path<String>| delete_one(s4.clone(), c, id)),
        );
        if c == Collection::Routes {
            continue;
        }
        let s = state.clone();
        r = r.route(
            &paths::bulk(c, paths::bulk::CREATE_MANY),
            post(move |JsonBody(req): JsonBody<ItemsRequest<Value>>| {
                let s = s.clone();
                async move {
                    let ret = req.return_items.unwrap_or(false);
                    s.write(move |ctx| bulk::create_many(ctx, c, req.items, ret))
                        .await
                        .map(Bulk::into_response)
                }
            }),
        );
        let s = state.clone();
        r = r.route(
            &paths::bulk(c, paths::bulk::UPDATE_MANY),
            post(move |JsonBody(req): JsonBody<ItemsRequest<Value>>| {
                let s = s.clone();
                async move {
                    let ret = req.return_items.unwrap_or(false);
                    s.write(move |ctx| bulk::update_many(ctx, c, req.items, ret))
                        .await
                        .map(Bulk::into_response)
                }
            }),
        );
        let s = state.clone();
        r = r.route(
            &paths::bulk(c, paths::bulk::REMOVE_MANY),
            post(move |JsonBody(req): JsonBody<IdsRequest>| {
                let s = s.clone();
                async move {
                    s.write(move |ctx| bulk::remove_many(ctx, c, req.ids))
                        .await
                        .map(Bulk::into_response)
                }
            }),
        );
        let s = state.clone();
        r = r.route(
            &paths::bulk(c, paths::bulk::CREATE_OR_UPDATE_MANY),
            post(move |JsonBody(req): JsonBody<ItemsRequest<Value>>| {
                let s = s.clone();
                async move {
                    let ret = req.return_items.unwrap_or(false);
                    let cfg = req.import_config.unwrap_or_default();
                    s.write(move |ctx| bulk::create_or_update_many(ctx, c, req.items, &cfg, ret))
                        .await
                        .map(Bulk::into_response)
                }
            }),
        );
    }
    r.merge(tasks::router(state.clone()))
        .merge(routes::router(state.clone()))
        .merge(exceptions::router(state.clone()))
        .merge(templates::router(state.clone()))
        .merge(forms::router(state.clone()))
        .merge(optimization::router(state.clone()))
}
