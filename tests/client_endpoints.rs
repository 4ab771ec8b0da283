//! Every client method once, against a real sandbox.

mod common;

use common::{by_reference, client, start, task};
use elogii_console::api::error::ApiError;
use elogii_console::api::model::{Date, Driver, Route, Task};
use elogii_console::api::paths::Collection;
use elogii_console::api::query::ListQuery;
use serde_json::{Value, json};

const DAY: u32 = 20251103; // a Monday
const NEXT: u32 = 20251104;

fn d(n: u32) -> Date {
    Date::from_yyyymmdd(n).expect("date")
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_through_the_client() {
    let sb = start().await;
    let c = client(&sb);

    // --- generic: create_one, get, get_value, list, update_one --------------------------------
    let depot = c
        .create_one(
            Collection::Depots,
            &json!({"name": "Park Royal", "coordinates": [-0.2620, 51.5290]}),
        )
        .await
        .expect("create depot");
    let driver = c
        .create_one(
            Collection::Drivers,
            &json!({"firstName": "Anna", "lastName": "Kowalska", "reference": "van-1",
                    "startLocation": {"type": 0, "uid": depot["uid"]},
                    "endLocation": {"type": 0, "uid": depot["uid"]},
                    "schedule": {"Mon": {"timeWindows": [{"start": 420, "end": 1020}]}}}),
        )
        .await
        .expect("create driver");
    let typed: Driver = c.get(&s(&driver, "uid")).await.expect("typed get");
    assert_eq!(typed.first_name.as_deref(), Some("Anna"));
    let (drivers, total) = c
        .list::<Driver>(&ListQuery::new())
        .await
        .expect("typed list");
    assert_eq!((drivers.len(), total), (1, Some(1)));
    let changed = c
        .update_one(
            Collection::Drivers,
            &s(&driver, "_id"),
            &json!({"phone": "+44 20 7946 0000"}),
        )
        .await
        .expect("put");
    assert_eq!(changed["phone"], "+44 20 7946 0000");
    assert_eq!(changed["lastName"], "Kowalska", "fields not sent are kept");
    assert_eq!(
        c.get_value(Collection::Drivers, &s(&driver, "uid"))
            .await
            .expect("get")["phone"],
        "+44 20 7946 0000"
    );

    // --- route templates make a route with three stops ----------------------------------------
    let stop = |r: &str, lon: f64| {
        let mut t = task(r, DAY);
        t["location"]["coordinates"] = json!([lon, 51.53]);
        t["timeWindows"] = json!([{"start": 420, "end": 1200}]);
        json!({"active": true, "task": t})
    };
    let group = c
        .create_one(
            Collection::RouteTemplateGroups,
            &json!({"name": "Monday run", "keepAssignees": true,
                    "schedulePattern": {"frequency": "weekly", "interval": 1, "weekDays": ["Mon"]},
                    "routeTemplates": [{"name": "Anna", "driver": {"uid": driver["uid"]},
                        "taskTemplates": [stop("S-1", -0.20), stop("S-2", -0.15), stop("S-3", -0.10)]}]}),
        )
        .await
        .expect("route template group");
    let sched = c
        .schedule_route_templates(&[s(&group, "_id")], &[d(DAY)])
        .await
        .expect("schedule routes");
    assert_eq!(sched.result, 3);
    let (routes, _) = c
        .list::<Route>(&ListQuery::new().date(d(DAY)))
        .await
        .expect("routes");
    assert_eq!(routes.len(), 1);
    let rid = routes[0].id.clone().expect("route id");
    let rids = vec![rid.clone()];
    let (tasks, total) = c
        .list::<Task>(&ListQuery::new().date(d(DAY)).sort("assignment.routeOrder"))
        .await
        .expect("tasks");
    assert_eq!(total, Some(3));
    let uids: Vec<String> = tasks.iter().filter_map(|t| t.uid.clone()).collect();

    // --- routes: lock, set_order refused, unlock, set_order, planned ETAs, clear ------------------
    assert_eq!(c.lock_routes(&rids).await.expect("lock").result, 1);
    let reversed: Vec<String> = uids.iter().rev().cloned().collect();
    assert!(matches!(
        c.set_order(&rid, &reversed).await,
        Err(ApiError::Conflict { .. })
    ));
    assert_eq!(c.unlock_routes(&rids).await.expect("unlock").result, 1);
    let route = c.set_order(&rid, &reversed).await.expect("set order");
    let order: Vec<String> = route["legs"]
        .as_array()
        .map(|ls| ls.iter().map(|l| s(&l["taskInfo"], "uid")).collect())
        .unwrap_or_default();
    assert_eq!(order, reversed);
    assert_eq!(c.set_planned_etas(&rids).await.expect("planned").result, 1);

    // --- tasks: cancel, move, reattempt, returns, tracking, pod ---------------------------------
    let cancelled = c
        .cancel_tasks(&[uids[0].clone()], Some("customer away"))
        .await
        .expect("cancel");
    assert_eq!(cancelled.result, 1);
    let moved = c
        .move_tasks(&[uids[1].clone()], d(NEXT))
        .await
        .expect("move");
    assert_eq!(moved.result, 1);
    c.update_one(Collection::Tasks, &uids[2], &json!({"state": -20}))
        .await
        .expect("fail a task");
    let re = c
        .reattempt_tasks(&[uids[2].clone()], d(NEXT))
        .await
        .expect("reattempt");
    assert_eq!(re.result, 1);
    let ret = c
        .create_returns(&[uids[1].clone()], None)
        .await
        .expect("returns");
    assert_eq!(ret.result, 1);
    let trk = c
        .start_tracking(&[uids[1].clone()])
        .await
        .expect("tracking");
    assert_eq!(trk.result, 1);
    assert!(matches!(
        c.pod(&uids[1]).await,
        Err(ApiError::NotFound { .. })
    ));
    let t1: Task = c.get(&uids[1]).await.expect("task");
    let t1_id = t1.id.clone().expect("id");
    sb.sandbox
        .store
        .write(|tx| {
            tx.put_pod(
                &t1_id,
                &json!({"task": {"_id": t1_id}, "segment": "delivery", "recipientName": "J. Doe"}),
            )
        })
        .map_err(|e: elogii_console::sandbox::store::StoreError| e.to_string())
        .expect("store a pod");
    let pod = c.pod(&uids[1]).await.expect("pod");
    assert_eq!(pod.recipient_name.as_deref(), Some("J. Doe"));
    assert_eq!(c.clear_routes(&rids).await.expect("clear").result, 1);

    // --- bulk writes ----------------------------------------------------------------------------
    let made = c
        .create_many(
            Collection::Tasks,
            &[task("B-1", NEXT), task("B-2", NEXT)],
            true,
        )
        .await
        .expect("create many");
    assert_eq!((made.result, made.ids.len()), (2, 2));
    assert_eq!(made.items.as_ref().map(Vec::len), Some(2));
    let upd = c
        .update_many(
            Collection::Tasks,
            &[json!({"_id": made.ids[0], "instructions": "ring twice"})],
            false,
        )
        .await
        .expect("update many");
    assert_eq!(upd.result, 1);
    let ups = c
        .create_or_update_many(
            Collection::Tasks,
            &[task("B-2", NEXT), task("B-3", NEXT)],
            &by_reference(),
            false,
        )
        .await
        .expect("upsert");
    assert_eq!((ups.created, ups.updated), (Some(1), Some(1)));
    let removed = c
        .remove_many(Collection::Tasks, &[made.ids[1].clone()])
        .await
        .expect("remove many");
    assert_eq!(removed.result, 1);
    let gone = c
        .delete_one(Collection::Tasks, &made.ids[0])
        .await
        .expect("delete one");
    assert_eq!(gone["result"], 1);
    assert!(matches!(
        c.get_value(Collection::Tasks, &made.ids[0]).await,
        Err(ApiError::NotFound { .. })
    ));
    let mut bad = task("BAD", NEXT);
    bad["timeWindows"] = json!([{"start": 900, "end": 600}]);
    match c.create_many(Collection::Tasks, &[bad], false).await {
        Err(ApiError::Validation { status, errors, .. }) => {
            assert_eq!(status, 422);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].index, Some(0));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        c.create_many(Collection::Routes, &[json!({})], false).await,
        Err(ApiError::Invalid(_))
    ));

    // --- schedule exceptions --------------------------------------------------------------------
    c.create_many(
        Collection::ScheduleExceptions,
        &[json!({"driver": {"uid": driver["uid"]}, "dayOff": true,
                 "dateRange": {"startDate": 20251222, "endDate": 20251226}})],
        false,
    )
    .await
    .expect("exception");
    let exc = c
        .exceptions_of_driver(&s(&driver, "uid"))
        .await
        .expect("exceptions of driver");
    assert_eq!(exc.len(), 1);
    assert_eq!(exc[0].day_off, Some(true));

    // --- task templates -------------------------------------------------------------------------
    let mut tpl = task("daily", DAY);
    tpl.as_object_mut().map(|o| o.remove("date"));
    let tgroup = c
        .create_one(
            Collection::TaskTemplateGroups,
            &json!({"name": "Daily", "schedulePattern": {"frequency": "daily", "interval": 1},
                    "taskTemplates": [{"active": true, "task": tpl}]}),
        )
        .await
        .expect("task template group");
    let st = c
        .schedule_task_templates(&[s(&tgroup, "_id")], &[d(20251110)])
        .await
        .expect("schedule tasks");
    assert_eq!(st.result, 1);
    let grown = c
        .add_tasks_to_group(&s(&tgroup, "_id"), &[uids[0].clone()], false)
        .await
        .expect("add tasks");
    assert_eq!(grown["taskTemplates"].as_array().map(Vec::len), Some(2));

    // --- forms ----------------------------------------------------------------------------------
    let form = c
        .create_one(
            Collection::Forms,
            &json!({"name": "Damage report", "active": true}),
        )
        .await
        .expect("form");
    c.create_one(
        Collection::FormSubmissions,
        &json!({"form": {"_id": form["_id"]}, "data": {"damaged": false}}),
    )
    .await
    .expect("submission");
    let subs = c
        .form_submissions_of_form(&s(&form, "uid"))
        .await
        .expect("submissions");
    assert_eq!(subs.len(), 1);

    // --- optimization: a job for the day, polled until it ends, then cancelled or applied ----
    let started = c
        .optimize_dates(&json!({"dates": [DAY], "timeLimitSeconds": 1}))
        .await
        .expect("optimization starts");
    let job = started["jobId"].as_str().expect("a job id").to_string();
    let mut status = String::new();
    for _ in 0..100 {
        let j = c.optimization_job(&job).await.expect("job status");
        status = j["status"].as_str().unwrap_or_default().to_string();
        if status != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, "done");
    assert!(
        matches!(c.cancel_job(&job).await, Err(ApiError::Conflict { .. })),
        "a finished job cannot be cancelled"
    );
    match c.optimization_job("OPT-nope").await {
        Err(ApiError::NotFound { .. }) => {}
        other => panic!("unexpected {other:?}"),
    }
    for r in [
        c.optimize_dataset(&json!({"dates": [DAY]})).await,
        c.optimize_routes(&json!({"ids": ["RT-NOPE0000"]})).await,
        c.optimize_date_range(&json!({})).await,
        c.optimize_intervals(&json!({})).await,
    ] {
        assert!(
            matches!(
                r,
                Err(ApiError::Validation { .. } | ApiError::NotFound { .. })
            ),
            "bad optimization input gets a clear refusal: {r:?}"
        );
    }
    let applied = c.apply_job(&job).await.expect("the plan applies");
    assert_eq!(applied["applied"], true);
}
