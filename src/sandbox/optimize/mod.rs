//! Route optimization: our own engine-neutral problem and solution types, the
//! [`Optimizer`] trait, and the pieces around it (problem building, travel matrices, the
//! vrp-core adapter, an independent result checker, jobs and their application).
//!
//! Times in this module are seconds from midnight of [`OptProblem::base_date`]; a stop on
//! the next day is 86 400 seconds later. Distances are metres.

pub mod anneal;
pub mod apply;
pub mod breaks;
pub mod check;
mod engine;
pub mod insert;
pub mod jobs;
pub mod matrix;
pub mod polish;
pub mod problem;
pub mod replay;
pub mod result;
#[cfg(test)]
mod testing;
mod vehicles_first;
pub mod vrp;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use serde::Serialize;
use thiserror::Error;

use crate::api::model::{Coordinates, Date};

pub use matrix::TravelMatrix;

/// Seconds in a day.
pub const DAY_SECONDS: f64 = 86_400.0;

/// A time window `[start, end]` in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    /// Earliest second.
    pub start: f64,
    /// Latest second.
    pub end: f64,
}

impl Window {
    /// A window from `start` to `end` seconds.
    pub fn new(start: f64, end: f64) -> Self {
        Window { start, end }
    }
}

/// One place a job visits: where, how long, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct OptStop {
    /// Index into [`OptProblem::points`].
    pub location: usize,
    /// Seconds on site (setup + service).
    pub duration: f64,
    /// When service may start; empty means any time.
    pub windows: Vec<Window>,
}

/// What a job is on the wire: a stored task, or a fixed stop that stays where it is.
#[derive(Debug, Clone, PartialEq)]
pub enum JobOrigin {
    /// A task to place (`occurrence` > 0 for the extra copies of an interval task).
    Task {
        /// The task's `_id`.
        id: String,
        /// Which occurrence of an interval task (0 for every other task).
        occurrence: u32,
    },
    /// A stop already on a route that must stay there, in order: a completed, failed or
    /// started task, or a task locked in place.
    Pinned {
        /// The task's `_id`.
        id: String,
        /// The route leg's segment (`pickup` or `delivery`).
        segment: Segment,
    },
}

/// Which stop of a task a route leg serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Segment {
    /// Loading at the pickup location.
    Pickup,
    /// Unloading or service at the task's location.
    Delivery,
}

/// A job: a delivery (or service), or a pickup-and-delivery pair served by one vehicle,
/// pickup first.
#[derive(Debug, Clone, PartialEq)]
pub struct OptJob {
    /// Unique id within the problem.
    pub id: String,
    /// Where the job comes from.
    pub origin: JobOrigin,
    /// The pickup of a pair.
    pub pickup: Option<OptStop>,
    /// The delivery (or the only stop).
    pub delivery: OptStop,
    /// Size per dimension (see [`OptProblem::dimensions`]).
    pub demand: Vec<f64>,
    /// Skills and capabilities a vehicle must all have.
    pub skills: Vec<String>,
    /// Days it may be served on (a vehicle's `date`); empty means any.
    pub days: Vec<Date>,
    /// For a pinned job: the vehicle it stays on.
    pub pinned_to: Option<usize>,
}

impl OptJob {
    /// Whether vehicle `v` may serve it: it has every skill and capability the job needs and
    /// works on one of the job's days.
    pub fn fits(&self, v: &OptVehicle) -> bool {
        self.skills.iter().all(|s| v.skills.contains(s))
            && (self.days.is_empty() || self.days.contains(&v.date))
    }

    /// A job of one stop for task `id` (its first occurrence), with no size, skills, day
    /// or pin: the shape of a plain VRPTW customer.
    pub fn task(id: impl Into<String>, delivery: OptStop) -> OptJob {
        let id = id.into();
        OptJob {
            origin: JobOrigin::Task {
                id: id.clone(),
                occurrence: 0,
            },
            id,
            pickup: None,
            delivery,
            demand: vec![],
            skills: vec![],
            days: vec![],
            pinned_to: None,
        }
    }
}

/// A driver's break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptBreak {
    /// When the break may start (absolute seconds).
    pub window: Window,
    /// Seconds.
    pub duration: f64,
}

/// A vehicle: one driver on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct OptVehicle {
    /// Unique id within the problem (`DRIVER_UID@YYYYMMDD`).
    pub id: String,
    /// The driver's `_id`.
    pub driver_id: String,
    /// The driver's uid.
    pub driver_uid: String,
    /// The day.
    pub date: Date,
    /// Start location index.
    pub start: usize,
    /// End location index; `None` ends at the last stop.
    pub end: Option<usize>,
    /// Working time: leaves at `shift.start`, done by `shift.end`.
    pub shift: Window,
    /// Whether departure may be later than `shift.start` (benchmarks); the sandbox leaves at
    /// the start of the schedule, as its ETAs do.
    pub flexible_start: bool,
    /// Capacity per dimension; `f64::INFINITY` when unlimited.
    pub capacity: Vec<f64>,
    /// Driver skills and vehicle capabilities (see [`skill_key`] and [`capability_key`]).
    pub skills: Vec<String>,
    /// Breaks.
    pub breaks: Vec<OptBreak>,
    /// Travel takes `1 / speed_factor` of the matrix time.
    pub speed_factor: f64,
    /// Most job stops (pickups and deliveries) on the route.
    pub max_stops: Option<usize>,
}

/// The key of a driver skill in [`OptVehicle::skills`] and [`OptJob::skills`].
pub fn skill_key(s: &str) -> String {
    format!("skill:{s}")
}

/// The key of a vehicle capability in [`OptVehicle::skills`] and [`OptJob::skills`].
pub fn capability_key(s: &str) -> String {
    format!("capability:{s}")
}

/// What using one more driver costs under [`Goal::Duration`], in seconds of working time.
pub const ROUTE_COST_SECONDS: f64 = 1800.0;

/// What the optimizer minimises after assigning as many jobs as it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Goal {
    /// Total working time, with a cost per route so that fewer drivers are preferred
    /// (eLogii's default engine).
    #[default]
    Duration,
    /// Fewest vehicles, then shortest distance (the Solomon benchmark objective).
    VehiclesThenDistance,
}

/// A whole problem.
#[derive(Debug, Clone, PartialEq)]
pub struct OptProblem {
    /// Day of time 0.
    pub base_date: Date,
    /// Every location, `[x, y]` (longitude, latitude for real data).
    pub points: Vec<Coordinates>,
    /// Names of the size dimensions.
    pub dimensions: Vec<String>,
    /// Vehicles.
    pub vehicles: Vec<OptVehicle>,
    /// Jobs.
    pub jobs: Vec<OptJob>,
    /// Objective.
    pub goal: Goal,
}

/// What happens at one point of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum ActivityKind {
    /// A job's pickup or delivery.
    Job {
        /// Index into [`OptProblem::jobs`].
        job: usize,
        /// Which stop of the job.
        segment: Segment,
    },
    /// A break.
    Break {
        /// Index into the vehicle's breaks.
        index: usize,
    },
}

/// One activity with the engine's times.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptActivity {
    /// What.
    pub kind: ActivityKind,
    /// Arrival, seconds.
    pub arrival: f64,
    /// Departure, seconds.
    pub departure: f64,
}

impl OptActivity {
    /// `kind` before any timing (a replay gives it its times).
    pub fn untimed(kind: ActivityKind) -> OptActivity {
        OptActivity {
            kind,
            arrival: 0.0,
            departure: 0.0,
        }
    }
}

/// One vehicle's route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptRoute {
    /// Index into [`OptProblem::vehicles`].
    pub vehicle: usize,
    /// Departure from the start location, seconds.
    pub departure: f64,
    /// Activities in order.
    pub activities: Vec<OptActivity>,
}

impl OptRoute {
    /// A route of `vehicle` leaving at `departure` that delivers `jobs` in order, not yet
    /// timed (a replay gives it its times).
    pub fn deliveries(vehicle: usize, departure: f64, jobs: &[usize]) -> OptRoute {
        OptRoute {
            vehicle,
            departure,
            activities: jobs
                .iter()
                .map(|&job| {
                    OptActivity::untimed(ActivityKind::Job {
                        job,
                        segment: Segment::Delivery,
                    })
                })
                .collect(),
        }
    }

    /// The jobs it serves, in order (a pair's job twice); breaks skipped.
    pub fn jobs(&self) -> impl Iterator<Item = usize> + '_ {
        self.activities.iter().filter_map(|a| match a.kind {
            ActivityKind::Job { job, .. } => Some(job),
            ActivityKind::Break { .. } => None,
        })
    }

    /// The first position a stop may be put at: after the stops pinned in place, which stay
    /// first.
    pub fn first_free_position(&self, problem: &OptProblem) -> usize {
        self.activities
            .iter()
            .rposition(|a| match a.kind {
                ActivityKind::Job { job, .. } => {
                    problem.jobs.get(job).is_some_and(|j| j.pinned_to.is_some())
                }
                ActivityKind::Break { .. } => false,
            })
            .map_or(0, |p| p + 1)
    }
}

/// Why a job was left out, in words a planner reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum UnassignedReason {
    /// No available driver has every skill and vehicle capability it needs.
    Skills,
    /// It does not fit in any vehicle.
    Capacity,
    /// It cannot be reached inside its time windows.
    TimeWindow,
    /// No driver's working hours (or breaks) leave room for it.
    WorkingHours,
    /// Every route that could take it has reached its stop limit.
    StopLimit,
    /// Its location is unknown or cannot be reached.
    Unreachable,
    /// No driver works on its day(s).
    NoDriver,
    /// It could fit, but the optimizer used the time for other tasks.
    NotChosen,
}

impl UnassignedReason {
    /// A sentence for the planner.
    pub fn describe(self) -> &'static str {
        match self {
            UnassignedReason::Skills => {
                "no available driver has every skill and vehicle capability the task needs"
            }
            UnassignedReason::Capacity => "the task does not fit in any available vehicle",
            UnassignedReason::TimeWindow => "the task cannot be reached inside its time windows",
            UnassignedReason::WorkingHours => {
                "no driver's working hours and breaks leave room for the task"
            }
            UnassignedReason::StopLimit => "every suitable route has reached its stop limit",
            UnassignedReason::Unreachable => "the task's location is unknown or unreachable",
            UnassignedReason::NoDriver => "no driver works on the task's day",
            UnassignedReason::NotChosen => {
                "the task fits in principle, but other tasks used the available time"
            }
        }
    }
}

/// A job left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptUnassigned {
    /// Index into [`OptProblem::jobs`].
    pub job: usize,
    /// Why.
    pub reason: UnassignedReason,
}

/// A solution.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct OptSolution {
    /// Routes of the vehicles that are used.
    pub routes: Vec<OptRoute>,
    /// Jobs left out.
    pub unassigned: Vec<OptUnassigned>,
}

/// Limits of one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveLimits {
    /// Wall-clock seconds.
    pub time_limit_seconds: f64,
    /// Stop after this many generations (tests use it to finish early on tiny problems).
    pub max_generations: Option<usize>,
}

impl Default for SolveLimits {
    fn default() -> Self {
        SolveLimits {
            time_limit_seconds: 10.0,
            max_generations: None,
        }
    }
}

/// Shared between a running solve and its observers: a cancel flag and the progress.
#[derive(Debug, Clone, Default)]
pub struct SolveControl {
    cancel: Arc<AtomicBool>,
    progress: Arc<AtomicU32>,
}

impl SolveControl {
    /// Asks the solve to stop as soon as it can (it returns the best solution so far).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
    /// Whether cancel was asked.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }
    /// Records progress in `0..=1`; it never goes back.
    pub fn report(&self, p: f32) {
        let p = p.clamp(0.0, 1.0);
        let _ = self
            .progress
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |old| {
                (p > f32::from_bits(old)).then_some(p.to_bits())
            });
    }
    /// The progress so far, `0..=1`.
    pub fn progress(&self) -> f32 {
        f32::from_bits(self.progress.load(Ordering::SeqCst))
    }
}

/// Why a solve failed.
#[derive(Debug, Error)]
pub enum OptError {
    /// The problem is not one the engine accepts.
    #[error("the optimization problem is invalid: {0}")]
    InvalidProblem(String),
    /// The engine failed.
    #[error("the optimizer failed: {0}")]
    Engine(String),
    /// The travel matrix could not be had.
    #[error("travel times unavailable: {0}")]
    Matrix(String),
}

/// A route optimizer. Implementations must honour every constraint of [`OptProblem`],
/// stop by the time limit or when cancelled, and report progress through `control`.
pub trait Optimizer: Send + Sync {
    /// Solves `problem` with travel from `matrix` (indexed like `problem.points`).
    fn solve(
        &self,
        problem: &OptProblem,
        matrix: &dyn TravelMatrix,
        limits: &SolveLimits,
        control: &SolveControl,
    ) -> Result<OptSolution, OptError>;
}

/// Whole seconds of travel between two points for a vehicle: the engine and the checker
/// both use this, so they agree to the second.
pub fn travel_seconds(matrix: &dyn TravelMatrix, v: &OptVehicle, from: usize, to: usize) -> f64 {
    matrix.duration_s(from, to).round() / v.speed_factor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_only_moves_forward_and_cancel_is_seen() {
        let c = SolveControl::default();
        c.report(0.4);
        c.report(0.2);
        assert!((c.progress() - 0.4).abs() < 1e-6);
        c.report(3.0);
        assert!((c.progress() - 1.0).abs() < 1e-6);
        let seen_by_clone = c.clone();
        assert!(!seen_by_clone.is_cancelled());
        c.cancel();
        assert!(seen_by_clone.is_cancelled());
    }
}
