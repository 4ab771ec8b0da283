//! The vrp-core engine behind [`Optimizer`], through vrp-pragmatic's typed model: our
//! problem becomes a pragmatic `Problem` plus one routing matrix, the engine runs under our
//! time limit, cancel flag and progress report, and its pragmatic solution comes back as an
//! [`OptSolution`]. Then come our own repairs and searches: breaks, left-out tasks, for a
//! plain plan ranked by vehicles then distance the [`anneal`] search (the second half of
//! the limit), and the polish.

use std::collections::HashMap;
use std::io::{BufReader, BufWriter};
use std::sync::Arc;
use std::time::{Duration, Instant};

use vrp_core::construction::features::{
    CapacityFeatureBuilder, MinimizeUnassignedBuilder, TransportFeatureBuilder,
    create_minimize_tours_feature,
};
use vrp_core::models::common::SingleDimLoad;
use vrp_core::models::{
    Goal as CoreGoal, GoalContextBuilder, Problem as CoreProblem, ViolationCode,
};
use vrp_core::prelude::{Float, GenericError};
use vrp_pragmatic::format::Location;
use vrp_pragmatic::format::problem::{
    Fleet, Job, JobPlace, JobSkills, JobTask, Matrix, MatrixProfile, Objective, Plan,
    PragmaticProblem, Problem, Relation, RelationType, ShiftEnd, ShiftStart, VehicleBreak,
    VehicleCosts, VehicleLimits, VehicleOptionalBreakPlace, VehicleOptionalBreakPolicy,
    VehicleOptionalBreakTime, VehicleProfile, VehicleShift, VehicleType,
};
use vrp_pragmatic::format::solution::{
    PragmaticOutputType, Solution as ApiSolution, deserialize_solution, write_pragmatic,
};

use crate::api::model::Date;

use super::anneal;
use super::breaks::take_skipped_breaks;
use super::engine::{self, Clock, Run, Stop, Tasks};
use super::insert::insert_left_out;
use super::polish::polish;
use super::vehicles_first;
use super::{
    ActivityKind, Goal, OptActivity, OptError, OptProblem, OptRoute, OptSolution, OptStop,
    OptUnassigned, Optimizer, ROUTE_COST_SECONDS, Segment, SolveControl, SolveLimits, TravelMatrix,
    UnassignedReason, Window,
};

/// The matrix profile every vehicle uses (speed differences go through its scale).
const PROFILE: &str = "car";
/// Sizes and capacities are integers in the engine: thousandths keep three decimals.
const SIZE_SCALE: f64 = 1000.0;
/// What "unlimited" capacity becomes in the engine.
const UNLIMITED: i32 = i32::MAX / 4;
/// Weight of a skipped break against a skipped task: breaks are kept.
const BREAK_WEIGHT: Float = 100.0;

/// Share of the time limit given to [`anneal`] where it applies; the engine has the rest,
/// to find the fewest vehicles. On Solomon's instances (30 s) half and half ends at or
/// within half a percent of the best known distance.
const ANNEAL_SHARE: f64 = 0.5;

/// Share of the time limit the polish may take after the search, at most.
const POLISH_SHARE: f64 = 0.05;

/// The vrp-core engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct VrpOptimizer;

impl Optimizer for VrpOptimizer {
    fn solve(
        &self,
        problem: &OptProblem,
        matrix: &dyn TravelMatrix,
        limits: &SolveLimits,
        control: &SolveControl,
    ) -> Result<OptSolution, OptError> {
        if problem.jobs.is_empty() {
            control.report(1.0);
            return Ok(OptSolution::default());
        }
        if problem.vehicles.is_empty() {
            control.report(1.0);
            return Ok(OptSolution {
                routes: vec![],
                unassigned: (0..problem.jobs.len())
                    .map(|job| OptUnassigned {
                        job,
                        reason: UnassignedReason::NoDriver,
                    })
                    .collect(),
            });
        }
        let clock = Clock::new(
            Duration::from_secs_f64(limits.time_limit_seconds.max(0.1)),
            limits.max_generations,
            control.clone(),
        );
        let tasks = Arc::new(Tasks::new(problem.jobs.iter().map(|j| j.id.clone())));
        // A run bounded by generations (tests of tiny problems) is the engine's alone.
        let annealed = anneal::applies(problem) && limits.max_generations.is_none();
        let search_end = if annealed {
            clock.started + clock.limit.mul_f64(1.0 - ANNEAL_SHARE)
        } else {
            clock.started + clock.limit
        };
        let core = engine_problem(problem, matrix)?;
        let solution = if problem.goal == Goal::VehiclesThenDistance {
            vehicles_first::search(&core, &clock, &tasks, search_end)?
        } else {
            let run = Run {
                problem: core.clone(),
                seed: None,
                deadline: search_end,
                stop: Stop::AtDeadline,
            };
            engine::run(run, &clock, &tasks)?
        };
        let mut bytes = Vec::new();
        write_pragmatic(
            &core,
            &solution,
            PragmaticOutputType::OnlyPragmatic,
            &mut BufWriter::new(&mut bytes),
        )
        .map_err(|e| OptError::Engine(e.to_string()))?;
        let api_solution = deserialize_solution(BufReader::new(bytes.as_slice()))
            .map_err(|e| OptError::Engine(format!("unreadable engine solution: {e}")))?;
        let mut solution = from_pragmatic(problem, &api_solution)?;
        take_skipped_breaks(problem, matrix, &mut solution);
        let placed = insert_left_out(problem, matrix, &mut solution);
        tracing::debug!(
            placed,
            left_out = solution.unassigned.len(),
            "left-out tasks placed after the search"
        );
        if annealed && !control.is_cancelled() {
            let report = || clock.report_time();
            let better = anneal::anneal(
                problem,
                matrix,
                &mut solution,
                clock.started + clock.limit,
                control,
                &report,
            );
            tracing::debug!(?better, "plan annealed after the search");
        }
        if !control.is_cancelled() {
            let spare = (limits.time_limit_seconds * POLISH_SHARE).clamp(0.2, 5.0);
            let saved = polish(
                problem,
                matrix,
                &mut solution,
                Instant::now() + Duration::from_secs_f64(spare),
            );
            tracing::debug!(saved, "plan polished after the search");
        }
        control.report(1.0);
        Ok(solution)
    }
}

/// `problem` read into the engine.
pub(super) fn engine_problem(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
) -> Result<Arc<CoreProblem>, OptError> {
    let (api, api_matrix) = to_pragmatic(problem, matrix)?;
    let core = (api, vec![api_matrix])
        .read_pragmatic()
        .map_err(|e| OptError::InvalidProblem(e.to_string()))?;
    Ok(Arc::new(if is_plain_vrptw(problem) {
        with_cli_goal(core)?
    } else {
        core
    }))
}

/// Whether `problem` is a capacitated VRP with time windows and nothing else, ranked by
/// vehicles then distance: the Solomon benchmark's kind, which the engine's own command line
/// reads with a goal of its own (see [`with_cli_goal`]).
fn is_plain_vrptw(problem: &OptProblem) -> bool {
    problem.goal == Goal::VehiclesThenDistance
        && problem.dimensions.len() <= 1
        && problem
            .vehicles
            .iter()
            .all(|v| v.breaks.is_empty() && v.max_stops.is_none() && v.end.is_some())
        && problem.jobs.iter().all(|j| {
            j.pickup.is_none() && j.skills.is_empty() && j.days.is_empty() && j.pinned_to.is_none()
        })
}

/// The goal the engine's command line gives a plain VRPTW: fewest unassigned, then tours,
/// then distance, with the distance-only alternative that some of its recreate operators
/// and its population's shuffling use. Pragmatic's reader has no way to say the
/// alternative; the features are the ones it builds for such a problem (capacity, and the
/// objectives), with its violation codes.
fn with_cli_goal(core: CoreProblem) -> Result<CoreProblem, OptError> {
    // vrp-pragmatic's (private) codes, so that unassigned reasons read the same.
    const TIME_CODE: ViolationCode = ViolationCode(1);
    const CAPACITY_CODE: ViolationCode = ViolationCode(4);
    let engine = |e: GenericError| OptError::Engine(e.to_string());
    let features = vec![
        MinimizeUnassignedBuilder::new("min_unassigned")
            .build()
            .map_err(engine)?,
        create_minimize_tours_feature("min_tours").map_err(engine)?,
        TransportFeatureBuilder::new("min_distance")
            .set_violation_code(TIME_CODE)
            .set_transport_cost(core.transport.clone())
            .set_activity_cost(core.activity.clone())
            .build_minimize_distance()
            .map_err(engine)?,
        CapacityFeatureBuilder::<SingleDimLoad>::new("capacity")
            .set_violation_code(CAPACITY_CODE)
            .build()
            .map_err(engine)?,
    ];
    let main = CoreGoal::subset_of(&features, &["min_unassigned", "min_tours", "min_distance"])
        .map_err(engine)?;
    let alternative =
        CoreGoal::subset_of(&features, &["min_unassigned", "min_distance"]).map_err(engine)?;
    let goal = GoalContextBuilder::with_features(&features)
        .map_err(engine)?
        .set_main_goal(main)
        .add_alternative_goal(alternative, 0.1)
        .build()
        .map_err(engine)?;
    Ok(CoreProblem {
        goal: Arc::new(goal),
        ..core
    })
}

/// RFC 3339 text of `seconds` after the epoch of the engine's clock.
fn stamp(seconds: f64) -> String {
    jiff::Timestamp::from_second(seconds.round() as i64)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

fn seconds_of(text: &str) -> Result<f64, OptError> {
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second() as f64)
        .map_err(|e| OptError::Engine(format!("engine time {text:?} unreadable: {e}")))
}

fn windows(ws: &[Window]) -> Option<Vec<Vec<String>>> {
    (!ws.is_empty()).then(|| {
        ws.iter()
            .map(|w| vec![stamp(w.start), stamp(w.end)])
            .collect()
    })
}

/// Problem points the engine sees, renumbered densely (it wants no unused index).
struct Compact {
    index_of: HashMap<usize, usize>,
    used: Vec<usize>,
}

impl Compact {
    fn new(problem: &OptProblem) -> Self {
        let mut c = Compact {
            index_of: HashMap::new(),
            used: Vec::new(),
        };
        for v in &problem.vehicles {
            c.add(v.start);
            if let Some(e) = v.end {
                c.add(e);
            }
        }
        for j in &problem.jobs {
            if let Some(p) = &j.pickup {
                c.add(p.location);
            }
            c.add(j.delivery.location);
        }
        c
    }
    fn add(&mut self, i: usize) {
        if !self.index_of.contains_key(&i) {
            self.index_of.insert(i, self.used.len());
            self.used.push(i);
        }
    }
    fn location(&self, i: usize) -> Location {
        Location::new_reference(self.index_of[&i])
    }
}

fn place(c: &Compact, s: &OptStop) -> JobPlace {
    JobPlace {
        location: c.location(s.location),
        duration: s.duration,
        times: windows(&s.windows),
        tag: None,
    }
}

/// The engine wants a demand on every pickup and delivery; without size dimensions it is a
/// zero in the one unlimited dimension [`capacity`] gives.
fn demand(d: &[f64], dims: usize) -> Option<Vec<i32>> {
    Some(
        (0..dims.max(1))
            .map(|i| (d.get(i).copied().unwrap_or(0.0) * SIZE_SCALE).ceil() as i32)
            .collect(),
    )
}

fn capacity(c: &[f64], dims: usize) -> Vec<i32> {
    if dims == 0 {
        return vec![UNLIMITED];
    }
    (0..dims)
        .map(|i| {
            let v = c.get(i).copied().unwrap_or(f64::INFINITY) * SIZE_SCALE;
            if v.is_finite() {
                (v.floor() as i64).clamp(0, UNLIMITED as i64) as i32
            } else {
                UNLIMITED
            }
        })
        .collect()
}

/// The skill every vehicle of a day has, so that a job goes only to one of its days.
fn day_skill(d: Date) -> String {
    format!("day:{}", d.as_u32())
}

fn break_tag(i: usize) -> String {
    format!("break:{i}")
}

/// Our problem in the engine's typed pragmatic model, with its routing matrix.
pub fn to_pragmatic(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
) -> Result<(Problem, Matrix), OptError> {
    if matrix.len() < problem.points.len() {
        return Err(OptError::Matrix(format!(
            "the matrix has {} points, the problem {}",
            matrix.len(),
            problem.points.len()
        )));
    }
    let c = Compact::new(problem);
    let dims = problem.dimensions.len();
    let mut jobs = Vec::with_capacity(problem.jobs.len());
    let mut pinned: HashMap<usize, Vec<String>> = HashMap::new();
    for j in &problem.jobs {
        let task = |s: &OptStop| JobTask {
            places: vec![place(&c, s)],
            demand: demand(&j.demand, dims),
            order: None,
        };
        jobs.push(Job {
            id: j.id.clone(),
            pickups: j.pickup.as_ref().map(|p| vec![task(p)]),
            deliveries: Some(vec![task(&j.delivery)]),
            replacements: None,
            services: None,
            skills: (!j.skills.is_empty() || !j.days.is_empty()).then(|| JobSkills {
                all_of: (!j.skills.is_empty()).then(|| j.skills.clone()),
                one_of: (!j.days.is_empty())
                    .then(|| j.days.iter().map(|d| day_skill(*d)).collect()),
                none_of: None,
            }),
            value: None,
            group: None,
            compatibility: None,
        });
        if let Some(v) = j.pinned_to {
            pinned.entry(v).or_default().push(j.id.clone());
        }
    }
    let relations: Vec<Relation> = pinned
        .into_iter()
        .map(|(v, ids)| Relation {
            type_field: RelationType::Strict,
            jobs: std::iter::once("departure".to_string())
                .chain(ids)
                .collect(),
            vehicle_id: problem.vehicles[v].id.clone(),
            shift_index: None,
        })
        .collect();
    let costs = match problem.goal {
        Goal::Duration => VehicleCosts {
            fixed: Some(ROUTE_COST_SECONDS),
            distance: 0.0,
            time: 1.0,
        },
        Goal::VehiclesThenDistance => VehicleCosts {
            fixed: None,
            distance: 1.0,
            time: 0.0,
        },
    };
    let vehicles = problem
        .vehicles
        .iter()
        .map(|v| {
            let breaks: Vec<VehicleBreak> = v
                .breaks
                .iter()
                .enumerate()
                .map(|(i, b)| VehicleBreak::Optional {
                    time: VehicleOptionalBreakTime::TimeWindow(vec![
                        stamp(b.window.start),
                        stamp(b.window.end),
                    ]),
                    places: vec![VehicleOptionalBreakPlace {
                        duration: b.duration,
                        location: None,
                        tag: Some(break_tag(i)),
                    }],
                    policy: Some(VehicleOptionalBreakPolicy::SkipIfNoIntersection),
                })
                .collect();
            // An open route has no end to arrive by: its working hours become a duration
            // limit from the fixed departure.
            let max_duration = v
                .end
                .is_none()
                .then_some((v.shift.end - v.shift.start).max(0.0));
            VehicleType {
                type_id: v.id.clone(),
                vehicle_ids: vec![v.id.clone()],
                profile: VehicleProfile {
                    matrix: PROFILE.into(),
                    scale: (v.speed_factor != 1.0).then(|| 1.0 / v.speed_factor),
                },
                costs: costs.clone(),
                shifts: vec![VehicleShift {
                    start: ShiftStart {
                        earliest: stamp(v.shift.start),
                        latest: (!v.flexible_start).then(|| stamp(v.shift.start)),
                        location: c.location(v.start),
                    },
                    end: v.end.map(|e| ShiftEnd {
                        earliest: None,
                        latest: stamp(v.shift.end),
                        location: c.location(e),
                    }),
                    breaks: (!breaks.is_empty()).then_some(breaks),
                    reloads: None,
                    recharges: None,
                }],
                capacity: capacity(&v.capacity, dims),
                skills: Some(
                    v.skills
                        .iter()
                        .cloned()
                        .chain(std::iter::once(day_skill(v.date)))
                        .collect(),
                ),
                limits: (max_duration.is_some() || v.max_stops.is_some()).then_some(
                    VehicleLimits {
                        max_distance: None,
                        max_duration,
                        tour_size: v.max_stops,
                    },
                ),
            }
        })
        .collect();
    let objectives = match problem.goal {
        Goal::Duration => vec![
            Objective::MinimizeUnassigned {
                breaks: Some(BREAK_WEIGHT),
            },
            Objective::MinimizeCost,
        ],
        Goal::VehiclesThenDistance => vec![
            Objective::MinimizeUnassigned {
                breaks: Some(BREAK_WEIGHT),
            },
            Objective::MinimizeTours,
            Objective::MinimizeDistance,
        ],
    };
    let n = c.used.len();
    let mut travel_times = Vec::with_capacity(n * n);
    let mut distances = Vec::with_capacity(n * n);
    for &from in &c.used {
        for &to in &c.used {
            travel_times.push(matrix.duration_s(from, to).round() as i64);
            distances.push(matrix.distance_m(from, to).round() as i64);
        }
    }
    let api = Problem {
        plan: Plan {
            jobs,
            relations: (!relations.is_empty()).then_some(relations),
            clustering: None,
        },
        fleet: Fleet {
            vehicles,
            profiles: vec![MatrixProfile {
                name: PROFILE.into(),
                speed: None,
            }],
            resources: None,
        },
        objectives: Some(objectives),
    };
    let m = Matrix {
        profile: Some(PROFILE.into()),
        timestamp: None,
        travel_times,
        distances,
        error_codes: None,
    };
    Ok((api, m))
}

fn reason_of(code: &str) -> UnassignedReason {
    match code {
        "SKILL_CONSTRAINT" => UnassignedReason::Skills,
        "CAPACITY_CONSTRAINT" => UnassignedReason::Capacity,
        "TIME_WINDOW_CONSTRAINT" => UnassignedReason::TimeWindow,
        "MAX_DURATION_CONSTRAINT" | "MAX_DISTANCE_CONSTRAINT" | "BREAK_CONSTRAINT" => {
            UnassignedReason::WorkingHours
        }
        "TOUR_SIZE_CONSTRAINT" => UnassignedReason::StopLimit,
        "REACHABLE_CONSTRAINT" => UnassignedReason::Unreachable,
        _ => UnassignedReason::NotChosen,
    }
}

/// How close a vehicle that failed for `r` came to taking the job: lower is closer.
fn closeness(r: UnassignedReason) -> u8 {
    match r {
        UnassignedReason::TimeWindow => 0,
        UnassignedReason::WorkingHours => 1,
        UnassignedReason::StopLimit => 2,
        UnassignedReason::Capacity => 3,
        UnassignedReason::Skills => 4,
        UnassignedReason::NoDriver => 5,
        UnassignedReason::Unreachable => 6,
        UnassignedReason::NotChosen => 7,
    }
}

/// The engine's pragmatic solution as ours.
pub fn from_pragmatic(problem: &OptProblem, s: &ApiSolution) -> Result<OptSolution, OptError> {
    let vehicle_of: HashMap<&str, usize> = problem
        .vehicles
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let job_of: HashMap<&str, usize> = problem
        .jobs
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.as_str(), i))
        .collect();
    let mut routes = Vec::with_capacity(s.tours.len());
    for tour in &s.tours {
        let vehicle = *vehicle_of.get(tour.vehicle_id.as_str()).ok_or_else(|| {
            OptError::Engine(format!("unknown vehicle {:?} in solution", tour.vehicle_id))
        })?;
        // A first job at the start location shares the departure's stop, whose departure
        // is then the job's: the departure activity's own time says when the route leaves.
        let departure = match tour.stops.first() {
            Some(st) => match st
                .activities()
                .iter()
                .find(|a| a.activity_type == "departure")
            {
                Some(a) => match &a.time {
                    Some(t) => seconds_of(&t.end)?,
                    None => seconds_of(&st.schedule().departure)?,
                },
                None => seconds_of(&st.schedule().departure)?,
            },
            None => problem.vehicles[vehicle].shift.start,
        };
        let mut activities = Vec::new();
        for stop in &tour.stops {
            for a in stop.activities() {
                let (arrival, leave) = match &a.time {
                    Some(t) => (seconds_of(&t.start)?, seconds_of(&t.end)?),
                    None => (
                        seconds_of(&stop.schedule().arrival)?,
                        seconds_of(&stop.schedule().departure)?,
                    ),
                };
                let kind = match a.activity_type.as_str() {
                    "departure" | "arrival" => continue,
                    "break" => {
                        let tag = a.job_tag.as_deref().unwrap_or_default();
                        let index = tag
                            .strip_prefix("break:")
                            .and_then(|i| i.parse().ok())
                            .ok_or_else(|| {
                                OptError::Engine(format!("break without our tag: {tag:?}"))
                            })?;
                        ActivityKind::Break { index }
                    }
                    t => {
                        let job = *job_of.get(a.job_id.as_str()).ok_or_else(|| {
                            OptError::Engine(format!("unknown job {:?} in solution", a.job_id))
                        })?;
                        let segment = if t == "pickup" {
                            Segment::Pickup
                        } else {
                            Segment::Delivery
                        };
                        ActivityKind::Job { job, segment }
                    }
                };
                activities.push(OptActivity {
                    kind,
                    arrival,
                    departure: leave,
                });
            }
        }
        routes.push(OptRoute {
            vehicle,
            departure,
            activities,
        });
    }
    let mut unassigned = Vec::new();
    for u in s.unassigned.iter().flatten() {
        // Breaks the engine skipped are reported by the checker, not as tasks.
        let Some(&job) = job_of.get(u.job_id.as_str()) else {
            continue;
        };
        // The engine gives one reason per group of vehicles, in no set order: the planner
        // reads the one of the vehicles that came closest (a time window missed by a driver
        // who has the skills says more than the skills other drivers lack).
        let reason = u
            .reasons
            .iter()
            .map(|r| reason_of(&r.code))
            .min_by_key(|r| closeness(*r))
            .unwrap_or(UnassignedReason::NotChosen);
        unassigned.push(OptUnassigned { job, reason });
    }
    Ok(OptSolution { routes, unassigned })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::optimize::check::check;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::{day, line, tasks_on_a_line, van};
    use crate::sandbox::optimize::{OptBreak, OptJob, OptVehicle};

    /// Depot at 0; one van working 0–20 000 s with a break that may start 1 000–2 000 s;
    /// points 100 s apart on a line.
    fn problem(jobs: Vec<(usize, Vec<Window>)>) -> (OptProblem, EuclideanMatrix) {
        let (points, m) = line(4);
        let p = OptProblem {
            base_date: day(),
            points,
            dimensions: vec![],
            vehicles: vec![OptVehicle {
                breaks: vec![OptBreak {
                    window: Window::new(1000.0, 2000.0),
                    duration: 600.0,
                }],
                ..van("DR-1@20251103", Window::new(0.0, 20_000.0))
            }],
            jobs: jobs
                .into_iter()
                .enumerate()
                .map(|(i, (location, windows))| {
                    OptJob::task(
                        format!("j{i}"),
                        OptStop {
                            location,
                            duration: 60.0,
                            windows,
                        },
                    )
                })
                .collect(),
            goal: Goal::Duration,
        };
        (p, m)
    }

    #[test]
    fn progress_stays_below_done_while_the_anneal_runs() {
        // A plain problem under the vehicles goal: the engine has the first half of the
        // limit, the anneal the second; progress reads 100 % only once the plan is ready.
        let (p, m) = tasks_on_a_line(12, 3, 6.0);
        let control = SolveControl::default();
        let seen = control.clone();
        let limits = SolveLimits {
            time_limit_seconds: 2.0,
            max_generations: None,
        };
        let solver = std::thread::spawn(move || VrpOptimizer.solve(&p, &m, &limits, &control));
        std::thread::sleep(Duration::from_millis(1500));
        if !solver.is_finished() {
            assert!(seen.progress() < 1.0, "{}", seen.progress());
        }
        let s = solver.join().expect("no panic").expect("solved");
        assert_eq!(s.routes.len(), 2, "{s:?}");
        assert_eq!(seen.progress(), 1.0);
    }

    fn solve(p: &OptProblem, m: &EuclideanMatrix) -> OptSolution {
        let limits = SolveLimits {
            time_limit_seconds: 5.0,
            max_generations: Some(20),
        };
        VrpOptimizer
            .solve(p, m, &limits, &SolveControl::default())
            .expect("solved")
    }

    #[test]
    fn a_first_stop_at_the_depot_leaves_at_the_start_of_the_day() {
        // The first job shares the depot's place, so the engine puts it on the departure's
        // stop; the route still leaves at 0, not when that job is done.
        let (p, m) = problem(vec![
            (0, vec![Window::new(0.0, 100.0)]),
            (2, vec![Window::new(0.0, 3000.0)]),
        ]);
        let s = solve(&p, &m);
        assert_eq!(s.routes.len(), 1, "{s:?}");
        assert_eq!(s.routes[0].departure, 0.0, "{s:?}");
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
    }

    #[test]
    fn a_break_the_engine_cannot_start_with_is_taken_before_the_first_stop() {
        // The only job opens at 5 000 s, long after the break window closes: the engine
        // cannot start a route with a break, so the driver takes it at the depot.
        let (p, m) = problem(vec![(3, vec![Window::new(5000.0, 6000.0)])]);
        let s = solve(&p, &m);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        let kinds: Vec<ActivityKind> = s.routes[0].activities.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ActivityKind::Break { index: 0 },
                ActivityKind::Job {
                    job: 0,
                    segment: Segment::Delivery
                }
            ]
        );
        let b = s.routes[0].activities[0];
        assert_eq!((b.arrival, b.departure), (1000.0, 1600.0));
        assert_eq!(s.routes[0].activities[1].arrival, 5000.0);
    }
}
