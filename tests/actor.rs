//! The API actor over a real sandbox: cache, refetch after mutations, cancel, read-only.

mod common;

use common::{Http, KEY, TestSandbox, client, client_for, seed_plannable_day, seed_tasks, start};
use elogii_console::actor::{
    self, ActorOptions, Command, Event, ListKey, Mutation, OptimizeRun, OptimizeScope, Outcome,
};
use elogii_console::api::client::FetchOptions;
use elogii_console::api::error::ApiError;
use elogii_console::api::model::Date;
use elogii_console::api::paths::Collection;
use elogii_console::api::query::ListQuery;
use elogii_console::sandbox::faults::FaultPlan;
use elogii_console::sandbox::{Sandbox, SandboxOptions};
use serde_json::Value;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

const DAY: u32 = 20251103;

fn options() -> ActorOptions {
    ActorOptions {
        refresh_interval: None,
        fetch: FetchOptions {
            page_size: 25,
            concurrency: 2,
        },
        ..ActorOptions::default()
    }
}

fn tasks_key() -> ListKey {
    ListKey::new(
        Collection::Tasks,
        ListQuery::new().date(Date::from_yyyymmdd(DAY).expect("date")),
    )
}

/// Every event up to and including the first one `stop` accepts. The minute-long guard only
/// turns a missing event into a failure instead of a hang.
async fn until(rx: &mut UnboundedReceiver<Event>, stop: impl Fn(&Event) -> bool) -> Vec<Event> {
    let mut seen = Vec::new();
    loop {
        let e = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap_or_else(|_| panic!("the expected event never came; saw {seen:?}"))
            .expect("actor still running");
        let done = stop(&e);
        seen.push(e);
        if done {
            return seen;
        }
    }
}

fn req_of(e: &Event) -> u64 {
    match e {
        Event::Progress { req, .. }
        | Event::Loaded { req, .. }
        | Event::Got { req, .. }
        | Event::PodLoaded { req, .. }
        | Event::Mutated { req, .. }
        | Event::Failed { req, .. }
        | Event::OptimizationStarted { req, .. }
        | Event::OptimizationProgress { req, .. }
        | Event::OptimizationDone { req, .. }
        | Event::OptimizationCancelled { req, .. }
        | Event::OptimizationFailed { req, .. }
        | Event::OptimizationApplied { req, .. } => *req,
    }
}

async fn setup(
    n: usize,
) -> (
    TestSandbox,
    UnboundedSender<Command>,
    UnboundedReceiver<Event>,
) {
    let sb = start().await;
    seed_tasks(&client(&sb), n, DAY, "a").await;
    let (tx, rx) = actor::spawn(client(&sb), options());
    (sb, tx, rx)
}

#[tokio::test]
async fn lists_load_with_progress_then_come_from_the_cache() {
    let (_sb, tx, mut rx) = setup(60).await;
    tx.send(Command::List {
        req: 1,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    let events = until(&mut rx, |e| matches!(e, Event::Loaded { req: 1, .. })).await;
    let progress: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Event::Progress { req: 1, loaded, .. } => Some(*loaded),
            _ => None,
        })
        .collect();
    assert_eq!(progress, [25, 50, 60], "one report per page");
    match events.last() {
        Some(Event::Loaded {
            items, from_cache, ..
        }) => {
            assert_eq!(items.len(), 60);
            assert!(!from_cache);
        }
        other => panic!("unexpected {other:?}"),
    }

    tx.send(Command::List {
        req: 2,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    match rx.recv().await {
        Some(Event::Loaded {
            req: 2,
            from_cache: true,
            items,
            ..
        }) => assert_eq!(items.len(), 60),
        other => panic!("expected a cached answer, got {other:?}"),
    }
    tx.send(Command::List {
        req: 3,
        key: tasks_key(),
        force: true,
    })
    .expect("send");
    let events = until(&mut rx, |e| matches!(e, Event::Loaded { req: 3, .. })).await;
    assert!(matches!(
        events.last(),
        Some(Event::Loaded {
            from_cache: false,
            ..
        })
    ));

    tx.send(Command::Get {
        req: 4,
        collection: Collection::Tasks,
        id: "nope".into(),
    })
    .expect("send");
    match rx.recv().await {
        Some(Event::Failed {
            req: 4,
            error: ApiError::NotFound { .. },
            ..
        }) => {}
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_mutation_refetches_the_cached_list_it_touched() {
    let (_sb, tx, mut rx) = setup(10).await;
    tx.send(Command::List {
        req: 1,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    let events = until(&mut rx, |e| matches!(e, Event::Loaded { req: 1, .. })).await;
    let Some(Event::Loaded { items, .. }) = events.last() else {
        panic!("no list");
    };
    let first = items.value(0).expect("a first task");
    let victim = first["_id"].as_str().expect("id").to_string();
    assert_eq!(
        items.id(0),
        Some(victim.as_str()),
        "the id is read from the raw item"
    );
    assert_eq!(first["state"], 0);

    tx.send(Command::Mutate {
        req: 2,
        mutation: Mutation::CancelTasks {
            ids: vec![victim.clone()],
            reason: Some("customer asked".into()),
        },
    })
    .expect("send");
    let events = until(&mut rx, |e| matches!(e, Event::Loaded { req: 0, .. })).await;
    let mutated = events
        .iter()
        .position(|e| matches!(e, Event::Mutated { req: 2, .. }))
        .expect("the mutation is answered");
    match &events[mutated] {
        Event::Mutated {
            outcome: Outcome::Bulk(b),
            ..
        } => assert_eq!(b.result, 1),
        other => panic!("unexpected {other:?}"),
    }
    let Some(Event::Loaded {
        key,
        items,
        from_cache,
        ..
    }) = events.last()
    else {
        panic!("no refetch");
    };
    assert_eq!(key, &tasks_key());
    assert!(!from_cache);
    let changed: Vec<Value> = items
        .values()
        .filter(|t| t["_id"].as_str() == Some(victim.as_str()))
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(
        changed[0]["state"], -30,
        "the cancel is visible in the refetched list"
    );

    // The refetched copy is what the cache now answers.
    tx.send(Command::List {
        req: 3,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    match rx.recv().await {
        Some(Event::Loaded {
            req: 3,
            from_cache: true,
            items,
            ..
        }) => {
            let t = items
                .values()
                .find(|t| t["_id"].as_str() == Some(victim.as_str()));
            assert_eq!(t.map(|t| t["state"].clone()), Some(Value::from(-30)));
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn a_cancelled_list_stops_and_is_never_answered() {
    let sb = start().await;
    seed_tasks(&client(&sb), 10, DAY, "slow").await;
    // Every request on this server waits a second first.
    let slow = Sandbox::serve(
        "127.0.0.1:0".parse().expect("addr"),
        sb.sandbox.store.clone(),
        &SandboxOptions {
            api_key: KEY.into(),
            faults: FaultPlan::parse("delay=1s:1").expect("spec"),
            ..SandboxOptions::default()
        },
    )
    .await
    .expect("slow sandbox");
    let (tx, mut rx) = actor::spawn(client_for(&slow.base_url(), KEY), options());
    let other = ListKey::new(Collection::Drivers, ListQuery::new());
    tx.send(Command::List {
        req: 1,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    tx.send(Command::Cancel { req: 1 }).expect("send");
    tx.send(Command::List {
        req: 2,
        key: other,
        force: false,
    })
    .expect("send");
    let mut events = until(&mut rx, |e| matches!(e, Event::Loaded { req: 2, .. })).await;
    // Had the cancelled fetch gone on, its list would now be cached (or still loading, and
    // answered together with req 3): either way req 3 would show it.
    tx.send(Command::List {
        req: 3,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    events.extend(until(&mut rx, |e| matches!(e, Event::Loaded { req: 3, .. })).await);
    assert!(
        events.iter().all(|e| req_of(e) != 1),
        "an event for the cancelled request arrived"
    );
    assert!(matches!(
        events.last(),
        Some(Event::Loaded {
            from_cache: false,
            ..
        })
    ));
    slow.shutdown().await;
}

#[tokio::test]
async fn read_only_refuses_every_mutation_locally() {
    let sb = start().await;
    let (tx, mut rx) = actor::spawn(
        client(&sb),
        ActorOptions {
            read_only: true,
            ..options()
        },
    );
    tx.send(Command::Mutate {
        req: 9,
        mutation: Mutation::Create {
            collection: Collection::Tasks,
            items: vec![common::task("ro", DAY)],
        },
    })
    .expect("send");
    match rx.recv().await {
        Some(Event::Failed {
            req: 9,
            error: ApiError::ReadOnly(what),
            ..
        }) => assert_eq!(what, "create 1 task"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(common::stored(&sb, Collection::Tasks).is_empty());
    tx.send(Command::Shutdown).expect("send");
    assert!(
        rx.recv().await.is_none(),
        "the actor stops and closes its events"
    );
}

#[tokio::test]
async fn watched_lists_refresh_on_the_interval() {
    let sb = start().await;
    let c = client(&sb);
    seed_tasks(&c, 3, DAY, "iv").await;
    let (tx, mut rx) = actor::spawn(
        client(&sb),
        ActorOptions {
            refresh_interval: Some(Duration::from_millis(200)),
            ..options()
        },
    );
    tx.send(Command::List {
        req: 1,
        key: tasks_key(),
        force: false,
    })
    .expect("send");
    until(&mut rx, |e| matches!(e, Event::Loaded { req: 1, .. })).await;

    // A change made elsewhere (not through this actor) shows up with the next refresh.
    seed_tasks(&c, 4, DAY, "iv").await;
    let events = until(
        &mut rx,
        |e| matches!(e, Event::Loaded { req: 0, items, .. } if items.len() == 4),
    )
    .await;
    assert!(
        events.iter().all(|e| req_of(e) == 0),
        "refreshes answer with request id 0"
    );

    // One item and a proof of delivery through the actor.
    let id = c
        .list_values(
            Collection::Tasks,
            &ListQuery::new().sort("reference").limit(1),
        )
        .await
        .expect("list")
        .0[0]["_id"]
        .as_str()
        .expect("id")
        .to_string();
    tx.send(Command::SetRefreshInterval(None)).expect("send");
    tx.send(Command::Get {
        req: 5,
        collection: Collection::Tasks,
        id: id.clone(),
    })
    .expect("send");
    tx.send(Command::Pod { req: 6, task: id }).expect("send");
    let mut got = None;
    let mut pod = None;
    while got.is_none() || pod.is_none() {
        for e in until(&mut rx, |e| {
            matches!(e, Event::Got { .. } | Event::Failed { .. })
        })
        .await
        {
            match e {
                Event::Got { req: 5, item, .. } => got = Some(item),
                Event::Failed { req: 6, error, .. } => pod = Some(error),
                Event::Failed { error, .. } => panic!("unexpected failure {error}"),
                _ => {}
            }
        }
    }
    assert_eq!(
        got.map(|i| i["reference"].clone()),
        Some(Value::from("iv-00000"))
    );
    match pod {
        Some(ApiError::NotFound { message }) => {
            assert!(message.contains("no proof of delivery"), "{message}")
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn optimize_day(secs: u32) -> Command {
    Command::Optimize {
        req: 40,
        run: OptimizeRun {
            scope: OptimizeScope::Dates(vec![Date::from_yyyymmdd(DAY).expect("date")]),
            time_limit_secs: secs,
            goal: None,
        },
    }
}

fn routes_key() -> ListKey {
    ListKey::new(
        Collection::Routes,
        ListQuery::new().date(Date::from_yyyymmdd(DAY).expect("date")),
    )
}

#[tokio::test]
async fn an_optimization_reports_progress_and_its_plan_and_apply_refetches_watched_lists() {
    let sb = start().await;
    seed_plannable_day(&Http::new(&sb), DAY).await;
    let (tx, mut rx) = actor::spawn(client(&sb), options());
    tx.send(Command::List {
        req: 1,
        key: routes_key(),
        force: false,
    })
    .expect("send");
    let seen = until(&mut rx, |e| matches!(e, Event::Loaded { req: 1, .. })).await;
    let Some(Event::Loaded { items, .. }) = seen.last() else {
        unreachable!()
    };
    assert!(items.is_empty(), "nothing planned yet");

    tx.send(optimize_day(1)).expect("send");
    let seen = until(&mut rx, |e| {
        matches!(
            e,
            Event::OptimizationDone { .. } | Event::OptimizationFailed { .. }
        )
    })
    .await;
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::OptimizationStarted { req: 40, .. })),
        "{seen:?}"
    );
    let Some(Event::OptimizationDone {
        req: 40,
        job,
        result,
    }) = seen.last()
    else {
        panic!("the job ended with a plan: {seen:?}");
    };
    let stops: usize = result["routes"]
        .as_array()
        .expect("routes")
        .iter()
        .map(|r| r["stops"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(stops, 8);

    tx.send(Command::ApplyOptimization {
        req: 41,
        job: job.clone(),
    })
    .expect("send");
    let seen = until(
        &mut rx,
        |e| matches!(e, Event::Loaded { req: 0, key, .. } if *key == routes_key()),
    )
    .await;
    assert!(
        seen.iter()
            .any(|e| matches!(e, Event::OptimizationApplied { req: 41, .. })),
        "{seen:?}"
    );
    let Some(Event::Loaded { items, .. }) = seen.last() else {
        unreachable!()
    };
    assert!(!items.is_empty(), "the refetched routes hold the plan");
}

#[tokio::test]
async fn a_running_optimization_can_be_cancelled() {
    let sb = start().await;
    seed_plannable_day(&Http::new(&sb), DAY).await;
    let (tx, mut rx) = actor::spawn(client(&sb), options());
    tx.send(optimize_day(60)).expect("send");
    let seen = until(&mut rx, |e| matches!(e, Event::OptimizationStarted { .. })).await;
    let Some(Event::OptimizationStarted { job, .. }) = seen.last() else {
        unreachable!()
    };
    tx.send(Command::CancelOptimization {
        req: 42,
        job: job.clone(),
    })
    .expect("send");
    let seen = until(&mut rx, |e| {
        matches!(
            e,
            Event::OptimizationDone { .. }
                | Event::OptimizationFailed { .. }
                | Event::OptimizationCancelled { .. }
        )
    })
    .await;
    match seen.last() {
        Some(Event::OptimizationCancelled { req: 40, job: j }) => assert_eq!(j, job),
        other => panic!("the job was cancelled: {other:?}"),
    }
}

#[tokio::test]
async fn a_read_only_actor_refuses_to_optimize() {
    let sb = start().await;
    let (tx, mut rx) = actor::spawn(
        client(&sb),
        ActorOptions {
            read_only: true,
            ..options()
        },
    );
    tx.send(optimize_day(1)).expect("send");
    let seen = until(&mut rx, |e| matches!(e, Event::Failed { req: 40, .. })).await;
    assert!(matches!(
        seen.last(),
        Some(Event::Failed {
            error: ApiError::ReadOnly(_),
            ..
        })
    ));
}
