//! The search for the vehicles-first goal. The engine ranks plans by vehicles, then
//! distance, but a plan with a vehicle fewer and one task left out ranks below every whole
//! plan, so its population never holds one: only chance leads it to fewer vehicles. So the
//! fleet is fixed instead, where routes are short ([`SHORT_ROUTE_JOBS`]):
//!
//! 1. A run with every vehicle finds how many it needs; it ends once that has settled.
//!    Where routes are long the fleet stays whole (measured better on Solomon's R201 and
//!    RC201) and, if the time holds two or more, it goes to fresh runs of a tenth of it
//!    each, the best kept: there the engine settles within a few seconds and stays, so
//!    several starts beat one long run. Else (a big day that takes seconds to build) the
//!    first run goes on to the end.
//! 2. Runs on the vehicles of that plan but the one of its smallest route, ranked as
//!    before, so that the tasks left out come first: a run that places every task goes on
//!    to the end; one that stops getting closer is started afresh, until 40 % of the time.
//! 3. Otherwise the rest of the time goes to fresh runs on the first plan's vehicles, the
//!    best kept (on RC101 they ended on 15 vehicles where going on from that plan ended on
//!    16 in two runs of three).
//!
//! A fixed fleet helps the distance too: on R101 a run on its 19 vehicles ends 0.2–0.5 %
//! from the best known, one with the whole fleet of 25 about 1 %.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use vrp_core::models::problem::{Actor, Fleet, Job};
use vrp_core::models::solution::Registry;
use vrp_core::models::{Problem as CoreProblem, Solution as CoreSolution};
use vrp_core::rosomaxa::utils::DefaultRandom;

use super::OptError;
use super::engine::{Clock, Run, Stop, Tasks, run, solution_routes_hold_at_most};

/// Share of the search by which the run with the whole fleet ends at the latest.
const WHOLE_FLEET_SHARE: f64 = 0.2;
/// The whole fleet's run ends once its vehicles and left-out tasks have not fallen for
/// this share of the search.
const SETTLE_SHARE: f64 = 0.05;
/// An attempt is started afresh when the count of tasks it leaves out has not fallen for
/// this share of the search.
const PATIENCE_SHARE: f64 = 0.05;
/// Attempts with a vehicle fewer start before this share of the search.
const ATTEMPTS_SHARE: f64 = 0.4;
/// Average tasks per route up to which the fleet is fixed: where routes are longer, the
/// engine's search with the whole fleet measured better (Solomon's R201 and RC201).
const SHORT_ROUTE_JOBS: usize = 10;
/// Share of the search each fresh run takes. Measured on Solomon's R201 and RC201 (30 s): a
/// run there ends about as well after 3 s as after 30 s (the engine settles early and
/// stays), so ten fresh starts do better than one long run; runs of 5 % or 15 % did worse.
const FRESH_RUN_SHARE: f64 = 0.1;

/// Searches `problem` until `end`, vehicles first.
pub(super) fn search(
    problem: &Arc<CoreProblem>,
    clock: &Clock,
    tasks: &Arc<Tasks>,
    end: Instant,
) -> Result<CoreSolution, OptError> {
    let start = Instant::now();
    let span = end.saturating_duration_since(start);
    let at = |share: f64| start + span.mul_f64(share);
    let solve = |problem: Arc<CoreProblem>, seed, stop| {
        let run_ = Run {
            problem,
            seed,
            deadline: end,
            stop,
        };
        run(run_, clock, tasks)
    };
    let best = solve(
        problem.clone(),
        None,
        Stop::WhenSettled {
            patience: span.mul_f64(SETTLE_SHARE),
            until: at(WHOLE_FLEET_SHARE),
            route_jobs: SHORT_ROUTE_JOBS,
            fresh_share: FRESH_RUN_SHARE,
        },
    )?;
    let done = || clock.control.is_cancelled() || Instant::now() >= end;
    if done() {
        return Ok(best);
    }
    if !solution_routes_hold_at_most(&best, SHORT_ROUTE_JOBS) {
        return fresh_runs(problem, best, clock, tasks, end);
    }
    let left_out = tasks.left_out(&best);
    if let Some(smallest) = smallest_route(problem, &best) {
        let mut keep = actors_of(&best);
        keep.remove(&best.routes[smallest].actor);
        let fewer = with_actors(problem, &keep);
        // A run that stalls is started afresh: how long placing the last tasks takes
        // varies a lot from one start to another.
        while Instant::now() < at(ATTEMPTS_SHARE) && !done() {
            let patience = span.mul_f64(PATIENCE_SHARE);
            let attempt = solve(fewer.clone(), None, Stop::Placing { left_out, patience })?;
            if tasks.left_out(&attempt) <= left_out {
                tracing::debug!(
                    vehicles = keep.len(),
                    "every task placed on a vehicle fewer"
                );
                return Ok(attempt);
            }
        }
    }
    if done() {
        return Ok(best);
    }
    // The rest of the time goes to fresh runs on the first run's vehicles; a plan that
    // leaves tasks out keeps the whole fleet, as an idle vehicle may yet take one.
    let fleet = if left_out == 0 {
        with_actors(problem, &actors_of(&best))
    } else {
        problem.clone()
    };
    fresh_runs(&fleet, best, clock, tasks, end)
}

/// Fresh runs on `problem`'s vehicles, each of [`FRESH_RUN_SHARE`] of the limit (but see
/// [`Clock::fresh_run`]) and on a clock of its own, until `end`; the best plan of them and `first`. Where a single run fits, it goes on from
/// `first` instead of building anew.
fn fresh_runs(
    problem: &Arc<CoreProblem>,
    first: CoreSolution,
    clock: &Clock,
    tasks: &Arc<Tasks>,
    end: Instant,
) -> Result<CoreSolution, OptError> {
    let slice = clock.fresh_run(FRESH_RUN_SHARE);
    let rank = |s: &CoreSolution| (tasks.left_out(s), s.routes.len(), s.cost);
    let mut best = first;
    for runs in 0.. {
        let now = Instant::now();
        if clock.control.is_cancelled() || now >= end {
            break;
        }
        // The last run takes what is left rather than leave a sliver for one more.
        let last = end.saturating_duration_since(now) < slice.mul_f64(1.5);
        let deadline = if last { end } else { now + slice };
        let mut run_ = Run {
            problem: problem.clone(),
            seed: None,
            deadline,
            stop: Stop::AtDeadline,
        };
        if last && runs == 0 {
            run_.seed = Some(as_seed(problem, best));
            return run(run_, clock, tasks);
        }
        let next = run(run_, clock, tasks)?;
        tracing::debug!(cost = next.cost, best = best.cost, "a fresh run ended");
        if rank(&next) < rank(&best) {
            best = next;
        }
    }
    Ok(best)
}

/// `s` as a plan for a run on `problem` to start from.
fn as_seed(problem: &CoreProblem, s: CoreSolution) -> CoreSolution {
    CoreSolution {
        cost: Default::default(),
        registry: Registry::new(&problem.fleet, Arc::new(DefaultRandom::default())),
        routes: s.routes,
        unassigned: s.unassigned,
        telemetry: None,
    }
}

/// The route with the fewest jobs among those that hold no locked (pinned) job; None when
/// there are fewer than two routes.
fn smallest_route(problem: &CoreProblem, s: &CoreSolution) -> Option<usize> {
    if s.routes.len() < 2 {
        return None;
    }
    let locked: HashSet<&Job> = problem
        .locks
        .iter()
        .flat_map(|l| l.details.iter().flat_map(|d| d.jobs.iter()))
        .collect();
    s.routes
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.tour.jobs().any(|j| locked.contains(j)))
        .min_by_key(|(_, r)| r.tour.job_count())
        .map(|(i, _)| i)
}

/// The actors of the routes of `s`.
fn actors_of(s: &CoreSolution) -> HashSet<Arc<Actor>> {
    s.routes.iter().map(|r| r.actor.clone()).collect()
}

/// `problem` with only the actors in `keep`: the same actors, so that plans carry over.
fn with_actors(problem: &Arc<CoreProblem>, keep: &HashSet<Arc<Actor>>) -> Arc<CoreProblem> {
    let fleet = &problem.fleet;
    let actors: Vec<Arc<Actor>> = fleet
        .actors
        .iter()
        .filter(|a| keep.contains(*a))
        .cloned()
        .collect();
    let vehicles = fleet
        .vehicles
        .iter()
        .filter(|v| actors.iter().any(|a| Arc::ptr_eq(&a.vehicle, v)))
        .cloned()
        .collect();
    let groups: HashMap<usize, HashSet<Arc<Actor>>> = fleet
        .groups
        .iter()
        .map(|(key, set)| (*key, set.intersection(keep).cloned().collect()))
        .filter(|(_, set): &(usize, HashSet<Arc<Actor>>)| !set.is_empty())
        .collect();
    Arc::new(CoreProblem {
        fleet: Arc::new(Fleet {
            drivers: fleet.drivers.clone(),
            vehicles,
            profiles: fleet.profiles.clone(),
            actors,
            groups,
        }),
        jobs: problem.jobs.clone(),
        locks: problem.locks.clone(),
        goal: problem.goal.clone(),
        activity: problem.activity.clone(),
        transport: problem.transport.clone(),
        extras: problem.extras.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::optimize::check::check;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::tasks_on_a_line;
    use crate::sandbox::optimize::vrp::{VrpOptimizer, engine_problem};
    use crate::sandbox::optimize::{
        ActivityKind, OptProblem, OptSolution, Optimizer, SolveControl, SolveLimits,
    };
    use std::time::Duration;
    use vrp_core::models::problem::VehicleIdDimension;

    /// Six vans of capacity 3 and seven tasks of size 1 on a line; the last task is pinned
    /// to van 4.
    fn problem() -> (OptProblem, EuclideanMatrix) {
        let (mut p, m) = tasks_on_a_line(7, 6, 3.0);
        p.jobs[6].pinned_to = Some(4);
        (p, m)
    }

    /// `p` solved by the optimizer within `seconds`; its plan passes our own check.
    fn solved(p: &OptProblem, m: &EuclideanMatrix, seconds: f64) -> OptSolution {
        let limits = SolveLimits {
            time_limit_seconds: seconds,
            max_generations: None,
        };
        let s = VrpOptimizer
            .solve(p, m, &limits, &SolveControl::default())
            .expect("solved");
        assert_eq!(check(p, m, &s), Vec::<String>::new(), "{s:?}");
        s
    }

    #[test]
    fn every_task_goes_on_the_fewest_vans_and_a_pinned_task_keeps_its_van() {
        let (p, m) = problem();
        let s = solved(&p, &m, 2.0);
        assert!(s.unassigned.is_empty(), "{s:?}");
        assert_eq!(s.routes.len(), 3, "{s:?}");
        let pinned = s
            .routes
            .iter()
            .find(|r| r.vehicle == 4)
            .expect("van 4 used");
        assert!(
            pinned
                .activities
                .iter()
                .any(|a| matches!(a.kind, ActivityKind::Job { job: 6, .. })),
            "{s:?}"
        );
    }

    #[test]
    fn long_routes_are_planned_whole_on_the_fewest_vans() {
        // Twelve tasks, vans of 12: one long route does it all.
        let (p, m) = tasks_on_a_line(12, 3, 12.0);
        let s = solved(&p, &m, 1.0);
        assert_eq!((s.unassigned.len(), s.routes.len()), (0, 1), "{s:?}");
    }

    /// The actors of `core` whose vans are `ids`.
    fn actors_named(core: &CoreProblem, ids: &[&str]) -> HashSet<Arc<Actor>> {
        core.fleet
            .actors
            .iter()
            .filter(|a| {
                let id = a.vehicle.dimens.get_vehicle_id();
                id.is_some_and(|v| ids.contains(&v.as_str()))
            })
            .cloned()
            .collect()
    }

    /// The engine's plan for `core` on the vans of `ids` only, from a short run.
    fn plan_on(core: &Arc<CoreProblem>, ids: &[&str], tasks: &Arc<Tasks>) -> CoreSolution {
        let r = Run {
            problem: with_actors(core, &actors_named(core, ids)),
            seed: None,
            deadline: Instant::now() + Duration::from_millis(300),
            stop: Stop::AtDeadline,
        };
        run(r, &clock(Duration::from_secs(1)), tasks).expect("solved")
    }

    fn clock(limit: Duration) -> Clock {
        Clock::new(limit, None, SolveControl::default())
    }

    #[test]
    fn fresh_runs_keep_the_best_plan_and_stop_when_cancelled() {
        // Twelve tasks, vans of 6: one van leaves six out, two take them all.
        let (p, m) = tasks_on_a_line(12, 2, 6.0);
        let core = engine_problem(&p, &m).expect("read");
        let tasks = Arc::new(Tasks::new(p.jobs.iter().map(|j| j.id.clone())));
        let first = plan_on(&core, &["v0"], &tasks);
        assert_eq!(tasks.left_out(&first), 6);

        let c = clock(Duration::from_secs(1));
        let end = c.started + c.limit;
        let best = fresh_runs(&core, first, &c, &tasks, end).expect("solved");
        assert_eq!((tasks.left_out(&best), best.routes.len()), (0, 2));

        // A cancelled search starts no run: the plan it was given comes back.
        let first = plan_on(&core, &["v1"], &tasks);
        let c = clock(Duration::from_secs(30));
        c.control.cancel();
        let end = c.started + c.limit;
        let kept = fresh_runs(&core, first, &c, &tasks, end).expect("solved");
        assert_eq!((tasks.left_out(&kept), kept.routes.len()), (6, 1));
    }

    #[test]
    fn a_smaller_fleet_keeps_the_same_actors_so_plans_carry_over() {
        let (p, m) = problem();
        let core = engine_problem(&p, &m).expect("read");
        let id = |a: &Arc<Actor>| a.vehicle.dimens.get_vehicle_id().cloned();
        let fewer = with_actors(&core, &actors_named(&core, &["v1", "v4"]));
        let ids: HashSet<String> = fewer.fleet.actors.iter().filter_map(id).collect();
        assert_eq!(ids, ["v1", "v4"].map(String::from).into());
        assert!(
            fewer
                .fleet
                .actors
                .iter()
                .all(|a| core.fleet.actors.iter().any(|b| Arc::ptr_eq(a, b)))
        );
        let grouped: usize = fewer.fleet.groups.values().map(HashSet::len).sum();
        assert_eq!((fewer.fleet.vehicles.len(), grouped), (2, 2));
    }
}
