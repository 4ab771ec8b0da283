//! Route actions driven through `App::update` with the real actor on a demo sandbox, then
//! checked in the sandbox's data: lock, planned ETAs, re-order and save, clear, and
//! read-only sessions that send nothing.

mod common;

use crossterm::event::KeyCode;
use elogii_console::actor::Event;
use elogii_console::api::model::{Date, TaskState};
use elogii_console::api::paths::Collection;
use serde_json::Value;

use common::console::Console;
use common::{TestSandbox, start_demo, stored};

const DAY: u32 = 20251103;

async fn sandbox() -> TestSandbox {
    start_demo(DAY).await
}

fn route(sb: &TestSandbox, uid: &str) -> Value {
    stored(sb, Collection::Routes)
        .into_iter()
        .find(|r| r["uid"] == uid)
        .unwrap_or_else(|| panic!("route {uid} stored"))
}

fn task_state(sb: &TestSandbox, key: &str) -> TaskState {
    let t = stored(sb, Collection::Tasks)
        .into_iter()
        .find(|t| t["_id"] == key || t["uid"] == key)
        .unwrap_or_else(|| panic!("task {key} stored"));
    TaskState(t["state"].as_i64().unwrap_or(0))
}

fn not_started(s: TaskState) -> bool {
    matches!(
        s,
        TaskState::CREATED | TaskState::SORTED | TaskState::LOADED
    )
}

/// The legs' task `_id`s of a stored route, in order.
fn order(r: &Value) -> Vec<String> {
    common::leg_task_ids(r)
}

/// An unlocked route of the day with at least two stops not started yet.
fn open_route(sb: &TestSandbox) -> String {
    stored(sb, Collection::Routes)
        .into_iter()
        .filter(|r| r["date"] == DAY && r["locked"] != true)
        .find(|r| {
            order(r)
                .iter()
                .filter(|t| not_started(task_state(sb, t)))
                .count()
                >= 2
        })
        .and_then(|r| r["uid"].as_str().map(str::to_string))
        .expect("the demo day has an open route")
}

/// An unlocked route of the demo day whose first three stops are of three tasks not started
/// yet: stops the driver has started, and a pickup past its own delivery, keep their place.
fn route_with_three_open_stops(sb: &TestSandbox) -> String {
    stored(sb, Collection::Routes)
        .into_iter()
        .filter(|r| r["date"] == DAY && r["locked"] != true)
        .find(|r| {
            let o = order(r);
            o.len() >= 3
                && o[..3].iter().all(|t| not_started(task_state(sb, t)))
                && o[0] != o[1]
                && o[1] != o[2]
                && o[0] != o[2]
        })
        .and_then(|r| r["uid"].as_str().map(str::to_string))
        .expect("the demo day has a route with three open stops")
}

fn is_routes_loaded(e: &Event) -> bool {
    matches!(e, Event::Loaded { key, .. } if key.collection == Collection::Routes)
}

/// The console on the Routes tab with `uid` filtered and selected.
async fn on_route(sb: &TestSandbox, uid: &str, read_only: bool) -> Console {
    let mut c = Console::start(sb, Date::from_yyyymmdd(DAY).expect("date"), read_only).await;
    c.keys("2");
    c.pump(|_, e| is_routes_loaded(e)).await;
    c.keys("/");
    c.keys(uid);
    c.key(KeyCode::Enter);
    let s = c.app.screen_of(Collection::Routes);
    let selected = s
        .current_item()
        .and_then(|r| r["uid"].as_str().map(str::to_string));
    assert_eq!(selected.as_deref(), Some(uid));
    c
}

/// Opens the selected route's detail and waits for its stops.
async fn open_detail(c: &mut Console) {
    c.key(KeyCode::Enter);
    assert!(c.app.route_view().is_some());
    while c.app.route_view().and_then(|v| v.route()).is_none() {
        c.pump(|_, e| matches!(e, Event::Loaded { .. })).await;
    }
}

fn mutated(e: &Event) -> bool {
    matches!(e, Event::Mutated { .. } | Event::Failed { key: None, .. })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lock_toggles_and_planned_etas_are_set_from_the_routes_table() {
    let sb = sandbox().await;
    let uid = open_route(&sb);
    let mut c = on_route(&sb, &uid, false).await;

    c.keys("l");
    c.pump(|_, e| mutated(e)).await;
    assert_eq!(route(&sb, &uid)["locked"], true);
    // The refreshed list shows the lock, so the same key now unlocks.
    c.pump(|_, e| is_routes_loaded(e)).await;

    c.keys("E");
    c.pump(|_, e| mutated(e)).await;
    let r = route(&sb, &uid);
    assert!(r["plannedEtasSetAt"].is_number(), "{r}");
    let legs = r["legs"].as_array().expect("legs");
    assert!(legs.len() >= 2);
    for leg in legs {
        assert!(leg["plannedEta"].is_number(), "{leg}");
        assert_eq!(leg["plannedEta"], leg["eta"], "{leg}");
    }
    c.pump(|_, e| is_routes_loaded(e)).await;

    c.keys("l");
    c.pump(|_, e| mutated(e)).await;
    assert_eq!(route(&sb, &uid)["locked"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_reordered_with_j_and_k_are_saved_in_the_sandbox() {
    let sb = sandbox().await;
    let uid = route_with_three_open_stops(&sb);
    let before = order(&route(&sb, &uid));
    let mut c = on_route(&sb, &uid, false).await;
    open_detail(&mut c).await;

    // The first stop goes down two places, back up one and down again: 2, 3, 1, … .
    c.keys("JJ");
    c.keys("K");
    c.keys("J");
    let shown: Vec<String> = c
        .app
        .route_view()
        .expect("open")
        .stops()
        .iter()
        .filter_map(|s| s.task_id.clone())
        .collect();
    let mut expected = before.clone();
    expected[..3].rotate_left(1);
    assert_eq!(shown[..3], expected[..3], "shown before saving");
    assert!(c.app.route_view().is_some_and(|v| v.has_unsaved_order()));
    assert_eq!(order(&route(&sb, &uid)), before, "nothing saved yet");

    c.keys("w");
    c.pump(|_, e| mutated(e)).await;
    assert_eq!(order(&route(&sb, &uid)), expected);
    // The refetched route carries the saved order: nothing is left unsaved.
    while c.app.route_view().is_some_and(|v| v.has_unsaved_order()) {
        c.pump(|_, e| is_routes_loaded(e)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clear_asks_first_and_leaves_no_stop_that_has_not_started() {
    let sb = sandbox().await;
    let uid = open_route(&sb);
    let mut c = on_route(&sb, &uid, false).await;
    open_detail(&mut c).await;

    // The question defaults to No.
    c.keys("C");
    assert!(c.app.popup().is_some());
    c.key(KeyCode::Enter);
    assert!(c.app.popup().is_none());
    assert_eq!(c.mutations, 0);

    c.keys("C");
    c.keys("y");
    c.pump(|_, e| mutated(e)).await;
    let left = order(&route(&sb, &uid));
    assert!(
        left.iter().all(|t| !not_started(task_state(&sb, t))),
        "{left:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_every_route_change() {
    let sb = sandbox().await;
    let uid = open_route(&sb);
    let before = route(&sb, &uid);
    let mut c = on_route(&sb, &uid, true).await;
    for k in ["l", "E", "C"] {
        c.keys(k);
        assert!(c.app.popup().is_none(), "{k} opened a popup");
        c.keys("y");
    }
    open_detail(&mut c).await;
    for k in ["l", "E", "C", "J", "w"] {
        c.keys(k);
        assert!(c.app.popup().is_none(), "{k} opened a popup");
        c.keys("y");
    }
    assert_eq!(c.mutations, 0);
    assert!(c.toasted("Read-only session"));
    let after = route(&sb, &uid);
    assert_eq!(after["locked"], before["locked"]);
    assert_eq!(order(&after), order(&before));
}
