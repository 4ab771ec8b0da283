//! The endpoint table: every path the client calls and the sandbox serves.
//!
//! Paths the eLogii reference documents are used as written; the rest are our choices,
//! listed with bodies and answers in `docs/API.md`. Keep the two in step.

use std::fmt;

/// An entity collection and its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    /// `/tasks`
    Tasks,
    /// `/routes`
    Routes,
    /// `/drivers`
    Drivers,
    /// `/vehicles`
    Vehicles,
    /// `/customers`
    Customers,
    /// `/depots`
    Depots,
    /// `/zones`
    Zones,
    /// `/driver-schedule-exceptions`
    ScheduleExceptions,
    /// `/route-template-groups`
    RouteTemplateGroups,
    /// `/task-template-groups`
    TaskTemplateGroups,
    /// `/forms`
    Forms,
    /// `/form-submissions`
    FormSubmissions,
}

impl Collection {
    /// Every collection, in tab order.
    pub const ALL: [Collection; 12] = [
        Collection::Tasks,
        Collection::Routes,
        Collection::Drivers,
        Collection::Vehicles,
        Collection::Customers,
        Collection::Depots,
        Collection::Zones,
        Collection::ScheduleExceptions,
        Collection::RouteTemplateGroups,
        Collection::TaskTemplateGroups,
        Collection::Forms,
        Collection::FormSubmissions,
    ];

    /// URL path segment, e.g. `driver-schedule-exceptions`.
    pub fn name(self) -> &'static str {
        match self {
            Collection::Tasks => "tasks",
            Collection::Routes => "routes",
            Collection::Drivers => "drivers",
            Collection::Vehicles => "vehicles",
            Collection::Customers => "customers",
            Collection::Depots => "depots",
            Collection::Zones => "zones",
            Collection::ScheduleExceptions => "driver-schedule-exceptions",
            Collection::RouteTemplateGroups => "route-template-groups",
            Collection::TaskTemplateGroups => "task-template-groups",
            Collection::Forms => "forms",
            Collection::FormSubmissions => "form-submissions",
        }
    }

    /// Collection path, e.g. `/tasks`.
    pub fn path(self) -> String {
        format!("/{}", self.name())
    }

    /// Human title for tabs and messages.
    pub fn title(self) -> &'static str {
        match self {
            Collection::Tasks => "Tasks",
            Collection::Routes => "Routes",
            Collection::Drivers => "Drivers",
            Collection::Vehicles => "Vehicles",
            Collection::Customers => "Customers",
            Collection::Depots => "Depots",
            Collection::Zones => "Zones",
            Collection::ScheduleExceptions => "Schedule exceptions",
            Collection::RouteTemplateGroups => "Route templates",
            Collection::TaskTemplateGroups => "Task templates",
            Collection::Forms => "Forms",
            Collection::FormSubmissions => "Form submissions",
        }
    }

    /// One item, for messages: "task", "driver", …
    pub fn singular(self) -> &'static str {
        match self {
            Collection::Tasks => "task",
            Collection::Routes => "route",
            Collection::Drivers => "driver",
            Collection::Vehicles => "vehicle",
            Collection::Customers => "customer",
            Collection::Depots => "depot",
            Collection::Zones => "zone",
            Collection::ScheduleExceptions => "schedule exception",
            Collection::RouteTemplateGroups => "route-template group",
            Collection::TaskTemplateGroups => "task-template group",
            Collection::Forms => "form",
            Collection::FormSubmissions => "form submission",
        }
    }

    /// The noun for `n` items: "task" for one, "tasks" otherwise.
    pub fn noun(self, n: usize) -> String {
        noun(n, self.singular())
    }

    /// `n` items in words: "1 task", "2 schedule exceptions".
    pub fn count(self, n: usize) -> String {
        count(n, self.singular())
    }

    /// Prefix of server-made UIDs. `T-`, `DR-`, `CUS-` and `DEP-` are eLogii's; the rest are ours.
    pub fn uid_prefix(self) -> &'static str {
        match self {
            Collection::Tasks => "T-",
            Collection::Routes => "RT-",
            Collection::Drivers => "DR-",
            Collection::Vehicles => "VEH-",
            Collection::Customers => "CUS-",
            Collection::Depots => "DEP-",
            Collection::Zones => "ZON-",
            Collection::ScheduleExceptions => "EXC-",
            Collection::RouteTemplateGroups => "RTG-",
            Collection::TaskTemplateGroups => "TTG-",
            Collection::Forms => "FRM-",
            Collection::FormSubmissions => "FS-",
        }
    }

    /// Whether lists are usually asked for one working date at a time.
    pub fn is_date_scoped(self) -> bool {
        matches!(
            self,
            Collection::Tasks | Collection::Routes | Collection::ScheduleExceptions
        )
    }

    /// Finds a collection by URL name, title, or a short alias (`t`, `dr`, `exc`, …).
    pub fn parse(s: &str) -> Option<Collection> {
        let k = s
            .trim()
            .trim_start_matches(':')
            .to_ascii_lowercase()
            .replace(['_', ' '], "-");
        let found = match k.as_str() {
            "t" | "task" | "tasks" => Collection::Tasks,
            "r" | "rt" | "route" | "routes" => Collection::Routes,
            "d" | "dr" | "driver" | "drivers" => Collection::Drivers,
            "v" | "veh" | "vehicle" | "vehicles" => Collection::Vehicles,
            "c" | "cus" | "customer" | "customers" => Collection::Customers,
            "dep" | "depot" | "depots" => Collection::Depots,
            "z" | "zone" | "zones" => Collection::Zones,
            "e" | "exc" | "exceptions" | "schedule-exceptions" | "driver-schedule-exceptions" => {
                Collection::ScheduleExceptions
            }
            "rtg" | "route-templates" | "route-template-groups" => Collection::RouteTemplateGroups,
            "ttg" | "task-templates" | "task-template-groups" => Collection::TaskTemplateGroups,
            "f" | "form" | "forms" => Collection::Forms,
            "fs" | "submissions" | "form-submissions" => Collection::FormSubmissions,
            _ => return None,
        };
        Some(found)
    }
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The noun `one` for `n` things: as given for one, with an `s` otherwise.
pub fn noun(n: usize, one: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        format!("{one}s")
    }
}

/// `n` things in words: "1 date", "3 dates".
pub fn count(n: usize, one: &str) -> String {
    format!("{n} {}", noun(n, one))
}

/// Bulk action names appended to a collection path (`/tasks/createMany`).
pub mod bulk {
    /// Create several items.
    pub const CREATE_MANY: &str = "createMany";
    /// Update several items by `_id` or `uid`.
    pub const UPDATE_MANY: &str = "updateMany";
    /// Delete several items by `_id` or `uid`.
    pub const REMOVE_MANY: &str = "removeMany";
    /// Create or update several items, matched by reference, externalId or uid.
    pub const CREATE_OR_UPDATE_MANY: &str = "createOrUpdateMany";
}

/// `POST /tasks/cancel` `{ids, reason?}`.
pub const TASKS_CANCEL: &str = "/tasks/cancel";
/// `POST /tasks/moveToDate` `{ids, date}`.
pub const TASKS_MOVE_TO_DATE: &str = "/tasks/moveToDate";
/// `POST /tasks/reattempt` `{ids, date}`.
pub const TASKS_REATTEMPT: &str = "/tasks/reattempt";
/// `POST /tasks/createReturn` `{ids, date?}`.
pub const TASKS_CREATE_RETURN: &str = "/tasks/createReturn";
/// `POST /tasks/startTracking` `{ids}`.
pub const TASKS_START_TRACKING: &str = "/tasks/startTracking";
/// `GET /tasks/{id}/pod`.
pub const TASK_POD: &str = "/tasks/{id}/pod";
/// `POST /routes/clear` `{ids}`.
pub const ROUTES_CLEAR: &str = "/routes/clear";
/// `POST /routes/lock` `{ids}`.
pub const ROUTES_LOCK: &str = "/routes/lock";
/// `POST /routes/unlock` `{ids}`.
pub const ROUTES_UNLOCK: &str = "/routes/unlock";
/// `POST /routes/setPlannedETAs` `{ids}`.
pub const ROUTES_SET_PLANNED_ETAS: &str = "/routes/setPlannedETAs";
/// `POST /routes/setOrder` `{route, tasks}`.
pub const ROUTES_SET_ORDER: &str = "/routes/setOrder";
/// `GET /driver-schedule-exceptions/driver/{driver}`.
pub const EXCEPTIONS_OF_DRIVER: &str = "/driver-schedule-exceptions/driver/{driver}";
/// `POST /route-template-groups/scheduleForDates` `{ids, dates}`.
pub const ROUTE_TEMPLATES_SCHEDULE: &str = "/route-template-groups/scheduleForDates";
/// `POST /task-template-groups/scheduleForDates` `{ids, dates}`.
pub const TASK_TEMPLATES_SCHEDULE: &str = "/task-template-groups/scheduleForDates";
/// `POST /task-template-groups/{id}/addTasks` `{tasks, keepAssignee}`.
pub const TASK_TEMPLATES_ADD_TASKS: &str = "/task-template-groups/{id}/addTasks";
/// `GET /forms/{id}/submissions`.
pub const FORM_SUBMISSIONS_OF_FORM: &str = "/forms/{id}/submissions";
/// `POST /optimization/dataset`: optimize drivers and tasks given in the body.
pub const OPTIMIZE_DATASET: &str = "/optimization/dataset";
/// `POST /optimization/dates` `{dates, timeLimitSeconds}`.
pub const OPTIMIZE_DATES: &str = "/optimization/dates";
/// `POST /optimization/routes` `{ids, timeLimitSeconds}`.
pub const OPTIMIZE_ROUTES: &str = "/optimization/routes";
/// `POST /optimization/dateRange` `{dateRange, timeLimitSeconds}`.
pub const OPTIMIZE_DATE_RANGE: &str = "/optimization/dateRange";
/// `POST /optimization/intervals` `{dateRange, timeLimitSeconds}`.
pub const OPTIMIZE_INTERVALS: &str = "/optimization/intervals";
/// `GET /optimization/jobs/{id}`.
pub const OPTIMIZATION_JOB: &str = "/optimization/jobs/{id}";
/// `POST /optimization/jobs/{id}/apply`.
pub const OPTIMIZATION_JOB_APPLY: &str = "/optimization/jobs/{id}/apply";
/// `POST /optimization/jobs/{id}/cancel`.
pub const OPTIMIZATION_JOB_CANCEL: &str = "/optimization/jobs/{id}/cancel";

/// `/tasks/createMany` and friends.
pub fn bulk(c: Collection, action: &str) -> String {
    format!("/{}/{action}", c.name())
}

/// `/tasks/{id}` with the id percent-encoded.
pub fn item(c: Collection, id: &str) -> String {
    format!("/{}/{}", c.name(), urlencoding::encode(id))
}

/// Fills `{name}` placeholders of a path template with percent-encoded values.
pub fn fill(template: &str, params: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in params {
        out = out.replace(&format!("{{{k}}}"), &urlencoding::encode(v));
    }
    out
}

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// DELETE
    Delete,
}

/// One row of the endpoint table.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// HTTP method.
    pub method: Method,
    /// Path with `{id}` placeholders.
    pub path: String,
    /// What it does.
    pub summary: &'static str,
}

/// Every endpoint the sandbox serves and the client calls.
pub fn endpoints() -> Vec<Endpoint> {
    use Method::*;
    let mut v = Vec::new();
    let mut push = |method, path: String, summary| {
        v.push(Endpoint {
            method,
            path,
            summary,
        })
    };
    for c in Collection::ALL {
        let base = c.path();
        push(
            Get,
            base.clone(),
            "list (date, sort, limit, skip, select, filter, field=value)",
        );
        push(Get, format!("{base}/{{id}}"), "get one by _id or uid");
        push(
            Put,
            format!("{base}/{{id}}"),
            "update one (fields sent are changed)",
        );
        push(Delete, format!("{base}/{{id}}"), "delete one");
        if c != Collection::Routes {
            push(Post, base.clone(), "create one");
            push(Post, bulk(c, bulk::CREATE_MANY), "create several");
            push(
                Post,
                bulk(c, bulk::UPDATE_MANY),
                "update several by _id or uid",
            );
            push(
                Post,
                bulk(c, bulk::REMOVE_MANY),
                "delete several by _id or uid",
            );
            push(
                Post,
                bulk(c, bulk::CREATE_OR_UPDATE_MANY),
                "create or update several, matched by reference, externalId or uid",
            );
        }
    }
    for (m, p, s) in [
        (Post, TASKS_CANCEL, "cancel tasks"),
        (Post, TASKS_MOVE_TO_DATE, "move tasks to another date"),
        (Post, TASKS_REATTEMPT, "reattempt failed tasks on a date"),
        (Post, TASKS_CREATE_RETURN, "create return tasks"),
        (Post, TASKS_START_TRACKING, "start tracking tasks"),
        (Get, TASK_POD, "proof of delivery of a task"),
        (Post, ROUTES_CLEAR, "clear routes (unassign their tasks)"),
        (Post, ROUTES_LOCK, "lock routes"),
        (Post, ROUTES_UNLOCK, "unlock routes"),
        (
            Post,
            ROUTES_SET_PLANNED_ETAS,
            "recompute ETAs and store them as planned",
        ),
        (Post, ROUTES_SET_ORDER, "set the task order of a route"),
        (
            Get,
            EXCEPTIONS_OF_DRIVER,
            "schedule exceptions of one driver",
        ),
        (
            Post,
            ROUTE_TEMPLATES_SCHEDULE,
            "schedule route-template groups for dates",
        ),
        (
            Post,
            TASK_TEMPLATES_SCHEDULE,
            "schedule task-template groups for dates",
        ),
        (
            Post,
            TASK_TEMPLATES_ADD_TASKS,
            "add tasks to a task-template group",
        ),
        (Get, FORM_SUBMISSIONS_OF_FORM, "submissions of one form"),
        (Post, OPTIMIZE_DATASET, "optimize a provided data set"),
        (Post, OPTIMIZE_DATES, "optimize dates"),
        (Post, OPTIMIZE_ROUTES, "re-optimize existing routes"),
        (Post, OPTIMIZE_DATE_RANGE, "optimize a date range"),
        (
            Post,
            OPTIMIZE_INTERVALS,
            "optimize interval tasks over a period",
        ),
        (Get, OPTIMIZATION_JOB, "optimization job status and result"),
        (Post, OPTIMIZATION_JOB_APPLY, "apply an optimization result"),
        (Post, OPTIMIZATION_JOB_CANCEL, "cancel an optimization job"),
    ] {
        push(m, p.to_string(), s);
    }
    v
}
