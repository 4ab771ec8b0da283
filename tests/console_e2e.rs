//! The embedded default end to end: no profile, so the console starts its own sandbox in the
//! data dir, seeds the demo data, loads today's tasks over real HTTP through the actor,
//! filters them, draws them, and quits.

use std::collections::VecDeque;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use elogii_console::api::paths::Collection;
use elogii_console::cli::{Connected, connect};
use elogii_console::config::{self, Overrides, Paths, ResolvedTarget};
use elogii_console::tui::app::App;
use elogii_console::tui::msg::{Effect, Msg};
use elogii_console::tui::{self, Session};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// Runs effects the way the event loop does; true when the app asked to quit.
fn apply(
    app: &mut App,
    effects: Vec<Effect>,
    commands: &UnboundedSender<elogii_console::actor::Command>,
) -> bool {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        match e {
            Effect::Send(c) => {
                let _ = commands.send(c);
            }
            Effect::BuildRows(job) => queue.extend(app.update(Msg::RowsBuilt(Box::new(job.run())))),
            Effect::ReadFiles(job) => queue.extend(app.update(Msg::FilesRead(Box::new(job.run())))),
            Effect::DecodePod(job) => {
                queue.extend(app.update(Msg::PodDecoded(Box::new(job.run()))))
            }
            Effect::CopyToClipboard(_) | Effect::AppendJournal(_) | Effect::SaveFiles(_) => {}
            Effect::Quit => return true,
        }
    }
    false
}

/// Feeds actor events to the app until `done` holds (or 30 s pass).
async fn pump_until(
    app: &mut App,
    events: &mut UnboundedReceiver<elogii_console::actor::Event>,
    commands: &UnboundedSender<elogii_console::actor::Command>,
    done: impl Fn(&App) -> bool,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !done(app) {
        let ev = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the console got its data in time")
            .expect("the actor is alive");
        let fx = app.update(Msg::Actor(Box::new(ev)));
        apply(app, fx, commands);
    }
}

fn key(
    app: &mut App,
    commands: &UnboundedSender<elogii_console::actor::Command>,
    c: KeyCode,
) -> bool {
    let fx = app.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    apply(app, fx, commands)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_default_lists_filters_and_quits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data").display().to_string();
    let cfg = dir.path().join("cfg").display().to_string();
    let env = move |name: &str| match name {
        "ELOGII_CONSOLE_DATA_DIR" => Some(data.clone()),
        "ELOGII_CONSOLE_CONFIG_DIR" => Some(cfg.clone()),
        _ => None,
    };
    let paths = Paths::from_env(&env).expect("paths");
    let resolved = config::resolve(&paths, &Overrides::default(), &env).expect("resolved");
    assert!(
        matches!(resolved.target, ResolvedTarget::Sandbox),
        "nothing configured: the embedded sandbox"
    );

    let Connected { session, sandbox } = connect(&resolved, false).await.expect("connected");
    assert!(
        paths.sandbox_db().exists(),
        "the sandbox database lives in the data dir"
    );
    let Session {
        commands,
        mut events,
        profile_label,
        read_only,
        today,
        keymap_overrides,
        mouse,
        journal_path,
        save_dir,
    } = session;
    assert_eq!(profile_label, "SANDBOX");
    assert!(
        journal_path.is_some_and(|p| p.starts_with(paths.journal_dir())),
        "the activity journal lives in the data dir"
    );
    assert_eq!(
        save_dir,
        Some(paths.pod_dir()),
        "proof-of-delivery images are saved in the data dir"
    );
    let (ctx, warnings) = tui::context(profile_label, read_only, today, &keymap_overrides, mouse);
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut app = App::new(ctx, 140, 40);
    let first = app.start();
    assert!(!apply(&mut app, first, &commands));
    pump_until(&mut app, &mut events, &commands, |a| {
        a.screen_of(Collection::Tasks).has_data()
    })
    .await;
    let (shown, all) = app.screen_of(Collection::Tasks).counts();
    assert!(
        all > 200 && all == shown,
        "today's demo tasks: {shown}/{all}"
    );

    key(&mut app, &commands, KeyCode::Char('/'));
    for c in "state:failed".chars() {
        key(&mut app, &commands, KeyCode::Char(c));
    }
    key(&mut app, &commands, KeyCode::Enter);
    let (failed, all2) = app.screen_of(Collection::Tasks).counts();
    assert_eq!(all2, all);
    assert!(
        failed > 0 && failed < all,
        "state:failed narrows the list: {failed}"
    );
    assert!(
        app.screen_of(Collection::Tasks)
            .visible_items()
            .all(|t| t["state"].as_i64().is_some_and(|s| s == -20 || s == -10)),
        "only failed tasks are shown"
    );

    let mut term = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
    term.draw(|f| app.render(f)).expect("drawn");
    let screen: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("SANDBOX"), "the status bar says SANDBOX");
    assert!(screen.contains("Failed"));

    assert!(
        !key(&mut app, &commands, KeyCode::Esc),
        "Esc clears the filter, it does not quit"
    );
    assert_eq!(app.screen_of(Collection::Tasks).counts(), (all, all));
    assert!(key(&mut app, &commands, KeyCode::Char('q')), "q quits");
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
}
