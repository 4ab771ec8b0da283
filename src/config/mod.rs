//! Profiles and paths: `config.toml` in the platform config dir, named profiles, the
//! resolution of flags, environment and profile into one target, and key files.

mod file;
mod keyfile;
mod paths;
mod resolve;

use std::path::PathBuf;

use thiserror::Error;

pub use file::{ConfigFile, Profile, append_profile, valid_profile_name};
pub use keyfile::{loose_mode_warning, read_key_file, write_key_file};
pub use paths::{CONFIG_DIR_ENV, DATA_DIR_ENV, Paths};
pub use resolve::{
    API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL, DEFAULT_REFRESH_SECS, Overrides, ProfileChoice,
    Resolved, ResolvedTarget, resolve,
};

/// The process environment, or a map in tests.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads a variable of the real process environment (empty counts as unset).
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// What can go wrong reading or writing configuration. No variant ever holds a key.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// Neither the env overrides nor the platform say where files go.
    #[error(
        "cannot tell where the config and data dirs are: no home directory; set {CONFIG_DIR_ENV} and {DATA_DIR_ENV}"
    )]
    NoDirs,
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// `config.toml` is not valid.
    #[error("{path}, line {line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong (without the text of the line, which may hold a key).
        message: String,
    },
    /// `--profile` or `default_profile` names a profile that is not in the file.
    #[error("no profile {name:?} in {path} (known: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    UnknownProfile {
        /// The name asked for.
        name: String,
        /// The config file.
        path: PathBuf,
        /// Profiles that exist.
        known: Vec<String>,
    },
    /// A profile's key setting cannot give a key.
    #[error("profile {profile:?}: {message}")]
    Key {
        /// The profile.
        profile: String,
        /// What is wrong.
        message: String,
    },
    /// A server was chosen but no key was found for it.
    #[error(
        "no API key for {base_url}: pass --api-key, set {API_KEY_ENV}, or give the profile api_key_env / api_key_file (elogii-console config set-key --profile NAME)"
    )]
    NoKey {
        /// The server.
        base_url: String,
    },
    /// A value given on the command line or in a profile is not usable.
    #[error("{0}")]
    Invalid(String),
}
