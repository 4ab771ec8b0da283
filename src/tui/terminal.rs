//! Taking over the terminal and giving it back: raw mode, alternate screen, bracketed paste
//! and (optionally) mouse capture. Restoring happens exactly once, whether the console quits,
//! fails or panics.

use std::fs::File;
use std::io::{self, Write};
use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

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
/// The terminal's descriptor saved while stdout is shielded (-1 when not shielded).
static SAVED_STDOUT: AtomicI32 = AtomicI32::new(-1);

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

/// Points file descriptor 1 at /dev/null and returns a writer on the real terminal.
///
/// Libraries that print to stdout (the optimizer's problem reader does, and the embedded
/// sandbox runs in this process) would otherwise scribble over the screen. Only the
/// console's own backend writes to the terminal while it runs.
#[cfg(unix)]
pub fn shield_stdout() -> io::Result<File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    // SAFETY: dup/dup2 on descriptor 1 and descriptors we own; results are checked.
    unsafe {
        let saved = libc::dup(1);
        if saved < 0 {
            return Err(io::Error::last_os_error());
        }
        let writer = libc::dup(saved);
        if writer < 0 {
            libc::close(saved);
            return Err(io::Error::last_os_error());
        }
        let null = std::fs::OpenOptions::new().write(true).open("/dev/null")?;
        if libc::dup2(null.as_raw_fd(), 1) < 0 {
            libc::close(saved);
            libc::close(writer);
            return Err(io::Error::last_os_error());
        }
        SAVED_STDOUT.store(saved, Ordering::SeqCst);
        Ok(File::from_raw_fd(writer))
    }
}

/// Where the console draws when stdout cannot be shielded.
#[cfg(not(unix))]
pub fn shield_stdout() -> io::Result<File> {
    Err(io::Error::other("stdout shielding needs unix"))
}

/// Puts the terminal back on descriptor 1 (once).
fn unshield_stdout() {
    let saved = SAVED_STDOUT.swap(-1, Ordering::SeqCst);
    #[cfg(unix)]
    if saved >= 0 {
        // SAFETY: `saved` is the descriptor dup'ed in `shield_stdout`, closed only here.
        unsafe {
            libc::dup2(saved, 1);
            libc::close(saved);
        }
    }
    #[cfg(not(unix))]
    let _ = saved;
}

/// Gives the terminal back; does nothing when it is not taken (so it runs once).
pub fn restore() {
    unshield_stdout();
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
