//! Where the config file, the data (sandbox database, logs, journal) and key files live.

use std::path::PathBuf;

use super::{ConfigError, EnvLookup};

/// Overrides the config dir (tests, portable installs).
pub const CONFIG_DIR_ENV: &str = "ELOGII_CONSOLE_CONFIG_DIR";
/// Overrides the data dir (tests, portable installs).
pub const DATA_DIR_ENV: &str = "ELOGII_CONSOLE_DATA_DIR";

/// The directories in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `config.toml` and `keys/`.
    pub config_dir: PathBuf,
    /// Holds the sandbox database, logs and the journal.
    pub data_dir: PathBuf,
}

impl Paths {
    /// The platform dirs (`directories`), each overridable by its env variable.
    pub fn from_env(env: EnvLookup<'_>) -> Result<Paths, ConfigError> {
        let project = || directories::ProjectDirs::from("com", "elogii", "elogii-console");
        let config_dir = match env(CONFIG_DIR_ENV) {
            Some(d) => PathBuf::from(d),
            None => project()
                .ok_or(ConfigError::NoDirs)?
                .config_dir()
                .to_path_buf(),
        };
        let data_dir = match env(DATA_DIR_ENV) {
            Some(d) => PathBuf::from(d),
            None => project()
                .ok_or(ConfigError::NoDirs)?
                .data_dir()
                .to_path_buf(),
        };
        Ok(Paths {
            config_dir,
            data_dir,
        })
    }

    /// `config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// Where `config set-key` puts key files.
    pub fn keys_dir(&self) -> PathBuf {
        self.config_dir.join("keys")
    }

    /// The key file of a profile written by `config set-key`.
    pub fn key_file(&self, profile: &str) -> PathBuf {
        self.keys_dir().join(format!("{profile}.key"))
    }

    /// Directory of the log file.
    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }

    /// File name of the log inside [`Paths::log_dir`].
    pub fn log_file_name(&self) -> &'static str {
        "elogii-console.log"
    }

    /// The log file.
    pub fn log_file(&self) -> PathBuf {
        self.log_dir().join(self.log_file_name())
    }

    /// The embedded sandbox's SQLite database.
    pub fn sandbox_db(&self) -> PathBuf {
        self.data_dir.join("sandbox.sqlite3")
    }

    /// The journal of changes made from the console.
    pub fn journal_dir(&self) -> PathBuf {
        self.data_dir.join("journal")
    }

    /// Where proof-of-delivery signatures and photos are saved.
    pub fn pod_dir(&self) -> PathBuf {
        self.data_dir.join("pod")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_win() {
        let env = |k: &str| match k {
            CONFIG_DIR_ENV => Some("/tmp/cfg".to_string()),
            DATA_DIR_ENV => Some("/tmp/data".to_string()),
            _ => None,
        };
        let p = Paths::from_env(&env).expect("paths");
        assert_eq!(p.config_file(), PathBuf::from("/tmp/cfg/config.toml"));
        assert_eq!(p.key_file("prod"), PathBuf::from("/tmp/cfg/keys/prod.key"));
        assert_eq!(
            p.log_file(),
            PathBuf::from("/tmp/data/logs/elogii-console.log")
        );
        assert_eq!(p.sandbox_db(), PathBuf::from("/tmp/data/sandbox.sqlite3"));
    }
}
