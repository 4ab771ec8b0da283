//! Route keys through `App::update` on fixture data: what they send (lock or unlock,
//! clear after a question, planned ETAs, the new order) and what they refuse.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::actor::{Command, Mutation};
use crate::api::paths::Collection;

use super::app::App;
use super::context::Context;
use super::msg::{Effect, Msg};
use super::test_fixtures::{self as fx, ctx};

const ANNA: &str = "66c7b0f0000000000000ANNA";
const BOB: &str = "66c7b0f0000000000000BOB0";

fn keys(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| {
            app.update(Msg::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )))
        })
        .collect()
}

fn enter(app: &mut App) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)))
}

fn mutations(effects: &[Effect]) -> Vec<Mutation> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(Command::Mutate { mutation, .. }) => Some(mutation.clone()),
            _ => None,
        })
        .collect()
}

/// The Routes tab with its fixture rows: Anna's route (locked) first, then Bob's.
fn on_routes(ctx: Context) -> App {
    let mut app = App::new(ctx, 120, 30);
    app.start();
    keys(&mut app, "2");
    let key = app.list_key(Collection::Routes);
    fx::deliver(&mut app, fx::loaded(key, fx::routes()));
    app
}

/// Opens the selected route's detail; the actor's answer with the day's tasks arrives.
fn open_detail(app: &mut App) {
    enter(app);
    // None started yet, so that every stop may move.
    let mut tasks = fx::tasks();
    for t in &mut tasks {
        t["state"] = serde_json::json!(0);
    }
    let key = app.list_key(Collection::Tasks);
    fx::deliver(app, fx::loaded(key, tasks));
    assert!(app.route_view().is_some_and(|v| v.route().is_some()));
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn l_unlocks_a_locked_route_and_locks_marked_routes_unless_all_are_locked() {
    let mut app = on_routes(ctx());
    assert_eq!(
        mutations(&keys(&mut app, "l")),
        [Mutation::UnlockRoutes { ids: ids(&[ANNA]) }]
    );
    keys(&mut app, " j ");
    assert_eq!(
        mutations(&keys(&mut app, "l")),
        [Mutation::LockRoutes {
            ids: ids(&[ANNA, BOB])
        }]
    );
    assert!(
        app.screen_of(Collection::Routes).marked_ids().is_empty(),
        "marks are spent"
    );
}

#[test]
fn clear_asks_first_and_no_is_the_default() {
    let mut app = on_routes(ctx());
    keys(&mut app, "j");
    assert!(keys(&mut app, "C").is_empty());
    assert!(app.popup().is_some());
    assert!(mutations(&enter(&mut app)).is_empty());
    assert!(app.popup().is_none());
    keys(&mut app, "C");
    assert_eq!(
        mutations(&keys(&mut app, "y")),
        [Mutation::ClearRoutes { ids: ids(&[BOB]) }]
    );
}

#[test]
fn in_the_detail_e_sets_the_routes_etas_and_w_sends_the_new_order() {
    let mut app = on_routes(ctx());
    open_detail(&mut app);
    assert_eq!(
        mutations(&keys(&mut app, "E")),
        [Mutation::SetPlannedEtas { ids: ids(&[ANNA]) }]
    );
    // Anna's route is locked: no stop moves, and there is nothing to save.
    keys(&mut app, "J");
    let texts: Vec<String> = app.toasts().iter().map(|t| t.text.clone()).collect();
    assert!(texts.iter().any(|t| t.contains("locked")), "{texts:?}");
    assert!(mutations(&keys(&mut app, "w")).is_empty());
    assert!(app.toasts().iter().any(|t| t.text.contains("unchanged")));

    // Unlocked on the server (a refresh says so), the route's stops can be re-ordered.
    let mut routes = fx::routes();
    routes[0]["locked"] = serde_json::json!(false);
    let key = app.list_key(Collection::Routes);
    fx::deliver(&mut app, fx::loaded(key, routes));
    keys(&mut app, "J");
    // Leaving would lose the new order: the detail stays until it is saved or discarded.
    keys(&mut app, "1");
    enter(&mut app);
    assert!(app.route_view().is_some_and(|v| v.has_unsaved_order()));
    assert_eq!(app.active_collection(), Collection::Routes);
    assert!(app.toasts().iter().any(|t| t.text.contains("not saved")));
    assert_eq!(
        mutations(&keys(&mut app, "w")),
        [Mutation::SetOrder {
            route: ANNA.into(),
            tasks: ids(&["T-00000002", "T-00000001"]),
        }]
    );
}

#[test]
fn k_and_j_on_the_table_say_where_they_work() {
    let mut app = on_routes(ctx());
    assert!(keys(&mut app, "J").is_empty());
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("to move its stops"))
    );
}

#[test]
fn read_only_sessions_send_no_route_change() {
    let mut app = on_routes(Context {
        read_only: true,
        ..ctx()
    });
    for k in ["l", "C", "E", "w"] {
        assert!(mutations(&keys(&mut app, k)).is_empty(), "{k}");
        assert!(app.popup().is_none(), "{k}");
    }
    open_detail(&mut app);
    for k in ["l", "C", "E", "J", "w"] {
        assert!(mutations(&keys(&mut app, k)).is_empty(), "{k}");
    }
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("Read-only session"))
    );
}

#[test]
fn quitting_over_an_unsaved_order_asks_first_and_defaults_to_no() {
    let quits = |e: Vec<Effect>| e.iter().any(|e| matches!(e, Effect::Quit));
    let mut app = on_routes(ctx());
    let mut routes = fx::routes();
    routes[0]["locked"] = serde_json::json!(false);
    let key = app.list_key(Collection::Routes);
    fx::deliver(&mut app, fx::loaded(key, routes));
    open_detail(&mut app);
    assert!(quits(keys(&mut app, "q")), "nothing to lose: q quits");
    keys(&mut app, "J");
    assert!(app.route_view().is_some_and(|v| v.has_unsaved_order()));
    assert!(!quits(keys(&mut app, "q")), "asks first");
    assert!(app.popup().is_some());
    enter(&mut app);
    assert!(app.popup().is_none(), "Enter is No");
    assert!(app.route_view().is_some_and(|v| v.has_unsaved_order()));
    keys(&mut app, "q");
    assert!(quits(keys(&mut app, "y")));
}

#[test]
fn a_completed_stop_keeps_its_place_and_says_why() {
    let mut app = on_routes(ctx());
    let mut routes = fx::routes();
    routes[0]["locked"] = serde_json::json!(false);
    let key = app.list_key(Collection::Routes);
    fx::deliver(&mut app, fx::loaded(key, routes));
    enter(&mut app);
    // The fixture's ORD-1001, Anna's first stop, is completed.
    let key = app.list_key(Collection::Tasks);
    fx::deliver(&mut app, fx::loaded(key, fx::tasks()));
    keys(&mut app, "J");
    assert!(app.route_view().is_some_and(|v| !v.has_unsaved_order()));
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text == "ORD-1001 is completed and keeps its place"),
        "{:?}",
        app.toasts()
    );
}
