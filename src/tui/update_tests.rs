//! `App::update` message sequences: what the console asks of the actor and what it shows.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use crate::actor::{Command, ListKey};
use crate::api::model::{Date, TaskState};
use crate::api::paths::Collection;
use crate::api::query::ListQuery;

use super::app::App;
use super::msg::{Effect, Msg};
use super::popup::Popup;
use super::screens::collection::View;
use super::test_fixtures::{self as fx, ctx, today};
use super::widgets::prompt::PromptKind;

fn start() -> (App, Vec<Effect>) {
    let mut app = App::new(ctx(), 120, 30);
    let effects = app.start();
    (app, effects)
}

fn press(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    press(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| app.update(ch(c))).collect()
}

fn day(y: i16, m: i8, d: i8) -> Date {
    Date::from_ymd(y, m, d).unwrap()
}

fn key_on(c: Collection, d: Option<Date>) -> ListKey {
    let q = ListQuery::new();
    ListKey::new(c, d.map_or(q.clone(), |d| q.date(d)))
}

/// The commands among the effects, as short readable strings.
fn sent(effects: &[Effect]) -> Vec<String> {
    let key = |k: &ListKey| {
        let date = k
            .query
            .dates
            .first()
            .map(|d| format!(" {d}"))
            .unwrap_or_default();
        format!("{}{date}", k.collection)
    };
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(Command::List { key: k, force, .. }) => Some(format!(
                "list {}{}",
                key(k),
                if *force { " force" } else { "" }
            )),
            Effect::Send(Command::Unwatch { key: k }) => Some(format!("unwatch {}", key(k))),
            Effect::Send(Command::Cancel { .. }) => Some("cancel".into()),
            Effect::Send(other) => Some(format!("{other:?}")),
            _ => None,
        })
        .collect()
}

fn load(app: &mut App, c: Collection) {
    let key = app.list_key(c);
    fx::deliver(app, fx::loaded(key, fx::items(c)));
}

fn refs(app: &App, c: Collection) -> Vec<String> {
    let r = app.screen_of(c).resource();
    app.screen_of(c)
        .visible_items()
        .map(|v| r.reference(&v).unwrap_or("").to_string())
        .collect()
}

fn selected_ref(app: &App) -> String {
    let s = app.screen_of(app.active_collection());
    s.current_item()
        .and_then(|v| s.resource().reference(v))
        .unwrap_or("")
        .to_string()
}

fn screen_text(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t.backend().to_string()
}

#[test]
fn start_lists_the_tasks_of_today() {
    let (app, effects) = start();
    assert_eq!(sent(&effects), ["list tasks 2025-08-22"]);
    assert_eq!(app.active_collection(), Collection::Tasks);
    assert!(app.wants_tick(), "the loading spinner turns");
}

#[test]
fn switching_tabs_unwatches_the_old_list_and_lists_the_new_one() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    assert_eq!(
        sent(&app.update(ch('2'))),
        ["unwatch tasks 2025-08-22", "list routes 2025-08-22"]
    );
    assert_eq!(app.active_collection(), Collection::Routes);
    // Routes have not answered yet, so their request is cancelled on leaving.
    assert_eq!(
        sent(&app.update(ch('3'))),
        ["cancel", "unwatch routes 2025-08-22", "list drivers"]
    );
    assert_eq!(
        sent(&app.update(press(KeyCode::Tab))),
        ["cancel", "unwatch drivers", "list vehicles"]
    );
    app.update(press(KeyCode::BackTab));
    app.update(press(KeyCode::BackTab));
    app.update(press(KeyCode::BackTab));
    assert_eq!(app.active_collection(), Collection::Tasks);
    // Wrapping backwards reaches the twelfth tab, which no digit reaches.
    app.update(press(KeyCode::BackTab));
    assert_eq!(app.active_collection(), Collection::FormSubmissions);
    assert!(sent(&app.update(ch('1'))).contains(&"list tasks 2025-08-22".to_string()));
    assert!(
        sent(&app.update(ch('1'))).is_empty(),
        "the active tab is not reloaded"
    );
}

#[test]
fn loaded_fills_the_table_and_answers_for_other_lists_are_ignored() {
    let (mut app, _) = start();
    fx::deliver(
        &mut app,
        fx::loaded(
            key_on(Collection::Tasks, Some(day(2025, 8, 21))),
            fx::tasks(),
        ),
    );
    assert_eq!(
        app.screen_of(Collection::Tasks).counts(),
        (0, 0),
        "another date's list"
    );
    load(&mut app, Collection::Tasks);
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (5, 5));
    assert_eq!(
        refs(&app, Collection::Tasks),
        ["ORD-1001", "ORD-1002", "ORD-1003", "ORD-1004", "ORD-1005"]
    );
    assert!(!app.screen_of(Collection::Tasks).is_loading());
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("ORD-1002"), "{text}");
    assert!(text.contains("Failed"), "{text}");
    assert!(text.contains("5 tasks"), "{text}");
    assert!(text.contains("refreshed 08:30:00"), "{text}");
}

#[test]
fn progress_shows_while_loading() {
    let (mut app, _) = start();
    let key = app.list_key(Collection::Tasks);
    app.update(Msg::Actor(Box::new(crate::actor::Event::Progress {
        req: 1,
        key,
        loaded: 3000,
        total: Some(100_000),
    })));
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("loading 3,000/100,000"), "{text}");
    assert!(
        text.contains("Loading tasks for Fri 2025-08-22… 3,000 of 100,000"),
        "{text}"
    );
}

#[test]
fn selection_follows_the_id_across_a_refresh_that_reorders_rows() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('j'));
    app.update(ch('j'));
    assert_eq!(selected_ref(&app), "ORD-1003");
    let mut reordered = fx::tasks();
    reordered.reverse();
    reordered.remove(0); // ORD-1005 went away
    let key = app.list_key(Collection::Tasks);
    fx::deliver(&mut app, fx::loaded(key, reordered));
    assert_eq!(
        refs(&app, Collection::Tasks),
        ["ORD-1004", "ORD-1003", "ORD-1002", "ORD-1001"]
    );
    assert_eq!(selected_ref(&app), "ORD-1003");
    assert_eq!(app.screen_of(Collection::Tasks).selected(), 1);
}

#[test]
fn movement_keys_stay_inside_the_rows() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('k'));
    assert_eq!(selected_ref(&app), "ORD-1001");
    app.update(ch('G'));
    assert_eq!(selected_ref(&app), "ORD-1005");
    app.update(press(KeyCode::Down));
    assert_eq!(selected_ref(&app), "ORD-1005");
    type_text(&mut app, "gg");
    assert_eq!(selected_ref(&app), "ORD-1001");
    app.update(press(KeyCode::PageDown));
    assert_eq!(selected_ref(&app), "ORD-1005");
    app.update(press(KeyCode::PageUp));
    assert_eq!(selected_ref(&app), "ORD-1001");
}

#[test]
fn filter_tokens_narrow_the_rows_and_esc_clears_them() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('/'));
    assert!(matches!(app.popup(), Some(Popup::Prompt(p)) if p.kind() == PromptKind::Filter));
    type_text(&mut app, "state:failed");
    assert_eq!(refs(&app, Collection::Tasks), ["ORD-1002"]);
    // Another token combines with the first (AND).
    type_text(&mut app, " driver:bob");
    assert!(refs(&app, Collection::Tasks).is_empty());
    for _ in 0..11 {
        app.update(press(KeyCode::Backspace));
    }
    assert_eq!(refs(&app, Collection::Tasks), ["ORD-1002"]);
    // Enter keeps the filter and closes the line; the filter shows in the title.
    app.update(press(KeyCode::Enter));
    assert!(app.popup().is_none());
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (1, 5));
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("Tasks (1 of 5) · /state:failed"), "{text}");
    assert!(text.contains("1 of 5 tasks"), "{text}");
    // Esc in the table clears it.
    app.update(press(KeyCode::Esc));
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (5, 5));
}

#[test]
fn filter_fuzzy_words_postcodes_and_esc_in_the_prompt() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('/'));
    type_text(&mut app, "postcode:GU3");
    assert_eq!(refs(&app, Collection::Tasks), ["ORD-1002", "ORD-1004"]);
    app.update(press(KeyCode::Esc));
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (5, 5));
    app.update(ch('/'));
    type_text(&mut app, "brght flor");
    assert_eq!(refs(&app, Collection::Tasks), ["ORD-1002"]);
    app.update(press(KeyCode::Enter));
    // Reopening the line shows the active filter for editing.
    app.update(ch('/'));
    assert!(matches!(app.popup(), Some(Popup::Prompt(p)) if p.value() == "brght flor"));
}

#[test]
fn filter_keeps_the_selection_while_it_passes() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('j'));
    app.update(ch('/'));
    type_text(&mut app, "berg");
    assert_eq!(refs(&app, Collection::Tasks), ["ORD-1001", "ORD-1002"]);
    assert_eq!(selected_ref(&app), "ORD-1002");
    type_text(&mut app, " acme");
    assert_eq!(
        selected_ref(&app),
        "ORD-1001",
        "the selected row left; the first is selected"
    );
}

#[test]
fn sort_by_any_column_both_ways_keeping_the_selection() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('j')); // ORD-1002
    app.update(ch('s')); // Reference ascending
    assert_eq!(
        app.screen_of(Collection::Tasks)
            .sort()
            .map(|s| (s.column, s.descending)),
        Some((0, false))
    );
    app.update(ch('S'));
    assert_eq!(
        refs(&app, Collection::Tasks),
        ["ORD-1005", "ORD-1004", "ORD-1003", "ORD-1002", "ORD-1001"]
    );
    assert_eq!(selected_ref(&app), "ORD-1002");
    app.update(ch('s')); // UID
    app.update(ch('s')); // State ascending
    let states: Vec<String> = app
        .screen_of(Collection::Tasks)
        .visible_items()
        .map(|v| TaskState(v["state"].as_i64().unwrap()).label().to_string())
        .collect();
    assert_eq!(
        states,
        ["Cancelled", "Completed", "Created", "En Route", "Failed"]
    );
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("State ▲"), "{text}");
    for _ in 0..7 {
        app.update(ch('s'));
    }
    assert_eq!(
        app.screen_of(Collection::Tasks).sort(),
        None,
        "past the last column: server order"
    );
    assert_eq!(refs(&app, Collection::Tasks)[0], "ORD-1001");
}

#[test]
fn date_keys_move_the_working_date_and_relist() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    assert_eq!(
        sent(&app.update(ch(']'))),
        ["unwatch tasks 2025-08-22", "list tasks 2025-08-23"]
    );
    assert_eq!(app.date(), day(2025, 8, 23));
    assert_eq!(
        app.screen_of(Collection::Tasks).counts(),
        (0, 0),
        "old date's rows are not shown"
    );
    assert_eq!(
        sent(&app.update(ch('['))),
        [
            "cancel",
            "unwatch tasks 2025-08-23",
            "list tasks 2025-08-22"
        ]
    );
    app.update(ch('['));
    assert_eq!(app.date(), day(2025, 8, 21));
    let e = app.update(ch('t'));
    assert_eq!(app.date(), today());
    assert_eq!(
        sent(&e).last().map(String::as_str),
        Some("list tasks 2025-08-22")
    );
    assert!(sent(&app.update(ch('t'))).is_empty(), "already today");
}

#[test]
fn date_changes_on_an_undated_tab_send_nothing_until_a_dated_tab_shows() {
    let (mut app, _) = start();
    app.update(ch('3'));
    assert!(sent(&app.update(ch(']'))).is_empty());
    assert_eq!(app.date(), day(2025, 8, 23));
    let e = app.update(ch('1'));
    assert_eq!(
        sent(&e).last().map(String::as_str),
        Some("list tasks 2025-08-23")
    );
}

#[test]
fn the_date_prompt_and_the_date_command() {
    let (mut app, _) = start();
    app.update(ch('D'));
    type_text(&mut app, "2025-02-30");
    assert!(sent(&app.update(press(KeyCode::Enter))).is_empty());
    match app.popup() {
        Some(Popup::Prompt(p)) => assert!(
            p.error().is_some_and(|e| e.contains("2025-02-30")),
            "{:?}",
            p.error()
        ),
        other => panic!("the prompt stays open with the error: {other:?}"),
    }
    for _ in 0..10 {
        app.update(press(KeyCode::Backspace));
    }
    type_text(&mut app, "tom");
    app.update(press(KeyCode::Tab));
    let e = app.update(press(KeyCode::Enter));
    assert_eq!(app.date(), day(2025, 8, 23));
    assert_eq!(
        sent(&e).last().map(String::as_str),
        Some("list tasks 2025-08-23")
    );
    assert!(app.popup().is_none());

    app.update(ch(':'));
    type_text(&mut app, "date 2025-09-01");
    let e = app.update(press(KeyCode::Enter));
    assert_eq!(app.date(), day(2025, 9, 1));
    assert_eq!(
        sent(&e).last().map(String::as_str),
        Some("list tasks 2025-09-01")
    );
}

#[test]
fn command_mode_aliases_completion_and_errors() {
    let (mut app, _) = start();
    app.update(ch(':'));
    type_text(&mut app, "ro");
    app.update(press(KeyCode::Tab));
    assert!(matches!(app.popup(), Some(Popup::Prompt(p)) if p.value() == "routes"));
    app.update(press(KeyCode::Tab));
    assert!(matches!(app.popup(), Some(Popup::Prompt(p)) if p.value() == "route-templates"));
    let e = app.update(press(KeyCode::Enter));
    assert_eq!(app.active_collection(), Collection::RouteTemplateGroups);
    assert_eq!(
        sent(&e).last().map(String::as_str),
        Some("list route-template-groups")
    );

    for (typed, want) in [
        ("t", Collection::Tasks),
        ("dr", Collection::Drivers),
        ("exc", Collection::ScheduleExceptions),
        ("submissions", Collection::FormSubmissions),
        ("forms", Collection::Forms),
    ] {
        app.update(ch(':'));
        type_text(&mut app, typed);
        app.update(press(KeyCode::Enter));
        assert_eq!(app.active_collection(), want, ":{typed}");
    }

    app.update(ch(':'));
    type_text(&mut app, "teleport");
    app.update(press(KeyCode::Enter));
    assert!(matches!(app.popup(), Some(Popup::Prompt(p)) if p.error().is_some()));
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("unknown command"), "{text}");
    app.update(press(KeyCode::Esc));
    assert!(app.popup().is_none());

    app.update(ch(':'));
    type_text(&mut app, "q");
    assert!(matches!(
        app.update(press(KeyCode::Enter)).as_slice(),
        [Effect::Quit]
    ));
}

#[test]
fn quit_key_and_keys_in_overlays_do_not_leak() {
    let (mut app, _) = start();
    app.update(ch('?'));
    assert!(matches!(app.popup(), Some(Popup::Help { .. })));
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("Show or hide this help"), "{text}");
    // `q` closes the help instead of quitting; `2` does not switch tabs under it.
    assert!(app.update(ch('2')).is_empty());
    assert!(app.update(ch('q')).is_empty());
    assert!(app.popup().is_none());
    assert_eq!(app.active_collection(), Collection::Tasks);
    // In a prompt, `q` is text.
    app.update(ch('/'));
    assert!(app.update(ch('q')).is_empty());
    app.update(press(KeyCode::Esc));
    assert!(matches!(app.update(ch('q')).as_slice(), [Effect::Quit]));
    assert!(matches!(app.update(ctrl('c')).as_slice(), [Effect::Quit]));
}

#[test]
fn key_releases_are_ignored() {
    let (mut app, _) = start();
    let release = KeyEvent::new_with_kind(
        KeyCode::Char('q'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    );
    assert!(app.update(Msg::Key(release)).is_empty());
}

#[test]
fn failed_after_loaded_shows_the_stale_banner_and_ctrl_r_retries() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    let key = app.list_key(Collection::Tasks);
    app.update(fx::failed(key.clone()));
    let screen = app.screen_of(Collection::Tasks);
    assert!(
        screen
            .stale()
            .is_some_and(|s| s.contains("connection refused"))
    );
    assert_eq!(screen.counts(), (5, 5), "the old rows stay");
    let text = screen_text(&app, 120, 30);
    assert!(
        text.contains("Refresh failed: network error: connection refused"),
        "{text}"
    );
    assert!(text.contains("showing data from 08:30:00"), "{text}");
    assert!(text.contains("ctrl-r retries"), "{text}");
    assert_eq!(app.toasts().iter().count(), 1);
    // A second failure does not pile up toasts.
    app.update(fx::failed(key.clone()));
    assert_eq!(app.toasts().iter().count(), 1);

    assert_eq!(
        sent(&app.update(ctrl('r'))),
        ["list tasks 2025-08-22 force"]
    );
    fx::deliver(&mut app, fx::loaded(key, fx::tasks()));
    assert!(app.screen_of(Collection::Tasks).stale().is_none());
    assert!(!screen_text(&app, 120, 30).contains("Refresh failed"));
}

#[test]
fn a_failed_first_load_says_why_and_the_console_keeps_working() {
    let (mut app, _) = start();
    app.update(fx::failed(app.list_key(Collection::Tasks)));
    let text = screen_text(&app, 120, 30);
    assert!(
        text.contains("Could not load tasks for Fri 2025-08-22: network error: connection refused. ctrl-r retries."),
        "{text}"
    );
    assert!(!app.screen_of(Collection::Tasks).has_banner());
    assert_eq!(
        sent(&app.update(ctrl('r'))),
        ["list tasks 2025-08-22 force"]
    );
    assert_eq!(
        sent(&app.update(ch('2'))).last().map(String::as_str),
        Some("list routes 2025-08-22")
    );
}

#[test]
fn actor_gone_is_reported_not_fatal() {
    let (mut app, _) = start();
    assert!(app.update(Msg::ActorGone).is_empty());
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("offline"), "{text}");
    assert!(text.contains("API worker stopped"), "{text}");
}

#[test]
fn too_small_terminal_shows_a_clear_message() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(Msg::Resize {
        width: 50,
        height: 10,
    });
    let text = screen_text(&app, 50, 10);
    assert!(text.contains("Terminal too small: 50×10"), "{text}");
    assert!(text.contains("60×15"), "{text}");
    assert!(!text.contains("ORD-1001"));
    app.update(Msg::Resize {
        width: 60,
        height: 15,
    });
    assert!(screen_text(&app, 60, 15).contains("ORD-1001"));
}

#[test]
fn enter_opens_details_v_toggles_json_esc_goes_back() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('j'));
    app.update(press(KeyCode::Enter));
    assert!(matches!(
        app.screen_of(Collection::Tasks).view(),
        View::Item(_)
    ));
    let text = screen_text(&app, 120, 30);
    assert!(
        text.contains("Task T-00000002 · ORD-1002 · detail"),
        "{text}"
    );
    assert!(
        text.contains("08:00") || text.contains("09:00–12:00"),
        "{text}"
    );
    // `s` is a table key: it does nothing in the detail view.
    app.update(ch('s'));
    assert_eq!(app.screen_of(Collection::Tasks).sort(), None);
    app.update(ch('v'));
    let text = screen_text(&app, 120, 30);
    assert!(text.contains("\"reference\": \"ORD-1002\""), "{text}");
    app.update(press(KeyCode::Esc));
    assert!(matches!(
        app.screen_of(Collection::Tasks).view(),
        View::Table
    ));
    app.update(ch('v'));
    assert!(screen_text(&app, 120, 30).contains("· JSON"));
}

#[test]
fn an_open_item_follows_refreshes_and_says_when_it_is_gone() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(press(KeyCode::Enter));
    let mut changed = fx::tasks();
    changed[0]["reference"] = Value::from("ORD-1001-B");
    changed.swap(0, 4);
    let key = app.list_key(Collection::Tasks);
    fx::deliver(&mut app, fx::loaded(key, changed.clone()));
    assert!(screen_text(&app, 120, 30).contains("ORD-1001-B"));
    changed.retain(|v| v["reference"] != "ORD-1001-B");
    let key = app.list_key(Collection::Tasks);
    fx::deliver(&mut app, fx::loaded(key, changed));
    assert!(screen_text(&app, 120, 30).contains("(no longer in the list)"));
}

#[test]
fn y_copies_the_id_and_shift_y_the_reference() {
    let (mut app, _) = start();
    assert!(
        app.update(ch('y')).is_empty(),
        "nothing loaded, nothing to copy"
    );
    load(&mut app, Collection::Tasks);
    let e = app.update(ch('y'));
    assert!(
        matches!(e.as_slice(), [Effect::CopyToClipboard(t)] if t == "66c7a0f00000000000000001"),
        "{e:?}"
    );
    let e = app.update(ch('Y'));
    assert!(
        matches!(e.as_slice(), [Effect::CopyToClipboard(t)] if t == "ORD-1001"),
        "{e:?}"
    );
    assert!(screen_text(&app, 120, 30).contains("Copied reference ORD-1001"));
}

#[test]
fn mouse_scrolls_and_clicks_select_only_when_enabled() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    let mouse = |kind, row| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    // Row 3 of a 120x30 screen is the first table row (tabs, frame, header above it).
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 5));
    assert_eq!(selected_ref(&app), "ORD-1003");
    app.update(mouse(MouseEventKind::ScrollDown, 0));
    assert_eq!(selected_ref(&app), "ORD-1004");
    app.update(mouse(MouseEventKind::Down(MouseButton::Left), 20));
    assert_eq!(
        selected_ref(&app),
        "ORD-1004",
        "below the last row: nothing"
    );

    let mut no_mouse = App::new(
        super::context::Context {
            mouse: false,
            ..ctx()
        },
        120,
        30,
    );
    no_mouse.start();
    load(&mut no_mouse, Collection::Tasks);
    no_mouse.update(mouse(MouseEventKind::Down(MouseButton::Left), 5));
    assert_eq!(selected_ref(&no_mouse), "ORD-1001");
}

#[test]
fn paste_goes_into_the_open_prompt() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(Msg::Paste("ignored".into()));
    app.update(ch('/'));
    app.update(Msg::Paste("GU2 7XH".into()));
    assert_eq!(refs(&app, Collection::Tasks), ["ORD-1003"]);
}

#[test]
fn ticks_expire_toasts_and_stop_when_idle() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('y'));
    assert!(app.wants_tick());
    for _ in 0..20 {
        app.update(Msg::Tick);
    }
    assert!(app.toasts().is_empty());
    assert!(!app.wants_tick(), "nothing moves: no ticks, no redraws");
    app.take_dirty();
    app.update(Msg::Tick);
    assert!(!app.take_dirty());
}

#[test]
fn key_conflict_warnings_show_as_toasts() {
    let mut o = std::collections::BTreeMap::new();
    o.insert("refresh".to_string(), "j".to_string());
    let (keymap, warnings) = super::keymap::Keymap::with_overrides(&o);
    let mut app = App::new(super::context::Context { keymap, ..ctx() }, 120, 30);
    for w in warnings {
        app.warn(w);
    }
    app.start();
    load(&mut app, Collection::Tasks);
    assert_eq!(sent(&app.update(ch('j'))), ["list tasks 2025-08-22 force"]);
    assert!(screen_text(&app, 160, 30).contains("key j of down is already bound to refresh"));
}

#[test]
fn rows_are_formatted_by_a_job_and_late_results_are_dropped() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    let mut fewer = fx::tasks();
    fewer.truncate(2);
    let key = app.list_key(Collection::Tasks);
    let job = match app.update(fx::loaded(key, fewer)).pop() {
        Some(Effect::BuildRows(job)) => job,
        other => panic!("expected a row job, got {other:?}"),
    };
    assert_eq!(
        app.screen_of(Collection::Tasks).counts(),
        (5, 5),
        "old rows stay meanwhile"
    );
    assert!(
        app.wants_tick(),
        "the spinner turns while rows are formatted"
    );
    // The date moves on before the rows arrive: they belong to a list no longer shown.
    app.update(ch(']'));
    app.update(Msg::RowsBuilt(Box::new(job.run())));
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (0, 0));
}

#[test]
fn the_same_list_again_needs_no_new_rows() {
    let (mut app, _) = start();
    let items = std::sync::Arc::new(crate::api::items::Items::from(fx::tasks()));
    let loaded = |items: &std::sync::Arc<crate::api::items::Items>| {
        Msg::Actor(Box::new(crate::actor::Event::Loaded {
            req: 0,
            key: key_on(Collection::Tasks, Some(today())),
            items: items.clone(),
            fetched_at: fx::fetched_at(),
            from_cache: true,
        }))
    };
    fx::deliver(&mut app, loaded(&items));
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (5, 5));
    assert!(
        app.update(loaded(&items)).is_empty(),
        "no job for the list already shown"
    );
    let fresh = std::sync::Arc::new(crate::api::items::Items::from(fx::tasks()));
    assert!(matches!(
        app.update(loaded(&fresh)).as_slice(),
        [Effect::BuildRows(_)]
    ));
}

#[test]
fn the_current_item_is_parsed_again_when_the_selection_or_the_list_changes() {
    let (mut app, _) = start();
    assert_eq!(app.active_collection(), Collection::Tasks);
    let key = app.list_key(Collection::Tasks);
    let mut items = fx::tasks();
    fx::deliver(&mut app, fx::loaded(key.clone(), items.clone()));
    let refs_in_order: Vec<String> = items
        .iter()
        .map(|t| t["reference"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(selected_ref(&app), refs_in_order[0]);
    app.update(ch('j'));
    assert_eq!(selected_ref(&app), refs_in_order[1], "a move re-parses");
    items[1]["reference"] = Value::from("ORD-CHANGED");
    fx::deliver(&mut app, fx::loaded(key, items));
    assert_eq!(
        selected_ref(&app),
        "ORD-CHANGED",
        "new rows for the same task: the selection follows its _id and shows the new copy"
    );
}

#[test]
fn map_and_timeline_follow_the_working_date() {
    let (mut app, _) = start();
    load(&mut app, Collection::Tasks);
    app.update(ch('M'));
    assert!(app.plan().is_some(), "map open");
    let e = sent(&app.update(ch(']')));
    assert!(app.plan().is_some(), "the map stays open");
    assert_eq!(app.date(), day(2025, 8, 23));
    for want in [
        "list routes 2025-08-23",
        "list tasks 2025-08-23",
        "list depots",
    ] {
        assert!(e.iter().any(|s| s == want), "{want} in {e:?}");
    }
    app.update(press(KeyCode::Esc));
    app.update(ch('T'));
    let e = sent(&app.update(ch('[')));
    assert!(app.plan().is_some(), "the timeline stays open");
    assert!(e.iter().any(|s| s == "list routes 2025-08-22"), "{e:?}");
}
