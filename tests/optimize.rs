//! Route optimization through real HTTP: jobs, constraints checked stop by stop, apply,
//! locks, day-off exceptions, cancellation, errors, data sets, the OSRM path, and the demo
//! data's today and tomorrow.

mod common;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::Path;
use axum::routing::get;
use common::{Http, start, start_demo, start_with, task};
use elogii_console::api::model::Date;
use serde_json::{Value, json};

const DAY: u32 = 20251103; // a Monday

fn at(lon: f64, lat: f64) -> Value {
    json!({"type": 2, "coordinates": [lon, lat]})
}

fn stop_task(reference: &str, lon: f64, lat: f64, windows: Value, weight: f64) -> Value {
    let mut t = task(reference, DAY);
    if let Some(o) = t.as_object_mut() {
        o.remove("pickup");
    }
    t["location"] = at(lon, lat);
    t["timeWindows"] = windows;
    t["size"] = json!({"Weight": weight});
    t
}

/// The day: drivers Ann (big fridge van, hazmat, lunch break), Bob (small van, open route),
/// Cid (day off), Eve (locked route with two stops); twelve tasks that fit and three that
/// cannot (too heavy, a skill nobody has, a window before anyone works).
struct Day {
    drivers: HashMap<String, Value>,
    locked_route: Value,
    impossible: Vec<&'static str>,
}

async fn build_day(http: &Http) -> Day {
    let depot = http
        .post(
            "/depots",
            json!({"name": "Park Royal", "coordinates": [-0.2620, 51.5290]}),
        )
        .await
        .body;
    let home = json!({"type": 0, "uid": depot["uid"]});
    let mk_vehicle = |name: &str, weight: f64, caps: Value| json!({"name": name, "capacity": {"Weight": weight}, "capabilities": caps});
    let v1 = http
        .post(
            "/vehicles",
            mk_vehicle("Fridge van", 100.0, json!(["refrigerated"])),
        )
        .await
        .body;
    let v2 = http
        .post("/vehicles", mk_vehicle("Small van", 60.0, json!([])))
        .await
        .body;
    let v3 = http
        .post("/vehicles", mk_vehicle("Spare van", 60.0, json!([])))
        .await
        .body;
    let v4 = http
        .post("/vehicles", mk_vehicle("Eve's van", 60.0, json!([])))
        .await
        .body;
    let driver = |first: &str, vehicle: &Value, schedule: Value, end: bool, skills: Value| {
        let mut d = json!({"firstName": first, "vehicle": vehicle["uid"], "startLocation": home,
                           "schedule": {"Mon": schedule}, "skills": skills});
        if end {
            d["endLocation"] = home.clone();
        }
        d
    };
    let mut drivers = HashMap::new();
    for (name, body) in [
        (
            "Ann",
            driver(
                "Ann",
                &v1,
                json!({"timeWindows": [{"start": 480, "end": 1020}],
                       "breaks": [{"timeWindow": {"start": 540, "end": 600}, "duration": 30}]}),
                true,
                json!(["hazmat"]),
            ),
        ),
        (
            "Bob",
            driver(
                "Bob",
                &v2,
                json!({"timeWindows": [{"start": 540, "end": 960}]}),
                false,
                json!([]),
            ),
        ),
        (
            "Cid",
            driver(
                "Cid",
                &v3,
                json!({"timeWindows": [{"start": 480, "end": 1020}]}),
                true,
                json!([]),
            ),
        ),
        (
            "Eve",
            driver(
                "Eve",
                &v4,
                json!({"timeWindows": [{"start": 480, "end": 1020}]}),
                true,
                json!([]),
            ),
        ),
    ] {
        let d = http.post("/drivers", body).await;
        assert_eq!(d.status, 201, "{}", d.body);
        drivers.insert(name.to_string(), d.body);
    }
    let exc = http
        .post(
            "/driver-schedule-exceptions",
            json!({"driver": {"uid": drivers["Cid"]["uid"]},
                   "dateRange": {"startDate": DAY, "endDate": DAY}, "dayOff": true}),
        )
        .await;
    assert_eq!(exc.status, 201, "{}", exc.body);
    // Eve's route, made by route-template scheduling, then locked.
    let tpl = |r: &str, lon: f64, lat: f64| json!({"active": true, "task": stop_task(r, lon, lat, json!([{"start": 420, "end": 1200}]), 5.0)});
    let group = http
        .post(
            "/route-template-groups",
            json!({"name": "Eve", "keepAssignees": true,
                   "schedulePattern": {"frequency": "weekly", "interval": 1, "weekDays": ["Mon"]},
                   "routeTemplates": [{"name": "Eve", "driver": {"uid": drivers["Eve"]["uid"]},
                       "taskTemplates": [tpl("E-1", -0.30, 51.50), tpl("E-2", -0.32, 51.49)]}]}),
        )
        .await
        .body;
    let sched = http
        .post(
            "/route-template-groups/scheduleForDates",
            json!({"ids": [group["_id"]], "dates": [DAY]}),
        )
        .await;
    assert_eq!(sched.body["result"], 2, "{}", sched.body);
    let routes = http.get(&format!("/routes?date={DAY}")).await.body;
    let lock = http
        .post("/routes/lock", json!({"ids": [routes[0]["_id"]]}))
        .await;
    assert_eq!(lock.status, 200, "{}", lock.body);
    let locked_route = http
        .get(&format!(
            "/routes/{}",
            routes[0]["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    // Tasks across west London, 4 km or so apart.
    let mut items = Vec::new();
    let all_day = json!([{"start": 480, "end": 1020}]);
    for i in 0..10 {
        let (lon, lat) = (-0.30 + 0.02 * (i % 5) as f64, 51.49 + 0.02 * (i / 5) as f64);
        let windows = match i {
            0 => json!([{"start": 540, "end": 600}, {"start": 840, "end": 900}]),
            1 => json!([{"start": 600, "end": 660}]),
            _ => all_day.clone(),
        };
        items.push(stop_task(&format!("T-{i}"), lon, lat, windows, 8.0));
    }
    let mut hazmat = stop_task("HAZ", -0.22, 51.52, all_day.clone(), 5.0);
    hazmat["skills"] = json!(["hazmat"]);
    let mut cold = stop_task("COLD", -0.24, 51.50, all_day.clone(), 5.0);
    cold["capabilities"] = json!(["refrigerated"]);
    let mut pair = stop_task("PAIR", -0.20, 51.51, all_day.clone(), 30.0);
    pair["pickup"] = json!({"location": at(-0.27, 51.53), "serviceDuration": 5});
    let heavy = stop_task("HEAVY", -0.25, 51.51, all_day.clone(), 500.0);
    let mut crane = stop_task("CRANE", -0.26, 51.51, all_day.clone(), 1.0);
    crane["skills"] = json!(["crane"]);
    let dawn = stop_task(
        "DAWN",
        -0.26,
        51.52,
        json!([{"start": 300, "end": 330}]),
        1.0,
    );
    items.extend([hazmat, cold, pair, heavy, crane, dawn]);
    let created = http
        .post("/tasks/createMany", json!({"items": items}))
        .await;
    assert_eq!(created.body["result"], 16, "{}", created.body);
    Day {
        drivers,
        locked_route,
        impossible: vec!["HEAVY", "CRANE", "DAWN"],
    }
}

/// Polls a job until it leaves `running`.
async fn finished(http: &Http, job: &str) -> Value {
    for _ in 0..600 {
        let s = http.get(&format!("/optimization/jobs/{job}")).await;
        assert_eq!(s.status, 200, "{}", s.body);
        if s.body["status"] != "running" {
            return s.body;
        }
        let p = s.body["progress"].as_f64().unwrap_or(-1.0);
        assert!((0.0..=1.0).contains(&p), "progress {p}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("job {job} never finished");
}

async fn run(http: &Http, path: &str, body: Value) -> Value {
    let started = http.post(path, body).await;
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.body["jobId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(id.starts_with("OPT-"), "{}", started.body);
    finished(http, &id).await
}

fn refs(route: &Value) -> Vec<(String, String)> {
    route["stops"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["task"]["reference"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                s["segment"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn optimizing_a_day_assigns_what_fits_keeps_every_rule_and_applies() {
    let sb = start().await;
    let http = Http::new(&sb);
    let day = build_day(&http).await;
    let tasks: Vec<Value> = http
        .get(&format!("/tasks?date={DAY}"))
        .await
        .body
        .as_array()
        .cloned()
        .unwrap_or_default();
    let by_ref: HashMap<String, Value> = tasks
        .iter()
        .map(|t| {
            (
                t["reference"].as_str().unwrap_or_default().to_string(),
                t.clone(),
            )
        })
        .collect();
    let job = run(
        &http,
        "/optimization/dates",
        json!({"dates": [DAY], "timeLimitSeconds": 2}),
    )
    .await;
    assert_eq!(job["status"], "done", "{job}");
    let result = &job["result"];
    let routes = result["routes"].as_array().cloned().unwrap_or_default();

    // Every task that can be assigned is; the three that cannot say why.
    let served: Vec<String> = routes
        .iter()
        .flat_map(|r| {
            refs(r)
                .into_iter()
                .filter(|(_, s)| s == "delivery")
                .map(|(r, _)| r)
        })
        .collect();
    let mut expected: Vec<String> = by_ref
        .keys()
        .filter(|r| !day.impossible.contains(&r.as_str()) && !r.starts_with("E-"))
        .cloned()
        .collect();
    expected.sort();
    let mut got = served.clone();
    got.sort();
    assert_eq!(got, expected, "{result}");
    let reasons: HashMap<String, String> = result["unassigned"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            (
                u["task"]["reference"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                u["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 3, "{result}");
    assert_eq!(reasons["HEAVY"], "capacity");
    assert_eq!(reasons["CRANE"], "skills");
    assert!(
        ["timeWindow", "workingHours"].contains(&reasons["DAWN"].as_str()),
        "{}",
        reasons["DAWN"]
    );

    // Cid is off, Eve's route is locked: neither gets a plan.
    let route_of = |name: &str| {
        routes
            .iter()
            .find(|r| r["driver"]["uid"] == day.drivers[name]["uid"])
            .cloned()
    };
    assert!(
        route_of("Cid").is_none() && route_of("Eve").is_none(),
        "{result}"
    );
    let skipped = result["skippedDrivers"].to_string();
    assert!(
        skipped.contains("day off") && skipped.contains("route locked"),
        "{skipped}"
    );

    // Stop by stop: windows, skills, capabilities, pairing, capacity, working hours, break.
    let capacity = |name: &str| if name == "Ann" { 100.0 } else { 60.0 };
    for name in ["Ann", "Bob"] {
        let Some(r) = route_of(name) else { continue };
        let mut load: f64 = r["stops"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|s| s["segment"] == "delivery")
            .map(|s| &by_ref[s["task"]["reference"].as_str().unwrap_or_default()])
            .filter(|t| t.get("pickup").is_none())
            .map(|t| t["size"]["Weight"].as_f64().unwrap_or(0.0))
            .sum();
        assert!(load <= capacity(name), "{name} starts with {load}");
        let mut picked = Vec::new();
        for s in r["stops"].as_array().into_iter().flatten() {
            let reference = s["task"]["reference"].as_str().unwrap_or_default();
            let t = &by_ref[reference];
            let eta = s["eta"].as_f64().unwrap_or(-1.0);
            let weight = t["size"]["Weight"].as_f64().unwrap_or(0.0);
            if s["segment"] == "pickup" {
                picked.push(reference.to_string());
                load += weight;
            } else {
                let windows = t["timeWindows"].as_array().cloned().unwrap_or_default();
                assert!(
                    windows.iter().any(|w| {
                        eta >= w["start"].as_f64().unwrap_or(0.0) - 1.0
                            && eta <= w["end"].as_f64().unwrap_or(0.0) + 1.0
                    }),
                    "{name}: {reference} at {eta} outside {windows:?}"
                );
                if t.get("pickup").is_some() {
                    assert!(
                        picked.contains(&reference.to_string()),
                        "{reference} delivered before pickup"
                    );
                }
                load -= weight;
            }
            assert!(
                load <= capacity(name) + 1e-9,
                "{name} overloaded at {reference}: {load}"
            );
            if reference == "HAZ" || reference == "COLD" {
                assert_eq!(name, "Ann", "{reference} needs Ann's skill or van");
            }
        }
        let (start, end) = if name == "Ann" {
            (480, 1020)
        } else {
            (540, 960)
        };
        assert_eq!(
            r["start"], start,
            "{name} leaves at the start of the schedule"
        );
        assert!(
            r["end"].as_i64().unwrap_or(i64::MAX) <= end,
            "{name} works late: {}",
            r["end"]
        );
        if name == "Ann" {
            // Her day runs past 09:00, so the break (start 09:00–10:00) is taken.
            let b = &r["breaks"][0];
            let s = b["start"].as_i64().unwrap_or(0);
            assert!((540..=600).contains(&s) && b["duration"] == 30.0, "{r}");
            let stops = r["stops"].as_array().cloned().unwrap_or_default();
            assert!(
                !stops.iter().any(|x| {
                    let (a, d) = (
                        x["eta"].as_i64().unwrap_or(0),
                        x["departure"].as_i64().unwrap_or(0),
                    );
                    d > s && a < s + 30
                }),
                "no stop overlaps the break: {r}"
            );
        }
    }

    // Apply: routes and tasks follow the plan; the locked route is untouched.
    let job_id = job["jobId"].as_str().unwrap_or_default();
    let applied = http
        .post(&format!("/optimization/jobs/{job_id}/apply"), json!({}))
        .await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    let again = http
        .post(&format!("/optimization/jobs/{job_id}/apply"), json!({}))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);
    let stored = http.get(&format!("/routes?date={DAY}")).await.body;
    let stored = stored.as_array().cloned().unwrap_or_default();
    for r in &stored {
        let typed: Result<elogii_console::api::model::Route, _> = serde_json::from_value(r.clone());
        assert!(
            typed.is_ok(),
            "applied routes read as the Route model: {typed:?} {r}"
        );
    }
    let locked_now = stored
        .iter()
        .find(|r| r["_id"] == day.locked_route["_id"])
        .cloned();
    assert_eq!(
        locked_now.as_ref(),
        Some(&day.locked_route),
        "locked route unchanged"
    );
    assert!(
        !stored
            .iter()
            .any(|r| r["assignee"]["uid"] == day.drivers["Cid"]["uid"])
    );
    for name in ["Ann", "Bob"] {
        let Some(planned) = route_of(name) else {
            continue;
        };
        let r = stored
            .iter()
            .find(|r| r["assignee"]["uid"] == day.drivers[name]["uid"])
            .cloned()
            .unwrap_or(Value::Null);
        let legs: Vec<(String, String)> = r["legs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                (
                    l["taskInfo"]["reference"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    l["segment"].as_str().unwrap_or("delivery").to_string(),
                )
            })
            .collect();
        assert_eq!(
            legs,
            refs(&planned),
            "{name}'s stored stops follow the plan"
        );
        for (leg, stop) in r["legs"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(planned["stops"].as_array().into_iter().flatten())
        {
            let (a, b) = (
                leg["eta"].as_i64().unwrap_or(0),
                stop["eta"].as_i64().unwrap_or(0),
            );
            assert!((a - b).abs() <= 1, "{name}: stored ETA {a}, planned {b}");
            assert_eq!(leg["lateness"], 0.0, "{leg}");
        }
    }
    let after: Vec<Value> = http
        .get(&format!("/tasks?date={DAY}"))
        .await
        .body
        .as_array()
        .cloned()
        .unwrap_or_default();
    for t in &after {
        let reference = t["reference"].as_str().unwrap_or_default();
        let on_route = t["assignment"]["routeUID"].is_string();
        assert_eq!(
            on_route,
            !day.impossible.contains(&reference),
            "{reference}: {}",
            t["assignment"]
        );
    }
}

#[tokio::test]
async fn a_started_task_stays_first_and_a_route_locked_meanwhile_refuses_the_plan() {
    let sb = start().await;
    let http = Http::new(&sb);
    let day = build_day(&http).await;
    // Bob gets a route with two stops; the second is under way.
    let t = http
        .get(&format!("/tasks?date={DAY}&reference=T-3"))
        .await
        .body[0]
        .clone();
    let u = http
        .get(&format!("/tasks?date={DAY}&reference=T-4"))
        .await
        .body[0]
        .clone();
    let group = http
        .post(
            "/task-template-groups",
            json!({"name": "x", "keepAssignees": true,
                   "schedulePattern": {"frequency": "daily", "interval": 1}}),
        )
        .await;
    assert_eq!(group.status, 201, "{}", group.body);
    // Put T-3, T-4 on Bob's route in that order through a route template.
    let rt = http
        .post(
            "/route-template-groups",
            json!({"name": "Bob", "keepAssignees": true,
                   "schedulePattern": {"frequency": "weekly", "interval": 1, "weekDays": ["Mon"]},
                   "routeTemplates": [{"name": "Bob", "driver": {"uid": day.drivers["Bob"]["uid"]},
                       "taskTemplates": [
                           {"active": true, "task": stop_task("B-1", -0.28, 51.51, json!([{"start": 480, "end": 1020}]), 2.0)},
                           {"active": true, "task": stop_task("B-2", -0.29, 51.52, json!([{"start": 480, "end": 1020}]), 2.0)}]}]}),
        )
        .await
        .body;
    let sched = http
        .post(
            "/route-template-groups/scheduleForDates",
            json!({"ids": [rt["_id"]], "dates": [DAY]}),
        )
        .await;
    assert_eq!(sched.body["result"], 2, "{}", sched.body);
    let _ = (t, u);
    let b2 = http
        .get(&format!("/tasks?date={DAY}&reference=B-2"))
        .await
        .body[0]
        .clone();
    let put = http
        .put(
            &format!("/tasks/{}", b2["_id"].as_str().unwrap_or_default()),
            json!({"state": 40}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let job = run(
        &http,
        "/optimization/dates",
        json!({"dates": [DAY], "timeLimitSeconds": 1}),
    )
    .await;
    assert_eq!(job["status"], "done", "{job}");
    let bob = job["result"]["routes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["driver"]["uid"] == day.drivers["Bob"]["uid"])
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(bob["stops"][0]["task"]["reference"], "B-2", "{bob}");
    assert_eq!(bob["stops"][0]["pinned"], true);
    // Bob's route is locked after the job started: applying now is refused.
    let bob_route = http
        .get(&format!(
            "/routes?date={DAY}&assignee.uid={}",
            day.drivers["Bob"]["uid"].as_str().unwrap_or_default()
        ))
        .await
        .body[0]
        .clone();
    http.post("/routes/lock", json!({"ids": [bob_route["_id"]]}))
        .await;
    let job_id = job["jobId"].as_str().unwrap_or_default();
    let refused = http
        .post(&format!("/optimization/jobs/{job_id}/apply"), json!({}))
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.body["error"], "conflict");
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("locked"),
        "{}",
        refused.body
    );
    http.post("/routes/unlock", json!({"ids": [bob_route["_id"]]}))
        .await;
    let ok = http
        .post(&format!("/optimization/jobs/{job_id}/apply"), json!({}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let route = http
        .get(&format!(
            "/routes/{}",
            bob_route["_id"].as_str().unwrap_or_default()
        ))
        .await
        .body;
    assert_eq!(route["legs"][0]["taskInfo"]["reference"], "B-2", "{route}");
}

#[tokio::test]
async fn a_job_can_be_cancelled_and_bad_input_gets_clear_errors() {
    let sb = start().await;
    let http = Http::new(&sb);
    build_day(&http).await;
    let started = http
        .post(
            "/optimization/dates",
            json!({"dates": [DAY], "timeLimitSeconds": 120}),
        )
        .await;
    assert_eq!(started.status, 202, "{}", started.body);
    let id = started.body["jobId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let c = http
        .post(&format!("/optimization/jobs/{id}/cancel"), json!({}))
        .await;
    assert_eq!(c.status, 200, "{}", c.body);
    assert_eq!(c.body["status"], "cancelled");
    let done = finished(&http, &id).await;
    assert_eq!(done["status"], "cancelled", "{done}");
    assert!(done["result"].is_null());
    let apply = http
        .post(&format!("/optimization/jobs/{id}/apply"), json!({}))
        .await;
    assert_eq!(apply.status, 409, "{}", apply.body);

    for (path, body, status, needle) in [
        (
            "/optimization/routes",
            json!({"ids": ["RT-NOPE0000"]}),
            404,
            "RT-NOPE0000",
        ),
        (
            "/optimization/dates",
            json!({"dates": [20251340]}),
            400,
            "20251340",
        ),
        (
            "/optimization/dates",
            json!({"dates": []}),
            400,
            "at least one day",
        ),
        (
            "/optimization/dates",
            json!({"dates": [DAY], "timeLimitSeconds": 0}),
            400,
            "timeLimitSeconds",
        ),
        (
            "/optimization/dateRange",
            json!({"dateRange": {"startDate": 20251110, "endDate": 20251103}}),
            400,
            "before it starts",
        ),
        (
            "/optimization/dataset",
            json!({
                "drivers": [{"uid": "DR-X", "startLocation": at(-0.1, 51.5)}],
                "tasks": [stop_task("T-BACKWARDS", -0.1, 51.5, json!([{"start": 900, "end": 600}]), 1.0)],
            }),
            422,
            "tasks[0]: timeWindows[0]: time window ends (10:00) before it starts (15:00)",
        ),
    ] {
        let a = http.post(path, body).await;
        assert_eq!(a.status, status, "{path}: {}", a.body);
        assert!(
            a.body["message"]
                .as_str()
                .unwrap_or_default()
                .contains(needle),
            "{}",
            a.body
        );
    }
    let missing = http.get("/optimization/jobs/OPT-nope").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["error"], "not_found");
}

#[tokio::test]
async fn date_range_and_route_scopes_plan_their_own_tasks() {
    let sb = start().await;
    let http = Http::new(&sb);
    let day = build_day(&http).await;
    // A task for any day of the week: planned on Monday, the only day drivers work.
    let mut flexible = stop_task(
        "FLEX",
        -0.25,
        51.50,
        json!([{"start": 600, "end": 900}]),
        1.0,
    );
    if let Some(o) = flexible.as_object_mut() {
        o.remove("date");
    }
    flexible["dateRange"] = json!({"startDate": DAY, "endDate": 20251107});
    assert_eq!(http.post("/tasks", flexible).await.status, 201);
    let job = run(
        &http,
        "/optimization/dateRange",
        json!({"dateRange": {"startDate": DAY, "endDate": 20251107}, "timeLimitSeconds": 1}),
    )
    .await;
    assert_eq!(job["status"], "done", "{job}");
    let served: Vec<String> = job["result"]["routes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| refs(r).into_iter().map(|(r, _)| r))
        .collect();
    assert!(served.contains(&"FLEX".to_string()), "{job}");
    assert!(
        job["result"]["routes"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r["date"] == DAY)
    );
    let applied = http
        .post(
            &format!(
                "/optimization/jobs/{}/apply",
                job["jobId"].as_str().unwrap_or_default()
            ),
            json!({}),
        )
        .await;
    assert_eq!(applied.status, 200, "{}", applied.body);
    let flex = http.get("/tasks?reference=FLEX").await.body[0].clone();
    assert_eq!(flex["date"], DAY, "{flex}");
    // Re-optimizing Ann's route keeps it to Ann's stops.
    let ann = http
        .get(&format!(
            "/routes?date={DAY}&assignee.uid={}",
            day.drivers["Ann"]["uid"].as_str().unwrap_or_default()
        ))
        .await
        .body[0]
        .clone();
    let before: Vec<Value> = ann["legs"].as_array().cloned().unwrap_or_default();
    let job = run(
        &http,
        "/optimization/routes",
        json!({"ids": [ann["uid"]], "timeLimitSeconds": 1}),
    )
    .await;
    assert_eq!(job["status"], "done", "{job}");
    let routes = job["result"]["routes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        routes.len() <= 1
            && routes
                .iter()
                .all(|r| r["driver"]["uid"] == day.drivers["Ann"]["uid"])
    );
    assert_eq!(
        routes
            .first()
            .map_or(0, |r| r["stops"].as_array().map_or(0, Vec::len)),
        before.len(),
        "{job}"
    );
    let locked = http
        .post(
            "/optimization/routes",
            json!({"ids": [day.locked_route["uid"]]}),
        )
        .await;
    assert_eq!(locked.status, 409, "{}", locked.body);
}

#[tokio::test]
async fn a_data_set_is_solved_without_touching_the_store_through_an_osrm_stand_in() {
    // The stand-in answers /table like OSRM: 10 minutes per 0.01 degree of Manhattan
    // distance, much slower than the sandbox's own model (about 2 minutes).
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let osrm = Router::new().route(
        "/table/v1/driving/{coords}",
        get(move |Path(coords): Path<String>| {
            let seen = seen.clone();
            async move {
                seen.fetch_add(1, Ordering::SeqCst);
                let pts: Vec<(f64, f64)> = coords
                    .split(';')
                    .filter_map(|p| {
                        let (a, b) = p.split_once(',')?;
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                    .collect();
                let table = |per_degree: f64| -> Vec<Vec<f64>> {
                    pts.iter()
                        .map(|a| pts.iter().map(|b| ((a.0 - b.0).abs() + (a.1 - b.1).abs()) * per_degree).collect())
                        .collect()
                };
                axum::Json(json!({"code": "Ok", "durations": table(60_000.0), "distances": table(111_000.0)}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, osrm).await;
    });
    let sb = start_with(|o| o.osrm_url = Some(format!("http://{addr}"))).await;
    let http = Http::new(&sb);
    let tasks: Vec<Value> = (0..4)
        .map(|i| {
            let mut t = stop_task(
                &format!("D-{i}"),
                -0.2 + 0.01 * i as f64,
                51.5,
                json!([{"start": 480, "end": 1020}]),
                1.0,
            );
            t["_id"] = json!(format!("ext-{i}"));
            t
        })
        .collect();
    let job = run(
        &http,
        "/optimization/dataset",
        json!({
            "drivers": [{"uid": "DR-EXT", "firstName": "Zed", "startLocation": at(-0.21, 51.5),
                         "capacity": {"Weight": 3}, "schedule": {"Mon": {"timeWindows": [{"start": 480, "end": 1020}]}}}],
            "tasks": tasks,
            "timeLimitSeconds": 1,
        }),
    )
    .await;
    assert_eq!(job["status"], "done", "{job}");
    assert_eq!(job["result"]["matrix"], "osrm");
    assert!(calls.load(Ordering::SeqCst) >= 1, "the stand-in was asked");
    let r = &job["result"]["routes"][0];
    assert_eq!(
        r["stops"].as_array().map(Vec::len),
        Some(3),
        "capacity 3 of weight 1: {job}"
    );
    assert_eq!(
        job["result"]["unassigned"][0]["reason"], "capacity",
        "{job}"
    );
    // Neighbours are 10 minutes apart in the stand-in's table, plus 10 minutes of service.
    let etas: Vec<i64> = r["stops"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["eta"].as_i64())
        .collect();
    assert!(etas.windows(2).all(|w| w[1] - w[0] >= 19), "{etas:?}");
    assert_eq!(
        http.get("/tasks").await.body,
        json!([]),
        "the store is untouched"
    );
    let apply = http
        .post(
            &format!(
                "/optimization/jobs/{}/apply",
                job["jobId"].as_str().unwrap_or_default()
            ),
            json!({}),
        )
        .await;
    assert_eq!(apply.status, 409, "{}", apply.body);
}

#[tokio::test]
async fn a_plain_data_set_under_the_vehicles_goal_is_planned_on_the_fewest_drivers() {
    // Twelve tasks of weight 1 in a row eastwards from the depot, three drivers of capacity
    // 6: two drivers suffice, one taking the near six and one the far six (the shortest
    // plan on two). A plain plan like this one also gets our own search after the engine's.
    let sb = start().await;
    let http = Http::new(&sb);
    let tasks: Vec<Value> = (1..=12)
        .map(|i| {
            let mut t = stop_task(
                &format!("D-{i}"),
                -0.2 + 0.005 * f64::from(i),
                51.5,
                json!([{"start": 480, "end": 1140}]),
                1.0,
            );
            t["_id"] = json!(format!("ext-{i}"));
            t
        })
        .collect();
    let driver = |uid: &str| {
        json!({"uid": uid, "firstName": uid, "startLocation": at(-0.2, 51.5),
               "endLocation": at(-0.2, 51.5), "capacity": {"Weight": 6},
               "schedule": {"Mon": {"timeWindows": [{"start": 480, "end": 1140}]}}})
    };
    let job = run(
        &http,
        "/optimization/dataset",
        json!({
            "drivers": [driver("DR-A"), driver("DR-B"), driver("DR-C")],
            "tasks": tasks,
            "goal": "vehiclesThenDistance",
            "timeLimitSeconds": 2,
        }),
    )
    .await;
    assert_eq!(job["status"], "done", "{job}");
    let routes = list(&job["result"]["routes"]);
    assert_eq!(routes.len(), 2, "{job}");
    assert_eq!(list(&job["result"]["unassigned"]), Vec::<Value>::new());
    let mut sets: Vec<Vec<String>> = routes
        .iter()
        .map(|r| {
            let mut ids: Vec<String> = refs(r).into_iter().map(|(id, _)| id).collect();
            ids.sort_by_key(|id| id.trim_start_matches("D-").parse::<u32>().unwrap_or(0));
            ids
        })
        .collect();
    sets.sort();
    let ids = |range: std::ops::RangeInclusive<u32>| -> Vec<String> {
        range.map(|i| format!("D-{i}")).collect()
    };
    assert_eq!(sets, vec![ids(1..=6), ids(7..=12)], "{job}");
}

/// The demo's today: a Friday, so tomorrow is a Saturday with the weekend crew.
const DEMO_TODAY: u32 = 20261204;

fn list(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_default()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn strs(v: &Value) -> Vec<String> {
    list(v)
        .iter()
        .filter_map(|s| s.as_str().map(String::from))
        .collect()
}

/// What a driver brings to one day: working minutes, breaks (window start, end, minutes),
/// skills, and their vehicle's capacity and capabilities.
struct Crew {
    start: f64,
    end: f64,
    breaks: Vec<(f64, f64, f64)>,
    skills: Vec<String>,
    capacity: Option<serde_json::Map<String, Value>>,
    capabilities: Vec<String>,
}

fn crew(driver: &Value, vehicles: &[Value], exceptions: &[Value], day: u32, weekday: &str) -> Crew {
    let exception = exceptions.iter().find(|e| {
        e["driver"]["uid"] == driver["uid"]
            && e["dateRange"]["startDate"].as_u64().unwrap_or(0) <= u64::from(day)
            && e["dateRange"]["endDate"].as_u64().unwrap_or(0) >= u64::from(day)
    });
    let over = |k: &str| {
        exception
            .map(|e| e["overrides"][k].clone())
            .filter(|v| !v.is_null())
    };
    let schedule = over("schedule").unwrap_or_else(|| driver["schedule"][weekday].clone());
    let windows = list(&schedule["timeWindows"]);
    let start = windows
        .iter()
        .map(|w| num(&w["start"]))
        .fold(f64::INFINITY, f64::min);
    let end = windows.iter().map(|w| num(&w["end"])).fold(0.0, f64::max)
        + driver["overtimeTolerance"].as_f64().unwrap_or(0.0);
    let breaks = list(&schedule["breaks"])
        .iter()
        .map(|b| {
            let (s, e) = if b["timeWindow"].is_object() {
                (num(&b["timeWindow"]["start"]), num(&b["timeWindow"]["end"]))
            } else {
                (
                    start + num(&b["offset"]["start"]),
                    start + num(&b["offset"]["end"]),
                )
            };
            (s, e, num(&b["duration"]))
        })
        .collect();
    let vehicle = vehicles.iter().find(|v| {
        let key = &driver["vehicle"];
        v["uid"] == *key || v["_id"] == *key || (key.is_object() && v["uid"] == key["uid"])
    });
    Crew {
        start,
        end,
        breaks,
        skills: strs(&over("skills").unwrap_or_else(|| driver["skills"].clone())),
        capacity: vehicle.and_then(|v| v["capacity"].as_object().cloned()),
        capabilities: vehicle
            .map(|v| strs(&v["capabilities"]))
            .unwrap_or_default(),
    }
}

/// Size of a task per dimension: its `size`, else the sum of its items' sizes.
fn size_of(t: &Value) -> HashMap<String, f64> {
    let mut out = HashMap::new();
    let sources = match t["size"].as_object() {
        Some(_) => vec![t["size"].clone()],
        None => list(&t["items"])
            .iter()
            .map(|i| i["size"].clone())
            .collect(),
    };
    for s in sources {
        for (k, v) in s.as_object().into_iter().flatten() {
            *out.entry(k.clone()).or_insert(0.0) += v.as_f64().unwrap_or(0.0);
        }
    }
    out
}

/// The demo data's today and tomorrow, optimized with a short limit: each job is done, every
/// task still to do is planned or left out with a reason, and every route keeps every rule
/// stop by stop (windows, capacity, skills and capabilities, working hours, breaks); after
/// applying, locked routes are unchanged.
#[tokio::test]
async fn the_demo_day_is_optimized_within_every_rule() {
    let today = Date::from_yyyymmdd(DEMO_TODAY).expect("date");
    let sb = start_demo(DEMO_TODAY).await;
    let http = Http::new(&sb);
    let drivers = list(&http.get("/drivers?limit=0").await.body);
    let vehicles = list(&http.get("/vehicles?limit=0").await.body);
    let exceptions = list(&http.get("/driver-schedule-exceptions?limit=0").await.body);
    for date in [today, today.add_days(1)] {
        let day = date.as_u32();
        let tasks = list(&http.get(&format!("/tasks?date={day}&limit=0")).await.body);
        let by_id: HashMap<String, Value> = tasks
            .iter()
            .map(|t| (t["_id"].as_str().unwrap_or_default().to_string(), t.clone()))
            .collect();
        let before = list(&http.get(&format!("/routes?date={day}&limit=0")).await.body);
        let locked: Vec<Value> = before
            .iter()
            .filter(|r| r["locked"] == true)
            .cloned()
            .collect();
        let job = run(
            &http,
            "/optimization/dates",
            json!({"dates": [day], "timeLimitSeconds": 1}),
        )
        .await;
        assert_eq!(job["status"], "done", "{day}: {job}");
        let result = &job["result"];
        let routes = list(&result["routes"]);
        assert!(!routes.is_empty(), "{day}: {result}");

        // Left out: each with a reason and a message; a task left out for skills needs what
        // no driver working that day has. (How many a short run leaves out depends on the
        // machine's speed, so that goes into the solomon bench's demo figures.)
        let skipped: Vec<Value> = list(&result["skippedDrivers"])
            .iter()
            .map(|s| s["driver"].clone())
            .collect();
        let working: Vec<Crew> = drivers
            .iter()
            .filter(|d| !skipped.contains(&d["uid"]))
            .map(|d| crew(d, &vehicles, &exceptions, day, date.weekday_name()))
            .filter(|c| c.start.is_finite())
            .collect();
        for u in list(&result["unassigned"]) {
            let reason = u["reason"].as_str().unwrap_or_default();
            assert!(!reason.is_empty() && u["message"].is_string(), "{day}: {u}");
            if reason == "skills" {
                let t = &by_id[u["task"]["_id"].as_str().unwrap_or_default()];
                let (skills, caps) = (strs(&t["skills"]), strs(&t["capabilities"]));
                assert!(
                    !working
                        .iter()
                        .any(|c| skills.iter().all(|k| c.skills.contains(k))
                            && caps.iter().all(|k| c.capabilities.contains(k))),
                    "{day}: {} is left out for skills a working driver has: {skills:?} {caps:?}",
                    t["reference"]
                );
            }
        }
        // Every task still to do, off locked routes, is planned or left out, not both.
        let planned: Vec<&str> = routes
            .iter()
            .flat_map(|r| r["stops"].as_array().into_iter().flatten())
            .filter(|s| s["segment"] == "delivery")
            .filter_map(|s| s["task"]["_id"].as_str())
            .collect();
        let left_out: Vec<&str> = result["unassigned"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u["task"]["_id"].as_str())
            .collect();
        let on_locked = |t: &Value| {
            locked.iter().any(|l| {
                l["uid"] == t["assignment"]["routeUID"] && t["assignment"]["routeUID"].is_string()
            })
        };
        let mut to_plan = 0;
        for t in &tasks {
            let id = t["_id"].as_str().unwrap_or_default();
            let to_do = [0, 4, 5].contains(&t["state"].as_i64().unwrap_or(-1));
            if !to_do || on_locked(t) {
                continue;
            }
            to_plan += 1;
            let (p, u) = (planned.contains(&id), left_out.contains(&id));
            assert!(
                p != u,
                "{day}: {} planned {p}, left out {u}",
                t["reference"]
            );
        }
        // The engine's first construction always completes whatever the limit, so a fresh
        // day (tomorrow: nothing started, every driver free) is planned all but whole (on a
        // loaded machine a 1 s run is little more than that construction, which once left
        // one of 202 out for its window: CI, session 5); today, with its started routes and
        // passed windows, nearly whole.
        let share = planned.len() as f64 / f64::from(to_plan.max(1));
        let want = if date == today { 0.9 } else { 0.98 };
        assert!(
            share >= want,
            "{day}: {} of {to_plan} planned; left out: {}",
            planned.len(),
            result["unassigned"]
        );

        // Stop by stop.
        for r in &routes {
            let driver = drivers
                .iter()
                .find(|d| d["_id"] == r["driver"]["_id"])
                .unwrap_or_else(|| panic!("{day}: unknown driver {}", r["driver"]));
            assert!(
                !locked.iter().any(|l| l["assignee"]["uid"] == driver["uid"]),
                "{day}: a locked route's driver got a plan: {r}"
            );
            let c = crew(driver, &vehicles, &exceptions, day, date.weekday_name());
            let name = r["driver"]["name"].as_str().unwrap_or_default();
            let (start, end) = (num(&r["start"]), num(&r["end"]));
            assert_eq!(
                start, c.start,
                "{day}: {name} leaves at the start of the day"
            );
            assert!(
                end <= c.end + 1.0,
                "{day}: {name} works until {end}, past {}",
                c.end
            );
            let stops = list(&r["stops"]);
            // Goods of deliveries without a pickup are on board from the start.
            let mut load: HashMap<String, f64> = HashMap::new();
            for s in &stops {
                let t = &by_id[s["task"]["_id"].as_str().unwrap_or_default()];
                if s["segment"] == "delivery" && !t["pickup"]["location"].is_object() {
                    for (k, v) in size_of(t) {
                        *load.entry(k).or_insert(0.0) += v;
                    }
                }
            }
            for (i, s) in stops.iter().enumerate() {
                let t = &by_id[s["task"]["_id"].as_str().unwrap_or_default()];
                let reference = t["reference"].as_str().unwrap_or_default();
                let (eta, leave) = (num(&s["eta"]), num(&s["departure"]));
                if i > 0 {
                    assert!(
                        eta >= num(&stops[i - 1]["departure"]) - 1.0,
                        "{day}: {name} {reference}"
                    );
                }
                let pickup = s["segment"] == "pickup";
                if s["pinned"] != true {
                    let windows = list(if pickup {
                        &t["pickup"]["timeWindows"]
                    } else {
                        &t["timeWindows"]
                    });
                    assert!(
                        windows.is_empty()
                            || windows
                                .iter()
                                .any(|w| eta >= num(&w["start"]) - 1.0
                                    && eta <= num(&w["end"]) + 1.0),
                        "{day}: {name} serves {reference} at {eta}, outside {windows:?}"
                    );
                    let skills = strs(&t["skills"]);
                    assert!(
                        skills.iter().all(|k| c.skills.contains(k)),
                        "{day}: {name} lacks a skill of {reference}: {skills:?} vs {:?}",
                        c.skills
                    );
                    let caps = strs(&t["capabilities"]);
                    assert!(
                        caps.iter().all(|k| c.capabilities.contains(k)),
                        "{day}: {name}'s vehicle lacks a capability of {reference}: {caps:?}"
                    );
                }
                let sign = if pickup { 1.0 } else { -1.0 };
                for (k, v) in size_of(t) {
                    *load.entry(k).or_insert(0.0) += sign * v;
                }
                if let Some(cap) = &c.capacity {
                    for (k, l) in &load {
                        let most = cap.get(k).and_then(Value::as_f64).unwrap_or(0.0);
                        assert!(
                            *l <= most + 1e-6,
                            "{day}: {name} carries {l} {k} after {reference}, capacity {most}"
                        );
                    }
                }
                for b in list(&r["breaks"]) {
                    let (bs, bd) = (num(&b["start"]), num(&b["duration"]));
                    assert!(
                        leave <= bs + 1.0 || eta >= bs + bd - 1.0,
                        "{day}: {name} serves {reference} during a break: {r}"
                    );
                }
            }
            // Each break whose window the working time overlaps is taken inside its window.
            for (ws, we, minutes) in &c.breaks {
                if *ws < end && *we > start {
                    assert!(
                        list(&r["breaks"]).iter().any(|b| {
                            let s = num(&b["start"]);
                            s >= ws - 1.0 && s <= we + 1.0 && num(&b["duration"]) == *minutes
                        }),
                        "{day}: {name} skips the break {ws}–{we}: {r}"
                    );
                }
            }
        }

        // Applying writes the plan and leaves locked routes as they were.
        let id = job["jobId"].as_str().unwrap_or_default();
        let applied = http
            .post(&format!("/optimization/jobs/{id}/apply"), json!({}))
            .await;
        assert_eq!(applied.status, 200, "{day}: {}", applied.body);
        let after = list(&http.get(&format!("/routes?date={day}&limit=0")).await.body);
        for l in &locked {
            assert!(
                after.contains(l),
                "{day}: locked route {} changed",
                l["uid"]
            );
        }
    }
}
