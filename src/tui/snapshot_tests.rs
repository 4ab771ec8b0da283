//! Pictures of the screen on a 120×30 `TestBackend`: every tab with a few realistic rows,
//! the detail, JSON and help views, the stale banner and the filter line.

use crossterm::event::KeyCode;
use ratatui::style::Color;

use crate::api::paths::Collection;

use super::app::App;
use super::context::Context;
use super::msg::Msg;
use super::test_fixtures::{self as fx, ctx, draw, key};
use super::theme::Theme;

const W: u16 = 120;
const H: u16 = 30;

/// An app on `c`'s tab with its fixture rows loaded.
fn app_on(c: Collection, ctx: Context) -> App {
    let mut app = App::new(ctx, W, H);
    app.start();
    app.update(Msg::Action(super::keymap::Action::GoTab(0)));
    let i = Collection::ALL.iter().position(|x| *x == c).unwrap();
    for _ in 0..i {
        app.update(key(KeyCode::Tab));
    }
    let key = app.list_key(c);
    fx::deliver(&mut app, fx::loaded(key, fx::items(c)));
    app
}

#[test]
fn every_tab() {
    for c in Collection::ALL {
        let app = app_on(c, ctx());
        insta::assert_snapshot!(format!("tab_{}", c.name()), draw(&app).backend());
    }
}

#[test]
fn task_detail() {
    let mut app = app_on(Collection::Tasks, ctx());
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!(draw(&app).backend());
}

/// The route detail of Anna's route, its second stop served after its window.
fn route_detail_app(ctx: Context) -> App {
    let mut app = app_on(Collection::Routes, ctx);
    app.update(key(KeyCode::Enter));
    let mut routes = fx::routes();
    routes[0]["legs"][1]["eta"] = serde_json::json!(725);
    let (routes_key, tasks_key) = (
        app.list_key(Collection::Routes),
        app.list_key(Collection::Tasks),
    );
    fx::deliver(&mut app, fx::loaded(routes_key, routes));
    fx::deliver(&mut app, fx::loaded(tasks_key, fx::tasks()));
    app
}

#[test]
fn route_detail() {
    let app = route_detail_app(ctx());
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn route_detail_marks_a_late_stop_without_colour_too() {
    let app = route_detail_app(Context {
        theme: Theme::MONO,
        ..ctx()
    });
    let t = draw(&app);
    let buf = t.backend().buffer();
    let line = |y: u16| -> String { (0..W).map(|x| buf[(x, y)].symbol().to_string()).collect() };
    let y = (0..H).find(|y| line(*y).contains("ORD-1002")).unwrap();
    let row = line(y);
    assert!(row.contains("LATE") && row.contains("12:05"), "{row}");
    let x = row[..row.find("12:05").unwrap()].chars().count() as u16;
    assert!(
        buf[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::BOLD)
    );
    let on_time = line(y - 1);
    assert!(
        on_time.contains("ORD-1001") && !on_time.contains("LATE"),
        "{on_time}"
    );
}

#[test]
fn task_json() {
    let mut app = app_on(Collection::Tasks, ctx());
    app.update(key(KeyCode::Char('v')));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn help_overlay() {
    let mut app = app_on(Collection::Tasks, ctx());
    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn filter_line_and_stale_banner() {
    let mut app = app_on(Collection::Tasks, ctx());
    app.update(fx::failed(app.list_key(Collection::Tasks)));
    app.update(key(KeyCode::Char('/')));
    for c in "postcode:gu3".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn read_only_remote_profile() {
    let ctx = Context {
        profile_label: "prod".into(),
        read_only: true,
        ..ctx()
    };
    let app = app_on(Collection::Drivers, ctx);
    let t = draw(&app);
    let text = t.backend().to_string();
    assert!(text.contains(" prod "), "{text}");
    assert!(text.contains("READ-ONLY"), "{text}");
}

#[test]
fn no_color_uses_no_colours_at_all() {
    let mut app = app_on(
        Collection::Tasks,
        Context {
            theme: Theme::MONO,
            ..ctx()
        },
    );
    app.update(fx::failed(app.list_key(Collection::Tasks)));
    app.update(key(KeyCode::Char('y')));
    let t = draw(&app);
    let buf = t.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    // The selection is still visible, by reverse video.
    // Row 4: below the tabs, the banner, the frame and the header.
    let row = buf.content().iter().skip(4 * W as usize + 1).take(10);
    assert!(
        row.clone()
            .all(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
    );
}

#[test]
fn colour_marks_failed_tasks_red() {
    let app = app_on(Collection::Tasks, ctx());
    let t = draw(&app);
    let buf = t.backend().buffer();
    // The second task (row 4 on screen) failed; its state cell is red.
    let line: String = (0..W).map(|x| buf[(x, 4)].symbol().to_string()).collect();
    let x = line.find("Failed").unwrap() as u16;
    assert_eq!(buf[(x, 4)].fg, Color::Red);
}
