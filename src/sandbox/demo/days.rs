//! One working day of the demo: its orders, which of them are routed, cancelled or left
//! unassigned, and the routes of the drivers who work that day.

use crate::api::model::{Assignment, Date, Route, ScheduleException, Task, TaskState};

use super::clock::{NOW, unix};
use super::draw::Gen;
use super::exceptions::{WorkingDay, working_day};
use super::fleet::{Fleet, depot_point};
use super::lifecycle::{History, apply, created_at};
use super::planner::{Crew, plan};
use super::routes::{Phase, RouteSpec, realise};
use super::tasks::{World, assemble, demo_order};

/// London orders per day (yesterday, today, tomorrow).
const ORDERS: [usize; 3] = [270, 360, 200];
/// Orders in Compton per day.
const COMPTON_ORDERS: [usize; 3] = [1, 2, 2];
/// Cancelled orders today.
const CANCELLED_TODAY: usize = 4;
/// Share of today's orders that came in too late to be planned.
const LATE_ORDER_SHARE: f64 = 0.12;
/// Share of yesterday's orders that were cancelled.
const CANCELLED_YESTERDAY_SHARE: f64 = 0.05;

const CANCEL_REASONS: &[&str] = &["Cancelled by customer", "Duplicate order", "Out of stock"];

/// The documents of one day.
pub(super) struct Day {
    /// Tasks, in reference order.
    pub tasks: Vec<Task>,
    /// Routes, in driver order.
    pub routes: Vec<Route>,
}

/// Context shared by every day.
pub(super) struct Setting<'a> {
    /// Where orders come from.
    pub world: World<'a>,
    /// Who delivers.
    pub fleet: &'a Fleet,
    /// Days off and overrides.
    pub exceptions: &'a [ScheduleException],
    /// The demo's today.
    pub today: Date,
}

/// Builds the day `offset` days from today (-1, 0 or 1); `seq` numbers the orders.
pub(super) fn build(g: &mut Gen, s: &Setting, offset: i64, seq: &mut u32) -> Day {
    let date = s.today.add_days(offset);
    let phase = match offset {
        i64::MIN..=-1 => Phase::Past,
        0 => Phase::Today,
        _ => Phase::Future,
    };
    let slot = (offset + 1).clamp(0, 2) as usize;
    let mut tasks = Vec::with_capacity(ORDERS[slot] + COMPTON_ORDERS[slot]);
    for k in 0..ORDERS[slot] + COMPTON_ORDERS[slot] {
        let order = demo_order(g, &s.world, Some(date), *seq, k >= ORDERS[slot]);
        *seq += 1;
        tasks.push(assemble(g, order));
    }
    let london = ORDERS[slot];
    // Decide which orders are not for the planner: cancelled ones and late arrivals.
    let mut cancelled = Vec::new();
    let mut late = Vec::new();
    let mut todo = Vec::new();
    for i in 0..tasks.len() {
        let outside = i >= london;
        match phase {
            Phase::Past if outside || g.chance(CANCELLED_YESTERDAY_SHARE) => cancelled.push(i),
            Phase::Today if i % (london / CANCELLED_TODAY) == 7 => cancelled.push(i),
            Phase::Today if outside || g.chance(LATE_ORDER_SHARE) => late.push(i),
            Phase::Future if outside => late.push(i),
            _ => todo.push(i),
        }
    }
    let days: Vec<WorkingDay> = (0..s.fleet.drivers.len())
        .filter_map(|i| working_day(s.fleet, s.exceptions, i, date))
        .collect();
    let crews: Vec<Crew> = days.iter().map(|d| crew(s.fleet, d)).collect();
    let planned = plan(&tasks, &todo, &crews);
    let mut left = planned.left;
    let mut routes = Vec::new();
    // Routes realised so far, and those among them with four stops or more: the special
    // cases (locked route, late stop, waiting stop) go to fixed places in these counts.
    let (mut kept, mut long) = (0, 0);
    for (k, (day, stops)) in days.iter().zip(&planned.routes).enumerate() {
        // Tomorrow only some routes are planned yet; the rest of the orders wait.
        if phase == Phase::Future && k % 4 != 1 {
            left.extend(stops);
            continue;
        }
        if stops.is_empty() {
            continue;
        }
        let nth_long = (stops.len() >= 4).then_some(long);
        let spec = RouteSpec {
            date,
            today: s.today,
            phase,
            day,
            locked: phase == Phase::Today && kept == 0,
            late_stop: matches!(
                (phase, nth_long),
                (Phase::Today, Some(1 | 4)) | (Phase::Past, Some(2))
            ),
            wait_stop: matches!(
                (phase, nth_long),
                (Phase::Today, Some(2 | 6)) | (Phase::Past, Some(5))
            ),
            sorted: phase == Phase::Future && kept == 0,
        };
        kept += 1;
        long += usize::from(nth_long.is_some());
        routes.push(realise(g, s.fleet, &spec, stops, &mut tasks));
    }
    for i in cancelled {
        let mut h = History::created(created_at(g, date, s.today));
        let at = match phase {
            Phase::Past => unix(date, i64::from(g.int(420, 900))),
            _ => unix(s.today, i64::from(g.int(420, NOW - 10))),
        };
        h.then("cancelled", at);
        let reason = *g.pick(CANCEL_REASONS);
        unassign(&mut tasks[i], TaskState::CANCELLED, &h, Some(reason));
    }
    for i in late {
        let h = History::created(unix(s.today, i64::from(g.int(360, NOW - 10))));
        unassign(&mut tasks[i], TaskState::CREATED, &h, None);
    }
    left.sort_unstable();
    for i in left {
        let h = History::created(created_at(g, date, s.today));
        unassign(&mut tasks[i], TaskState::CREATED, &h, None);
    }
    Day { tasks, routes }
}

fn unassign(t: &mut Task, state: TaskState, h: &History, reason: Option<&str>) {
    t.assignment = Some(Assignment {
        state: Some(0),
        ..Assignment::default()
    });
    apply(t, state, h, reason);
}

/// What a working driver and their vehicle can take.
fn crew(fleet: &Fleet, d: &WorkingDay) -> Crew {
    let v = fleet.vehicle_of(d.driver);
    let cap = |k: &str| {
        v.capacity
            .as_ref()
            .and_then(|c| c.get(k))
            .and_then(serde_json::Value::as_f64)
            .unwrap_or(0.0)
    };
    let category = v.category.unwrap_or(5);
    Crew {
        depot: d.depot,
        depot_point: depot_point(&fleet.depots[d.depot]),
        skills: d.skills.clone(),
        capabilities: v.capabilities.clone().unwrap_or_default(),
        kg: cap("Weight"),
        m3: cap("Volume"),
        stop_limit: fleet.drivers[d.driver]
            .route_stop_limit
            .and_then(|l| usize::try_from(l).ok())
            .unwrap_or(40),
        share: match category {
            1 | 2 => 0.4,
            3 => 0.6,
            _ => 1.0,
        },
    }
}
