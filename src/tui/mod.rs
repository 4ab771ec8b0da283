//! The terminal console: tabs for every collection over one generic screen, driven by a
//! pure [`App::update`] and an event loop that owns the terminal and the actor channels.

pub mod actions;
pub mod activity;
pub mod app;
pub mod commands;
pub mod context;
pub mod filter;
pub mod jump_history;
pub mod keymap;
pub mod layout;
pub mod msg;
pub mod osc52;
pub mod picture;
pub mod plan;
pub mod popup;
pub mod resource;
pub mod resources;
pub mod route_view;
pub mod rows;
pub mod save;
pub mod screens;
pub mod terminal;
pub mod theme;
pub mod value_fmt;
pub mod widgets;

#[cfg(test)]
mod actions_tests;
#[cfg(test)]
mod jump_tests;
#[cfg(test)]
mod pod_tests;
#[cfg(test)]
mod route_actions_tests;
#[cfg(test)]
mod snapshot_tests;
#[cfg(test)]
pub(crate) mod test_fixtures;
#[cfg(test)]
mod update_tests;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use futures::StreamExt;
use jiff::tz::TimeZone;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tokio::time::MissedTickBehavior;

use crate::actor::{Command, Event};
use crate::api::model::Date;
use rows::BuiltRows;

pub use app::App;
pub use context::Context;
pub use keymap::{Keymap, markdown_table};
pub use msg::{Effect, Msg};
pub use theme::Theme;

/// Everything the console needs from the outside.
#[derive(Debug)]
pub struct Session {
    /// Requests to the API actor.
    pub commands: UnboundedSender<Command>,
    /// Answers from the API actor.
    pub events: UnboundedReceiver<Event>,
    /// Profile label for the status bar (`SANDBOX`, `prod`).
    pub profile_label: String,
    /// Whether mutations are disabled.
    pub read_only: bool,
    /// Today's date (the first working date).
    pub today: Date,
    /// `[keys]` overrides from the config: action name → key(s).
    pub keymap_overrides: BTreeMap<String, String>,
    /// Whether to capture the mouse (scroll, click to select).
    pub mouse: bool,
    /// Where the activity journal is appended (JSON lines); `None` keeps no journal.
    pub journal_path: Option<PathBuf>,
    /// Where proof-of-delivery images are saved; `None` refuses to save.
    pub save_dir: Option<PathBuf>,
}

/// How often time passes for toasts and spinners (only while something moves).
const TICK: Duration = Duration::from_millis(250);
/// Most waiting messages handled before the next frame is drawn.
const BATCH: usize = 256;

type Term = Terminal<CrosstermBackend<Box<dyn io::Write + Send>>>;

/// The UI context of a session, with the keymap's start-up warnings (also logged).
pub fn context(
    profile_label: String,
    read_only: bool,
    today: Date,
    keymap_overrides: &BTreeMap<String, String>,
    mouse: bool,
) -> (Context, Vec<String>) {
    let (keymap, warnings) = Keymap::with_overrides(keymap_overrides);
    for w in &warnings {
        tracing::warn!("{w}");
    }
    let ctx = Context {
        theme: Theme::from_env(),
        tz: TimeZone::system(),
        keymap,
        profile_label,
        read_only,
        today,
        mouse,
    };
    (ctx, warnings)
}

/// Runs the console until the user quits. The terminal is restored on return, on error
/// and on panic.
pub async fn run(session: Session) -> anyhow::Result<()> {
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
    let (ctx, warnings) = context(profile_label, read_only, today, &keymap_overrides, mouse);
    let guard = terminal::TerminalGuard::enter(mouse)?;
    let files = Files {
        journal: journal_path,
        save_dir,
    };
    let result = event_loop(ctx, warnings, &commands, &mut events, files).await;
    drop(guard);
    // The actor may already be gone; there is nothing left to tell it then.
    let _ = commands.send(Command::Shutdown);
    result
}

async fn event_loop(
    ctx: Context,
    warnings: Vec<String>,
    commands: &UnboundedSender<Command>,
    events: &mut UnboundedReceiver<Event>,
    files: Files,
) -> anyhow::Result<()> {
    // No `terminal.clear()`: it asks the terminal for the cursor position, which some
    // terminals never answer; the guard already cleared the fresh alternate screen.
    let out: Box<dyn io::Write + Send> = match terminal::shield_stdout() {
        Ok(tty) => Box::new(tty),
        Err(e) => {
            tracing::warn!("cannot shield stdout, stray prints may show: {e}");
            Box::new(io::stdout())
        }
    };
    let mut terminal = Terminal::new(CrosstermBackend::new(out))?;
    let size = terminal.size()?;
    let mut app = App::new(ctx, size.width, size.height);
    for w in warnings {
        app.warn(w);
    }
    // Rows of big lists are formatted on blocking threads and come back through here.
    let (built_tx, mut built_rx) = tokio::sync::mpsc::unbounded_channel();
    // Answers of effects done off the UI thread (files written or read) come back here.
    let (back_tx, mut back_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut io = Io {
        commands,
        built: built_tx,
        back: back_tx,
        terminal: &mut terminal,
        files,
    };
    let first = app.start();
    if io.apply(first)? {
        return Ok(());
    }
    // `ready_chunks` hands over every key already typed at once, so a burst costs one frame.
    // (Polling the stream outside the select with a dummy waker would lose its wake-ups.)
    let mut input = EventStream::new().ready_chunks(BATCH);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut actor_open = true;
    loop {
        if app.take_dirty() {
            draw(io.terminal, &app)?;
        }
        let mut batch: Vec<Msg> = tokio::select! {
            evs = input.next() => match evs {
                Some(evs) => evs
                    .into_iter()
                    .filter_map(|ev| match ev {
                        Ok(e) => terminal_msg(e),
                        Err(e) => {
                            tracing::warn!("reading the terminal failed: {e}");
                            None
                        }
                    })
                    .collect(),
                // The terminal is gone: nothing more can be shown or typed.
                None => return Ok(()),
            },
            ev = events.recv(), if actor_open => vec![match ev {
                Some(e) => Msg::Actor(Box::new(e)),
                None => {
                    actor_open = false;
                    Msg::ActorGone
                }
            }],
            Some(rows) = built_rx.recv() => vec![Msg::RowsBuilt(Box::new(rows))],
            Some(msg) = back_rx.recv() => vec![msg],
            _ = tick.tick(), if app.wants_tick() => vec![Msg::Tick],
        };
        // Take the actor's answers already waiting too before drawing.
        while actor_open && batch.len() < BATCH {
            match events.try_recv() {
                Ok(e) => batch.push(Msg::Actor(Box::new(e))),
                Err(_) => break,
            }
        }
        for msg in batch {
            if io.apply(app.update(msg))? {
                return Ok(());
            }
        }
    }
}

/// Turns a terminal event into a message (key releases and focus changes are dropped).
fn terminal_msg(e: TermEvent) -> Option<Msg> {
    match e {
        TermEvent::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(k)),
        TermEvent::Paste(s) => Some(Msg::Paste(s)),
        TermEvent::Mouse(m) => Some(Msg::Mouse(m)),
        TermEvent::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

/// The files of a session: its journal and the folder images are saved into.
struct Files {
    journal: Option<PathBuf>,
    save_dir: Option<PathBuf>,
}

/// Where effects go: the actor, the row formatters, the terminal, the files.
struct Io<'a> {
    commands: &'a UnboundedSender<Command>,
    built: UnboundedSender<BuiltRows>,
    back: UnboundedSender<Msg>,
    terminal: &'a mut Term,
    files: Files,
}

impl Io<'_> {
    /// Carries out effects; true when the console should quit.
    fn apply(&mut self, effects: Vec<Effect>) -> io::Result<bool> {
        for effect in effects {
            match effect {
                Effect::Send(cmd) => {
                    if self.commands.send(cmd).is_err() {
                        tracing::warn!("the API actor is gone; a command was dropped");
                    }
                }
                Effect::BuildRows(job) => {
                    let tx = self.built.clone();
                    tokio::task::spawn_blocking(move || {
                        // The loop may have ended meanwhile; then nobody needs the rows.
                        let _ = tx.send(job.run());
                    });
                }
                Effect::CopyToClipboard(text) => {
                    let out = self.terminal.backend_mut();
                    out.write_all(osc52::sequence(&text).as_bytes())?;
                    out.flush()?;
                }
                Effect::AppendJournal(line) => {
                    if let Some(path) = &self.files.journal
                        && let Err(e) = append_line(path, &line)
                    {
                        tracing::warn!("cannot write the journal {}: {e}", path.display());
                    }
                }
                Effect::SaveFiles(files) => {
                    let dir = self.files.save_dir.clone();
                    let tx = self.back.clone();
                    tokio::task::spawn_blocking(move || {
                        let result =
                            save::save_files(dir.as_deref(), &files).map_err(|e| e.to_string());
                        // The loop may have ended meanwhile; then nobody waits for the answer.
                        let _ = tx.send(Msg::Saved(result));
                    });
                }
                Effect::DecodePod(job) => {
                    let tx = self.back.clone();
                    tokio::task::spawn_blocking(move || {
                        // As above: a closed loop needs no pictures.
                        let _ = tx.send(Msg::PodDecoded(Box::new(job.run())));
                    });
                }
                Effect::ReadFiles(job) => {
                    let tx = self.back.clone();
                    tokio::task::spawn_blocking(move || {
                        // As above: a closed loop needs no answer.
                        let _ = tx.send(Msg::FilesRead(Box::new(job.run())));
                    });
                }
                Effect::Quit => return Ok(true),
            }
        }
        Ok(false)
    }
}

/// Appends one line to a file, creating it and its folder when missing.
fn append_line(path: &std::path::Path, line: &str) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{line}")
}

/// Draws one frame inside a synchronized update, so slow links never show half a frame.
fn draw(terminal: &mut Term, app: &App) -> io::Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| app.render(f))?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}
