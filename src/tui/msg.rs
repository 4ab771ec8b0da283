//! What the event loop feeds into [`App::update`](super::app::App::update) and what it
//! asks the loop to do in return.

use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::actor::{Command, Event};

use super::actions::{FileJob, FilesRead};
use super::keymap::Action;
use super::rows::{BuiltRows, RowsJob};
use super::save::FileToSave;
use super::screens::pod::{DecodedPod, PodDecode};

/// An input to the app.
#[derive(Debug)]
pub enum Msg {
    /// A key press from the terminal.
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// A mouse event (only when mouse support is on).
    Mouse(MouseEvent),
    /// The terminal changed size.
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// An action, as if its key had been pressed.
    Action(Action),
    /// An answer from the API actor.
    Actor(Box<Event>),
    /// The API actor stopped answering (its channel closed).
    ActorGone,
    /// Time passed (drives toasts and spinners; sent only while something moves).
    Tick,
    /// Rows of a list were formatted (the answer to [`Effect::BuildRows`]).
    RowsBuilt(Box<BuiltRows>),
    /// Files a form named were read (the answer to [`Effect::ReadFiles`]).
    FilesRead(Box<FilesRead>),
    /// Files were written (the answer to [`Effect::SaveFiles`]): their paths, or why not.
    Saved(Result<Vec<PathBuf>, String>),
    /// A proof's pictures were decoded (the answer to [`Effect::DecodePod`]).
    PodDecoded(Box<DecodedPod>),
}

/// Something for the event loop to do on behalf of the app.
#[derive(Debug)]
pub enum Effect {
    /// Send a command to the API actor.
    Send(Command),
    /// Format the rows of a list off the UI thread, then send [`Msg::RowsBuilt`].
    BuildRows(Box<RowsJob>),
    /// Read files off the UI thread, then send [`Msg::FilesRead`].
    ReadFiles(Box<FileJob>),
    /// Decode a proof's pictures off the UI thread, then send [`Msg::PodDecoded`].
    DecodePod(Box<PodDecode>),
    /// Put text on the clipboard (OSC 52, works over SSH).
    CopyToClipboard(String),
    /// Append a line to the session's journal file (when it has one).
    AppendJournal(String),
    /// Write files into the session's save folder, then send [`Msg::Saved`].
    SaveFiles(Vec<FileToSave>),
    /// Leave the program.
    Quit,
}
