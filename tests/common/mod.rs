//! Shared test helpers: a real sandbox on 127.0.0.1:0 with a temp SQLite file.
#![allow(dead_code)]

use std::path::PathBuf;

use elogii_console::api::model::Date;
use elogii_console::sandbox::demo::DemoOptions;
use elogii_console::sandbox::faults::FaultPlan;
use elogii_console::sandbox::{Sandbox, SandboxOptions};
use serde_json::Value;

/// The key every test sandbox accepts.
pub const KEY: &str = "test-key-4f1c9a";

/// A running sandbox with its temp dir (removed on drop).
pub struct TestSandbox {
    pub sandbox: Sandbox,
    pub dir: tempfile::TempDir,
}

impl TestSandbox {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("sandbox.db")
    }
}

/// Options for a sandbox in `dir`.
pub fn options(dir: &tempfile::TempDir) -> SandboxOptions {
    SandboxOptions {
        db_path: dir.path().join("sandbox.db"),
        api_key: KEY.to_string(),
        faults: FaultPlan::none(),
        ..SandboxOptions::default()
    }
}

/// Starts a sandbox on a free port with a fresh database.
pub async fn start() -> TestSandbox {
    start_with(|_| {}).await
}

/// Starts a sandbox after letting `f` adjust the options.
pub async fn start_with(f: impl FnOnce(&mut SandboxOptions)) -> TestSandbox {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut opts = options(&dir);
    f(&mut opts);
    let sandbox = Sandbox::start("127.0.0.1:0".parse().expect("addr"), opts)
        .await
        .expect("sandbox starts");
    TestSandbox { sandbox, dir }
}

/// Starts a sandbox seeded with the demo data (seed 42) for the day `today` (YYYYMMDD).
pub async fn start_demo(today: u32) -> TestSandbox {
    let today = Date::from_yyyymmdd(today).expect("a valid demo date");
    start_with(|o| {
        o.demo = Some(DemoOptions {
            today,
            scale: None,
            seed: 42,
        })
    })
    .await
}

/// The task `_id`s of a route's legs, in order.
pub fn leg_task_ids(route: &Value) -> Vec<String> {
    route["legs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["taskInfo"]["_id"].as_str().map(str::to_string))
        .collect()
}

pub mod console;

/// A raw HTTP helper that sends the key.
pub struct Http {
    pub client: reqwest::Client,
    pub base: String,
    pub key: String,
}

/// An answer: status, headers and JSON body (Null when empty or not JSON).
pub struct Answer {
    pub status: u16,
    pub total: Option<u64>,
    pub body: Value,
}

impl Http {
    pub fn new(sb: &TestSandbox) -> Http {
        Http {
            client: reqwest::Client::new(),
            base: sb.sandbox.base_url(),
            key: KEY.into(),
        }
    }

    pub async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Answer {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", &self.key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status().as_u16();
        let total = resp
            .headers()
            .get("x-total-count")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let text = resp.text().await.expect("body read");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer {
            status,
            total,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(reqwest::Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
    pub async fn put(&self, path: &str, body: Value) -> Answer {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Answer {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

/// A valid task body for `date` with `reference`.
pub fn task(reference: &str, date: u32) -> Value {
    serde_json::json!({
        "reference": reference,
        "type": 1,
        "date": date,
        "timeWindows": [{"start": 540, "end": 900}],
        "pickup": {"location": {"type": 2, "address": "193-195 Sloane Street", "postCode": "SW1X 9QX",
                                "coordinates": [-0.1596676, 51.5005214]}},
        "location": {"type": 2, "name": "KD Fine Art", "address": "The Old Pottery, Down Lane, Compton",
                     "postCode": "GU3 1DQ", "coordinates": [-0.630083, 51.220836]},
        "serviceDuration": 10,
    })
}

// ----- helpers for the client, actor and CLI tests ------------------------------------------

use std::time::Duration;

use elogii_console::api::client::{ApiKey, Client, ClientConfig, RetryPolicy};
use elogii_console::api::model::{BulkResult, ImportConfig, MatchOn};
use elogii_console::api::paths::Collection;

/// A client for `base_url` with short backoff and enough retries to ride out heavy faults
/// (a page fails for good only after 13 faulty answers in a row).
pub fn client_for(base_url: &str, key: &str) -> Client {
    let mut cfg = ClientConfig::new(base_url, ApiKey::new(key));
    cfg.request_timeout = Duration::from_secs(30);
    Client::new(cfg)
        .expect("client")
        .with_retry_policy(RetryPolicy {
            max_retries: 12,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(5),
        })
}

/// A client for the test sandbox.
pub fn client(sb: &TestSandbox) -> Client {
    client_for(&sb.sandbox.base_url(), KEY)
}

/// Matching by reference, so that an upsert sent twice updates instead of duplicating.
pub fn by_reference() -> ImportConfig {
    ImportConfig {
        import_mode: Some("update".into()),
        match_on: Some(MatchOn {
            reference: Some(true),
            ..MatchOn::default()
        }),
    }
}

/// Upserts `n` tasks `{prefix}-{i}` for `date` in batches of 1000; returns every answer.
pub async fn seed_tasks(client: &Client, n: usize, date: u32, prefix: &str) -> Vec<BulkResult> {
    let mut out = Vec::new();
    let all: Vec<Value> = (0..n)
        .map(|i| task(&format!("{prefix}-{i:05}"), date))
        .collect();
    for chunk in all.chunks(1000) {
        let r = client
            .create_or_update_many(Collection::Tasks, chunk, &by_reference(), false)
            .await
            .expect("seed upsert");
        assert!(r.errors.is_empty(), "seed errors: {:?}", r.errors);
        out.push(r);
    }
    out
}

/// Every document of a collection as the database holds it.
pub fn stored(sb: &TestSandbox, c: Collection) -> Vec<Value> {
    sb.sandbox
        .store
        .read(|tx| tx.find(c, &[]))
        .map_err(|e: elogii_console::sandbox::store::StoreError| e.to_string())
        .expect("store read")
}

/// Every `_id` of a collection as the database holds it.
pub fn stored_ids(sb: &TestSandbox, c: Collection) -> Vec<String> {
    let mut ids: Vec<String> = stored(sb, c)
        .iter()
        .filter_map(|d| d["_id"].as_str().map(String::from))
        .collect();
    ids.sort();
    ids
}

/// The `_id`s of a list of items, sorted.
pub fn ids_of(items: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .filter_map(|d| d["_id"].as_str().map(String::from))
        .collect();
    ids.sort();
    ids
}

// ----- a small day the optimizer can plan -------------------------------------------------

/// A depot in west London, two drivers starting there (08:00–18:00 by default) and eight
/// deliveries around it, none planned yet.
pub async fn seed_plannable_day(http: &Http, day: u32) {
    let depot = http
        .post(
            "/depots",
            serde_json::json!({"name": "Park Royal", "coordinates": [-0.2620, 51.5290]}),
        )
        .await
        .body;
    let home = serde_json::json!({"type": 0, "uid": depot["uid"]});
    for name in ["Ann", "Bob"] {
        let d = http
            .post(
                "/drivers",
                serde_json::json!({"firstName": name, "lastName": "Driver", "startLocation": home}),
            )
            .await;
        assert_eq!(d.status, 201, "{}", d.body);
    }
    for i in 0..8 {
        let (lon, lat) = (-0.30 + 0.02 * f64::from(i), 51.49 + 0.01 * f64::from(i % 3));
        let mut t = task(&format!("STOP-{i}"), day);
        if let Some(o) = t.as_object_mut() {
            o.remove("pickup");
        }
        t["location"] = serde_json::json!({"type": 2, "coordinates": [lon, lat]});
        t["timeWindows"] = serde_json::json!([{"start": 480, "end": 1080}]);
        t["size"] = serde_json::json!({"Weight": 1.0});
        let a = http.post("/tasks", t).await;
        assert_eq!(a.status, 201, "{}", a.body);
    }
}
