//! The proof-of-delivery view driven through `App::update` with the real actor on a demo
//! sandbox: a completed task's proof with its recipient and GPS distance, and a task
//! without one.

mod common;

use crossterm::event::KeyCode;
use elogii_console::actor::Event;
use elogii_console::api::model::{Date, ProofOfDelivery};
use elogii_console::tui::Theme;
use elogii_console::tui::screens::pod::PodState;
use serde_json::json;

use common::console::Console;
use common::{Http, start_demo, task};

/// The demo's today; its completed deliveries are on the day before.
const TODAY: u32 = 20251103;
const DAY: u32 = 20251102;

/// Filters the tasks down to one reference and opens its proof of delivery.
async fn open_pod(c: &mut Console, reference: &str) {
    c.keys("/");
    c.keys(reference);
    c.key(KeyCode::Enter);
    assert_eq!(c.selected_ref().as_deref(), Some(reference));
    c.keys("p");
    c.pump(|_, e| matches!(e, Event::PodLoaded { .. } | Event::Failed { key: None, .. }))
        .await;
}

async fn console() -> (common::TestSandbox, Console, Http) {
    let sb = start_demo(TODAY).await;
    let http = Http::new(&sb);
    let made = http
        .post(
            "/tasks/createMany",
            json!({"items": [task("TUI-NOPOD", DAY)]}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let c = Console::start_themed(
        &sb,
        Date::from_yyyymmdd(DAY).expect("date"),
        true,
        Theme::COLOR,
    )
    .await;
    (sb, c, http)
}

/// A completed task of the day whose proof names a recipient, and that proof.
async fn signed_delivery(http: &Http) -> (String, ProofOfDelivery) {
    let done = http.get(&format!("/tasks?date={DAY}&state=60")).await;
    for t in done.body.as_array().into_iter().flatten() {
        let (Some(uid), Some(reference)) = (t["uid"].as_str(), t["reference"].as_str()) else {
            continue;
        };
        let answer = http.get(&format!("/tasks/{uid}/pod")).await;
        let pod: ProofOfDelivery = serde_json::from_value(answer.body).expect("POD shape");
        if pod.recipient_name.is_some() && pod.signature.is_some() {
            return (reference.to_string(), pod);
        }
    }
    panic!("no signed delivery on {DAY}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn p_on_a_completed_task_shows_recipient_distance_and_signature() {
    let (_sb, mut c, http) = console().await;
    let (reference, stored) = signed_delivery(&http).await;
    open_pod(&mut c, &reference).await;

    let view = c.app.pod_view().expect("the view is open");
    let pod = view.pod().expect("the proof is shown");
    assert_eq!(pod.recipient_name, stored.recipient_name);
    // The demo driver completes deliveries 5 to 80 m from the stop.
    let d = view.distance_m().expect("a distance from the stop");
    assert!((4.0..=81.0).contains(&d), "{d} m");

    let text = c.screen();
    let recipient = stored.recipient_name.unwrap_or_default();
    assert!(text.contains(&recipient), "{recipient} missing:\n{text}");
    assert!(
        text.contains(&format!("{} m from the stop", d.round())),
        "{text}"
    );
    assert!(text.contains("160×60 PNG"), "{text}");
    assert!(text.contains('▀'), "the signature is drawn:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_without_proof_says_so() {
    let (_sb, mut c, _http) = console().await;
    open_pod(&mut c, "TUI-NOPOD").await;
    assert!(matches!(
        c.app.pod_view().expect("open").state(),
        PodState::Missing(_)
    ));
    let text = c.screen();
    assert!(
        text.contains("No proof of delivery for TUI-NOPOD"),
        "{text}"
    );
    assert!(c.app.toasts().is_empty(), "not an error: {text}");
}
