//! Writing a checked plan into routes and tasks, in one transaction: ordered stops, breaks,
//! and ETAs through the same `retime` every other route change uses. A plan is refused when
//! what it was built on has changed since (a route locked, a task moved or started).

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::problem::{Built, route_signature, task_signature};
use super::{ActivityKind, DAY_SECONDS, JobOrigin, OptRoute, OptSolution, Segment};
use crate::api::paths::Collection;
use crate::sandbox::documents::{SANDBOX_ORG, str_field};
use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::handlers::Ctx;
use crate::sandbox::handlers::routes::{ensure_route, leg_task_key, retime};
use crate::sandbox::ids;
use crate::sandbox::store::IndexedCond;

/// Refuses with 409 when a route or task the plan depends on has changed.
fn ensure_unchanged(ctx: &Ctx<'_, '_>, built: &Built) -> Served<()> {
    let stale = |what: String| {
        Failure::Conflict(format!(
            "{what} since the optimization started; run the optimization again"
        ))
    };
    for (id, sig) in &built.fingerprint.routes {
        let Some(r) = ctx.tx.get(Collection::Routes, id)? else {
            return Err(stale(format!("route {id} was deleted")));
        };
        if &route_signature(&r) != sig {
            let uid = str_field(&r, "uid").unwrap_or(id);
            let locked_now = r.get("locked").and_then(Value::as_bool) == Some(true);
            return Err(stale(if locked_now && !sig.starts_with("locked=true") {
                format!("route {uid} was locked")
            } else {
                format!("route {uid} changed")
            }));
        }
    }
    if built.watch_new_routes {
        let days: Vec<i64> = built.dates.iter().map(|d| d.as_u32() as i64).collect();
        for r in ctx
            .tx
            .find(Collection::Routes, &[IndexedCond::OnDates(days)])?
        {
            let id = str_field(&r, "_id").unwrap_or_default();
            if !built.fingerprint.routes.contains_key(id) {
                return Err(stale(format!(
                    "route {} was created",
                    str_field(&r, "uid").unwrap_or(id)
                )));
            }
        }
    }
    for (id, sig) in &built.fingerprint.tasks {
        let Some(t) = ctx.tx.get(Collection::Tasks, id)? else {
            return Err(stale(format!("task {id} was deleted")));
        };
        if &task_signature(&t) != sig {
            return Err(stale(format!(
                "task {} changed (state, route or date)",
                str_field(&t, "uid").unwrap_or(id)
            )));
        }
    }
    Ok(())
}

/// A new stored task for an extra visit of an interval task.
fn visit_copy(original: &Value, occurrence: u32, date: u32, now: i64) -> Value {
    let mut t = original.clone();
    if let Some(o) = t.as_object_mut() {
        for k in [
            "frequency",
            "frequencyDateRange",
            "dateRange",
            "stateTimestamps",
        ] {
            o.remove(k);
        }
    }
    let reference = str_field(original, "reference").unwrap_or_default();
    t["_id"] = json!(ids::new_object_id());
    t["uid"] = json!(ids::new_uid(Collection::Tasks));
    t["organization"] = json!(SANDBOX_ORG);
    t["reference"] = json!(format!("{reference}#{}", occurrence + 1));
    t["date"] = json!(date);
    t["intervalOf"] = json!({"_id": original["_id"], "uid": original["uid"], "reference": original.get("reference")});
    t["assignment"] = json!({"state": 0});
    t["stateTimestamps"] =
        json!({"created": now, "createdISO": crate::sandbox::documents::iso(now)});
    t
}

/// What an application changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// uids of the routes written.
    pub routes: Vec<String>,
    /// Stops placed (task visits).
    pub assigned: usize,
    /// Tasks of the plan left unassigned.
    pub unassigned: usize,
    /// uids of tasks created for extra visits of interval tasks.
    pub created: Vec<String>,
}

/// Writes `solution` of `built` into the store.
pub fn apply(ctx: &Ctx<'_, '_>, built: &Built, solution: &OptSolution) -> Served<Applied> {
    if !built.appliable {
        return Err(Failure::Conflict(
            "a data-set optimization is never written to the store; read its result instead".into(),
        ));
    }
    ensure_unchanged(ctx, built)?;
    let problem = &built.problem;
    // Every task the plan moves starts off its route; the routes below take them back.
    let mut moved: HashSet<String> = HashSet::new();
    for j in &problem.jobs {
        if let JobOrigin::Task { id, occurrence: 0 } = &j.origin
            && let Some(mut t) = ctx.tx.get(Collection::Tasks, id)?
        {
            t["assignment"] = json!({"state": 0});
            ctx.tx.replace(Collection::Tasks, &t)?;
            moved.insert(id.clone());
            if let Some(uid) = str_field(&t, "uid") {
                moved.insert(uid.to_string());
            }
        }
    }
    let mut created = Vec::new();
    let mut assigned = 0;
    let mut written: HashSet<String> = HashSet::new();
    let mut copies: HashMap<String, Value> = HashMap::new();
    let mut route_uids = Vec::new();
    for r in &solution.routes {
        let v = &problem.vehicles[r.vehicle];
        let Some(driver) = built.drivers.get(&v.driver_id) else {
            continue;
        };
        let mut route = ensure_route(ctx, driver, v.date)?;
        let mut legs: Vec<Value> = legs_without(&route, &moved);
        let day_start = v.date.as_u32();
        let day_offset = built.base_date_offset(v.date);
        let mut breaks = Vec::new();
        let mut stops_before = 0usize;
        for a in &r.activities {
            match a.kind {
                ActivityKind::Break { index } => {
                    let b = &v.breaks[index];
                    breaks.push(json!({
                        "afterStops": stops_before,
                        "earliest": ((b.window.start - day_offset) / 60.0).round(),
                        "duration": b.duration / 60.0,
                    }));
                }
                ActivityKind::Job { job, segment } => {
                    stops_before += 1;
                    let j = &problem.jobs[job];
                    let JobOrigin::Task { id, occurrence } = &j.origin else {
                        // Pinned stops are the route's own legs, already in place.
                        continue;
                    };
                    let Some(mut task) = ctx.tx.get(Collection::Tasks, id)? else {
                        continue;
                    };
                    if *occurrence > 0 {
                        // Both stops of a pair name the same copy.
                        let key = format!("{id}#{occurrence}");
                        match copies.get(&key) {
                            Some(copy) => task = copy.clone(),
                            None => {
                                let copy = visit_copy(&task, *occurrence, day_start, ctx.now);
                                ctx.tx.insert(Collection::Tasks, &copy)?;
                                created
                                    .push(str_field(&copy, "uid").unwrap_or_default().to_string());
                                copies.insert(key, copy.clone());
                                task = copy;
                            }
                        }
                    } else if task.get("date").and_then(Value::as_u64) != Some(day_start as u64) {
                        // A task planned from a date range (or an interval's first visit)
                        // now has its day.
                        task["date"] = json!(day_start);
                        ctx.tx.replace(Collection::Tasks, &task)?;
                    }
                    if segment == Segment::Delivery {
                        assigned += 1;
                    }
                    let mut leg = json!({"taskInfo": {"_id": task["_id"], "uid": task["uid"]}});
                    if segment == Segment::Pickup {
                        leg["segment"] = json!("pickup");
                    }
                    legs.push(leg);
                }
            }
        }
        if let (Some(o), Some(setup)) = (route.as_object_mut(), built.setups.get(r.vehicle)) {
            for (k, val) in setup.as_object().into_iter().flatten() {
                o.insert(k.clone(), val.clone());
            }
        }
        route["legs"] = Value::Array(legs);
        route["breaks"] = Value::Array(breaks);
        retime(ctx, &mut route)?;
        written.insert(str_field(&route, "_id").unwrap_or_default().to_string());
        route_uids.push(str_field(&route, "uid").unwrap_or_default().to_string());
    }
    // Routes of the scope that got no plan keep only their stops that stay.
    for id in &built.routes {
        if written.contains(id) {
            continue;
        }
        let Some(mut route) = ctx.tx.get(Collection::Routes, id)? else {
            continue;
        };
        let legs: Vec<Value> = legs_without(&route, &moved);
        route["legs"] = Value::Array(legs);
        route["breaks"] = json!([]);
        retime(ctx, &mut route)?;
        route_uids.push(str_field(&route, "uid").unwrap_or_default().to_string());
    }
    let placed: HashMap<usize, ()> = solution
        .routes
        .iter()
        .flat_map(OptRoute::jobs)
        .map(|job| (job, ()))
        .collect();
    let unassigned = problem
        .jobs
        .iter()
        .enumerate()
        .filter(|(i, j)| matches!(j.origin, JobOrigin::Task { .. }) && !placed.contains_key(i))
        .count()
        + built.left_out.len();
    Ok(Applied {
        routes: route_uids,
        assigned,
        unassigned,
        created,
    })
}

impl Built {
    /// Seconds from the problem's time 0 to midnight of `d`.
    pub fn base_date_offset(&self, d: crate::api::model::Date) -> f64 {
        self.problem.base_date.days_until(d) as f64 * DAY_SECONDS
    }
}

/// The route's legs except those of the tasks in `moved` (by `_id` or uid).
fn legs_without(route: &Value, moved: &HashSet<String>) -> Vec<Value> {
    route
        .get("legs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|l| !leg_task_key(l).is_some_and(|k| moved.contains(&k)))
        .cloned()
        .collect()
}
