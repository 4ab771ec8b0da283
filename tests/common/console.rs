//! The console driven through `App::update` with the real actor on a test sandbox: keys
//! in, commands out to the actor, actor events back in until a condition holds.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use elogii_console::actor::{self, ActorOptions, Event};
use elogii_console::api::model::Date;
use elogii_console::api::paths::Collection;
use elogii_console::tui::keymap::{Action, Keymap};
use elogii_console::tui::{App, Context, Effect, Msg, Theme};
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::{TestSandbox, client};

/// A console on a sandbox.
pub struct Console {
    pub app: App,
    pub tx: UnboundedSender<actor::Command>,
    pub rx: UnboundedReceiver<Event>,
    /// Mutations sent to the actor so far.
    pub mutations: usize,
}

impl Console {
    /// A 120×40 console on `sb` whose today is `today`, after its first list arrived.
    pub async fn start(sb: &TestSandbox, today: Date, read_only: bool) -> Console {
        Console::start_themed(sb, today, read_only, Theme::from_env()).await
    }

    /// As [`Console::start`], drawing with `theme` whatever the environment says.
    pub async fn start_themed(
        sb: &TestSandbox,
        today: Date,
        read_only: bool,
        theme: Theme,
    ) -> Console {
        let (tx, rx) = actor::spawn(
            client(sb),
            ActorOptions {
                refresh_interval: None,
                ..ActorOptions::default()
            },
        );
        let ctx = Context {
            theme,
            tz: TimeZone::UTC,
            keymap: Keymap::defaults(),
            profile_label: "SANDBOX".into(),
            read_only,
            today,
            mouse: false,
        };
        let mut app = App::new(ctx, 120, 40);
        let first = app.start();
        let mut c = Console {
            app,
            tx,
            rx,
            mutations: 0,
        };
        c.apply(first);
        c.pump(|_, e| matches!(e, Event::Loaded { .. })).await;
        c
    }

    /// Carries out the app's effects: commands go to the actor, rows are built at once.
    pub fn apply(&mut self, effects: Vec<Effect>) {
        let mut queue = effects;
        while let Some(e) = queue.pop() {
            match e {
                Effect::Send(cmd) => {
                    if matches!(cmd, actor::Command::Mutate { .. }) {
                        self.mutations += 1;
                    }
                    self.tx.send(cmd).expect("actor alive");
                }
                Effect::BuildRows(job) => {
                    queue.extend(self.app.update(Msg::RowsBuilt(Box::new(job.run()))))
                }
                Effect::ReadFiles(job) => {
                    queue.extend(self.app.update(Msg::FilesRead(Box::new(job.run()))))
                }
                Effect::DecodePod(job) => {
                    queue.extend(self.app.update(Msg::PodDecoded(Box::new(job.run()))))
                }
                _ => {}
            }
        }
    }

    /// Types each character as a key.
    pub fn keys(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// One key press.
    pub fn key(&mut self, code: KeyCode) {
        let e = self
            .app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.apply(e);
    }

    /// One key press with Ctrl held.
    pub fn ctrl(&mut self, c: char) {
        let e = self.app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::CONTROL,
        )));
        self.apply(e);
    }

    /// `n` presses of Tab.
    pub fn tabs(&mut self, n: usize) {
        for _ in 0..n {
            self.key(KeyCode::Tab);
        }
    }

    /// Opens the tab of `c` and waits for its list.
    pub async fn open_tab(&mut self, c: Collection) {
        let tab = Collection::ALL.iter().position(|x| *x == c).expect("a tab") as u8;
        let e = self.app.update(Msg::Action(Action::GoTab(tab)));
        self.apply(e);
        self.pump(|_, e| matches!(e, Event::Loaded { key, .. } if key.collection == c))
            .await;
    }

    /// Sends the form on top and waits for the change to be answered; the form closed.
    pub async fn submit(&mut self) {
        self.key(KeyCode::Enter);
        self.pump(|_, e| matches!(e, Event::Mutated { .. } | Event::Failed { .. }))
            .await;
        assert!(
            self.app.popup().is_none(),
            "the form stayed open: {:?}",
            self.app.popup()
        );
    }

    /// Whether a toast on screen says `text`.
    pub fn toasted(&self, text: &str) -> bool {
        self.app.toasts().iter().any(|t| t.text.contains(text))
    }

    /// The reference of the task selected on the Tasks tab.
    pub fn selected_ref(&self) -> Option<String> {
        let s = self.app.screen_of(Collection::Tasks);
        s.current_item()
            .and_then(|i| i["reference"].as_str())
            .map(str::to_string)
    }

    /// The whole screen as drawn on a 120×40 test terminal.
    pub fn screen(&self) -> String {
        let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        t.draw(|f| self.app.render(f)).expect("draw");
        t.backend().to_string()
    }

    /// Feeds actor events to the app until `stop` accepts one (or the app's state). The
    /// minute-long guard only turns a missing event into a failure instead of a hang.
    pub async fn pump(&mut self, stop: impl Fn(&App, &Event) -> bool) {
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(60), self.rx.recv())
                .await
                .expect("an event in time")
                .expect("actor alive");
            let done = stop(&self.app, &ev);
            let e = self.app.update(Msg::Actor(Box::new(ev)));
            self.apply(e);
            if done {
                return;
            }
        }
    }
}
