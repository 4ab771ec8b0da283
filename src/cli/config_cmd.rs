//! `elogii-console config`: the paths and target in use; `config set-key`: store a key.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, Result, bail};

use crate::api::client::ApiKey;
use crate::config::{
    ConfigFile, Overrides, Paths, ProfileChoice, Resolved, ResolvedTarget, append_profile,
    valid_profile_name, write_key_file,
};

/// Prints the paths in use, the active profile and target; the key is masked.
pub fn show(resolved: &Resolved, out: &mut impl Write) -> Result<()> {
    let p = &resolved.paths;
    let file = p.config_file();
    writeln!(
        out,
        "config file:  {}{}",
        file.display(),
        if resolved.config_found {
            ""
        } else {
            " (not found)"
        }
    )?;
    writeln!(out, "data dir:     {}", p.data_dir.display())?;
    writeln!(out, "log file:     {}", p.log_file().display())?;
    writeln!(out, "sandbox db:   {}", p.sandbox_db().display())?;
    let profile = match (&resolved.profile, resolved.profile_choice) {
        (Some(n), ProfileChoice::Flag) => format!("{n} (from --profile)"),
        (Some(n), _) => format!("{n} (default_profile)"),
        (None, _) => "none".to_string(),
    };
    writeln!(out, "profile:      {profile}")?;
    match &resolved.target {
        ResolvedTarget::Sandbox => {
            writeln!(out, "target:       embedded sandbox (no server configured)")?;
        }
        ResolvedTarget::Remote {
            base_url,
            api_key,
            auth_prefix,
        } => {
            let src = |s: &Option<String>| s.as_deref().unwrap_or("?").to_string();
            writeln!(
                out,
                "target:       {base_url} (from {})",
                src(&resolved.base_url_source)
            )?;
            writeln!(
                out,
                "api key:      {} (from {})",
                api_key.masked(),
                src(&resolved.key_source)
            )?;
            if let Some(prefix) = auth_prefix {
                writeln!(out, "auth header:  Authorization: {prefix} <key>")?;
            }
        }
    }
    writeln!(
        out,
        "read-only:    {}",
        if resolved.read_only { "yes" } else { "no" }
    )?;
    writeln!(
        out,
        "refresh:      {}",
        resolved
            .refresh_interval
            .map(|d| format!("every {}s", d.as_secs()))
            .unwrap_or_else(|| "off".into())
    )?;
    writeln!(out, "page size:    {}", resolved.page_size)?;
    for w in &resolved.warnings {
        writeln!(out, "warning:      {w}")?;
    }
    Ok(())
}

/// Reads a key from stdin and stores it in the profile's 0600 key file; creates the profile
/// when `base_url` is given and it does not exist yet.
pub fn set_key(
    paths: &Paths,
    overrides: &Overrides,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<()> {
    let Some(name) = overrides.profile.as_deref() else {
        bail!("config set-key needs --profile NAME");
    };
    if !valid_profile_name(name) {
        bail!("profile name {name:?} may only hold letters, digits, '-' and '_'");
    }
    let cfg = ConfigFile::load(&paths.config_file())?;
    let existing = cfg.profiles.get(name);
    if existing.is_none() && overrides.base_url.is_none() {
        bail!(
            "no profile {name:?} in {}; pass --base-url URL to create it",
            paths.config_file().display()
        );
    }
    if std::io::stdin().is_terminal() {
        eprint!("API key for profile {name} (then Enter): ");
    }
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("cannot read the key from stdin")?;
    let key = ApiKey::new(line);
    if key.is_empty() {
        bail!("no key on stdin");
    }
    let path = write_key_file(&paths.key_file(name), &key)?;
    writeln!(out, "key stored in {} (mode 0600)", path.display())?;
    match existing {
        None => {
            let url = overrides.base_url.as_deref().unwrap_or_default();
            append_profile(&paths.config_file(), name, url)?;
            writeln!(
                out,
                "profile {name} added to {}",
                paths.config_file().display()
            )?;
        }
        Some(p) if p.api_key_env.is_some() || p.api_key_file.is_some() || p.api_key.is_some() => {
            writeln!(
                out,
                "note: profile {name} names its key with api_key_env, api_key_file or api_key in config.toml, which wins over this file; remove that line to use it"
            )?;
        }
        Some(_) => {}
    }
    Ok(())
}
