//! Small problems for the optimizer's unit tests: a day, points on a line, a van, a route.

use crate::api::model::{Coordinates, Date};

use super::matrix::EuclideanMatrix;
use super::{Goal, OptJob, OptProblem, OptRoute, OptStop, OptVehicle, Window};

/// The day every test problem is on.
pub fn day() -> Date {
    Date::from_yyyymmdd(20251103).expect("a valid date")
}

/// `n` points on a line one unit apart, the first the depot, and a matrix of 100 m and
/// 100 s per unit.
pub fn line(n: usize) -> (Vec<Coordinates>, EuclideanMatrix) {
    let points: Vec<Coordinates> = (0..n).map(|i| Coordinates::new(i as f64, 0.0)).collect();
    let m = EuclideanMatrix::new(points.clone(), 100.0, 100.0);
    (points, m)
}

/// Van `id`, from and back to point 0, working `shift`: no capacity, skills or breaks.
pub fn van(id: &str, shift: Window) -> OptVehicle {
    OptVehicle {
        id: id.into(),
        driver_id: id.into(),
        driver_uid: id.into(),
        date: day(),
        start: 0,
        end: Some(0),
        shift,
        flexible_start: false,
        capacity: vec![],
        skills: vec![],
        breaks: vec![],
        speed_factor: 1.0,
        max_stops: None,
    }
}

/// A route of `vehicle` leaving at 0 and delivering `jobs` in order, not yet timed.
pub fn deliveries(vehicle: usize, jobs: &[usize]) -> OptRoute {
    OptRoute::deliveries(vehicle, 0.0, jobs)
}

/// Task `id` of `size` at point `location`, `duration` s of service, within `windows`.
pub fn sized_task(
    id: impl Into<String>,
    location: usize,
    size: f64,
    duration: f64,
    windows: Vec<Window>,
) -> OptJob {
    OptJob {
        demand: vec![size],
        ..OptJob::task(
            id,
            OptStop {
                location,
                duration,
                windows,
            },
        )
    }
}

/// `tasks` tasks of size 1 (a minute each, any time) at points 1..=tasks of [`line`], and
/// `vans` vans of `capacity` working 0–100 000 s, vehicles first.
pub fn tasks_on_a_line(tasks: usize, vans: usize, capacity: f64) -> (OptProblem, EuclideanMatrix) {
    let (points, m) = line(tasks + 1);
    let p = OptProblem {
        base_date: day(),
        points,
        dimensions: vec!["size".into()],
        vehicles: (0..vans)
            .map(|i| OptVehicle {
                capacity: vec![capacity],
                ..van(&format!("v{i}"), Window::new(0.0, 100_000.0))
            })
            .collect(),
        jobs: (1..=tasks)
            .map(|i| sized_task(format!("t{i}"), i, 1.0, 60.0, vec![]))
            .collect(),
        goal: Goal::VehiclesThenDistance,
    };
    (p, m)
}
