//! `elogii-console sandbox`: serve the eLogii-compatible sandbox until ctrl-c.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};

use crate::api::client::ApiKey;
use crate::config::Paths;
use crate::sandbox::demo::DemoOptions;
use crate::sandbox::faults::FaultPlan;
use crate::sandbox::{Sandbox, SandboxOptions};

/// The arguments of `sandbox`.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8035")]
    pub listen: SocketAddr,
    /// SQLite database file (created when missing; default: the sandbox db in the data dir).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Inject faults, each with the share of requests it hits, e.g.
    /// '429:0.2,500:0.1,delay=300ms:0.3,drop:0.05'.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// Seed the deterministic demo data set (relative to today) when the database has none.
    #[arg(long)]
    pub demo: bool,
    /// With --demo: also create N unassigned tasks for today, for load tests.
    #[arg(long, value_name = "N")]
    pub demo_scale: Option<usize>,
    /// Take the optimizer's travel times from an OSRM server's `/table` service at this URL.
    #[arg(long, value_name = "URL")]
    pub osrm: Option<String>,
}

/// Starts the sandbox, prints its URL on stdout and serves until ctrl-c. `key` is the key
/// clients must send (`--api-key` or `ELOGII_API_KEY`).
pub async fn run(args: &SandboxArgs, key: Option<ApiKey>, paths: &Paths) -> Result<()> {
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        bail!("the sandbox needs --api-key KEY (or ELOGII_API_KEY): the key its clients must send");
    };
    let faults = match &args.faults {
        Some(spec) => FaultPlan::parse(spec).map_err(|e| anyhow!("--faults: {e}"))?,
        None => FaultPlan::none(),
    };
    let db_path = args.db.clone().unwrap_or_else(|| paths.sandbox_db());
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let opts = SandboxOptions {
        db_path: db_path.clone(),
        api_key: key.expose().to_string(),
        faults: faults.clone(),
        osrm_url: args.osrm.clone(),
        demo: (args.demo || args.demo_scale.is_some()).then(|| DemoOptions {
            scale: args.demo_scale,
            ..DemoOptions::default()
        }),
        ..SandboxOptions::default()
    };
    let sandbox = Sandbox::start(args.listen, opts).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "sandbox listening on {}", sandbox.base_url())?;
        out.flush()?;
    }
    eprintln!(
        "database {}{}; stop with ctrl-c",
        db_path.display(),
        if faults.is_empty() {
            String::new()
        } else {
            ", with injected faults".to_string()
        }
    );
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| anyhow!("cannot wait for ctrl-c: {e}"))?;
    eprintln!("stopping");
    sandbox.shutdown().await;
    Ok(())
}
