//! Dispatcher actions driven through `App::update`: what is sent, what stays open.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use crate::actor::{Command, Event, Mutation, Outcome};
use crate::api::error::ApiError;
use crate::api::model::{Date, FieldProblem, ItemError};
use crate::api::paths::Collection;

use super::actions::fields;
use super::app::App;
use super::keymap::Action;
use super::msg::{Effect, Msg};
use super::popup::Popup;
use super::test_fixtures::{self as fx, ctx, draw, key};
use super::widgets::form::{FieldKind, Form, value_at};

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

/// An app on the tab of `c` with the fixture items loaded; the first item is selected.
fn app_on(c: Collection) -> (App, String) {
    let mut app = App::new(ctx(), 120, 40);
    app.start();
    let tab = Collection::ALL.iter().position(|x| *x == c).expect("a tab") as u8;
    app.update(Msg::Action(Action::GoTab(tab)));
    let k = app.list_key(c);
    fx::deliver(&mut app, fx::loaded(k, fx::items(c)));
    let s = app.screen_of(c);
    let id = s
        .current_item()
        .and_then(|i| s.resource().id(i))
        .expect("an item is selected")
        .to_string();
    (app, id)
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn open_form(app: &App) -> &super::actions::FormPopup {
    match app.popup() {
        Some(Popup::Form(fp)) => fp,
        other => panic!("no form open: {other:?}"),
    }
}

/// Tabs until the focused field's text is `text`-prefixed path `path` (checked by text).
fn tab_to(app: &mut App, path: &str) {
    for _ in 0..60 {
        let f = &open_form(app).form;
        if f.focused_path().as_deref() == Some(path) {
            return;
        }
        app.update(key(KeyCode::Tab));
    }
    panic!("no field {path}");
}

fn clear_field(app: &mut App) {
    for _ in 0..80 {
        app.update(key(KeyCode::Backspace));
    }
}

#[test]
fn every_collection_but_routes_has_a_form_that_round_trips_its_items() {
    for c in Collection::ALL {
        let Some(specs) = fields(c) else {
            assert_eq!(c, Collection::Routes, "{c} has no form");
            continue;
        };
        for item in fx::items(c) {
            let mut form = Form::filled("t", specs.clone(), &item);
            if c == Collection::FormSubmissions {
                // The fixture names its form by name only: the form asks for its UID.
                assert_eq!(form.validate(), Err(1));
                assert_eq!(form.field_error("form.uid"), Some("required"));
                continue;
            }
            // Untouched, an edit sends nothing.
            assert_eq!(form.changes(), Ok(serde_json::Map::new()), "{c}");
            // Every value shown reads back as what the item holds.
            let values = serde_json::Value::Object(form.validate().expect("valid"));
            for s in &specs {
                if matches!(s.kind, FieldKind::File(_)) {
                    assert_eq!(value_at(&values, &s.path), None, "{c} {}", s.path);
                    continue;
                }
                // Empty lists and texts show as empty fields (and, untouched, stay as they are).
                let want = value_at(&item, &s.path)
                    .filter(|v| !v.is_null() && **v != json!([]) && **v != json!(""));
                let got = value_at(&values, &s.path);
                match (&s.kind, want) {
                    (FieldKind::Choice(_), None) if s.required => assert!(got.is_some()),
                    _ => assert_eq!(got, want, "{c} {}", s.path),
                }
            }
        }
    }
}

#[test]
fn customer_edit_sends_every_location_with_the_fields_the_form_does_not_show() {
    let (mut app, id) = app_on(Collection::Customers);
    press(&mut app, "e");
    tab_to(&mut app, "locations[1].name");
    press(&mut app, " West");
    app.update(ctrl('n'));
    press(&mut app, "Acme Depot");
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    press(&mut app, "51.3, -0.6");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let [
        (
            _,
            Mutation::UpdateOne {
                id: got,
                changes,
                collection,
            },
        ),
    ] = out.as_slice()
    else {
        panic!("one update expected: {out:?}")
    };
    assert_eq!((got, *collection), (&id, Collection::Customers));
    let locs = &changes["locations"];
    assert_eq!(changes.as_object().map(|o| o.len()), Some(1), "{changes}");
    assert_eq!(locs[0]["uid"], "LOC-1", "unknown fields stay");
    assert_eq!(locs[1]["uid"], "LOC-2");
    assert_eq!(locs[1]["name"], "Acme Store West");
    assert_eq!(locs[1]["city"], "Guildford");
    assert_eq!(
        locs[2],
        json!({"name": "Acme Depot", "coordinates": [-0.6, 51.3]})
    );
}

#[test]
fn zone_boundary_is_read_from_a_file_through_an_effect() {
    let (mut app, id) = app_on(Collection::Zones);
    press(&mut app, "e");
    tab_to(&mut app, "geoJSON");
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.geojson");
    press(&mut app, &missing.display().to_string());
    // The form does no IO: it asks the loop to read the file.
    let effects = app.update(key(KeyCode::Enter));
    let [Effect::ReadFiles(job)] = effects.as_slice() else {
        panic!("a file read expected: {effects:?}")
    };
    assert!(open_form(&app).form.is_sending());
    let effects = app.update(Msg::FilesRead(Box::new(job.as_ref().clone().run())));
    assert!(sent(&effects).is_empty());
    let form = &open_form(&app).form;
    assert!(
        form.field_error("geoJSON")
            .is_some_and(|e| e.contains("cannot read")),
        "{:?}",
        form.field_error("geoJSON")
    );
    assert!(!form.is_sending());
    // A line is no area.
    let line = dir.path().join("line.geojson");
    std::fs::write(
        &line,
        r#"{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}"#,
    )
    .expect("write");
    clear_field(&mut app);
    press(&mut app, &line.display().to_string());
    let effects = app.update(key(KeyCode::Enter));
    let [Effect::ReadFiles(job)] = effects.as_slice() else {
        panic!("a file read expected: {effects:?}")
    };
    app.update(Msg::FilesRead(Box::new(job.as_ref().clone().run())));
    assert!(
        open_form(&app)
            .form
            .field_error("geoJSON")
            .is_some_and(|e| e.contains("LineString is not an area"))
    );
    // A polygon goes out as the zone's Feature.
    let poly = dir.path().join("north.geojson");
    std::fs::write(
        &poly,
        r#"{"type": "Polygon", "coordinates": [[[-0.7, 51.2], [-0.6, 51.2], [-0.6, 51.3], [-0.7, 51.2]]]}"#,
    )
    .expect("write");
    clear_field(&mut app);
    press(&mut app, &poly.display().to_string());
    let effects = app.update(key(KeyCode::Enter));
    let [Effect::ReadFiles(job)] = effects.as_slice() else {
        panic!("a file read expected: {effects:?}")
    };
    let out = sent(&app.update(Msg::FilesRead(Box::new(job.as_ref().clone().run()))));
    let [
        (
            _,
            Mutation::UpdateOne {
                id: got, changes, ..
            },
        ),
    ] = out.as_slice()
    else {
        panic!("one update expected: {out:?}")
    };
    assert_eq!(got, &id);
    // The zone was a Feature already: only its polygon changes.
    assert_eq!(changes["geoJSON"].get("type"), None);
    assert_eq!(
        changes["geoJSON"]["geometry"],
        json!({"coordinates": [[[-0.7, 51.2], [-0.6, 51.2], [-0.6, 51.3], [-0.7, 51.2]]]})
    );
    assert_eq!(changes.as_object().map(|o| o.len()), Some(1), "{changes}");
}

#[test]
fn a_new_boundary_replaces_the_old_one_whole() {
    let (mut app, _) = app_on(Collection::Zones);
    press(&mut app, "e");
    tab_to(&mut app, "geoJSON");
    let dir = tempfile::tempdir().expect("temp dir");
    let fc = dir.path().join("fc.geojson");
    let area = json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "geometry": {"type": "Polygon", "coordinates":
            [[[-0.7, 51.2], [-0.6, 51.2], [-0.6, 51.3], [-0.7, 51.2]]]}}]});
    std::fs::write(&fc, area.to_string()).expect("write");
    press(&mut app, &fc.display().to_string());
    let effects = app.update(key(KeyCode::Enter));
    let [Effect::ReadFiles(job)] = effects.as_slice() else {
        panic!("a file read expected: {effects:?}")
    };
    let out = sent(&app.update(Msg::FilesRead(Box::new(job.as_ref().clone().run()))));
    let [(_, Mutation::UpdateOne { changes, .. })] = out.as_slice() else {
        panic!("one update expected: {out:?}")
    };
    // A merge patch: the Feature's geometry goes, the collection's features come.
    assert_eq!(
        changes["geoJSON"],
        json!({"type": "FeatureCollection", "features": area["features"], "geometry": null})
    );
}

#[test]
fn zone_rule_edit_keeps_the_rules_the_form_does_not_show() {
    let (mut app, _) = app_on(Collection::Zones);
    press(&mut app, "e");
    tab_to(&mut app, "rules.skills");
    press(&mut app, "north-team");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let [(_, Mutation::UpdateOne { changes, .. })] = out.as_slice() else {
        panic!("one update expected: {out:?}")
    };
    // A merge patch: `rules.maxTasks` is left alone by the server.
    assert_eq!(changes, &json!({"rules": {"skills": ["north-team"]}}));
}

#[test]
fn new_schedule_exception_starts_on_the_working_date() {
    let (mut app, _) = app_on(Collection::ScheduleExceptions);
    press(&mut app, "n");
    press(&mut app, "DR-ANNA0001");
    tab_to(&mut app, "dayOff");
    press(&mut app, " ");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let [(_, Mutation::Create { collection, items })] = out.as_slice() else {
        panic!("one create expected: {out:?}")
    };
    assert_eq!(*collection, Collection::ScheduleExceptions);
    assert_eq!(
        items,
        &vec![json!({"driver": {"uid": "DR-ANNA0001"},
            "dateRange": {"startDate": 20250822, "endDate": 20250822}, "dayOff": true})]
    );
}

#[test]
fn template_groups_schedule_for_dates_and_take_the_marked_tasks() {
    let (mut app, id) = app_on(Collection::RouteTemplateGroups);
    press(&mut app, "P");
    assert_eq!(open_form(&app).form.text("dates"), Some("2025-08-22"));
    press(&mut app, "..2025-08-24");
    let out = sent(&app.update(key(KeyCode::Enter)));
    let day = |d| Date::from_yyyymmdd(d).expect("date");
    assert_eq!(
        out.into_iter().map(|(_, m)| m).collect::<Vec<_>>(),
        vec![Mutation::ScheduleRouteTemplates {
            ids: vec![id],
            dates: vec![day(20250822), day(20250823), day(20250824)],
        }]
    );
    // Tasks marked on the Tasks tab fill the add-tasks form of a task-template group.
    let (mut app, _) = loaded_app(false);
    press(&mut app, " j ");
    let marked = app.screen_of(Collection::Tasks).marked_ids();
    app.update(Msg::Action(Action::GoTab(9)));
    let k = app.list_key(Collection::TaskTemplateGroups);
    fx::deliver(
        &mut app,
        fx::loaded(k, fx::items(Collection::TaskTemplateGroups)),
    );
    press(&mut app, "+");
    assert_eq!(
        open_form(&app).form.text("tasks").map(str::to_string),
        Some(marked.join(", "))
    );
    let out = sent(&app.update(key(KeyCode::Enter)));
    assert_eq!(
        out.into_iter().map(|(_, m)| m).collect::<Vec<_>>(),
        vec![Mutation::AddTasksToGroup {
            group: "66c830f00000000000000001".into(),
            tasks: marked,
            keep_assignee: false,
        }]
    );
    // `+` means nothing on route templates.
    let (mut app, _) = app_on(Collection::RouteTemplateGroups);
    press(&mut app, "+");
    assert!(app.popup().is_none());
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("task-template groups only"))
    );
}

#[test]
fn snapshot_customer_form_with_locations() {
    let (mut app, _) = app_on(Collection::Customers);
    press(&mut app, "e");
    tab_to(&mut app, "locations[1].name");
    app.update(ctrl('n'));
    press(&mut app, "Acme Depot");
    let mut t =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("test terminal");
    t.draw(|f| app.render(f)).expect("draw");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn every_demo_item_opens_in_its_form_unchanged_and_valid() {
    let demo = crate::sandbox::demo::generate(&crate::sandbox::demo::DemoOptions {
        today: fx::today(),
        scale: None,
        seed: 7,
    });
    for c in Collection::ALL {
        let Some(specs) = fields(c) else { continue };
        let docs = demo.docs(c);
        assert!(!docs.is_empty(), "the demo has no {c}");
        for doc in docs.iter().take(60) {
            let mut form = Form::filled("t", specs.clone(), doc);
            assert_eq!(form.changes(), Ok(serde_json::Map::new()), "{c} {doc}");
            // Saving it as shown would be accepted: no field reads as a problem.
            let shown = form.validate();
            assert!(
                shown.is_ok(),
                "{c}: {:?} in {doc}",
                specs
                    .iter()
                    .filter_map(|s| form.field_error(&s.path).map(|e| (&s.path, e)))
                    .collect::<Vec<_>>()
            );
        }
    }
}
