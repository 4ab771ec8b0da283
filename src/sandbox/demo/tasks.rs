//! Building tasks: one assembly for every generated task (demo orders, template tasks and
//! load-test tasks), fed by small producers that decide what differs.

use serde_json::{Map, Value};

use crate::api::model::{
    Coordinates, Customer, Date, Depot, EntityRef, Item, Location, PickupSegment, Task, TimeWindow,
};
use crate::api::paths::Collection;

use super::catalog::{PRODUCTS, Product};
use super::customers::{as_task_location, customer_ref, is_business};
use super::draw::Gen;
use super::fleet::{depot_location, depot_point};
use super::geo::{Address, london_address};
use super::people::{Person, mobile};
use super::windows::windows;

/// Everything that varies between generated tasks.
pub(super) struct Order {
    /// `SO-104233`.
    pub reference: String,
    /// The shop system's id.
    pub external_id: String,
    /// Day of delivery; `None` for template tasks.
    pub date: Option<Date>,
    /// Where to deliver.
    pub location: Location,
    /// Who ordered.
    pub customer: Option<EntityRef>,
    /// Products and quantities.
    pub lines: Vec<(&'static Product, u32)>,
    /// The depot the goods are collected from.
    pub pickup: Option<Location>,
    /// Delivery windows (empty for none).
    pub time_windows: Vec<TimeWindow>,
    /// `customData.Priority`.
    pub priority: &'static str,
    /// `customData.Channel`.
    pub channel: &'static str,
    /// Minutes to set up on site.
    pub setup: f64,
    /// Minutes of service on site.
    pub service: f64,
    /// Driver instructions.
    pub instructions: Option<String>,
    /// Order value in pounds.
    pub order_value: Option<f64>,
}

/// The world orders are placed in.
pub(super) struct World<'a> {
    /// Depots goods are picked up from.
    pub depots: &'a [Depot],
    /// London customers who order.
    pub customers: &'a [Customer],
    /// The business in Compton, Surrey.
    pub compton: Option<&'a Customer>,
}

const PRIORITIES: &[&str] = &["10", "10", "10", "10", "11", "11", "20", "21"];
const HOME_CHANNELS: &[&str] = &["web", "web", "web", "phone", "app"];
const ORDER_NOTES: &[&str] = &[
    "Fragile: keep upright",
    "Call the customer 10 minutes before arrival",
    "Take the old packaging away",
    "Photo required if left in a safe place",
    "Parking is tight: use the loading bay opposite",
];

/// Turns an order into a task with its ids, items, size, needs and custom data.
/// State, assignment and route-dependent fields are set by the caller.
pub(super) fn assemble(g: &mut Gen, o: Order) -> Task {
    let mut kg = 0.0;
    let mut m3 = 0.0;
    let mut skills: Vec<String> = Vec::new();
    let mut capabilities: Vec<String> = Vec::new();
    let mut items = Vec::with_capacity(o.lines.len());
    for (k, (p, qty)) in o.lines.iter().enumerate() {
        kg += p.kg * f64::from(*qty);
        m3 += p.m3 * f64::from(*qty);
        for (need, list) in [(p.skill, &mut skills), (p.capability, &mut capabilities)] {
            if let Some(n) = need
                && !list.iter().any(|s| s == n)
            {
                list.push(n.to_string());
            }
        }
        items.push(Item {
            id: Some(format!("{}-{}", o.reference, k + 1)),
            description: Some(p.description.to_string()),
            code: Some(format!("{}-{:06}", p.sku, g.int(0, 999_999))),
            quantity: Some(f64::from(*qty)),
            ..Item::default()
        });
    }
    let mut size = Map::new();
    size.insert("Weight".into(), Value::from(round_to(kg, 100.0)));
    size.insert("Volume".into(), Value::from(round_to(m3, 1000.0)));
    let mut custom = Map::new();
    custom.insert("Priority".into(), Value::from(o.priority));
    custom.insert("Channel".into(), Value::from(o.channel));
    skills.sort();
    capabilities.sort();
    Task {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Tasks.uid_prefix())),
        external_id: Some(o.external_id),
        reference: Some(o.reference),
        kind: Some(2),
        date: o.date,
        time_windows: (!o.time_windows.is_empty()).then_some(o.time_windows),
        pickup: o.pickup.map(|l| PickupSegment {
            location: Some(l),
            setup_duration: Some(1.0),
            service_duration: Some(2.0),
            ..PickupSegment::default()
        }),
        location: Some(o.location),
        setup_duration: Some(o.setup),
        service_duration: Some(o.service),
        size: Some(size),
        items: Some(items),
        skills: (!skills.is_empty()).then_some(skills),
        capabilities: (!capabilities.is_empty()).then_some(capabilities),
        custom_data: Some(custom),
        customer: o.customer,
        order_value: o.order_value,
        instructions: o.instructions,
        ..Task::default()
    }
}

/// A customer order for `date`; in Compton (`GU3 1DQ`) when `compton`, else in London.
pub(super) fn demo_order(
    g: &mut Gen,
    w: &World,
    date: Option<Date>,
    seq: u32,
    compton: bool,
) -> Order {
    let (location, customer, business) = if compton {
        let c = w.compton;
        let loc = c.and_then(|c| c.locations.as_ref()?.first());
        match (c, loc) {
            (Some(c), Some(l)) => (as_task_location(l), Some(customer_ref(c)), true),
            _ => (one_off(g), None, false),
        }
    } else {
        let r = g.real(0.0, 1.0);
        if r < 0.6 {
            let c = &w.customers[g.index(w.customers.len())];
            let locs = c.locations.as_deref().unwrap_or_default();
            match locs.get(g.index(locs.len())) {
                Some(l) => (as_task_location(l), Some(customer_ref(c)), is_business(c)),
                None => (one_off(g), None, false),
            }
        } else if r < 0.85 {
            // A gift: the customer has it sent to someone else's address.
            let c = &w.customers[g.index(w.customers.len())];
            (one_off(g), Some(customer_ref(c)), false)
        } else {
            (one_off(g), None, false)
        }
    };
    let n_lines = if business { g.int(1, 3) } else { g.int(1, 2) };
    let mut lines = Vec::new();
    for _ in 0..n_lines {
        let mut p = pick_product(g, business);
        // Goods that need a special skill or vehicle are rarer: draw again most of the time.
        let special = matches!(p.skill, Some("two-person" | "adr")) || p.capability.is_some();
        if special && g.chance(0.7) {
            p = pick_product(g, business);
        }
        if !lines.iter().any(|(q, _): &(&Product, u32)| q.sku == p.sku) {
            lines.push((p, g.int(1, p.max_qty)));
        }
    }
    let heavy = lines.iter().any(|(p, _)| p.skill == Some("two-person"));
    let service = if business {
        g.int(10, 20)
    } else {
        g.int(4, 10)
    } + if heavy { 20 } else { 0 };
    let pickup = g
        .chance(0.9)
        .then(|| nearest_depot_location(w.depots, location.coordinates));
    let channel = if business {
        "b2b"
    } else if customer.is_none() {
        "marketplace"
    } else {
        *g.pick(HOME_CHANNELS)
    };
    let prefix = match channel {
        "b2b" => "EDI",
        "marketplace" => "MKT",
        "phone" => "TEL",
        "app" => "APP",
        _ => "WEB",
    };
    Order {
        reference: format!("SO-{seq}"),
        external_id: format!("{prefix}-{}", 7_000_000 + seq * 7),
        date,
        location,
        customer,
        lines,
        pickup,
        time_windows: windows(g, None),
        priority: g.word(PRIORITIES),
        channel,
        setup: f64::from(g.int(1, 4)),
        service: f64::from(service),
        instructions: g.chance(0.25).then(|| g.pick(ORDER_NOTES).to_string()),
        order_value: g.chance(0.4).then(|| round_to(g.real(15.0, 400.0), 100.0)),
    }
}

/// A lean load-test task `n` for `date`: one parcel to a London address, no customer.
pub(super) fn load_order(g: &mut Gen, depots: &[Depot], date: Date, n: usize) -> Order {
    let location = one_off(g);
    let pickup = Some(nearest_depot_location(depots, location.coordinates));
    let p = pick_product(g, false);
    Order {
        reference: format!("LOAD-{n:06}"),
        external_id: format!("load-{n:06}"),
        date: Some(date),
        location,
        customer: None,
        lines: vec![(p, 1)],
        pickup,
        time_windows: windows(g, None),
        priority: "10",
        channel: "api",
        setup: 1.0,
        service: 4.0,
        instructions: None,
        order_value: None,
    }
}

fn pick_product(g: &mut Gen, business: bool) -> &'static Product {
    loop {
        let p = g.pick(PRODUCTS);
        if p.business == business {
            return p;
        }
    }
}

/// A one-off London address as a task location (`type` 2) with a contact person.
fn one_off(g: &mut Gen) -> Location {
    let a = london_address(g);
    address_location(g, a)
}

fn address_location(g: &mut Gen, a: Address) -> Location {
    let who = Person::random(g);
    Location {
        kind: Some(2),
        address: Some(a.line),
        post_code: Some(a.post_code),
        city: Some(a.city.to_string()),
        country: Some("United Kingdom".into()),
        coordinates: Some(a.coordinates),
        contact_name: Some(who.full()),
        contact_phone: Some(mobile(g)),
        ..Location::default()
    }
}

/// Index of the depot nearest to `c`.
pub(super) fn nearest_depot(depots: &[Depot], c: Coordinates) -> usize {
    let mut best = (0, f64::INFINITY);
    for (i, d) in depots.iter().enumerate() {
        let m = depot_point(d).haversine_m(&c);
        if m < best.1 {
            best = (i, m);
        }
    }
    best.0
}

fn nearest_depot_location(depots: &[Depot], c: Option<Coordinates>) -> Location {
    let i = c.map_or(0, |c| nearest_depot(depots, c));
    depots.get(i).map(depot_location).unwrap_or_default()
}

fn round_to(x: f64, per_unit: f64) -> f64 {
    (x * per_unit).round() / per_unit
}

/// Where a task is delivered.
pub(super) fn point(t: &Task) -> Coordinates {
    t.location
        .as_ref()
        .and_then(|l| l.coordinates)
        .unwrap_or(Coordinates::new(-0.1278, 51.5074))
}

/// A task's size as `(kilograms, cubic metres)`.
pub(super) fn load(t: &Task) -> (f64, f64) {
    let get = |k: &str| {
        t.size
            .as_ref()
            .and_then(|s| s.get(k))
            .and_then(Value::as_f64)
            .unwrap_or(0.0)
    };
    (get("Weight"), get("Volume"))
}

/// Minutes a driver spends at the stop.
pub(super) fn on_site_minutes(t: &Task) -> f64 {
    t.setup_duration.unwrap_or(0.0) + t.service_duration.unwrap_or(0.0)
}
