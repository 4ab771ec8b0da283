//! The sandbox's deterministic demo data set: a London delivery operation around
//! `DemoOptions::today` (yesterday driven, today under way at 10:00, tomorrow planned).
//!
//! Every document is built as its typed model (`crate::api::model`) and serialised, so it
//! reads back as that model. All randomness comes from one seeded ChaCha8 source drawn in a
//! fixed order, so the same options always give the same bytes. See `docs/demo-data.md`.

mod catalog;
mod clock;
mod customers;
mod days;
mod draw;
mod exceptions;
mod fleet;
mod forms;
mod geo;
mod images;
mod lifecycle;
mod people;
mod planner;
mod pod;
mod routes;
mod tasks;
mod templates;
mod windows;
mod zones;

#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::Value;

use crate::api::model::{Assignment, Date, Task, TaskState};
use crate::api::paths::Collection;

use self::draw::Gen;
use self::tasks::World;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// The day the data is centred on: tasks and routes lie on the day before, this day
    /// and the day after.
    pub today: Date,
    /// When set, this many extra unassigned tasks for `today` (`LOAD-000001` …) for load tests.
    pub scale: Option<usize>,
    /// Seed of the random source.
    pub seed: u64,
}

impl Default for DemoOptions {
    /// Today in local time, no extra tasks, seed 42.
    fn default() -> Self {
        DemoOptions {
            today: Date::today(),
            scale: None,
            seed: 42,
        }
    }
}

/// The generated documents, ready to insert as they are (ids and uids already set).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoData {
    /// Documents per collection.
    pub collections: Vec<(Collection, Vec<serde_json::Value>)>,
    /// Proof of delivery per completed/failed task: (task `_id`, ProofOfDelivery as JSON).
    pub pods: Vec<(String, serde_json::Value)>,
}

impl DemoData {
    /// The documents of collection `c` (empty when it has none).
    pub fn docs(&self, c: Collection) -> &[Value] {
        self.collections
            .iter()
            .find(|(k, _)| *k == c)
            .map(|(_, d)| d.as_slice())
            .unwrap_or_default()
    }
}

/// Seed offset of the load-test tasks, so adding them leaves the rest unchanged.
const SCALE_STREAM: u64 = 0x5ca1_e000_0000_0001;

/// Generates the demo data set for `opts`.
pub fn generate(opts: &DemoOptions) -> DemoData {
    let today = opts.today;
    let (mut g, _) = source(opts);
    let fleet = fleet::Fleet::generate(&mut g);
    let exceptions = exceptions::generate(&mut g, &fleet, today);
    let all_customers = customers::generate(&mut g);
    let (compton, london) = match all_customers.split_last() {
        Some((c, rest)) => (Some(c), rest),
        None => (None, &all_customers[..]),
    };
    let world = World {
        depots: &fleet.depots,
        customers: london,
        compton,
    };
    let zones = zones::generate(&mut g);
    let forms = forms::forms(&mut g);
    let ttg = templates::task_groups(&mut g, &world, &fleet, today);
    let rtg = templates::route_groups(&mut g, &world, &fleet, today);

    let setting = days::Setting {
        world,
        fleet: &fleet,
        exceptions: &exceptions,
        today,
    };
    let mut seq = 104_000;
    let mut all_tasks: Vec<Task> = Vec::new();
    let mut all_routes = Vec::new();
    let mut routes_today = Vec::new();
    for offset in [-1, 0, 1] {
        let day = days::build(&mut g, &setting, offset, &mut seq);
        if offset == 0 {
            routes_today = day.routes.clone();
        }
        all_tasks.extend(day.tasks);
        all_routes.extend(day.routes);
    }
    let task_refs: Vec<&Task> = all_tasks.iter().collect();
    let pods = pod::generate(&mut g, &task_refs);
    let submissions = forms::submissions(&mut g, &forms, &task_refs, &pods, today, &routes_today);

    let mut task_docs = docs(&all_tasks);
    if let Some(n) = opts.scale {
        task_docs.reserve(n);
        task_docs.extend(load_tasks(opts, n));
    }
    let pod_docs = pods
        .iter()
        .filter_map(|p| Some((p.pod.task.as_ref()?.id.clone()?, doc(&p.pod))))
        .collect();
    DemoData {
        collections: vec![
            (Collection::Depots, docs(&fleet.depots)),
            (Collection::Vehicles, docs(&fleet.vehicles)),
            (Collection::Drivers, docs(&fleet.drivers)),
            (Collection::Customers, docs(&all_customers)),
            (Collection::Zones, docs(&zones)),
            (Collection::ScheduleExceptions, docs(&exceptions)),
            (Collection::Forms, docs(&forms)),
            (Collection::TaskTemplateGroups, docs(&ttg)),
            (Collection::RouteTemplateGroups, docs(&rtg)),
            (Collection::Tasks, task_docs),
            (Collection::Routes, docs(&all_routes)),
            (Collection::FormSubmissions, docs(&submissions)),
        ],
        pods: pod_docs,
    }
}

/// The `n` load-test tasks that `generate` appends for `scale: Some(n)`, one at a time, for
/// callers that store them without holding them all in memory (about 10 KB each as values).
pub fn load_tasks(opts: &DemoOptions, n: usize) -> impl Iterator<Item = Value> + use<> {
    let (mut main, id_clock) = source(opts);
    // The fleet is the first thing drawn, so this gives the same depots as `generate`.
    let depots = fleet::Fleet::generate(&mut main).depots;
    // Their own stream, so the rest of the data set is the same with or without them.
    let mut g = Gen::new(opts.seed ^ SCALE_STREAM, id_clock.wrapping_add(7 * 86_400));
    let today = opts.today;
    let unassigned = Assignment {
        state: Some(0),
        ..Assignment::default()
    };
    (1..=n).map(move |i| {
        let order = tasks::load_order(&mut g, &depots, today, i);
        let mut t = tasks::assemble(&mut g, order);
        t.assignment = Some(unassigned.clone());
        let created = clock::unix(today, 360 + (i % 240) as i64);
        lifecycle::apply(
            &mut t,
            TaskState::CREATED,
            &lifecycle::History::created(created),
            None,
        );
        doc(&t)
    })
}

/// The main random source of `opts`, and the seconds its `_id`s start from.
fn source(opts: &DemoOptions) -> (Gen, u32) {
    // `_id` seconds start two weeks before today, like records created over time.
    let id_clock = clock::unix(opts.today.add_days(-14), 360).max(0) as u32;
    (Gen::new(opts.seed, id_clock), id_clock)
}

fn doc<T: Serialize>(x: &T) -> Value {
    // Our models serialise to JSON without fail (string keys, finite numbers).
    compact(serde_json::to_value(x).unwrap_or_default())
}

/// Rebuilds objects and arrays at their exact size. Models with a flattened `extra` map
/// serialise without a length hint, so their maps grow by doubling; with a hundred thousand
/// load tasks held as values, the slack is a good part of the memory.
fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = serde_json::Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k, compact(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(compact).collect()),
        other => other,
    }
}

fn docs<T: Serialize>(xs: &[T]) -> Vec<Value> {
    xs.iter().map(doc).collect()
}
