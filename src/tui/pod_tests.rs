//! The proof-of-delivery view through `App::update`: opening it, what it shows for a proof,
//! a missing proof and a failure, photo navigation, scrolling, and saving the images.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use png::{BitDepth, ColorType};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use crate::actor::{Command, Event, RequestId};
use crate::api::error::ApiError;
use crate::api::model::{Coordinates, PodAction, PodFile, ProofOfDelivery, TaskState};
use crate::api::paths::Collection;

use super::app::App;
use super::context::Context;
use super::msg::{Effect, Msg};
use super::picture::Picture;
use super::picture::tests::encode;
use super::save::save_files;
use super::screens::pod::PodState;
use super::test_fixtures::{self as fx, ctx, draw, key};
use super::theme::Theme;
use super::widgets::halfblock::HALF;

const W: u16 = 120;
const H: u16 = 30;

fn screen_text(t: &Terminal<TestBackend>) -> String {
    t.backend().to_string()
}

/// The Tasks tab with the fixture tasks, the first (ORD-1001, completed) selected.
fn tasks_app(ctx: Context) -> App {
    let mut app = App::new(ctx, W, H);
    app.start();
    let key = app.list_key(Collection::Tasks);
    fx::deliver(&mut app, fx::loaded(key, fx::tasks()));
    app
}

/// Presses `p`; returns the request sent and the task it asks for.
fn open(app: &mut App) -> (RequestId, String) {
    let effects = app.update(key(KeyCode::Char('p')));
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Send(Command::Pod { req, task }) => Some((req, task)),
            _ => None,
        })
        .expect("p asks the actor for the proof of delivery")
}

/// A 40×12 signature: a dark diagonal stroke on white.
fn signature_png() -> Vec<u8> {
    let (w, h) = (40u32, 12u32);
    let mut px = vec![255u8; (w * h) as usize];
    for x in 0..w {
        let y = (x * (h - 1) / (w - 1)) as usize;
        px[y * w as usize + x as usize] = 20;
    }
    encode(w, h, ColorType::Grayscale, BitDepth::Eight, &px, None)
}

fn photo_png(rgb: [u8; 3]) -> Vec<u8> {
    let data: Vec<u8> = (0..8 * 6).flat_map(|_| rgb).collect();
    encode(8, 6, ColorType::Rgb, BitDepth::Eight, &data, None)
}

fn inline(png: &[u8], caption: &str) -> PodFile {
    PodFile {
        mime_type: Some("image/png".into()),
        data: Some(BASE64.encode(png)),
        caption: Some(caption.into()),
        ..PodFile::default()
    }
}

/// A completed delivery about 30 m north of the fixture stop (-0.57, 51.24).
fn pod() -> ProofOfDelivery {
    ProofOfDelivery {
        segment: Some("delivery".into()),
        state: Some(TaskState::COMPLETED),
        // 2025-08-22 08:32:00 UTC
        completed_at: Some(1_755_851_520),
        recipient_name: Some("Jane Smith".into()),
        notes: Some("Handed to Jane Smith".into()),
        signature: Some(inline(&signature_png(), "Signature")),
        photos: Some(vec![
            inline(&photo_png([200, 30, 30]), "Parcel at the door"),
            inline(&photo_png([30, 30, 200]), "Porch"),
        ]),
        location: Some(Coordinates::new(-0.57, 51.24027)),
        actions: Some(vec![PodAction {
            kind: Some(4),
            type_text: Some("comment".into()),
            value: Some("Handed to Jane Smith".into()),
            timestamp: Some(1_755_851_520),
            ..PodAction::default()
        }]),
        ..ProofOfDelivery::default()
    }
}

fn loaded(req: RequestId, pod: ProofOfDelivery) -> Msg {
    Msg::Actor(Box::new(Event::PodLoaded {
        req,
        pod: Box::new(pod),
    }))
}

fn failed(req: RequestId, error: ApiError) -> Msg {
    Msg::Actor(Box::new(Event::Failed {
        req,
        key: None,
        error,
    }))
}

#[test]
fn p_on_a_task_shows_its_proof_with_the_signature_drawn_in_half_blocks() {
    let mut app = tasks_app(ctx());
    let selected_id = app
        .screen_of(Collection::Tasks)
        .current_item()
        .and_then(|t| t["_id"].as_str())
        .map(str::to_string);
    let (req, task) = open(&mut app);
    assert_eq!(Some(task), selected_id);
    assert!(screen_text(&draw(&app)).contains("Loading the proof of delivery of ORD-1001"));

    fx::deliver(&mut app, loaded(req, pod()));
    let view = app.pod_view().expect("open");
    let d = view.distance_m().expect("distance");
    assert!((25.0..35.0).contains(&d), "{d}");
    let t = draw(&app);
    let text = screen_text(&t);
    for want in [
        "Proof of delivery · ORD-1001",
        "Completed · delivery",
        "2025-08-22 08:32",
        "Jane Smith",
        "m from the stop",
        "comment: Handed to Jane Smith",
        "40×12 PNG",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // The stroke's first pixel (dark) sits in the upper half of the first image cell.
    let buf = t.backend().buffer();
    let cell = buf
        .content()
        .iter()
        .find(|c| c.symbol() == HALF)
        .expect("the signature is drawn");
    assert!(
        matches!(cell.fg, Color::Rgb(r, _, _) if r < 200),
        "{cell:?}"
    );
    assert!(matches!(cell.bg, Color::Rgb(255, 255, 255)), "{cell:?}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn without_colour_or_with_a_broken_image_a_text_line_stands_in() {
    let mut app = tasks_app(Context {
        theme: Theme::MONO,
        ..ctx()
    });
    let (req, _) = open(&mut app);
    fx::deliver(&mut app, loaded(req, pod()));
    let text = screen_text(&draw(&app));
    assert!(!text.contains(HALF), "{text}");
    assert!(
        text.contains("signature: 40×12 PNG, not drawn without colours (NO_COLOR)"),
        "{text}"
    );

    let mut app = tasks_app(ctx());
    let (req, _) = open(&mut app);
    let mut broken = pod();
    let mut png = signature_png();
    png.truncate(40);
    broken.signature = Some(inline(&png, "Signature"));
    broken.photos = None;
    fx::deliver(&mut app, loaded(req, broken));
    let text = screen_text(&draw(&app));
    assert!(
        text.contains("signature: 40×12 PNG, could not be shown: not a readable PNG"),
        "{text}"
    );
}

#[test]
fn a_task_without_proof_says_so_and_errors_can_be_retried() {
    let mut app = tasks_app(ctx());
    let (req, _) = open(&mut app);
    app.update(failed(
        req,
        ApiError::NotFound {
            message: "task T-1 has no proof of delivery (state: Created)".into(),
        },
    ));
    assert!(matches!(
        app.pod_view().unwrap().state(),
        PodState::Missing(_)
    ));
    let text = screen_text(&draw(&app));
    assert!(text.contains("No proof of delivery for ORD-1001"), "{text}");
    assert!(app.toasts().is_empty(), "a missing proof is not an error");

    // An empty answer is the same as none.
    let (req, _) = open(&mut app);
    fx::deliver(&mut app, loaded(req, ProofOfDelivery::default()));
    assert!(screen_text(&draw(&app)).contains("No proof of delivery for ORD-1001"));

    // A network error is shown in the view; ctrl-r asks again, and so does p.
    let (req, _) = open(&mut app);
    app.update(failed(req, ApiError::Network("connection refused".into())));
    let text = screen_text(&draw(&app));
    assert!(
        text.contains("Could not load the proof of delivery of ORD-1001"),
        "{text}"
    );
    assert!(text.contains("network error: connection refused"), "{text}");
    let again = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    let retry = again
        .iter()
        .find_map(|e| match e {
            Effect::Send(Command::Pod { req, .. }) => Some(*req),
            _ => None,
        })
        .expect("ctrl-r retries");
    fx::deliver(&mut app, loaded(retry, pod()));
    assert!(app.pod_view().unwrap().pod().is_some());

    // p again reloads; a late answer to the older request is not shown.
    let (newer, _) = open(&mut app);
    assert_ne!(newer, retry);
    fx::deliver(&mut app, loaded(retry, pod()));
    assert!(matches!(app.pod_view().unwrap().state(), PodState::Loading));

    // Esc closes the view and stops its request.
    let effects = app.update(key(KeyCode::Esc));
    assert!(app.pod_view().is_none());
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Send(Command::Cancel { req }) if *req == newer))
    );
}

#[test]
fn photos_are_browsed_and_a_tall_view_scrolls() {
    let mut app = tasks_app(ctx());
    let (req, _) = open(&mut app);
    fx::deliver(&mut app, loaded(req, pod()));
    let photo = |a: &App| a.pod_view().unwrap().photo();
    assert!(screen_text(&draw(&app)).contains("Photo 1/2"));
    app.update(key(KeyCode::Right));
    assert_eq!(photo(&app), 1);
    app.update(key(KeyCode::Tab));
    assert_eq!(photo(&app), 0, "wraps around");
    app.update(key(KeyCode::Left));
    assert_eq!(photo(&app), 1);
    assert_eq!(
        app.active_collection(),
        Collection::Tasks,
        "Tab browses photos, not tabs"
    );

    // A short terminal: the proof no longer fits.
    let small = |a: &App| {
        let mut t = Terminal::new(TestBackend::new(W, 18)).unwrap();
        t.draw(|f| a.render(f)).unwrap();
        screen_text(&t)
    };
    app.update(Msg::Resize {
        width: W,
        height: 18,
    });
    let top = small(&app);
    assert!(!top.contains("Photo 2/2"), "{top}");
    app.update(key(KeyCode::Char('G')));
    let bottom = small(&app);
    assert_ne!(top, bottom, "the view scrolled");
    assert!(bottom.contains("Photo 2/2"), "{bottom}");
    app.update(key(KeyCode::Char('g')));
    app.update(key(KeyCode::Char('g')));
    assert_eq!(small(&app), top);

    // The mouse wheel scrolls the view too.
    app.update(Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 10,
        row: 10,
        modifiers: KeyModifiers::NONE,
    }));
    assert_ne!(small(&app), top, "the wheel scrolled");

    // Help and quit still work from the view.
    app.update(key(KeyCode::Char('?')));
    assert!(app.popup().is_some());
    app.update(key(KeyCode::Esc));
    assert!(
        app.pod_view().is_some(),
        "Esc closed the help, not the view"
    );
    let quit = app.update(key(KeyCode::Char('q')));
    assert!(quit.iter().any(|e| matches!(e, Effect::Quit)));
}

#[test]
fn w_saves_the_signature_and_photos_as_valid_png_files() {
    let mut app = tasks_app(ctx());
    let (req, _) = open(&mut app);
    fx::deliver(&mut app, loaded(req, pod()));
    let effects = app.update(key(KeyCode::Char('w')));
    let files = effects
        .into_iter()
        .find_map(|e| match e {
            Effect::SaveFiles(f) => Some(f),
            _ => None,
        })
        .expect("w asks to save files");
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "ORD-1001-signature.png",
            "ORD-1001-photo-1.png",
            "ORD-1001-photo-2.png"
        ]
    );

    // What the event loop does with the effect, into a temporary data dir.
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("pod");
    let paths = save_files(Some(&dir), &files).expect("written");
    let saved = Picture::from_png(&std::fs::read(&paths[0]).unwrap()).expect("a valid PNG");
    assert_eq!((saved.width(), saved.height()), (40, 12));
    app.update(Msg::Saved(Ok(paths.clone())));
    for p in &paths {
        let want = format!("Saved {}", p.display());
        assert!(app.toasts().iter().any(|t| t.text == want), "{want}");
    }

    app.update(Msg::Saved(Err("cannot write /x: disk full".into())));
    let toast = app.toasts().iter().last().unwrap().text.clone();
    assert!(
        toast.contains("Could not save the images: cannot write /x"),
        "{toast}"
    );
}

#[test]
fn links_are_shown_not_fetched_and_p_outside_tasks_is_refused() {
    let mut app = tasks_app(ctx());
    let (req, _) = open(&mut app);
    let mut p = pod();
    p.signature = None;
    p.photos = Some(vec![PodFile {
        url: Some("https://files.example/p1.jpg".into()),
        mime_type: Some("image/jpeg".into()),
        ..PodFile::default()
    }]);
    fx::deliver(&mut app, loaded(req, p));
    let text = screen_text(&draw(&app));
    assert!(text.contains("https://files.example/p1.jpg"), "{text}");
    assert!(text.contains("does not download"), "{text}");
    let effects = app.update(key(KeyCode::Char('w')));
    assert!(effects.is_empty());
    assert!(
        app.toasts()
            .iter()
            .any(|t| t.text.contains("Nothing to save for ORD-1001"))
    );

    let mut app = tasks_app(ctx());
    app.update(key(KeyCode::Char('2')));
    let effects = app.update(Msg::Action(super::keymap::Action::ProofOfDelivery));
    assert!(effects.is_empty());
    assert!(app.pod_view().is_none());
}

#[test]
fn pictures_are_decoded_off_the_ui_thread_and_a_stale_decode_is_dropped() {
    let mut app = tasks_app(ctx());
    let (req, _) = open(&mut app);
    // The proof's arrival asks the loop to decode its pictures; until they come back the
    // view still says it is loading.
    let mut effects = app.update(loaded(req, pod()));
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Some(Effect::DecodePod(job)) = effects.pop() else {
        panic!("expected a decode job");
    };
    assert!(screen_text(&draw(&app)).contains("Loading the proof of delivery"));
    let decoded = Box::new(job.run());
    // Reloaded (ctrl-r) meanwhile: the pictures of the first request are not shown.
    let again = app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert!(!again.is_empty(), "ctrl-r asks again");
    app.update(Msg::PodDecoded(decoded));
    assert!(app.pod_view().and_then(|v| v.pod()).is_none());
    assert!(screen_text(&draw(&app)).contains("Loading the proof of delivery"));
}
