//! A polish after the engine. The engine's ruin-and-recreate search stops at its time limit
//! wherever it is; a plain local descent (move a run of one to three stops, swap two stops,
//! reverse a stretch of a route, swap two routes' tails) then takes every change that frees
//! a vehicle or lowers the goal's measure (distance for vehicles-then-distance, working time
//! for the duration goal) and keeps every route within the rules [`route_faults`] knows.
//! Only stops that are free to move are moved: single-stop tasks not pinned in place; pairs,
//! pinned stops and breaks stay where they are on their route.

use std::time::Instant;

use super::check::route_faults;
use super::replay::{replay, retime};
use super::{
    ActivityKind, Goal, OptActivity, OptProblem, OptRoute, OptSolution, ROUTE_COST_SECONDS,
    Segment, TravelMatrix,
};

/// Metres or seconds a change must save to count, so rounding never loops.
const EPSILON: f64 = 1e-6;

/// Longest run of stops moved at once.
const MAX_RUN: usize = 3;

/// Improves `solution` until no move helps or `deadline` passes; returns what it saved
/// (metres, or seconds of working time). Routes get replayed times.
pub fn polish(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    solution: &mut OptSolution,
    deadline: Instant,
) -> f64 {
    if solution.routes.is_empty() {
        return 0.0;
    }
    let mut plan = Plan {
        problem,
        matrix,
        routes: std::mem::take(&mut solution.routes),
        costs: Vec::new(),
        deadline,
    };
    plan.costs = plan.routes.iter().map(|r| plan.cost(r)).collect();
    let before: f64 = plan.costs.iter().sum();
    while plan.empty_a_route() {}
    while plan.sweep() {}
    let saved = before - plan.costs.iter().sum::<f64>();
    let mut routes = plan.routes;
    routes.retain(has_jobs);
    for r in &mut routes {
        retime(problem, matrix, r);
    }
    solution.routes = routes;
    saved
}

struct Plan<'a> {
    problem: &'a OptProblem,
    matrix: &'a dyn TravelMatrix,
    routes: Vec<OptRoute>,
    /// The goal's measure of each route, kept with the routes.
    costs: Vec<f64>,
    deadline: Instant,
}

impl Plan<'_> {
    /// Empties the route with the fewest stops that can be emptied: each of its stops goes
    /// where it adds least on the other routes, as they stand. Worth it for the vehicles
    /// goal always, for the duration goal when the time added is less than the route cost.
    fn empty_a_route(&mut self) -> bool {
        let mut order: Vec<usize> = (0..self.routes.len())
            .filter(|&a| has_jobs(&self.routes[a]))
            .collect();
        order.sort_by_key(|&a| self.routes[a].activities.len());
        order.into_iter().any(|a| !self.late() && self.empty(a))
    }

    fn empty(&mut self, a: usize) -> bool {
        let stops: Vec<OptActivity> = self.routes[a]
            .activities
            .iter()
            .filter(|x| self.location(x).is_some())
            .copied()
            .collect();
        if !stops.iter().all(|x| self.movable(x)) {
            return false;
        }
        let mut routes = self.routes.clone();
        routes[a]
            .activities
            .retain(|x| matches!(x.kind, ActivityKind::Break { .. }));
        let mut costs = self.costs.clone();
        costs[a] = 0.0;
        for stop in stops {
            if self.late() {
                return false;
            }
            let mut best: Option<(f64, usize, OptRoute)> = None;
            for (b, route) in routes.iter().enumerate() {
                if b == a || !has_jobs(route) {
                    continue;
                }
                for p in self.head(route)..=route.activities.len() {
                    let mut r = route.clone();
                    r.activities.insert(p, stop);
                    let added = self.cost(&r) - costs[b];
                    if best.as_ref().is_some_and(|(c, _, _)| *c <= added) || !self.fits(&r) {
                        continue;
                    }
                    best = Some((added, b, r));
                }
            }
            let Some((added, b, r)) = best else {
                return false;
            };
            routes[b] = r;
            costs[b] += added;
        }
        let (old, new) = (self.costs.iter().sum::<f64>(), costs.iter().sum::<f64>());
        let worth = match self.problem.goal {
            Goal::VehiclesThenDistance => true,
            Goal::Duration => new - ROUTE_COST_SECONDS < old - EPSILON,
        };
        if worth {
            self.routes = routes;
            self.costs = costs;
        }
        worth
    }

    /// Tries every move from every stop once, taking each change that helps as it is found
    /// and going on from there; true when any was taken. Stops at the deadline.
    fn sweep(&mut self) -> bool {
        let mut any = false;
        for a in 0..self.routes.len() {
            for len in 1..=MAX_RUN {
                let mut i = self.head(&self.routes[a]);
                while i + len <= self.routes[a].activities.len() {
                    if self.late() {
                        return false;
                    }
                    if self.relocate(a, i, len) {
                        any = true;
                    } else {
                        i += 1;
                    }
                }
            }
            let mut i = self.head(&self.routes[a]);
            while i <= self.routes[a].activities.len() {
                if self.late() {
                    return false;
                }
                if self.swap(a, i) || self.reverse(a, i) || self.cross(a, i) {
                    any = true;
                } else {
                    i += 1;
                }
            }
        }
        any
    }

    /// What the goal counts of a route: metres driven, or seconds from leaving to done.
    fn cost(&self, route: &OptRoute) -> f64 {
        match self.problem.goal {
            Goal::VehiclesThenDistance => self.distance(route),
            Goal::Duration if !has_jobs(route) => 0.0,
            Goal::Duration => replay(self.problem, self.matrix, route).end - route.departure,
        }
    }

    fn late(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Metres driven: start, each stop, end.
    fn distance(&self, route: &OptRoute) -> f64 {
        let Some(v) = self.problem.vehicles.get(route.vehicle) else {
            return 0.0;
        };
        let mut here = v.start;
        let mut metres = 0.0;
        for a in &route.activities {
            if let Some(at) = self.location(a) {
                metres += self.matrix.distance_m(here, at);
                here = at;
            }
        }
        if let Some(end) = v.end {
            metres += self.matrix.distance_m(here, end);
        }
        metres
    }

    fn location(&self, a: &OptActivity) -> Option<usize> {
        let ActivityKind::Job { job, segment } = a.kind else {
            return None;
        };
        let j = self.problem.jobs.get(job)?;
        match segment {
            Segment::Pickup => j.pickup.as_ref().map(|p| p.location),
            Segment::Delivery => Some(j.delivery.location),
        }
    }

    /// A single-stop task not pinned in place.
    fn movable(&self, a: &OptActivity) -> bool {
        match a.kind {
            ActivityKind::Job {
                job,
                segment: Segment::Delivery,
            } => self
                .problem
                .jobs
                .get(job)
                .is_some_and(|j| j.pickup.is_none() && j.pinned_to.is_none()),
            _ => false,
        }
    }

    /// The first position a stop may take: after the stops pinned in place.
    fn head(&self, route: &OptRoute) -> usize {
        route.first_free_position(self.problem)
    }

    fn all_movable(&self, acts: &[OptActivity]) -> bool {
        acts.iter().all(|a| self.movable(a))
    }

    fn fits(&self, route: &OptRoute) -> bool {
        route_faults(self.problem, self.matrix, route).is_empty()
    }

    /// Takes the change of routes `a` (and `b`) to `new_a` (and `new_b`) when it frees a
    /// vehicle or lowers the goal's measure and every changed route still fits.
    fn take(&mut self, a: usize, new_a: OptRoute, b: Option<(usize, OptRoute)>) -> bool {
        let jobs = |r: &OptRoute| r.activities.iter().any(|x| self.location(x).is_some());
        let old = self.costs[a] + b.as_ref().map_or(0.0, |(i, _)| self.costs[*i]);
        let (cost_a, cost_b) = (
            self.cost(&new_a),
            b.as_ref().map_or(0.0, |(_, r)| self.cost(r)),
        );
        let new = cost_a + cost_b;
        let frees = (!jobs(&new_a) && jobs(&self.routes[a]))
            || b.as_ref()
                .is_some_and(|(i, r)| !jobs(r) && jobs(&self.routes[*i]));
        // A route left without stops is a vehicle freed; it never takes stops again.
        let revives = (jobs(&new_a) && !jobs(&self.routes[a]))
            || b.as_ref()
                .is_some_and(|(i, r)| jobs(r) && !jobs(&self.routes[*i]));
        let better = match self.problem.goal {
            // Vehicles first, whatever the distance.
            Goal::VehiclesThenDistance => frees || new < old - EPSILON,
            // A driver less is worth the route cost in working time.
            Goal::Duration => {
                let freed = if frees { ROUTE_COST_SECONDS } else { 0.0 };
                new - freed < old - EPSILON
            }
        };
        if revives || !better {
            return false;
        }
        if !self.fits(&new_a) || b.as_ref().is_some_and(|(_, r)| !self.fits(r)) {
            return false;
        }
        self.routes[a] = new_a;
        self.costs[a] = cost_a;
        if let Some((i, r)) = b {
            self.routes[i] = r;
            self.costs[i] = cost_b;
        }
        true
    }

    /// Moves the run of `len` stops at `i` of route `a` (either way round) to another place
    /// on any route.
    fn relocate(&mut self, a: usize, i: usize, len: usize) -> bool {
        let run = self.routes[a].activities[i..i + len].to_vec();
        if !self.all_movable(&run) {
            return false;
        }
        let mut rest = self.routes[a].clone();
        rest.activities.drain(i..i + len);
        for reversed in [false, true] {
            if reversed && len == 1 {
                continue;
            }
            let mut run = run.clone();
            if reversed {
                run.reverse();
            }
            for b in 0..self.routes.len() {
                let places = if b == a { &rest } else { &self.routes[b] };
                for p in self.head(places)..=places.activities.len() {
                    if b == a && p == i && !reversed {
                        continue;
                    }
                    let mut moved = if b == a {
                        rest.clone()
                    } else {
                        self.routes[b].clone()
                    };
                    moved.activities.splice(p..p, run.iter().copied());
                    let done = if b == a {
                        self.take(a, moved, None)
                    } else {
                        self.take(a, rest.clone(), Some((b, moved)))
                    };
                    if done {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Swaps stop `i` of route `a` with a stop of a later route.
    fn swap(&mut self, a: usize, i: usize) -> bool {
        if !self.routes[a]
            .activities
            .get(i)
            .is_some_and(|x| self.movable(x))
        {
            return false;
        }
        for b in a + 1..self.routes.len() {
            for j in self.head(&self.routes[b])..self.routes[b].activities.len() {
                if !self.movable(&self.routes[b].activities[j]) {
                    continue;
                }
                let (mut ra, mut rb) = (self.routes[a].clone(), self.routes[b].clone());
                std::mem::swap(&mut ra.activities[i], &mut rb.activities[j]);
                if self.take(a, ra, Some((b, rb))) {
                    return true;
                }
            }
        }
        false
    }

    /// Reverses a stretch of free stops of route `a` that starts at `i`.
    fn reverse(&mut self, a: usize, i: usize) -> bool {
        let n = self.routes[a].activities.len();
        for j in i + 2..n {
            if !self.all_movable(&self.routes[a].activities[i..=j]) {
                break;
            }
            let mut r = self.routes[a].clone();
            r.activities[i..=j].reverse();
            if self.take(a, r, None) {
                return true;
            }
        }
        false
    }

    /// Swaps the tail of route `a` from `i` with the tail of another route (each tail only
    /// free stops; either may be empty).
    fn cross(&mut self, a: usize, i: usize) -> bool {
        let na = self.routes[a].activities.len();
        if i > na || !self.all_movable(&self.routes[a].activities[i..]) {
            return false;
        }
        for b in 0..self.routes.len() {
            if a == b {
                continue;
            }
            let nb = self.routes[b].activities.len();
            for j in self.head(&self.routes[b])..=nb {
                if !self.all_movable(&self.routes[b].activities[j..]) {
                    continue;
                }
                // Both tails empty, or the same swap seen from the other side.
                if (i == na && j == nb) || (a > b && i < na && j < nb) {
                    continue;
                }
                let (mut ra, mut rb) = (self.routes[a].clone(), self.routes[b].clone());
                let tail_a: Vec<OptActivity> = ra.activities.drain(i..).collect();
                let tail_b: Vec<OptActivity> = rb.activities.drain(j..).collect();
                ra.activities.extend(tail_b);
                rb.activities.extend(tail_a);
                if self.take(a, ra, Some((b, rb))) {
                    return true;
                }
            }
        }
        false
    }
}

/// Whether `route` serves any stop (a route of breaks only is a vehicle not used).
fn has_jobs(route: &OptRoute) -> bool {
    route
        .activities
        .iter()
        .any(|a| matches!(a.kind, ActivityKind::Job { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Coordinates;
    use crate::sandbox::optimize::check::check;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::{day, deliveries as route, sized_task, van};
    use crate::sandbox::optimize::{OptVehicle, Window};
    use std::time::Duration;

    /// Depot 0 at the origin and one job of size 1 per other point; two vans working
    /// 0–10 000 s that carry 10.
    fn problem(points: &[(f64, f64)], windows: &[Option<Window>]) -> (OptProblem, EuclideanMatrix) {
        let points: Vec<Coordinates> = points
            .iter()
            .map(|&(x, y)| Coordinates::new(x, y))
            .collect();
        let m = EuclideanMatrix::new(points.clone(), 100.0, 100.0);
        let van = |id| OptVehicle {
            flexible_start: true,
            capacity: vec![10.0],
            ..van(id, Window::new(0.0, 10_000.0))
        };
        let jobs = (1..points.len())
            .map(|i| {
                let window = windows.get(i - 1).copied().flatten();
                sized_task(format!("j{i}"), i, 1.0, 0.0, window.into_iter().collect())
            })
            .collect();
        let p = OptProblem {
            base_date: day(),
            points,
            dimensions: vec!["Weight".into()],
            vehicles: vec![van("a"), van("b")],
            jobs,
            goal: Goal::VehiclesThenDistance,
        };
        (p, m)
    }

    fn order(r: &OptRoute) -> Vec<usize> {
        r.jobs().collect()
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    /// A square's corners visited crosswise: (1,0), (0,1), (1,1) from the origin.
    const SQUARE: [(f64, f64); 4] = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)];

    #[test]
    fn a_crossed_route_is_untangled_and_keeps_every_rule() {
        let (p, m) = problem(&SQUARE, &[]);
        let mut s = OptSolution {
            routes: vec![route(0, &[0, 1, 2])],
            unassigned: vec![],
        };
        // 1 + √2 + 1 + √2 ≈ 4.83 → 1 + 1 + 1 + 1 = 4 units of 100 m.
        let saved = polish(&p, &m, &mut s, soon());
        assert!(
            (saved - (2.0 * 2f64.sqrt() - 2.0) * 100.0).abs() < 1e-6,
            "{saved}"
        );
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        let o = order(&s.routes[0]);
        assert!(o == vec![0, 2, 1] || o == vec![1, 2, 0], "{o:?}");
        // Replayed times: the first stop is 100 s from the depot.
        assert_eq!(s.routes[0].activities[0].arrival, 100.0);
    }

    #[test]
    fn a_route_whose_stop_fits_on_another_frees_its_vehicle() {
        let (p, m) = problem(&SQUARE, &[]);
        let mut s = OptSolution {
            routes: vec![route(0, &[0, 2]), route(1, &[1])],
            unassigned: vec![],
        };
        polish(&p, &m, &mut s, soon());
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(s.routes.len(), 1, "{s:?}");
        assert_eq!(order(&s.routes[0]).len(), 3);
    }

    #[test]
    fn a_shorter_order_that_misses_a_window_is_not_taken() {
        // Stop 3 (at (1,1)) must be served by 160 s: only the crossed order (1,1) first is on
        // time, so it stays although it is longer.
        let (p, m) = problem(&SQUARE, &[None, None, Some(Window::new(0.0, 160.0))]);
        let mut s = OptSolution {
            routes: vec![route(0, &[2, 0, 1])],
            unassigned: vec![],
        };
        assert_eq!(check(&p, &m, &s), Vec::<String>::new());
        let before = order(&s.routes[0]);
        polish(&p, &m, &mut s, soon());
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(order(&s.routes[0])[0], 2, "{s:?}");
        assert_eq!(order(&s.routes[0]).len(), before.len());
    }

    #[test]
    fn under_the_duration_goal_it_counts_whole_seconds_of_working_time() {
        // The same crossed square: 100 + 141 + 100 + 141 s of travel (legs in whole
        // seconds, as the engine drives them) become 4 × 100 s.
        let (mut p, m) = problem(&SQUARE, &[]);
        p.goal = Goal::Duration;
        let mut s = OptSolution {
            routes: vec![route(0, &[0, 1, 2])],
            unassigned: vec![],
        };
        assert_eq!(polish(&p, &m, &mut s, soon()), 82.0);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(s.routes[0].activities[2].departure, 300.0);
    }

    #[test]
    fn a_route_of_four_stops_is_emptied_into_another_when_each_fits_there() {
        // Two rows of four stops, y = 0 and y = 1, one route each; the four stops of one
        // row (more than a moved run holds) all fit into the other route: a van fewer.
        let row = |y: f64| (1..=4).map(move |x| (f64::from(x), y));
        let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
            .chain(row(0.0))
            .chain(row(1.0))
            .collect();
        let (p, m) = problem(&points, &[]);
        let s = OptSolution {
            routes: vec![route(0, &[0, 1, 2, 3]), route(1, &[4, 5, 6, 7])],
            unassigned: vec![],
        };
        let mut plan = Plan {
            problem: &p,
            matrix: &m,
            routes: s.routes.clone(),
            costs: Vec::new(),
            deadline: soon(),
        };
        plan.costs = plan.routes.iter().map(|r| plan.cost(r)).collect();
        assert!(plan.empty_a_route());
        let emptied = plan.routes.iter().filter(|r| !has_jobs(r)).count();
        assert_eq!(emptied, 1);
        let mut s = s;
        polish(&p, &m, &mut s, soon());
        assert_eq!(check(&p, &m, &s), Vec::<String>::new(), "{s:?}");
        assert_eq!(s.routes.len(), 1, "{s:?}");
        assert_eq!(order(&s.routes[0]).len(), 8);
    }
}
