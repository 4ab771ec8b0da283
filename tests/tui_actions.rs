//! Dispatcher actions driven through `App::update` with the real actor on a demo sandbox,
//! then checked in the sandbox's data.

mod common;

use crossterm::event::KeyCode;
use elogii_console::actor::Event;
use elogii_console::api::model::Date;
use elogii_console::sandbox::demo::DemoOptions;
use serde_json::{Value, json};

use common::console::Console;
use common::{Http, start_with, task};

const DAY: u32 = 20251103;

async fn console(read_only: bool) -> (common::TestSandbox, Console, Http) {
    let today = Date::from_yyyymmdd(DAY).expect("date");
    let sb = start_with(|o| {
        o.demo = Some(DemoOptions {
            today,
            scale: None,
            seed: 42,
        })
    })
    .await;
    let http = Http::new(&sb);
    let made = http
        .post(
            "/tasks/createMany",
            json!({"items": [task("TUI-MOVE", DAY), task("TUI-CANCEL", DAY)]}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let c = Console::start(&sb, today, read_only).await;
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
    assert!(
        c.app
            .toasts()
            .iter()
            .any(|t| t.text.contains("Read-only session"))
    );
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
