//! Logging with `tracing`: to a file in the data dir (never the terminal while the console
//! UI runs), or to stderr for `get --verbose` and the sandbox server.

use std::path::Path;

use anyhow::{Context, Result};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// Where log lines go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTo<'a> {
    /// Append to `dir/name`.
    File {
        /// Directory (created when missing).
        dir: &'a Path,
        /// File name.
        name: &'a str,
    },
    /// Standard error.
    Stderr,
}

/// Installs the global subscriber at `level` (a `tracing` filter such as `info` or
/// `elogii_console=debug`). Keep the guard alive until exit so buffered lines are written.
pub fn init(level: &str, to: LogTo<'_>) -> Result<WorkerGuard> {
    let filter = EnvFilter::try_new(level)
        .with_context(|| format!("--log-level {level:?} is not a valid log filter"))?;
    let (writer, guard) = match to {
        LogTo::File { dir, name } => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the log dir {}", dir.display()))?;
            let appender = RollingFileAppender::builder()
                .rotation(Rotation::NEVER)
                .filename_prefix(name)
                .build(dir)
                .with_context(|| format!("cannot open the log file in {}", dir.display()))?;
            tracing_appender::non_blocking(appender)
        }
        LogTo::Stderr => tracing_appender::non_blocking(std::io::stderr()),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(matches!(to, LogTo::Stderr) && std::env::var_os("NO_COLOR").is_none())
        .try_init()
        .map_err(|e| anyhow::anyhow!("cannot start logging: {e}"))?;
    Ok(guard)
}
