//! The command line: global flags, subcommands and their dispatch.

mod config_cmd;
mod get;
mod logging;
pub mod output;
mod sandbox_cmd;
mod tui_entry;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::api::client::ApiKey;
use crate::config::{self, API_KEY_ENV, Overrides, Paths};

pub use config_cmd::{set_key, show as show_config};
pub use get::{GetArgs, query_of};
pub use logging::{LogTo, init as init_logging};
pub use sandbox_cmd::SandboxArgs;
pub use tui_entry::{Connected, connect, run_tui};

/// `elogii-console`: a keyboard-driven console for the eLogii delivery API.
#[derive(Parser)]
#[command(name = "elogii-console", version, about, propagate_version = true)]
pub struct Cli {
    /// Flags for every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do (nothing: open the console).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Profile from config.toml.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Server URL (also ELOGII_BASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// API key (also ELOGII_API_KEY, which other users cannot see in the process list).
    #[arg(long, global = true, value_name = "KEY", value_parser = parse_key)]
    pub api_key: Option<ApiKey>,
    /// Refuse every change.
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Let the mouse scroll and select rows in the console.
    #[arg(long, global = true)]
    pub mouse: bool,
    /// Log filter: error, warn, info, debug, trace, or per module (`elogii_console=debug`).
    #[arg(long, global = true, value_name = "FILTER", default_value = "info")]
    pub log_level: String,
}

fn parse_key(s: &str) -> Result<ApiKey, String> {
    Ok(ApiKey::new(s))
}

impl GlobalArgs {
    /// The flags as config overrides.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
            api_key: self.api_key.clone(),
            read_only: self.readonly,
        }
    }
}

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Serve the eLogii-compatible sandbox (for integrators, training and tests).
    Sandbox(SandboxArgs),
    /// Show the paths, profile and server in use; `config set-key` stores a key.
    Config {
        /// What to do (nothing: show).
        #[command(subcommand)]
        action: Option<ConfigAction>,
    },
    /// Print a whole list as a table, CSV or JSON.
    Get(GetArgs),
}

/// `config` subcommands.
#[derive(Subcommand)]
pub enum ConfigAction {
    /// Read an API key from stdin into a 0600 key file for `--profile NAME` (creating the
    /// profile when `--base-url` is given too).
    SetKey,
}

/// Runs the parsed command line and returns the process exit code. Errors print as one
/// line, `error: …`, on stderr.
pub fn main_with(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            let line = format!("{e:#}").replace(['\n', '\r'], " ");
            eprintln!("error: {line}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    let paths = Paths::from_env(&config::process_env)?;
    let global = cli.global;
    match cli.command {
        None => {
            let _guard = logging::init(
                &global.log_level,
                LogTo::File {
                    dir: &paths.log_dir(),
                    name: paths.log_file_name(),
                },
            )?;
            let resolved = config::resolve(&paths, &global.overrides(), &config::process_env)?;
            runtime()?.block_on(run_tui(&resolved, global.mouse))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Config { action: None }) => {
            let resolved = config::resolve(&paths, &global.overrides(), &config::process_env)?;
            show_config(&resolved, &mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Config {
            action: Some(ConfigAction::SetKey),
        }) => {
            set_key(
                &paths,
                &global.overrides(),
                &mut std::io::stdin().lock(),
                &mut std::io::stdout().lock(),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Get(args)) => {
            let resolved = config::resolve(&paths, &global.overrides(), &config::process_env)?;
            let log_dir = paths.log_dir();
            let to = if args.verbose {
                LogTo::Stderr
            } else {
                LogTo::File {
                    dir: &log_dir,
                    name: paths.log_file_name(),
                }
            };
            // A log file that cannot be opened must not stop a read-only listing.
            let _guard = match logging::init(&global.log_level, to) {
                Ok(g) => Some(g),
                Err(e) if !args.verbose => {
                    eprintln!("warning: {e:#}; continuing without a log");
                    None
                }
                Err(e) => return Err(e),
            };
            for w in &resolved.warnings {
                eprintln!("warning: {w}");
            }
            runtime()?.block_on(get::run(&args, &resolved))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sandbox(args)) => {
            let _guard = logging::init(&global.log_level, LogTo::Stderr)?;
            let key = global
                .api_key
                .clone()
                .or_else(|| config::process_env(API_KEY_ENV).map(ApiKey::new));
            runtime()?.block_on(sandbox_cmd::run(&args, key, &paths))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_flags_work_after_the_subcommand() {
        let cli = Cli::parse_from([
            "elogii-console",
            "get",
            "tasks",
            "--api-key",
            "flag-key-secret",
            "--readonly",
            "-o",
            "csv",
        ]);
        assert!(cli.global.readonly);
        assert_eq!(
            cli.global.api_key.as_ref().map(ApiKey::expose),
            Some("flag-key-secret")
        );
        assert!(!format!("{:?}", cli.global).contains("flag-key-secret"));
    }
}
