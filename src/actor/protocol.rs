//! The messages between the UI and the API actor. The UI never awaits the network: it
//! sends a [`Command`] and later receives [`Event`]s carrying the same [`RequestId`].

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::api::error::ApiError;
use crate::api::items::Items;
use crate::api::model::{BulkResult, Date, ImportConfig, ProofOfDelivery};
use crate::api::paths::Collection;
use crate::api::query::ListQuery;

/// Identifies one request; chosen by the sender, echoed in every answer.
pub type RequestId = u64;

/// A cached list: one collection under one query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListKey {
    /// The collection.
    pub collection: Collection,
    /// The query (date, filter, sort …; no limit/skip: the actor pages itself).
    pub query: ListQuery,
}

impl ListKey {
    /// A key for `collection` under `query`.
    pub fn new(collection: Collection, query: ListQuery) -> Self {
        ListKey { collection, query }
    }
}

/// What the UI asks of the actor.
#[derive(Debug, Clone)]
pub enum Command {
    /// Load a whole list. A fresh cached copy is answered at once; `force` refetches anyway.
    /// The key is then watched: refreshed on the interval and after mutations touching it.
    List {
        /// Request id.
        req: RequestId,
        /// What to load.
        key: ListKey,
        /// Ignore the cache.
        force: bool,
    },
    /// Load one item by `_id` or UID.
    Get {
        /// Request id.
        req: RequestId,
        /// Its collection.
        collection: Collection,
        /// `_id` or UID.
        id: String,
    },
    /// Load a task's proof of delivery.
    Pod {
        /// Request id.
        req: RequestId,
        /// Task `_id` or UID.
        task: String,
    },
    /// Change data on the server.
    Mutate {
        /// Request id.
        req: RequestId,
        /// The change.
        mutation: Mutation,
    },
    /// Stop a request; its answer, if any, is dropped. A read in flight is aborted; a list
    /// nobody else waits for stops loading (and is no longer watched if it was never loaded).
    /// A mutation already sent cannot be called back: it runs to its end and the lists it
    /// touches are still refreshed; only its answer is dropped.
    Cancel {
        /// The request to stop.
        req: RequestId,
    },
    /// Stop watching a list.
    Unwatch {
        /// The list.
        key: ListKey,
    },
    /// Start an optimization job and watch it: progress, then done or failed.
    Optimize {
        /// Request id (echoed by every event of the job).
        req: RequestId,
        /// What to optimize and how.
        run: OptimizeRun,
    },
    /// Write a finished job's plan into routes and tasks; watched lists are refetched.
    ApplyOptimization {
        /// Request id.
        req: RequestId,
        /// The job id (`OPT-…`).
        job: String,
    },
    /// Ask the server to stop a running job; its watcher then reports it failed (cancelled).
    CancelOptimization {
        /// Request id.
        req: RequestId,
        /// The job id.
        job: String,
    },
    /// Refresh watched lists every so often (`None` turns it off).
    SetRefreshInterval(Option<Duration>),
    /// Finish in-flight work and stop.
    Shutdown,
}

impl Command {
    /// Loads of `keys` (cache allowed), each with a fresh request id.
    pub fn lists(keys: &[ListKey], next_req: &mut dyn FnMut() -> RequestId) -> Vec<Command> {
        keys.iter()
            .map(|k| Command::List {
                req: next_req(),
                key: k.clone(),
                force: false,
            })
            .collect()
    }
}

/// What an optimization job covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptimizeScope {
    /// Every task and driver of these dates.
    Dates(Vec<Date>),
    /// Only these routes' drivers and tasks (route `_id`s or UIDs).
    Routes(Vec<String>),
}

/// One optimization run as the UI asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptimizeRun {
    /// What to optimize.
    pub scope: OptimizeScope,
    /// How long the solver may search, in seconds.
    pub time_limit_secs: u32,
    /// `duration` or `vehiclesThenDistance`; the server's default when `None`.
    pub goal: Option<String>,
}

impl OptimizeRun {
    /// The JSON body of the start request.
    pub fn body(&self) -> Value {
        let mut body = match &self.scope {
            OptimizeScope::Dates(d) => {
                serde_json::json!({"dates": d.iter().map(|d| d.as_u32()).collect::<Vec<_>>()})
            }
            OptimizeScope::Routes(ids) => serde_json::json!({"ids": ids}),
        };
        body["timeLimitSeconds"] = self.time_limit_secs.into();
        if let Some(g) = &self.goal {
            body["goal"] = g.clone().into();
        }
        body
    }
}

/// A change to server data.
#[derive(Debug, Clone, PartialEq)]
pub enum Mutation {
    /// `POST /{c}/createMany`.
    Create {
        /// Collection.
        collection: Collection,
        /// New items.
        items: Vec<Value>,
    },
    /// `POST /{c}/updateMany`; each item carries its `_id` and only the changed fields.
    Update {
        /// Collection.
        collection: Collection,
        /// Changes.
        items: Vec<Value>,
    },
    /// `PUT /{c}/{id}` with only the changed fields.
    UpdateOne {
        /// Collection.
        collection: Collection,
        /// `_id` or UID.
        id: String,
        /// Changed fields.
        changes: Value,
    },
    /// `POST /{c}/removeMany`.
    Remove {
        /// Collection.
        collection: Collection,
        /// `_id`s or UIDs.
        ids: Vec<String>,
    },
    /// `POST /{c}/createOrUpdateMany`.
    Upsert {
        /// Collection.
        collection: Collection,
        /// Items.
        items: Vec<Value>,
        /// Matching rules.
        config: ImportConfig,
    },
    /// `POST /tasks/cancel`.
    CancelTasks {
        /// Task ids.
        ids: Vec<String>,
        /// Why.
        reason: Option<String>,
    },
    /// `POST /tasks/moveToDate`.
    MoveTasks {
        /// Task ids.
        ids: Vec<String>,
        /// New date.
        date: Date,
    },
    /// `POST /tasks/reattempt`.
    ReattemptTasks {
        /// Task ids.
        ids: Vec<String>,
        /// Date of the new attempt.
        date: Date,
    },
    /// `POST /tasks/createReturn`.
    CreateReturns {
        /// Task ids.
        ids: Vec<String>,
        /// Date of the returns (the task's date when absent).
        date: Option<Date>,
    },
    /// `POST /tasks/startTracking`.
    StartTracking {
        /// Task ids.
        ids: Vec<String>,
    },
    /// `POST /routes/clear`.
    ClearRoutes {
        /// Route ids.
        ids: Vec<String>,
    },
    /// `POST /routes/lock`.
    LockRoutes {
        /// Route ids.
        ids: Vec<String>,
    },
    /// `POST /routes/unlock`.
    UnlockRoutes {
        /// Route ids.
        ids: Vec<String>,
    },
    /// `POST /routes/setPlannedETAs`.
    SetPlannedEtas {
        /// Route ids.
        ids: Vec<String>,
    },
    /// `POST /routes/setOrder`.
    SetOrder {
        /// Route id.
        route: String,
        /// Every task of the route in the new order.
        tasks: Vec<String>,
    },
    /// `POST /route-template-groups/scheduleForDates`.
    ScheduleRouteTemplates {
        /// Group ids.
        ids: Vec<String>,
        /// Dates.
        dates: Vec<Date>,
    },
    /// `POST /task-template-groups/scheduleForDates`.
    ScheduleTaskTemplates {
        /// Group ids.
        ids: Vec<String>,
        /// Dates.
        dates: Vec<Date>,
    },
    /// `POST /task-template-groups/{id}/addTasks`.
    AddTasksToGroup {
        /// Group id.
        group: String,
        /// Task ids.
        tasks: Vec<String>,
        /// Keep each task's driver.
        keep_assignee: bool,
    },
}

impl Mutation {
    /// Short description for toasts and the activity log, e.g. "cancel 3 tasks".
    pub fn label(&self) -> String {
        use crate::api::paths::count;
        let n = |v: &Vec<String>, what: &str| count(v.len(), what);
        match self {
            Mutation::Create { collection, items } => {
                format!("create {}", collection.count(items.len()))
            }
            Mutation::Update { collection, items } => {
                format!("update {}", collection.count(items.len()))
            }
            Mutation::UpdateOne { collection, id, .. } => {
                format!("update {} {id}", collection.singular())
            }
            Mutation::Remove { collection, ids } => {
                format!("delete {}", collection.count(ids.len()))
            }
            Mutation::Upsert {
                collection, items, ..
            } => {
                format!("create or update {}", collection.count(items.len()))
            }
            Mutation::CancelTasks { ids, .. } => format!("cancel {}", n(ids, "task")),
            Mutation::MoveTasks { ids, date } => format!("move {} to {date}", n(ids, "task")),
            Mutation::ReattemptTasks { ids, date } => {
                format!("reattempt {} on {date}", n(ids, "task"))
            }
            Mutation::CreateReturns { ids, .. } => format!("create returns for {}", n(ids, "task")),
            Mutation::StartTracking { ids } => format!("start tracking {}", n(ids, "task")),
            Mutation::ClearRoutes { ids } => format!("clear {}", n(ids, "route")),
            Mutation::LockRoutes { ids } => format!("lock {}", n(ids, "route")),
            Mutation::UnlockRoutes { ids } => format!("unlock {}", n(ids, "route")),
            Mutation::SetPlannedEtas { ids } => format!("set planned ETAs of {}", n(ids, "route")),
            Mutation::SetOrder { route, tasks } => {
                format!("re-order route {route} ({})", count(tasks.len(), "stop"))
            }
            Mutation::ScheduleRouteTemplates { ids, dates } => {
                format!(
                    "schedule {} for {}",
                    n(ids, "route-template group"),
                    count(dates.len(), "date")
                )
            }
            Mutation::ScheduleTaskTemplates { ids, dates } => {
                format!(
                    "schedule {} for {}",
                    n(ids, "task-template group"),
                    count(dates.len(), "date")
                )
            }
            Mutation::AddTasksToGroup { group, tasks, .. } => {
                format!("add {} to template group {group}", n(tasks, "task"))
            }
        }
    }

    /// Collections whose cached lists this change can make stale.
    pub fn touches(&self) -> Vec<Collection> {
        use Collection::*;
        match self {
            Mutation::Create { collection, .. }
            | Mutation::Update { collection, .. }
            | Mutation::UpdateOne { collection, .. }
            | Mutation::Remove { collection, .. }
            | Mutation::Upsert { collection, .. } => match collection {
                Tasks => vec![Tasks, Routes],
                Drivers => vec![Drivers, Routes],
                c => vec![*c],
            },
            Mutation::CancelTasks { .. }
            | Mutation::MoveTasks { .. }
            | Mutation::ReattemptTasks { .. }
            | Mutation::CreateReturns { .. }
            | Mutation::StartTracking { .. }
            | Mutation::ClearRoutes { .. }
            | Mutation::LockRoutes { .. }
            | Mutation::UnlockRoutes { .. }
            | Mutation::SetPlannedEtas { .. }
            | Mutation::SetOrder { .. } => vec![Tasks, Routes],
            Mutation::ScheduleRouteTemplates { .. } => vec![Tasks, Routes, RouteTemplateGroups],
            Mutation::ScheduleTaskTemplates { .. } => vec![Tasks, TaskTemplateGroups],
            Mutation::AddTasksToGroup { .. } => vec![TaskTemplateGroups],
        }
    }

    /// Whether the change may be sent twice without harm (used for retries).
    pub fn is_idempotent(&self) -> bool {
        match self {
            Mutation::Create { .. } | Mutation::CreateReturns { .. } => false,
            Mutation::Upsert { config, .. } => config.match_on.is_some(),
            Mutation::ScheduleRouteTemplates { .. } | Mutation::ScheduleTaskTemplates { .. } => {
                false
            }
            Mutation::AddTasksToGroup { .. } => false,
            _ => true,
        }
    }
}

/// The server's answer to a mutation.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A bulk answer with per-item errors.
    Bulk(BulkResult),
    /// One item as the server now holds it.
    Item(Value),
}

/// What the actor tells the UI.
#[derive(Debug, Clone)]
pub enum Event {
    /// A list is loading: `loaded` of `total` items so far.
    Progress {
        /// Request id (0 for the actor's own refreshes).
        req: RequestId,
        /// The list.
        key: ListKey,
        /// Items so far.
        loaded: usize,
        /// Items in all, when the server said.
        total: Option<usize>,
    },
    /// A whole list.
    Loaded {
        /// Request id (0 for the actor's own refreshes).
        req: RequestId,
        /// The list.
        key: ListKey,
        /// Every item, as the server's JSON text (parsed where it is looked at).
        items: Arc<Items>,
        /// When it was fetched.
        fetched_at: SystemTime,
        /// Whether it came from the cache.
        from_cache: bool,
    },
    /// One item.
    Got {
        /// Request id.
        req: RequestId,
        /// Its collection.
        collection: Collection,
        /// The item.
        item: Value,
    },
    /// A proof of delivery.
    PodLoaded {
        /// Request id.
        req: RequestId,
        /// The task's POD.
        pod: Box<ProofOfDelivery>,
    },
    /// A mutation went through (it may still hold per-item errors).
    Mutated {
        /// Request id.
        req: RequestId,
        /// What was asked.
        mutation: Mutation,
        /// What the server answered.
        outcome: Outcome,
    },
    /// An optimization job started on the server.
    OptimizationStarted {
        /// Request id of the `Optimize` command.
        req: RequestId,
        /// The job id.
        job: String,
    },
    /// An optimization job is running: `progress` from 0 to 1.
    OptimizationProgress {
        /// Request id of the `Optimize` command.
        req: RequestId,
        /// The job id.
        job: String,
        /// Share done.
        progress: f64,
    },
    /// An optimization job finished with a plan (routes, unassigned, totals).
    OptimizationDone {
        /// Request id of the `Optimize` command.
        req: RequestId,
        /// The job id.
        job: String,
        /// The job's `result` JSON.
        result: Value,
    },
    /// An optimization job was cancelled: nothing was written.
    OptimizationCancelled {
        /// Request id of the `Optimize` command.
        req: RequestId,
        /// The job id.
        job: String,
    },
    /// An optimization job failed.
    OptimizationFailed {
        /// Request id of the `Optimize` command.
        req: RequestId,
        /// The job id, when it had started.
        job: Option<String>,
        /// Why, for people.
        message: String,
    },
    /// A job's plan was written; the tasks and routes lists are being refetched.
    OptimizationApplied {
        /// Request id of the `ApplyOptimization` command.
        req: RequestId,
        /// The job id.
        job: String,
        /// The server's answer (routes, assigned, unassigned …).
        answer: Value,
    },
    /// A request failed.
    Failed {
        /// Request id (0 for the actor's own refreshes).
        req: RequestId,
        /// The list, when a list load failed.
        key: Option<ListKey>,
        /// Why.
        error: ApiError,
    },
}
