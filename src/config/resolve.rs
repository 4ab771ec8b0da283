//! Which server, which key and which settings: command-line flags, the environment and the
//! profile, resolved into one [`Resolved`].
//!
//! Order, highest first: `--base-url` / `--api-key`; the profile named by `--profile`;
//! `ELOGII_BASE_URL` / `ELOGII_API_KEY`; the `default_profile`. Nothing at all means the
//! embedded sandbox. A profile's key is only ever sent to that profile's own `base_url`:
//! when the URL comes from elsewhere, the key must too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::file::{ConfigFile, Profile};
use super::keyfile::{loose_mode_warning, read_key_file};
use super::{ConfigError, EnvLookup, Paths};
use crate::api::client::{ApiKey, ClientConfig, FetchOptions, RetryPolicy};

/// Environment variable with the server URL.
pub const BASE_URL_ENV: &str = "ELOGII_BASE_URL";
/// Environment variable with the API key.
pub const API_KEY_ENV: &str = "ELOGII_API_KEY";
/// The eLogii API, used when a key is given without a URL.
pub const DEFAULT_BASE_URL: &str = "https://api-35.elogii.com";
/// Seconds between refreshes when the profile does not say.
pub const DEFAULT_REFRESH_SECS: u64 = 30;

/// What the command line asked for.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--api-key`.
    pub api_key: Option<ApiKey>,
    /// `--readonly`.
    pub read_only: bool,
}

/// How the active profile was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileChoice {
    /// `--profile`.
    Flag,
    /// `default_profile` in the config file.
    Default,
    /// No profile.
    None,
}

/// The server to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedTarget {
    /// Nothing configured: the console starts its own sandbox.
    Sandbox,
    /// A configured server.
    Remote {
        /// Server URL.
        base_url: String,
        /// The key.
        api_key: ApiKey,
        /// Word before the key in the `Authorization` header.
        auth_prefix: Option<String>,
    },
}

/// Everything resolved, ready for the client, the actor and the UI.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The directories in use.
    pub paths: Paths,
    /// Whether `config.toml` exists.
    pub config_found: bool,
    /// The active profile.
    pub profile: Option<String>,
    /// How it was chosen.
    pub profile_choice: ProfileChoice,
    /// The server.
    pub target: ResolvedTarget,
    /// Where the URL came from (`--base-url`, `ELOGII_BASE_URL`, `profile prod`, …).
    pub base_url_source: Option<String>,
    /// Where the key came from, never the key.
    pub key_source: Option<String>,
    /// Refuse every change.
    pub read_only: bool,
    /// Refresh watched lists this often (`None`: off).
    pub refresh_interval: Option<Duration>,
    /// Items per page.
    pub page_size: u64,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Whole-request timeout.
    pub request_timeout: Duration,
    /// Retries of safe requests.
    pub max_retries: u32,
    /// Keymap overrides from `[keys]`.
    pub keys: BTreeMap<String, String>,
    /// Things the user should fix (loose key-file modes, …).
    pub warnings: Vec<String>,
}

impl Resolved {
    /// A client config for a remote target; `None` for the sandbox.
    pub fn client_config(&self) -> Option<ClientConfig> {
        match &self.target {
            ResolvedTarget::Sandbox => None,
            ResolvedTarget::Remote {
                base_url,
                api_key,
                auth_prefix,
            } => {
                let mut c = ClientConfig::new(base_url.clone(), api_key.clone());
                c.auth_prefix = auth_prefix.clone();
                c.connect_timeout = self.connect_timeout;
                c.request_timeout = self.request_timeout;
                c.max_retries = self.max_retries;
                Some(c)
            }
        }
    }

    /// Paging for whole-list fetches.
    pub fn fetch_options(&self) -> FetchOptions {
        FetchOptions {
            page_size: self.page_size,
            ..FetchOptions::default()
        }
    }
}

/// Resolves flags, environment and config file into one [`Resolved`].
pub fn resolve(
    paths: &Paths,
    overrides: &Overrides,
    env: EnvLookup<'_>,
) -> Result<Resolved, ConfigError> {
    let config_path = paths.config_file();
    let config_found = config_path.exists();
    let cfg = ConfigFile::load(&config_path)?;
    let mut warnings = Vec::new();

    let (name, choice) = match (&overrides.profile, &cfg.default_profile) {
        (Some(n), _) => (Some(n.clone()), ProfileChoice::Flag),
        (None, Some(n)) => (Some(n.clone()), ProfileChoice::Default),
        (None, None) => (None, ProfileChoice::None),
    };
    let profile: Option<&Profile> = match &name {
        Some(n) => Some(
            cfg.profiles
                .get(n)
                .ok_or_else(|| ConfigError::UnknownProfile {
                    name: n.clone(),
                    path: config_path.clone(),
                    known: cfg.profiles.keys().cloned().collect(),
                })?,
        ),
        None => None,
    };
    let explicit = choice == ProfileChoice::Flag;
    let label = name.as_deref().map(|n| format!("profile {n}"));
    let profile_url = profile
        .and_then(|p| p.base_url.clone())
        .filter(|u| !u.trim().is_empty());
    let env_url = env(BASE_URL_ENV);
    let env_key = env(API_KEY_ENV).map(ApiKey::new);

    // The URL: the highest layer that has one.
    let layered_url = [
        (overrides.base_url.clone(), "--base-url".to_string()),
        (
            profile_url.clone().filter(|_| explicit),
            label.clone().unwrap_or_default(),
        ),
        (env_url, BASE_URL_ENV.to_string()),
        (
            profile_url.clone().filter(|_| !explicit),
            label.clone().unwrap_or_default(),
        ),
    ]
    .into_iter()
    .find_map(|(v, src)| v.map(|v| (v, src)));

    // The profile's key goes only to the profile's own URL (or with a profile that names
    // no URL, to whichever URL the user gave).
    let profile_key_allowed = match (&layered_url, &profile_url) {
        (_, None) => true,
        (Some((url, _)), Some(purl)) => same_url(url, purl),
        (None, Some(_)) => true,
    };
    let mut profile_key = || -> Result<Option<(ApiKey, String)>, ConfigError> {
        match (profile, &name) {
            (Some(p), Some(n)) if profile_key_allowed => {
                key_of_profile(paths, &config_path, n, p, env, &mut warnings)
            }
            _ => Ok(None),
        }
    };
    let mut key = overrides
        .api_key
        .clone()
        .filter(|k| !k.is_empty())
        .map(|k| (k, "--api-key".to_string()));
    if key.is_none() && explicit {
        key = profile_key()?;
    }
    if key.is_none() {
        key = env_key
            .filter(|k| !k.is_empty())
            .map(|k| (k, API_KEY_ENV.to_string()));
    }
    if key.is_none() && !explicit {
        key = profile_key()?;
    }

    let (target, base_url_source, key_source) = match (layered_url, key) {
        (None, None) => (ResolvedTarget::Sandbox, None, None),
        (Some((url, _)), None) => return Err(ConfigError::NoKey { base_url: url }),
        (url, Some((api_key, key_src))) => {
            let (base_url, url_src) =
                url.unwrap_or_else(|| (DEFAULT_BASE_URL.to_string(), "default".to_string()));
            (
                ResolvedTarget::Remote {
                    base_url,
                    api_key,
                    auth_prefix: profile
                        .and_then(|p| p.auth_prefix.clone())
                        .filter(|p| !p.trim().is_empty()),
                },
                Some(url_src),
                Some(key_src),
            )
        }
    };

    let get = |f: fn(&Profile) -> Option<u64>| profile.and_then(f);
    let refresh_secs = get(|p| p.refresh_interval_secs).unwrap_or(DEFAULT_REFRESH_SECS);
    let page_size = get(|p| p.page_size).unwrap_or(1000);
    if page_size == 0 {
        return Err(ConfigError::Invalid(format!(
            "{}: page_size must be at least 1",
            label.unwrap_or_default()
        )));
    }
    Ok(Resolved {
        paths: paths.clone(),
        config_found,
        profile: name,
        profile_choice: choice,
        target,
        base_url_source,
        key_source,
        read_only: overrides.read_only || profile.and_then(|p| p.read_only).unwrap_or(false),
        refresh_interval: (refresh_secs > 0).then(|| Duration::from_secs(refresh_secs)),
        page_size,
        connect_timeout: Duration::from_secs(get(|p| p.connect_timeout_secs).unwrap_or(10).max(1)),
        request_timeout: Duration::from_secs(get(|p| p.request_timeout_secs).unwrap_or(60).max(1)),
        max_retries: profile
            .and_then(|p| p.max_retries)
            .unwrap_or(RetryPolicy::default().max_retries),
        keys: cfg.keys.clone(),
        warnings,
    })
}

/// The key a profile names: `api_key_env`, `api_key_file` or `api_key` (at most one), else
/// the file `config set-key` writes, when it exists.
fn key_of_profile(
    paths: &Paths,
    config_path: &Path,
    name: &str,
    p: &Profile,
    env: EnvLookup<'_>,
    warnings: &mut Vec<String>,
) -> Result<Option<(ApiKey, String)>, ConfigError> {
    let bad = |message: String| ConfigError::Key {
        profile: name.to_string(),
        message,
    };
    let sources = [
        p.api_key_env.is_some(),
        p.api_key_file.is_some(),
        p.api_key.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() > 1 {
        return Err(bad(
            "set only one of api_key_env, api_key_file and api_key".into()
        ));
    }
    if let Some(var) = &p.api_key_env {
        let key = env(var)
            .map(ApiKey::new)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| bad(format!("api_key_env names {var}, which is not set")))?;
        return Ok(Some((key, format!("env {var} (profile {name})"))));
    }
    if let Some(file) = &p.api_key_file {
        let path = expand_path(file, &paths.config_dir, env);
        return Ok(Some(read_checked(&path, name, warnings)?));
    }
    if let Some(key) = &p.api_key {
        if key.is_empty() {
            return Err(bad("api_key is empty".into()));
        }
        if let Some(w) = loose_mode_warning(config_path) {
            warnings.push(format!("{w} (it holds an API key)"));
        }
        return Ok(Some((key.clone(), format!("config.toml (profile {name})"))));
    }
    let conventional = paths.key_file(name);
    if conventional.exists() {
        return Ok(Some(read_checked(&conventional, name, warnings)?));
    }
    Ok(None)
}

fn read_checked(
    path: &Path,
    name: &str,
    warnings: &mut Vec<String>,
) -> Result<(ApiKey, String), ConfigError> {
    let key = read_key_file(path)?;
    if key.is_empty() {
        return Err(ConfigError::Key {
            profile: name.to_string(),
            message: format!("{} is empty", path.display()),
        });
    }
    if let Some(w) = loose_mode_warning(path) {
        warnings.push(w);
    }
    Ok((key, format!("file {} (profile {name})", path.display())))
}

/// `~/x` from `$HOME`, relative paths from the config dir.
fn expand_path(p: &Path, config_dir: &Path, env: EnvLookup<'_>) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Some(home) = env("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    if p.is_relative() {
        config_dir.join(p)
    } else {
        p.to_path_buf()
    }
}

fn same_url(a: &str, b: &str) -> bool {
    a.trim().trim_end_matches('/') == b.trim().trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Fixture {
        _dir: tempfile::TempDir,
        paths: Paths,
    }

    fn fixture(config: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths {
            config_dir: dir.path().join("cfg"),
            data_dir: dir.path().join("data"),
        };
        std::fs::create_dir_all(&paths.config_dir).expect("mkdir");
        std::fs::write(paths.config_file(), config).expect("write");
        Fixture { _dir: dir, paths }
    }

    fn run(f: &Fixture, o: &Overrides, env: &[(&str, &str)]) -> Result<Resolved, ConfigError> {
        let map: HashMap<String, String> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        resolve(&f.paths, o, &move |k: &str| map.get(k).cloned())
    }

    fn remote(r: &Resolved) -> (String, String) {
        match &r.target {
            ResolvedTarget::Remote {
                base_url, api_key, ..
            } => (base_url.clone(), api_key.expose().to_string()),
            ResolvedTarget::Sandbox => ("sandbox".into(), String::new()),
        }
    }

    const TWO_PROFILES: &str = r#"
default_profile = "prod"
[profiles.prod]
base_url = "https://prod.example"
api_key_env = "PROD_KEY"
read_only = true
refresh_interval_secs = 0
[profiles.staging]
base_url = "https://staging.example"
api_key = "staging-inline-key"
auth_prefix = "ApiKey"
page_size = 250
"#;

    #[test]
    fn nothing_configured_is_the_sandbox() {
        let f = fixture("");
        let r = run(&f, &Overrides::default(), &[]).expect("resolve");
        assert_eq!(r.target, ResolvedTarget::Sandbox);
        assert_eq!(r.profile_choice, ProfileChoice::None);
        assert_eq!(
            r.refresh_interval,
            Some(Duration::from_secs(DEFAULT_REFRESH_SECS))
        );
    }

    #[test]
    fn default_profile_applies_when_nothing_else_does() {
        let f = fixture(TWO_PROFILES);
        let r = run(&f, &Overrides::default(), &[("PROD_KEY", "prod-key")]).expect("resolve");
        assert_eq!(
            remote(&r),
            ("https://prod.example".into(), "prod-key".into())
        );
        assert!(r.read_only);
        assert_eq!(r.refresh_interval, None);
        assert_eq!(r.profile_choice, ProfileChoice::Default);
    }

    #[test]
    fn env_beats_the_default_profile() {
        let f = fixture(TWO_PROFILES);
        let r = run(
            &f,
            &Overrides::default(),
            &[
                (BASE_URL_ENV, "http://env.example"),
                (API_KEY_ENV, "env-key"),
                ("PROD_KEY", "prod-key"),
            ],
        )
        .expect("resolve");
        assert_eq!(remote(&r), ("http://env.example".into(), "env-key".into()));
        assert_eq!(r.key_source.as_deref(), Some(API_KEY_ENV));
    }

    #[test]
    fn an_explicit_profile_beats_env() {
        let f = fixture(TWO_PROFILES);
        let o = Overrides {
            profile: Some("staging".into()),
            ..Overrides::default()
        };
        let r = run(
            &f,
            &o,
            &[
                (BASE_URL_ENV, "http://env.example"),
                (API_KEY_ENV, "env-key"),
            ],
        )
        .expect("resolve");
        assert_eq!(
            remote(&r),
            (
                "https://staging.example".into(),
                "staging-inline-key".into()
            )
        );
        assert_eq!(r.page_size, 250);
        assert!(!r.read_only);
        match &r.target {
            ResolvedTarget::Remote { auth_prefix, .. } => {
                assert_eq!(auth_prefix.as_deref(), Some("ApiKey"))
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn flags_beat_everything() {
        let f = fixture(TWO_PROFILES);
        let o = Overrides {
            profile: Some("staging".into()),
            base_url: Some("http://flag.example".into()),
            api_key: Some(ApiKey::new("flag-key")),
            read_only: true,
        };
        let r = run(&f, &o, &[(API_KEY_ENV, "env-key")]).expect("resolve");
        assert_eq!(
            remote(&r),
            ("http://flag.example".into(), "flag-key".into())
        );
        assert!(r.read_only);
    }

    #[test]
    fn a_profile_key_never_goes_to_another_url() {
        let f = fixture(TWO_PROFILES);
        let o = Overrides {
            base_url: Some("http://elsewhere.example".into()),
            ..Overrides::default()
        };
        let e = run(&f, &o, &[("PROD_KEY", "prod-key")]).unwrap_err();
        assert!(matches!(e, ConfigError::NoKey { .. }), "{e}");
        assert!(!e.to_string().contains("prod-key"));
    }

    #[test]
    fn a_key_without_a_url_goes_to_elogii() {
        let f = fixture("");
        let r = run(&f, &Overrides::default(), &[(API_KEY_ENV, "k")]).expect("resolve");
        assert_eq!(remote(&r).0, DEFAULT_BASE_URL);
    }

    #[test]
    fn profile_errors_are_clear() {
        let f = fixture(TWO_PROFILES);
        let o = Overrides {
            profile: Some("nope".into()),
            ..Overrides::default()
        };
        let e = run(&f, &o, &[]).unwrap_err().to_string();
        assert!(e.contains("nope") && e.contains("prod, staging"), "{e}");
        let e = run(&f, &Overrides::default(), &[]).unwrap_err().to_string();
        assert!(e.contains("PROD_KEY"), "{e}");
        let f = fixture("[profiles.x]\nbase_url = \"u\"\napi_key = \"a\"\napi_key_env = \"B\"\n");
        let o = Overrides {
            profile: Some("x".into()),
            ..Overrides::default()
        };
        assert!(matches!(run(&f, &o, &[]), Err(ConfigError::Key { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn key_files_are_read_relative_to_the_config_dir_and_checked() {
        use std::os::unix::fs::PermissionsExt;
        let f = fixture("[profiles.p]\nbase_url = \"http://p\"\napi_key_file = \"p.key\"\n");
        let key_path = f.paths.config_dir.join("p.key");
        std::fs::write(&key_path, "file-key\n").expect("write");
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let o = Overrides {
            profile: Some("p".into()),
            ..Overrides::default()
        };
        let r = run(&f, &o, &[]).expect("resolve");
        assert_eq!(remote(&r).1, "file-key");
        assert!(
            r.warnings.iter().any(|w| w.contains("chmod 600")),
            "{:?}",
            r.warnings
        );
    }

    #[test]
    fn the_set_key_file_is_used_when_the_profile_names_no_key() {
        let f = fixture("[profiles.p]\nbase_url = \"http://p\"\n");
        super::super::write_key_file(&f.paths.key_file("p"), &ApiKey::new("written-key"))
            .expect("write");
        let o = Overrides {
            profile: Some("p".into()),
            ..Overrides::default()
        };
        let r = run(&f, &o, &[]).expect("resolve");
        assert_eq!(remote(&r).1, "written-key");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }
}
