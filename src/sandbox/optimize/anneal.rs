//! A search of our own for plans ranked by vehicles then distance whose stops are each a
//! task of its own (no pickup-and-delivery pairs, no stops pinned in place), on drivers
//! without breaks, with sizes in at most one dimension: the Solomon kind, and many a data
//! set. Windows (any number), skills, days and stop limits are kept. It is slack induction
//! by string removals (Christiaens & Vanden Berghe, "Slack induction by string removals for
//! vehicle routing problems", Transportation Science 2020): each step removes a few strings
//! of neighbouring stops from their routes and puts them back where they add least (with
//! the odd position skipped, so that ties and near ties vary). First it tries to do with a
//! route fewer, keeping steps that leave fewer stops out; then it anneals the distance on
//! the routes it has. It starts from the engine's plan and never opens a route.
//!
//! A step costs microseconds, where the engine's generation costs milliseconds: on routes
//! of a hundred stops it makes hundreds of thousands of steps in a few seconds, which is
//! what this search needs to find the last percent or two.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::replay::retime;
use super::{Goal, OptProblem, OptRoute, OptSolution, SolveControl, TravelMatrix};

/// Stops removed per step on average (the paper's c̄).
const MEAN_REMOVED: f64 = 10.0;
/// Longest string removed from one route (the paper's L_max).
const MAX_STRING: f64 = 10.0;
/// Chance that a removal keeps a stretch of its string in place (split string).
const SPLIT_RATE: f64 = 0.5;
/// Chance per stop that the kept stretch of a split string stops growing.
const SPLIT_DEPTH: f64 = 0.01;
/// Chance that putting a stop back skips a position it would take.
const BLINK_RATE: f64 = 0.01;
/// Temperature at the start and at the end, as shares of the plan's mean leg: a step may
/// lengthen the plan by about three legs at first and a tenth of one at the end. Measured on
/// RC201 at 10 s, five runs each: 3 → 0.1 ended 1412–1415, 1 → 0.01 (the first choice)
/// 1415–1438; the other instances end the same.
const START_TEMPERATURE: f64 = 3.0;
const END_TEMPERATURE: f64 = 0.1;
/// Share of the search spent trying to do with fewer routes before shortening them.
const FLEET_SHARE: f64 = 0.4;
/// Most points the search holds a dense matrix for (points² distances and times).
const MAX_POINTS: usize = 1500;
/// Steps between looks at the clock and the cancel flag.
const STEPS_PER_LOOK: u64 = 64;
/// Metres a plan must save to count as shorter, so that rounding never counts.
const EPSILON: f64 = 1e-6;

/// Whether the search applies to `problem`: see the module's first sentence.
pub fn applies(problem: &OptProblem) -> bool {
    problem.goal == Goal::VehiclesThenDistance
        && problem.dimensions.len() <= 1
        && problem.points.len() <= MAX_POINTS
        && problem
            .vehicles
            .iter()
            .all(|v| v.breaks.is_empty() && v.speed_factor > 0.0)
        && problem
            .jobs
            .iter()
            .all(|j| j.pickup.is_none() && j.pinned_to.is_none())
}

/// Makes `solution` (a plan for a problem the search [`applies`] to) do with fewer routes,
/// then shortens it, until `deadline` or a cancel; returns what it made better. Routes get
/// replayed times; a route it empties is dropped. `report` is told the time after each
/// look at the clock.
pub fn anneal(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    solution: &mut OptSolution,
    deadline: Instant,
    control: &SolveControl,
    report: &dyn Fn(),
) -> Better {
    let Some(model) = Model::new(problem, matrix, solution) else {
        return Better::default();
    };
    let Some(plan) = model.plan(solution).filter(|p| p.stops() >= 2) else {
        return Better::default();
    };
    let before = (plan.busy_routes(), plan.distance);
    let mut search = Search {
        model: &model,
        control,
        report,
        rng: ChaCha8Rng::seed_from_u64(0x5151),
        removed: Vec::new(),
    };
    let now = Instant::now();
    let fleet_until = now + deadline.saturating_duration_since(now).mul_f64(FLEET_SHARE);
    let plan = search.fewer_routes(plan, fleet_until);
    let best = search.run(plan, deadline);
    // The running total drifts by float rounding over many steps: sum afresh.
    let after = (
        best.busy_routes(),
        best.routes.iter().map(|r| r.distance).sum::<f64>(),
    );
    if after.0 < before.0 || before.1 - after.1 > EPSILON {
        solution.routes = model.routes(&best);
        Better {
            routes: before.0 - after.0,
            metres: before.1 - after.1,
        }
    } else {
        Better::default()
    }
}

/// What [`anneal`] made better.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Better {
    /// Routes it did without.
    pub routes: usize,
    /// Metres it saved (less than nothing when doing without a route cost some).
    pub metres: f64,
}

/// The problem as the search reads it: one node per job and per depot, dense travel.
struct Model<'a> {
    problem: &'a OptProblem,
    matrix: &'a dyn TravelMatrix,
    /// Nodes: the jobs first (node = job index), then depots.
    nodes: usize,
    distance: Vec<f64>,
    /// Whole seconds of travel at normal speed, as the engine and the checker use.
    seconds: Vec<f64>,
    /// Per job: its windows (open, close; none: any time), seconds on site and size.
    job_windows: Vec<Vec<(f64, f64)>>,
    job_duration: Vec<f64>,
    job_size: Vec<f64>,
    /// Per vehicle: start node and end node (None ends at the last stop), capacity and
    /// most stops.
    start: Vec<usize>,
    end: Vec<Option<usize>>,
    capacity: Vec<f64>,
    max_stops: Vec<usize>,
    /// Per job and vehicle (`job * vehicles + vehicle`): whether the vehicle may serve it
    /// (skills and day).
    fits: Vec<bool>,
    /// Per job: the other jobs, nearest first.
    near: Vec<Vec<usize>>,
    /// Per job: distance from the nearest depot.
    from_depot: Vec<f64>,
}

impl<'a> Model<'a> {
    fn new(
        problem: &'a OptProblem,
        matrix: &'a dyn TravelMatrix,
        solution: &OptSolution,
    ) -> Option<Self> {
        let jobs = problem.jobs.len();
        let mut points: Vec<usize> = problem.jobs.iter().map(|j| j.delivery.location).collect();
        let mut depot = |point: usize| match points[jobs..].iter().position(|&p| p == point) {
            Some(i) => jobs + i,
            None => {
                points.push(point);
                points.len() - 1
            }
        };
        let start: Vec<usize> = problem.vehicles.iter().map(|v| depot(v.start)).collect();
        let end: Vec<Option<usize>> = problem
            .vehicles
            .iter()
            .map(|v| v.end.map(&mut depot))
            .collect();
        let nodes = points.len();
        if nodes > MAX_POINTS || points.iter().any(|&p| p >= matrix.len()) {
            return None;
        }
        let mut distance = vec![0.0; nodes * nodes];
        let mut seconds = vec![0.0; nodes * nodes];
        for (a, &pa) in points.iter().enumerate() {
            for (b, &pb) in points.iter().enumerate() {
                distance[a * nodes + b] = matrix.distance_m(pa, pb);
                seconds[a * nodes + b] = matrix.duration_s(pa, pb).round();
            }
        }
        let job_windows = problem
            .jobs
            .iter()
            .map(|j| {
                j.delivery
                    .windows
                    .iter()
                    .map(|w| (w.start, w.end))
                    .collect()
            })
            .collect();
        let fits = problem
            .jobs
            .iter()
            .flat_map(|j| problem.vehicles.iter().map(|v| j.fits(v)))
            .collect();
        let max_stops = problem
            .vehicles
            .iter()
            .map(|v| v.max_stops.unwrap_or(usize::MAX))
            .collect();
        let size = |d: &[f64]| d.first().copied().unwrap_or(0.0);
        let capacity = problem
            .vehicles
            .iter()
            .map(|v| v.capacity.first().copied().unwrap_or(f64::INFINITY))
            .collect();
        let depots: Vec<usize> = solution.routes.iter().map(|r| start[r.vehicle]).collect();
        let from_depot = (0..jobs)
            .map(|j| {
                depots
                    .iter()
                    .map(|&d| distance[d * nodes + j])
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let near = (0..jobs)
            .map(|j| {
                let mut others: Vec<usize> = (0..jobs).collect();
                others
                    .sort_by(|&a, &b| distance[j * nodes + a].total_cmp(&distance[j * nodes + b]));
                // The job itself leads its own list (its distance may not be zero).
                others.retain(|&o| o != j);
                others.insert(0, j);
                others
            })
            .collect();
        Some(Model {
            problem,
            matrix,
            nodes,
            distance,
            seconds,
            job_windows,
            max_stops,
            fits,
            job_duration: problem.jobs.iter().map(|j| j.delivery.duration).collect(),
            job_size: problem.jobs.iter().map(|j| size(&j.demand)).collect(),
            start,
            end,
            capacity,
            near,
            from_depot,
        })
    }

    fn distance(&self, a: usize, b: usize) -> f64 {
        self.distance[a * self.nodes + b]
    }

    fn travel(&self, vehicle: usize, a: usize, b: usize) -> f64 {
        self.seconds[a * self.nodes + b] / self.problem.vehicles[vehicle].speed_factor
    }

    /// The plan of `solution`'s routes; None if one of them breaks a rule as this search
    /// reads them (it reads windows without the checker's rounding slack).
    fn plan(&self, solution: &OptSolution) -> Option<Plan> {
        let mut plan = Plan {
            routes: Vec::with_capacity(solution.routes.len()),
            route_of: vec![None; self.problem.jobs.len()],
            distance: 0.0,
            out: Vec::new(),
        };
        for (ri, r) in solution.routes.iter().enumerate() {
            let stops: Vec<usize> = r.jobs().collect();
            for &j in &stops {
                plan.route_of[j] = Some(ri);
            }
            let mut route = Route {
                vehicle: r.vehicle,
                stops,
                ..Route::default()
            };
            if !self.refresh(&mut route) {
                return None;
            }
            plan.distance += route.distance;
            plan.routes.push(route);
        }
        Some(plan)
    }

    /// Recomputes `r`'s load, distance and times; whether it keeps every rule.
    fn refresh(&self, r: &mut Route) -> bool {
        let v = r.vehicle;
        let vehicle = &self.problem.vehicles[v];
        let n = r.stops.len();
        r.load = r.stops.iter().map(|&j| self.job_size[j]).sum();
        r.early.resize(n, 0.0);
        r.late.resize(n, 0.0);
        let mut here = self.start[v];
        let mut ready = vehicle.shift.start;
        let mut distance = 0.0;
        for (k, &j) in r.stops.iter().enumerate() {
            distance += self.distance(here, j);
            let arrival = ready + self.travel(v, here, j);
            r.early[k] = self.begin(j, arrival).unwrap_or(f64::INFINITY);
            ready = r.early[k] + self.job_duration[j];
            here = j;
        }
        let mut latest = vehicle.shift.end;
        if let Some(e) = self.end[v] {
            distance += self.distance(here, e);
            latest -= self.travel(v, here, e);
        }
        for k in (0..n).rev() {
            let j = r.stops[k];
            if k + 1 < n {
                latest -= self.travel(v, j, r.stops[k + 1]);
            }
            latest = self.latest(j, latest - self.job_duration[j]);
            r.late[k] = latest;
        }
        r.distance = distance;
        r.load <= self.capacity[v] + 1e-9
            && n <= self.max_stops[v]
            && r.early.iter().zip(&r.late).all(|(e, l)| e <= l)
    }

    /// When service at `job` starts after arriving at `arrival`: in the first window still
    /// open, as the sandbox's replay times it (but without its rounding slack); None when
    /// every window has closed.
    fn begin(&self, job: usize, arrival: f64) -> Option<f64> {
        let windows = &self.job_windows[job];
        if windows.is_empty() {
            return Some(arrival);
        }
        windows
            .iter()
            .filter(|w| w.1 >= arrival)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|w| arrival.max(w.0))
    }

    /// The latest start at `job`, no later than `bound`, inside one of its windows: an
    /// arrival by then finds a window open by then (an earlier one, or this), so the stops
    /// after it keep theirs. Minus infinity when none opens by `bound`.
    fn latest(&self, job: usize, bound: f64) -> f64 {
        let windows = &self.job_windows[job];
        if windows.is_empty() {
            return bound;
        }
        windows
            .iter()
            .filter(|w| w.0 <= bound)
            .map(|w| w.1.min(bound))
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Whether the vehicle of route `r` may take job `u` as far as size, stop count, skills
    /// and day go.
    fn may_take(&self, r: &Route, u: usize) -> bool {
        let v = r.vehicle;
        self.fits[u * self.problem.vehicles.len() + v]
            && r.stops.len() < self.max_stops[v]
            && r.load + self.job_size[u] <= self.capacity[v] + 1e-9
    }

    /// What putting job `u` at position `p` of `r` adds to its distance, if it keeps every
    /// window and the working hours ([`Model::may_take`] is the caller's).
    fn insertion(&self, r: &Route, u: usize, p: usize) -> Option<f64> {
        let v = r.vehicle;
        let vehicle = &self.problem.vehicles[v];
        let (prev, ready) = match p.checked_sub(1) {
            None => (self.start[v], vehicle.shift.start),
            Some(k) => (r.stops[k], r.early[k] + self.job_duration[r.stops[k]]),
        };
        let begin = self.begin(u, ready + self.travel(v, prev, u))?;
        let leave = begin + self.job_duration[u];
        let (next, latest) = match r.stops.get(p) {
            Some(&n) => (Some(n), r.late[p]),
            None => (self.end[v], vehicle.shift.end),
        };
        match next {
            Some(n) => {
                let on_time = leave + self.travel(v, u, n) <= latest;
                on_time
                    .then(|| self.distance(prev, u) + self.distance(u, n) - self.distance(prev, n))
            }
            None => (leave <= latest).then(|| self.distance(prev, u)),
        }
    }

    /// `plan`'s routes as the solution's, timed; empty ones dropped.
    fn routes(&self, plan: &Plan) -> Vec<OptRoute> {
        let mut routes = Vec::with_capacity(plan.routes.len());
        for r in &plan.routes {
            if r.stops.is_empty() {
                continue;
            }
            let vehicle = &self.problem.vehicles[r.vehicle];
            let mut departure = vehicle.shift.start;
            if vehicle.flexible_start {
                // Leave just in time for the first stop's earliest start.
                let travel = self.travel(r.vehicle, self.start[r.vehicle], r.stops[0]);
                departure = departure.max(r.early[0] - travel);
            }
            let mut route = OptRoute::deliveries(r.vehicle, departure, &r.stops);
            retime(self.problem, self.matrix, &mut route);
            routes.push(route);
        }
        routes
    }
}

/// One vehicle's stops with what insertion needs of them.
#[derive(Debug, Default)]
struct Route {
    vehicle: usize,
    /// Job indices in order.
    stops: Vec<usize>,
    load: f64,
    distance: f64,
    /// Earliest start of service at each stop.
    early: Vec<f64>,
    /// Latest start of service at each stop that keeps the rest of the route on time.
    late: Vec<f64>,
    /// A route given up while trying to do with fewer: nothing goes on it.
    closed: bool,
}

impl Clone for Route {
    fn clone(&self) -> Self {
        let mut r = Route::default();
        r.clone_from(self);
        r
    }

    // Steps copy plans constantly: reuse the buffers.
    fn clone_from(&mut self, source: &Self) {
        self.vehicle = source.vehicle;
        self.stops.clone_from(&source.stops);
        self.load = source.load;
        self.distance = source.distance;
        self.early.clone_from(&source.early);
        self.late.clone_from(&source.late);
        self.closed = source.closed;
    }
}

/// A plan: routes, where each job is, the total distance.
#[derive(Debug, Default)]
struct Plan {
    routes: Vec<Route>,
    /// The route each job is on; None when left out or removed by the step.
    route_of: Vec<Option<usize>>,
    distance: f64,
    /// Jobs of the plan waiting for a place, while a route fewer is being tried.
    out: Vec<usize>,
}

impl Clone for Plan {
    fn clone(&self) -> Self {
        let mut p = Plan::default();
        p.clone_from(self);
        p
    }

    fn clone_from(&mut self, source: &Self) {
        self.routes.clone_from(&source.routes);
        self.route_of.clone_from(&source.route_of);
        self.distance = source.distance;
        self.out.clone_from(&source.out);
    }
}

impl Plan {
    fn stops(&self) -> usize {
        self.routes.iter().map(|r| r.stops.len()).sum()
    }

    fn busy_routes(&self) -> usize {
        self.routes.iter().filter(|r| !r.stops.is_empty()).count()
    }

    /// Empties the busy route with the fewest stops into [`Plan::out`].
    fn empty_smallest_route(&mut self, model: &Model) {
        let Some(ri) = (0..self.routes.len())
            .filter(|&ri| !self.routes[ri].stops.is_empty())
            .min_by_key(|&ri| self.routes[ri].stops.len())
        else {
            return;
        };
        let route = &mut self.routes[ri];
        route.closed = true;
        for j in route.stops.drain(..) {
            self.route_of[j] = None;
            self.out.push(j);
        }
        self.distance -= route.distance;
        model.refresh(route);
        self.distance += route.distance;
    }
}

struct Search<'m, 'a> {
    model: &'m Model<'a>,
    control: &'m SolveControl,
    /// Told the time at each look at the clock.
    report: &'m dyn Fn(),
    rng: ChaCha8Rng,
    /// Jobs the current step removed.
    removed: Vec<usize>,
}

impl Search<'_, '_> {
    /// Whether `deadline` has passed or the solve was cancelled; reports the time if not.
    fn is_over(&self, deadline: Instant) -> bool {
        let over = Instant::now() >= deadline || self.control.is_cancelled();
        if !over {
            (self.report)();
        }
        over
    }

    /// Anneals from `plan` until `deadline`; the plan seen on the fewest routes, then the
    /// shortest.
    fn run(&mut self, plan: Plan, deadline: Instant) -> Plan {
        let started = Instant::now();
        let span = deadline
            .saturating_duration_since(started)
            .max(Duration::from_millis(1));
        let legs = plan.stops() + plan.routes.len();
        let leg = plan.distance / legs.max(1) as f64;
        let (hot, cold) = (leg * START_TEMPERATURE, leg * END_TEMPERATURE);
        let mut best = plan.clone();
        let mut current = plan;
        let mut next = current.clone();
        let mut temperature = hot;
        let mut steps = 0u64;
        loop {
            if steps.is_multiple_of(STEPS_PER_LOOK) {
                if self.is_over(deadline) {
                    break;
                }
                let now = Instant::now();
                let share = now.duration_since(started).as_secs_f64() / span.as_secs_f64();
                temperature = hot * (cold / hot).powf(share);
            }
            steps += 1;
            next.clone_from(&current);
            self.ruin(&mut next);
            if !self.recreate(&mut next, false) {
                continue;
            }
            let threshold = current.distance - temperature * self.rng.random::<f64>().ln();
            if next.distance < threshold {
                std::mem::swap(&mut current, &mut next);
                // Fewer routes first: a route emptied stays empty, but may cost distance.
                let fewer = current.busy_routes() < best.busy_routes();
                if fewer || current.distance < best.distance - EPSILON {
                    best.clone_from(&current);
                }
            }
        }
        tracing::debug!(steps, distance = best.distance, "annealing ended");
        best
    }

    /// Tries to do with a route fewer, again and again, until `deadline`: the smallest
    /// route is emptied and steps put its stops back, with those that fit nowhere left
    /// out. A step is kept when it leaves fewer out, or ones left out less often so far
    /// (the paper's absences: stops hard to place get placed first). Returns the plan on
    /// the fewest routes that placed every stop (`plan` itself if none did).
    fn fewer_routes(&mut self, plan: Plan, deadline: Instant) -> Plan {
        if plan.busy_routes() < 2 {
            return plan;
        }
        let mut absences = vec![0u64; plan.route_of.len()];
        let missed =
            |out: &[usize], absences: &[u64]| -> u64 { out.iter().map(|&j| absences[j]).sum() };
        let mut whole = plan.clone();
        let mut current = plan;
        current.empty_smallest_route(self.model);
        let mut next = current.clone();
        for step in 0u64.. {
            if step.is_multiple_of(STEPS_PER_LOOK) && self.is_over(deadline) {
                break;
            }
            next.clone_from(&current);
            self.ruin(&mut next);
            if !self.recreate(&mut next, true) {
                continue;
            }
            let fewer = next.out.len() < current.out.len()
                || missed(&next.out, &absences) < missed(&current.out, &absences);
            for &j in &next.out {
                absences[j] += 1;
            }
            if !fewer {
                continue;
            }
            std::mem::swap(&mut current, &mut next);
            if current.out.is_empty() {
                tracing::debug!(routes = current.busy_routes(), "a route fewer");
                whole.clone_from(&current);
                if current.busy_routes() < 2 {
                    break;
                }
                current.empty_smallest_route(self.model);
            }
        }
        whole
    }

    /// Removes strings of stops around a random stop from a few routes.
    fn ruin(&mut self, plan: &mut Plan) {
        self.removed.clear();
        let placed: Vec<usize> = (0..plan.route_of.len())
            .filter(|&j| plan.route_of[j].is_some())
            .collect();
        let busy = plan.routes.iter().filter(|r| !r.stops.is_empty()).count();
        if placed.is_empty() || busy == 0 {
            return;
        }
        let mean_route = placed.len() as f64 / busy as f64;
        let longest = MAX_STRING.min(mean_route);
        let most_routes = 4.0 * MEAN_REMOVED / (1.0 + longest) - 1.0;
        let routes = self.rng.random_range(1.0..most_routes.max(1.0) + 1.0) as usize;
        // Around any stop of the plan, one waiting for a place too: room is made near it.
        let pick = self.rng.random_range(0..placed.len() + plan.out.len());
        let seed = placed
            .get(pick)
            .copied()
            .unwrap_or_else(|| plan.out[pick - placed.len()]);
        let mut ruined: Vec<usize> = Vec::with_capacity(routes);
        for &c in &self.model.near[seed] {
            if ruined.len() >= routes {
                break;
            }
            let Some(ri) = plan.route_of[c] else {
                continue;
            };
            if ruined.contains(&ri) {
                continue;
            }
            let route = &mut plan.routes[ri];
            let len = route.stops.len();
            let Some(at) = route.stops.iter().position(|&s| s == c) else {
                continue;
            };
            let cap = longest.min(len as f64);
            let size = (self.rng.random_range(1.0..cap + 1.0) as usize).clamp(1, len);
            let cut = if size == len || self.rng.random::<f64>() >= SPLIT_RATE {
                let first = self.window(at, size, len);
                (first..first + size).collect::<Vec<_>>()
            } else {
                let mut kept = 1;
                while size + kept < len && self.rng.random::<f64>() >= SPLIT_DEPTH {
                    kept += 1;
                }
                let first = self.window(at, size + kept, len);
                let keep_from = first + self.rng.random_range(0..=size);
                (first..first + size + kept)
                    .filter(|&k| k < keep_from || k >= keep_from + kept)
                    .collect()
            };
            for &k in cut.iter().rev() {
                let j = route.stops.remove(k);
                plan.route_of[j] = None;
                self.removed.push(j);
            }
            plan.distance -= route.distance;
            self.model.refresh(route);
            plan.distance += route.distance;
            ruined.push(ri);
        }
    }

    /// The first position of a stretch of `size` stops in a route of `len` that holds `at`.
    fn window(&mut self, at: usize, size: usize, len: usize) -> usize {
        let lo = (at + 1).saturating_sub(size);
        let hi = at.min(len - size);
        self.rng.random_range(lo..=hi.max(lo))
    }

    /// Puts every removed stop (and every stop of [`Plan::out`]) back where it adds least;
    /// a stop that fits nowhere goes to [`Plan::out`] if `may_leave_out`, else the step
    /// fails. False also if a route no longer keeps the rules.
    fn recreate(&mut self, plan: &mut Plan, may_leave_out: bool) -> bool {
        let mut order = std::mem::take(&mut self.removed);
        order.append(&mut plan.out);
        let model = self.model;
        match self.rng.random_range(0..11) {
            0..4 => {
                for i in (1..order.len()).rev() {
                    order.swap(i, self.rng.random_range(0..=i));
                }
            }
            4..8 => order.sort_by(|&a, &b| model.job_size[b].total_cmp(&model.job_size[a])),
            8..10 => order.sort_by(|&a, &b| model.from_depot[b].total_cmp(&model.from_depot[a])),
            _ => order.sort_by(|&a, &b| model.from_depot[a].total_cmp(&model.from_depot[b])),
        }
        let mut ok = true;
        for &u in &order {
            let mut best: Option<(f64, usize, usize)> = None;
            for (ri, r) in plan.routes.iter().enumerate() {
                // A step never adds a vehicle: while shortening, only routes in use take a
                // stop; while doing with fewer, any route not given up.
                let usable = !r.closed && (may_leave_out || !r.stops.is_empty());
                if !usable || !model.may_take(r, u) {
                    continue;
                }
                for p in 0..=r.stops.len() {
                    let Some(cost) = model.insertion(r, u, p) else {
                        continue;
                    };
                    if best.is_none_or(|(b, _, _)| cost < b)
                        && self.rng.random::<f64>() >= BLINK_RATE
                    {
                        best = Some((cost, ri, p));
                    }
                }
            }
            let Some((_, ri, p)) = best else {
                if may_leave_out {
                    plan.out.push(u);
                    continue;
                }
                ok = false;
                break;
            };
            let route = &mut plan.routes[ri];
            route.stops.insert(p, u);
            plan.route_of[u] = Some(ri);
            plan.distance -= route.distance;
            ok = model.refresh(route);
            plan.distance += route.distance;
            if !ok {
                break;
            }
        }
        self.removed = order;
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Coordinates;
    use crate::sandbox::optimize::check::check;
    use crate::sandbox::optimize::matrix::EuclideanMatrix;
    use crate::sandbox::optimize::testing::{day, deliveries, sized_task, tasks_on_a_line, van};
    use crate::sandbox::optimize::{ActivityKind, OptBreak, OptStop, OptVehicle, Segment, Window};

    fn soon() -> Instant {
        Instant::now() + Duration::from_millis(700)
    }

    fn annealed(p: &OptProblem, m: &EuclideanMatrix, s: &mut OptSolution) -> Better {
        let better = anneal(p, m, s, soon(), &SolveControl::default(), &|| {});
        assert_eq!(check(p, m, s), Vec::<String>::new(), "{s:?}");
        better
    }

    fn length(m: &EuclideanMatrix, p: &OptProblem, s: &OptSolution) -> f64 {
        s.routes
            .iter()
            .map(|r| {
                let v = &p.vehicles[r.vehicle];
                let mut here = v.start;
                let mut d = 0.0;
                for job in r.jobs() {
                    let to = p.jobs[job].delivery.location;
                    d += m.distance_m(here, to);
                    here = to;
                }
                d + v.end.map_or(0.0, |e| m.distance_m(here, e))
            })
            .sum()
    }

    /// Twelve tasks on a line, two vans of six, each van given every other task: 2 200 m
    /// and 2 400 m. The shortest plan has one van take the near six (1 200 m) and the other
    /// the far six (2 400 m).
    fn interleaved() -> (OptProblem, EuclideanMatrix, OptSolution) {
        let (p, m) = tasks_on_a_line(12, 2, 6.0);
        let odd: Vec<usize> = (0..12).step_by(2).collect();
        let even: Vec<usize> = (1..12).step_by(2).collect();
        let mut s = OptSolution {
            routes: vec![deliveries(0, &odd), deliveries(1, &even)],
            unassigned: vec![],
        };
        for r in &mut s.routes {
            retime(&p, &m, r);
        }
        assert_eq!(check(&p, &m, &s), Vec::<String>::new());
        (p, m, s)
    }

    #[test]
    fn an_interleaved_plan_becomes_the_shortest_and_keeps_every_rule() {
        let (p, m, mut s) = interleaved();
        assert!((length(&m, &p, &s) - 4600.0).abs() < 1e-6);
        let better = annealed(&p, &m, &mut s);
        assert_eq!(better.routes, 0, "{s:?}");
        assert!((better.metres - 1000.0).abs() < 1e-6, "{better:?}: {s:?}");
        assert!((length(&m, &p, &s) - 3600.0).abs() < 1e-6, "{s:?}");
        assert_eq!(s.routes.len(), 2);
    }

    #[test]
    fn a_window_keeps_a_longer_order() {
        // A square's three corners from the origin; the corner (1,1) must be served by 160 s
        // and is 141 s away, so it comes first although the shortest order (400 m) would
        // serve it second: 483 m is the shortest that keeps the window.
        let points: Vec<Coordinates> = [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (0.0, 0.0)]
            .iter()
            .map(|&(x, y)| Coordinates::new(x, y))
            .collect();
        let m = EuclideanMatrix::new(points.clone(), 100.0, 100.0);
        let task = |i: usize, windows| sized_task(format!("t{i}"), i, 1.0, 10.0, windows);
        let p = OptProblem {
            base_date: day(),
            points,
            dimensions: vec!["size".into()],
            vehicles: vec![OptVehicle {
                start: 3,
                end: Some(3),
                capacity: vec![3.0],
                ..van("v0", Window::new(0.0, 10_000.0))
            }],
            jobs: vec![
                task(0, vec![]),
                task(1, vec![]),
                task(2, vec![Window::new(0.0, 160.0)]),
            ],
            goal: Goal::VehiclesThenDistance,
        };
        let mut s = OptSolution {
            routes: vec![deliveries(0, &[2, 0, 1])],
            unassigned: vec![],
        };
        retime(&p, &m, &mut s.routes[0]);
        assert_eq!(check(&p, &m, &s), Vec::<String>::new());
        annealed(&p, &m, &mut s);
        let crossed = 200.0 + 2.0 * 2f64.sqrt() * 100.0;
        assert!((length(&m, &p, &s) - crossed).abs() < 1e-6, "{s:?}");
        assert!(
            matches!(
                s.routes[0].activities[0].kind,
                ActivityKind::Job { job: 2, .. }
            ),
            "{s:?}"
        );
    }

    #[test]
    fn skills_and_days_decide_which_van_serves_a_stop() {
        // Twelve tasks on a line (task i at point i + 1), two vans of six. Tasks 0 and 11
        // need a skill only van 0 has; task 1 is due on a day only van 0 works. Van 0 then
        // takes 0, 1, 11 and the three nearest 11 (2 400 m); van 1 the six left, 2–7
        // (1 600 m). Without the rules the shortest plan would be 3 600 m.
        let (mut p, m) = tasks_on_a_line(12, 2, 6.0);
        p.vehicles[0].skills = vec!["skill:cold".into()];
        p.jobs[0].skills = vec!["skill:cold".into()];
        p.jobs[11].skills = vec!["skill:cold".into()];
        p.vehicles[1].date = day().add_days(1);
        p.jobs[1].days = vec![day()];
        let mut s = OptSolution {
            routes: vec![
                deliveries(0, &[0, 1, 2, 4, 6, 11]),
                deliveries(1, &[3, 5, 7, 8, 9, 10]),
            ],
            unassigned: vec![],
        };
        for r in &mut s.routes {
            retime(&p, &m, r);
        }
        assert_eq!(check(&p, &m, &s), Vec::<String>::new());
        annealed(&p, &m, &mut s);
        let on = |v: usize| -> Vec<usize> {
            let r = s.routes.iter().find(|r| r.vehicle == v).expect("route");
            let mut jobs: Vec<usize> = r.jobs().collect();
            jobs.sort_unstable();
            jobs
        };
        assert_eq!(on(0), vec![0, 1, 8, 9, 10, 11], "{s:?}");
        assert_eq!(on(1), vec![2, 3, 4, 5, 6, 7], "{s:?}");
        assert!((length(&m, &p, &s) - 4000.0).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn a_later_window_lets_two_routes_become_one() {
        // Stop A at point 2 may start 0–100 s or 1 000–1 100 s (it is 200 s away, so the
        // second); stop B at point 1 any time; the day ends at 1 300 s. One van can do both
        // only B first, then A in its later window, then home at 1 260 s.
        let (mut p, m) = tasks_on_a_line(2, 2, 6.0);
        for v in &mut p.vehicles {
            v.shift = Window::new(0.0, 1300.0);
        }
        p.jobs[1].delivery.windows = vec![Window::new(0.0, 100.0), Window::new(1000.0, 1100.0)];
        let mut s = OptSolution {
            routes: vec![deliveries(0, &[0]), deliveries(1, &[1])],
            unassigned: vec![],
        };
        for r in &mut s.routes {
            retime(&p, &m, r);
        }
        assert_eq!(check(&p, &m, &s), Vec::<String>::new());
        let better = annealed(&p, &m, &mut s);
        assert_eq!(better.routes, 1, "{s:?}");
        let kinds: Vec<ActivityKind> = s.routes[0].activities.iter().map(|a| a.kind).collect();
        let job = |job| ActivityKind::Job {
            job,
            segment: Segment::Delivery,
        };
        assert_eq!(kinds, vec![job(0), job(1)], "{s:?}");
        assert_eq!(s.routes[0].activities[1].arrival, 1000.0, "{s:?}");
    }

    #[test]
    fn a_route_it_empties_is_dropped_and_none_is_opened() {
        // Vans of any size: one route out to 6 and one to 7 cost 1 200 + 1 400 m; one van
        // serving all seven costs 1 400 m.
        let (p, m) = tasks_on_a_line(7, 3, f64::INFINITY);
        let mut s = OptSolution {
            routes: vec![deliveries(0, &[0, 1, 2, 3, 4, 5]), deliveries(2, &[6])],
            unassigned: vec![],
        };
        for r in &mut s.routes {
            retime(&p, &m, r);
        }
        let better = annealed(&p, &m, &mut s);
        assert_eq!(better.routes, 1, "{s:?}");
        assert!((better.metres - 1200.0).abs() < 1e-6, "{better:?}: {s:?}");
        assert_eq!(s.routes.len(), 1, "{s:?}");
    }

    #[test]
    fn three_routes_where_two_suffice_become_two() {
        // Twelve tasks on a line in three runs of four, vans of six: two vans suffice, and
        // the shortest plan on two is 3 600 m (from 4 800 m).
        let (p, m) = tasks_on_a_line(12, 3, 6.0);
        let run = |from: usize| (from..from + 4).collect::<Vec<_>>();
        let mut s = OptSolution {
            routes: vec![
                deliveries(0, &run(0)),
                deliveries(1, &run(4)),
                deliveries(2, &run(8)),
            ],
            unassigned: vec![],
        };
        for r in &mut s.routes {
            retime(&p, &m, r);
        }
        let better = annealed(&p, &m, &mut s);
        assert_eq!(better.routes, 1, "{s:?}");
        assert!((length(&m, &p, &s) - 3600.0).abs() < 1e-6, "{s:?}");
    }

    #[test]
    fn a_cancelled_search_changes_nothing() {
        let (p, m, mut s) = interleaved();
        let before = s.clone();
        let control = SolveControl::default();
        control.cancel();
        let far = Instant::now() + Duration::from_secs(60);
        let started = Instant::now();
        let better = anneal(&p, &m, &mut s, far, &control, &|| {});
        assert_eq!(better, Better::default());
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(s, before);
    }

    #[test]
    fn only_plain_plans_are_annealed() {
        let (p, _) = tasks_on_a_line(3, 1, 3.0);
        assert!(applies(&p));
        let mut duration = p.clone();
        duration.goal = Goal::Duration;
        let mut pair = p.clone();
        pair.jobs[0].pickup = Some(OptStop {
            location: 2,
            duration: 0.0,
            windows: vec![],
        });
        let mut with_break = p.clone();
        with_break.vehicles[0].breaks = vec![OptBreak {
            window: Window::new(0.0, 100.0),
            duration: 60.0,
        }];
        let mut pinned = p.clone();
        pinned.jobs[0].pinned_to = Some(0);
        for q in [duration, pair, with_break, pinned] {
            assert!(!applies(&q), "{q:?}");
        }
    }
}
