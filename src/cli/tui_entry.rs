//! The entry point of the console UI (`elogii-console` with no subcommand).

use std::process::ExitCode;

use super::GlobalArgs;

/// Runs the terminal console. The UI lives on its own branch; this build has the client,
/// the actor and the CLI only, and says so.
pub fn run_tui(_args: &GlobalArgs) -> ExitCode {
    eprintln!("error: the console UI is not built in this branch");
    ExitCode::FAILURE
}
