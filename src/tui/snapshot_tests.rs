//! Pictures of the screen on a 120×30 `TestBackend`: every tab with a few realistic rows,
//! the detail, JSON and help views, the stale banner and the filter line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::api::paths::Collection;

use super::app::App;
use super::context::Context;
use super::msg::Msg;
use super::test_fixtures::{self as fx, ctx};
use super::theme::Theme;

const W: u16 = 120;
const H: u16 = 30;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(W, H)).unwrap();
    t.draw(|f| app.render(f)).unwrap();
    t
}

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

#[test]
fn route_detail() {
    let mut app = app_on(Collection::Routes, ctx());
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!(draw(&app).backend());
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
