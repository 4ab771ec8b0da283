//! Jumps through `App::update`: `gr` and `gd` from a task, Enter on a stop, and back with
//! Esc or Backspace to where each jump came from.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::api::paths::Collection;

use super::app::App;
use super::msg::{Effect, Msg};
use super::screens::collection::View;
use super::test_fixtures::{self as fx, ctx};

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn keys(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(app, KeyCode::Char(c)))
        .collect()
}

fn load(app: &mut App, c: Collection) {
    let key = app.list_key(c);
    fx::deliver(app, fx::loaded(key, fx::items(c)));
}

fn selected(app: &App, c: Collection) -> Option<String> {
    let s = app.screen_of(c);
    s.current_item()
        .and_then(|v| s.resource().reference(v))
        .map(str::to_string)
}

/// The tasks tab with its fixture rows, the second task (ORD-1002) selected.
fn on_second_task() -> App {
    let mut app = App::new(ctx(), 120, 30);
    app.start();
    load(&mut app, Collection::Tasks);
    press(&mut app, KeyCode::Down);
    assert_eq!(
        selected(&app, Collection::Tasks).as_deref(),
        Some("ORD-1002")
    );
    app
}

fn route_uid(app: &App) -> Option<String> {
    app.route_view()?.route()?.uid.clone()
}

#[test]
fn gr_opens_the_tasks_route_and_esc_returns_to_the_task() {
    let mut app = on_second_task();
    assert!(keys(&mut app, "g").is_empty(), "g waits for the next key");
    let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    assert!(
        t.backend().to_string().contains("g…"),
        "the status bar shows it"
    );
    keys(&mut app, "r");
    assert_eq!(app.active_collection(), Collection::Routes);
    load(&mut app, Collection::Routes);
    load(&mut app, Collection::Tasks);
    assert_eq!(route_uid(&app).as_deref(), Some("RT-ANNA0001"));
    assert_eq!(
        selected(&app, Collection::Routes).as_deref(),
        Some("RT-ANNA0001"),
        "the table under the detail follows"
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.route_view().is_none());
    assert_eq!(app.active_collection(), Collection::Tasks);
    assert_eq!(
        selected(&app, Collection::Tasks).as_deref(),
        Some("ORD-1002")
    );
    // Nothing left to go back to: Esc is an ordinary Esc again.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.active_collection(), Collection::Tasks);
}

#[test]
fn gd_selects_the_tasks_driver_once_drivers_arrive_and_backspace_returns() {
    let mut app = on_second_task();
    keys(&mut app, "gd");
    assert_eq!(app.active_collection(), Collection::Drivers);
    load(&mut app, Collection::Drivers);
    let s = app.screen_of(Collection::Drivers);
    let uid = s
        .current_item()
        .and_then(|d| d["uid"].as_str().map(str::to_string));
    assert_eq!(uid.as_deref(), Some("DR-ANNA0001"));
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.active_collection(), Collection::Tasks);
    assert_eq!(
        selected(&app, Collection::Tasks).as_deref(),
        Some("ORD-1002")
    );
}

#[test]
fn enter_on_a_stop_opens_its_task_and_esc_walks_back_through_the_route() {
    let mut app = on_second_task();
    keys(&mut app, "gr");
    load(&mut app, Collection::Routes);
    load(&mut app, Collection::Tasks);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(app.route_view().is_none());
    assert_eq!(app.active_collection(), Collection::Tasks);
    load(&mut app, Collection::Tasks);
    assert!(matches!(
        app.screen_of(Collection::Tasks).view(),
        View::Item(_)
    ));
    assert_eq!(
        selected(&app, Collection::Tasks).as_deref(),
        Some("ORD-1002")
    );
    // Back to the route detail, then back to the task the first jump started from.
    press(&mut app, KeyCode::Esc);
    assert_eq!(route_uid(&app).as_deref(), Some("RT-ANNA0001"));
    press(&mut app, KeyCode::Esc);
    assert!(app.route_view().is_none());
    assert_eq!(app.active_collection(), Collection::Tasks);
    assert!(matches!(
        app.screen_of(Collection::Tasks).view(),
        View::Table
    ));
}

#[test]
fn a_task_without_a_route_says_so_and_stays() {
    let mut app = on_second_task();
    keys(&mut app, "jj");
    assert_eq!(
        selected(&app, Collection::Tasks).as_deref(),
        Some("ORD-1004")
    );
    keys(&mut app, "gr");
    assert_eq!(app.active_collection(), Collection::Tasks);
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("no task on a route"))
    );
}

#[test]
fn enter_on_the_routes_table_opens_the_route_detail_and_esc_closes_it() {
    let mut app = App::new(ctx(), 120, 30);
    app.start();
    keys(&mut app, "2");
    load(&mut app, Collection::Routes);
    let sent = press(&mut app, KeyCode::Enter);
    assert!(
        sent.iter().any(|e| matches!(e, Effect::Send(_))),
        "loads its lists"
    );
    load(&mut app, Collection::Tasks);
    assert_eq!(route_uid(&app).as_deref(), Some("RT-ANNA0001"));
    keys(&mut app, "gd");
    assert!(
        app.toasts().iter().any(|t| t.text.contains("no driver")),
        "the fixture route names its driver without an id"
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.route_view().is_none());
    assert_eq!(app.active_collection(), Collection::Routes);
}
