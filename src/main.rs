//! `elogii-console`: the terminal console, the sandbox server and the `get`/`config` commands.

use std::process::ExitCode;

use clap::Parser;
use elogii_console::cli::{Cli, main_with};

fn main() -> ExitCode {
    main_with(Cli::parse())
}
