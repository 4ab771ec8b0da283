//! The built binary: `get` against a sandbox in every format, its one-line errors, and
//! `config` / `config set-key` with temp dirs.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{KEY, TestSandbox, client, ids_of, start, stored, task};
use elogii_console::api::model::Date;
use elogii_console::api::paths::Collection;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_elogii-console");

/// Runs the binary with clean ELOGII_* variables and private config/data dirs.
async fn run(dirs: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("ELOGII_BASE_URL")
        .env_remove("ELOGII_API_KEY")
        .env("ELOGII_CONSOLE_CONFIG_DIR", dirs.join("cfg"))
        .env("ELOGII_CONSOLE_DATA_DIR", dirs.join("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let input = stdin.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let mut child = cmd.spawn().expect("binary starts");
        if let (Some(text), Some(mut pipe)) = (input, child.stdin.take()) {
            pipe.write_all(text.as_bytes()).expect("stdin");
        }
        child.wait_with_output().expect("binary ends")
    })
    .await
    .expect("join")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// A failure: non-zero exit and exactly one line, `error: …`, on stderr.
fn assert_one_line_error(o: &Output) -> String {
    assert!(!o.status.success(), "expected failure, got {o:?}");
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err:?}");
    assert!(lines[0].starts_with("error: "), "{err:?}");
    lines[0].to_string()
}

async fn seeded() -> (TestSandbox, tempfile::TempDir) {
    let sb = start().await;
    let today = Date::today().as_u32();
    let mut items: Vec<Value> = (0..25)
        .map(|i| task(&format!("cli-{i:02}"), today))
        .collect();
    items[3]["location"]["name"] = Value::from("Smith, \"Jr\" & Co");
    items.push(task("tomorrow-1", Date::today().add_days(1).as_u32()));
    let r = client(&sb)
        .create_many(Collection::Tasks, &items, false)
        .await
        .expect("seed");
    assert_eq!(r.result, 26);
    (sb, tempfile::tempdir().expect("tempdir"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_prints_json_csv_and_tables() {
    let (sb, dirs) = seeded().await;
    let url = sb.sandbox.base_url();
    let base = ["--base-url", url.as_str(), "--api-key", KEY];

    let mut args = vec![
        "get",
        "tasks",
        "--date",
        "today",
        "-o",
        "json",
        "--page-size",
        "7",
    ];
    args.extend(base);
    let o = run(dirs.path(), &args, &[], None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("a JSON array");
    let today = Date::today().as_u32();
    let expected: Vec<Value> = stored(&sb, Collection::Tasks)
        .into_iter()
        .filter(|t| t["date"] == today)
        .collect();
    assert_eq!(items.len(), 25);
    assert_eq!(ids_of(&items), ids_of(&expected));

    let mut args = vec![
        "get",
        "t",
        "--date",
        "today",
        "-o",
        "csv",
        "--sort",
        "-reference",
    ];
    args.extend(base);
    let o = run(dirs.path(), &args, &[], None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = stdout(&o);
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 26, "header and 25 rows");
    assert_eq!(
        rows[0],
        "REFERENCE,UID,STATE,DATE,NAME,POSTCODE,WINDOWS,ROUTE,ETA"
    );
    assert!(
        rows[1].starts_with("cli-24,T-"),
        "sorted descending: {}",
        rows[1]
    );
    assert!(rows[1].contains(",Created,"));
    assert!(rows[1].contains(",09:00–15:00,"));
    let quoted = rows
        .iter()
        .find(|r| r.starts_with("cli-03,"))
        .expect("row cli-03");
    assert!(quoted.contains(",\"Smith, \"\"Jr\"\" & Co\","), "{quoted}");

    let mut args = vec![
        "get",
        "tasks",
        "--select",
        "reference,location.postCode",
        "-o",
        "csv",
        "--limit",
        "3",
    ];
    args.extend(base);
    let o = run(dirs.path(), &args, &[], None).await;
    let csv = stdout(&o);
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows[0], "_id,reference,location.postCode");
    assert_eq!(rows.len(), 4);
    assert!(rows[1].ends_with(",GU3 1DQ"), "{}", rows[1]);

    let mut args = vec!["get", "tasks", "--date", "tomorrow"];
    args.extend(base);
    let o = run(dirs.path(), &args, &[], None).await;
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2);
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header[..3], ["REFERENCE", "UID", "STATE"], "{table}");
    assert!(lines[1].starts_with("tomorrow-1  T-"), "{table}");
    // Columns line up: each header starts where its cells start.
    let at = |l: &str, needle: &str| l.find(needle);
    assert_eq!(at(lines[0], "STATE"), at(lines[1], "Created"), "{table}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_fails_with_one_line() {
    let (sb, dirs) = seeded().await;
    let url = sb.sandbox.base_url();

    let o = run(
        dirs.path(),
        &[
            "get",
            "tasks",
            "--filter",
            "{state:",
            "--base-url",
            &url,
            "--api-key",
            KEY,
        ],
        &[],
        None,
    )
    .await;
    assert!(assert_one_line_error(&o).contains("--filter is not valid JSON"));

    let o = run(
        dirs.path(),
        &[
            "get",
            "tasks",
            "--filter",
            r#"{"state":{"$bogus":1}}"#,
            "--base-url",
            &url,
            "--api-key",
            KEY,
        ],
        &[],
        None,
    )
    .await;
    let line = assert_one_line_error(&o);
    assert!(
        line.contains("$bogus"),
        "the server's reason is shown: {line}"
    );

    let wrong = "a-wrong-key-never-to-be-printed";
    let o = run(
        dirs.path(),
        &["get", "tasks", "--base-url", &url],
        &[("ELOGII_API_KEY", wrong)],
        None,
    )
    .await;
    let line = assert_one_line_error(&o);
    assert!(line.contains("unauthorized"), "{line}");
    assert!(!stdout(&o).contains(wrong) && !line.contains(wrong));

    let o = run(
        dirs.path(),
        &["get", "lorries", "--base-url", &url, "--api-key", KEY],
        &[],
        None,
    )
    .await;
    assert!(assert_one_line_error(&o).contains("unknown collection"));

    let o = run(dirs.path(), &["get", "tasks"], &[], None).await;
    assert!(assert_one_line_error(&o).contains("no server configured"));
}

#[tokio::test]
async fn config_shows_the_resolution_with_the_key_masked() {
    let dirs = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dirs.path().join("cfg")).expect("mkdir");
    std::fs::write(
        dirs.path().join("cfg/config.toml"),
        r#"default_profile = "prod"
[profiles.prod]
base_url = "https://prod.example"
api_key_env = "PROD_KEY"
read_only = true
[profiles.staging]
base_url = "https://staging.example"
api_key_env = "STAGING_KEY"
"#,
    )
    .expect("config");
    let prod_key = "prod-0123456789-abcdefghij-XY";
    let env_key = "env-9876543210-zyxwvutsrq-QR";
    let keys = [
        ("PROD_KEY", prod_key),
        ("STAGING_KEY", "staging-key-000000000000-ST"),
    ];

    // The default profile.
    let o = run(dirs.path(), &["config"], &keys, None).await;
    let text = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        text.contains("profile:      prod (default_profile)"),
        "{text}"
    );
    assert!(
        text.contains("target:       https://prod.example (from profile prod)"),
        "{text}"
    );
    assert!(
        text.contains("api key:      pr…XY (from env PROD_KEY (profile prod))"),
        "{text}"
    );
    assert!(text.contains("read-only:    yes"));
    assert!(!text.contains(prod_key));
    assert!(text.contains(&dirs.path().join("data").display().to_string()));

    // The environment beats the default profile …
    let mut env = keys.to_vec();
    env.extend([
        ("ELOGII_BASE_URL", "https://env.example"),
        ("ELOGII_API_KEY", env_key),
    ]);
    let text = stdout(&run(dirs.path(), &["config"], &env, None).await);
    assert!(
        text.contains("target:       https://env.example (from ELOGII_BASE_URL)"),
        "{text}"
    );
    assert!(
        text.contains("api key:      en…QR (from ELOGII_API_KEY)"),
        "{text}"
    );
    // … an explicit profile beats the environment …
    let text = stdout(&run(dirs.path(), &["config", "--profile", "staging"], &env, None).await);
    assert!(
        text.contains("target:       https://staging.example (from profile staging)"),
        "{text}"
    );
    assert!(text.contains("read-only:    no"));
    // … and flags beat everything.
    let text = stdout(
        &run(
            dirs.path(),
            &[
                "config",
                "--profile",
                "staging",
                "--base-url",
                "http://flag.example",
                "--api-key",
                "short",
                "--readonly",
            ],
            &env,
            None,
        )
        .await,
    );
    assert!(
        text.contains("target:       http://flag.example (from --base-url)"),
        "{text}"
    );
    assert!(
        text.contains("api key:      *** (from --api-key)"),
        "{text}"
    );
    assert!(text.contains("read-only:    yes"));

    // Nothing configured: the embedded sandbox.
    std::fs::remove_file(dirs.path().join("cfg/config.toml")).expect("rm");
    let text = stdout(&run(dirs.path(), &["config"], &[], None).await);
    assert!(text.contains("embedded sandbox"), "{text}");
    assert!(text.contains("(not found)"));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_key_writes_a_private_file_that_get_then_uses() {
    use std::os::unix::fs::PermissionsExt;
    let (sb, dirs) = seeded().await;
    let url = sb.sandbox.base_url();
    let o = run(
        dirs.path(),
        &[
            "config",
            "set-key",
            "--profile",
            "local",
            "--base-url",
            &url,
        ],
        &[],
        Some(&format!("{KEY}\n")),
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains(KEY) && !stderr(&o).contains(KEY));
    let key_file = dirs.path().join("cfg/keys/local.key");
    let mode = std::fs::metadata(&key_file)
        .expect("key file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600);

    let o = run(
        dirs.path(),
        &["get", "tasks", "--profile", "local", "-o", "json"],
        &[],
        None,
    )
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    let items: Vec<Value> = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(items.len(), 26);

    // A key file others can read still works, with a warning.
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let o = run(
        dirs.path(),
        &["get", "tasks", "--profile", "local", "-o", "json"],
        &[],
        None,
    )
    .await;
    assert!(o.status.success());
    assert!(stderr(&o).contains("chmod 600"), "{}", stderr(&o));

    // set-key for an unknown profile without --base-url is refused.
    let o = run(
        dirs.path(),
        &["config", "set-key", "--profile", "other"],
        &[],
        Some("k\n"),
    )
    .await;
    assert!(assert_one_line_error(&o).contains("--base-url"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trace_logs_never_hold_the_key() {
    let (sb, dirs) = seeded().await;
    let url = sb.sandbox.base_url();
    let args = [
        "get",
        "tasks",
        "-o",
        "json",
        "--log-level",
        "trace",
        "--base-url",
        url.as_str(),
    ];
    let env = [("ELOGII_API_KEY", KEY)];

    let mut verbose = args.to_vec();
    verbose.push("--verbose");
    let o = run(dirs.path(), &verbose, &env, None).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let logs = stderr(&o);
    assert!(logs.contains("request done"), "requests are logged: {logs}");
    assert!(!logs.contains(KEY), "the key is in the log");

    let o = run(dirs.path(), &args, &env, None).await;
    assert!(o.status.success());
    assert!(
        stderr(&o).is_empty(),
        "without --verbose nothing goes to stderr"
    );
    let file = std::fs::read_to_string(dirs.path().join("data/logs/elogii-console.log"))
        .expect("log file");
    assert!(file.contains("request done"));
    assert!(!file.contains(KEY), "the key is in the log file");
}
