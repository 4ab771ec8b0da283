//! Form tests: every field kind, groups, files, server problems, scrolling.

use super::*;
use crate::api::model::FieldProblem;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::widgets::Widget;
use serde_json::json;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_text(f: &mut Form, s: &str) {
    for c in s.chars() {
        f.handle_key(&key(KeyCode::Char(c)));
    }
}

#[test]
fn every_field_type_reads_and_refuses() {
    use FieldKind::*;
    let ok = |k: FieldKind, s: &str| parse_value(&k, s).unwrap();
    let bad = |k: FieldKind, s: &str| parse_value(&k, s).unwrap_err();
    assert_eq!(ok(Text, " hi "), Some(json!("hi")));
    assert_eq!(ok(Text, "  "), None);
    assert_eq!(ok(Integer, "42"), Some(json!(42)));
    assert!(bad(Integer, "4.2").contains("whole number"));
    assert_eq!(ok(Decimal, "2.5"), Some(json!(2.5)));
    assert!(bad(Decimal, "abc").contains("not a number"));
    assert_eq!(ok(Date, "2025-08-22"), Some(json!(20250822)));
    assert!(bad(Date, "2025-13-01").contains("invalid date"));
    assert_eq!(ok(Time, "09:30"), Some(json!(570)));
    assert!(bad(Time, "9h30").contains("HH:MM"));
    assert!(bad(Time, "25:00").contains("past 24:00"));
    assert_eq!(
        ok(TimeWindows, "09:00-12:00, 14:00-17:30"),
        Some(json!([{"start": 540, "end": 720}, {"start": 840, "end": 1050}]))
    );
    assert!(bad(TimeWindows, "12:00-09:00").contains("before it starts"));
    assert_eq!(ok(Coordinates, "51.5, -0.12"), Some(json!([-0.12, 51.5])));
    assert!(bad(Coordinates, "95, 0").contains("latitude"));
    assert!(bad(Coordinates, "51.5").contains("lat, lon"));
    let c = Choice(vec!["1".into(), "2".into()]);
    assert_eq!(ok(c.clone(), "2"), Some(json!(2)));
    assert!(bad(c, "3").contains("not one of"));
    let c = Choice(vec!["Mon".into(), "Tue".into()]);
    assert_eq!(ok(c, "tue"), Some(json!("Tue")));
    assert_eq!(ok(Bool, "yes"), Some(json!(true)));
    assert!(bad(Bool, "maybe").contains("yes or no"));
    assert_eq!(ok(Tags, "a, b,,c"), Some(json!(["a", "b", "c"])));
}

#[test]
fn values_round_trip_through_the_field_text() {
    let cases = [
        (FieldKind::Date, json!(20250822), "2025-08-22"),
        (FieldKind::Time, json!(570), "09:30"),
        (
            FieldKind::TimeWindows,
            json!([{"start": 540, "end": 720}]),
            "09:00-12:00",
        ),
        (FieldKind::Coordinates, json!([-0.12, 51.5]), "51.5, -0.12"),
        (FieldKind::Bool, json!(false), "no"),
        (FieldKind::Tags, json!(["a", "b"]), "a, b"),
        (FieldKind::Integer, json!(7), "7"),
        (FieldKind::Decimal, json!(2.5), "2.5"),
    ];
    for (k, v, text) in cases {
        assert_eq!(format_value(&k, &v), text);
        assert_eq!(parse_value(&k, text).unwrap(), Some(v));
    }
    assert_eq!(format_value(&FieldKind::Integer, &json!(5.0)), "5");
}

fn task_form(item: &Value) -> Form {
    Form::filled(
        "Edit task",
        vec![
            FieldSpec::new("reference", "Reference", FieldKind::Text).required(),
            FieldSpec::new("date", "Date", FieldKind::Date),
            FieldSpec::new("timeWindows", "Time windows", FieldKind::TimeWindows),
            FieldSpec::new(
                "location.coordinates",
                "Coordinates",
                FieldKind::Coordinates,
            ),
            FieldSpec::new(
                "priority",
                "Priority",
                FieldKind::Choice(vec!["0".into(), "1".into(), "2".into()]),
            ),
            FieldSpec::new("urgent", "Urgent", FieldKind::Bool),
        ],
        item,
    )
}

#[test]
fn tab_moves_between_fields_and_changes_are_a_merge_patch() {
    let item = json!({"reference": "R1", "date": 20250822,
        "location": {"address": "1 High St", "coordinates": [-0.1, 51.5]}});
    let mut f = task_form(&item);
    assert!(!f.is_changed());
    f.handle_key(&key(KeyCode::Tab));
    assert_eq!(f.focus(), 1);
    for _ in 0..10 {
        f.handle_key(&key(KeyCode::Backspace));
    }
    type_text(&mut f, "2025-08-25");
    f.handle_key(&key(KeyCode::Tab));
    f.handle_key(&key(KeyCode::Tab));
    for _ in 0..20 {
        f.handle_key(&key(KeyCode::Backspace));
    }
    f.handle_key(&key(KeyCode::BackTab));
    assert_eq!(f.focus(), 2);
    f.handle_key(&key(KeyCode::Tab));
    f.handle_key(&key(KeyCode::Tab));
    f.handle_key(&key(KeyCode::Right));
    f.handle_key(&key(KeyCode::Right));
    assert_eq!(f.text("priority"), Some("1"));
    f.handle_key(&key(KeyCode::Tab));
    f.handle_key(&key(KeyCode::Char(' ')));
    assert_eq!(f.text("urgent"), Some("yes"));
    assert!(f.is_changed());
    assert_eq!(
        Value::Object(f.changes().unwrap()),
        json!({"date": 20250825, "location": {"coordinates": null},
            "priority": 1, "urgent": true})
    );
}

#[test]
fn invalid_fields_block_the_submit_and_show_where() {
    let mut f = task_form(&Value::Null);
    f.handle_key(&key(KeyCode::Tab));
    f.handle_key(&key(KeyCode::Tab));
    type_text(&mut f, "12:00-09:00");
    assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormOutcome::Submit);
    assert_eq!(f.validate(), Err(2));
    assert_eq!(f.field_error("reference"), Some("required"));
    assert!(
        f.field_error("timeWindows")
            .is_some_and(|e| e.contains("before it starts"))
    );
    assert_eq!(f.focus(), 0);
    // Typing clears the field's problem; the text typed so far is kept.
    type_text(&mut f, "R9");
    assert_eq!(f.field_error("reference"), None);
    assert_eq!(f.text("timeWindows"), Some("12:00-09:00"));
}

#[test]
fn server_problems_land_on_their_fields() {
    let mut f = task_form(&Value::Null);
    f.set_sending(true);
    let problem = |field: &str| FieldProblem {
        field: field.into(),
        message: format!("bad {field}"),
    };
    let errors = vec![ItemError {
        index: Some(0),
        id: None,
        reference: None,
        message: "invalid".into(),
        problems: Some(vec![
            problem("timeWindows[0]"),
            problem("location.coordinates"),
            problem("size"),
        ]),
    }];
    f.set_server_errors("rejected", &errors);
    assert!(!f.is_sending());
    assert_eq!(f.field_error("timeWindows"), Some("bad timeWindows[0]"));
    assert_eq!(
        f.field_error("location.coordinates"),
        Some("bad location.coordinates")
    );
    assert_eq!(f.form_error(), Some("size: bad size"));
    assert_eq!(f.focus(), 2);
}

#[test]
fn esc_asks_only_when_something_changed() {
    let mut f = task_form(&json!({"reference": "R1"}));
    assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormOutcome::Close);
    type_text(&mut f, "x");
    assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormOutcome::AskDiscard);
}

fn customer_form(item: &Value) -> Form {
    Form::filled(
        "Customer",
        vec![
            FieldSpec::new("name", "Name", FieldKind::Text).required(),
            FieldSpec::new(
                "locations",
                "Locations",
                FieldKind::Group(vec![
                    FieldSpec::new("name", "Name", FieldKind::Text),
                    FieldSpec::new("coordinates", "Coordinates", FieldKind::Coordinates),
                ]),
            ),
        ],
        item,
    )
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn focus_on(f: &mut Form, path: &str) {
    for _ in 0..f.fields.len() {
        if f.full_path(&f.fields[f.focus]) == path {
            return;
        }
        f.handle_key(&key(KeyCode::Tab));
    }
    panic!("no field {path}");
}

#[test]
fn group_entries_are_added_removed_and_keep_unknown_fields() {
    let item = json!({"name": "Acme", "locations": [
        {"uid": "CL-1", "name": "HQ", "schedule": {"Mon": {}}},
        {"uid": "CL-2", "name": "Store", "coordinates": [-0.5, 51.2]},
    ]});
    let mut f = customer_form(&item);
    assert_eq!(f.entries("locations"), 2);
    assert_eq!(f.text("locations[1].coordinates"), Some("51.2, -0.5"));
    assert_eq!(
        f.changes().unwrap(),
        Map::new(),
        "an untouched group sends nothing"
    );
    // Rename the second entry, add a third, remove the first.
    focus_on(&mut f, "locations[1].name");
    type_text(&mut f, "2");
    f.handle_key(&ctrl('n'));
    assert_eq!(f.entries("locations"), 3);
    assert_eq!(f.full_path(&f.fields[f.focus]), "locations[2].name");
    type_text(&mut f, "Depot");
    focus_on(&mut f, "locations[0].name");
    f.handle_key(&ctrl('d'));
    assert_eq!(f.entries("locations"), 2);
    assert_eq!(f.text("locations[0].name"), Some("Store2"));
    assert_eq!(f.text("locations[1].name"), Some("Depot"));
    assert!(f.is_changed());
    assert_eq!(
        Value::Object(f.changes().unwrap()),
        json!({"locations": [
            {"uid": "CL-2", "name": "Store2", "coordinates": [-0.5, 51.2]},
            {"name": "Depot"},
        ]})
    );
    // Ctrl-D outside a group entry does nothing; Ctrl-N on the heading adds.
    focus_on(&mut f, "name");
    f.handle_key(&ctrl('d'));
    assert_eq!(f.entries("locations"), 2);
    focus_on(&mut f, "locations");
    f.handle_key(&ctrl('n'));
    assert_eq!(f.entries("locations"), 3);
}

#[test]
fn group_problems_land_on_their_entry() {
    let mut f = customer_form(&json!({"name": "A", "locations": [{}, {}]}));
    focus_on(&mut f, "locations[1].coordinates");
    type_text(&mut f, "99, 0");
    assert_eq!(f.validate(), Err(1));
    assert!(
        f.field_error("locations[1].coordinates")
            .is_some_and(|e| e.contains("latitude"))
    );
    assert_eq!(f.form_error(), Some("1 field needs attention"));
    let problem = FieldProblem {
        field: "locations[0].name".into(),
        message: "too long".into(),
    };
    f.set_server_errors(
        "invalid",
        &[ItemError {
            index: Some(0),
            id: None,
            reference: None,
            message: "invalid".into(),
            problems: Some(vec![problem]),
        }],
    );
    assert_eq!(f.field_error("locations[0].name"), Some("too long"));
    assert_eq!(f.field_error("locations[1].name"), None);
}

#[test]
fn date_lists_json_and_files() {
    let ok = |k: FieldKind, s: &str| parse_value(&k, s).unwrap();
    assert_eq!(
        ok(
            FieldKind::Dates,
            "2025-08-29, 2025-08-22..2025-08-24, 2025-08-23"
        ),
        Some(json!([20250829, 20250822, 20250823, 20250824]))
    );
    let bad = |s: &str| parse_value(&FieldKind::Dates, s).unwrap_err();
    assert!(bad("2025-08-24..2025-08-22").contains("ends before"));
    assert!(bad("2025-01-01..2026-12-31").contains("more than 366 days"));
    assert!(bad("2025-02-30").contains("invalid date"));
    // Short enough to read under the field.
    assert!(
        bad("2025-02-30").ends_with("2025-02 has no day 30"),
        "{}",
        bad("2025-02-30")
    );
    assert!(
        bad("2025-13-01").ends_with("there is no month 13"),
        "{}",
        bad("2025-13-01")
    );
    assert_eq!(
        format_value(&FieldKind::Dates, &json!([20250822, 20250825])),
        "2025-08-22, 2025-08-25"
    );
    assert!(
        parse_value(&FieldKind::Json, "{oops")
            .unwrap_err()
            .contains("not valid JSON")
    );
    // An edited JSON object sends only what changed, removed keys as null.
    let mut f = Form::filled(
        "Submission",
        vec![
            FieldSpec::new("data", "Answers", FieldKind::Json),
            FieldSpec::new(
                "geoJSON",
                "Boundary",
                FieldKind::File(FileFormat::GeoJsonArea),
            ),
        ],
        &json!({"data": {"a": 1, "b": {"c": 2, "d": 3}, "e": 5},
            "geoJSON": {"type": "Feature"}}),
    );
    assert_eq!(f.text("geoJSON"), Some(""), "a file field shows no value");
    assert!(f.files().is_empty());
    for _ in 0..40 {
        f.handle_key(&key(KeyCode::Backspace));
    }
    type_text(&mut f, r#"{"a": 1, "b": {"c": 2, "d": 4}, "f": true}"#);
    f.handle_key(&key(KeyCode::Tab));
    type_text(&mut f, "/tmp/area.geojson");
    assert_eq!(
        Value::Object(f.changes().unwrap()),
        json!({"data": {"b": {"d": 4}, "f": true, "e": null}}),
        "the file is not a value: the caller reads it"
    );
    assert_eq!(
        f.files(),
        vec![FileRequest {
            field: "geoJSON".into(),
            path: "/tmp/area.geojson".into(),
            format: FileFormat::GeoJsonArea,
        }]
    );
    f.set_field_error("geoJSON", "no such file");
    assert_eq!(f.field_error("geoJSON"), Some("no such file"));
    assert_eq!(f.focus(), 1);
}

#[test]
fn long_forms_scroll_to_keep_the_focus_in_view() {
    let specs: Vec<FieldSpec> = (0..30)
        .map(|i| FieldSpec::new(&format!("f{i}"), &format!("Field {i}"), FieldKind::Text))
        .collect();
    let mut f = Form::new("Long", specs);
    for _ in 0..25 {
        f.handle_key(&key(KeyCode::Tab));
    }
    let area = Rect::new(0, 0, 80, 20);
    let mut buf = Buffer::empty(area);
    FormView {
        form: &f,
        theme: Theme::MONO,
    }
    .render(area, &mut buf);
    let text: String = (0..20)
        .flat_map(|y| (0..80).map(move |x| (x, y)))
        .map(|(x, y)| buf[(x, y)].symbol().to_string())
        .collect();
    assert!(text.contains("Field 25"), "the focused field is drawn");
    assert!(!text.contains("Field 0 "), "the first fields scrolled away");
    let c = f.cursor(area);
    assert!(c.y < 20);
}
