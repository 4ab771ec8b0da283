//! `elogii-console get`: a whole list through the client and `fetch_all`, printed for
//! scripts and quick looks over SSH.

use std::io::{self, Write};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::Value;
use tracing::info;

use super::output::{self, Format};
use crate::api::client::{CancelToken, Client, FetchOptions, FetchProgress};
use crate::api::model::Date;
use crate::api::paths::Collection;
use crate::api::query::ListQuery;
use crate::config::{Resolved, ResolvedTarget};

/// The arguments of `get`.
#[derive(Debug, Clone, clap::Args)]
pub struct GetArgs {
    /// Collection: tasks, routes, drivers, vehicles, customers, depots, zones,
    /// driver-schedule-exceptions, route-template-groups, task-template-groups, forms,
    /// form-submissions (or a short alias such as t, r, dr).
    pub collection: String,
    /// Only this date: YYYY-MM-DD, YYYYMMDD, today, tomorrow or yesterday.
    #[arg(long)]
    pub date: Option<String>,
    /// Mongo-style filter as JSON, e.g. '{"state":{"$in":[-20,-10]}}'.
    #[arg(long)]
    pub filter: Option<String>,
    /// Sort by a field; `-field` for descending.
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// At most this many items.
    #[arg(long)]
    pub limit: Option<u64>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Only these fields (comma-separated; `_id` is always included).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Items per page (default: the profile's page_size, else 1000).
    #[arg(long)]
    pub page_size: Option<u64>,
    /// Log requests and retries to stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Builds the list query from the arguments; checks the filter locally.
pub fn query_of(args: &GetArgs, today: Date) -> Result<ListQuery> {
    let mut q = ListQuery::new();
    if let Some(d) = &args.date {
        q = q.date(Date::parse_relative(d, today).map_err(|e| anyhow!("--date: {e}"))?);
    }
    if let Some(f) = &args.filter {
        let v: Value =
            serde_json::from_str(f).map_err(|e| anyhow!("--filter is not valid JSON: {e}"))?;
        if !v.is_object() {
            bail!("--filter must be a JSON object such as '{{\"state\":0}}'");
        }
        q = q.filter(&v);
    }
    if let Some(s) = &args.sort {
        q = q.sort(s.trim());
    }
    if let Some(n) = args.limit {
        q = q.limit(n);
    }
    q.select = args
        .select
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Ok(q)
}

/// Runs `get`: fetches the whole list and prints it to stdout.
pub async fn run(args: &GetArgs, resolved: &Resolved) -> Result<()> {
    let collection = Collection::parse(&args.collection).ok_or_else(|| {
        anyhow!(
            "unknown collection {:?}; use one of {}",
            args.collection,
            Collection::ALL.map(|c| c.name()).join(", ")
        )
    })?;
    let query = query_of(args, Date::today())?;
    let config = match (&resolved.target, resolved.client_config()) {
        (ResolvedTarget::Remote { .. }, Some(c)) => c,
        _ => bail!(
            "no server configured: pass --base-url and --api-key, set ELOGII_BASE_URL and ELOGII_API_KEY, or use --profile NAME"
        ),
    };
    let client = Client::new(config)?;
    let options = FetchOptions {
        page_size: args.page_size.unwrap_or(resolved.page_size).max(1),
        ..FetchOptions::default()
    };
    let cancel = CancelToken::new();
    let on_ctrl_c = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        })
    };
    let mut progress = |p: FetchProgress| {
        info!(loaded = p.loaded, total = ?p.total, "page received");
    };
    let fetched = client
        .fetch_all(collection, &query, &options, &cancel, &mut progress)
        .await;
    on_ctrl_c.abort();
    let items = fetched.with_context(|| format!("get {collection}"))?;
    info!(count = items.len(), "list complete");

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let columns = if query.select.is_empty() {
        output::columns_for(collection)
    } else {
        output::selected_columns(&query.select)
    };
    let written = match args.output {
        Format::Table => output::write_table(&mut out, &columns, &items),
        Format::Csv => output::write_csv(&mut out, &columns, &items),
        Format::Json => output::write_json(&mut out, &items),
    }
    .and_then(|_| out.flush());
    match written {
        // A reader that stops early (`| head`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(extra: &[&str]) -> GetArgs {
        use clap::Parser;
        #[derive(clap::Parser)]
        struct W {
            #[command(flatten)]
            a: GetArgs,
        }
        let mut argv = vec!["x", "tasks"];
        argv.extend_from_slice(extra);
        W::parse_from(argv).a
    }

    #[test]
    fn builds_the_query_from_flags() {
        let today = Date::from_ymd(2025, 8, 22).expect("date");
        let q = query_of(
            &args(&[
                "--date",
                "tomorrow",
                "--filter",
                "{\"state\":-20}",
                "--sort",
                "-reference",
                "--limit",
                "5",
                "--select",
                "reference,uid",
            ]),
            today,
        )
        .expect("query");
        assert_eq!(q.dates, vec![Date::from_ymd(2025, 8, 23).expect("date")]);
        assert_eq!(q.filter.as_deref(), Some("{\"state\":-20}"));
        assert_eq!(q.sort.as_deref(), Some("-reference"));
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.select, ["reference", "uid"]);
    }

    #[test]
    fn refuses_a_bad_filter_or_date_before_sending() {
        let today = Date::from_ymd(2025, 8, 22).expect("date");
        let e = query_of(&args(&["--filter", "{state:"]), today).unwrap_err();
        assert!(
            e.to_string().starts_with("--filter is not valid JSON"),
            "{e}"
        );
        assert!(query_of(&args(&["--filter", "[1]"]), today).is_err());
        assert!(query_of(&args(&["--date", "2025-13-01"]), today).is_err());
    }
}
