//! The sandbox seeded with the demo data set: every screen has data, PODs are served, and
//! seeding happens once per database.

mod common;

use common::{Http, start_with};
use elogii_console::api::model::{Date, ProofOfDelivery};
use elogii_console::sandbox::demo::DemoOptions;
use serde_json::Value;

fn demo_opts() -> DemoOptions {
    DemoOptions {
        today: Date::from_yyyymmdd(20251103).expect("date"),
        scale: Some(500),
        seed: 42,
    }
}

#[tokio::test]
async fn demo_data_is_served_with_pods_and_seeded_once() {
    let sb = start_with(|o| o.demo = Some(demo_opts())).await;
    let http = Http::new(&sb);
    let today = http.get("/tasks?date=20251103").await;
    assert!(
        today.total.unwrap_or(0) > 500,
        "demo tasks plus 500 load tasks: {:?}",
        today.total
    );
    let load = http.get("/tasks?date=20251103&filter=%7B%22reference%22%3A%7B%22%24regex%22%3A%22%5ELOAD-%22%7D%7D").await;
    assert_eq!(load.total, Some(500));
    let routes = http.get("/routes?date=20251103").await;
    assert!(routes.total.unwrap_or(0) >= 10);
    let locked: Vec<&Value> = routes
        .body
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["locked"] == true)
        .collect();
    assert_eq!(locked.len(), 1);
    for c in [
        "drivers",
        "vehicles",
        "customers",
        "depots",
        "zones",
        "driver-schedule-exceptions",
        "route-template-groups",
        "task-template-groups",
        "forms",
        "form-submissions",
    ] {
        assert!(
            http.get(&format!("/{c}")).await.total.unwrap_or(0) > 0,
            "{c} is empty"
        );
    }
    let gu3 = http
        .get("/tasks?filter=%7B%22location.postCode%22%3A%7B%22%24regex%22%3A%22%5EGU3%22%7D%7D")
        .await;
    assert!(gu3.total.unwrap_or(0) > 0);

    let done = http.get("/tasks?date=20251102&state=60&limit=1").await;
    let uid = done.body[0]["uid"].as_str().unwrap_or_default().to_string();
    let pod = http.get(&format!("/tasks/{uid}/pod")).await;
    assert_eq!(pod.status, 200, "{}", pod.body);
    let pod: ProofOfDelivery = serde_json::from_value(pod.body).expect("POD shape");
    assert!(
        pod.signature
            .and_then(|s| s.data)
            .is_some_and(|d| !d.is_empty())
    );
    assert!(pod.location.is_some() && pod.recipient_name.is_some());

    // A restart on the same database does not seed again.
    let count_before = http.get("/tasks").await.total;
    let db = sb.db_path();
    let dir = sb.dir;
    sb.sandbox.shutdown().await;
    let mut opts = common::options(&dir);
    opts.db_path = db;
    opts.demo = Some(demo_opts());
    let again = elogii_console::sandbox::Sandbox::start("127.0.0.1:0".parse().expect("addr"), opts)
        .await
        .expect("restart");
    let http2 = Http {
        client: reqwest::Client::new(),
        base: again.base_url(),
        key: common::KEY.into(),
    };
    assert_eq!(http2.get("/tasks").await.total, count_before);
}
