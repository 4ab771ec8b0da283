//! Splitting a day's tasks among the working drivers, and ordering each driver's stops.
//!
//! Tasks go to depots in proportion to the drivers there (nearest depot first, the ones
//! that would lose most by moving decided first). Around each depot the tasks are swept by
//! angle into one sector per driver, so routes cover neighbouring streets. Tasks a driver or
//! vehicle cannot take (skills, capabilities, capacity, stop limit) move to the nearest
//! route that can, or stay unassigned. Each route is then ordered by nearest neighbour and
//! untangled with 2-opt.

use std::collections::BTreeMap;

use crate::api::model::{Coordinates, Task};

use super::geo::angle;
use super::tasks::{load, point};

/// What one driver can take on the day.
#[derive(Debug, Clone)]
pub(super) struct Crew {
    /// Depot index the route starts and ends at.
    pub depot: usize,
    /// Where that depot is.
    pub depot_point: Coordinates,
    /// Driver skills.
    pub skills: Vec<String>,
    /// Vehicle capabilities.
    pub capabilities: Vec<String>,
    /// Vehicle capacity in kilograms.
    pub kg: f64,
    /// Vehicle capacity in cubic metres.
    pub m3: f64,
    /// Most stops.
    pub stop_limit: usize,
    /// Relative amount of work to give (small vehicles take less).
    pub share: f64,
}

/// The outcome: ordered stops per crew, and what no crew could take.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Task indexes per crew, in driving order.
    pub routes: Vec<Vec<usize>>,
    /// Task indexes left unassigned.
    pub left: Vec<usize>,
}

/// Plans `todo` (indexes into `tasks`) over `crews`.
pub(super) fn plan(tasks: &[Task], todo: &[usize], crews: &[Crew]) -> Plan {
    let mut routes = vec![Vec::new(); crews.len()];
    if crews.is_empty() {
        return Plan {
            routes,
            left: todo.to_vec(),
        };
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, c) in crews.iter().enumerate() {
        groups.entry(c.depot).or_default().push(k);
    }
    let groups: Vec<(usize, Vec<usize>)> = groups.into_iter().collect();
    let per_group = split_by_depot(tasks, todo, crews, &groups);
    for ((_, members), group_tasks) in groups.iter().zip(per_group) {
        sweep(tasks, group_tasks, crews, members, &mut routes);
    }
    let left = repair(tasks, crews, &mut routes);
    for (k, r) in routes.iter_mut().enumerate() {
        order(tasks, crews[k].depot_point, r);
    }
    Plan { routes, left }
}

/// Gives each depot group its tasks, balanced by the group's share of the work.
fn split_by_depot(
    tasks: &[Task],
    todo: &[usize],
    crews: &[Crew],
    groups: &[(usize, Vec<usize>)],
) -> Vec<Vec<usize>> {
    let share = |members: &[usize]| members.iter().map(|&k| crews[k].share).sum::<f64>();
    let total: f64 = groups.iter().map(|(_, m)| share(m)).sum();
    let targets: Vec<usize> = groups
        .iter()
        .map(|(_, m)| (todo.len() as f64 * share(m) / total).ceil() as usize + 1)
        .collect();
    let depot_of = |g: &(usize, Vec<usize>)| crews[g.1[0]].depot_point;
    // Nearest groups first per task; decide the tasks that would lose most by moving first.
    let mut prefs: Vec<(f64, usize, Vec<usize>)> = todo
        .iter()
        .map(|&t| {
            let p = point(&tasks[t]);
            let mut by: Vec<(f64, usize)> = groups
                .iter()
                .enumerate()
                .map(|(gi, grp)| (depot_of(grp).haversine_m(&p), gi))
                .collect();
            by.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let regret = by.get(1).map_or(f64::INFINITY, |b| b.0 - by[0].0);
            (regret, t, by.into_iter().map(|(_, gi)| gi).collect())
        })
        .collect();
    prefs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = vec![Vec::new(); groups.len()];
    for (_, t, order) in prefs {
        let gi = order
            .iter()
            .copied()
            .find(|&gi| out[gi].len() < targets[gi])
            .unwrap_or(order[0]);
        out[gi].push(t);
    }
    out
}

/// Sweeps a depot's tasks by angle into one sector per member crew.
fn sweep(
    tasks: &[Task],
    mut group_tasks: Vec<usize>,
    crews: &[Crew],
    members: &[usize],
    routes: &mut [Vec<usize>],
) {
    if group_tasks.is_empty() {
        return;
    }
    let depot = crews[members[0]].depot_point;
    let ang = |t: usize| angle(depot, point(&tasks[t]));
    group_tasks.sort_by(|&a, &b| ang(a).total_cmp(&ang(b)).then(a.cmp(&b)));
    // Start the sweep after the widest empty sector so no driver's sector wraps around it.
    let n = group_tasks.len();
    let gap_after = (0..n)
        .max_by(|&i, &j| {
            let gap = |i: usize| {
                let next = ang(group_tasks[(i + 1) % n])
                    + if i + 1 == n {
                        std::f64::consts::TAU
                    } else {
                        0.0
                    };
                next - ang(group_tasks[i])
            };
            gap(i).total_cmp(&gap(j)).then(j.cmp(&i))
        })
        .unwrap_or(n - 1);
    group_tasks.rotate_left((gap_after + 1) % n);
    let total: f64 = members.iter().map(|&k| crews[k].share).sum();
    let mut cum = 0.0;
    let mut from = 0;
    for (m, &k) in members.iter().enumerate() {
        cum += crews[k].share;
        let to = if m + 1 == members.len() {
            n
        } else {
            ((n as f64 * cum / total).round() as usize).min(n)
        };
        routes[k].extend_from_slice(&group_tasks[from..to.max(from)]);
        from = to.max(from);
    }
}

/// Whether `crew` has every skill and capability task `t` needs.
fn qualified(t: &Task, crew: &Crew) -> bool {
    let has = |need: &Option<Vec<String>>, got: &[String]| {
        need.iter().flatten().all(|n| got.iter().any(|g| g == n))
    };
    has(&t.skills, &crew.skills) && has(&t.capabilities, &crew.capabilities)
}

fn totals(tasks: &[Task], r: &[usize]) -> (f64, f64) {
    r.iter().fold((0.0, 0.0), |(a, b), &t| {
        let (kg, m3) = load(&tasks[t]);
        (a + kg, b + m3)
    })
}

fn has_room(tasks: &[Task], crew: &Crew, r: &[usize], extra: usize) -> bool {
    let (kg, m3) = totals(tasks, r);
    let (ekg, em3) = load(&tasks[extra]);
    r.len() < crew.stop_limit && kg + ekg <= crew.kg && m3 + em3 <= crew.m3
}

/// Moves tasks a crew cannot take to a near crew that can and is not already busier than
/// the rest; returns the tasks no crew can take.
fn repair(tasks: &[Task], crews: &[Crew], routes: &mut [Vec<usize>]) -> Vec<usize> {
    let planned: usize = routes.iter().map(Vec::len).sum();
    let busiest = (planned as f64 / crews.len() as f64 * 1.4).ceil() as usize;
    let mut out = Vec::new();
    for (k, r) in routes.iter_mut().enumerate() {
        let crew = &crews[k];
        let (ok, bad): (Vec<usize>, Vec<usize>) =
            r.iter().partition(|&&t| qualified(&tasks[t], crew));
        out.extend(bad);
        *r = ok;
        loop {
            let (kg, m3) = totals(tasks, r);
            if r.len() <= crew.stop_limit && kg <= crew.kg && m3 <= crew.m3 {
                break;
            }
            let heaviest = (0..r.len())
                .max_by(|&a, &b| load(&tasks[r[a]]).0.total_cmp(&load(&tasks[r[b]]).0))
                .unwrap_or(0);
            out.push(r.remove(heaviest));
        }
    }
    out.sort_unstable();
    let mut left = Vec::new();
    for t in out {
        let p = point(&tasks[t]);
        // Nearness counts, and so does how many stops a route has already (1.5 km each).
        let mut near: Vec<(f64, usize)> = routes
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let c = centre(tasks, r).unwrap_or(crews[k].depot_point);
                (c.haversine_m(&p) + 1500.0 * r.len() as f64, k)
            })
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        match near.into_iter().map(|(_, k)| k).find(|&k| {
            routes[k].len() < busiest
                && qualified(&tasks[t], &crews[k])
                && has_room(tasks, &crews[k], &routes[k], t)
        }) {
            Some(k) => routes[k].push(t),
            None => left.push(t),
        }
    }
    left
}

fn centre(tasks: &[Task], r: &[usize]) -> Option<Coordinates> {
    if r.is_empty() {
        return None;
    }
    let (lon, lat) = r.iter().fold((0.0, 0.0), |(a, b), &t| {
        let p = point(&tasks[t]);
        (a + p.lon(), b + p.lat())
    });
    let n = r.len() as f64;
    Some(Coordinates::new(lon / n, lat / n))
}

/// Orders stops by nearest neighbour from the depot, then removes crossings with 2-opt
/// on the round trip back to the depot.
fn order(tasks: &[Task], depot: Coordinates, r: &mut Vec<usize>) {
    let mut rest = std::mem::take(r);
    let mut here = depot;
    while !rest.is_empty() {
        let (i, _) = rest
            .iter()
            .enumerate()
            .map(|(i, &t)| (i, here.haversine_m(&point(&tasks[t]))))
            .fold(
                (0, f64::INFINITY),
                |best, c| if c.1 < best.1 { c } else { best },
            );
        let t = rest.remove(i);
        here = point(&tasks[t]);
        r.push(t);
    }
    let at = |r: &[usize], i: usize| -> Coordinates {
        if i == 0 || i > r.len() {
            depot
        } else {
            point(&tasks[r[i - 1]])
        }
    };
    let n = r.len();
    for _ in 0..50 {
        let mut improved = false;
        for i in 1..n {
            for j in i + 1..=n {
                let (a, b, c, d) = (at(r, i - 1), at(r, i), at(r, j), at(r, j + 1));
                let delta =
                    a.haversine_m(&c) + b.haversine_m(&d) - a.haversine_m(&b) - c.haversine_m(&d);
                if delta < -0.5 {
                    r[i - 1..j].reverse();
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Location;

    fn task_at(lon: f64, lat: f64, skill: Option<&str>) -> Task {
        Task {
            location: Some(Location {
                coordinates: Some(Coordinates::new(lon, lat)),
                ..Location::default()
            }),
            skills: skill.map(|s| vec![s.to_string()]),
            ..Task::default()
        }
    }

    fn crew(depot: Coordinates, skills: &[&str]) -> Crew {
        Crew {
            depot: 0,
            depot_point: depot,
            skills: skills.iter().map(|s| s.to_string()).collect(),
            capabilities: Vec::new(),
            kg: 1000.0,
            m3: 10.0,
            stop_limit: 30,
            share: 1.0,
        }
    }

    #[test]
    fn sectors_split_by_direction_and_needs_are_respected() {
        let depot = Coordinates::new(0.0, 51.5);
        // Five tasks north-east, five south-west; one south-west task needs `adr`.
        let mut tasks: Vec<Task> = (0..5)
            .map(|i| task_at(0.01 + 0.002 * i as f64, 51.51, None))
            .collect();
        tasks.extend((0..4).map(|i| task_at(-0.01 - 0.002 * i as f64, 51.49, None)));
        tasks.push(task_at(-0.02, 51.49, Some("adr")));
        let crews = vec![crew(depot, &[]), crew(depot, &["adr"])];
        let todo: Vec<usize> = (0..tasks.len()).collect();
        let p = plan(&tasks, &todo, &crews);
        assert!(p.left.is_empty());
        assert!(
            p.routes[1].contains(&9),
            "the adr task goes to the adr driver"
        );
        for r in &p.routes {
            let east = r.iter().filter(|&&t| point(&tasks[t]).lon() > 0.0).count();
            assert!(
                east == 0 || east == r.len() || r.contains(&9),
                "{:?}",
                p.routes
            );
        }
        // Ordered as a line outwards and back, not zig-zagging.
        let r0: Vec<f64> = p.routes[0]
            .iter()
            .map(|&t| point(&tasks[t]).lon())
            .collect();
        let sorted_up = r0.windows(2).all(|w| w[0] <= w[1]);
        let sorted_down = r0.windows(2).all(|w| w[0] >= w[1]);
        assert!(sorted_up || sorted_down, "{r0:?}");
    }
}
