//! Small problems for the optimizer's unit tests: a day, points on a line, a van, a route.

use crate::api::model::{Coordinates, Date};

use super::matrix::EuclideanMatrix;
use super::{ActivityKind, OptActivity, OptRoute, OptVehicle, Segment, Window};

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
    OptRoute {
        vehicle,
        departure: 0.0,
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
