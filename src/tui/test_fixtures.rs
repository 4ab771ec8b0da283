//! Realistic data for TUI tests, built from the typed wire models so it has the shape the
//! server sends.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jiff::tz::TimeZone;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::actor::{Event, ListKey};
use crate::api::error::ApiError;
use crate::api::items::Items;
use crate::api::model::Date;
use crate::api::model::{
    Assignee, Assignment, Coordinates, Customer, CustomerLocation, DateRange, DaySchedule, Depot,
    Driver, EntityRef, ExceptionOverrides, Form, FormSubmission, Item, Location, Route, RouteLeg,
    RouteTemplate, RouteTemplateGroup, ScheduleException, SchedulePattern, Task, TaskState,
    TaskTemplate, TaskTemplateGroup, TimeWindow, Vehicle, Zone,
};
use crate::api::paths::Collection;

use super::context::Context;
use super::keymap::Keymap;
use super::msg::Msg;
use super::theme::Theme;

/// The working date of every test: Friday 2025-08-22.
pub fn today() -> Date {
    Date::from_ymd(2025, 8, 22).expect("a real day")
}

/// 2025-08-22 08:30:00 UTC.
pub fn fetched_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_755_851_400)
}

/// A session context: sandbox profile, UTC, default keys, mouse on.
pub fn ctx() -> Context {
    Context {
        theme: Theme::COLOR,
        tz: TimeZone::UTC,
        keymap: Keymap::defaults(),
        profile_label: "SANDBOX".into(),
        read_only: false,
        today: today(),
        mouse: true,
    }
}

fn to_value<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).expect("models serialize")
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

fn driver_info(first: &str, last: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("firstName".into(), json!(first));
    m.insert("lastName".into(), json!(last));
    m
}

fn location(name: &str, address: &str, postcode: &str, city: &str, lon: f64, lat: f64) -> Location {
    Location {
        kind: Some(2),
        name: s(name),
        address: s(address),
        post_code: s(postcode),
        city: s(city),
        country: s("GB"),
        coordinates: Some(Coordinates::new(lon, lat)),
        ..Location::default()
    }
}

/// One task.
#[allow(clippy::too_many_arguments)]
pub fn task(
    n: u32,
    reference: &str,
    state: TaskState,
    customer: &str,
    postcode: &str,
    window: (u32, u32),
    driver: Option<(&str, &str, &str)>,
    eta: Option<u32>,
) -> Value {
    let assignment = driver.map(|(uid, first, last)| Assignment {
        state: Some(1),
        route_uid: Some(format!("RT-{uid}")),
        route_order: Some(n as i64),
        assignee: Some(Assignee {
            uid: s(&format!("DR-{uid}")),
            info: Some(driver_info(first, last)),
            ..Assignee::default()
        }),
        eta,
        ..Assignment::default()
    });
    let t = Task {
        id: Some(format!("66c7a0f0000000000000{n:04}")),
        uid: Some(format!("T-{n:08}")),
        reference: s(reference),
        kind: Some(2),
        date: Some(today()),
        time_windows: Some(vec![TimeWindow::new(window.0, window.1)]),
        location: Some(location(
            customer,
            "1 High Street",
            postcode,
            "Guildford",
            -0.57,
            51.24,
        )),
        service_duration: Some(5.0),
        items: Some(vec![Item {
            description: s("Parcel"),
            quantity: Some(1.0),
            ..Item::default()
        }]),
        state: Some(state),
        state_text: Some(state.label().to_string()),
        assignment: assignment.or(Some(Assignment {
            state: Some(0),
            ..Assignment::default()
        })),
        ..Task::default()
    };
    to_value(&t)
}

/// Five tasks of the working date in several states.
pub fn tasks() -> Vec<Value> {
    vec![
        task(
            1,
            "ORD-1001",
            TaskState::COMPLETED,
            "Acme Ltd",
            "GU1 1AA",
            (480, 600),
            Some(("ANNA0001", "Anna", "Berg")),
            Some(512),
        ),
        task(
            2,
            "ORD-1002",
            TaskState::FAILED,
            "Bright Florists",
            "GU3 2BB",
            (540, 720),
            Some(("ANNA0001", "Anna", "Berg")),
            Some(575),
        ),
        task(
            3,
            "ORD-1003",
            TaskState::EN_ROUTE,
            "Corner Café",
            "GU2 7XH",
            (600, 660),
            Some(("BOB00002", "Bob", "Carter")),
            Some(615),
        ),
        task(
            4,
            "ORD-1004",
            TaskState::CREATED,
            "Dunmore Hardware",
            "GU3 4DD",
            (780, 1020),
            None,
            None,
        ),
        task(
            5,
            "ORD-1005",
            TaskState::CANCELLED,
            "Elm Dental",
            "RH4 1EE",
            (480, 1020),
            None,
            None,
        ),
    ]
}

/// Two routes of the working date.
pub fn routes() -> Vec<Value> {
    let leg = |n: u32, eta: u32| RouteLeg {
        route_order: Some(n as i64),
        task_info: Some(EntityRef {
            uid: s(&format!("T-{n:08}")),
            ..EntityRef::default()
        }),
        eta: Some(eta),
        distance: Some(4200.0),
        ..RouteLeg::default()
    };
    let route =
        |uid: &str, first: &str, last: &str, van: &str, legs: Vec<RouteLeg>, locked: bool| Route {
            id: Some(format!("66c7b0f0000000000000{}", &uid[3..7])),
            uid: s(uid),
            date: Some(today()),
            assignee: Some(Assignee {
                info: Some(driver_info(first, last)),
                ..Assignee::default()
            }),
            vehicle: Some(EntityRef {
                name: s(van),
                ..EntityRef::default()
            }),
            locked: Some(locked),
            start: Some(450),
            end: Some(1050),
            legs: Some(legs),
            distance: Some(84_250.0),
            duration: Some(600.0),
            ..Route::default()
        };
    vec![
        to_value(&route(
            "RT-ANNA0001",
            "Anna",
            "Berg",
            "Van 1",
            vec![leg(1, 512), leg(2, 575)],
            true,
        )),
        to_value(&route(
            "RT-BOB00002",
            "Bob",
            "Carter",
            "Van 2",
            vec![leg(3, 615)],
            false,
        )),
    ]
}

/// Three drivers.
pub fn drivers() -> Vec<Value> {
    let d = |n: u32, first: &str, last: &str, phone: &str, van: &str, skills: &[&str]| {
        let mut schedule = BTreeMap::new();
        schedule.insert(
            "Fri".to_string(),
            DaySchedule {
                time_windows: Some(vec![TimeWindow::new(450, 1050)]),
                ..DaySchedule::default()
            },
        );
        to_value(&Driver {
            id: Some(format!("66c7c0f0000000000000{n:04}")),
            uid: Some(format!("DR-{}{n:04}", first.to_uppercase())),
            reference: s(&format!("EMP-{n:03}")),
            first_name: s(first),
            last_name: s(last),
            phone: s(phone),
            email: s(&format!("{}@example.com", first.to_lowercase())),
            vehicle: Some(json!(van)),
            start_location: Some(location(
                "Guildford depot",
                "Slyfield Ind. Est.",
                "GU1 1RR",
                "Guildford",
                -0.56,
                51.26,
            )),
            skills: Some(skills.iter().map(|x| x.to_string()).collect()),
            schedule: Some(schedule),
            ..Driver::default()
        })
    };
    vec![
        d(
            1,
            "Anna",
            "Berg",
            "+44 7700 900001",
            "VEH-VAN1",
            &["fridge"],
        ),
        d(2, "Bob", "Carter", "+44 7700 900002", "VEH-VAN2", &[]),
        d(
            3,
            "Chloé",
            "Dubois",
            "+44 7700 900003",
            "VEH-BIKE1",
            &["cash", "heavy"],
        ),
    ]
}

/// Two vehicles.
pub fn vehicles() -> Vec<Value> {
    let v = |uid: &str, name: &str, plate: &str, cat: i64, cap: Value, caps: &[&str]| {
        to_value(&Vehicle {
            id: Some(format!("66c7d0f000000000000{}", &uid[4..])),
            uid: s(uid),
            name: s(name),
            license_plate: s(plate),
            category: Some(cat),
            capacity: cap.as_object().cloned(),
            capabilities: Some(caps.iter().map(|x| x.to_string()).collect()),
            ..Vehicle::default()
        })
    };
    vec![
        v(
            "VEH-VAN1",
            "Van 1",
            "GU21 ABC",
            5,
            json!({"Weight": 1200, "Volume": 10.5}),
            &["fridge"],
        ),
        v(
            "VEH-BIKE1",
            "Cargo bike",
            "",
            1,
            json!({"Weight": 120}),
            &[],
        ),
    ]
}

/// Two customers with saved locations.
pub fn customers() -> Vec<Value> {
    let loc = |uid: &str, name: &str, pc: &str| CustomerLocation {
        uid: s(uid),
        name: s(name),
        post_code: s(pc),
        city: s("Guildford"),
        coordinates: Some(Coordinates::new(-0.57, 51.24)),
        ..CustomerLocation::default()
    };
    vec![
        to_value(&Customer {
            id: s("66c7e0f00000000000000001"),
            uid: s("CUS-ACME0001"),
            reference: s("C-ACME"),
            name: s("Acme Ltd"),
            contact_name: s("Jo Smith"),
            contact_phone: s("+44 1483 000001"),
            contact_email: s("jo@acme.example"),
            locations: Some(vec![
                loc("LOC-1", "Acme HQ", "GU1 1AA"),
                loc("LOC-2", "Acme Store", "GU3 2BB"),
            ]),
            tags: Some(vec!["key account".into()]),
            ..Customer::default()
        }),
        to_value(&Customer {
            id: s("66c7e0f00000000000000002"),
            uid: s("CUS-BRIG0002"),
            name: s("Bright Florists"),
            contact_name: s("Sam Lee"),
            locations: Some(vec![loc("LOC-3", "Shop", "GU3 2BB")]),
            ..Customer::default()
        }),
    ]
}

/// One depot.
pub fn depots() -> Vec<Value> {
    vec![to_value(&Depot {
        id: s("66c7f0f00000000000000001"),
        uid: s("DEP-GUIL0001"),
        reference: s("GLD"),
        name: s("Guildford depot"),
        address: s("Slyfield Industrial Estate"),
        post_code: s("GU1 1RR"),
        city: s("Guildford"),
        contact_name: s("Pat Doe"),
        contact_phone: s("+44 1483 000009"),
        coordinates: Some(Coordinates::new(-0.56, 51.26)),
        ..Depot::default()
    })]
}

/// Two zones.
pub fn zones() -> Vec<Value> {
    let poly = |x: f64| {
        json!({"type": "Feature", "geometry": {"type": "Polygon",
            "coordinates": [[[x, 51.2], [x + 0.1, 51.2], [x + 0.1, 51.3], [x, 51.3], [x, 51.2]]]}})
    };
    let mut rules = Map::new();
    rules.insert("maxTasks".into(), json!(40));
    vec![
        to_value(&Zone {
            id: s("66c800f00000000000000001"),
            uid: s("ZON-NORTH001"),
            order: Some(1),
            name: s("Guildford North"),
            tags: Some(vec!["urban".into()]),
            geo_json: Some(poly(-0.6)),
            rules: Some(rules),
            ..Zone::default()
        }),
        to_value(&Zone {
            id: s("66c800f00000000000000002"),
            uid: s("ZON-SOUTH002"),
            order: Some(2),
            name: s("Guildford South"),
            geo_json: Some(poly(-0.5)),
            ..Zone::default()
        }),
    ]
}

/// Two schedule exceptions covering the working date.
pub fn exceptions() -> Vec<Value> {
    let range = |a: i8, b: i8| DateRange {
        start_date: Date::from_ymd(2025, 8, a).expect("day"),
        end_date: Date::from_ymd(2025, 8, b).expect("day"),
        extra: Map::new(),
    };
    vec![
        to_value(&ScheduleException {
            id: s("66c810f00000000000000001"),
            uid: s("EXC-0000001A"),
            reference: s("HOL-ANNA"),
            driver: Some(EntityRef {
                uid: s("DR-ANNA0001"),
                ..EntityRef::default()
            }),
            date_range: Some(range(22, 29)),
            description: s("Summer holiday"),
            day_off: Some(true),
            ..ScheduleException::default()
        }),
        to_value(&ScheduleException {
            id: s("66c810f00000000000000002"),
            uid: s("EXC-0000002B"),
            driver: Some(EntityRef {
                uid: s("DR-BOB00002"),
                ..EntityRef::default()
            }),
            date_range: Some(range(22, 22)),
            description: s("Late start (dentist)"),
            overrides: Some(ExceptionOverrides {
                schedule: Some(DaySchedule {
                    time_windows: Some(vec![TimeWindow::new(660, 1080)]),
                    ..DaySchedule::default()
                }),
                ..ExceptionOverrides::default()
            }),
            ..ScheduleException::default()
        }),
    ]
}

fn pattern(freq: &str, interval: i64, days: &[&str]) -> SchedulePattern {
    SchedulePattern {
        frequency: s(freq),
        interval: Some(interval),
        week_days: (!days.is_empty()).then(|| days.iter().map(|d| d.to_string()).collect()),
        date_range: Some(DateRange {
            start_date: Date::from_ymd(2025, 9, 1).expect("day"),
            end_date: Date::from_ymd(2025, 12, 19).expect("day"),
            extra: Map::new(),
        }),
        ..SchedulePattern::default()
    }
}

/// One route-template group.
pub fn route_templates() -> Vec<Value> {
    vec![to_value(&RouteTemplateGroup {
        id: s("66c820f00000000000000001"),
        uid: s("RTG-WEEKLY01"),
        name: s("Weekday rounds"),
        keep_assignees: Some(true),
        schedule_pattern: Some(pattern("weekly", 1, &["Mon", "Wed", "Fri"])),
        route_templates: Some(vec![RouteTemplate {
            uid: s("RT-TPL-1"),
            name: s("North round"),
            driver: Some(EntityRef {
                uid: s("DR-ANNA0001"),
                ..EntityRef::default()
            }),
            ..RouteTemplate::default()
        }]),
        ..RouteTemplateGroup::default()
    })]
}

/// One task-template group.
pub fn task_templates() -> Vec<Value> {
    vec![to_value(&TaskTemplateGroup {
        id: s("66c830f00000000000000001"),
        uid: s("TTG-FLOWER01"),
        name: s("Florist restock"),
        keep_assignees: Some(false),
        schedule_pattern: Some(pattern("daily", 2, &[])),
        task_templates: Some(vec![TaskTemplate {
            uid: s("TT-1"),
            active: Some(true),
            ..TaskTemplate::default()
        }]),
        ..TaskTemplateGroup::default()
    })]
}

/// Two forms.
pub fn forms() -> Vec<Value> {
    vec![
        to_value(&Form {
            id: s("66c840f00000000000000001"),
            uid: s("FRM-PODCHK01"),
            name: s("Delivery checklist"),
            description: s("Confirm the parcel was left safely"),
            purpose: s("pod"),
            active: Some(true),
            components: Some(vec![
                json!({"key": "safePlace", "type": "checkbox", "label": "Left in a safe place"}),
                json!({"key": "note", "type": "textfield", "label": "Note"}),
            ]),
            ..Form::default()
        }),
        to_value(&Form {
            id: s("66c840f00000000000000002"),
            uid: s("FRM-VANCHK02"),
            name: s("Van check"),
            purpose: s("startChecklist"),
            active: Some(false),
            components: Some(vec![json!({"key": "tyres", "type": "checkbox"})]),
            ..Form::default()
        }),
    ]
}

/// One form submission.
pub fn form_submissions() -> Vec<Value> {
    let mut data = Map::new();
    data.insert("safePlace".into(), json!(true));
    data.insert("note".into(), json!("Porch"));
    vec![to_value(&FormSubmission {
        id: s("66c850f00000000000000001"),
        uid: s("FS-00000001"),
        form: Some(EntityRef {
            name: s("Delivery checklist"),
            ..EntityRef::default()
        }),
        task: Some(EntityRef {
            uid: s("T-00000001"),
            ..EntityRef::default()
        }),
        driver: Some(EntityRef {
            uid: s("DR-ANNA0001"),
            ..EntityRef::default()
        }),
        segment: s("delivery"),
        submitted_at: Some(1_755_854_520),
        data: Some(data),
        ..FormSubmission::default()
    })]
}

/// The fixture list of a collection.
pub fn items(c: Collection) -> Vec<Value> {
    match c {
        Collection::Tasks => tasks(),
        Collection::Routes => routes(),
        Collection::Drivers => drivers(),
        Collection::Vehicles => vehicles(),
        Collection::Customers => customers(),
        Collection::Depots => depots(),
        Collection::Zones => zones(),
        Collection::ScheduleExceptions => exceptions(),
        Collection::RouteTemplateGroups => route_templates(),
        Collection::TaskTemplateGroups => task_templates(),
        Collection::Forms => forms(),
        Collection::FormSubmissions => form_submissions(),
    }
}

/// The actor's answer with a whole list.
pub fn loaded(key: ListKey, items: Vec<Value>) -> Msg {
    Msg::Actor(Box::new(Event::Loaded {
        req: 0,
        key,
        items: Arc::new(Items::from(items)),
        fetched_at: fetched_at(),
        from_cache: false,
    }))
}

/// The actor's answer that a list could not be loaded.
pub fn failed(key: ListKey) -> Msg {
    Msg::Actor(Box::new(Event::Failed {
        req: 0,
        key: Some(key),
        error: ApiError::Network("connection refused".into()),
    }))
}

/// Applies a message, then runs the row-formatting and picture-decoding jobs it asks for as
/// the event loop would; returns the other effects.
pub fn deliver(app: &mut super::app::App, msg: Msg) -> Vec<super::msg::Effect> {
    use super::msg::Effect;
    let mut out = Vec::new();
    let mut queue = vec![msg];
    while let Some(m) = queue.pop() {
        for e in app.update(m) {
            match e {
                Effect::BuildRows(job) => queue.push(Msg::RowsBuilt(Box::new(job.run()))),
                Effect::DecodePod(job) => queue.push(Msg::PodDecoded(Box::new(job.run()))),
                other => out.push(other),
            }
        }
    }
    out
}

/// A key press without modifiers.
pub fn key(code: crossterm::event::KeyCode) -> Msg {
    Msg::Key(crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::NONE,
    ))
}

/// The app drawn on a 120×30 test terminal.
pub fn draw(app: &super::app::App) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30))
        .expect("a test terminal");
    t.draw(|f| app.render(f)).expect("a test frame");
    t
}
