//! Travel times and ETAs along an ordered route. The console's ETAs and the optimizer use
//! the same [`TravelModel`], so the two never disagree.

use crate::api::model::{Coordinates, Minutes, TimeWindow};

/// Road travel estimated from straight-line distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TravelModel {
    /// Average speed in km/h.
    pub speed_kmh: f64,
    /// Road distance over straight-line distance.
    pub detour_factor: f64,
}

impl Default for TravelModel {
    /// 30 km/h with a 1.3 detour factor: urban delivery driving.
    fn default() -> Self {
        TravelModel {
            speed_kmh: 30.0,
            detour_factor: 1.3,
        }
    }
}

impl TravelModel {
    /// Road metres between two points.
    pub fn distance_m(&self, a: Coordinates, b: Coordinates) -> f64 {
        a.haversine_m(&b) * self.detour_factor
    }
    /// Driving minutes between two points.
    pub fn minutes(&self, a: Coordinates, b: Coordinates) -> f64 {
        self.distance_m(a, b) / 1000.0 / self.speed_kmh * 60.0
    }
}

/// One stop to be timed.
#[derive(Debug, Clone, Default)]
pub struct StopInput {
    /// Where it is; a stop without coordinates takes no travel time.
    pub coordinates: Option<Coordinates>,
    /// When it may be served; empty means any time.
    pub time_windows: Vec<TimeWindow>,
    /// Minutes on site (setup + service).
    pub service_minutes: f64,
}

/// Timing of one stop.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StopTimes {
    /// Arrival, minutes from midnight.
    pub eta: Minutes,
    /// Departure, minutes from midnight.
    pub departure: Minutes,
    /// Metres from the previous point.
    pub distance_m: f64,
    /// Minutes from the previous point.
    pub travel_minutes: f64,
    /// Minutes waited for the window to open.
    pub wait_minutes: f64,
    /// Minutes arrived past the end of every window (0 when on time).
    pub lateness_minutes: f64,
}

/// Timing of a whole route.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RouteTimes {
    /// Per stop, in order.
    pub stops: Vec<StopTimes>,
    /// Arrival back at the end location, minutes from midnight.
    pub end: Minutes,
    /// Total metres, including the way to the end location.
    pub distance_m: f64,
}

/// A break planned on a route: taken where the driver is, after `after_stops` stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlannedBreak {
    /// Stops served before the break (0: before the first stop).
    pub after_stops: usize,
    /// Earliest minute the break may start; the driver waits for it.
    pub earliest: f64,
    /// Minutes.
    pub duration: f64,
}

/// Times a route: leave `start` at `start_minute`, serve `stops` in order, finish at `end`.
///
/// A driver arriving early waits for the first window that has not closed; arriving after
/// every window, they serve at once and the stop is late by the difference.
pub fn time_route(
    model: &TravelModel,
    start: Option<Coordinates>,
    start_minute: Minutes,
    stops: &[StopInput],
    end: Option<Coordinates>,
) -> RouteTimes {
    time_route_with_breaks(model, start, start_minute, stops, &[], end)
}

/// [`time_route`] with breaks taken between stops.
pub fn time_route_with_breaks(
    model: &TravelModel,
    start: Option<Coordinates>,
    start_minute: Minutes,
    stops: &[StopInput],
    breaks: &[PlannedBreak],
    end: Option<Coordinates>,
) -> RouteTimes {
    let mut out = RouteTimes::default();
    let mut here = start;
    let mut clock = start_minute as f64;
    let take_breaks = |clock: &mut f64, served: usize| {
        for b in breaks.iter().filter(|b| b.after_stops == served) {
            *clock = clock.max(b.earliest) + b.duration.max(0.0);
        }
    };
    for (i, s) in stops.iter().enumerate() {
        take_breaks(&mut clock, i);
        let (dist, travel) = match (here, s.coordinates) {
            (Some(a), Some(b)) => (model.distance_m(a, b), model.minutes(a, b)),
            _ => (0.0, 0.0),
        };
        clock += travel;
        let arrival = clock;
        let (mut wait, mut late) = (0.0, 0.0);
        if !s.time_windows.is_empty() {
            match s
                .time_windows
                .iter()
                .filter(|w| (w.end as f64) >= arrival)
                .min_by_key(|w| w.start)
            {
                Some(w) if (w.start as f64) > arrival => {
                    wait = w.start as f64 - arrival;
                    clock = w.start as f64;
                }
                Some(_) => {}
                None => {
                    let last_end = s.time_windows.iter().map(|w| w.end).max().unwrap_or(0);
                    late = arrival - last_end as f64;
                }
            }
        }
        let eta = clock;
        clock += s.service_minutes.max(0.0);
        out.distance_m += dist;
        out.stops.push(StopTimes {
            eta: eta.round() as Minutes,
            departure: clock.round() as Minutes,
            distance_m: dist,
            travel_minutes: travel,
            wait_minutes: wait,
            lateness_minutes: late,
        });
        if s.coordinates.is_some() {
            here = s.coordinates;
        }
    }
    take_breaks(&mut clock, stops.len());
    if let (Some(a), Some(b)) = (here, end) {
        out.distance_m += model.distance_m(a, b);
        clock += model.minutes(a, b);
    }
    out.end = clock.round() as Minutes;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_windows_and_marks_lateness() {
        let m = TravelModel::default();
        let depot = Coordinates::new(-0.1278, 51.5074);
        let near = Coordinates::new(-0.1278, 51.5164); // ~1 km north
        let stops = vec![
            StopInput {
                coordinates: Some(near),
                time_windows: vec![TimeWindow::new(600, 660)],
                service_minutes: 10.0,
            },
            StopInput {
                coordinates: Some(depot),
                time_windows: vec![TimeWindow::new(480, 500)],
                service_minutes: 5.0,
            },
        ];
        let t = time_route(&m, Some(depot), 480, &stops, Some(depot));
        assert_eq!(t.stops[0].eta, 600, "waits for 10:00");
        assert!(t.stops[0].wait_minutes > 100.0);
        assert!(
            t.stops[1].lateness_minutes > 100.0,
            "second stop's window closed at 08:20"
        );
        assert!(
            t.distance_m > 2000.0 && t.distance_m < 3000.0,
            "{}",
            t.distance_m
        );
        let pause = PlannedBreak {
            after_stops: 1,
            earliest: 700.0,
            duration: 30.0,
        };
        let b = time_route_with_breaks(&m, Some(depot), 480, &stops, &[pause], Some(depot));
        assert_eq!(b.stops[0].eta, 600);
        assert!(
            b.stops[1].eta >= 730 && b.stops[1].eta < 740,
            "waits for the break window, then pauses 30 minutes: {}",
            b.stops[1].eta
        );
    }
}
