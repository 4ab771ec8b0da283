//! Our own checker of every solution, independent of the engine (whose bundled checker
//! rejects valid pickup-and-delivery solutions). It replays each route stop by stop with the
//! same travel seconds the engine was given and reports every broken rule.

use std::collections::HashMap;

use super::replay::{TIME_SLACK, replay};
use super::{ActivityKind, OptProblem, OptRoute, OptSolution, Segment, TravelMatrix};

/// Slack on loads, in size units.
const LOAD_SLACK: f64 = 1e-6;

/// Every rule `solution` breaks, one sentence each; empty when it is valid.
pub fn check(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    solution: &OptSolution,
) -> Vec<String> {
    let mut bad = Vec::new();
    let jobs = &problem.jobs;
    // (job, segment) -> (route index, position)
    let mut seen: HashMap<(usize, Segment), (usize, usize)> = HashMap::new();
    let mut used_vehicle = vec![false; problem.vehicles.len()];
    for (ri, route) in solution.routes.iter().enumerate() {
        if let Some(used) = used_vehicle.get_mut(route.vehicle)
            && std::mem::replace(used, true)
        {
            bad.push(format!(
                "vehicle {} has more than one route",
                problem.vehicles[route.vehicle].id
            ));
        }
        bad.extend(route_faults(problem, matrix, route));
        for (pos, a) in route.activities.iter().enumerate() {
            if let ActivityKind::Job { job, segment } = a.kind
                && let Some(j) = jobs.get(job)
                && seen.insert((job, segment), (ri, pos)).is_some()
            {
                bad.push(format!("job {} ({segment:?}) is served twice", j.id));
            }
        }
    }
    // Every job once: all its stops on one route, pickup first, or unassigned.
    let mut unassigned = vec![false; jobs.len()];
    for u in &solution.unassigned {
        match unassigned.get_mut(u.job) {
            Some(flag) => *flag = true,
            None => bad.push(format!("unassigned job {} does not exist", u.job)),
        }
    }
    for (ji, j) in jobs.iter().enumerate() {
        let d = seen.get(&(ji, Segment::Delivery));
        let p = seen.get(&(ji, Segment::Pickup));
        let served = d.is_some() || p.is_some();
        if served && unassigned[ji] {
            bad.push(format!("job {} is both served and unassigned", j.id));
        }
        if !served && !unassigned[ji] {
            bad.push(format!("job {} is neither served nor unassigned", j.id));
        }
        if j.pickup.is_some() && served {
            match (p, d) {
                (Some((rp, pp)), Some((rd, pd))) if rp == rd && pp < pd => {}
                (Some((rp, _)), Some((rd, _))) if rp != rd => bad.push(format!(
                    "job {}: pickup and delivery are on different routes",
                    j.id
                )),
                (Some(_), Some(_)) => {
                    bad.push(format!("job {}: delivery comes before pickup", j.id))
                }
                _ => bad.push(format!(
                    "job {}: only one of pickup and delivery is served",
                    j.id
                )),
            }
        }
        if !served && j.pickup.is_none() && p.is_some() {
            bad.push(format!("job {} has a pickup served but none defined", j.id));
        }
    }
    // Pinned stops stay first on their vehicle, in their order.
    for (vi, v) in problem.vehicles.iter().enumerate() {
        let pinned: Vec<usize> = jobs
            .iter()
            .enumerate()
            .filter(|(_, j)| j.pinned_to == Some(vi))
            .map(|(i, _)| i)
            .collect();
        if pinned.is_empty() {
            continue;
        }
        let head: Vec<usize> = solution
            .routes
            .iter()
            .find(|r| r.vehicle == vi)
            .map(|r| r.jobs().take(pinned.len()).collect())
            .unwrap_or_default();
        if head != pinned {
            bad.push(format!(
                "{}: stops that must stay in place were moved or dropped",
                v.id
            ));
        }
    }
    bad
}

/// Every rule one route breaks on its own (vehicle, working hours, windows, loads, skills,
/// days, stop limit, breaks), one sentence each; what needs the whole solution (each job
/// once, pairs on one route, pinned stops first) is [`check`]'s.
pub fn route_faults(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    route: &OptRoute,
) -> Vec<String> {
    let mut bad = Vec::new();
    let jobs = &problem.jobs;
    let Some(v) = problem.vehicles.get(route.vehicle) else {
        bad.push(format!(
            "a route names vehicle {} that does not exist",
            route.vehicle
        ));
        return bad;
    };
    let name = &v.id;
    if route.departure + TIME_SLACK < v.shift.start
        || (!v.flexible_start && route.departure > v.shift.start + TIME_SLACK)
    {
        bad.push(format!(
            "{name} leaves at {} s, outside its working start {} s",
            route.departure, v.shift.start
        ));
    }
    let timed = replay(problem, matrix, route);
    let dims = problem.dimensions.len();
    let mut load = vec![0.0; dims];
    let mut stops = 0usize;
    let mut taken_breaks = vec![0usize; v.breaks.len()];
    // Deliveries without a pickup are loaded at the start.
    for a in &route.activities {
        if let ActivityKind::Job {
            job,
            segment: Segment::Delivery,
        } = a.kind
            && let Some(j) = jobs.get(job)
            && j.pickup.is_none()
        {
            for (l, d) in load.iter_mut().zip(&j.demand) {
                *l += d;
            }
        }
    }
    let over = |load: &[f64]| {
        load.iter()
            .zip(&v.capacity)
            .enumerate()
            .find(|(_, (l, c))| **l > **c + LOAD_SLACK || **l < -LOAD_SLACK)
            .map(|(d, (l, c))| (problem.dimensions[d].clone(), *l, *c))
    };
    if let Some((dim, l, c)) = over(&load) {
        bad.push(format!("{name} starts with {l} {dim} loaded, capacity {c}"));
    }
    for (a, t) in route.activities.iter().zip(&timed.times) {
        match a.kind {
            ActivityKind::Break { index } => {
                let Some(b) = v.breaks.get(index) else {
                    bad.push(format!("{name} takes break {index} it does not have"));
                    continue;
                };
                taken_breaks[index] += 1;
                if !t.on_time {
                    bad.push(format!(
                        "{name} starts break {index} at {} s, after its window ends at {} s",
                        t.start, b.window.end
                    ));
                }
            }
            ActivityKind::Job { job, segment } => {
                let Some(j) = jobs.get(job) else {
                    bad.push(format!("{name} serves job {job} that does not exist"));
                    continue;
                };
                if segment == Segment::Pickup && j.pickup.is_none() {
                    bad.push(format!("job {} has no pickup but one is served", j.id));
                    continue;
                }
                stops += 1;
                if let Some(missing) = j.skills.iter().find(|s| !v.skills.contains(s)) {
                    bad.push(format!("{name} lacks {missing} needed by job {}", j.id));
                }
                if !j.days.is_empty() && !j.days.contains(&v.date) {
                    bad.push(format!(
                        "{name} serves job {} on a day it does not allow",
                        j.id
                    ));
                }
                if !t.on_time {
                    bad.push(format!(
                        "{name} reaches job {} ({segment:?}) at {} s, after every time window",
                        j.id, t.start
                    ));
                }
                let sign = match segment {
                    Segment::Pickup => 1.0,
                    Segment::Delivery => -1.0,
                };
                for (l, d) in load.iter_mut().zip(&j.demand) {
                    *l += sign * d;
                }
                if let Some((dim, l, c)) = over(&load) {
                    bad.push(format!(
                        "{name} carries {l} {dim} after job {} ({segment:?}), capacity {c}",
                        j.id
                    ));
                }
            }
        }
    }
    if timed.end > v.shift.end + TIME_SLACK {
        bad.push(format!(
            "{name} finishes at {} s, after its working hours end at {} s",
            timed.end, v.shift.end
        ));
    }
    if let Some(limit) = v.max_stops
        && stops > limit
    {
        bad.push(format!("{name} has {stops} stops, its limit is {limit}"));
    }
    for (i, b) in v.breaks.iter().enumerate() {
        match taken_breaks[i] {
            0 if timed.overlaps(route.departure, b.window) => bad.push(format!(
                "{name} skips break {i} although its route overlaps the break window"
            )),
            0 | 1 => {}
            n => bad.push(format!("{name} takes break {i} {n} times")),
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::{day, line, van};
    use crate::sandbox::optimize::{
        Goal, OptActivity, OptJob, OptProblem, OptRoute, OptStop, OptUnassigned, OptVehicle,
        UnassignedReason, Window,
    };

    fn stop(location: usize, windows: Vec<Window>) -> OptStop {
        OptStop {
            location,
            duration: 10.0,
            windows,
        }
    }

    /// Depot 0, points 1..=3 on a line 100 s apart; one van with capacity 5.
    fn problem() -> (OptProblem, EuclideanMatrix) {
        let (points, m) = line(4);
        let job = |id: &str, pickup: Option<OptStop>, delivery: OptStop, size: f64| OptJob {
            pickup,
            demand: vec![size],
            ..OptJob::task(id, delivery)
        };
        let p = OptProblem {
            base_date: day(),
            points,
            dimensions: vec!["Weight".into()],
            vehicles: vec![OptVehicle {
                capacity: vec![5.0],
                ..van("DR-1@20251103", Window::new(0.0, 1000.0))
            }],
            jobs: vec![
                job("a", None, stop(1, vec![Window::new(0.0, 150.0)]), 3.0),
                job("pd", Some(stop(2, vec![])), stop(3, vec![]), 4.0),
            ],
            goal: Goal::Duration,
        };
        (p, m)
    }

    fn act(job: usize, segment: Segment) -> OptActivity {
        OptActivity::untimed(ActivityKind::Job { job, segment })
    }

    #[test]
    fn accepts_a_valid_pickup_and_delivery_route() {
        let (p, m) = problem();
        let s = OptSolution {
            routes: vec![OptRoute {
                vehicle: 0,
                departure: 0.0,
                activities: vec![
                    act(0, Segment::Delivery),
                    act(1, Segment::Pickup),
                    act(1, Segment::Delivery),
                ],
            }],
            unassigned: vec![],
        };
        assert_eq!(check(&p, &m, &s), Vec::<String>::new());
    }

    #[test]
    fn finds_late_stops_overloads_wrong_order_and_lost_jobs() {
        let (p, m) = problem();
        // Pair first: 3 loaded at the start + 4 picked up = 7 > 5, and job a is reached at
        // 520 s, after its window closes at 150 s.
        let s = OptSolution {
            routes: vec![OptRoute {
                vehicle: 0,
                departure: 0.0,
                activities: vec![
                    act(1, Segment::Pickup),
                    act(1, Segment::Delivery),
                    act(0, Segment::Delivery),
                ],
            }],
            unassigned: vec![],
        };
        let bad = check(&p, &m, &s);
        assert!(bad.iter().any(|b| b.contains("carries 7")), "{bad:?}");
        assert!(
            bad.iter().any(|b| b.contains("after every time window")),
            "{bad:?}"
        );
        let s = OptSolution {
            routes: vec![OptRoute {
                vehicle: 0,
                departure: 0.0,
                activities: vec![act(1, Segment::Delivery), act(1, Segment::Pickup)],
            }],
            unassigned: vec![],
        };
        let bad = check(&p, &m, &s);
        assert!(
            bad.iter()
                .any(|b| b.contains("delivery comes before pickup")),
            "{bad:?}"
        );
        assert!(
            bad.iter().any(|b| b.contains("job a is neither")),
            "{bad:?}"
        );
        let s = OptSolution {
            routes: vec![],
            unassigned: vec![
                OptUnassigned {
                    job: 0,
                    reason: UnassignedReason::NotChosen,
                },
                OptUnassigned {
                    job: 1,
                    reason: UnassignedReason::Capacity,
                },
            ],
        };
        assert!(check(&p, &m, &s).is_empty());
    }
}
