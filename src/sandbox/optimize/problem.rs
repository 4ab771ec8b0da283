//! Building an [`OptProblem`] from the store (dates, existing routes, a date range, interval
//! tasks) or from a provided data set.
//!
//! Rules: a driver is one vehicle per working day (schedule of the weekday, or an exception's
//! override; a `dayOff` exception leaves the day out); a locked route keeps its driver and
//! its tasks out of the problem; on other routes, completed, failed, started and
//! task-locked stops stay first on their route, in order; every other task of the scope is
//! placed afresh.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;

use super::{
    DAY_SECONDS, Goal, JobOrigin, OptBreak, OptJob, OptProblem, OptStop, OptVehicle, Segment,
    UnassignedReason, Window, capability_key, skill_key,
};
use crate::api::model::{Coordinates, Date, DaySchedule, TaskState, TimeWindow};
use crate::api::paths::Collection;
use crate::sandbox::documents::str_field;
use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::handlers::routes::{leg_segment, leg_task_key, service_minutes};
use crate::sandbox::store::{IndexedCond, Tx};

/// Most days one run may cover.
pub const MAX_DAYS: i64 = 31;
/// Working hours of a driver who has no schedule at all: 08:00–18:00.
const DEFAULT_DAY: (u32, u32) = (480, 1080);

/// What to optimize.
#[derive(Debug, Clone)]
pub enum Scope {
    /// Every task and driver of these days.
    Dates(Vec<Date>),
    /// These routes (by `_id` or uid): their drivers and their tasks.
    Routes(Vec<String>),
    /// Every day from `start` to `end`; with `intervals`, tasks with a `frequency` become that
    /// many visits spread over their `frequencyDateRange`.
    Period {
        /// First day.
        start: Date,
        /// Last day.
        end: Date,
        /// Expand interval tasks.
        intervals: bool,
    },
    /// Drivers and tasks given in the request; the store is only read for depots.
    Dataset(Box<Dataset>),
}

/// A provided data set: documents shaped like the collections'.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dataset {
    /// Drivers (a driver may carry `capacity` and `capabilities` itself, as eLogii's
    /// optimization input does, instead of a `vehicle`).
    pub drivers: Vec<Value>,
    /// Tasks.
    pub tasks: Vec<Value>,
    /// Vehicles the drivers name.
    #[serde(default)]
    pub vehicles: Vec<Value>,
    /// Depots locations of type 0 name.
    #[serde(default)]
    pub depots: Vec<Value>,
    /// Schedule exceptions.
    #[serde(default)]
    pub schedule_exceptions: Vec<Value>,
    /// Days to plan; default: the tasks' dates.
    #[serde(default)]
    pub dates: Vec<Date>,
}

/// A task the engine never saw, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// Task `_id` (or the data set's key).
    pub task: String,
    /// Why.
    pub reason: UnassignedReason,
}

/// A driver-day that gives no vehicle, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedDriver {
    /// Driver uid.
    pub driver: String,
    /// Day.
    pub date: Date,
    /// Why, in words.
    pub reason: String,
}

/// The problem and everything needed to show and apply its solution.
#[derive(Debug, Clone)]
pub struct Built {
    /// The problem.
    pub problem: OptProblem,
    /// Tasks of the scope the engine never saw.
    pub left_out: Vec<LeftOut>,
    /// Driver-days without a vehicle.
    pub skipped_drivers: Vec<SkippedDriver>,
    /// Routes the plan may rewrite (`_id`s): unlocked routes of the scope.
    pub routes: Vec<String>,
    /// uid and reference of every task of the scope, by `_id`.
    pub task_labels: HashMap<String, (String, String)>,
    /// Driver documents by `_id`, for creating routes.
    pub drivers: HashMap<String, Value>,
    /// What the plan was built on, to refuse applying it once that has changed.
    pub fingerprint: Fingerprint,
    /// Days of the scope.
    pub dates: Vec<Date>,
    /// Whether the store may be written with this plan.
    pub appliable: bool,
    /// Whether a route created on the scope's days since the start makes the plan stale
    /// (not for the routes scope, which owns only its routes).
    pub watch_new_routes: bool,
    /// Per vehicle: the route fields its plan was made with (`start`, `startLocation`,
    /// `endLocation`, `speedFactor`), written with the plan.
    pub setups: Vec<Value>,
}

/// Signatures of the routes and tasks a plan was built on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fingerprint {
    /// Route `_id` → signature, for every route on the scope's days (or the given routes).
    pub routes: BTreeMap<String, String>,
    /// Task `_id` → signature, for every task the plan moves.
    pub tasks: BTreeMap<String, String>,
}

/// A route's lock state and stops, as a comparable text.
pub fn route_signature(r: &Value) -> String {
    let legs: Vec<String> = r
        .get("legs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|l| {
            format!(
                "{}/{:?}",
                leg_task_key(l).unwrap_or_default(),
                leg_segment(l)
            )
        })
        .collect();
    format!("locked={} legs={}", is_locked(r), legs.join(","))
}

/// The task fields a plan depends on, as a comparable text.
pub fn task_signature(t: &Value) -> String {
    let a = t.get("assignment").cloned().unwrap_or(Value::Null);
    format!(
        "state={} route={} locked={} date={} range={}",
        t.get("state").and_then(Value::as_i64).unwrap_or(0),
        str_field(&a, "routeUID").unwrap_or_default(),
        a.get("locked").and_then(Value::as_bool).unwrap_or(false),
        t.get("date").cloned().unwrap_or(Value::Null),
        t.get("dateRange").cloned().unwrap_or(Value::Null),
    )
}

fn is_locked(r: &Value) -> bool {
    r.get("locked").and_then(Value::as_bool).unwrap_or(false)
}

fn date_of(v: Option<&Value>) -> Option<Date> {
    v.and_then(|d| serde_json::from_value::<Date>(d.clone()).ok())
}

/// Days from `start` to `end`, checked against [`MAX_DAYS`].
pub fn days_between(start: Date, end: Date) -> Served<Vec<Date>> {
    let n = start.days_until(end);
    if n < 0 {
        return Err(Failure::BadRequest(format!(
            "dateRange ends ({end}) before it starts ({start})"
        )));
    }
    if n >= MAX_DAYS {
        return Err(Failure::BadRequest(format!(
            "dateRange covers {} days; one run covers at most {MAX_DAYS}",
            n + 1
        )));
    }
    Ok((0..=n).map(|i| start.add_days(i)).collect())
}

/// Everything the builder reads, from the store or a data set.
struct Source {
    dates: Vec<Date>,
    drivers: Vec<Value>,
    vehicles: HashMap<String, Value>,
    depots: HashMap<String, Coordinates>,
    exceptions: Vec<Value>,
    /// Routes on the scope's days (all, locked too); empty for data sets.
    routes: Vec<Value>,
    /// Candidate tasks.
    tasks: Vec<Value>,
    /// Routes scope: only these driver-days get vehicles.
    only: Option<HashSet<(String, Date)>>,
    intervals: bool,
    appliable: bool,
}

/// The route fields a vehicle's plan assumes.
fn setup_of(src: &Source, d: &Value, v: &OptVehicle, base: Date) -> Value {
    let exception = src
        .exceptions
        .iter()
        .find(|e| exception_names(e, d) && covers(e, v.date));
    let over = |k: &str| {
        exception
            .and_then(|e| e.get("overrides"))
            .and_then(|o| o.get(k))
    };
    // Minutes are integers on the wire (the Route model reads them as such).
    let start_minute = ((v.shift.start - at(base, v.date, 0.0)) / 60.0)
        .round()
        .max(0.0) as u32;
    let mut s = serde_json::json!({ "start": start_minute, "speedFactor": v.speed_factor });
    if let Some(l) = over("startLocation").or(d.get("startLocation")) {
        s["startLocation"] = l.clone();
    }
    if let Some(l) = over("endLocation").or(d.get("endLocation")) {
        s["endLocation"] = l.clone();
    }
    s
}

fn keyed(docs: Vec<Value>) -> HashMap<String, Value> {
    let mut m = HashMap::new();
    for d in docs {
        for k in ["_id", "uid", "reference"] {
            if let Some(s) = str_field(&d, k) {
                m.entry(s.to_string()).or_insert_with(|| d.clone());
            }
        }
    }
    m
}

fn depot_coords(docs: &[Value], into: &mut HashMap<String, Coordinates>) {
    for d in docs {
        if let Some(c) = d
            .get("coordinates")
            .and_then(|c| serde_json::from_value::<Coordinates>(c.clone()).ok())
        {
            for k in ["_id", "uid"] {
                if let Some(s) = str_field(d, k) {
                    into.entry(s.to_string()).or_insert(c);
                }
            }
        }
    }
}

/// Builds the problem of `scope` from the store.
pub fn build(tx: &Tx<'_>, scope: &Scope, goal: Goal) -> Served<Built> {
    let mut depots = HashMap::new();
    if let Scope::Dataset(ds) = scope {
        depot_coords(&ds.depots, &mut depots);
    }
    depot_coords(&tx.find(Collection::Depots, &[])?, &mut depots);
    let src = match scope {
        Scope::Dataset(ds) => {
            let mut dates: BTreeSet<Date> = ds.dates.iter().copied().collect();
            if dates.is_empty() {
                for t in &ds.tasks {
                    dates.extend(date_of(t.get("date")));
                }
            }
            if dates.is_empty() {
                return Err(Failure::BadRequest(
                    "give `dates`, or tasks with a `date`, to say which days to plan".into(),
                ));
            }
            if dates.len() as i64 > MAX_DAYS {
                return Err(Failure::BadRequest(format!(
                    "one run covers at most {MAX_DAYS} days"
                )));
            }
            let mut tasks = ds.tasks.clone();
            for (i, t) in tasks.iter_mut().enumerate() {
                // Tasks of a data set need not be stored: give them a key of their own.
                if str_field(t, "_id").is_none() {
                    let key = str_field(t, "uid")
                        .or(str_field(t, "reference"))
                        .map(String::from)
                        .unwrap_or_else(|| format!("task-{i}"));
                    t["_id"] = Value::String(key);
                }
            }
            let mut drivers = ds.drivers.clone();
            for (i, d) in drivers.iter_mut().enumerate() {
                if str_field(d, "_id").is_none() {
                    let key = str_field(d, "uid")
                        .or(str_field(d, "reference"))
                        .map(String::from)
                        .unwrap_or_else(|| format!("driver-{i}"));
                    d["_id"] = Value::String(key.clone());
                    if str_field(d, "uid").is_none() {
                        d["uid"] = Value::String(key);
                    }
                }
            }
            Source {
                dates: dates.into_iter().collect(),
                drivers,
                vehicles: keyed(ds.vehicles.clone()),
                depots,
                exceptions: ds.schedule_exceptions.clone(),
                routes: vec![],
                tasks,
                only: None,
                intervals: false,
                appliable: false,
            }
        }
        Scope::Dates(_) | Scope::Period { .. } | Scope::Routes(_) => {
            let (dates, intervals, only, routes) = match scope {
                Scope::Dates(ds) => {
                    let set: BTreeSet<Date> = ds.iter().copied().collect();
                    if set.is_empty() {
                        return Err(Failure::BadRequest(
                            "`dates` must name at least one day (YYYYMMDD)".into(),
                        ));
                    }
                    if set.len() as i64 > MAX_DAYS {
                        return Err(Failure::BadRequest(format!(
                            "one run covers at most {MAX_DAYS} days"
                        )));
                    }
                    let ds: Vec<Date> = set.into_iter().collect();
                    let routes = routes_on(tx, &ds)?;
                    (ds, false, None, routes)
                }
                Scope::Period {
                    start,
                    end,
                    intervals,
                } => {
                    let ds = days_between(*start, *end)?;
                    let routes = routes_on(tx, &ds)?;
                    (ds, *intervals, None, routes)
                }
                _ => {
                    let Scope::Routes(ids) = scope else {
                        unreachable!("matched above")
                    };
                    given_routes(tx, ids)?
                }
            };
            let mut tasks = Vec::new();
            let mut seen = HashSet::new();
            let on_routes: HashSet<String> = routes
                .iter()
                .filter_map(|r| str_field(r, "uid").map(String::from))
                .collect();
            let candidates = if only.is_some() {
                let mut ts = Vec::new();
                for uid in &on_routes {
                    ts.extend(tx.find(Collection::Tasks, &[IndexedCond::Route(uid.clone())])?);
                }
                ts
            } else {
                let days: Vec<i64> = dates.iter().map(|d| d.as_u32() as i64).collect();
                let mut ts = tx.find(Collection::Tasks, &[IndexedCond::OnDates(days)])?;
                if intervals {
                    ts.extend(
                        tx.find(Collection::Tasks, &[])?
                            .into_iter()
                            .filter(|t| t.get("frequency").is_some_and(|f| !f.is_null())),
                    );
                }
                ts
            };
            for t in candidates {
                if seen.insert(str_field(&t, "_id").unwrap_or_default().to_string()) {
                    tasks.push(t);
                }
            }
            Source {
                dates,
                drivers: tx.find(Collection::Drivers, &[])?,
                vehicles: keyed(tx.find(Collection::Vehicles, &[])?),
                depots,
                exceptions: tx.find(Collection::ScheduleExceptions, &[])?,
                routes,
                tasks,
                only,
                intervals,
                appliable: true,
            }
        }
    };
    Ok(assemble(src, goal))
}

fn routes_on(tx: &Tx<'_>, dates: &[Date]) -> Served<Vec<Value>> {
    let days: Vec<i64> = dates.iter().map(|d| d.as_u32() as i64).collect();
    Ok(tx.find(Collection::Routes, &[IndexedCond::OnDates(days)])?)
}

type RouteScope = (Vec<Date>, bool, Option<HashSet<(String, Date)>>, Vec<Value>);

fn given_routes(tx: &Tx<'_>, ids: &[String]) -> Served<RouteScope> {
    if ids.is_empty() {
        return Err(Failure::BadRequest(
            "`ids` must name at least one route (_id or uid)".into(),
        ));
    }
    let mut routes = Vec::new();
    let mut only = HashSet::new();
    let mut dates = BTreeSet::new();
    for id in ids {
        let r = tx
            .get(Collection::Routes, id)?
            .ok_or_else(|| Failure::NotFound(format!("no route with _id or uid {id:?}")))?;
        if is_locked(&r) {
            return Err(Failure::Conflict(format!(
                "route {} is locked; unlock it to re-optimize it",
                str_field(&r, "uid").unwrap_or(id)
            )));
        }
        let date = date_of(r.get("date")).ok_or_else(|| {
            Failure::Conflict(format!(
                "route {id} has no valid date; it cannot be planned"
            ))
        })?;
        let driver = r
            .pointer("/assignee/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        only.insert((driver, date));
        dates.insert(date);
        if !routes.iter().any(|x: &Value| x.get("_id") == r.get("_id")) {
            routes.push(r);
        }
    }
    Ok((dates.into_iter().collect(), false, Some(only), routes))
}

/// Where a location object points: its coordinates, else its depot's.
fn coords(depots: &HashMap<String, Coordinates>, loc: Option<&Value>) -> Option<Coordinates> {
    let loc = loc?;
    if let Some(c) = loc
        .get("coordinates")
        .and_then(|c| serde_json::from_value::<Coordinates>(c.clone()).ok())
    {
        return Some(c);
    }
    str_field(loc, "uid").and_then(|u| depots.get(u).copied())
}

struct Points {
    list: Vec<Coordinates>,
    index: HashMap<(u64, u64), usize>,
}

impl Points {
    fn at(&mut self, c: Coordinates) -> usize {
        let key = (c.lon().to_bits(), c.lat().to_bits());
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.list.push(c);
        self.index.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

fn minutes(v: &Value, k: &str) -> f64 {
    v.get(k).and_then(Value::as_f64).unwrap_or(0.0)
}

fn time_windows(v: Option<&Value>) -> Vec<TimeWindow> {
    v.and_then(|w| serde_json::from_value(w.clone()).ok())
        .unwrap_or_default()
}

/// Seconds of minute `m` on day `d` of a problem based on `base`.
fn at(base: Date, d: Date, m: f64) -> f64 {
    base.days_until(d) as f64 * DAY_SECONDS + m * 60.0
}

fn day_windows(base: Date, days: &[Date], ws: &[TimeWindow]) -> Vec<Window> {
    let mut out = Vec::new();
    for &d in days {
        if ws.is_empty() {
            out.push(Window::new(at(base, d, 0.0), at(base, d, 1440.0)));
        }
        for w in ws {
            out.push(Window::new(
                at(base, d, w.start as f64),
                at(base, d, w.end as f64),
            ));
        }
    }
    out
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(String::from))
        .collect()
}

/// Size per dimension: the task's `size`, else the sum of its items' sizes.
fn sizes(task: &Value) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(m)) = task.get("size") {
        for (k, v) in m {
            *out.entry(k.clone()).or_insert(0.0) += v.as_f64().unwrap_or(0.0);
        }
        return out;
    }
    for item in task
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(Value::Object(m)) = item.get("size") {
            for (k, v) in m {
                *out.entry(k.clone()).or_insert(0.0) += v.as_f64().unwrap_or(0.0);
            }
        }
    }
    out
}

fn exception_names(e: &Value, d: &Value) -> bool {
    let Some(r) = e.get("driver") else {
        return false;
    };
    ["id", "_id", "uid", "reference"].iter().any(|k| {
        str_field(r, k).is_some_and(|key| {
            ["_id", "uid", "reference"]
                .iter()
                .any(|dk| str_field(d, dk) == Some(key))
        })
    })
}

fn covers(e: &Value, day: Date) -> bool {
    let (Some(s), Some(t)) = (
        date_of(e.pointer("/dateRange/startDate")),
        date_of(e.pointer("/dateRange/endDate")),
    ) else {
        return false;
    };
    s <= day && day <= t
}

/// Which days a task may be done on, within the scope.
fn task_days(t: &Value, scope: &[Date]) -> Vec<Date> {
    let allowed = strings(t.get("allowedWeekDays"));
    if let (Some(s), Some(e)) = (
        date_of(t.pointer("/dateRange/startDate")),
        date_of(t.pointer("/dateRange/endDate")),
    ) {
        return scope
            .iter()
            .copied()
            .filter(|d| s <= *d && *d <= e)
            .filter(|d| allowed.is_empty() || allowed.iter().any(|a| a == d.weekday_name()))
            .collect();
    }
    match date_of(t.get("date")) {
        Some(d) if scope.contains(&d) => vec![d],
        _ => vec![],
    }
}

/// The days of each visit of an interval task: its period cut into `frequency` equal parts.
fn interval_visits(t: &Value, scope: &[Date]) -> Vec<Vec<Date>> {
    let n = t
        .get("frequency")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        .clamp(1, 10) as usize;
    let (Some(s), Some(e)) = (
        date_of(t.pointer("/frequencyDateRange/startDate")),
        date_of(t.pointer("/frequencyDateRange/endDate")),
    ) else {
        return vec![task_days(t, scope)];
    };
    let allowed = strings(t.get("allowedWeekDays"));
    let span = s.days_until(e) + 1;
    (0..n)
        .map(|k| {
            let from = s.add_days(span * k as i64 / n as i64);
            let to = s.add_days(span * (k as i64 + 1) / n as i64 - 1);
            scope
                .iter()
                .copied()
                .filter(|d| from <= *d && *d <= to)
                .filter(|d| allowed.is_empty() || allowed.iter().any(|a| a == d.weekday_name()))
                .collect()
        })
        .collect()
}

fn state_of(t: &Value) -> TaskState {
    TaskState(t.get("state").and_then(Value::as_i64).unwrap_or(0))
}

fn not_started(s: TaskState) -> bool {
    matches!(
        s,
        TaskState::CREATED | TaskState::SORTED | TaskState::LOADED
    )
}

/// The vehicle a driver gives on a day, or why none.
fn vehicle_for(
    src: &Source,
    pts: &mut Points,
    base: Date,
    d: &Value,
    day: Date,
    dims: &mut BTreeSet<String>,
) -> Result<OptVehicle, String> {
    let exception = src
        .exceptions
        .iter()
        .find(|e| exception_names(e, d) && covers(e, day));
    if exception.is_some_and(|e| e.get("dayOff").and_then(Value::as_bool) == Some(true)) {
        return Err("day off (schedule exception)".into());
    }
    let over = |k: &str| {
        exception
            .and_then(|e| e.get("overrides"))
            .and_then(|o| o.get(k))
    };
    let schedule: Option<DaySchedule> = match over("schedule") {
        Some(s) => serde_json::from_value(s.clone()).ok(),
        None => match d.get("schedule") {
            None | Some(Value::Null) => Some(DaySchedule {
                time_windows: Some(vec![TimeWindow::new(DEFAULT_DAY.0, DEFAULT_DAY.1)]),
                ..DaySchedule::default()
            }),
            Some(s) => s
                .get(day.weekday_name())
                .and_then(|x| serde_json::from_value(x.clone()).ok()),
        },
    };
    let mut windows = schedule
        .as_ref()
        .and_then(|s| s.time_windows.clone())
        .unwrap_or_default();
    if windows.is_empty() {
        return Err(format!("not scheduled on {}", day.weekday_name()));
    }
    windows.sort_by_key(|w| w.start);
    let first = windows[0].start as f64;
    let last = windows.iter().map(|w| w.end).max().unwrap_or(0) as f64;
    let tolerance = minutes(d, "overtimeTolerance").max(0.0);
    let shift = Window::new(at(base, day, first), at(base, day, last + tolerance));
    let start_loc = over("startLocation").or(d.get("startLocation"));
    let start = coords(&src.depots, start_loc).ok_or("no start location with coordinates")?;
    let end = coords(&src.depots, over("endLocation").or(d.get("endLocation")));
    let mut breaks = Vec::new();
    // Gaps between working windows are breaks at fixed times.
    for pair in windows.windows(2) {
        if pair[1].start > pair[0].end {
            let s = at(base, day, pair[0].end as f64);
            breaks.push(OptBreak {
                window: Window::new(s, s),
                duration: (pair[1].start - pair[0].end) as f64 * 60.0,
            });
        }
    }
    for b in schedule.iter().flat_map(|s| s.breaks.iter().flatten()) {
        let duration = b.duration.unwrap_or(0.0) * 60.0;
        if duration <= 0.0 {
            continue;
        }
        let window = match (&b.time_window, &b.offset) {
            (Some(w), _) => Window::new(at(base, day, w.start as f64), at(base, day, w.end as f64)),
            (None, Some(o)) => Window::new(
                shift.start + o.start as f64 * 60.0,
                shift.start + o.end as f64 * 60.0,
            ),
            (None, None) => continue,
        };
        breaks.push(OptBreak { window, duration });
    }
    let holder = vehicle_fields(src, d);
    if let Some(c) = capacity_of(src, d) {
        dims.extend(c.into_keys());
    }
    let skills: Vec<String> = strings(over("skills").or(d.get("skills")))
        .iter()
        .map(|s| skill_key(s))
        .chain(
            strings(holder.get("capabilities"))
                .iter()
                .map(|s| capability_key(s)),
        )
        .collect();
    let uid = str_field(d, "uid").unwrap_or_default().to_string();
    Ok(OptVehicle {
        id: format!("{uid}@{}", day.as_u32()),
        driver_id: str_field(d, "_id").unwrap_or_default().to_string(),
        driver_uid: uid,
        date: day,
        start: pts.at(start),
        end: end.map(|e| pts.at(e)),
        shift,
        flexible_start: false,
        // Filled per dimension once every dimension is known.
        capacity: vec![],
        skills,
        breaks,
        speed_factor: d
            .get("speedFactor")
            .and_then(Value::as_f64)
            .filter(|f| f.is_finite() && *f > 0.0)
            .unwrap_or(1.0),
        max_stops: d
            .get("routeStopLimit")
            .and_then(Value::as_u64)
            .map(|n| n as usize),
    })
}

fn stop_of(
    src: &Source,
    pts: &mut Points,
    holder: &Value,
    loc: Option<&Value>,
    windows: Vec<Window>,
) -> Option<OptStop> {
    let c = coords(&src.depots, loc)?;
    Some(OptStop {
        location: pts.at(c),
        duration: service_minutes(holder, loc.unwrap_or(&Value::Null)) * 60.0,
        windows,
    })
}

fn assemble(src: Source, goal: Goal) -> Built {
    let base = src.dates.first().copied().unwrap_or(Date::today());
    let mut pts = Points {
        list: Vec::new(),
        index: HashMap::new(),
    };
    let mut dims: BTreeSet<String> = BTreeSet::new();
    let mut fingerprint = Fingerprint::default();
    let mut task_labels = HashMap::new();
    // Routes: locked ones close their driver-day; the others may be rewritten.
    let mut locked_days: HashSet<(String, Date)> = HashSet::new();
    let mut scope_routes = Vec::new();
    let mut route_owner: HashMap<String, (String, Date)> = HashMap::new();
    for r in &src.routes {
        let id = str_field(r, "_id").unwrap_or_default().to_string();
        fingerprint.routes.insert(id.clone(), route_signature(r));
        let driver = r
            .pointer("/assignee/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(day) = date_of(r.get("date")) else {
            continue;
        };
        if is_locked(r) {
            locked_days.insert((driver, day));
        } else {
            scope_routes.push(id);
            if let Some(uid) = str_field(r, "uid") {
                route_owner.insert(uid.to_string(), (driver, day));
            }
        }
    }
    // Vehicles.
    let mut vehicles = Vec::new();
    let mut skipped = Vec::new();
    let mut drivers = HashMap::new();
    let mut setups = Vec::new();
    for day in &src.dates {
        for d in &src.drivers {
            let uid = str_field(d, "uid").unwrap_or_default().to_string();
            if let Some(only) = &src.only
                && !only.contains(&(uid.clone(), *day))
            {
                continue;
            }
            if locked_days.contains(&(uid.clone(), *day)) {
                skipped.push(SkippedDriver {
                    driver: uid,
                    date: *day,
                    reason: "route locked".into(),
                });
                continue;
            }
            match vehicle_for(&src, &mut pts, base, d, *day, &mut dims) {
                Ok(v) => {
                    drivers.insert(v.driver_id.clone(), d.clone());
                    setups.push(setup_of(&src, d, &v, base));
                    vehicles.push(v);
                }
                Err(reason) => skipped.push(SkippedDriver {
                    driver: uid,
                    date: *day,
                    reason,
                }),
            }
        }
    }
    let vehicle_of: HashMap<(String, Date), usize> = vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| ((v.driver_uid.clone(), v.date), i))
        .collect();
    let working_days: HashSet<Date> = vehicles.iter().map(|v| v.date).collect();
    // Tasks.
    let mut jobs = Vec::new();
    let mut left_out = Vec::new();
    let mut pinned: Vec<(usize, usize, Value)> = Vec::new(); // (vehicle, leg position, task)
    let routes_by_uid: HashMap<&str, &Value> = src
        .routes
        .iter()
        .filter_map(|r| str_field(r, "uid").map(|u| (u, r)))
        .collect();
    for t in &src.tasks {
        let id = str_field(t, "_id").unwrap_or_default().to_string();
        task_labels.insert(
            id.clone(),
            (
                str_field(t, "uid").unwrap_or_default().to_string(),
                str_field(t, "reference").unwrap_or_default().to_string(),
            ),
        );
        let state = state_of(t);
        let route_uid = t
            .pointer("/assignment/routeUID")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        if let Some(ru) = route_uid {
            let Some(route) = routes_by_uid.get(ru) else {
                // On a route outside the scope: not ours to move.
                continue;
            };
            if is_locked(route) {
                continue;
            }
            let task_locked =
                t.pointer("/assignment/locked").and_then(Value::as_bool) == Some(true);
            if !not_started(state) || task_locked {
                // Stays where it is; pinned on the driver's vehicle when there is one.
                if let Some(&v) = route_owner.get(ru).and_then(|k| vehicle_of.get(k)) {
                    let legs = route.get("legs").and_then(Value::as_array);
                    for (pos, leg) in legs.into_iter().flatten().enumerate() {
                        if leg_task_key(leg).as_deref() == Some(id.as_str())
                            || leg_task_key(leg).as_deref() == str_field(t, "uid")
                        {
                            pinned.push((v, pos, leg.clone()));
                        }
                    }
                    pinned_tasks_push(&mut fingerprint, t);
                }
                continue;
            }
        } else if !not_started(state) {
            continue;
        }
        fingerprint.tasks.insert(id.clone(), task_signature(t));
        let visits = if src.intervals && t.get("frequency").is_some_and(|f| !f.is_null()) {
            interval_visits(t, &src.dates)
        } else {
            vec![task_days(t, &src.dates)]
        };
        for (occurrence, days) in visits.into_iter().enumerate() {
            let key = if occurrence == 0 {
                id.clone()
            } else {
                format!("{id}#{}", occurrence + 1)
            };
            let days: Vec<Date> = days
                .into_iter()
                .filter(|d| working_days.contains(d))
                .collect();
            if days.is_empty() {
                left_out.push(LeftOut {
                    task: key,
                    reason: UnassignedReason::NoDriver,
                });
                continue;
            }
            let delivery = stop_of(
                &src,
                &mut pts,
                t,
                t.get("location"),
                day_windows(base, &days, &time_windows(t.get("timeWindows"))),
            );
            let pickup_seg = t.get("pickup").filter(|p| p.get("location").is_some());
            let pickup = pickup_seg.map(|p| {
                stop_of(
                    &src,
                    &mut pts,
                    p,
                    p.get("location"),
                    day_windows(base, &days, &time_windows(p.get("timeWindows"))),
                )
            });
            let (Some(delivery), Some(pickup)) =
                (delivery, pickup.map_or(Some(None), |p| p.map(Some)))
            else {
                left_out.push(LeftOut {
                    task: key,
                    reason: UnassignedReason::Unreachable,
                });
                continue;
            };
            let size = sizes(t);
            dims.extend(size.keys().cloned());
            let mut skills: Vec<String> = strings(t.get("skills"))
                .iter()
                .map(|s| skill_key(s))
                .collect();
            skills.extend(
                strings(t.get("capabilities"))
                    .iter()
                    .map(|s| capability_key(s)),
            );
            jobs.push((
                OptJob {
                    id: key,
                    origin: JobOrigin::Task {
                        id: id.clone(),
                        occurrence: occurrence as u32,
                    },
                    pickup,
                    delivery,
                    demand: vec![],
                    skills,
                    days: vec![],
                    pinned_to: None,
                },
                size,
                days,
            ));
        }
    }
    let dimensions: Vec<String> = dims.into_iter().collect();
    // Capacities per dimension, now that every dimension is known: a vehicle with a
    // capacity object lacks what it does not list; one without is unlimited.
    for v in vehicles.iter_mut() {
        v.capacity = match drivers.get(&v.driver_id).and_then(|d| capacity_of(&src, d)) {
            Some(c) => dimensions
                .iter()
                .map(|k| c.get(k).copied().unwrap_or(0.0))
                .collect(),
            None => vec![f64::INFINITY; dimensions.len()],
        };
    }
    let mut out_jobs: Vec<OptJob> = Vec::new();
    // Pinned stops first, per vehicle in route order: single stops without windows.
    pinned.sort_by_key(|(v, pos, _)| (*v, *pos));
    let by_id: HashMap<&str, &Value> = src
        .tasks
        .iter()
        .filter_map(|t| str_field(t, "_id").map(|i| (i, t)))
        .collect();
    for (v, _, leg) in pinned {
        let key = leg_task_key(&leg).unwrap_or_default();
        let Some(t) = by_id
            .get(key.as_str())
            .copied()
            .or_else(|| src.tasks.iter().find(|t| str_field(t, "uid") == Some(&key)))
        else {
            continue;
        };
        let segment = leg_segment(&leg);
        let (holder, loc) = match segment {
            Segment::Pickup => {
                let p = t.get("pickup").unwrap_or(&Value::Null);
                (p, p.get("location"))
            }
            Segment::Delivery => (t, t.get("location")),
        };
        let stop = stop_of(&src, &mut pts, holder, loc, vec![]).unwrap_or(OptStop {
            location: vehicles[v].start,
            duration: service_minutes(holder, &Value::Null) * 60.0,
            windows: vec![],
        });
        // Goods of an unfinished delivery are still on board.
        let carried = segment == Segment::Delivery
            && !state_of(t).is_final()
            && t.get("pickup").is_none_or(|p| p.get("location").is_none());
        let size = sizes(t);
        let id = str_field(t, "_id").unwrap_or_default().to_string();
        out_jobs.push(OptJob {
            id: format!("pin:{id}:{segment:?}"),
            origin: JobOrigin::Pinned { id, segment },
            pickup: None,
            delivery: stop,
            demand: dimensions
                .iter()
                .map(|k| {
                    if carried {
                        size.get(k).copied().unwrap_or(0.0)
                    } else {
                        0.0
                    }
                })
                .collect(),
            skills: vec![],
            days: vec![],
            pinned_to: Some(v),
        });
    }
    for (mut j, size, days) in jobs {
        j.demand = dimensions
            .iter()
            .map(|k| size.get(k).copied().unwrap_or(0.0))
            .collect();
        j.days = days;
        out_jobs.push(j);
    }
    Built {
        problem: OptProblem {
            base_date: base,
            points: pts.list,
            dimensions,
            vehicles,
            jobs: out_jobs,
            goal,
        },
        left_out,
        skipped_drivers: skipped,
        routes: scope_routes,
        task_labels,
        drivers,
        fingerprint,
        dates: src.dates.clone(),
        appliable: src.appliable,
        watch_new_routes: src.only.is_none(),
        setups,
    }
}

fn pinned_tasks_push(f: &mut Fingerprint, t: &Value) {
    if let Some(id) = str_field(t, "_id") {
        f.tasks.insert(id.to_string(), task_signature(t));
    }
}

/// Where a driver's vehicle fields are: the vehicle it names, else the driver itself (a
/// data-set driver may carry its vehicle's fields).
fn vehicle_fields<'a>(src: &'a Source, d: &'a Value) -> &'a Value {
    d.get("vehicle")
        .and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(_) => ["_id", "uid", "reference"]
                .iter()
                .find_map(|k| str_field(v, k).map(String::from)),
            _ => None,
        })
        .and_then(|k| src.vehicles.get(&k))
        .unwrap_or(d)
}

/// Capacity per size dimension of the driver's vehicle.
fn capacity_of(src: &Source, d: &Value) -> Option<HashMap<String, f64>> {
    vehicle_fields(src, d)
        .get("capacity")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                .collect()
        })
}
