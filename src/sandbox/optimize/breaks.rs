//! Breaks the engine left out although the route overlaps their window. The sandbox lets a
//! driver take a break wherever they are, before the first stop too (a route's breaks are
//! stored as "after N stops", N from 0); vrp-core never starts a route with a break, so a
//! driver who waits at the first stop past the break window gets none from it, and as its
//! breaks are soft, a short run may return a route too full for one. Such a break is put
//! where the route still keeps every window and its working hours, costing the least time;
//! when there is no such place, the task whose removal shortens the route most is left out
//! (for working hours) until there is.

use super::replay::{replay, retime};
use super::{
    ActivityKind, OptActivity, OptProblem, OptRoute, OptSolution, OptUnassigned, TravelMatrix,
    UnassignedReason,
};

/// Gives every route each break it must take but lacks; routes that still cannot have one
/// (only stops that must stay in place) stay as they are, for the checker to report.
/// Changed routes get replayed times.
pub fn take_skipped_breaks(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    solution: &mut OptSolution,
) {
    let mut left_out = Vec::new();
    for route in &mut solution.routes {
        let Some(v) = problem.vehicles.get(route.vehicle) else {
            continue;
        };
        let mut changed = false;
        // Each pass adds a break or removes a task, so this many passes always suffice.
        for _ in 0..=v.breaks.len() + route.activities.len() {
            let Some(missing) = missing_break(problem, matrix, route) else {
                break;
            };
            if let Some(better) = best_break_place(problem, matrix, route, missing) {
                *route = better;
                changed = true;
                continue;
            }
            let removable = route.activities.iter().filter_map(|a| match a.kind {
                ActivityKind::Job { job, .. }
                    if problem.jobs.get(job).is_some_and(|j| j.pinned_to.is_none()) =>
                {
                    Some(job)
                }
                _ => None,
            });
            let Some((_, job, shorter)) = removable
                .map(|job| {
                    let candidate = without(route, job);
                    (replay(problem, matrix, &candidate).end, job, candidate)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
            else {
                break;
            };
            *route = shorter;
            left_out.push(job);
            changed = true;
        }
        if changed {
            retime(problem, matrix, route);
        }
    }
    // A route whose every task went has nothing left to drive.
    solution.routes.retain(|r| {
        r.activities
            .iter()
            .any(|a| matches!(a.kind, ActivityKind::Job { .. }))
    });
    solution
        .unassigned
        .extend(left_out.into_iter().map(|job| OptUnassigned {
            job,
            reason: UnassignedReason::WorkingHours,
        }));
}

/// `route` with every break it must take but lacks placed where it costs least, or `None`
/// when one fits nowhere.
pub fn with_missing_breaks(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    route: &OptRoute,
) -> Option<OptRoute> {
    let mut route = route.clone();
    let breaks = problem.vehicles.get(route.vehicle)?.breaks.len();
    for _ in 0..breaks {
        let Some(missing) = missing_break(problem, matrix, &route) else {
            break;
        };
        route = best_break_place(problem, matrix, &route, missing)?;
    }
    Some(route)
}

/// A break `route` must take (its working time overlaps the window) but does not.
fn missing_break(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    route: &OptRoute,
) -> Option<usize> {
    let v = problem.vehicles.get(route.vehicle)?;
    let now = replay(problem, matrix, route);
    (0..v.breaks.len())
        .find(|&i| !taken(route, i) && now.overlaps(route.departure, v.breaks[i].window))
}

/// `route` with break `index` where the route keeps every window and its working hours and
/// ends soonest, if there is such a place.
fn best_break_place(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    route: &OptRoute,
    index: usize,
) -> Option<OptRoute> {
    let v = problem.vehicles.get(route.vehicle)?;
    (0..=route.activities.len())
        .filter_map(|pos| {
            let candidate = with_break(route, pos, index);
            let r = replay(problem, matrix, &candidate);
            r.fits(v).then_some((r.end, candidate))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, r)| r)
}

fn taken(route: &OptRoute, index: usize) -> bool {
    route
        .activities
        .iter()
        .any(|a| a.kind == ActivityKind::Break { index })
}

fn with_break(route: &OptRoute, pos: usize, index: usize) -> OptRoute {
    let mut r = route.clone();
    r.activities
        .insert(pos, OptActivity::untimed(ActivityKind::Break { index }));
    r
}

/// `route` without any stop of `job` (both stops of a pair).
fn without(route: &OptRoute, job: usize) -> OptRoute {
    let mut r = route.clone();
    r.activities
        .retain(|a| !matches!(a.kind, ActivityKind::Job { job: j, .. } if j == job));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::optimize::check::check;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::{day, deliveries, line, van};
    use crate::sandbox::optimize::{Goal, OptBreak, OptJob, OptStop, OptVehicle, Window};

    /// A van working 0–1 500 s with a 600 s break starting 500–1 500 s; two 500 s jobs at a
    /// point 100 s from the depot.
    fn problem() -> (OptProblem, EuclideanMatrix) {
        let (points, m) = line(2);
        let job = |i: usize| {
            OptJob::task(
                format!("j{i}"),
                OptStop {
                    location: 1,
                    duration: 500.0,
                    windows: vec![Window::new(0.0, 1500.0)],
                },
            )
        };
        let p = OptProblem {
            base_date: day(),
            points,
            dimensions: vec![],
            vehicles: vec![OptVehicle {
                breaks: vec![OptBreak {
                    window: Window::new(500.0, 1500.0),
                    duration: 600.0,
                }],
                ..van("v", Window::new(0.0, 1500.0))
            }],
            jobs: vec![job(0), job(1)],
            goal: Goal::Duration,
        };
        (p, m)
    }

    fn route(jobs: &[usize]) -> OptSolution {
        OptSolution {
            routes: vec![deliveries(0, jobs)],
            unassigned: vec![],
        }
    }

    #[test]
    fn a_break_goes_where_the_route_keeps_its_windows_and_hours() {
        // One job: 100–600, back at 700; the break fits after it (600–1 200, home 1 300).
        let (p, m) = problem();
        let mut s = route(&[0]);
        s.unassigned.push(OptUnassigned {
            job: 1,
            reason: UnassignedReason::NotChosen,
        });
        assert!(!check(&p, &m, &s).is_empty(), "the break is missing");
        take_skipped_breaks(&p, &m, &mut s);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        let b = s.routes[0].activities[1];
        assert_eq!(b.kind, ActivityKind::Break { index: 0 });
        assert_eq!((b.arrival, b.departure), (600.0, 1200.0));
    }

    #[test]
    fn a_route_too_full_for_its_break_leaves_a_task_out_for_working_hours() {
        // Both jobs take the day to 1 200 s: the 600 s break fits nowhere before 1 500 s.
        let (p, m) = problem();
        let mut s = route(&[0, 1]);
        take_skipped_breaks(&p, &m, &mut s);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(s.unassigned.len(), 1, "{s:?}");
        assert_eq!(s.unassigned[0].reason, UnassignedReason::WorkingHours);
        assert!(
            s.routes[0]
                .activities
                .iter()
                .any(|a| a.kind == ActivityKind::Break { index: 0 })
        );
    }
}
