//! Tests of the whole demo data set: determinism, shape, consistency and scale.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;

use super::*;
use crate::api::model::{
    Coordinates, Customer, Depot, Driver, Entity, Form, FormSubmission, ProofOfDelivery, Route,
    RouteTemplateGroup, ScheduleException, TaskTemplateGroup, Validate, Vehicle, Zone,
};
use crate::sandbox::ids::is_object_id;
use crate::sandbox::routing::{StopInput, TravelModel, time_route};

/// A Wednesday.
fn wednesday() -> Date {
    Date::from_civil(jiff::civil::date(2025, 6, 18))
}

fn opts(today: Date) -> DemoOptions {
    DemoOptions {
        today,
        scale: None,
        seed: 42,
    }
}

fn sample() -> &'static DemoData {
    static DATA: OnceLock<DemoData> = OnceLock::new();
    DATA.get_or_init(|| generate(&opts(wednesday())))
}

/// Reads every document of `T`'s collection as `T`; checks validation and a lossless trip.
fn typed<T: Entity>(data: &DemoData) -> Vec<T> {
    data.docs(T::COLLECTION)
        .iter()
        .map(|d| read::<T>(d))
        .collect()
}

/// Reads `d` as `T`, checks the trip back to JSON is lossless, and that it validates.
fn read<T: DeserializeOwned + Serialize + Validate>(d: &Value) -> T {
    let t: T = parse(d);
    let problems = t.problems();
    assert!(problems.is_empty(), "{problems:?} in {d}");
    t
}

fn parse<T: DeserializeOwned + Serialize>(d: &Value) -> T {
    let t: T = serde_json::from_value(d.clone()).unwrap_or_else(|e| panic!("{e}: {d}"));
    assert_eq!(&serde_json::to_value(&t).unwrap(), d, "lossless round trip");
    t
}

/// Every document of `data` as one text, to compare byte for byte.
fn text(data: &DemoData) -> String {
    let mut s = String::new();
    for (c, docs) in &data.collections {
        s.push_str(&format!(
            "{c:?}\n{}\n",
            serde_json::to_string(docs).unwrap()
        ));
    }
    s + &serde_json::to_string(&data.pods).unwrap()
}

fn tasks_on(data: &DemoData, date: Date) -> Vec<Task> {
    typed::<Task>(data)
        .into_iter()
        .filter(|t| t.date == Some(date))
        .collect()
}

#[test]
fn options_default_to_today_and_seed_42() {
    let o = DemoOptions::default();
    assert_eq!((o.scale, o.seed), (None, 42));
    assert_eq!(o.today, Date::today());
}

#[test]
fn same_options_give_identical_bytes_and_another_seed_does_not() {
    let again = generate(&opts(wednesday()));
    assert_eq!(text(sample()), text(&again));
    let other = generate(&DemoOptions {
        seed: 7,
        ..opts(wednesday())
    });
    assert_ne!(
        sample().docs(Collection::Tasks),
        other.docs(Collection::Tasks)
    );
}

#[test]
fn every_document_reads_back_as_its_model_and_validates() {
    let data = sample();
    typed::<Depot>(data);
    typed::<Vehicle>(data);
    typed::<Driver>(data);
    typed::<Customer>(data);
    typed::<Zone>(data);
    typed::<ScheduleException>(data);
    typed::<Form>(data);
    typed::<TaskTemplateGroup>(data);
    typed::<RouteTemplateGroup>(data);
    typed::<Task>(data);
    typed::<Route>(data);
    typed::<FormSubmission>(data);
    for (_, p) in &data.pods {
        let pod: ProofOfDelivery = parse(p);
        assert!(pod.location.problems().is_empty());
    }
    let mut ids = HashSet::new();
    let mut uids = HashSet::new();
    for (c, docs) in &data.collections {
        assert!(!docs.is_empty(), "{c:?} has documents");
        for d in docs {
            let id = d["_id"].as_str().unwrap_or_default();
            assert!(
                is_object_id(id) && id == id.to_lowercase(),
                "{c:?} _id {id}"
            );
            assert!(ids.insert(id.to_string()), "duplicate _id {id}");
            let uid = d["uid"].as_str().unwrap_or_default();
            assert!(
                uid.starts_with(c.uid_prefix()) && uid.len() == c.uid_prefix().len() + 8,
                "{c:?} uid {uid}"
            );
            assert!(uids.insert(uid.to_string()), "duplicate uid {uid}");
        }
    }
}

#[test]
fn counts_and_dates_spread_over_yesterday_today_and_tomorrow() {
    let data = sample();
    let n = |c| data.docs(c).len();
    assert!((3..=4).contains(&n(Collection::Depots)));
    assert_eq!((n(Collection::Vehicles), n(Collection::Drivers)), (25, 25));
    assert!(n(Collection::Customers) >= 200);
    assert!((4..=6).contains(&n(Collection::Zones)));
    assert!((5..=8).contains(&n(Collection::ScheduleExceptions)));
    assert_eq!(n(Collection::RouteTemplateGroups), 2);
    assert!((2..=3).contains(&n(Collection::TaskTemplateGroups)));
    assert_eq!(n(Collection::Forms), 2);
    assert!((20..=40).contains(&n(Collection::FormSubmissions)));
    let tasks = typed::<Task>(data);
    assert!(tasks.len() >= 500, "{}", tasks.len());
    let today = wednesday();
    let mut per_day: BTreeMap<Date, usize> = BTreeMap::new();
    for t in &tasks {
        *per_day.entry(t.date.unwrap()).or_default() += 1;
    }
    assert_eq!(
        per_day.keys().copied().collect::<Vec<_>>(),
        vec![today.add_days(-1), today, today.add_days(1)]
    );
    assert!(per_day.values().all(|&c| c >= 150), "{per_day:?}");
    let routes = typed::<Route>(data);
    let today_routes = routes.iter().filter(|r| r.date == Some(today)).count();
    assert!((18..=24).contains(&today_routes), "{today_routes}");
    assert!(routes.iter().any(|r| r.date == Some(today.add_days(-1))));
    assert!(routes.iter().any(|r| r.date == Some(today.add_days(1))));
    let refs: HashSet<_> = tasks.iter().map(|t| t.reference.clone()).collect();
    assert_eq!(refs.len(), tasks.len(), "references are unique");
}

#[test]
fn every_state_is_present_with_its_label_and_history() {
    check_states(sample(), wednesday());
}

#[test]
fn another_seed_in_winter_holds_together_too() {
    let monday = Date::from_civil(jiff::civil::date(2025, 1, 6));
    let data = generate(&DemoOptions {
        today: monday,
        scale: None,
        seed: 7,
    });
    check_states(&data, monday);
    check_integrity(&data, monday);
}

/// Checks states, labels, histories and which states each of the three days shows.
fn check_states(data: &DemoData, today: Date) {
    let tasks = typed::<Task>(data);
    let states: BTreeSet<TaskState> = tasks.iter().map(Task::state).collect();
    for s in TaskState::ALL {
        assert!(states.contains(&s), "{s} missing");
    }
    for t in &tasks {
        assert_eq!(t.state_text.as_deref(), Some(t.state().label()));
        let stamps = t.state_timestamps.as_ref().unwrap();
        let secs: Vec<i64> = stamps.values().filter_map(Value::as_i64).collect();
        assert_eq!(t.state_timestamp, secs.iter().copied().max());
        assert!(
            secs.windows(2).all(|w| w[0] <= w[1]),
            "history in order: {stamps:?}"
        );
        assert!(stamps.contains_key("created") && stamps.contains_key("createdISO"));
        let a = t.assignment.as_ref().unwrap();
        if a.state == Some(0) {
            assert!(a.route_uid.is_none() && a.assignee.is_none());
        }
    }
    let on = |d: Date| -> BTreeSet<(i64, bool)> {
        tasks_on(data, d)
            .iter()
            .map(|t| (t.state().0, t.is_assigned()))
            .collect()
    };
    let yesterday = on(today.add_days(-1));
    assert!(
        yesterday
            .iter()
            .all(|(s, _)| TaskState(*s).is_final() || *s == 0)
    );
    for want in [(60, true), (-20, true), (-10, true), (-30, false)] {
        assert!(yesterday.contains(&want), "yesterday {want:?}");
    }
    let now = on(today);
    for want in [
        (60, true),
        (40, true),
        (50, true),
        (10, true),
        (30, true),
        (0, true),
        (0, false),
        (-30, false),
    ] {
        assert!(now.contains(&want), "today {want:?}: {now:?}");
    }
    let tomorrow = on(today.add_days(1));
    assert!(
        tomorrow.iter().all(|(s, _)| *s == 0 || *s == 4),
        "{tomorrow:?}"
    );
    assert!(tomorrow.contains(&(0, true)) && tomorrow.contains(&(0, false)));
}

/// Checks that tasks, routes, drivers, vehicles and the rest point at each other correctly.
fn check_integrity(data: &DemoData, today: Date) {
    let tasks = typed::<Task>(data);
    let routes = typed::<Route>(data);
    let drivers = typed::<Driver>(data);
    let vehicles = typed::<Vehicle>(data);
    let depots = typed::<Depot>(data);
    let customers = typed::<Customer>(data);
    let by_uid: BTreeMap<&str, &Task> = tasks
        .iter()
        .map(|t| (t.uid.as_deref().unwrap(), t))
        .collect();
    let route_uids: BTreeMap<&str, &Route> = routes
        .iter()
        .map(|r| (r.uid.as_deref().unwrap(), r))
        .collect();
    let depot_uids: HashSet<&str> = depots.iter().filter_map(|d| d.uid.as_deref()).collect();
    let vehicle_uids: HashSet<&str> = vehicles.iter().filter_map(|v| v.uid.as_deref()).collect();
    let driver_uids: HashSet<&str> = drivers.iter().filter_map(|d| d.uid.as_deref()).collect();
    for t in &tasks {
        let a = t.assignment.as_ref().unwrap();
        if let Some(ru) = a.route_uid.as_deref() {
            let r = route_uids
                .get(ru)
                .unwrap_or_else(|| panic!("route {ru} missing"));
            assert_eq!(a.route_id, r.id);
            assert_eq!(t.date, r.date);
            assert_eq!(a.assignee, r.assignee);
            let leg = &r.legs()[a.route_order.unwrap() as usize - 1];
            assert_eq!(leg.task_info.as_ref().unwrap().uid, t.uid);
            assert_eq!(
                (a.eta, a.planned_eta, a.loading_order),
                (leg.eta, leg.planned_eta, leg.loading_order)
            );
            if let Some(pk) = &t.pickup {
                assert_eq!(
                    pk.location.as_ref().unwrap().uid,
                    r.start_location.as_ref().unwrap().uid
                );
            }
        }
        if let Some(c) = &t.customer {
            let cust = customers
                .iter()
                .find(|x| x.id == c.id && x.uid == c.uid)
                .expect("customer exists");
            let loc = t.location.as_ref().unwrap();
            if loc.kind == Some(1) {
                assert!(cust.locations.iter().flatten().any(|l| l.uid == loc.uid));
            }
        }
        if let Some(pk) = &t.pickup {
            assert!(depot_uids.contains(pk.location.as_ref().unwrap().uid.as_deref().unwrap()));
        }
    }
    let model = TravelModel::default();
    for r in &routes {
        let legs = r.legs();
        let n = legs.len();
        assert!(n > 0);
        assert!(driver_uids.contains(r.assignee.as_ref().unwrap().uid.as_deref().unwrap()));
        assert!(vehicle_uids.contains(r.vehicle.as_ref().unwrap().uid.as_deref().unwrap()));
        let mut stops = Vec::new();
        for (p, leg) in legs.iter().enumerate() {
            assert_eq!(leg.route_order, Some(p as i64 + 1));
            assert_eq!(leg.loading_order, Some((n - p) as i64));
            let t = by_uid[leg.task_info.as_ref().unwrap().uid.as_deref().unwrap()];
            let a = t.assignment.as_ref().unwrap();
            assert_eq!(
                (a.route_uid.as_deref(), a.route_order),
                (r.uid.as_deref(), leg.route_order)
            );
            assert_eq!(leg.task_info.as_ref().unwrap().reference, t.reference);
            stops.push(StopInput {
                coordinates: t.location.as_ref().unwrap().coordinates,
                time_windows: t.time_windows.clone().unwrap_or_default(),
                service_minutes: t.setup_duration.unwrap() + t.service_duration.unwrap(),
            });
        }
        let depot = r.start_location.as_ref().unwrap().coordinates;
        let times = time_route(&model, depot, r.start.unwrap(), &stops, depot);
        assert_eq!(times.end, r.end.unwrap());
        for (leg, s) in legs.iter().zip(&times.stops) {
            assert_eq!((leg.eta, leg.departure), (Some(s.eta), Some(s.departure)));
        }
    }
    for d in &drivers {
        assert!(vehicle_uids.contains(d.vehicle_key().unwrap().as_str()));
        for l in [&d.start_location, &d.end_location] {
            let l = l.as_ref().unwrap();
            assert_eq!(l.kind, Some(0));
            assert!(depot_uids.contains(l.uid.as_deref().unwrap()));
        }
    }
    let exceptions = typed::<ScheduleException>(data);
    for e in &exceptions {
        let r = e.driver.as_ref().unwrap();
        assert!(drivers.iter().any(|d| d.id == r.plain_id && d.uid == r.uid));
    }
    let off_today: Vec<&str> = exceptions
        .iter()
        .filter(|e| e.day_off == Some(true) && e.date_range.as_ref().unwrap().contains(today))
        .filter_map(|e| e.driver.as_ref()?.uid.as_deref())
        .collect();
    assert_eq!(off_today.len(), 1);
    let todays: Vec<&Route> = routes.iter().filter(|r| r.date == Some(today)).collect();
    assert!(
        todays
            .iter()
            .all(|r| r.assignee.as_ref().unwrap().uid.as_deref() != Some(off_today[0]))
    );
    assert_eq!(todays.iter().filter(|r| r.is_locked()).count(), 1);
    assert!(
        routes
            .iter()
            .filter(|r| r.is_locked())
            .all(|r| r.date == Some(today))
    );
    let locked = todays.iter().find(|r| r.is_locked()).unwrap();
    for leg in locked.legs() {
        let t = by_uid[leg.task_info.as_ref().unwrap().uid.as_deref().unwrap()];
        assert_eq!(t.assignment.as_ref().unwrap().locked, Some(true));
    }
    let submissions = typed::<FormSubmission>(data);
    let forms = typed::<Form>(data);
    for s in &submissions {
        assert!(forms.iter().any(|f| f.uid == s.form.as_ref().unwrap().uid));
        assert!(driver_uids.contains(s.driver.as_ref().unwrap().uid.as_deref().unwrap()));
        if let Some(t) = &s.task {
            assert_eq!(
                by_uid[t.uid.as_deref().unwrap()].state(),
                TaskState::COMPLETED
            );
        }
    }
    assert!(submissions.iter().filter(|s| s.task.is_some()).count() >= 20);
}

#[test]
fn tasks_routes_drivers_and_vehicles_point_at_each_other() {
    check_integrity(sample(), wednesday());
}

#[test]
fn a_sunday_is_just_as_consistent() {
    let sunday = Date::from_civil(jiff::civil::date(2025, 6, 22));
    check_integrity(&generate(&opts(sunday)), sunday);
}

#[test]
fn exceptions_shape_the_drivers_day() {
    let data = sample();
    let today = wednesday();
    let drivers = typed::<Driver>(data);
    let routes = typed::<Route>(data);
    let exceptions = typed::<ScheduleException>(data);
    let shifted = exceptions
        .iter()
        .find(|e| e.overrides.as_ref().is_some_and(|o| o.schedule.is_some()))
        .unwrap();
    let uid = shifted.driver.as_ref().unwrap().uid.clone();
    let route = routes
        .iter()
        .find(|r| r.date == Some(today) && r.assignee.as_ref().unwrap().uid == uid)
        .expect("the driver with a late start works today");
    assert_eq!(route.start, Some(540));
    assert!(
        exceptions
            .iter()
            .any(|e| e.date_range.as_ref().unwrap().end_date < today)
    );
    assert!(
        exceptions
            .iter()
            .any(|e| e.date_range.as_ref().unwrap().start_date >= today.add_days(7))
    );
    let skilled = exceptions
        .iter()
        .find(|e| e.overrides.as_ref().is_some_and(|o| o.skills.is_some()))
        .unwrap();
    let d = drivers
        .iter()
        .find(|d| d.uid == skilled.driver.as_ref().unwrap().uid)
        .unwrap();
    assert!(!d.skills.as_ref().unwrap().contains(&"adr".to_string()));
    if let Some(r) = routes
        .iter()
        .find(|r| r.date == Some(today) && r.assignee.as_ref().unwrap().uid == d.uid)
    {
        let info = r.assignee.as_ref().unwrap().info.as_ref().unwrap();
        assert!(
            info["skills"]
                .as_array()
                .unwrap()
                .contains(&Value::from("adr"))
        );
    }
}

#[test]
fn a_few_stops_today_are_late_and_the_rest_are_on_time() {
    let data = sample();
    let tasks = typed::<Task>(data);
    let by_uid: BTreeMap<_, _> = tasks.iter().map(|t| (t.uid.clone(), t)).collect();
    let mut late = 0;
    for r in typed::<Route>(data)
        .iter()
        .filter(|r| r.date == Some(wednesday()))
    {
        for leg in r.legs() {
            let lateness = leg.lateness.unwrap();
            if lateness > 0.0 {
                late += 1;
                let t = by_uid[&leg.task_info.as_ref().unwrap().uid];
                let eta = leg.eta.unwrap();
                assert!(t.time_windows.iter().flatten().all(|w| w.end < eta));
            }
        }
    }
    assert!((2..=4).contains(&late), "{late} late stops");
}

/// Length of the round trip depot → stops → depot.
fn tour_m(depot: Coordinates, stops: &[Coordinates]) -> f64 {
    let mut all = vec![depot];
    all.extend_from_slice(stops);
    all.push(depot);
    all.windows(2).map(|w| w[0].haversine_m(&w[1])).sum()
}

#[test]
fn stops_follow_a_sensible_path_not_a_zig_zag() {
    let data = sample();
    let tasks = typed::<Task>(data);
    let at: BTreeMap<_, _> = tasks
        .iter()
        .map(|t| {
            (
                t.uid.clone(),
                t.location.as_ref().unwrap().coordinates.unwrap(),
            )
        })
        .collect();
    for r in typed::<Route>(data) {
        let stops: Vec<Coordinates> = r
            .legs()
            .iter()
            .map(|l| at[&l.task_info.as_ref().unwrap().uid])
            .collect();
        if stops.len() < 4 {
            continue;
        }
        let depot = r.start_location.as_ref().unwrap().coordinates.unwrap();
        let planned = tour_m(depot, &stops);
        // Against the same stops in the order they were ordered (by reference).
        let mut by_ref: Vec<(String, Coordinates)> = r
            .legs()
            .iter()
            .map(|l| {
                (
                    l.task_info.as_ref().unwrap().reference.clone().unwrap(),
                    at[&l.task_info.as_ref().unwrap().uid],
                )
            })
            .collect();
        by_ref.sort_by(|a, b| a.0.cmp(&b.0));
        let arbitrary = tour_m(depot, &by_ref.iter().map(|x| x.1).collect::<Vec<_>>());
        assert!(
            planned <= arbitrary + 1.0,
            "{:?}: {planned:.0} m vs {arbitrary:.0} m",
            r.uid
        );
        // Every stop is nearer to the route's own depot than 25 km.
        assert!(
            stops.iter().all(|s| s.haversine_m(&depot) < 25_000.0),
            "{:?}",
            r.uid
        );
    }
}

#[test]
fn postcode_gu3_finds_the_compton_tasks() {
    let tasks = typed::<Task>(sample());
    let compton: Vec<&Task> = tasks
        .iter()
        .filter(|t| {
            t.location
                .as_ref()
                .unwrap()
                .post_code
                .as_deref()
                .is_some_and(|p| p.starts_with("GU3"))
        })
        .collect();
    assert!(compton.len() >= 3, "{}", compton.len());
    for t in compton {
        let l = t.location.as_ref().unwrap();
        assert_eq!(l.post_code.as_deref(), Some("GU3 1DQ"));
        assert_eq!(l.coordinates, Some(Coordinates::new(-0.630083, 51.220836)));
    }
}

#[test]
fn london_addresses_lie_in_their_postcode_district() {
    let data = sample();
    let mut points = Vec::new();
    for t in typed::<Task>(data) {
        let l = t.location.unwrap();
        points.push((l.post_code.unwrap(), l.coordinates.unwrap()));
    }
    for c in typed::<Customer>(data) {
        for l in c.locations.unwrap() {
            points.push((l.post_code.unwrap(), l.coordinates.unwrap()));
        }
    }
    for (pc, at) in points {
        let outward = pc.split(' ').next().unwrap();
        if outward == "GU3" {
            continue;
        }
        let d = geo::DISTRICTS
            .iter()
            .find(|d| d.outward == outward)
            .unwrap_or_else(|| panic!("{pc}"));
        assert!(
            at.haversine_m(&Coordinates::new(d.lon, d.lat)) <= d.radius_m + 1.0,
            "{pc} {at}"
        );
    }
}

#[test]
fn zones_are_closed_and_cover_every_district_once() {
    let zones = typed::<Zone>(sample());
    for z in &zones {
        let rings = z.rings();
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].first(), rings[0].last());
    }
    let areas: Vec<&Zone> = zones
        .iter()
        .filter(|z| {
            z.rules.as_ref().unwrap()["skills"]
                .as_array()
                .unwrap()
                .is_empty()
        })
        .collect();
    assert_eq!(areas.len(), 5);
    for d in geo::DISTRICTS {
        let c = Coordinates::new(d.lon, d.lat);
        let n = areas.iter().filter(|z| z.contains(c)).count();
        assert_eq!(n, 1, "{} is in {n} zones", d.outward);
    }
}

fn decode(b64: &str) -> (u32, u32) {
    let bytes = decode_base64(b64);
    let mut r = png::Decoder::new(bytes.as_slice())
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r.next_frame(&mut buf).expect("decodes");
    (info.width, info.height)
}

/// Decodes the inlined image data.
fn decode_base64(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("valid base64")
}

#[test]
fn every_completed_or_failed_task_has_a_proof_with_real_pictures() {
    let data = sample();
    let tasks = typed::<Task>(data);
    let done: BTreeMap<String, &Task> = tasks
        .iter()
        .filter(|t| t.state() == TaskState::COMPLETED || t.state().is_failed())
        .map(|t| (t.id.clone().unwrap(), t))
        .collect();
    let pods: BTreeMap<String, ProofOfDelivery> = data
        .pods
        .iter()
        .map(|(id, p)| (id.clone(), parse(p)))
        .collect();
    assert_eq!(
        done.keys().collect::<Vec<_>>(),
        pods.keys().collect::<Vec<_>>()
    );
    let (mut photos, mut far) = (0, 0);
    for (id, p) in &pods {
        let t = done[id];
        assert_eq!(p.task.as_ref().unwrap().reference, t.reference);
        assert_eq!(p.state, t.state);
        assert_eq!(p.completed_at, t.state_timestamp);
        assert_eq!(
            p.completed_at_iso.as_deref(),
            Some(clock::iso(t.state_timestamp.unwrap()).as_str())
        );
        assert_eq!(
            p.segment.as_deref(),
            Some(if t.state().is_failed() {
                "failed"
            } else {
                "delivery"
            })
        );
        if let Some(s) = &p.signature {
            assert_eq!(s.mime_type.as_deref(), Some("image/png"));
            assert_eq!(decode(s.data.as_deref().unwrap()), images::SIGNATURE_SIZE);
        }
        for ph in p.photos.iter().flatten() {
            assert_eq!(decode(ph.data.as_deref().unwrap()), images::PHOTO_SIZE);
            photos += 1;
        }
        let stop = if t.state() == TaskState::PICKUP_FAILED {
            t.pickup
                .as_ref()
                .unwrap()
                .location
                .as_ref()
                .unwrap()
                .coordinates
                .unwrap()
        } else {
            t.location.as_ref().unwrap().coordinates.unwrap()
        };
        let m = p.location.unwrap().haversine_m(&stop);
        if t.state().is_failed() && m >= 300.0 {
            far += 1;
        } else {
            assert!((4.0..=81.0).contains(&m), "{m} m from the stop");
        }
        let action = &p.actions.as_ref().unwrap()[0];
        assert_eq!(
            (action.kind, action.type_text.as_deref()),
            (Some(4), Some("comment"))
        );
    }
    assert!(pods.values().filter(|p| p.signature.is_some()).count() > pods.len() / 2);
    assert!(
        photos * 10 > pods.len() * 3 && photos * 10 < pods.len() * 7,
        "{photos} of {}",
        pods.len()
    );
    assert!(far >= 2, "{far} failed far from the stop");
    let bytes = serde_json::to_string(&data.pods).unwrap().len();
    assert!(bytes < 5_000_000, "{bytes}");
}

#[test]
fn templates_name_drivers_and_carry_dateless_tasks() {
    let data = sample();
    let drivers = typed::<Driver>(data);
    for g in typed::<RouteTemplateGroup>(data) {
        let p = g.schedule_pattern.as_ref().unwrap();
        assert_eq!(p.frequency.as_deref(), Some("weekly"));
        for rt in g.route_templates.unwrap() {
            let d = rt.driver.unwrap();
            assert!(drivers.iter().any(|x| x.id == d.id && x.uid == d.uid));
            for tt in rt.task_templates.unwrap() {
                let t = tt.task.unwrap();
                assert!(t.date.is_none() && t.id.is_none() && t.state.is_none());
            }
        }
    }
    for g in typed::<TaskTemplateGroup>(data) {
        assert!(!g.task_templates.unwrap().is_empty());
    }
}

#[test]
fn scale_adds_unassigned_load_tasks_for_today_and_changes_nothing_else() {
    let n = 100_000;
    let big = generate(&DemoOptions {
        scale: Some(n),
        ..opts(wednesday())
    });
    let small = sample();
    for ((c, a), (_, b)) in big.collections.iter().zip(&small.collections) {
        if *c != Collection::Tasks {
            assert_eq!(a, b, "{c:?}");
        }
    }
    assert_eq!(big.pods, small.pods);
    let base = small.docs(Collection::Tasks);
    let all = big.docs(Collection::Tasks);
    assert_eq!(all.len(), base.len() + n);
    assert_eq!(&all[..base.len()], base);
    let mut refs = HashSet::new();
    let mut uids: HashSet<&str> = base.iter().filter_map(|t| t["uid"].as_str()).collect();
    for (k, t) in all[base.len()..].iter().enumerate() {
        assert_eq!(
            t["reference"].as_str(),
            Some(format!("LOAD-{:06}", k + 1).as_str())
        );
        assert!(refs.insert(t["reference"].as_str().unwrap()));
        assert!(
            uids.insert(t["uid"].as_str().unwrap()),
            "uid {} repeats",
            t["uid"]
        );
        assert_eq!(t["date"], wednesday().as_u32());
        assert_eq!(
            (t["state"].as_i64(), t["assignment"]["state"].as_i64()),
            (Some(0), Some(0))
        );
    }
    for t in all[base.len()..].iter().step_by(997) {
        read::<Task>(t);
    }
    let streamed: Vec<Value> = load_tasks(&opts(wednesday()), 3).collect();
    assert_eq!(streamed.as_slice(), &all[base.len()..base.len() + 3]);
}

#[test]
fn the_sandbox_accepts_and_indexes_every_document() {
    use crate::sandbox::documents::check;
    use crate::sandbox::store::{IndexedCond, Store, StoreError};
    let data = sample();
    for (c, docs) in &data.collections {
        for d in docs {
            let problems = check(*c, d);
            assert!(problems.is_empty(), "{c:?}: {problems:?}");
        }
    }
    let store = Store::open_in_memory().unwrap();
    store
        .write(|tx| {
            for (c, docs) in &data.collections {
                for d in docs {
                    tx.insert(*c, d)?;
                }
            }
            for (id, p) in &data.pods {
                tx.put_pod(id, p)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let today = i64::from(wednesday().as_u32());
    let (on_today, arrived, route_uid) = store
        .read(|tx| {
            let on_today = tx.count(Collection::Tasks, &[IndexedCond::OnDates(vec![today])])?;
            let arrived = tx.count(Collection::Tasks, &[IndexedCond::State(50)])?;
            let route = tx.find(Collection::Routes, &[IndexedCond::OnDates(vec![today])])?;
            let uid = route[0]["uid"].as_str().unwrap_or_default().to_string();
            Ok::<_, StoreError>((on_today, arrived, uid))
        })
        .unwrap();
    let tasks = typed::<Task>(data);
    assert_eq!(on_today as usize, tasks_on(data, wednesday()).len());
    assert_eq!(
        arrived as usize,
        tasks
            .iter()
            .filter(|t| t.state() == TaskState::ARRIVED)
            .count()
    );
    let (legs, pod) = store
        .read(|tx| {
            let legs = tx.count(Collection::Tasks, &[IndexedCond::Route(route_uid.clone())])?;
            let pod = tx.pod(&data.pods[0].0)?;
            Ok::<_, StoreError>((legs, pod))
        })
        .unwrap();
    let route = typed::<Route>(data)
        .into_iter()
        .find(|r| r.uid.as_deref() == Some(&route_uid))
        .unwrap();
    assert_eq!(legs as usize, route.legs().len());
    assert_eq!(pod.as_ref(), Some(&data.pods[0].1));
}
