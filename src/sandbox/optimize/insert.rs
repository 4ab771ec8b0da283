//! Left-out tasks that still fit. A short run, or a break placed after the engine was done,
//! can leave a task out although a route has room for it as it stands. Each such task goes
//! where it lengthens a route least while the route keeps every rule [`route_faults`]
//! knows; a driver without a route is only given one when no route has room.

use super::breaks::with_missing_breaks;
use super::check::route_faults;
use super::replay::{replay, retime};
use super::{
    ActivityKind, OptActivity, OptJob, OptProblem, OptRoute, OptSolution, Segment, TravelMatrix,
};

/// How many activities the search may replay in all: enough for every left-out task of a
/// few hundred on routes of dozens of stops, and a bound on a huge problem's wait.
const REPLAY_BUDGET: usize = 30_000_000;

/// Puts every left-out job that fits somewhere without moving another stop there, cheapest
/// first-come; returns how many it placed. Routes it changes get replayed times.
pub fn insert_left_out(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    solution: &mut OptSolution,
) -> usize {
    let mut budget = REPLAY_BUDGET;
    let mut placed = 0;
    let mut i = 0;
    while i < solution.unassigned.len() {
        let job = solution.unassigned[i].job;
        let Some(j) = problem.jobs.get(job).filter(|j| j.pinned_to.is_none()) else {
            i += 1;
            continue;
        };
        let used: Vec<usize> = solution.routes.iter().map(|r| r.vehicle).collect();
        let existing = solution
            .routes
            .iter()
            .enumerate()
            .filter_map(|(ri, r)| {
                best_insertion(problem, matrix, r, job, j, &mut budget)
                    .map(|(c, r)| (c, Some(ri), r))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let best = existing.or_else(|| {
            (0..problem.vehicles.len())
                .filter(|v| !used.contains(v))
                .filter_map(|v| {
                    let empty = OptRoute {
                        vehicle: v,
                        departure: problem.vehicles[v].shift.start,
                        activities: vec![],
                    };
                    best_insertion(problem, matrix, &empty, job, j, &mut budget)
                        .map(|(c, r)| (c, None, r))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
        });
        match best {
            Some((_, slot, mut route)) => {
                retime(problem, matrix, &mut route);
                match slot {
                    Some(ri) => solution.routes[ri] = route,
                    None => solution.routes.push(route),
                }
                solution.unassigned.remove(i);
                placed += 1;
            }
            None => i += 1,
        }
        if budget == 0 {
            break;
        }
    }
    placed
}

/// The cheapest way to add `job` to `route` (added seconds, new route), if any keeps the
/// route within every rule. Spends replayed activities from `budget`.
fn best_insertion(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    route: &OptRoute,
    job: usize,
    j: &OptJob,
    budget: &mut usize,
) -> Option<(f64, OptRoute)> {
    let v = problem.vehicles.get(route.vehicle)?;
    if !j.fits(v) {
        return None;
    }
    let before = if route.activities.is_empty() {
        route.departure
    } else {
        replay(problem, matrix, route).end
    };
    let first = route.first_free_position(problem);
    let n = route.activities.len();
    let mut best: Option<(f64, OptRoute)> = None;
    let mut consider = |candidate: OptRoute, budget: &mut usize| {
        *budget = budget.saturating_sub(candidate.activities.len() * 2 + 1);
        let Some(candidate) = with_missing_breaks(problem, matrix, &candidate) else {
            return;
        };
        if !route_faults(problem, matrix, &candidate).is_empty() {
            return;
        }
        let cost = replay(problem, matrix, &candidate).end - before;
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, candidate));
        }
    };
    match j.pickup {
        None => {
            for pos in first..=n {
                if *budget == 0 {
                    break;
                }
                consider(with_stop(route, pos, job, Segment::Delivery), budget);
            }
        }
        Some(_) => {
            for p in first..=n {
                let with_pickup = with_stop(route, p, job, Segment::Pickup);
                // A pickup that is already late stays late whatever follows it.
                let timed = replay(problem, matrix, &with_pickup);
                *budget = budget.saturating_sub(with_pickup.activities.len());
                if !timed.times[..=p].iter().all(|t| t.on_time) {
                    continue;
                }
                for d in p + 1..=n + 1 {
                    if *budget == 0 {
                        break;
                    }
                    consider(with_stop(&with_pickup, d, job, Segment::Delivery), budget);
                }
            }
        }
    }
    best
}

fn with_stop(route: &OptRoute, pos: usize, job: usize, segment: Segment) -> OptRoute {
    let mut r = route.clone();
    r.activities.insert(
        pos,
        OptActivity::untimed(ActivityKind::Job { job, segment }),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::optimize::check::check;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::{day, deliveries, line, sized_task, van};
    use crate::sandbox::optimize::{
        Goal, OptStop, OptUnassigned, OptVehicle, UnassignedReason, Window,
    };

    /// Depot 0 and points 1..=4 on a line 100 s apart; two vans working 0–1 000 s that
    /// carry 5.
    fn problem(jobs: Vec<OptJob>) -> (OptProblem, EuclideanMatrix) {
        let (points, m) = line(5);
        let van = |id| OptVehicle {
            capacity: vec![5.0],
            ..van(id, Window::new(0.0, 1000.0))
        };
        let p = OptProblem {
            base_date: day(),
            points,
            dimensions: vec!["Weight".into()],
            vehicles: vec![van("a"), van("b")],
            jobs,
            goal: Goal::Duration,
        };
        (p, m)
    }

    fn job(id: &str, location: usize, size: f64, window: Option<Window>) -> OptJob {
        sized_task(id, location, size, 10.0, window.into_iter().collect())
    }

    fn stops(route: &OptRoute) -> Vec<(usize, Segment)> {
        route
            .activities
            .iter()
            .filter_map(|a| match a.kind {
                ActivityKind::Job { job, segment } => Some((job, segment)),
                ActivityKind::Break { .. } => None,
            })
            .collect()
    }

    fn left_out(jobs: &[usize]) -> Vec<OptUnassigned> {
        jobs.iter()
            .map(|&job| OptUnassigned {
                job,
                reason: UnassignedReason::TimeWindow,
            })
            .collect()
    }

    #[test]
    fn a_left_out_task_goes_where_it_adds_least_and_keeps_its_window() {
        // Route a: 1 then 3. Task 2 (at point 2, window to 250 s) fits only between them.
        let (p, m) = problem(vec![
            job("one", 1, 1.0, None),
            job("three", 3, 1.0, None),
            job("two", 2, 1.0, Some(Window::new(0.0, 250.0))),
        ]);
        let mut s = OptSolution {
            routes: vec![deliveries(0, &[0, 1])],
            unassigned: left_out(&[2]),
        };
        assert_eq!(insert_left_out(&p, &m, &mut s), 1);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(s.routes.len(), 1, "no second driver for a task that fits");
        assert_eq!(
            stops(&s.routes[0]),
            vec![
                (0, Segment::Delivery),
                (2, Segment::Delivery),
                (1, Segment::Delivery)
            ]
        );
        assert!(s.unassigned.is_empty());
        // Replayed times: 100 → 110, 210 → 220, 320 → 330.
        assert_eq!(s.routes[0].activities[1].arrival, 210.0);
    }

    #[test]
    fn a_task_too_big_for_the_route_gets_the_free_driver_and_one_that_fits_nowhere_stays_out() {
        // Route a carries 4 of 5; a task of 3 needs van b; a task whose window closed before
        // anyone can reach it stays left out with its reason.
        let (p, m) = problem(vec![
            job("full", 1, 4.0, None),
            job("big", 2, 3.0, None),
            job("late", 4, 1.0, Some(Window::new(0.0, 50.0))),
        ]);
        let mut s = OptSolution {
            routes: vec![deliveries(0, &[0])],
            unassigned: left_out(&[1, 2]),
        };
        assert_eq!(insert_left_out(&p, &m, &mut s), 1);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(s.routes.len(), 2);
        assert_eq!(s.routes[1].vehicle, 1);
        assert_eq!(stops(&s.routes[1]), vec![(1, Segment::Delivery)]);
        assert_eq!(s.unassigned, left_out(&[2]));
    }

    #[test]
    fn a_pair_is_inserted_pickup_first_on_one_route() {
        let (p, m) = problem(vec![
            job("one", 1, 1.0, None),
            OptJob {
                pickup: Some(OptStop {
                    location: 3,
                    duration: 10.0,
                    windows: vec![],
                }),
                ..job("pair", 2, 2.0, None)
            },
        ]);
        let mut s = OptSolution {
            routes: vec![deliveries(0, &[0])],
            unassigned: left_out(&[1]),
        };
        assert_eq!(insert_left_out(&p, &m, &mut s), 1);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        let order = stops(&s.routes[0]);
        let at = |seg| order.iter().position(|&x| x == (1, seg));
        assert!(at(Segment::Pickup) < at(Segment::Delivery), "{order:?}");
    }
}
