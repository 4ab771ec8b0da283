//! The proof-of-delivery view driven through `App::update` with the real actor on a demo
//! sandbox: a completed task's proof with its recipient and GPS distance, and a task
//! without one.

mod common;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use elogii_console::actor::{self, ActorOptions, Event};
use elogii_console::api::model::{Date, ProofOfDelivery};
use elogii_console::sandbox::demo::DemoOptions;
use elogii_console::tui::keymap::Keymap;
use elogii_console::tui::screens::pod::PodState;
use elogii_console::tui::{App, Context, Effect, Msg, Theme};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use common::{Http, client, start_with, task};

/// The demo's today; its completed deliveries are on the day before.
const TODAY: u32 = 20251103;
const DAY: u32 = 20251102;

struct Console {
    app: App,
    tx: UnboundedSender<actor::Command>,
    rx: UnboundedReceiver<Event>,
}

impl Console {
    fn apply(&mut self, effects: Vec<Effect>) {
        let mut queue = effects;
        while let Some(e) = queue.pop() {
            match e {
                Effect::Send(cmd) => self.tx.send(cmd).expect("actor alive"),
                Effect::BuildRows(job) => {
                    queue.extend(self.app.update(Msg::RowsBuilt(Box::new(job.run()))))
                }
                _ => {}
            }
        }
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn key(&mut self, code: KeyCode) {
        let e = self
            .app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.apply(e);
    }

    /// Feeds actor events to the app until `stop` accepts one. The minute-long guard only
    /// turns a missing event into a failure instead of a hang.
    async fn pump(&mut self, stop: impl Fn(&Event) -> bool) {
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(60), self.rx.recv())
                .await
                .expect("an event in time")
                .expect("actor alive");
            let done = stop(&ev);
            let e = self.app.update(Msg::Actor(Box::new(ev)));
            self.apply(e);
            if done {
                return;
            }
        }
    }

    /// Filters the tasks down to one reference and opens its proof of delivery.
    async fn open_pod(&mut self, reference: &str) {
        self.keys("/");
        self.keys(reference);
        self.key(KeyCode::Enter);
        let selected = self
            .app
            .screen_of(elogii_console::api::paths::Collection::Tasks)
            .current_item()
            .and_then(|t| t["reference"].as_str())
            .map(str::to_string);
        assert_eq!(selected.as_deref(), Some(reference));
        self.keys("p");
        self.pump(|e| matches!(e, Event::PodLoaded { .. } | Event::Failed { key: None, .. }))
            .await;
    }

    fn screen(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        t.draw(|f| self.app.render(f)).expect("draw");
        t.backend().to_string()
    }
}

async fn console() -> (common::TestSandbox, Console, Http) {
    let sb = start_with(|o| {
        o.demo = Some(DemoOptions {
            today: Date::from_yyyymmdd(TODAY).expect("date"),
            scale: None,
            seed: 42,
        })
    })
    .await;
    let http = Http::new(&sb);
    let made = http
        .post(
            "/tasks/createMany",
            json!({"items": [task("TUI-NOPOD", DAY)]}),
        )
        .await;
    assert_eq!(made.status, 200, "{}", made.body);
    let (tx, rx) = actor::spawn(
        client(&sb),
        ActorOptions {
            refresh_interval: None,
            ..ActorOptions::default()
        },
    );
    let ctx = Context {
        theme: Theme::COLOR,
        tz: TimeZone::UTC,
        keymap: Keymap::defaults(),
        profile_label: "SANDBOX".into(),
        read_only: true,
        today: Date::from_yyyymmdd(DAY).expect("date"),
        mouse: false,
    };
    let mut app = App::new(ctx, 120, 40);
    let first = app.start();
    let mut c = Console { app, tx, rx };
    c.apply(first);
    c.pump(|e| matches!(e, Event::Loaded { .. })).await;
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
    c.open_pod(&reference).await;

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
    c.open_pod("TUI-NOPOD").await;
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
