//! One method per endpoint of [`crate::api::paths::endpoints`]. Each names whether it may be
//! repeated ([`Repeat`]); `retry.rs` explains the choice for each kind.

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Call, Client, Repeat};
use crate::api::error::ApiError;
use crate::api::model::{
    AddTasksRequest, BulkResult, Date, Entity, FormSubmission, IdsRequest, ImportConfig,
    ItemsRequest, ProofOfDelivery, ScheduleException, SetOrderRequest,
};
use crate::api::paths::{self, Collection, Method, bulk};
use crate::api::query::ListQuery;

/// Whether an import config names a key that identifies existing items, so that sending
/// the same items twice updates instead of duplicating.
pub fn import_matches(config: &ImportConfig) -> bool {
    config.match_on.as_ref().is_some_and(|m| {
        m.reference == Some(true) || m.external_id == Some(true) || m.uid == Some(true)
    })
}

/// Refuses writes to collections that the endpoint table has no create/bulk path for.
fn ensure_bulk_writable(c: Collection) -> Result<(), ApiError> {
    if c == Collection::Routes {
        return Err(ApiError::Invalid(
            "routes are made by optimization and assignment; they have no create or bulk endpoints"
                .into(),
        ));
    }
    Ok(())
}

fn ids_body(ids: &[String]) -> IdsRequest {
    IdsRequest {
        ids: ids.to_vec(),
        ..IdsRequest::default()
    }
}

impl Client {
    // ----- generic collection endpoints -------------------------------------------------

    /// `GET /{c}`: one page of items and `X-Total-Count` as raw JSON.
    pub async fn list_values(
        &self,
        collection: Collection,
        query: &ListQuery,
    ) -> Result<(Vec<Value>, Option<u64>), ApiError> {
        let call =
            Call::new(Method::Get, collection.path(), Repeat::Safe).query(query.to_query_string());
        let reply = self.execute(&call).await?;
        Ok((reply.decode()?, reply.total))
    }

    /// `GET /{c}`: one page of items as unparsed JSON text, and `X-Total-Count`.
    pub async fn list_raw(
        &self,
        collection: Collection,
        query: &ListQuery,
    ) -> Result<(Vec<Box<RawValue>>, Option<u64>), ApiError> {
        let call =
            Call::new(Method::Get, collection.path(), Repeat::Safe).query(query.to_query_string());
        let reply = self.execute(&call).await?;
        Ok((reply.decode()?, reply.total))
    }

    /// `GET /{c}`: one page of typed items and `X-Total-Count`.
    pub async fn list<T: Entity>(
        &self,
        query: &ListQuery,
    ) -> Result<(Vec<T>, Option<u64>), ApiError> {
        let call = Call::new(Method::Get, T::COLLECTION.path(), Repeat::Safe)
            .query(query.to_query_string());
        let reply = self.execute(&call).await?;
        Ok((reply.decode()?, reply.total))
    }

    /// `GET /{c}/{id}` as raw JSON, by `_id` or UID.
    pub async fn get_value(&self, collection: Collection, id: &str) -> Result<Value, ApiError> {
        let call = Call::new(Method::Get, paths::item(collection, id), Repeat::Safe);
        self.execute(&call).await?.decode()
    }

    /// `GET /{c}/{id}` typed, by `_id` or UID.
    pub async fn get<T: Entity>(&self, id: &str) -> Result<T, ApiError> {
        let call = Call::new(Method::Get, paths::item(T::COLLECTION, id), Repeat::Safe);
        self.execute(&call).await?.decode()
    }

    /// `POST /{c}`: create one item; answers the item as stored. Never repeated.
    pub async fn create_one<S: Serialize + ?Sized>(
        &self,
        collection: Collection,
        item: &S,
    ) -> Result<Value, ApiError> {
        ensure_bulk_writable(collection)?;
        let call = Call::new(Method::Post, collection.path(), Repeat::Never).json(item)?;
        self.execute(&call).await?.decode()
    }

    /// `PUT /{c}/{id}`: change the fields sent; answers the item as stored.
    pub async fn update_one<S: Serialize + ?Sized>(
        &self,
        collection: Collection,
        id: &str,
        changes: &S,
    ) -> Result<Value, ApiError> {
        let call =
            Call::new(Method::Put, paths::item(collection, id), Repeat::Safe).json(changes)?;
        self.execute(&call).await?.decode()
    }

    /// `DELETE /{c}/{id}`; answers whatever the server says (often the deleted item).
    pub async fn delete_one(&self, collection: Collection, id: &str) -> Result<Value, ApiError> {
        let call = Call::new(Method::Delete, paths::item(collection, id), Repeat::Safe);
        self.execute(&call).await?.decode()
    }

    /// `POST /{c}/createMany`. Never repeated: a second send would create the items again.
    pub async fn create_many<S: Serialize>(
        &self,
        collection: Collection,
        items: &[S],
        return_items: bool,
    ) -> Result<BulkResult, ApiError> {
        ensure_bulk_writable(collection)?;
        self.items_call(
            collection,
            bulk::CREATE_MANY,
            items,
            None,
            return_items,
            Repeat::Never,
        )
        .await
    }

    /// `POST /{c}/updateMany`: each item names itself by `_id` or `uid`.
    pub async fn update_many<S: Serialize>(
        &self,
        collection: Collection,
        items: &[S],
        return_items: bool,
    ) -> Result<BulkResult, ApiError> {
        ensure_bulk_writable(collection)?;
        self.items_call(
            collection,
            bulk::UPDATE_MANY,
            items,
            None,
            return_items,
            Repeat::Safe,
        )
        .await
    }

    /// `POST /{c}/createOrUpdateMany`. Repeated only when `config` matches on a key.
    pub async fn create_or_update_many<S: Serialize>(
        &self,
        collection: Collection,
        items: &[S],
        config: &ImportConfig,
        return_items: bool,
    ) -> Result<BulkResult, ApiError> {
        ensure_bulk_writable(collection)?;
        let repeat = if import_matches(config) {
            Repeat::Safe
        } else {
            Repeat::Never
        };
        self.items_call(
            collection,
            bulk::CREATE_OR_UPDATE_MANY,
            items,
            Some(config.clone()),
            return_items,
            repeat,
        )
        .await
    }

    /// `POST /{c}/removeMany` by `_id`s or UIDs.
    pub async fn remove_many(
        &self,
        collection: Collection,
        ids: &[String],
    ) -> Result<BulkResult, ApiError> {
        ensure_bulk_writable(collection)?;
        self.ids_call(
            &paths::bulk(collection, bulk::REMOVE_MANY),
            &ids_body(ids),
            Repeat::Safe,
        )
        .await
    }

    async fn items_call<S: Serialize>(
        &self,
        collection: Collection,
        action: &str,
        items: &[S],
        import_config: Option<ImportConfig>,
        return_items: bool,
        repeat: Repeat,
    ) -> Result<BulkResult, ApiError> {
        let body = ItemsRequest {
            items: items.iter().collect::<Vec<&S>>(),
            return_items: return_items.then_some(true),
            import_config,
        };
        let call = Call::new(Method::Post, paths::bulk(collection, action), repeat).json(&body)?;
        self.execute(&call).await?.decode()
    }

    async fn ids_call(
        &self,
        path: &str,
        body: &IdsRequest,
        repeat: Repeat,
    ) -> Result<BulkResult, ApiError> {
        let call = Call::new(Method::Post, path, repeat).json(body)?;
        self.execute(&call).await?.decode()
    }

    // ----- tasks --------------------------------------------------------------------------

    /// `POST /tasks/cancel`: cancel tasks and take them off their routes.
    pub async fn cancel_tasks(
        &self,
        ids: &[String],
        reason: Option<&str>,
    ) -> Result<BulkResult, ApiError> {
        let body = IdsRequest {
            reason: reason.map(str::to_string),
            ..ids_body(ids)
        };
        self.ids_call(paths::TASKS_CANCEL, &body, Repeat::Safe)
            .await
    }

    /// `POST /tasks/moveToDate`: set a new date and unassign.
    pub async fn move_tasks(&self, ids: &[String], date: Date) -> Result<BulkResult, ApiError> {
        let body = IdsRequest {
            date: Some(date),
            ..ids_body(ids)
        };
        self.ids_call(paths::TASKS_MOVE_TO_DATE, &body, Repeat::Safe)
            .await
    }

    /// `POST /tasks/reattempt`: make failed tasks schedulable again on `date`.
    pub async fn reattempt_tasks(
        &self,
        ids: &[String],
        date: Date,
    ) -> Result<BulkResult, ApiError> {
        let body = IdsRequest {
            date: Some(date),
            ..ids_body(ids)
        };
        self.ids_call(paths::TASKS_REATTEMPT, &body, Repeat::Safe)
            .await
    }

    /// `POST /tasks/createReturn`: one new return task per task. Never repeated.
    pub async fn create_returns(
        &self,
        ids: &[String],
        date: Option<Date>,
    ) -> Result<BulkResult, ApiError> {
        let body = IdsRequest {
            date,
            ..ids_body(ids)
        };
        self.ids_call(paths::TASKS_CREATE_RETURN, &body, Repeat::Never)
            .await
    }

    /// `POST /tasks/startTracking`.
    pub async fn start_tracking(&self, ids: &[String]) -> Result<BulkResult, ApiError> {
        self.ids_call(paths::TASKS_START_TRACKING, &ids_body(ids), Repeat::Safe)
            .await
    }

    /// `GET /tasks/{id}/pod`: the proof of delivery of a task.
    pub async fn pod(&self, task: &str) -> Result<ProofOfDelivery, ApiError> {
        let path = paths::fill(paths::TASK_POD, &[("id", task)]);
        self.execute(&Call::new(Method::Get, path, Repeat::Safe))
            .await?
            .decode()
    }

    // ----- routes -------------------------------------------------------------------------

    /// `POST /routes/clear`: unassign every task of the routes.
    pub async fn clear_routes(&self, ids: &[String]) -> Result<BulkResult, ApiError> {
        self.ids_call(paths::ROUTES_CLEAR, &ids_body(ids), Repeat::Safe)
            .await
    }

    /// `POST /routes/lock`.
    pub async fn lock_routes(&self, ids: &[String]) -> Result<BulkResult, ApiError> {
        self.ids_call(paths::ROUTES_LOCK, &ids_body(ids), Repeat::Safe)
            .await
    }

    /// `POST /routes/unlock`.
    pub async fn unlock_routes(&self, ids: &[String]) -> Result<BulkResult, ApiError> {
        self.ids_call(paths::ROUTES_UNLOCK, &ids_body(ids), Repeat::Safe)
            .await
    }

    /// `POST /routes/setPlannedETAs`: store the current ETAs as planned.
    pub async fn set_planned_etas(&self, ids: &[String]) -> Result<BulkResult, ApiError> {
        self.ids_call(paths::ROUTES_SET_PLANNED_ETAS, &ids_body(ids), Repeat::Safe)
            .await
    }

    /// `POST /routes/setOrder`: put every task of a route in a new order; answers the route.
    pub async fn set_order(&self, route: &str, tasks: &[String]) -> Result<Value, ApiError> {
        let body = SetOrderRequest {
            route: route.to_string(),
            tasks: tasks.to_vec(),
        };
        let call = Call::new(Method::Post, paths::ROUTES_SET_ORDER, Repeat::Safe).json(&body)?;
        self.execute(&call).await?.decode()
    }

    // ----- schedule exceptions, templates, forms -------------------------------------------

    /// `GET /driver-schedule-exceptions/driver/{driver}`.
    pub async fn exceptions_of_driver(
        &self,
        driver: &str,
    ) -> Result<Vec<ScheduleException>, ApiError> {
        let path = paths::fill(paths::EXCEPTIONS_OF_DRIVER, &[("driver", driver)]);
        self.execute(&Call::new(Method::Get, path, Repeat::Safe))
            .await?
            .decode()
    }

    /// `POST /route-template-groups/scheduleForDates`. Never repeated: each send makes routes.
    pub async fn schedule_route_templates(
        &self,
        ids: &[String],
        dates: &[Date],
    ) -> Result<BulkResult, ApiError> {
        let body = IdsRequest {
            dates: Some(dates.to_vec()),
            ..ids_body(ids)
        };
        self.ids_call(paths::ROUTE_TEMPLATES_SCHEDULE, &body, Repeat::Never)
            .await
    }

    /// `POST /task-template-groups/scheduleForDates`. Never repeated: each send makes tasks.
    pub async fn schedule_task_templates(
        &self,
        ids: &[String],
        dates: &[Date],
    ) -> Result<BulkResult, ApiError> {
        let body = IdsRequest {
            dates: Some(dates.to_vec()),
            ..ids_body(ids)
        };
        self.ids_call(paths::TASK_TEMPLATES_SCHEDULE, &body, Repeat::Never)
            .await
    }

    /// `POST /task-template-groups/{id}/addTasks`; answers the group. Never repeated: each
    /// send appends the templates again.
    pub async fn add_tasks_to_group(
        &self,
        group: &str,
        tasks: &[String],
        keep_assignee: bool,
    ) -> Result<Value, ApiError> {
        let path = paths::fill(paths::TASK_TEMPLATES_ADD_TASKS, &[("id", group)]);
        let body = AddTasksRequest {
            tasks: tasks.to_vec(),
            keep_assignee,
        };
        let call = Call::new(Method::Post, path, Repeat::Never).json(&body)?;
        self.execute(&call).await?.decode()
    }

    /// `GET /forms/{id}/submissions`.
    pub async fn form_submissions_of_form(
        &self,
        form: &str,
    ) -> Result<Vec<FormSubmission>, ApiError> {
        let path = paths::fill(paths::FORM_SUBMISSIONS_OF_FORM, &[("id", form)]);
        self.execute(&Call::new(Method::Get, path, Repeat::Safe))
            .await?
            .decode()
    }

    // ----- optimization ---------------------------------------------------------------------

    async fn start_optimization(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        let call = Call::new(Method::Post, path, Repeat::Never).json(body)?;
        self.execute(&call).await?.decode()
    }

    /// `POST /optimization/dataset`: optimize the drivers and tasks in `body`; answers `{jobId}`.
    pub async fn optimize_dataset(&self, body: &Value) -> Result<Value, ApiError> {
        self.start_optimization(paths::OPTIMIZE_DATASET, body).await
    }

    /// `POST /optimization/dates` `{dates, timeLimitSeconds}`; answers `{jobId}`.
    pub async fn optimize_dates(&self, body: &Value) -> Result<Value, ApiError> {
        self.start_optimization(paths::OPTIMIZE_DATES, body).await
    }

    /// `POST /optimization/routes` `{ids, timeLimitSeconds}`; answers `{jobId}`.
    pub async fn optimize_routes(&self, body: &Value) -> Result<Value, ApiError> {
        self.start_optimization(paths::OPTIMIZE_ROUTES, body).await
    }

    /// `POST /optimization/dateRange` `{dateRange, timeLimitSeconds}`; answers `{jobId}`.
    pub async fn optimize_date_range(&self, body: &Value) -> Result<Value, ApiError> {
        self.start_optimization(paths::OPTIMIZE_DATE_RANGE, body)
            .await
    }

    /// `POST /optimization/intervals` `{dateRange, timeLimitSeconds}`; answers `{jobId}`.
    pub async fn optimize_intervals(&self, body: &Value) -> Result<Value, ApiError> {
        self.start_optimization(paths::OPTIMIZE_INTERVALS, body)
            .await
    }

    /// `GET /optimization/jobs/{id}`: status and result of a job.
    pub async fn optimization_job(&self, job: &str) -> Result<Value, ApiError> {
        let path = paths::fill(paths::OPTIMIZATION_JOB, &[("id", job)]);
        self.execute(&Call::new(Method::Get, path, Repeat::Safe))
            .await?
            .decode()
    }

    /// `POST /optimization/jobs/{id}/apply`: write a job's routes. Never repeated.
    pub async fn apply_job(&self, job: &str) -> Result<Value, ApiError> {
        let path = paths::fill(paths::OPTIMIZATION_JOB_APPLY, &[("id", job)]);
        self.execute(&Call::new(Method::Post, path, Repeat::Never))
            .await?
            .decode()
    }

    /// `POST /optimization/jobs/{id}/cancel`.
    pub async fn cancel_job(&self, job: &str) -> Result<Value, ApiError> {
        let path = paths::fill(paths::OPTIMIZATION_JOB_CANCEL, &[("id", job)]);
        self.execute(&Call::new(Method::Post, path, Repeat::Safe))
            .await?
            .decode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::MatchOn;

    #[test]
    fn only_a_real_match_makes_an_upsert_repeatable() {
        assert!(!import_matches(&ImportConfig::default()));
        let empty = ImportConfig {
            match_on: Some(MatchOn::default()),
            ..ImportConfig::default()
        };
        assert!(!import_matches(&empty));
        let by_ref = ImportConfig {
            match_on: Some(MatchOn {
                reference: Some(true),
                ..MatchOn::default()
            }),
            ..ImportConfig::default()
        };
        assert!(import_matches(&by_ref));
    }
}
