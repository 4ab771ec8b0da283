//! Task and route actions, schedule exceptions and template groups, through real HTTP.

mod common;

use common::{Http, start, task};
use serde_json::{Value, json};

const DAY: u32 = 20251103; // a Monday
const NEXT: u32 = 20251104;

/// A depot, a driver starting there, and a route with three stops for DAY (built through
/// route-template scheduling, the sandbox's way to make routes without the optimizer).
async fn route_with_three_stops(http: &Http) -> (Value, Vec<Value>) {
    let depot = http
        .post(
            "/depots",
            json!({"name": "Park Royal", "coordinates": [-0.2620, 51.5290]}),
        )
        .await
        .body;
    let driver = http
        .post(
            "/drivers",
            json!({"firstName": "Anna", "lastName": "Kowalska",
                   "startLocation": {"type": 0, "uid": depot["uid"]}, "endLocation": {"type": 0, "uid": depot["uid"]},
                   "schedule": {"Mon": {"timeWindows": [{"start": 420, "end": 1020}]}}}),
        )
        .await
        .body;
    let stop = |r: &str, lon: f64, lat: f64| {
        let mut t = task(r, DAY);
        t["location"]["coordinates"] = json!([lon, lat]);
        t["timeWindows"] = json!([{"start": 420, "end": 1200}]);
        json!({"active": true, "task": t})
    };
    let group = http
        .post(
            "/route-template-groups",
            json!({"name": "Monday run", "keepAssignees": true,
                   "schedulePattern": {"frequency": "weekly", "interval": 1, "weekDays": ["Mon"]},
                   "routeTemplates": [{"name": "Anna", "driver": {"uid": driver["uid"]},
                       "taskTemplates": [stop("S-1", -0.20, 51.52), stop("S-2", -0.15, 51.53), stop("S-3", -0.10, 51.54)]}]}),
        )
        .await
        .body;
    let sched = http
        .post(
            "/route-template-groups/scheduleForDates",
            json!({"ids": [group["_id"]], "dates": [DAY, NEXT]}),
        )
        .await;
    assert_eq!(sched.status, 200, "{}", sched.body);
    assert_eq!(sched.body["result"], 3, "{}", sched.body);
    assert_eq!(
        sched.body["errors"].as_array().map(Vec::len),
        Some(1),
        "Tuesday is skipped by the pattern"
    );
    let routes = http.get(&format!("/routes?date={DAY}")).await.body;
    let route = routes[0].clone();
    let tasks = http
        .get(&format!("/tasks?date={DAY}&sort=assignment.routeOrder"))
        .await
        .body;
    (route, tasks.as_array().cloned().unwrap_or_default())
}

fn leg_refs(route: &Value) -> Vec<String> {
    route["legs"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .filter_map(|l| l["taskInfo"]["reference"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn scheduled_routes_are_timed_and_tasks_point_back() {
    let sb = start().await;
    let http = Http::new(&sb);
    let (route, tasks) = route_with_three_stops(&http).await;
    assert!(route["uid"].as_str().is_some_and(|u| u.starts_with("RT-")));
    assert_eq!(leg_refs(&route), ["S-1", "S-2", "S-3"]);
    assert_eq!(route["assignee"]["info"]["firstName"], "Anna");
    let etas: Vec<u64> = route["legs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["eta"].as_u64())
        .collect();
    assert_eq!(etas.len(), 3);
    assert!(
        etas[0] > 420 && etas.windows(2).all(|w| w[0] < w[1]),
        "{etas:?}"
    );
    assert!(route["distance"].as_f64().unwrap_or(0.0) > 5000.0);
    for (i, t) in tasks.iter().enumerate() {
        assert_eq!(t["assignment"]["routeUID"], route["uid"]);
        assert_eq!(t["assignment"]["routeOrder"], i + 1);
        assert_eq!(t["assignment"]["eta"], etas[i]);
    }
}

#[tokio::test]
async fn assigned_tasks_are_not_deleted_and_cancel_takes_them_off_the_route() {
    let sb = start().await;
    let http = Http::new(&sb);
    let (route, tasks) = route_with_three_stops(&http).await;
    let t2 = &tasks[1];
    let del = http
        .delete(&format!(
            "/tasks/{}",
            t2["_id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(del.status, 409, "{}", del.body);
    assert!(
        del.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("assigned"),
        "{}",
        del.body
    );
    let rm = http
        .post("/tasks/removeMany", json!({"ids": [t2["uid"]]}))
        .await;
    assert_eq!(rm.status, 422);

    let c = http
        .post(
            "/tasks/cancel",
            json!({"ids": [t2["uid"]], "reason": "customer called"}),
        )
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    let got = http
        .get(&format!(
            "/tasks/{}",
            t2["uid"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(got["state"], -30);
    assert_eq!(got["stateText"], "Cancelled");
    assert_eq!(got["stateReason"], "customer called");
    assert_eq!(got["assignment"], json!({"state": 0}));
    let r = http
        .get(&format!(
            "/routes/{}",
            route["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(leg_refs(&r), ["S-1", "S-3"]);
    let t3 = http
        .get(&format!(
            "/tasks/{}",
            tasks[2]["uid"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(t3["assignment"]["routeOrder"], 2, "later stops move up");
    let again = http
        .post("/tasks/cancel", json!({"ids": [t2["uid"]]}))
        .await;
    assert_eq!(
        again.status, 422,
        "cancelled tasks cannot be cancelled again"
    );
    let now_free = http
        .delete(&format!(
            "/tasks/{}",
            t2["_id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(now_free.status, 200);
}

#[tokio::test]
async fn move_unassigns_and_reattempt_reopens_failed_tasks() {
    let sb = start().await;
    let http = Http::new(&sb);
    let (route, tasks) = route_with_three_stops(&http).await;
    let m = http
        .post(
            "/tasks/moveToDate",
            json!({"ids": [tasks[0]["_id"]], "date": NEXT}),
        )
        .await;
    assert_eq!(m.status, 200, "{}", m.body);
    let moved = &m.body["items"][0];
    assert_eq!(moved["date"], NEXT);
    assert_eq!(moved["assignment"], json!({"state": 0}));
    let r = http
        .get(&format!(
            "/routes/{}",
            route["uid"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(leg_refs(&r), ["S-2", "S-3"]);
    let no_date = http
        .post("/tasks/moveToDate", json!({"ids": [tasks[0]["_id"]]}))
        .await;
    assert_eq!(no_date.status, 400);
    let bad_date = http
        .post(
            "/tasks/moveToDate",
            json!({"ids": [tasks[0]["_id"]], "date": 20251232}),
        )
        .await;
    assert_eq!(bad_date.status, 400);

    let not_failed = http
        .post(
            "/tasks/reattempt",
            json!({"ids": [tasks[1]["_id"]], "date": NEXT}),
        )
        .await;
    assert_eq!(not_failed.status, 422);
    let fail = http
        .put(
            &format!("/tasks/{}", tasks[1]["_id"].as_str().unwrap_or_default()),
            json!({"state": -20}),
        )
        .await;
    assert_eq!(fail.body["stateText"], "Failed");
    let mixed = http
        .post(
            "/tasks/reattempt",
            json!({"ids": [tasks[1]["_id"], "T-UNKNOWN0"], "date": NEXT}),
        )
        .await;
    assert_eq!(mixed.status, 200, "{}", mixed.body);
    assert_eq!(mixed.body["result"], 1);
    assert_eq!(mixed.body["errors"][0]["index"], 1);
    let re = &mixed.body["items"][0];
    assert_eq!(
        (re["state"].as_i64(), re["date"].as_u64()),
        (Some(0), Some(NEXT as u64))
    );
    assert_eq!(re["attempts"], 2);
    assert_eq!(re["assignment"], json!({"state": 0}));
}

#[tokio::test]
async fn returns_reverse_pickup_and_delivery_and_link_both_ways() {
    let sb = start().await;
    let http = Http::new(&sb);
    let orig = http.post("/tasks", task("SO-9", DAY)).await.body;
    let r = http
        .post(
            "/tasks/createReturn",
            json!({"ids": [orig["uid"]], "date": NEXT}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ret = &r.body["items"][0];
    assert_eq!(ret["reference"], "SO-9-R");
    assert_eq!(ret["date"], NEXT);
    assert_eq!(
        ret["location"]["postCode"],
        orig["pickup"]["location"]["postCode"]
    );
    assert_eq!(
        ret["pickup"]["location"]["postCode"],
        orig["location"]["postCode"]
    );
    assert_eq!(ret["returnOf"]["uid"], orig["uid"]);
    assert_ne!(ret["uid"], orig["uid"]);
    let o = http
        .get(&format!(
            "/tasks/{}",
            orig["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(o["returnTask"]["uid"], ret["uid"]);
    let twice = http
        .post("/tasks/createReturn", json!({"ids": [orig["uid"]]}))
        .await;
    assert_eq!(twice.status, 422);
    let mut no_pickup = task("SO-10", DAY);
    no_pickup.as_object_mut().map(|o| o.remove("pickup"));
    let np = http.post("/tasks", no_pickup).await.body;
    let refused = http
        .post("/tasks/createReturn", json!({"ids": [np["uid"]]}))
        .await;
    assert!(
        refused.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("pickup")
    );
}

#[tokio::test]
async fn locked_routes_refuse_clear_and_reorder_until_unlocked() {
    let sb = start().await;
    let http = Http::new(&sb);
    let (route, tasks) = route_with_three_stops(&http).await;
    let rid = route["_id"].as_str().unwrap_or_default().to_string();
    let lock = http.post("/routes/lock", json!({"ids": [rid]})).await;
    assert_eq!(lock.body["items"][0]["locked"], true, "{}", lock.body);
    let t = http
        .get(&format!(
            "/tasks/{}",
            tasks[0]["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(t["assignment"]["locked"], true);
    let uids: Vec<Value> = tasks.iter().rev().map(|t| t["uid"].clone()).collect();
    let reorder = http
        .post("/routes/setOrder", json!({"route": rid, "tasks": uids}))
        .await;
    assert_eq!(reorder.status, 409, "{}", reorder.body);
    let clear = http.post("/routes/clear", json!({"ids": [rid]})).await;
    assert_eq!(clear.status, 422);
    assert!(
        clear.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("locked")
    );
    assert_eq!(http.delete(&format!("/routes/{rid}")).await.status, 409);

    http.post("/routes/unlock", json!({"ids": [rid]})).await;
    let before = http.get(&format!("/routes/{rid}")).await.body;
    let reorder = http
        .post("/routes/setOrder", json!({"route": rid, "tasks": uids}))
        .await;
    assert_eq!(reorder.status, 200, "{}", reorder.body);
    assert_eq!(leg_refs(&reorder.body), ["S-3", "S-2", "S-1"]);
    assert_ne!(
        reorder.body["legs"][0]["eta"], before["legs"][0]["eta"],
        "ETAs follow the order"
    );
    let first = http
        .get(&format!(
            "/tasks/{}",
            tasks[2]["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(first["assignment"]["routeOrder"], 1);
    // A stop the driver is on the way to keeps its place: moving it is refused, an order
    // that leaves it first is taken.
    let s3 = tasks[2]["_id"].as_str().unwrap_or_default().to_string();
    http.put(&format!("/tasks/{s3}"), json!({"state": 40}))
        .await;
    let moved = http
        .post(
            "/routes/setOrder",
            json!({"route": rid, "tasks": [uids[1], uids[0], uids[2]]}),
        )
        .await;
    assert_eq!(moved.status, 409, "{}", moved.body);
    assert!(
        moved.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("S-3 is en route and keeps its place"),
        "{}",
        moved.body
    );
    let kept = http
        .post(
            "/routes/setOrder",
            json!({"route": rid, "tasks": [uids[0], uids[2], uids[1]]}),
        )
        .await;
    assert_eq!(kept.status, 200, "{}", kept.body);
    assert_eq!(leg_refs(&kept.body), ["S-3", "S-1", "S-2"]);
    let restored = http.put(&format!("/tasks/{s3}"), json!({"state": 0})).await;
    assert_eq!(restored.status, 200, "{}", restored.body);
    let partial = http
        .post(
            "/routes/setOrder",
            json!({"route": rid, "tasks": [uids[0]]}),
        )
        .await;
    assert_eq!(partial.status, 422);
    assert!(
        partial.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("missing")
    );

    let planned = http
        .post("/routes/setPlannedETAs", json!({"ids": [rid]}))
        .await;
    let legs = planned.body["items"][0]["legs"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        legs.iter()
            .all(|l| l["plannedEta"] == l["eta"] && l["plannedEta"].is_u64()),
        "{legs:?}"
    );
    let t = http
        .get(&format!(
            "/tasks/{}",
            tasks[0]["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(t["assignment"]["plannedEta"], t["assignment"]["eta"]);

    http.put(
        &format!("/tasks/{}", tasks[0]["_id"].as_str().unwrap_or_default()),
        json!({"state": 60}),
    )
    .await;
    let cleared = http.post("/routes/clear", json!({"ids": [rid]})).await;
    assert_eq!(cleared.status, 200, "{}", cleared.body);
    assert_eq!(
        leg_refs(&cleared.body["items"][0]),
        ["S-1"],
        "completed stops stay on the route"
    );
    let free = http
        .get(&format!("/tasks?date={DAY}&assignment.state=0"))
        .await;
    assert_eq!(free.total, Some(2));
}

#[tokio::test]
async fn exceptions_per_driver_and_date() {
    let sb = start().await;
    let http = Http::new(&sb);
    let d = http
        .post(
            "/drivers",
            json!({"firstName": "Ben", "reference": "van-7"}),
        )
        .await
        .body;
    let other = http.post("/drivers", json!({"firstName": "Cy"})).await.body;
    let items = json!({"items": [
        {"driver": {"uid": d["uid"]}, "dateRange": {"startDate": 20251222, "endDate": 20251226}, "dayOff": true},
        {"driver": {"reference": "van-7"}, "dateRange": {"startDate": 20251110, "endDate": 20251114},
         "overrides": {"schedule": {"timeWindows": [{"start": 360, "end": 840}]}, "skills": ["fridge"]}},
        {"driver": {"id": other["_id"]}, "dateRange": {"startDate": 20251222, "endDate": 20251222}, "dayOff": true},
        {"driver": {"uid": d["uid"]}, "dateRange": {"startDate": 20251226, "endDate": 20251222}},
    ]});
    let r = http
        .post("/driver-schedule-exceptions/createMany", items)
        .await;
    assert_eq!(r.body["result"], 3, "{}", r.body);
    assert_eq!(
        r.body["errors"][0]["index"], 3,
        "a range that ends before it starts is refused"
    );
    let mine = http
        .get(&format!(
            "/driver-schedule-exceptions/driver/{}",
            d["uid"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(mine.total, Some(2), "{}", mine.body);
    let by_ref = http
        .get("/driver-schedule-exceptions/driver/van-7?date=20251224")
        .await;
    assert_eq!(by_ref.total, Some(1));
    let on_day = http.get("/driver-schedule-exceptions?date=20251222").await;
    assert_eq!(on_day.total, Some(2));
    assert_eq!(
        http.get("/driver-schedule-exceptions/driver/DR-NOBODY00")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn task_templates_schedule_and_absorb_tasks() {
    let sb = start().await;
    let http = Http::new(&sb);
    let mut tpl_task = task("daily-drop", DAY);
    tpl_task.as_object_mut().map(|o| o.remove("date"));
    let g = http
        .post(
            "/task-template-groups",
            json!({"name": "Daily drop", "schedulePattern": {"frequency": "daily", "interval": 1,
                   "dateRange": {"startDate": DAY, "endDate": NEXT}},
                   "taskTemplates": [{"active": true, "task": tpl_task.clone()}, {"active": false, "task": tpl_task}]}),
        )
        .await
        .body;
    assert!(g["taskTemplates"][0]["uid"].is_string(), "{g}");
    let s = http
        .post(
            "/task-template-groups/scheduleForDates",
            json!({"ids": [g["uid"]], "dates": [DAY, NEXT, 20251110]}),
        )
        .await;
    assert_eq!(
        s.body["result"], 2,
        "only the active template, only inside the range: {}",
        s.body
    );
    assert!(
        s.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("outside")
    );
    assert_eq!(
        http.get(&format!("/tasks?date={NEXT}&reference=daily-drop"))
            .await
            .total,
        Some(1)
    );

    let extra = http.post("/tasks", task("adhoc-1", DAY)).await.body;
    let add = http
        .post(
            &format!(
                "/task-template-groups/{}/addTasks",
                g["_id"].as_str().unwrap_or_default()
            ),
            json!({"tasks": [extra["uid"]]}),
        )
        .await;
    assert_eq!(add.status, 200, "{}", add.body);
    let tpls = add.body["taskTemplates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(tpls.len(), 3);
    assert_eq!(tpls[2]["task"]["reference"], "adhoc-1");
    assert!(tpls[2]["task"].get("date").is_none() && tpls[2]["task"].get("_id").is_none());
    let missing = http
        .post(
            &format!(
                "/task-template-groups/{}/addTasks",
                g["_id"].as_str().unwrap_or_default()
            ),
            json!({"tasks": ["T-NOPE0000"]}),
        )
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn tracking_and_missing_pod() {
    let sb = start().await;
    let http = Http::new(&sb);
    let t = http.post("/tasks", task("trk-1", DAY)).await.body;
    let s = http
        .post("/tasks/startTracking", json!({"ids": [t["uid"]]}))
        .await;
    let code = s.body["items"][0]["tracking"]["code"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert_eq!(code.len(), 6, "{}", s.body);
    let again = http
        .post("/tasks/startTracking", json!({"ids": [t["uid"]]}))
        .await;
    assert_eq!(
        again.body["items"][0]["tracking"]["code"],
        code.as_str(),
        "the code is stable"
    );
    let pod = http
        .get(&format!(
            "/tasks/{}/pod",
            t["uid"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(pod.status, 404);
    assert!(
        pod.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("no proof of delivery")
    );
}
