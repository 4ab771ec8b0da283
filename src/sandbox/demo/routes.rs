//! Turning one driver's ordered stops into a timed route, and giving its tasks their
//! windows, assignment and state for the day's place in time.

use serde_json::{Map, Value};

use crate::api::model::{
    Assignee, Assignment, Date, Driver, EntityRef, Route, RouteLeg, Task, TaskState,
};
use crate::api::paths::Collection;
use crate::sandbox::routing::{RouteTimes, StopInput, TravelModel, time_route};

use super::clock::{NOW, unix};
use super::draw::Gen;
use super::exceptions::WorkingDay;
use super::fleet::{Fleet, depot_location, depot_point};
use super::lifecycle::{History, apply, created_at};
use super::tasks::{on_site_minutes, point};
use super::windows::{opens_later, too_early, windows};

/// Where a day lies relative to the demo's "now".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Every route has been driven.
    Past,
    /// Routes are under way at 10:00.
    Today,
    /// Routes are planned only.
    Future,
}

/// How to realise one route.
pub(super) struct RouteSpec<'a> {
    /// The route's day.
    pub date: Date,
    /// The demo's today.
    pub today: Date,
    /// The day's place in time.
    pub phase: Phase,
    /// The driver's working day.
    pub day: &'a WorkingDay,
    /// Lock the route.
    pub locked: bool,
    /// Give one stop a window that closes before the driver can get there.
    pub late_stop: bool,
    /// Give one stop a window that opens after the driver gets there.
    pub wait_stop: bool,
    /// (Future days) the warehouse has already sorted the goods.
    pub sorted: bool,
}

const FAIL_REASONS: &[&str] = &[
    "Customer not at home",
    "Address not found",
    "Refused by recipient",
    "No safe place to leave it",
];
const PICKUP_FAIL_REASONS: &[&str] = &["Parcel damaged at depot", "Item missing at pickup"];

/// Times `stops` (indexes into `tasks`) for the driver of `spec`, sets the stops' windows,
/// pickup depot, assignment and state, and returns the route document.
pub(super) fn realise(
    g: &mut Gen,
    fleet: &Fleet,
    spec: &RouteSpec,
    stops: &[usize],
    tasks: &mut [Task],
) -> Route {
    let depot = &fleet.depots[spec.day.depot];
    let depot_loc = depot_location(depot);
    for &t in stops {
        if let Some(pk) = tasks[t].pickup.as_mut() {
            pk.location = Some(depot_loc.clone());
        }
    }
    let times = plan_windows(g, spec, stops, tasks, depot_point(depot));
    let driver = &fleet.drivers[spec.day.driver];
    let vehicle = fleet.vehicle_of(spec.day.driver);
    let route_id = g.object_id();
    let route_uid = g.uid(Collection::Routes.uid_prefix());
    let who = assignee(driver, &spec.day.skills);
    let planned = spec.phase != Phase::Future;
    let n = stops.len();
    let mut legs = Vec::with_capacity(n);
    for (p, (&t, s)) in stops.iter().zip(&times.stops).enumerate() {
        let task = &mut tasks[t];
        let mut info_extra = Map::new();
        if let Some(x) = &task.external_id {
            info_extra.insert("externalId".into(), Value::from(x.clone()));
        }
        legs.push(RouteLeg {
            route_order: Some(p as i64 + 1),
            loading_order: Some((n - p) as i64),
            task_info: Some(EntityRef {
                id: task.id.clone(),
                uid: task.uid.clone(),
                reference: task.reference.clone(),
                extra: info_extra,
                ..EntityRef::default()
            }),
            eta: Some(s.eta),
            planned_eta: planned.then_some(s.eta),
            departure: Some(s.departure),
            distance: Some(s.distance_m.round()),
            travel_time: Some(tenth(s.travel_minutes)),
            wait_time: Some(tenth(s.wait_minutes)),
            lateness: Some(tenth(s.lateness_minutes)),
            ..RouteLeg::default()
        });
        task.assignment = Some(Assignment {
            state: Some(1),
            route_uid: Some(route_uid.clone()),
            route_id: Some(route_id.clone()),
            route_order: Some(p as i64 + 1),
            loading_order: Some((n - p) as i64),
            assignee: Some(who.clone()),
            eta: Some(s.eta),
            planned_eta: planned.then_some(s.eta),
            locked: spec.locked.then_some(true),
            ..Assignment::default()
        });
    }
    set_states(g, spec, stops, &times, tasks);
    Route {
        id: Some(route_id),
        uid: Some(route_uid),
        date: Some(spec.date),
        assignee: Some(who),
        vehicle: Some(EntityRef {
            id: vehicle.id.clone(),
            uid: vehicle.uid.clone(),
            name: vehicle.name.clone(),
            ..EntityRef::default()
        }),
        locked: Some(spec.locked),
        start_location: Some(depot_loc.clone()),
        end_location: Some(depot_loc),
        start: Some(spec.day.start),
        end: Some(times.end),
        legs: Some(legs),
        distance: Some(times.distance_m.round()),
        duration: Some(f64::from(times.end.saturating_sub(spec.day.start))),
        planned_etas_set_at: planned.then(|| unix(spec.date, i64::from(spec.day.start) - 90)),
        ..Route::default()
    }
}

/// The driver as routes and assignments show them, with the day's skills.
fn assignee(d: &Driver, skills: &[String]) -> Assignee {
    let mut info = Map::new();
    for (k, v) in [
        ("firstName", &d.first_name),
        ("lastName", &d.last_name),
        ("phone", &d.phone),
    ] {
        if let Some(v) = v {
            info.insert(k.into(), Value::from(v.clone()));
        }
    }
    info.insert("skills".into(), Value::from(skills.to_vec()));
    Assignee {
        id: d.id.clone(),
        uid: d.uid.clone(),
        info: Some(info),
        ..Assignee::default()
    }
}

fn tenth(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Chooses every stop's windows so the plan is feasible, except for the one late stop
/// (and one wait) that `spec` asks for, and returns the final timing.
fn plan_windows(
    g: &mut Gen,
    spec: &RouteSpec,
    stops: &[usize],
    tasks: &mut [Task],
    depot: crate::api::model::Coordinates,
) -> RouteTimes {
    let model = TravelModel::default();
    let time = |tasks: &[Task]| {
        let inputs: Vec<StopInput> = stops
            .iter()
            .map(|&t| StopInput {
                coordinates: Some(point(&tasks[t])),
                time_windows: tasks[t].time_windows.clone().unwrap_or_default(),
                service_minutes: on_site_minutes(&tasks[t]),
            })
            .collect();
        time_route(&model, Some(depot), spec.day.start, &inputs, Some(depot))
    };
    for &t in stops {
        tasks[t].time_windows = None;
    }
    let n = stops.len();
    let mut special = vec![false; n];
    if n >= 3 {
        let t0 = time(tasks);
        if spec.late_stop {
            let p = n * 2 / 3;
            tasks[stops[p]].time_windows = Some(too_early(g, t0.stops[p].eta));
            special[p] = true;
        }
        if spec.wait_stop {
            let p = n / 3;
            if !special[p] {
                tasks[stops[p]].time_windows = Some(opens_later(g, t0.stops[p].eta));
                special[p] = true;
            }
        }
    }
    // The other stops get windows around their arrival once the special ones are in place.
    let t1 = time(tasks);
    for p in 0..n {
        if !special[p] {
            let w = windows(g, Some(t1.stops[p].eta));
            tasks[stops[p]].time_windows = (!w.is_empty()).then_some(w);
        }
    }
    time(tasks)
}

/// Sets each stop's state and history from the route's timing and the day's phase.
fn set_states(
    g: &mut Gen,
    spec: &RouteSpec,
    stops: &[usize],
    times: &RouteTimes,
    tasks: &mut [Task],
) {
    let (date, start) = (spec.date, i64::from(spec.day.start));
    let mut prev_departure = start;
    let mut previous_done = true;
    for (&t, s) in stops.iter().zip(&times.stops) {
        let j = i64::from(g.int(0, 59));
        let (eta, dep) = (i64::from(s.eta), i64::from(s.departure));
        let has_pickup = tasks[t].pickup.is_some();
        let mut h = History::created(created_at(g, date, spec.today));
        let (state, reason) = match spec.phase {
            Phase::Future => {
                if spec.sorted {
                    h.then("sorted", unix(spec.today, i64::from(g.int(480, NOW - 10))));
                    (TaskState::SORTED, None)
                } else {
                    (TaskState::CREATED, None)
                }
            }
            Phase::Today if start > i64::from(NOW) => {
                before_start(g, &mut h, spec.today, start - i64::from(NOW), has_pickup)
            }
            Phase::Past | Phase::Today => {
                let now = if spec.phase == Phase::Past {
                    i64::MAX
                } else {
                    i64::from(NOW)
                };
                let fail_rate = 0.06;
                if dep <= now {
                    previous_done = true;
                    let r = g.real(0.0, 1.0);
                    if spec.phase == Phase::Past && has_pickup && r < 0.025 {
                        h.then("pickupEnRoute", unix(date, start - 35) + j)
                            .then("pickupFailed", unix(date, start - 15) + j);
                        (TaskState::PICKUP_FAILED, Some(*g.pick(PICKUP_FAIL_REASONS)))
                    } else {
                        if has_pickup {
                            h.picked_up(date, start, j);
                        }
                        h.then("enRoute", unix(date, prev_departure) + j)
                            .then("arrived", unix(date, eta) + j);
                        if r < 0.025 + fail_rate {
                            h.then("failed", unix(date, dep) + j);
                            (TaskState::FAILED, Some(*g.pick(FAIL_REASONS)))
                        } else {
                            h.then("completed", unix(date, dep) + j);
                            (TaskState::COMPLETED, None)
                        }
                    }
                } else {
                    if has_pickup {
                        h.picked_up(date, start, j);
                    }
                    let state = if eta <= now {
                        h.then("enRoute", unix(date, prev_departure) + j)
                            .then("arrived", unix(date, eta) + j);
                        TaskState::ARRIVED
                    } else if previous_done {
                        h.then("enRoute", unix(date, prev_departure) + j);
                        TaskState::EN_ROUTE
                    } else if has_pickup {
                        TaskState::PICKUP_DONE
                    } else {
                        TaskState::CREATED
                    };
                    previous_done = false;
                    (state, None)
                }
            }
        };
        prev_departure = dep;
        apply(&mut tasks[t], state, &h, reason);
    }
}

/// The state of a stop on a route that starts `lead` minutes after "now": the driver is
/// at the depot, on the way there, the goods are loaded, or nothing has happened yet.
fn before_start(
    g: &mut Gen,
    h: &mut History,
    today: Date,
    lead: i64,
    has_pickup: bool,
) -> (TaskState, Option<&'static str>) {
    let now = i64::from(NOW);
    let state = if !has_pickup {
        TaskState::CREATED
    } else if lead <= 20 {
        h.then("pickupEnRoute", unix(today, now - 30))
            .then("pickupArrived", unix(today, now - i64::from(g.int(2, 8))));
        TaskState::PICKUP_ARRIVED
    } else if lead <= 45 {
        h.then("pickupEnRoute", unix(today, now - i64::from(g.int(3, 12))));
        TaskState::PICKUP_EN_ROUTE
    } else if lead <= 150 {
        h.then("loaded", unix(today, now - i64::from(g.int(20, 60))));
        TaskState::LOADED
    } else {
        TaskState::CREATED
    };
    (state, None)
}
