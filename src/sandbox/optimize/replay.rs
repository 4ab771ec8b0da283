//! Replaying a route the way the sandbox times it: leave at the route's departure, travel
//! with the same whole seconds the engine was given, wait for the first window still open,
//! take each break where the driver is (waiting for its window if early). The checker and
//! the break placement both read these times, so they agree to the second.

use super::{
    ActivityKind, OptProblem, OptRoute, OptVehicle, Segment, TravelMatrix, Window, travel_seconds,
};

/// Seconds of slack for rounding between the engine's clock and ours.
pub const TIME_SLACK: f64 = 0.5;

/// When one activity of a replayed route happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timed {
    /// When service (or the break) starts, after any wait.
    pub start: f64,
    /// When the driver leaves.
    pub departure: f64,
    /// Whether it starts inside a window (its own, or the break's); activities that name a
    /// job or break that does not exist count as on time (the checker reports them).
    pub on_time: bool,
}

/// A replayed route.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    /// One entry per activity, in order.
    pub times: Vec<Timed>,
    /// When the route is done: back at the end location, or leaving the last stop.
    pub end: f64,
}

impl Replay {
    /// Whether every activity is on time and the route ends within the working hours.
    pub fn fits(&self, v: &OptVehicle) -> bool {
        self.times.iter().all(|t| t.on_time) && self.end <= v.shift.end + TIME_SLACK
    }

    /// Whether a break with window `w` must be taken on a route leaving at `departure` with
    /// these times: the route's working time overlaps the window.
    pub fn overlaps(&self, departure: f64, w: Window) -> bool {
        w.start < self.end && w.end > departure
    }
}

/// The first window that is still open at `arrival`, if any; `Some(None)` when the stop
/// takes any time.
pub fn open_window(windows: &[Window], arrival: f64) -> Option<Option<Window>> {
    if windows.is_empty() {
        return Some(None);
    }
    windows
        .iter()
        .filter(|w| w.end + TIME_SLACK >= arrival)
        .min_by(|a, b| a.start.total_cmp(&b.start))
        .map(|w| Some(*w))
}

/// Replays `route` (whose vehicle must exist in `problem`).
pub fn replay(problem: &OptProblem, matrix: &dyn TravelMatrix, route: &OptRoute) -> Replay {
    let Some(v) = problem.vehicles.get(route.vehicle) else {
        return Replay {
            times: vec![],
            end: route.departure,
        };
    };
    let mut here = v.start;
    let mut clock = route.departure;
    let mut times = Vec::with_capacity(route.activities.len());
    for a in &route.activities {
        let (start, duration, on_time) = match a.kind {
            ActivityKind::Break { index } => match v.breaks.get(index) {
                Some(b) => {
                    let start = clock.max(b.window.start);
                    (start, b.duration, start <= b.window.end + TIME_SLACK)
                }
                None => (clock, 0.0, true),
            },
            ActivityKind::Job { job, segment } => {
                let stop = problem.jobs.get(job).and_then(|j| match segment {
                    Segment::Pickup => j.pickup.as_ref(),
                    Segment::Delivery => Some(&j.delivery),
                });
                match stop {
                    Some(s) => {
                        clock += travel_seconds(matrix, v, here, s.location);
                        here = s.location;
                        match open_window(&s.windows, clock) {
                            Some(Some(w)) => (clock.max(w.start), s.duration, true),
                            Some(None) => (clock, s.duration, true),
                            None => (clock, s.duration, false),
                        }
                    }
                    None => (clock, 0.0, true),
                }
            }
        };
        clock = start + duration;
        times.push(Timed {
            start,
            departure: clock,
            on_time,
        });
    }
    if let Some(e) = v.end {
        clock += travel_seconds(matrix, v, here, e);
    }
    Replay { times, end: clock }
}

/// Sets every activity's arrival and departure of `route` to its replayed times.
pub fn retime(problem: &OptProblem, matrix: &dyn TravelMatrix, route: &mut OptRoute) {
    let r = replay(problem, matrix, route);
    for (a, t) in route.activities.iter_mut().zip(r.times) {
        a.arrival = t.start;
        a.departure = t.departure;
    }
}
