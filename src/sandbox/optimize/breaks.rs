//! Breaks the engine left out although the route overlaps their window. The sandbox lets a
//! driver take a break wherever they are, before the first stop too (a route's breaks are
//! stored as "after N stops", N from 0); vrp-core never starts a route with a break, so a
//! driver who waits at the first stop past the break window gets none from it. Such a break
//! is put where the route still keeps every window and its working hours, costing the
//! least time.

use super::replay::{Replay, replay};
use super::{ActivityKind, OptActivity, OptProblem, OptRoute, OptSolution, TravelMatrix};

/// Adds every break a route must take but lacks, where it fits; routes it cannot fit stay
/// as they are (the checker reports them). Changed routes get replayed times.
pub fn take_skipped_breaks(
    problem: &OptProblem,
    matrix: &dyn TravelMatrix,
    solution: &mut OptSolution,
) {
    for route in &mut solution.routes {
        let Some(v) = problem.vehicles.get(route.vehicle) else {
            continue;
        };
        let mut changed = false;
        // Each pass adds one break; a longer route may then overlap another one.
        for _ in 0..v.breaks.len() {
            let now = replay(problem, matrix, route);
            let Some(missing) = (0..v.breaks.len())
                .find(|&i| !taken(route, i) && now.overlaps(route.departure, v.breaks[i].window))
            else {
                break;
            };
            let Some(best) = (0..=route.activities.len())
                .filter_map(|pos| {
                    let candidate = with_break(route, pos, missing);
                    let r = replay(problem, matrix, &candidate);
                    r.fits(v).then_some((r.end, candidate))
                })
                .min_by(|a, b| a.0.total_cmp(&b.0))
            else {
                break;
            };
            *route = best.1;
            changed = true;
        }
        if changed {
            let r: Replay = replay(problem, matrix, route);
            for (a, t) in route.activities.iter_mut().zip(r.times) {
                a.arrival = t.start;
                a.departure = t.departure;
            }
        }
    }
}

fn taken(route: &OptRoute, index: usize) -> bool {
    route
        .activities
        .iter()
        .any(|a| a.kind == ActivityKind::Break { index })
}

fn with_break(route: &OptRoute, pos: usize, index: usize) -> OptRoute {
    let mut r = route.clone();
    r.activities.insert(
        pos,
        OptActivity {
            kind: ActivityKind::Break { index },
            arrival: 0.0,
            departure: 0.0,
        },
    );
    r
}
