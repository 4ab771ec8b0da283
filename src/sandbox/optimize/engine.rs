//! One run of the vrp-core engine on a core problem: its configuration, an optional plan to
//! start from, a deadline of its own, an optional early stop, and the cancel flag and
//! progress of the whole solve.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vrp_core::models::problem::{Job, JobIdDimension};
use vrp_core::models::{GoalContext, Problem as CoreProblem, Solution as CoreSolution};
use vrp_core::prelude::{Environment, Float, InsertionContext, Solver, VrpConfigBuilder};
use vrp_core::rosomaxa::evolution::TelemetryMode;
use vrp_core::rosomaxa::prelude::HeuristicContext;
use vrp_core::rosomaxa::termination::Termination;
use vrp_core::rosomaxa::utils::Quota;
use vrp_core::solver::RefinementContext;

use super::{OptError, SolveControl};

/// A fresh run takes at least this many times what building a plan took: a big day's plan
/// takes seconds to build, and a run that only builds one searches nothing.
const BUILDS_PER_RUN: f64 = 5.0;

/// The whole solve's clock: progress is reported against its limit, whichever run is on.
#[derive(Clone)]
pub(super) struct Clock {
    pub started: Instant,
    pub limit: Duration,
    pub max_generations: Option<usize>,
    pub control: SolveControl,
    /// The longest a run of this solve took to build its first plans, in nanoseconds.
    build: Arc<AtomicU64>,
}

impl Clock {
    /// A clock started now.
    pub fn new(limit: Duration, max_generations: Option<usize>, control: SolveControl) -> Self {
        Clock {
            started: Instant::now(),
            limit,
            max_generations,
            control,
            build: Arc::default(),
        }
    }

    fn share(&self) -> f64 {
        self.started.elapsed().as_secs_f64() / self.limit.as_secs_f64().max(1e-3)
    }

    /// Reports the share of the limit gone as progress; 100 % is the solve's to say, once
    /// its plan is ready.
    pub fn report_time(&self) {
        self.control.report((self.share() as f32).min(0.99));
    }

    /// How long a fresh run of `share` of the limit takes: at least [`BUILDS_PER_RUN`]
    /// times what building a plan took so far.
    pub fn fresh_run(&self, share: f64) -> Duration {
        let build = Duration::from_nanos(self.build.load(Ordering::Relaxed));
        self.limit.mul_f64(share).max(build.mul_f64(BUILDS_PER_RUN))
    }

    fn record_build(&self, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        self.build.fetch_max(nanos, Ordering::Relaxed);
    }
}

/// Ids of the jobs that are our tasks (the engine's other jobs are drivers' breaks).
pub(super) struct Tasks(HashSet<String>);

impl Tasks {
    pub fn new(ids: impl IntoIterator<Item = String>) -> Self {
        Tasks(ids.into_iter().collect())
    }

    pub fn is_task(&self, job: &Job) -> bool {
        job.dimens()
            .get_job_id()
            .is_some_and(|id| self.0.contains(id))
    }

    /// Tasks `solution` leaves out.
    pub fn left_out(&self, solution: &CoreSolution) -> usize {
        solution
            .unassigned
            .iter()
            .filter(|(job, _)| self.is_task(job))
            .count()
    }

    fn left_out_of(&self, ctx: &InsertionContext) -> usize {
        let s = &ctx.solution;
        s.unassigned
            .keys()
            .chain(&s.required)
            .filter(|j| self.is_task(j))
            .count()
    }
}

/// When a run may end before its deadline.
#[derive(Debug, Clone, Copy)]
pub(super) enum Stop {
    /// Only at its deadline.
    AtDeadline,
    /// Where its routes hold at most `route_jobs` jobs on average: once its best plan's
    /// vehicles and left-out tasks have not fallen for `patience`, if that is before
    /// `until`, else at its deadline. Where they hold more: after its first generation if
    /// two fresh runs of `fresh_share` ([`Clock::fresh_run`]) fit before its deadline, else
    /// at its deadline (the caller searches such plans its own way).
    WhenSettled {
        patience: Duration,
        until: Instant,
        route_jobs: usize,
        fresh_share: f64,
    },
    /// A run to place every task but `left_out` on a smaller fleet: it gives up once the
    /// count of tasks left out has not fallen for `patience`; once placed, it goes on.
    Placing { left_out: usize, patience: Duration },
}

/// One run: the problem, the plan it starts from (besides those it builds), when it ends.
pub(super) struct Run {
    pub problem: Arc<CoreProblem>,
    pub seed: Option<CoreSolution>,
    pub deadline: Instant,
    pub stop: Stop,
}

/// Runs the engine and returns its best solution.
pub(super) fn run(run: Run, clock: &Clock, tasks: &Arc<Tasks>) -> Result<CoreSolution, OptError> {
    let started = Instant::now();
    let watch = Watch {
        started,
        deadline: run.deadline.max(started),
        stop: run.stop,
        clock: clock.clone(),
        tasks: tasks.clone(),
        checks: Arc::new(AtomicUsize::new(0)),
        fewest: Arc::new(Mutex::new(Fewest {
            measure: (usize::MAX, usize::MAX),
            since: started,
        })),
    };
    let environment = Arc::new(Environment {
        quota: Some(Arc::new(watch.clone())),
        logger: Arc::new(|msg: &str| tracing::trace!(target: "vrp", "{msg}")),
        ..Environment::default()
    });
    let mut config = VrpConfigBuilder::new(run.problem.clone())
        .set_environment(environment.clone())
        .set_telemetry_mode(TelemetryMode::None)
        .prebuild()
        .and_then(|b| b.build())
        .map_err(|e| OptError::Engine(e.to_string()))?;
    // The builder only knows whole seconds and no cancel flag: our own termination
    // replaces the one it made.
    config.termination = Box::new(watch);
    if let Some(seed) = run.seed {
        config.initial.individuals = vec![InsertionContext::new_from_solution(
            run.problem.clone(),
            (seed, None),
            environment,
        )];
    }
    Solver::new(run.problem, config)
        .solve()
        .map_err(|e| OptError::Engine(e.to_string()))
}

/// A run's termination (checked once per generation) and quota (checked inside long
/// operators).
#[derive(Clone)]
struct Watch {
    started: Instant,
    deadline: Instant,
    stop: Stop,
    clock: Clock,
    tasks: Arc<Tasks>,
    /// Termination checks so far. The engine checks once before its first construction
    /// and again only after it; until then the time limit must not stop the construction,
    /// or a short limit returns a plan with most tasks never tried (only cancel stops it).
    checks: Arc<AtomicUsize>,
    /// What `stop` watches of the best plan so far.
    fewest: Arc<Mutex<Fewest>>,
}

/// The best plan's measure that a run's [`Stop`] watches: tasks left out, and vehicles when
/// settling.
struct Fewest {
    measure: (usize, usize),
    /// Since when `measure` has not fallen.
    since: Instant,
}

impl Watch {
    fn time_share(&self) -> f64 {
        let span = self.deadline.duration_since(self.started).as_secs_f64();
        if span <= 0.0 {
            return 1.0;
        }
        self.started.elapsed().as_secs_f64() / span
    }

    /// Whether the early-stop rule says the run is over.
    fn has_settled(&self, ctx: &RefinementContext) -> bool {
        let Some(best) = ctx.ranked().next() else {
            return false;
        };
        let left_out = self.tasks.left_out_of(best);
        let (measure, patience) = match self.stop {
            Stop::AtDeadline => return false,
            Stop::WhenSettled {
                patience,
                until,
                route_jobs,
                fresh_share,
            } => {
                if !routes_hold_at_most(best, route_jobs) {
                    let left = self.deadline.saturating_duration_since(Instant::now());
                    return left >= self.clock.fresh_run(fresh_share) * 2;
                }
                if Instant::now() >= until {
                    return false;
                }
                ((left_out, best.solution.routes.len()), patience)
            }
            Stop::Placing {
                left_out: target,
                patience,
            } => {
                if left_out <= target {
                    return false;
                }
                ((left_out, 0), patience)
            }
        };
        let Ok(mut fewest) = self.fewest.lock() else {
            return false;
        };
        if measure < fewest.measure {
            fewest.measure = measure;
            fewest.since = Instant::now();
            return false;
        }
        fewest.since.elapsed() >= patience
    }
}

/// Whether the routes of `ctx` hold at most `jobs` jobs on average.
fn routes_hold_at_most(ctx: &InsertionContext, jobs: usize) -> bool {
    let routes = ctx
        .solution
        .routes
        .iter()
        .map(|r| r.route().tour.job_count());
    average_at_most(routes, jobs)
}

/// Whether the routes of `s` hold at most `jobs` jobs on average.
pub(super) fn solution_routes_hold_at_most(s: &CoreSolution, jobs: usize) -> bool {
    average_at_most(s.routes.iter().map(|r| r.tour.job_count()), jobs)
}

/// Whether the route sizes `held` are at most `jobs` on average (and there is a route).
fn average_at_most(held: impl Iterator<Item = usize>, jobs: usize) -> bool {
    let (routes, jobs_held) = held.fold((0, 0), |(n, sum), h| (n + 1, sum + h));
    routes > 0 && jobs_held <= jobs * routes
}

impl Quota for Watch {
    fn is_reached(&self) -> bool {
        self.clock.control.is_cancelled()
            || (self.checks.load(Ordering::Relaxed) > 1 && Instant::now() >= self.deadline)
    }
}

impl Termination for Watch {
    type Context = RefinementContext;
    type Objective = GoalContext;

    fn is_termination(&self, ctx: &mut RefinementContext) -> bool {
        let checks = self.checks.fetch_add(1, Ordering::Relaxed);
        if checks == 1 {
            // The first check after the construction.
            self.clock.record_build(self.started.elapsed());
        }
        // 1.0 is reported once the solution is read back.
        self.clock.report_time();
        self.clock.control.is_cancelled()
            || self.estimate(ctx) >= 1.0
            || (checks > 0 && self.has_settled(ctx))
    }

    fn estimate(&self, ctx: &RefinementContext) -> Float {
        let by_generation = self.clock.max_generations.map_or(0.0, |g| {
            ctx.statistics().generation as f64 / g.max(1) as f64
        });
        self.time_share().max(by_generation).min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::optimize::testing::tasks_on_a_line;
    use crate::sandbox::optimize::vrp::engine_problem;

    /// [`tasks_on_a_line`] read into the engine, with its task ids.
    fn problem(tasks: usize, vans: usize, capacity: f64) -> (Arc<CoreProblem>, Arc<Tasks>) {
        let (p, m) = tasks_on_a_line(tasks, vans, capacity);
        let ids = Tasks::new(p.jobs.iter().map(|j| j.id.clone()));
        (engine_problem(&p, &m).expect("read"), Arc::new(ids))
    }

    fn clock() -> Clock {
        Clock::new(Duration::from_secs(30), None, SolveControl::default())
    }

    fn solve(problem: Arc<CoreProblem>, tasks: &Arc<Tasks>, stop: Stop) -> CoreSolution {
        let r = Run {
            problem,
            seed: None,
            deadline: Instant::now() + Duration::from_secs(30),
            stop,
        };
        run(r, &clock(), tasks).expect("solved")
    }

    #[test]
    fn a_run_that_cannot_place_every_task_gives_up_once_it_stops_getting_closer() {
        // One van carries 2 of 4 tasks: two stay out whatever the engine does.
        let (p, tasks) = problem(4, 1, 2.0);
        let started = Instant::now();
        let stop = Stop::Placing {
            left_out: 0,
            patience: Duration::from_millis(200),
        };
        let s = solve(p, &tasks, stop);
        assert_eq!(tasks.left_out(&s), 2);
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "ran to its deadline"
        );
    }

    #[test]
    fn a_run_settles_where_routes_are_short_and_ends_at_once_where_they_are_long() {
        let settle = Stop::WhenSettled {
            patience: Duration::from_millis(200),
            until: Instant::now() + Duration::from_secs(20),
            route_jobs: 10,
            fresh_share: 0.1,
        };
        // Three tasks a van: short routes, so the run ends once the plan settles, and only
        // then: three vans, not the five it may start with.
        let (p, tasks) = problem(9, 5, 3.0);
        let started = Instant::now();
        let s = solve(p, &tasks, settle);
        assert_eq!((tasks.left_out(&s), s.routes.len()), (0, 3));
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "ran to its deadline"
        );
        // Twelve tasks on one van: a long route, so the run ends after its first
        // generation, with a whole plan, as fresh runs of 3 s fit before its deadline (the
        // settle rule here could not end it before then).
        let (p, tasks) = problem(12, 2, 12.0);
        let started = Instant::now();
        let patient = Stop::WhenSettled {
            patience: Duration::from_secs(60),
            until: Instant::now() + Duration::from_secs(60),
            route_jobs: 10,
            fresh_share: 0.1,
        };
        let s = solve(p, &tasks, patient);
        assert_eq!((tasks.left_out(&s), s.routes.len()), (0, 1));
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "ran to its deadline"
        );
    }
}
