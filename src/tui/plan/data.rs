//! The working date's plan as the planning views draw it: routes with their stops in order,
//! joined to the tasks (coordinates, time windows, service time) and the depots.

use std::collections::HashMap;

use serde_json::Value;

use crate::tui::value_fmt::reference_label;

use crate::api::model::{Coordinates, Depot, Location, Task, TaskState};

/// Service time when a task names none, as the sandbox's ETAs assume.
const DEFAULT_SERVICE_MIN: u32 = 5;

/// One stop of a route.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStop {
    /// Task reference, UID or id, for labels.
    pub label: String,
    /// `[lon, lat]` when the task has coordinates.
    pub pos: Option<(f64, f64)>,
    /// When service starts, minutes from midnight.
    pub eta: Option<u32>,
    /// Setup plus service, minutes.
    pub service: u32,
    /// The task's time windows (minutes).
    pub windows: Vec<(u32, u32)>,
    /// Whether the stop is served after its window.
    pub late: bool,
    /// The task's `_id` (else its UID), as the route's leg names it.
    pub task_id: Option<String>,
    /// Customer or location name.
    pub name: String,
    /// The task's state.
    pub state: Option<TaskState>,
    /// The planned arrival stored by "set planned ETAs", minutes from midnight.
    pub planned_eta: Option<u32>,
    /// Which leg of its task the stop is.
    pub leg: Leg,
}

/// Which leg of a task a stop serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Leg {
    /// A task with one stop.
    #[default]
    Only,
    /// The pickup of a pickup-and-delivery task.
    Pickup,
    /// The delivery of a pickup-and-delivery task.
    Delivery,
}

impl Leg {
    /// A short label; empty for a task with one stop.
    pub fn label(self) -> &'static str {
        match self {
            Leg::Only => "",
            Leg::Pickup => "pickup",
            Leg::Delivery => "delivery",
        }
    }
}

/// One route of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRoute {
    /// Route `_id` (or UID).
    pub id: String,
    /// Driver `_id`, used to pair a route with an optimized one.
    pub driver_id: Option<String>,
    /// Driver UID, for jumping to the driver.
    pub driver_uid: Option<String>,
    /// Driver name (or route UID).
    pub name: String,
    /// Route UID.
    pub uid: Option<String>,
    /// Vehicle name (or UID).
    pub vehicle: Option<String>,
    /// Whether the route is locked.
    pub locked: bool,
    /// Where the route starts.
    pub start_pos: Option<(f64, f64)>,
    /// Start and end minutes.
    pub start: Option<u32>,
    /// End minute.
    pub end: Option<u32>,
    /// Metres, as the server computed.
    pub distance_m: Option<f64>,
    /// Minutes, as the server computed.
    pub duration_min: Option<f64>,
    /// Stops in route order.
    pub stops: Vec<PlanStop>,
}

/// A depot on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDepot {
    /// Name or UID.
    pub name: String,
    /// `[lon, lat]`.
    pub pos: (f64, f64),
}

/// Everything the planning views draw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanData {
    /// Routes in list order.
    pub routes: Vec<PlanRoute>,
    /// Depots with coordinates.
    pub depots: Vec<PlanDepot>,
}

fn pos(c: &Option<Coordinates>) -> Option<(f64, f64)> {
    c.as_ref().map(|c| (c.lon(), c.lat()))
}

fn text(v: Option<&Value>, k: &str) -> Option<String> {
    v?.get(k)?.as_str().map(str::to_string)
}

fn num(v: Option<&Value>, k: &str) -> Option<f64> {
    v?.get(k)?.as_f64()
}

/// Whole minutes, never negative.
fn minute(m: f64) -> u32 {
    m.max(0.0).round() as u32
}

/// Whether service at `eta` starts after the end of every window (waiting for a later
/// window is not lateness).
fn past_windows(eta: Option<u32>, windows: &[(u32, u32)]) -> bool {
    eta.is_some_and(|eta| !windows.is_empty() && windows.iter().all(|(_, end)| eta > *end))
}

fn driver_name(r: &Value) -> String {
    let info = r.get("assignee").and_then(|a| a.get("info"));
    let name = format!(
        "{} {}",
        text(info, "firstName").unwrap_or_default(),
        text(info, "lastName").unwrap_or_default()
    )
    .trim()
    .to_string();
    if name.is_empty() {
        text(Some(r), "uid")
            .or(text(Some(r), "_id"))
            .unwrap_or_default()
    } else {
        name
    }
}

impl PlanData {
    /// Joins the raw lists; items that do not parse are left out.
    pub fn build(routes: &[Value], tasks: &[Value], depots: &[Value]) -> PlanData {
        let tasks: Vec<Task> = tasks
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        let mut by_key: HashMap<&str, &Task> = HashMap::new();
        for t in &tasks {
            for k in [&t.id, &t.uid].into_iter().flatten() {
                by_key.insert(k.as_str(), t);
            }
        }
        let depots: Vec<Depot> = depots
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect();
        let depot_pos: HashMap<&str, (f64, f64)> = depots
            .iter()
            .filter_map(|d| Some((d.uid.as_deref()?, pos(&d.coordinates)?)))
            .collect();
        let location_pos = |l: &Option<Location>| {
            let l = l.as_ref()?;
            pos(&l.coordinates).or_else(|| depot_pos.get(l.uid.as_deref()?).copied())
        };
        // Routes are read field by field, not as the typed model: a plan written by an
        // optimizer may carry minutes as floats (`480.0`), which the model refuses.
        let routes = routes
            .iter()
            .map(|r| {
                let stops = r
                    .get("legs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|leg| {
                        let info = leg.get("taskInfo");
                        let task = info
                            .and_then(|i| {
                                ["_id", "uid"]
                                    .iter()
                                    .filter_map(|k| i.get(*k).and_then(Value::as_str))
                                    .find_map(|k| by_key.get(k))
                            })
                            .copied();
                        let pickup = leg.get("segment").and_then(Value::as_str) == Some("pickup");
                        let (location, windows, setup, service) = match task {
                            Some(t) => match (&t.pickup, pickup) {
                                (Some(p), true) => (
                                    &p.location,
                                    &p.time_windows,
                                    p.setup_duration,
                                    p.service_duration,
                                ),
                                _ => (
                                    &t.location,
                                    &t.time_windows,
                                    t.setup_duration,
                                    t.service_duration,
                                ),
                            },
                            None => (&None, &None, None, None),
                        };
                        let name = task
                            .and_then(|t| {
                                t.customer
                                    .as_ref()
                                    .and_then(|c| c.name.clone())
                                    .or_else(|| {
                                        let l = location.as_ref()?;
                                        l.name.clone().or(l.address.clone())
                                    })
                            })
                            .unwrap_or_default();
                        let task_id = text(info, "_id")
                            .or(text(info, "uid"))
                            .or_else(|| task.and_then(|t| t.id.clone()));
                        let label = task
                            .and_then(|t| t.reference.clone().or(t.uid.clone()))
                            .or_else(|| text(info, "uid").or(text(info, "_id")))
                            .unwrap_or_default();
                        let service = match (setup, service) {
                            (None, None) => DEFAULT_SERVICE_MIN,
                            (a, b) => minute(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
                        };
                        let eta = num(Some(leg), "eta").map(minute);
                        let windows: Vec<(u32, u32)> =
                            windows.iter().flatten().map(|w| (w.start, w.end)).collect();
                        PlanStop {
                            label,
                            pos: location_pos(location),
                            eta,
                            service,
                            late: num(Some(leg), "lateness").is_some_and(|l| l > 0.0)
                                || past_windows(eta, &windows),
                            windows,
                            task_id,
                            name,
                            state: task.and_then(|t| t.state),
                            planned_eta: num(Some(leg), "plannedEta").map(minute),
                            leg: match task.map(|t| t.pickup.is_some()) {
                                Some(true) if pickup => Leg::Pickup,
                                Some(true) => Leg::Delivery,
                                _ => Leg::Only,
                            },
                        }
                    })
                    .collect();
                let start_location: Option<Location> = r
                    .get("startLocation")
                    .and_then(|l| serde_json::from_value(l.clone()).ok());
                let assignee = r.get("assignee");
                PlanRoute {
                    id: text(Some(r), "_id")
                        .or(text(Some(r), "uid"))
                        .unwrap_or_default(),
                    driver_id: text(assignee, "_id"),
                    driver_uid: text(assignee, "uid"),
                    name: driver_name(r),
                    uid: text(Some(r), "uid"),
                    vehicle: r.get("vehicle").and_then(reference_label),
                    locked: r.get("locked").and_then(Value::as_bool) == Some(true),
                    start_pos: location_pos(&start_location),
                    start: num(Some(r), "start").map(minute),
                    end: num(Some(r), "end").map(minute),
                    distance_m: num(Some(r), "distance"),
                    duration_min: num(Some(r), "duration"),
                    stops,
                }
            })
            .collect();
        PlanData {
            routes,
            depots: depots
                .iter()
                .filter_map(|d| {
                    Some(PlanDepot {
                        name: d.name.clone().or(d.uid.clone()).unwrap_or_default(),
                        pos: pos(&d.coordinates)?,
                    })
                })
                .collect(),
        }
    }

    /// Every point the map shows, for fitting.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.depots
            .iter()
            .map(|d| d.pos)
            .chain(self.routes.iter().flat_map(|r| {
                r.start_pos
                    .into_iter()
                    .chain(r.stops.iter().filter_map(|s| s.pos))
            }))
    }
}
