//! The entry point of the console UI (`elogii-console` with no subcommand): resolve the
//! server — the embedded sandbox when nothing is configured — start the actor, run the UI.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::{Context, Result};
use rand::Rng;

use crate::actor::{self, ActorOptions};
use crate::api::client::{ApiKey, Client, ClientConfig, FetchOptions};
use crate::api::model::Date;
use crate::config::{Resolved, ResolvedTarget};
use crate::sandbox::demo::DemoOptions;
use crate::sandbox::{Sandbox, SandboxOptions};
use crate::tui::{self, Session};

/// A key for one run of the embedded sandbox: random, held in memory only.
fn run_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Starts the embedded sandbox on an ephemeral loopback port with the database in the data
/// dir, seeding the demo data on first start.
async fn embedded_sandbox(resolved: &Resolved, key: &str) -> Result<Sandbox> {
    let db_path = resolved.paths.sandbox_db();
    if let Some(dir) = db_path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the data dir {}", dir.display()))?;
    }
    let opts = SandboxOptions {
        db_path,
        api_key: key.to_string(),
        demo: Some(DemoOptions::default()),
        ..SandboxOptions::default()
    };
    Sandbox::start(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), opts)
        .await
        .context("cannot start the embedded sandbox")
}

/// A console session connected to its server, and the embedded sandbox when there is one.
pub struct Connected {
    /// What the UI needs.
    pub session: Session,
    /// The in-process sandbox (stopped by the caller after the UI ends).
    pub sandbox: Option<Sandbox>,
}

/// Connects to the resolved server — starting the embedded sandbox when nothing is
/// configured — and spawns the API actor.
pub async fn connect(resolved: &Resolved, mouse: bool) -> Result<Connected> {
    for w in &resolved.warnings {
        tracing::warn!("{w}");
    }
    let (config, label, sandbox) = match &resolved.target {
        ResolvedTarget::Sandbox => {
            let key = run_key();
            let sandbox = embedded_sandbox(resolved, &key).await?;
            let config = ClientConfig::new(sandbox.base_url(), ApiKey::new(&key));
            (config, "SANDBOX".to_string(), Some(sandbox))
        }
        ResolvedTarget::Remote {
            base_url,
            api_key,
            auth_prefix,
        } => {
            let mut config = ClientConfig::new(base_url.clone(), api_key.clone());
            config.auth_prefix = auth_prefix.clone();
            let label = resolved
                .profile
                .clone()
                .unwrap_or_else(|| "remote".to_string());
            (config, label, None)
        }
    };
    let client = Client::new(ClientConfig {
        connect_timeout: resolved.connect_timeout,
        request_timeout: resolved.request_timeout,
        max_retries: resolved.max_retries,
        ..config
    })
    .context("cannot set up the HTTP client")?;
    let (commands, events) = actor::spawn(
        client,
        ActorOptions {
            read_only: resolved.read_only,
            refresh_interval: resolved.refresh_interval,
            fetch: FetchOptions {
                page_size: resolved.page_size,
                ..FetchOptions::default()
            },
            ..ActorOptions::default()
        },
    );
    let session = Session {
        commands,
        events,
        profile_label: label,
        read_only: resolved.read_only,
        today: Date::today(),
        keymap_overrides: resolved.keys.clone(),
        mouse,
        // One journal per day, so a shift's changes are in one file.
        journal_path: Some(
            resolved
                .paths
                .journal_dir()
                .join(format!("{}.jsonl", Date::today())),
        ),
        save_dir: Some(resolved.paths.pod_dir()),
    };
    Ok(Connected { session, sandbox })
}

/// Runs the terminal console against the resolved server until the user quits.
pub async fn run_tui(resolved: &Resolved, mouse: bool) -> Result<()> {
    let Connected { session, sandbox } = connect(resolved, mouse).await?;
    let outcome = tui::run(session).await;
    if let Some(sb) = sandbox {
        sb.shutdown().await;
    }
    outcome
}
