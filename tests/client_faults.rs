//! The client and the actor against a misbehaving server: 429 with Retry-After, 500,
//! delays and dropped connections. The data must still arrive complete, and upserts sent
//! again must not duplicate anything.

mod common;

use std::collections::HashMap;

use common::{
    KEY, TestSandbox, by_reference, client, client_for, ids_of, seed_tasks, start, stored, task,
};
use elogii_console::actor::{self, ActorOptions, Command, Event, ListKey};
use elogii_console::api::client::{CancelToken, FetchOptions};
use elogii_console::api::error::ApiError;
use elogii_console::api::model::Date;
use elogii_console::api::paths::Collection;
use elogii_console::api::query::ListQuery;
use elogii_console::sandbox::faults::FaultPlan;
use elogii_console::sandbox::{Sandbox, SandboxOptions};
use serde_json::Value;

const DAY: u32 = 20251103;
const FAULTS: &str = "429:0.2,500:0.1,delay=50ms:0.2,drop:0.05";

/// A second server over the same database, answering with `spec` faults.
async fn faulty(sb: &TestSandbox, spec: &str) -> Sandbox {
    let opts = SandboxOptions {
        api_key: KEY.into(),
        faults: FaultPlan::parse(spec).expect("fault spec"),
        ..SandboxOptions::default()
    };
    Sandbox::serve(
        "127.0.0.1:0".parse().expect("addr"),
        sb.sandbox.store.clone(),
        &opts,
    )
    .await
    .expect("faulty sandbox")
}

fn day_query() -> ListQuery {
    ListQuery::new().date(Date::from_yyyymmdd(DAY).expect("date"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_all_and_the_actor_return_everything_despite_faults() {
    let sb = start().await;
    seed_tasks(&client(&sb), 3000, DAY, "f").await;
    let expected = ids_of(&stored(&sb, Collection::Tasks));
    let bad = faulty(&sb, FAULTS).await;
    let c = client_for(&bad.base_url(), KEY);

    let items = c
        .fetch_all(
            Collection::Tasks,
            &day_query(),
            &FetchOptions {
                page_size: 250,
                concurrency: 4,
            },
            &CancelToken::new(),
            &mut |_| {},
        )
        .await
        .expect("fetch_all under faults");
    assert_eq!(items.len(), 3000);
    assert_eq!(ids_of(&items), expected);

    let (tx, mut rx) = actor::spawn(
        c.clone(),
        ActorOptions {
            refresh_interval: None,
            fetch: FetchOptions {
                page_size: 300,
                concurrency: 3,
            },
            ..ActorOptions::default()
        },
    );
    let key = ListKey::new(Collection::Tasks, day_query());
    tx.send(Command::List {
        req: 1,
        key: key.clone(),
        force: false,
    })
    .expect("send");
    let loaded = loop {
        match rx.recv().await.expect("actor event") {
            Event::Loaded { req: 1, items, .. } => break items,
            Event::Failed { error, .. } => panic!("actor failed under faults: {error}"),
            _ => {}
        }
    };
    assert_eq!(ids_of(&loaded.values().collect::<Vec<_>>()), expected);
    bad.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_upserts_through_faults_create_no_duplicates() {
    let sb = start().await;
    let bad = faulty(&sb, FAULTS).await;
    let c = client_for(&bad.base_url(), KEY);
    let items: Vec<Value> = (0..400).map(|i| task(&format!("u-{i:04}"), DAY)).collect();
    for round in 0..3 {
        for chunk in items.chunks(40) {
            let r = c
                .create_or_update_many(Collection::Tasks, chunk, &by_reference(), false)
                .await
                .unwrap_or_else(|e| panic!("round {round}: upsert failed: {e}"));
            assert!(r.errors.is_empty(), "{:?}", r.errors);
        }
    }
    let docs = stored(&sb, Collection::Tasks);
    assert_eq!(docs.len(), 400, "one task per reference");
    let mut per_ref: HashMap<String, usize> = HashMap::new();
    for d in &docs {
        *per_ref
            .entry(d["reference"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    assert!(per_ref.values().all(|n| *n == 1));
    bad.shutdown().await;
}

#[tokio::test]
async fn creates_are_not_resent_when_the_connection_breaks() {
    let sb = start().await;
    let bad = faulty(&sb, "drop:1").await;
    let c = client_for(&bad.base_url(), KEY);
    let err = c
        .create_many(Collection::Tasks, &[task("once", DAY)], false)
        .await
        .unwrap_err();
    match &err {
        ApiError::Network(m) => assert!(m.contains("not repeated"), "{m}"),
        other => panic!("unexpected {other:?}"),
    }
    // A read on the same server is retried, and fails only after every retry.
    let read = c
        .list_values(Collection::Tasks, &ListQuery::new())
        .await
        .unwrap_err();
    match &read {
        ApiError::Network(m) => assert!(!m.contains("not repeated"), "{m}"),
        other => panic!("unexpected {other:?}"),
    }
    // The sandbox refuses faulted requests before they run: nothing was written.
    assert!(stored(&sb, Collection::Tasks).is_empty());
    bad.shutdown().await;
}

#[tokio::test]
async fn a_wrong_key_is_unauthorized_and_never_shown() {
    let sb = start().await;
    let secret = "wrong-key-that-must-not-leak-0042";
    let c = client_for(&sb.sandbox.base_url(), secret);
    let err = c
        .list_values(Collection::Tasks, &ListQuery::new())
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
    let shown = format!("{err} {err:?} {c:?}");
    assert!(!shown.contains(secret), "{shown}");
    assert!(shown.contains("unauthorized"));
}
