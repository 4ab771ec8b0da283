//! Depots, vehicles and drivers: who delivers, with what, from where, and when.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::api::model::{
    Break, Coordinates, DaySchedule, Depot, Driver, Location, Minutes, TimeWindow, Vehicle,
    WEEKDAYS,
};
use crate::api::paths::Collection;

use super::draw::Gen;
use super::geo::DEPOT_SITES;
use super::people::{Person, landline, mobile};

/// One vehicle of the fleet table.
struct VehicleSpec {
    model: &'static str,
    category: i64,
    kg: f64,
    m3: f64,
    capabilities: &'static [&'static str],
    electric: bool,
}

const fn v(
    model: &'static str,
    category: i64,
    kg: f64,
    m3: f64,
    capabilities: &'static [&'static str],
    electric: bool,
) -> VehicleSpec {
    VehicleSpec {
        model,
        category,
        kg,
        m3,
        capabilities,
        electric,
    }
}

/// The fleet; driver `i` drives vehicle `i`.
#[rustfmt::skip]
const VEHICLES: [VehicleSpec; 25] = [
    v("Ford Transit Custom", 5, 800.0, 6.0, &["refrigerated"], false),
    v("Mercedes-Benz Sprinter", 6, 1200.0, 14.0, &["tail-lift"], false),
    v("Ford Transit Custom", 5, 800.0, 6.0, &[], false),
    v("Vauxhall Vivaro", 5, 1000.0, 6.0, &["refrigerated"], false),
    v("Renault Master", 6, 1400.0, 13.0, &["tail-lift"], false),
    v("Peugeot e-Expert", 5, 900.0, 6.0, &["refrigerated"], true),
    v("Citroën Berlingo", 5, 650.0, 3.3, &[], false),
    v("Ford Transit Custom", 5, 800.0, 6.0, &["refrigerated"], false),
    v("Urban Arrow Cargo", 1, 120.0, 0.8, &[], true),
    v("Mercedes-Benz eSprinter", 6, 1000.0, 11.0, &["tail-lift"], true),
    v("Toyota Proace City", 5, 700.0, 3.8, &[], false),
    v("Iveco Daily 7.2t", 7, 3000.0, 19.0, &["tail-lift"], false),
    v("Ford E-Transit", 6, 1200.0, 12.0, &["refrigerated"], true),
    v("Vauxhall Vivaro", 5, 1000.0, 6.0, &["refrigerated"], false),
    v("Honda PCX 125", 2, 40.0, 0.2, &[], false),
    v("Toyota Prius", 3, 250.0, 0.9, &[], false),
    v("Ford Transit Custom", 5, 800.0, 6.0, &["refrigerated"], false),
    v("Isuzu D-Max", 4, 1000.0, 3.0, &[], false),
    v("Mercedes-Benz Sprinter", 6, 1200.0, 14.0, &["tail-lift"], false),
    v("Renault Kangoo E-Tech", 5, 600.0, 3.3, &[], true),
    v("DAF LF 18t", 8, 8000.0, 45.0, &["tail-lift"], false),
    v("Ford Transit Custom", 5, 800.0, 6.0, &[], false),
    v("Peugeot Partner", 5, 650.0, 3.3, &[], false),
    v("Vauxhall Movano", 6, 1400.0, 13.0, &["tail-lift", "refrigerated"], false),
    v("Nissan Townstar EV", 5, 700.0, 3.9, &[], true),
];

/// Home depot (index into `DEPOT_SITES`) of each driver.
const DRIVER_DEPOT: [usize; 25] = [
    1, 0, 3, 2, 1, 0, 3, 1, 1, 2, 0, 3, 1, 2, 1, 0, 3, 2, 0, 1, 3, 1, 2, 0, 3,
];

/// Drivers who start late in the day; on `today` they show the pickup states.
pub(super) const LATE_SHIFTS: [(usize, Minutes, Minutes); 4] = [
    (19, 615, 1170),
    (20, 630, 1170),
    (22, 690, 1230),
    (23, 780, 1320),
];

/// Morning shifts, picked by driver index.
const MORNING_SHIFTS: [(Minutes, Minutes); 4] = [(420, 1020), (480, 1080), (450, 990), (390, 900)];

/// Drivers who work Monday to Friday only.
const WEEKDAY_ONLY: [usize; 3] = [15, 17, 18];

/// Driver on a day off covering `today`.
pub(super) const DAY_OFF_DRIVER: usize = 3;
/// Driver whose shift is overridden on `today`.
pub(super) const SHIFT_OVERRIDE_DRIVER: usize = 7;
/// Driver with temporary extra skills.
pub(super) const SKILLS_OVERRIDE_DRIVER: usize = 11;
/// Driver who starts from another depot for a few days from tomorrow.
pub(super) const MOVED_DRIVER: usize = 10;

/// The generated fleet: typed documents plus the links between them.
pub(super) struct Fleet {
    /// Depots, in `DEPOT_SITES` order.
    pub depots: Vec<Depot>,
    /// Vehicles; driver `i` drives vehicle `i`.
    pub vehicles: Vec<Vehicle>,
    /// Drivers.
    pub drivers: Vec<Driver>,
}

impl Fleet {
    /// Builds depots, vehicles and drivers.
    pub fn generate(g: &mut Gen) -> Fleet {
        let depots: Vec<Depot> = DEPOT_SITES.iter().map(|s| depot(g, s)).collect();
        let vehicles: Vec<Vehicle> = VEHICLES
            .iter()
            .enumerate()
            .map(|(i, s)| vehicle(g, i, s))
            .collect();
        let mut used = Vec::new();
        let drivers = (0..VEHICLES.len())
            .map(|i| {
                let person = loop {
                    let p = Person::random(g);
                    if !used.contains(&p.full()) {
                        used.push(p.full());
                        break p;
                    }
                };
                driver(g, i, &person, &depots[DRIVER_DEPOT[i]], &vehicles[i])
            })
            .collect();
        Fleet {
            depots,
            vehicles,
            drivers,
        }
    }

    /// Index of the depot with `uid`.
    pub fn depot_index(&self, uid: &str) -> Option<usize> {
        self.depots
            .iter()
            .position(|d| d.uid.as_deref() == Some(uid))
    }

    /// Home depot index of driver `i`.
    pub fn home_depot(&self, i: usize) -> usize {
        DRIVER_DEPOT.get(i).copied().unwrap_or(0)
    }

    /// The vehicle of driver `i`.
    pub fn vehicle_of(&self, i: usize) -> &Vehicle {
        &self.vehicles[i.min(self.vehicles.len() - 1)]
    }
}

/// A depot as a route or pickup location (`type` 0).
pub(super) fn depot_location(d: &Depot) -> Location {
    Location {
        kind: Some(0),
        uid: d.uid.clone(),
        name: d.name.clone(),
        address: d.address.clone(),
        post_code: d.post_code.clone(),
        city: d.city.clone(),
        country: d.country.clone(),
        coordinates: d.coordinates,
        ..Location::default()
    }
}

/// Where a depot is.
pub(super) fn depot_point(d: &Depot) -> Coordinates {
    d.coordinates.unwrap_or(Coordinates::new(-0.1278, 51.5074))
}

fn depot(g: &mut Gen, s: &super::geo::DepotSite) -> Depot {
    let manager = Person::random(g);
    Depot {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Depots.uid_prefix())),
        external_id: Some(format!("DEPOT-{}", s.code)),
        reference: Some(s.code.to_string()),
        name: Some(s.name.to_string()),
        address: Some(s.address.to_string()),
        post_code: Some(s.post_code.to_string()),
        city: Some("London".into()),
        country: Some("United Kingdom".into()),
        coordinates: Some(Coordinates::new(s.lon, s.lat)),
        contact_name: Some(manager.full()),
        contact_phone: Some(landline(g)),
        contact_email: Some(format!("{}.depot@example.com", s.code.to_lowercase())),
        instructions: Some(s.instructions.to_string()),
        ..Depot::default()
    }
}

/// A UK number plate: London area letters, an age identifier, three random letters.
fn plate(g: &mut Gen) -> String {
    const AREA: &[u8] = b"ABCDEFGHJKLMNOPRSTUVWXY";
    const RANDOM: &[u8] = b"ABCDEFGHJKLMNOPRSTUVWXYZ";
    const AGE: &[u32] = &[19, 69, 20, 70, 21, 71, 22, 72, 23, 73, 24, 74];
    let mut s = format!("L{}{:02} ", *g.pick(AREA) as char, g.pick(AGE));
    for _ in 0..3 {
        s.push(*g.pick(RANDOM) as char);
    }
    s
}

fn vehicle(g: &mut Gen, i: usize, s: &VehicleSpec) -> Vehicle {
    let mut capacity = Map::new();
    capacity.insert("Weight".into(), json!(s.kg));
    capacity.insert("Volume".into(), json!(s.m3));
    let mut custom = Map::new();
    custom.insert(
        "Fuel".into(),
        json!(if s.electric { "electric" } else { "diesel" }),
    );
    custom.insert("Depot".into(), json!(DEPOT_SITES[DRIVER_DEPOT[i]].code));
    Vehicle {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Vehicles.uid_prefix())),
        external_id: Some(format!("FLEET-{:03}", i + 1)),
        name: Some(format!("V{:02} {}", i + 1, s.model)),
        category: Some(s.category),
        description: Some(format!(
            "{} ({})",
            s.model,
            crate::api::model::vehicle::category_label(s.category)
        )),
        capacity: Some(capacity),
        license_plate: Some(plate(g)),
        capabilities: (!s.capabilities.is_empty())
            .then(|| s.capabilities.iter().map(|c| c.to_string()).collect()),
        tags: s.electric.then(|| vec!["electric".to_string()]),
        custom_data: Some(custom),
        ..Vehicle::default()
    }
}

/// The weekly working window of driver `i` and the weekdays they work.
fn shift(i: usize) -> ((Minutes, Minutes), &'static [&'static str]) {
    let window = LATE_SHIFTS
        .iter()
        .find(|(d, _, _)| *d == i)
        .map(|&(_, s, e)| (s, e))
        .unwrap_or(MORNING_SHIFTS[i % MORNING_SHIFTS.len()]);
    let days: &[&str] = if WEEKDAY_ONLY.contains(&i) {
        &WEEKDAYS[..5]
    } else {
        &WEEKDAYS
    };
    (window, days)
}

/// One working day from `start` to `end` with a 30-minute break around the middle.
pub(super) fn day_schedule(start: Minutes, end: Minutes) -> DaySchedule {
    let mid = (start + end) / 2 / 30 * 30;
    DaySchedule {
        time_windows: Some(vec![TimeWindow::new(start, end)]),
        breaks: Some(vec![Break {
            time_window: Some(TimeWindow::new(mid - 60, mid + 60)),
            duration: Some(30.0),
            ..Break::default()
        }]),
        ..DaySchedule::default()
    }
}

fn driver(g: &mut Gen, i: usize, p: &Person, home: &Depot, car: &Vehicle) -> Driver {
    let ((start, end), days) = shift(i);
    let schedule: BTreeMap<String, DaySchedule> = days
        .iter()
        .map(|d| (d.to_string(), day_schedule(start, end)))
        .collect();
    let caps = car.capabilities.clone().unwrap_or_default();
    let mut skills = Vec::new();
    // Bicycle and motorcycle couriers do not carry fragile goods.
    if !matches!(car.category, Some(1 | 2)) {
        skills.push("fragile");
    }
    if caps.iter().any(|c| c == "tail-lift") {
        skills.push("two-person");
    }
    if [6, 10, 13, 21].contains(&i) {
        skills.push("adr");
    }
    if caps.iter().any(|c| c == "refrigerated") {
        skills.push("pharmacy");
    }
    let category = car.category.unwrap_or(5);
    let stop_limit = match category {
        1 => Some(10),
        2 => Some(8),
        _ if i.is_multiple_of(3) => Some(20),
        _ => None,
    };
    let mut custom = Map::new();
    custom.insert(
        "Team".into(),
        Value::from(DEPOT_SITES[DRIVER_DEPOT[i]].name),
    );
    let home_loc = depot_location(home);
    Driver {
        id: Some(g.object_id()),
        uid: Some(g.uid(Collection::Drivers.uid_prefix())),
        external_id: Some(format!("EMP-{}", 1040 + i)),
        reference: Some(format!("E{}", 1040 + i)),
        first_name: Some(p.first.to_string()),
        last_name: Some(p.last.to_string()),
        username: Some(p.handle()),
        email: Some(format!("{}@example.com", p.handle())),
        phone: Some(mobile(g)),
        vehicle: car.uid.clone().map(Value::String),
        start_location: Some(home_loc.clone()),
        end_location: Some(home_loc),
        schedule: Some(schedule),
        skills: Some(skills.into_iter().map(String::from).collect()),
        speed_factor: match i % 6 {
            2 => Some(0.9),
            5 => Some(1.1),
            _ => None,
        },
        route_stop_limit: stop_limit,
        custom_data: Some(custom),
        ..Driver::default()
    }
}
