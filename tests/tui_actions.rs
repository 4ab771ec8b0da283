//! Dispatcher actions driven through `App::update` with the real actor on a demo sandbox,
//! then checked in the sandbox's data.

mod common;

use crossterm::event::KeyCode;
use elogii_console::actor::Event;
use elogii_console::api::model::Date;
use elogii_console::api::paths::Collection;
use serde_json::{Value, json};

use common::console::Console;
use common::{Http, start_demo, task};

const DAY: u32 = 20251103;

async fn console(read_only: bool) -> (common::TestSandbox, Console, Http) {
    let sb = start_demo(DAY).await;
    let http = Http::new(&sb);
    let made = http
        .post(
            "/tasks/createMany",
            json!({"items": [task("TUI-MOVE", DAY), task("TUI-CANCEL", DAY)]}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let c = Console::start(&sb, Date::from_yyyymmdd(DAY).expect("date"), read_only).await;
    (sb, c, http)
}

/// Filters the table down to one reference, selecting it.
fn select(c: &mut Console, reference: &str) {
    c.keys("/");
    c.keys(reference);
    c.key(KeyCode::Enter);
    assert_eq!(c.selected_ref().as_deref(), Some(reference));
}

async fn stored_task(http: &Http, reference: &str) -> Value {
    let all = http
        .get(&format!("/tasks?reference={reference}"))
        .await
        .body;
    let items = all
        .get("data")
        .or(all.get("items"))
        .cloned()
        .unwrap_or(all.clone());
    items
        .as_array()
        .and_then(|a| a.iter().find(|t| t["reference"] == reference).cloned())
        .unwrap_or_else(|| panic!("task {reference} not found in {all}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn move_and_cancel_reach_the_sandbox() {
    let (_sb, mut c, http) = console(false).await;

    select(&mut c, "TUI-MOVE");
    c.keys("m2025-11-05");
    c.key(KeyCode::Enter);
    c.pump(|_, e| matches!(e, Event::Mutated { .. })).await;
    let moved = stored_task(&http, "TUI-MOVE").await;
    assert_eq!(moved["date"], json!(20251105), "{moved}");

    c.key(KeyCode::Esc);
    select(&mut c, "TUI-CANCEL");
    c.keys("c");
    c.keys("customer away");
    c.key(KeyCode::Enter);
    c.keys("y");
    c.pump(|_, e| matches!(e, Event::Mutated { .. })).await;
    let cancelled = stored_task(&http, "TUI-CANCEL").await;
    assert_eq!(cancelled["state"], json!(-30), "{cancelled}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_sends_nothing() {
    let (_sb, mut c, http) = console(true).await;
    select(&mut c, "TUI-MOVE");
    for k in ["n", "e", "m", "a", "R", "c", "d"] {
        c.keys(k);
        assert!(c.app.popup().is_none(), "{k} opened a popup");
        c.key(KeyCode::Enter);
        c.keys("y");
    }
    assert_eq!(c.mutations, 0);
    assert!(c.toasted("Read-only session"));
    let t = stored_task(&http, "TUI-MOVE").await;
    assert_eq!(t["date"], json!(DAY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_move_of_every_row_shown_reaches_the_sandbox() {
    let (_sb, mut c, http) = console(false).await;
    c.keys("/");
    c.keys("TUI-");
    c.key(KeyCode::Enter);
    c.keys("A");
    c.keys("m2025-11-06");
    c.key(KeyCode::Enter);
    c.pump(|_, e| matches!(e, Event::Mutated { .. })).await;
    for r in ["TUI-MOVE", "TUI-CANCEL"] {
        let t = stored_task(&http, r).await;
        assert_eq!(t["date"], json!(20251106), "{t}");
    }
}

fn find<'a>(items: &'a [Value], field: &str, value: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i[field] == value)
        .unwrap_or_else(|| panic!("no item with {field} {value:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_of_the_other_collections_reach_the_sandbox() {
    let (sb, mut c, http) = console(false).await;
    let group = http
        .post(
            "/task-template-groups",
            json!({"name": "TUI restock", "taskTemplates": [{"task": task("TUI-TPL", DAY)}]}),
        )
        .await;
    assert_eq!(group.status, 201, "{}", group.body);

    // A customer with two locations.
    c.open_tab(Collection::Customers).await;
    c.keys("n");
    c.keys("TUI Customer");
    c.tabs(7);
    c.ctrl('n');
    c.keys("Shop A");
    c.key(KeyCode::Tab);
    c.keys("1 High Street");
    c.tabs(3);
    c.keys("51.5, -0.1");
    c.ctrl('n');
    c.keys("Shop B");
    c.submit().await;
    let customers = common::stored(&sb, Collection::Customers);
    let made = find(&customers, "name", "TUI Customer");
    let locs = made["locations"].as_array().expect("locations");
    assert_eq!(locs.len(), 2, "{made}");
    assert_eq!(locs[0]["name"], "Shop A");
    assert_eq!(locs[0]["address"], "1 High Street");
    assert_eq!(locs[0]["coordinates"], json!([-0.1, 51.5]));
    assert_eq!(locs[1]["name"], "Shop B");
    assert!(locs.iter().all(|l| l["uid"].is_string()), "{made}");
    // A third location added by an edit gets its UID too; the others keep theirs.
    c.pump(
        |_, e| matches!(e, Event::Loaded { key, .. } if key.collection == Collection::Customers),
    )
    .await;
    c.keys("/");
    c.keys("name:TUI");
    c.key(KeyCode::Enter);
    let selected = c
        .app
        .screen_of(Collection::Customers)
        .current_item()
        .cloned();
    assert_eq!(
        selected.map(|s| s["name"].clone()),
        Some(json!("TUI Customer"))
    );
    c.keys("e");
    c.tabs(7);
    c.ctrl('n');
    c.keys("Shop C");
    c.submit().await;
    let customers = common::stored(&sb, Collection::Customers);
    let edited = find(&customers, "name", "TUI Customer");
    let after = edited["locations"].as_array().expect("locations");
    assert_eq!(after.len(), 3, "{edited}");
    assert_eq!(after[..2], locs[..], "the first two are kept as they were");
    assert_eq!(after[2]["name"], "Shop C");
    assert!(after[2]["uid"].is_string(), "{edited}");
    c.key(KeyCode::Esc);

    // A zone's boundary from a GeoJSON file.
    c.open_tab(Collection::Zones).await;
    let zone = c
        .app
        .screen_of(Collection::Zones)
        .current_item()
        .expect("a zone")
        .clone();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("area.geojson");
    let area = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "properties": {"name": "west"},
        "geometry": {"type": "Polygon", "coordinates":
            [[[-0.7, 51.2], [-0.6, 51.2], [-0.6, 51.3], [-0.7, 51.3], [-0.7, 51.2]]]}}]});
    std::fs::write(&file, area.to_string()).expect("write the file");
    c.keys("e");
    c.tabs(3);
    c.keys(&file.display().to_string());
    c.submit().await;
    let zones = common::stored(&sb, Collection::Zones);
    let stored = find(&zones, "_id", zone["_id"].as_str().expect("an _id"));
    assert_eq!(stored["geoJSON"], area);
    assert_eq!(stored["name"], zone["name"], "the rest of the zone is kept");
    assert_eq!(stored["rules"], zone["rules"]);
    // And delete it (confirmed).
    c.pump(|_, e| matches!(e, Event::Loaded { key, .. } if key.collection == Collection::Zones))
        .await;
    c.keys("d");
    c.keys("y");
    c.pump(|_, e| matches!(e, Event::Mutated { .. })).await;
    let zones = common::stored(&sb, Collection::Zones);
    assert!(
        zones.iter().all(|z| z["_id"] != zone["_id"]),
        "the zone is still there"
    );

    // A schedule exception: other hours on the working date.
    let drivers = common::stored(&sb, Collection::Drivers);
    let driver = drivers[0]["uid"]
        .as_str()
        .expect("a driver uid")
        .to_string();
    c.open_tab(Collection::ScheduleExceptions).await;
    c.keys("n");
    c.keys(&driver);
    c.tabs(4);
    c.keys("10:00-14:00");
    c.tabs(2);
    c.keys("TUI dentist");
    c.submit().await;
    let exceptions = common::stored(&sb, Collection::ScheduleExceptions);
    let exc = find(&exceptions, "description", "TUI dentist");
    assert_eq!(exc["driver"], json!({"uid": driver}));
    assert_eq!(exc["dateRange"], json!({"startDate": DAY, "endDate": DAY}));
    assert_eq!(
        exc["overrides"]["schedule"]["timeWindows"],
        json!([{"start": 600, "end": 840}])
    );

    // Schedule the task-template group for two days.
    c.open_tab(Collection::TaskTemplateGroups).await;
    c.keys("/");
    c.keys("name:TUI");
    c.key(KeyCode::Enter);
    c.keys("P");
    for _ in 0..12 {
        c.key(KeyCode::Backspace);
    }
    c.keys("2025-11-04..2025-11-05");
    c.submit().await;
    let tasks = common::stored(&sb, Collection::Tasks);
    let mut days: Vec<u64> = tasks
        .iter()
        .filter(|t| t["reference"] == "TUI-TPL")
        .filter_map(|t| t["date"].as_u64())
        .collect();
    days.sort();
    assert_eq!(days, vec![20251104, 20251105]);
    assert!(
        c.app.toasts().iter().any(|t| t
            .text
            .contains("schedule 1 task-template group for 2 dates")),
        "{:?}",
        c.app.toasts().iter().collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_cancel_lands_the_valid_tasks_and_names_the_refused_one() {
    let (sb, mut c, http) = console(false).await;
    c.keys("/");
    c.keys("reference:TUI-");
    c.key(KeyCode::Enter);
    c.keys("A");
    assert_eq!(c.app.screen_of(Collection::Tasks).marked_ids().len(), 2);
    // Meanwhile a driver completes one of the marked tasks.
    let done = stored_task(&http, "TUI-CANCEL").await;
    let done_id = done["_id"].as_str().expect("an _id").to_string();
    let put = http
        .put(&format!("/tasks/{done_id}"), json!({"state": 60}))
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    c.keys("c");
    c.key(KeyCode::Enter);
    c.keys("y");
    c.pump(|_, e| matches!(e, Event::Mutated { .. })).await;
    let tasks = common::stored(&sb, Collection::Tasks);
    assert_eq!(find(&tasks, "reference", "TUI-MOVE")["state"], json!(-30));
    assert_eq!(find(&tasks, "reference", "TUI-CANCEL")["state"], json!(60));
    // The failure is reported per item: in a toast and in the activity log.
    assert!(
        c.app
            .toasts()
            .iter()
            .any(|t| t.text.contains("cancel 2 tasks: 1 refused")
                && t.text.contains(&done_id)
                && t.text.contains("cannot be cancelled")),
        "{:?}",
        c.app.toasts().iter().collect::<Vec<_>>()
    );
    c.keys("L");
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 30)).expect("test terminal");
    t.draw(|f| c.app.render(f)).expect("draw");
    let screen = format!("{:?}", t.backend());
    assert!(screen.contains("1 refused"), "{screen}");
}
