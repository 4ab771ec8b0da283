//! The result of a job as the API shows it: routes with stops and times, unassigned tasks
//! with reasons, and totals. Times are minutes from midnight of each route's day.

use serde_json::{Value, json};

use super::problem::Built;
use super::{ActivityKind, JobOrigin, OptSolution, Segment, TravelMatrix, travel_seconds};

fn task_ref(built: &Built, id: &str) -> Value {
    let base = id.split('#').next().unwrap_or(id);
    let (uid, reference) = built.task_labels.get(base).cloned().unwrap_or_default();
    let mut v = json!({"_id": base, "uid": uid, "reference": reference});
    if let Some(n) = id.split('#').nth(1) {
        v["visit"] = json!(n.parse::<u32>().unwrap_or(1));
    }
    v
}

fn minute(seconds: f64, offset: f64) -> i64 {
    ((seconds - offset) / 60.0).round() as i64
}

/// The result JSON of `solution`.
pub fn render(
    built: &Built,
    matrix: &dyn TravelMatrix,
    solution: &OptSolution,
    source: &str,
) -> Value {
    let problem = &built.problem;
    let mut routes = Vec::new();
    let (mut total_distance, mut total_duration, mut total_driving, mut total_stops) =
        (0.0, 0.0, 0.0, 0usize);
    for r in &solution.routes {
        let v = &problem.vehicles[r.vehicle];
        let offset = built.base_date_offset(v.date);
        let driver = built.drivers.get(&v.driver_id);
        let name = driver
            .map(|d| {
                format!(
                    "{} {}",
                    d.get("firstName").and_then(Value::as_str).unwrap_or(""),
                    d.get("lastName").and_then(Value::as_str).unwrap_or("")
                )
                .trim()
                .to_string()
            })
            .unwrap_or_default();
        let (mut here, mut distance, mut driving) = (v.start, 0.0, 0.0);
        let mut stops = Vec::new();
        let mut breaks = Vec::new();
        for a in &r.activities {
            match a.kind {
                ActivityKind::Break { index } => breaks.push(json!({
                    "start": minute(a.arrival.max(v.breaks[index].window.start), offset),
                    "duration": v.breaks[index].duration / 60.0,
                })),
                ActivityKind::Job { job, segment } => {
                    let j = &problem.jobs[job];
                    let loc = match segment {
                        Segment::Pickup => j
                            .pickup
                            .as_ref()
                            .map_or(j.delivery.location, |p| p.location),
                        Segment::Delivery => j.delivery.location,
                    };
                    distance += matrix.distance_m(here, loc);
                    driving += travel_seconds(matrix, v, here, loc);
                    here = loc;
                    let (task, pinned) = match &j.origin {
                        JobOrigin::Task { .. } => (task_ref(built, &j.id), false),
                        JobOrigin::Pinned { id, .. } => (task_ref(built, id), true),
                    };
                    stops.push(json!({
                        "task": task,
                        "segment": segment,
                        "eta": minute(a.arrival, offset),
                        "departure": minute(a.departure, offset),
                        "pinned": pinned,
                    }));
                }
            }
        }
        let mut end = r.activities.last().map_or(r.departure, |a| a.departure);
        if let Some(e) = v.end {
            distance += matrix.distance_m(here, e);
            let back = travel_seconds(matrix, v, here, e);
            driving += back;
            end += back;
        }
        let duration = end - r.departure;
        total_distance += distance;
        total_duration += duration;
        total_driving += driving;
        total_stops += stops.len();
        routes.push(json!({
            "driver": {"_id": v.driver_id, "uid": v.driver_uid, "name": name},
            "date": v.date,
            "start": minute(r.departure, offset),
            "end": minute(end, offset),
            "distance": distance.round(),
            "duration": (duration / 60.0).round(),
            "drivingTime": (driving / 60.0).round(),
            "stops": stops,
            "breaks": breaks,
        }));
    }
    let mut unassigned: Vec<Value> = solution
        .unassigned
        .iter()
        .map(|u| {
            let j = &problem.jobs[u.job];
            json!({"task": task_ref(built, &j.id), "reason": u.reason, "message": u.reason.describe()})
        })
        .collect();
    unassigned.extend(built.left_out.iter().map(|l| {
        json!({"task": task_ref(built, &l.task), "reason": l.reason, "message": l.reason.describe()})
    }));
    let skipped: Vec<Value> = built
        .skipped_drivers
        .iter()
        .map(|s| json!({"driver": s.driver, "date": s.date, "reason": s.reason}))
        .collect();
    let tasks = problem
        .jobs
        .iter()
        .filter(|j| matches!(j.origin, JobOrigin::Task { .. }))
        .count()
        + built.left_out.len();
    json!({
        "routes": routes,
        "unassigned": unassigned,
        "skippedDrivers": skipped,
        "totals": {
            "routes": solution.routes.len(),
            "stops": total_stops,
            "tasks": tasks,
            "assigned": tasks - unassigned.len(),
            "unassigned": unassigned.len(),
            "distance": total_distance.round(),
            "duration": (total_duration / 60.0).round(),
            "drivingTime": (total_driving / 60.0).round(),
        },
        "matrix": source,
    })
}
