//! Sandbox figures: createOrUpdateMany of 10,000 tasks in one request, GET /tasks for a date
//! holding 10,000 tasks, and database size per 10,000 tasks. Run: `cargo bench --bench sandbox`.

use std::time::{Duration, Instant};

use elogii_console::sandbox::{Sandbox, SandboxOptions};
use serde_json::{Value, json};

const N: usize = 10_000;
const KEY: &str = "bench-key";

fn task(i: usize) -> Value {
    let lon = -0.35 + (i % 100) as f64 * 0.005;
    let lat = 51.40 + (i / 100) as f64 * 0.002;
    json!({
        "reference": format!("BENCH-{i:06}"),
        "externalId": format!("EXT-{i:06}"),
        "type": 1,
        "date": 20251030,
        "timeWindows": [{"start": 540, "end": 720}, {"start": 780, "end": 1020}],
        "pickup": {"location": {"type": 0, "uid": "DEP-PARKROYL", "name": "Park Royal depot",
                   "coordinates": [-0.2620, 51.5290]}},
        "location": {"type": 2, "name": format!("Customer {i}"), "address": format!("{} High Street", i % 300 + 1),
                     "postCode": "N14 5BY", "city": "London", "coordinates": [lon, lat],
                     "contactName": "J. Smith", "contactPhone": "+44 20 7946 0000"},
        "serviceDuration": 5, "setupDuration": 2,
        "size": {"Weight": 12.5, "Volume": 0.2},
        "items": [{"id": format!("{i}-1"), "description": "Parcel", "quantity": 1, "code": format!("{:05}", i % 100000)}],
        "customData": {"Priority": format!("{}", i % 12), "Channel": "web"},
        "instructions": "Leave with neighbour if out",
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn file_size(p: &std::path::Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("bench.db");
    let opts = SandboxOptions {
        db_path: db.clone(),
        api_key: KEY.into(),
        ..SandboxOptions::default()
    };
    let sb = Sandbox::start("127.0.0.1:0".parse()?, opts).await?;
    let client = reqwest::Client::builder().gzip(true).build()?;
    let items: Vec<Value> = (0..N).map(task).collect();
    let body = serde_json::to_vec(
        &json!({"items": items, "importConfig": {"match": {"reference": true}}}),
    )?;
    println!("request body: {:.1} MB", body.len() as f64 / 1e6);

    for round in ["create", "update"] {
        let t = Instant::now();
        let r = client
            .post(format!("{}/tasks/createOrUpdateMany", sb.base_url()))
            .header("Authorization", KEY)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await?;
        let status = r.status();
        let ans: Value = r.json().await?;
        println!(
            "createOrUpdateMany {N} tasks ({round}): {:.2} s  (status {status}, created {}, updated {})",
            t.elapsed().as_secs_f64(),
            ans["created"],
            ans["updated"]
        );
    }

    for (label, gzip) in [("gzip", true), ("identity", false)] {
        let client = reqwest::Client::builder().gzip(gzip).build()?;
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..7 {
            let t = Instant::now();
            let r = client
                .get(format!("{}/tasks?date=20251030", sb.base_url()))
                .header("Authorization", KEY)
                .send()
                .await?;
            let bytes = r.bytes().await?;
            times.push(t.elapsed());
            n = bytes.len();
        }
        println!(
            "GET /tasks?date (10,000 tasks, {label}): median {:.0} ms  ({:.1} MB JSON)",
            median(times).as_secs_f64() * 1000.0,
            n as f64 / 1e6
        );
    }
    sb.shutdown().await;
    // Fold the WAL into the main file so the size is what stays on disk.
    let conn = rusqlite::Connection::open(&db)?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    drop(conn);
    let total = file_size(&db) + file_size(&db.with_extension("db-wal"));
    println!("database size per {N} tasks: {:.1} MB", total as f64 / 1e6);
    Ok(())
}
