//! `config.toml`: named profiles, the default profile and key overrides.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ConfigError;
use crate::api::client::ApiKey;

/// The whole config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The profile used when `--profile` is not given.
    pub default_profile: Option<String>,
    /// Named profiles.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Keymap overrides: action name -> key, read by the console UI.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
}

/// One server and how to reach it.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Scheme, host and optional path prefix.
    pub base_url: Option<String>,
    /// Name of an environment variable holding the key.
    pub api_key_env: Option<String>,
    /// A file holding the key (should be mode 0600); relative paths are from the config dir.
    pub api_key_file: Option<PathBuf>,
    /// The key itself (prefer one of the two above).
    pub api_key: Option<ApiKey>,
    /// Word before the key in the `Authorization` header (`ApiKey`, `Bearer`).
    pub auth_prefix: Option<String>,
    /// Refuse every change.
    pub read_only: Option<bool>,
    /// Seconds between refreshes of the lists on screen; 0 turns it off.
    pub refresh_interval_secs: Option<u64>,
    /// Items per page when loading lists.
    pub page_size: Option<u64>,
    /// Seconds to wait for a connection.
    pub connect_timeout_secs: Option<u64>,
    /// Seconds to wait for a whole request.
    pub request_timeout_secs: Option<u64>,
    /// Retries of requests that are safe to repeat.
    pub max_retries: Option<u32>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ApiKey's own Debug masks the inline key.
        f.debug_struct("Profile")
            .field("base_url", &self.base_url)
            .field("api_key_env", &self.api_key_env)
            .field("api_key_file", &self.api_key_file)
            .field("api_key", &self.api_key)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl ConfigFile {
    /// Reads `path`; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
            Err(source) => Err(ConfigError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Parses config text; errors name the line but never quote it (it may hold a key).
    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                message: e.message().trim().to_string(),
            }
        })
    }
}

/// Whether `name` can be a profile name (also a bare TOML key and a file name).
pub fn valid_profile_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Appends a new `[profiles.NAME]` section to the config file, keeping what is there
/// (comments included) untouched.
pub fn append_profile(path: &Path, name: &str, base_url: &str) -> Result<(), ConfigError> {
    use std::io::Write;
    if !valid_profile_name(name) {
        return Err(ConfigError::Invalid(format!(
            "profile name {name:?} may only hold letters, digits, '-' and '_'"
        )));
    }
    let io = |source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let existing = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(e)),
    };
    let mut section = String::new();
    if !existing.is_empty() && !existing.ends_with('\n') {
        section.push('\n');
    }
    if !existing.is_empty() {
        section.push('\n');
    }
    let url = toml::Value::String(base_url.to_string());
    section.push_str(&format!("[profiles.{name}]\nbase_url = {url}\n"));
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(section.as_bytes()).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_setting() {
        let text = r#"
default_profile = "prod"

[profiles.prod]
base_url = "https://api-35.elogii.com"
api_key_env = "ELOGII_PROD_KEY"
auth_prefix = "ApiKey"
read_only = true
refresh_interval_secs = 15
page_size = 500
connect_timeout_secs = 5
request_timeout_secs = 30
max_retries = 3

[profiles.local]
base_url = "http://127.0.0.1:8035"
api_key = "inline-key"

[keys]
quit = "q"
refresh = "ctrl-r"
"#;
        let c = ConfigFile::parse(text, Path::new("c.toml")).expect("parse");
        assert_eq!(c.default_profile.as_deref(), Some("prod"));
        let p = &c.profiles["prod"];
        assert_eq!(p.api_key_env.as_deref(), Some("ELOGII_PROD_KEY"));
        assert_eq!(p.read_only, Some(true));
        assert_eq!(p.page_size, Some(500));
        assert_eq!(p.max_retries, Some(3));
        assert_eq!(
            c.profiles["local"].api_key.as_ref().map(ApiKey::expose),
            Some("inline-key")
        );
        assert_eq!(c.keys["refresh"], "ctrl-r");
        assert!(!format!("{c:?}").contains("inline-key"));
    }

    #[test]
    fn the_example_config_parses() {
        let text = include_str!("../../config/elogii-console.example.toml");
        let c = ConfigFile::parse(text, Path::new("example.toml")).expect("example parses");
        assert_eq!(c.default_profile.as_deref(), Some("prod"));
        assert_eq!(c.profiles.len(), 3);
        assert_eq!(c.profiles["prod"].read_only, Some(true));
    }

    #[test]
    fn errors_name_the_line_without_quoting_it() {
        let text = "[profiles.x]\nbase_url = \"u\"\napi_key = sk-live-secret\n";
        let e = ConfigFile::parse(text, Path::new("c.toml")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("line 3"), "{msg}");
        assert!(!msg.contains("sk-live-secret"), "{msg}");
    }

    #[test]
    fn unknown_settings_are_refused() {
        let e =
            ConfigFile::parse("[profiles.x]\nbase_ulr = \"u\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("base_ulr"), "{e}");
    }

    #[test]
    fn appending_a_profile_keeps_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "# mine\ndefault_profile = \"a\"").expect("write");
        append_profile(&path, "staging", "https://x.example/\"q\"").expect("append");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("# mine\n"));
        let c = ConfigFile::parse(&text, &path).expect("parse");
        assert_eq!(
            c.profiles["staging"].base_url.as_deref(),
            Some("https://x.example/\"q\"")
        );
        assert!(append_profile(&path, "bad name", "u").is_err());
    }
}
