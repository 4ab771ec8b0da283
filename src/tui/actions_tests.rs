//! Dispatcher actions driven through `App::update`: what is sent, what stays open.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use crate::actor::{Command, Event, Mutation, Outcome};
use crate::api::error::ApiError;
use crate::api::model::{Date, FieldProblem, ItemError};
use crate::api::paths::Collection;

use super::app::App;
use super::msg::{Effect, Msg};
use super::popup::Popup;
use super::test_fixtures::{self as fx, ctx};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars()
        .flat_map(|c| app.update(key(KeyCode::Char(c))))
        .collect()
}

fn loaded_app(read_only: bool) -> (App, String) {
    let mut c = ctx();
    c.read_only = read_only;
    let mut app = App::new(c, 120, 30);
    app.start();
    let k = app.list_key(Collection::Tasks);
    fx::deliver(&mut app, fx::loaded(k, fx::items(Collection::Tasks)));
    let s = app.screen_of(Collection::Tasks);
    let id = s
        .current_item()
        .and_then(|i| s.resource().id(i))
        .expect("a task is selected")
        .to_string();
    (app, id)
}

fn sent(effects: &[Effect]) -> Vec<(u64, Mutation)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(Command::Mutate { req, mutation }) => Some((*req, mutation.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn cancel_asks_a_reason_then_a_question_that_defaults_to_no() {
    let (mut app, id) = loaded_app(false);
    press(&mut app, "c");
    assert!(matches!(app.popup(), Some(Popup::Form(_))));
    press(&mut app, "late");
    assert!(sent(&app.update(key(KeyCode::Enter))).is_empty());
    assert!(matches!(app.popup(), Some(Popup::Confirm(_))));
    // Enter takes the default: No.
    assert!(sent(&app.update(key(KeyCode::Enter))).is_empty());
    assert!(app.popup().is_none());
    press(&mut app, "c");
    app.update(key(KeyCode::Enter));
    let out = sent(&press(&mut app, "y"));
    assert_eq!(
        out.into_iter().map(|(_, m)| m).collect::<Vec<_>>(),
        vec![Mutation::CancelTasks {
            ids: vec![id],
            reason: None
        }]
    );
    assert!(app.popup().is_none());
}

#[test]
fn move_sends_the_typed_date_and_a_failed_submit_keeps_the_form() {
    let (mut app, id) = loaded_app(false);
    press(&mut app, "m");
    press(&mut app, "2025-13-01");
    // Invalid: nothing is sent, the form says why.
    assert!(sent(&app.update(key(KeyCode::Enter))).is_empty());
    let Some(Popup::Form(fp)) = app.popup() else {
        panic!("form closed")
    };
    assert!(fp.form.field_error("date").is_some());
    for _ in 0..5 {
        app.update(key(KeyCode::Backspace));
    }
    press(&mut app, "08-25");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let date = Date::from_yyyymmdd(20250825).expect("date");
    let [(req, m)] = out.as_slice() else {
        panic!("one mutation expected: {out:?}")
    };
    assert_eq!(
        *m,
        Mutation::MoveTasks {
            ids: vec![id],
            date
        }
    );
    app.update(Msg::Actor(Box::new(Event::Failed {
        req: *req,
        key: None,
        error: ApiError::Validation {
            status: 422,
            message: "validation failed".into(),
            errors: vec![ItemError {
                index: Some(0),
                id: None,
                reference: None,
                message: "bad date".into(),
                problems: Some(vec![FieldProblem {
                    field: "date".into(),
                    message: "no working day".into(),
                }]),
            }],
        },
    })));
    let Some(Popup::Form(fp)) = app.popup() else {
        panic!("a failed submit closed the form")
    };
    assert_eq!(fp.form.text("date"), Some("2025-08-25"));
    assert_eq!(fp.form.field_error("date"), Some("no working day"));
    assert!(!fp.form.is_sending());
}

#[test]
fn edit_sends_only_changed_fields_and_closes_on_success() {
    let (mut app, id) = loaded_app(false);
    press(&mut app, "e");
    // Reference is first: append to it.
    press(&mut app, "X");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let [
        (
            req,
            Mutation::UpdateOne {
                id: got, changes, ..
            },
        ),
    ] = out.as_slice()
    else {
        panic!("one update expected: {out:?} {:?}", app.popup())
    };
    assert_eq!(got, &id);
    let obj = changes.as_object().expect("object");
    assert_eq!(obj.keys().collect::<Vec<_>>(), vec!["reference"]);
    assert!(obj["reference"].as_str().is_some_and(|r| r.ends_with('X')));
    app.update(Msg::Actor(Box::new(Event::Mutated {
        req: *req,
        mutation: out[0].1.clone(),
        outcome: Outcome::Item(json!({})),
    })));
    assert!(app.popup().is_none());
}

#[test]
fn read_only_refuses_every_mutation() {
    let (mut app, _) = loaded_app(true);
    for k in ["n", "e", "d", "c", "m", "a", "R"] {
        let effects = press(&mut app, k);
        assert!(sent(&effects).is_empty(), "{k} sent something");
        assert!(app.popup().is_none(), "{k} opened a popup");
    }
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("Read-only session"))
    );
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let (mut app, _) = loaded_app(false);
    press(&mut app, "n");
    press(&mut app, "R1");
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.popup(), Some(Popup::Confirm(_))));
    press(&mut app, "n");
    let Some(Popup::Form(fp)) = app.popup() else {
        panic!("declining closed the form")
    };
    assert_eq!(fp.form.text("reference"), Some("R1"));
    app.update(key(KeyCode::Esc));
    press(&mut app, "y");
    assert!(app.popup().is_none());
}

fn draw(app: &App) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 30)).expect("test terminal");
    t.draw(|f| app.render(f)).expect("draw");
    t
}

#[test]
fn snapshot_edit_form_with_a_problem() {
    let (mut app, _) = loaded_app(false);
    press(&mut app, "e");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    for _ in 0..11 {
        app.update(key(KeyCode::Backspace));
    }
    press(&mut app, "12:00-09:00");
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_confirm_dialog() {
    let (mut app, _) = loaded_app(false);
    press(&mut app, "c");
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn bulk_move_acts_on_marked_rows_and_lists_refused_items() {
    let (mut app, _) = loaded_app(false);
    press(&mut app, " j ");
    let marked = app.screen_of(Collection::Tasks).marked_ids();
    assert_eq!(marked.len(), 2);
    press(&mut app, "m");
    let Some(Popup::Form(fp)) = app.popup() else {
        panic!("no date form")
    };
    assert!(fp.form.title().contains("2 marked tasks"));
    press(&mut app, "2025-08-25");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let [(req, m @ Mutation::MoveTasks { ids, .. })] = out.as_slice() else {
        panic!("one move expected: {out:?}")
    };
    assert_eq!(ids, &marked);
    assert!(app.screen_of(Collection::Tasks).marked_ids().is_empty());
    app.update(Msg::Actor(Box::new(Event::Mutated {
        req: *req,
        mutation: m.clone(),
        outcome: Outcome::Bulk(crate::api::model::BulkResult {
            result: 1,
            errors: vec![ItemError {
                index: Some(1),
                id: Some(marked[1].clone()),
                reference: None,
                message: "task is completed".into(),
                problems: None,
            }],
            ..Default::default()
        }),
    })));
    assert!(app.popup().is_none());
    assert!(app.toasts().iter().any(|t| t.text.contains("1 refused")
        && t.text.contains(&marked[1])
        && t.text.contains("task is completed")));
}

#[test]
fn mark_all_marks_every_row_shown() {
    let (mut app, _) = loaded_app(false);
    press(&mut app, "A");
    assert_eq!(app.screen_of(Collection::Tasks).marked_ids().len(), 5);
    press(&mut app, "d");
    let Some(Popup::Confirm(cp)) = app.popup() else {
        panic!("no question")
    };
    assert!(cp.confirm.message().contains("5 marked tasks"));
}

#[test]
fn changes_are_journaled_and_refusals_shown_with_the_server_reason() {
    let (mut app, id) = loaded_app(false);
    press(&mut app, "d");
    let out = sent(&press(&mut app, "y"));
    let [(req, _)] = out.as_slice() else {
        panic!("one delete expected: {out:?}")
    };
    let effects = app.update(Msg::Actor(Box::new(Event::Failed {
        req: *req,
        key: None,
        error: ApiError::Conflict {
            message: "task is assigned to a route; unassign it first".into(),
        },
    })));
    let lines: Vec<&String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::AppendJournal(l) => Some(l),
            _ => None,
        })
        .collect();
    let [line] = lines.as_slice() else {
        panic!("one journal line expected: {effects:?}")
    };
    let v: serde_json::Value = serde_json::from_str(line).expect("json line");
    assert_eq!(v["ids"], json!([id]));
    assert_eq!(v["profile"], "SANDBOX");
    assert!(
        v["result"]
            .as_str()
            .is_some_and(|r| r.contains("unassign it first"))
    );
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("unassign it first"))
    );
    press(&mut app, "L");
    assert!(matches!(app.popup(), Some(Popup::Activity { .. })));
    let screen = format!("{:?}", draw(&app).backend());
    assert!(screen.contains("delete 1 task "), "{screen}");
    app.update(key(KeyCode::Esc));
    assert!(app.popup().is_none());
}

#[test]
fn routes_marked_on_the_routes_tab_scope_the_optimizer() {
    let mut app = App::new(ctx(), 120, 30);
    app.start();
    press(&mut app, "2");
    let k = app.list_key(Collection::Routes);
    fx::deliver(&mut app, fx::loaded(k, fx::items(Collection::Routes)));
    press(&mut app, " ");
    let marked = app.screen_of(Collection::Routes).marked_ids();
    assert_eq!(marked.len(), 1, "space marks the route under the cursor");
    press(&mut app, "O");
    let Some(plan) = app.plan() else {
        panic!("O opens the Optimize screen")
    };
    let crate::tui::plan::PlanKind::Optimize(o) = plan.kind() else {
        panic!("not the Optimize screen")
    };
    assert_eq!(o.marked_routes(), marked.as_slice());
}
