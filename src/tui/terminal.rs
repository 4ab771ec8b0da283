//! Taking over the terminal and giving it back: raw mode, alternate screen, bracketed paste
//! and (optionally) mouse capture. Restoring happens exactly once, whether the console quits,
//! fails or panics.

use std::io::{self, Write};
use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Whether the terminal is currently taken over (shared with the panic hook).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether mouse capture was turned on.
static MOUSE: AtomicBool = AtomicBool::new(false);

type Hook = dyn Fn(&panic::PanicHookInfo<'_>) + Sync + Send + 'static;

/// Holds the terminal; dropping it restores the terminal and the previous panic hook.
pub struct TerminalGuard {
    previous_hook: Arc<Hook>,
}

impl TerminalGuard {
    /// Takes over the terminal and installs a panic hook that restores it before the panic
    /// message is printed.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        let previous_hook: Arc<Hook> = Arc::from(panic::take_hook());
        let chained = Arc::clone(&previous_hook);
        panic::set_hook(Box::new(move |info| {
            restore();
            chained(info);
        }));
        let guard = TerminalGuard { previous_hook };
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        MOUSE.store(mouse, Ordering::SeqCst);
        let mut out = io::stdout();
        execute!(
            out,
            EnterAlternateScreen,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        if mouse {
            execute!(out, EnableMouseCapture)?;
        }
        Ok(guard)
    }
}

/// Gives the terminal back; does nothing when it is not taken (so it runs once).
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    // Best effort: the terminal may already be gone; nothing useful can be done on error.
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        let previous = Arc::clone(&self.previous_hook);
        let _ = panic::take_hook();
        panic::set_hook(Box::new(move |info| previous(info)));
    }
}
