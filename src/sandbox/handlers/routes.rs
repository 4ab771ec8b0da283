//! Routes: timing, assignment bookkeeping, and the clear / lock / unlock / set planned ETAs /
//! set order actions. Locked routes refuse clear and re-order until unlocked.

use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use crate::api::model::{Coordinates, Date, Minutes, SetOrderRequest, TaskState, TimeWindow};
use crate::api::paths::{self, Collection};

use super::bulk::{Bulk, ItemFailure};
use super::{AppState, Ctx, ids_action, must_get};
use crate::sandbox::body::JsonBody;
use crate::sandbox::documents::str_field;
use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::ids;
use crate::sandbox::optimize::Segment;
use crate::sandbox::routing::{PlannedBreak, StopInput, time_route_with_breaks};
use crate::sandbox::store::{IndexedCond, Tx};

/// Default route start when a driver has no schedule for the day: 08:00.
const DEFAULT_START: u32 = 480;

/// The task key a leg points at (`_id`, else uid).
pub fn leg_task_key(leg: &Value) -> Option<String> {
    let ti = leg.get("taskInfo")?;
    str_field(ti, "_id")
        .or(str_field(ti, "uid"))
        .map(String::from)
}

/// Coordinates of a location object: its own, else those of the depot or customer
/// location its uid names.
pub fn location_coords(tx: &Tx<'_>, loc: &Value) -> Served<Option<Coordinates>> {
    if let Some(c) = loc
        .get("coordinates")
        .and_then(|c| serde_json::from_value::<Coordinates>(c.clone()).ok())
    {
        return Ok(Some(c));
    }
    let Some(uid) = str_field(loc, "uid") else {
        return Ok(None);
    };
    if let Some(dep) = tx.get(Collection::Depots, uid)? {
        return Ok(dep
            .get("coordinates")
            .and_then(|c| serde_json::from_value(c.clone()).ok()));
    }
    Ok(None)
}

/// Which stop of its task a leg serves: `"segment": "pickup"`, else the delivery.
pub fn leg_segment(leg: &Value) -> Segment {
    match leg.get("segment").and_then(Value::as_str) {
        Some("pickup") => Segment::Pickup,
        _ => Segment::Delivery,
    }
}

/// Minutes on site for a stop: setup + service of the task (or its pickup segment) and of
/// the location; 5 minutes when none is given.
pub fn service_minutes(holder: &Value, loc: &Value) -> f64 {
    let minutes = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let service = minutes(holder, "setupDuration")
        + minutes(holder, "serviceDuration")
        + minutes(loc, "setupDuration")
        + minutes(loc, "serviceDuration");
    if service > 0.0 { service } else { 5.0 }
}

fn leg_stop(tx: &Tx<'_>, task: &Value, segment: Segment) -> Served<StopInput> {
    let null = Value::Null;
    let holder = match segment {
        Segment::Pickup => task.get("pickup").unwrap_or(&null),
        Segment::Delivery => task,
    };
    let loc = holder.get("location").unwrap_or(&null);
    let windows: Vec<TimeWindow> = holder
        .get("timeWindows")
        .and_then(|w| serde_json::from_value(w.clone()).ok())
        .unwrap_or_default();
    Ok(StopInput {
        coordinates: location_coords(tx, loc)?,
        time_windows: windows,
        service_minutes: service_minutes(holder, loc),
    })
}

fn planned_breaks(route: &Value) -> Vec<PlannedBreak> {
    route
        .get("breaks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|b| PlannedBreak {
            after_stops: b.get("afterStops").and_then(Value::as_u64).unwrap_or(0) as usize,
            earliest: b.get("earliest").and_then(Value::as_f64).unwrap_or(0.0),
            duration: b.get("duration").and_then(Value::as_f64).unwrap_or(0.0),
        })
        .collect()
}

/// Re-times a route from its legs, writes every task's assignment, and saves the route.
pub fn retime(ctx: &Ctx<'_, '_>, route: &mut Value) -> Served<()> {
    let legs: Vec<Value> = route
        .get("legs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut tasks = Vec::with_capacity(legs.len());
    for leg in &legs {
        let Some(key) = leg_task_key(leg) else {
            continue;
        };
        if let Some(t) = ctx.tx.get(Collection::Tasks, &key)? {
            tasks.push((leg.clone(), t));
        }
    }
    let stops = tasks
        .iter()
        .map(|(l, t)| leg_stop(ctx.tx, t, leg_segment(l)))
        .collect::<Served<Vec<_>>>()?;
    let null = Value::Null;
    let start = location_coords(ctx.tx, route.get("startLocation").unwrap_or(&null))?;
    let end = location_coords(ctx.tx, route.get("endLocation").unwrap_or(&null))?;
    let start_min = route
        .get("start")
        .and_then(Value::as_f64)
        .filter(|m| m.is_finite() && *m >= 0.0)
        .map(|m| m.round() as u32)
        .unwrap_or(DEFAULT_START);
    // A driver's speed factor (2.0 = twice as fast) scales every drive of the route.
    let mut model = ctx.travel;
    if let Some(f) = route
        .get("speedFactor")
        .and_then(Value::as_f64)
        .filter(|f| f.is_finite() && *f > 0.0)
    {
        model.speed_kmh *= f;
    }
    let times = time_route_with_breaks(
        &model,
        start,
        start_min,
        &stops,
        &planned_breaks(route),
        end,
    );
    let n = tasks.len();
    let route_uid = str_field(route, "uid").unwrap_or_default().to_string();
    let route_id = str_field(route, "_id").unwrap_or_default().to_string();
    let assignee = route.get("assignee").cloned().unwrap_or(Value::Null);
    let locked = route
        .get("locked")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut new_legs = Vec::with_capacity(n);
    // Pickup legs come before their delivery leg, which writes the task with both.
    let mut pickups: std::collections::HashMap<String, (usize, Minutes)> =
        std::collections::HashMap::new();
    for (i, ((leg, mut task), t)) in tasks.into_iter().zip(times.stops.iter()).enumerate() {
        let segment = leg_segment(&leg);
        let mut leg = leg.as_object().cloned().unwrap_or_default();
        let planned = leg.get("plannedEta").cloned();
        leg.insert("routeOrder".into(), json!(i + 1));
        leg.insert("loadingOrder".into(), json!(n - i));
        leg.insert(
            "taskInfo".into(),
            json!({
                "_id": task["_id"], "uid": task["uid"],
                "reference": task.get("reference"), "externalId": task.get("externalId"),
            }),
        );
        leg.insert("eta".into(), json!(t.eta));
        leg.insert("departure".into(), json!(t.departure));
        leg.insert("distance".into(), json!(t.distance_m.round()));
        leg.insert(
            "travelTime".into(),
            json!((t.travel_minutes * 10.0).round() / 10.0),
        );
        leg.insert(
            "waitTime".into(),
            json!((t.wait_minutes * 10.0).round() / 10.0),
        );
        leg.insert(
            "lateness".into(),
            json!((t.lateness_minutes * 10.0).round() / 10.0),
        );
        strip_nulls(&mut leg);
        let mut asg = Map::new();
        asg.insert("state".into(), json!(1));
        asg.insert("routeUID".into(), json!(route_uid));
        asg.insert("routeId".into(), json!(route_id));
        asg.insert("routeOrder".into(), json!(i + 1));
        asg.insert("loadingOrder".into(), json!(n - i));
        asg.insert("eta".into(), json!(t.eta));
        if let Some(p) = planned.filter(|p| !p.is_null()) {
            asg.insert("plannedEta".into(), p);
        }
        asg.insert("assignee".into(), assignee.clone());
        asg.insert("locked".into(), json!(locked));
        let task_id = str_field(&task, "_id").unwrap_or_default().to_string();
        new_legs.push(Value::Object(leg));
        if segment == Segment::Pickup {
            pickups.insert(task_id, (i + 1, t.eta));
            continue;
        }
        if let Some((order, eta)) = pickups.get(&task_id) {
            asg.insert("pickupRouteOrder".into(), json!(order));
            asg.insert("pickupEta".into(), json!(eta));
        }
        task["assignment"] = Value::Object(asg);
        ctx.tx.replace(Collection::Tasks, &task)?;
    }
    route["legs"] = Value::Array(new_legs);
    route["end"] = json!(times.end);
    route["distance"] = json!(times.distance_m.round());
    route["duration"] = json!(times.end.saturating_sub(start_min));
    ctx.tx.replace(Collection::Routes, route)?;
    Ok(())
}

fn strip_nulls(m: &mut Map<String, Value>) {
    m.retain(|_, v| !v.is_null());
    if let Some(Value::Object(ti)) = m.get_mut("taskInfo") {
        ti.retain(|_, v| !v.is_null());
    }
}

/// Takes a task off its route (re-timing the route); the caller saves the task.
pub fn unassign(ctx: &Ctx<'_, '_>, task: &mut Value) -> Served<()> {
    let route_uid = task
        .get("assignment")
        .and_then(|a| str_field(a, "routeUID"))
        .map(String::from);
    if let Some(ru) = route_uid
        && let Some(mut route) = ctx.tx.get(Collection::Routes, &ru)?
    {
        let id = str_field(task, "_id").unwrap_or_default().to_string();
        let uid = str_field(task, "uid").unwrap_or_default().to_string();
        if let Some(Value::Array(legs)) = route.get_mut("legs") {
            legs.retain(|l| {
                let k = leg_task_key(l).unwrap_or_default();
                k != id && k != uid
            });
        }
        // The task is still stored with its old assignment; mark it first so that
        // re-timing the route does not write it back.
        let mut detached = task.clone();
        detached["assignment"] = json!({"state": 0});
        ctx.tx.replace(Collection::Tasks, &detached)?;
        retime(ctx, &mut route)?;
    }
    task["assignment"] = json!({"state": 0});
    Ok(())
}

/// The route of `driver` on `date`, created (empty) when there is none.
pub fn ensure_route(ctx: &Ctx<'_, '_>, driver: &Value, date: Date) -> Served<Value> {
    let uid = str_field(driver, "uid").unwrap_or_default().to_string();
    let existing = ctx.tx.find(
        Collection::Routes,
        &[
            IndexedCond::Owner(uid.clone()),
            IndexedCond::OnDates(vec![date.as_u32() as i64]),
        ],
    )?;
    if let Some(r) = existing.into_iter().next() {
        return Ok(r);
    }
    let day = date.weekday_name();
    let start = driver
        .pointer(&format!("/schedule/{day}/timeWindows/0/start"))
        .and_then(Value::as_u64)
        .map(|m| m as u32)
        .unwrap_or(DEFAULT_START);
    let vehicle = match driver.get("vehicle") {
        Some(Value::String(v)) => match ctx.tx.get(Collection::Vehicles, v)? {
            Some(veh) => json!({"_id": veh["_id"], "uid": veh["uid"], "name": veh.get("name")}),
            None => json!({"uid": v}),
        },
        Some(v @ Value::Object(_)) => v.clone(),
        _ => Value::Null,
    };
    let mut route = json!({
        "_id": ids::new_object_id(),
        "uid": ids::new_uid(Collection::Routes),
        "organization": crate::sandbox::documents::SANDBOX_ORG,
        "date": date.as_u32(),
        "assignee": {
            "_id": driver["_id"], "uid": uid,
            "info": {
                "firstName": driver.get("firstName"), "lastName": driver.get("lastName"),
                "phone": driver.get("phone"), "skills": driver.get("skills"),
            }
        },
        "locked": false,
        "start": start,
        "legs": [],
    });
    for (k, src) in [
        ("vehicle", Some(vehicle)),
        ("startLocation", driver.get("startLocation").cloned()),
        ("endLocation", driver.get("endLocation").cloned()),
    ] {
        if let Some(v) = src.filter(|v| !v.is_null()) {
            route[k] = v;
        }
    }
    ctx.tx.insert(Collection::Routes, &route)?;
    Ok(route)
}

/// Appends a stored task to a route as its last stop (the caller re-times).
pub fn push_leg(route: &mut Value, task: &Value) {
    let leg = json!({"taskInfo": {"_id": task["_id"], "uid": task["uid"]}});
    match route.get_mut("legs") {
        Some(Value::Array(legs)) => legs.push(leg),
        _ => route["legs"] = json!([leg]),
    }
}

/// Update rules of a route (`PUT`/`updateMany`): lock state flows to its tasks.
pub fn apply_update(ctx: &Ctx<'_, '_>, mut new: Value) -> Result<Value, ItemFailure> {
    retime(ctx, &mut new)?;
    Ok(new)
}

/// A route is deleted only unlocked; its tasks become unassigned.
pub fn before_delete(ctx: &Ctx<'_, '_>, route: &Value) -> Result<(), ItemFailure> {
    if route
        .get("locked")
        .and_then(Value::as_bool)
        .unwrap_or(false)
    {
        return Err(ItemFailure::Refused(format!(
            "route {} is locked; unlock it first",
            str_field(route, "uid").unwrap_or_default()
        )));
    }
    for leg in route
        .get("legs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(k) = leg_task_key(leg)
            && let Some(mut t) = ctx.tx.get(Collection::Tasks, &k)?
        {
            t["assignment"] = json!({"state": 0});
            ctx.tx.replace(Collection::Tasks, &t)?;
        }
    }
    Ok(())
}

fn locked_refusal(route: &Value, what: &str) -> Option<ItemFailure> {
    route
        .get("locked")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        .then(|| {
            ItemFailure::Refused(format!(
                "route {} is locked; unlock it before you {what} it",
                str_field(route, "uid").unwrap_or_default()
            ))
        })
}

/// Runs `f` on each route named in `ids`, collecting per-item results.
fn each_route(
    ctx: &Ctx<'_, '_>,
    ids: &[String],
    mut f: impl FnMut(&mut Value) -> Result<(), ItemFailure>,
) -> Served<Bulk> {
    let mut out = Bulk::new(true);
    for (i, key) in ids.iter().enumerate() {
        let item = json!({ "_id": key });
        let res = match ctx.tx.get(Collection::Routes, key)? {
            None => Err(ItemFailure::Refused(format!(
                "no route with _id or uid {key:?}"
            ))),
            Some(mut r) => f(&mut r).map(|()| r),
        };
        match res {
            Ok(r) => out.ok(r),
            Err(e) => out.fail(i, &item, e)?,
        }
    }
    Ok(out)
}

fn is_started(state: i64) -> bool {
    !matches!(
        TaskState(state),
        TaskState::CREATED | TaskState::SORTED | TaskState::LOADED
    )
}

/// `clear`: takes every not-yet-started task off the route; started and finished stops stay.
pub fn clear(ctx: &Ctx<'_, '_>, ids: &[String]) -> Served<Bulk> {
    each_route(ctx, ids, |route| {
        if let Some(f) = locked_refusal(route, "clear") {
            return Err(f);
        }
        let legs = route
            .get("legs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut keep = Vec::new();
        for leg in legs {
            let Some(k) = leg_task_key(&leg) else {
                continue;
            };
            match ctx.tx.get(Collection::Tasks, &k)? {
                Some(t) if is_started(t.get("state").and_then(Value::as_i64).unwrap_or(0)) => {
                    keep.push(leg)
                }
                Some(mut t) => {
                    t["assignment"] = json!({"state": 0});
                    ctx.tx.replace(Collection::Tasks, &t)?;
                }
                None => {}
            }
        }
        route["legs"] = Value::Array(keep);
        retime(ctx, route)?;
        Ok(())
    })
}

/// `lock` / `unlock`.
pub fn set_locked(ctx: &Ctx<'_, '_>, ids: &[String], locked: bool) -> Served<Bulk> {
    each_route(ctx, ids, |route| {
        route["locked"] = json!(locked);
        retime(ctx, route)?;
        Ok(())
    })
}

/// `setPlannedETAs`: re-times the route and stores each ETA as the planned one.
pub fn set_planned_etas(ctx: &Ctx<'_, '_>, ids: &[String]) -> Served<Bulk> {
    each_route(ctx, ids, |route| {
        retime(ctx, route)?;
        if let Some(Value::Array(legs)) = route.get_mut("legs") {
            for leg in legs.iter_mut() {
                leg["plannedEta"] = leg["eta"].clone();
            }
        }
        route["plannedEtasSetAt"] = json!(ctx.now);
        retime(ctx, route)?;
        Ok(())
    })
}

/// `setOrder`: the route's tasks in a new order; every task of the route, once.
pub fn set_order(ctx: &Ctx<'_, '_>, req: &SetOrderRequest) -> Served<Value> {
    let mut route = must_get(ctx.tx, Collection::Routes, &req.route)?;
    if let Some(ItemFailure::Refused(m)) = locked_refusal(&route, "re-order") {
        return Err(Failure::Conflict(m));
    }
    let original = route
        .get("legs")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let legs = original.clone();
    // Resolve every given key to the leg it names, by _id or uid.
    let mut remaining: Vec<(Value, String, String)> = Vec::new();
    for leg in legs {
        let ti = leg.get("taskInfo").cloned().unwrap_or(Value::Null);
        let id = str_field(&ti, "_id").unwrap_or_default().to_string();
        let uid = str_field(&ti, "uid").unwrap_or_default().to_string();
        remaining.push((leg, id, uid));
    }
    let n = remaining.len();
    let mut ordered = Vec::with_capacity(n);
    for key in &req.tasks {
        match remaining
            .iter()
            .position(|(_, id, uid)| id == key || uid == key)
        {
            Some(p) => ordered.push(remaining.remove(p).0),
            None => {
                return Err(Failure::Invalid {
                    message: format!(
                        "task {key:?} is not on route {} (or is listed twice)",
                        str_field(&route, "uid").unwrap_or_default()
                    ),
                    errors: vec![],
                });
            }
        }
    }
    if !remaining.is_empty() {
        let missing: Vec<String> = remaining
            .iter()
            .map(|(_, id, uid)| {
                if uid.is_empty() {
                    id.clone()
                } else {
                    uid.clone()
                }
            })
            .collect();
        return Err(Failure::Invalid {
            message: format!(
                "the new order must list every task of the route; missing: {}",
                missing.join(", ")
            ),
            errors: vec![],
        });
    }
    kept_in_place(ctx, &original, &ordered)?;
    route["legs"] = Value::Array(ordered);
    retime(ctx, &mut route)?;
    Ok(route)
}

/// Refuses (409) a new order that moves a leg the driver has started or finished: that stop
/// keeps its place, so that what already happened is not re-timed.
fn kept_in_place(ctx: &Ctx<'_, '_>, original: &[Value], ordered: &[Value]) -> Served<()> {
    let same = |a: &Value, b: &Value| {
        leg_task_key(a) == leg_task_key(b) && a.get("segment") == b.get("segment")
    };
    for (old, new) in original.iter().zip(ordered) {
        let Some(key) = leg_task_key(old) else {
            continue;
        };
        let Some(task) = ctx.tx.get(Collection::Tasks, &key)? else {
            continue;
        };
        let state = TaskState(task.get("state").and_then(Value::as_i64).unwrap_or(0));
        let pickup = str_field(old, "segment") == Some("pickup");
        if state.leg_started(pickup) && !same(old, new) {
            let name = str_field(&task, "reference")
                .or(str_field(&task, "uid"))
                .unwrap_or(&key);
            return Err(Failure::Conflict(format!(
                "{name} is {} and keeps its place on the route",
                state.label().to_lowercase()
            )));
        }
    }
    Ok(())
}

/// Routes of the route actions.
pub fn router(state: AppState) -> Router {
    let s = state.clone();
    Router::new()
        .route(
            paths::ROUTES_CLEAR,
            ids_action(&state, |c, r| clear(c, &r.ids)),
        )
        .route(
            paths::ROUTES_LOCK,
            ids_action(&state, |c, r| set_locked(c, &r.ids, true)),
        )
        .route(
            paths::ROUTES_UNLOCK,
            ids_action(&state, |c, r| set_locked(c, &r.ids, false)),
        )
        .route(
            paths::ROUTES_SET_PLANNED_ETAS,
            ids_action(&state, |c, r| set_planned_etas(c, &r.ids)),
        )
        .route(
            paths::ROUTES_SET_ORDER,
            post(move |JsonBody(req): JsonBody<SetOrderRequest>| {
                let s = s.clone();
                async move { s.write(move |ctx| set_order(ctx, &req)).await.map(Json) }
            }),
        )
}
