//! Pictures of the map, the timeline and the Optimize screen on a `TestBackend`, with two
//! fixture routes (one with a late stop), in colour and without.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use serde_json::{Value, json};

use crate::api::model::Date;
use crate::tui::screens::optimize::{OptimizeScreen, Stage};
use crate::tui::theme::Theme;

use super::data::PlanData;
use super::map::{MapMove, MapState, MapView};
use super::timeline::{TimelineState, TimelineView};

const W: u16 = 100;
const H: u16 = 24;

fn tasks() -> Vec<Value> {
    let t = |id: &str, r: &str, lon: f64, lat: f64, s: u32, e: u32| {
        json!({"_id": id, "uid": format!("T-{id}"), "reference": r, "date": 20251103,
               "location": {"type": 2, "coordinates": [lon, lat]},
               "timeWindows": [{"start": s, "end": e}], "serviceDuration": 20})
    };
    vec![
        t("a1", "NORTH-1", -0.20, 51.56, 480, 600),
        t("a2", "NORTH-2", -0.12, 51.58, 540, 660),
        t("a3", "NORTH-3", -0.05, 51.55, 600, 720),
        t("b1", "SOUTH-1", -0.25, 51.45, 540, 600),
        t("b2", "SOUTH-2", -0.10, 51.43, 600, 640),
    ]
}

fn routes() -> Vec<Value> {
    let leg = |id: &str, eta: u32, late: f64| json!({"taskInfo": {"_id": id}, "eta": eta, "departure": eta + 20, "lateness": late});
    let home = json!({"type": 0, "uid": "DEP-1"});
    vec![
        json!({"_id": "r1", "uid": "RT-ANN", "date": 20251103, "start": 450.0, "end": 780,
               "assignee": {"_id": "d1", "info": {"firstName": "Ann", "lastName": "Berg"}},
               "startLocation": home, "distance": 42000.0, "duration": 330.0,
               "legs": [leg("a1", 500, 0.0), leg("a2", 560, 0.0), leg("a3", 640, 0.0)]}),
        json!({"_id": "r2", "uid": "RT-BOB", "date": 20251103, "start": 500, "end": 760,
               "assignee": {"_id": "d2", "info": {"firstName": "Bob", "lastName": "Carter"}},
               "startLocation": home, "distance": 30500.0, "duration": 260.0,
               "legs": [leg("b1", 560, 0.0), leg("b2", 690, 50.0)]}),
    ]
}

fn depots() -> Vec<Value> {
    vec![json!({"_id": "dep", "uid": "DEP-1", "name": "Park Royal", "coordinates": [-0.26, 51.53]})]
}

fn data() -> PlanData {
    PlanData::build(&routes(), &tasks(), &depots())
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(W, H)).unwrap()
}

#[test]
fn the_plan_joins_legs_to_tasks_and_depots() {
    let d = data();
    assert_eq!(d.routes.len(), 2);
    assert_eq!(d.routes[0].name, "Ann Berg");
    assert_eq!(d.routes[0].start, Some(450), "float minutes are read");
    assert_eq!(
        d.routes[0].start_pos,
        Some((-0.26, 51.53)),
        "start at the depot"
    );
    let s = &d.routes[1].stops[1];
    assert_eq!(s.label, "SOUTH-2");
    assert_eq!(
        (s.pos, s.eta, s.service),
        (Some((-0.10, 51.43)), Some(690), 20)
    );
    assert_eq!(s.windows, vec![(600, 640)]);
    assert!(s.late);
    assert!(!d.routes[0].stops[0].late);
}

#[test]
fn map_snapshot() {
    let d = data();
    let mut t = terminal();
    let state = MapState::default();
    t.draw(|f| {
        f.render_widget(
            MapView {
                data: &d,
                state: &state,
                theme: Theme::COLOR,
            },
            f.area(),
        )
    })
    .unwrap();
    insta::assert_snapshot!(t.backend());
}

#[test]
fn map_without_colour_shows_the_selected_route_bold_and_zooms() {
    let d = data();
    let mut state = MapState::default();
    state.apply(MapMove::NextRoute, d.routes.len());
    state.apply(MapMove::ZoomIn, d.routes.len());
    let mut t = terminal();
    t.draw(|f| {
        f.render_widget(
            MapView {
                data: &d,
                state: &state,
                theme: Theme::MONO,
            },
            f.area(),
        )
    })
    .unwrap();
    let buf = t.backend().buffer();
    let cells: Vec<_> = buf.content().iter().collect();
    assert!(cells.iter().all(|c| c.fg == Color::Reset));
    let bold_dots = cells
        .iter()
        .filter(|c| {
            c.modifier.contains(Modifier::BOLD)
                && c.symbol()
                    .chars()
                    .any(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
        })
        .count();
    assert!(bold_dots > 0, "the selected route is bold");
    insta::assert_snapshot!(t.backend());
}

fn timeline(theme: Theme, now: Option<u32>) -> Terminal<TestBackend> {
    let d = data();
    let state = TimelineState::default();
    let mut t = terminal();
    t.draw(|f| {
        f.render_widget(
            TimelineView {
                data: &d,
                state: &state,
                now,
                theme,
            },
            f.area(),
        )
    })
    .unwrap();
    t
}

#[test]
fn timeline_snapshot() {
    let t = timeline(Theme::COLOR, Some(600));
    let late = t
        .backend()
        .buffer()
        .content()
        .iter()
        .filter(|c| c.fg == Color::Red)
        .count();
    assert!(late > 0, "the late stop is red");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn timeline_without_colour_marks_late_stops() {
    let t = timeline(Theme::MONO, None);
    let text: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains('!'), "a late stop is marked with !");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn optimize_screen_with_a_result_snapshot() {
    let mut o = OptimizeScreen::new(Date::from_yyyymmdd(20251103).unwrap(), Vec::new());
    // Only the running job's events count: start one (request 7) first.
    let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
    o.on_key(&key, &mut || 7);
    let run = crate::actor::Event::OptimizationDone {
        req: 7,
        job: "OPT-1".into(),
        result: json!({
            "routes": [
                {"driver": {"_id": "d1", "name": "Ann Berg"}, "date": 20251103, "distance": 38000,
                 "duration": 300, "stops": [{"eta": 490, "departure": 510}, {"eta": 545}, {"eta": 600, "departure": 620}, {"eta": 650, "departure": 670}]},
                {"driver": {"_id": "d3", "name": "Cid Dunn"}, "date": 20251103, "distance": 12000,
                 "duration": 120, "stops": [{"eta": 560, "departure": 580}]}
            ],
            "unassigned": [{"task": {"uid": "T-HEAVY", "reference": "HEAVY"}, "reason": "capacity",
                            "message": "the task does not fit in any available vehicle"}],
            "totals": {}
        }),
    };
    assert!(o.on_event(&run));
    assert!(matches!(o.stage(), Stage::Done { .. }));
    let d = data();
    let mut t = terminal();
    t.draw(|f| o.render(f, f.area(), &d, Theme::MONO)).unwrap();
    insta::assert_snapshot!(t.backend());
}

#[test]
fn timeline_selection_scrolls_the_rows() {
    let mut s = TimelineState::default();
    for _ in 0..4 {
        s.step(1, 10, 3);
    }
    assert_eq!((s.selected, s.top), (4, 2));
    s.step(-1, 10, 3);
    s.step(-1, 10, 3);
    s.step(-1, 10, 3);
    assert_eq!((s.selected, s.top), (1, 1));
    s.step(20, 10, 3);
    assert_eq!((s.selected, s.top), (9, 7));
}

#[test]
fn map_moves_wrap_routes_and_fit_resets_the_view() {
    let mut m = MapState::default();
    m.apply(MapMove::PrevRoute, 3);
    assert_eq!(m.selected, 2);
    m.apply(MapMove::NextRoute, 3);
    assert_eq!(m.selected, 0);
    m.apply(MapMove::ZoomIn, 3);
    m.apply(MapMove::Pan(1, -1), 3);
    assert!(m.zoom > 1.0 && m.pan.0 > 0.0 && m.pan.1 < 0.0);
    m.apply(MapMove::Fit, 3);
    assert_eq!((m.zoom, m.pan), (1.0, (0.0, 0.0)));
}

#[test]
fn a_cancelled_job_says_so_and_that_nothing_changed() {
    let mut o = OptimizeScreen::new(Date::from_yyyymmdd(20251103).unwrap(), Vec::new());
    let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Enter);
    o.on_key(&key, &mut || 7);
    let cancelled = |req| crate::actor::Event::OptimizationCancelled {
        req,
        job: "OPT-1".into(),
    };
    // Another request's job is not this screen's.
    assert!(!o.on_event(&cancelled(8)));
    assert!(matches!(o.stage(), Stage::Running { .. }));
    assert!(o.on_event(&cancelled(7)));
    assert!(matches!(o.stage(), Stage::Cancelled));
    let d = data();
    let mut t = terminal();
    t.draw(|f| o.render(f, f.area(), &d, Theme::MONO)).unwrap();
    let text = format!("{:?}", t.backend());
    assert!(text.contains("cancelled"), "{text}");
    assert!(text.contains("no route or task was changed"), "{text}");
    assert!(!text.contains("failed"), "{text}");
}
