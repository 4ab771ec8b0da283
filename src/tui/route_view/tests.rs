//! The route detail's state: stops joined to tasks, moving stops, and an unsaved order
//! across refreshes.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{RouteView, StopMove};
use crate::actor::ListKey;
use crate::api::items::Items;
use crate::api::paths::Collection;
use crate::api::query::ListQuery;
use crate::tui::test_fixtures::{self as fx, today};

fn keys() -> [ListKey; 2] {
    let q = ListQuery::new().date(today());
    [
        ListKey::new(Collection::Routes, q.clone()),
        ListKey::new(Collection::Tasks, q),
    ]
}

fn load(v: &mut RouteView, routes: Vec<Value>) {
    let [r, t] = keys();
    v.on_loaded(&r, &Arc::new(Items::from(routes)));
    v.on_loaded(&t, &Arc::new(Items::from(to_do_tasks())));
}

/// The fixture tasks with none started yet, so that every stop may move.
fn to_do_tasks() -> Vec<Value> {
    let mut tasks = fx::tasks();
    for t in &mut tasks {
        t["state"] = json!(0);
    }
    tasks
}

/// Anna's route, unlocked, with a third stop.
fn three_stops() -> Vec<Value> {
    let mut routes = fx::routes();
    routes[0]["locked"] = json!(false);
    let mut third = routes[1]["legs"][0].clone();
    third["routeOrder"] = json!(3);
    routes[0]["legs"].as_array_mut().unwrap().push(third);
    routes
}

fn refs(v: &RouteView) -> Vec<String> {
    v.stops().iter().map(|s| s.label.clone()).collect()
}

#[test]
fn stops_are_joined_to_their_tasks_in_route_order() {
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    let [r, _] = keys();
    v.on_loaded(&r, &Arc::new(Items::from(fx::routes())));
    assert!(!v.is_loaded(), "the tasks have not arrived");
    load(&mut v, fx::routes());
    let route = v.route().expect("found by UID");
    assert!(route.locked);
    assert_eq!(route.vehicle.as_deref(), Some("Van 1"));
    assert_eq!(refs(&v), ["ORD-1001", "ORD-1002"]);
    let first = v.stops()[0];
    assert_eq!(first.name, "Acme Ltd");
    assert_eq!(first.windows, [(480, 600)]);
    assert_eq!(first.task_id.as_deref(), Some("T-00000001"));
    assert!(!first.late);
}

#[test]
fn a_stop_served_after_its_last_window_is_late() {
    let mut routes = fx::routes();
    routes[0]["legs"][1]["eta"] = json!(725);
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    load(&mut v, routes);
    let late: Vec<bool> = v.stops().iter().map(|s| s.late).collect();
    assert_eq!(late, [false, true]);
}

#[test]
fn a_locked_route_refuses_to_move_stops() {
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    load(&mut v, fx::routes());
    assert_eq!(v.move_stop(1), StopMove::Locked);
    assert!(!v.has_unsaved_order());
}

#[test]
fn moved_stops_form_an_unsaved_order_that_a_refresh_keeps_until_saved() {
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    load(&mut v, three_stops());
    assert_eq!(v.move_stop(-1), StopMove::AtEnd);
    assert_eq!(v.move_stop(1), StopMove::Moved);
    assert_eq!(v.selected(), 1, "the moved stop stays selected");
    assert_eq!(refs(&v), ["ORD-1002", "ORD-1001", "ORD-1003"]);
    assert_eq!(
        v.unsaved_order().unwrap(),
        ["T-00000002", "T-00000001", "T-00000003"]
    );
    // A refresh with the old order keeps the local one.
    load(&mut v, three_stops());
    assert_eq!(refs(&v), ["ORD-1002", "ORD-1001", "ORD-1003"]);
    // The server now has the new order: nothing is unsaved any more, and nothing was lost.
    let mut saved = three_stops();
    saved[0]["legs"].as_array_mut().unwrap().swap(0, 1);
    load(&mut v, saved);
    assert!(!v.has_unsaved_order());
    assert_eq!(v.notice(), None);
    assert_eq!(refs(&v), ["ORD-1002", "ORD-1001", "ORD-1003"]);
}

#[test]
fn an_unsaved_order_is_dropped_with_a_notice_when_the_stops_change() {
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    load(&mut v, three_stops());
    v.move_stop(1);
    load(&mut v, {
        let mut r = fx::routes();
        r[0]["locked"] = json!(false);
        r
    });
    assert!(!v.has_unsaved_order());
    assert!(v.notice().is_some_and(|n| n.contains("dropped")));
}

#[test]
fn the_first_escape_over_an_unsaved_order_only_warns() {
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    load(&mut v, three_stops());
    assert!(v.may_close(), "nothing unsaved");
    v.move_stop(1);
    assert!(!v.may_close());
    assert!(v.discard_armed());
    assert!(v.may_close());
}

#[test]
fn a_stop_is_named_by_its_customer_before_its_location() {
    let mut tasks = fx::tasks();
    tasks[0]["customer"] = json!({"uid": "CUS-1", "name": "Ngozi Singh"});
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    let [r, t] = keys();
    v.on_loaded(&r, &Arc::new(Items::from(fx::routes())));
    v.on_loaded(&t, &Arc::new(Items::from(tasks)));
    let names: Vec<&str> = v.stops().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Ngozi Singh", "Bright Florists"]);
}

#[test]
fn pickup_and_delivery_legs_of_one_task_are_told_apart() {
    // ORD-1001 becomes a pickup-and-delivery task collected first on Anna's route.
    let mut routes = fx::routes();
    let mut pickup = routes[0]["legs"][0].clone();
    pickup["segment"] = json!("pickup");
    routes[0]["legs"].as_array_mut().unwrap().insert(0, pickup);
    let mut tasks = fx::tasks();
    let i = tasks
        .iter()
        .position(|t| t["reference"] == "ORD-1001")
        .unwrap();
    tasks[i]["pickup"] = json!({
        "location": {"name": "Warehouse", "coordinates": [-0.1, 51.5]},
        "timeWindows": [{"start": 420, "end": 480}]
    });
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    let [r, t] = keys();
    v.on_loaded(&r, &Arc::new(Items::from(routes)));
    v.on_loaded(&t, &Arc::new(Items::from(tasks)));
    let legs: Vec<(String, &str, String)> = v
        .stops()
        .iter()
        .map(|s| (s.label.clone(), s.leg.label(), s.name.clone()))
        .collect();
    assert_eq!(legs[0].0, "ORD-1001");
    assert_eq!(legs[0].1, "pickup");
    assert_eq!(legs[1], ("ORD-1001".into(), "delivery", "Acme Ltd".into()));
    assert_eq!(legs[2].1, "", "a task with one stop has no leg label");
    assert_eq!(
        v.stops()[0].windows,
        [(420, 480)],
        "the pickup's own window"
    );
}

#[test]
fn a_started_or_finished_stop_keeps_its_place() {
    // ORD-1001 (first on Anna's route) is completed: it cannot move, and ORD-1002 cannot
    // move above it; ORD-1002 and the third stop still swap.
    let mut tasks = to_do_tasks();
    let i = tasks
        .iter()
        .position(|t| t["reference"] == "ORD-1001")
        .unwrap();
    tasks[i]["state"] = json!(60);
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    let [r, t] = keys();
    v.on_loaded(&r, &Arc::new(Items::from(three_stops())));
    v.on_loaded(&t, &Arc::new(Items::from(tasks.clone())));
    assert_eq!(
        v.move_stop(1),
        StopMove::Kept("ORD-1001 is completed and keeps its place".into())
    );
    v.navigate(crate::tui::keymap::Action::Down, 1);
    assert!(matches!(v.move_stop(-1), StopMove::Kept(_)));
    assert!(!v.has_unsaved_order());
    assert_eq!(v.move_stop(1), StopMove::Moved);
    assert_eq!(refs(&v)[0], "ORD-1001");
    // Goods picked up (30) are still to be delivered: that delivery may move.
    tasks[i]["state"] = json!(30);
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    v.on_loaded(&r, &Arc::new(Items::from(three_stops())));
    v.on_loaded(&t, &Arc::new(Items::from(tasks.clone())));
    assert_eq!(v.move_stop(1), StopMove::Moved);
    // A driver on the way (en route, 40) holds its stop.
    tasks[i]["state"] = json!(40);
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    v.on_loaded(&r, &Arc::new(Items::from(three_stops())));
    v.on_loaded(&t, &Arc::new(Items::from(tasks)));
    assert_eq!(
        v.move_stop(1),
        StopMove::Kept("ORD-1001 is en route and keeps its place".into())
    );
}

#[test]
fn a_pickup_stays_before_its_own_delivery() {
    let mut routes = three_stops();
    let mut pickup = routes[0]["legs"][0].clone();
    pickup["segment"] = json!("pickup");
    routes[0]["legs"].as_array_mut().unwrap().insert(0, pickup);
    let mut tasks = to_do_tasks();
    let i = tasks
        .iter()
        .position(|t| t["reference"] == "ORD-1001")
        .unwrap();
    tasks[i]["pickup"] = json!({"location": {"name": "Warehouse"}});
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    let [r, t] = keys();
    v.on_loaded(&r, &Arc::new(Items::from(routes.clone())));
    v.on_loaded(&t, &Arc::new(Items::from(tasks.clone())));
    assert_eq!(v.stops()[0].leg, crate::tui::plan::data::Leg::Pickup);
    assert_eq!(
        v.move_stop(1),
        StopMove::Kept("ORD-1001: the pickup stays before its delivery".into())
    );
    v.navigate(crate::tui::keymap::Action::Down, 1);
    assert!(matches!(v.move_stop(-1), StopMove::Kept(_)));
    // The delivery may still move later, past another task.
    assert_eq!(v.move_stop(1), StopMove::Moved);
    assert_eq!(refs(&v)[..3], ["ORD-1001", "ORD-1002", "ORD-1001"]);
    assert_eq!(v.stops()[2].leg, crate::tui::plan::data::Leg::Delivery);

    // On the way to the pickup (10): the pickup holds its place, the delivery does not.
    tasks[i]["state"] = json!(10);
    let mut v = RouteView::new("RT-ANNA0001".into(), keys());
    v.on_loaded(&r, &Arc::new(Items::from(routes)));
    v.on_loaded(&t, &Arc::new(Items::from(tasks)));
    assert_eq!(
        v.move_stop(1),
        StopMove::Kept("ORD-1001 is pickup en route and keeps its place".into())
    );
    v.navigate(crate::tui::keymap::Action::Down, 1);
    assert_eq!(v.move_stop(1), StopMove::Moved);
}
