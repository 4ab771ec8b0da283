//! Solomon VRPTW instances through our optimizer adapter (Euclidean matrix, vehicles first,
//! then distance), next to the best-known figures and the engine CLI's figures from the
//! folder's README; then the time to optimize a built working day and the demo data's today
//! and tomorrow in the sandbox.
//!
//! Run: `cargo bench --bench solomon`. `SOLOMON_SECONDS` sets the limit per instance
//! (default 30), `SOLOMON_ONLY=C101,R105` picks instances (`SOLOMON_ONLY=none` skips them),
//! `SOLOMON_DIR` the folder, `DAY_SECONDS` the built day's limit, `DEMO_SECONDS` the demo
//! days' limit (default: the API's default), `DEMO_GOAL` their goal (default: the API's,
//! `duration`); `SKIP_DAYS=1` prints the Solomon figures only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use elogii_console::api::model::{Coordinates, Date};
use elogii_console::sandbox::demo::DemoOptions;
use elogii_console::sandbox::optimize::check::check;
use elogii_console::sandbox::optimize::matrix::EuclideanMatrix;
use elogii_console::sandbox::optimize::vrp::VrpOptimizer;
use elogii_console::sandbox::optimize::{
    ActivityKind, Goal, OptJob, OptProblem, OptStop, OptVehicle, Optimizer, SolveControl,
    SolveLimits, TravelMatrix, Window,
};
use elogii_console::sandbox::{Sandbox, SandboxOptions};
use serde_json::{Value, json};

/// One Solomon unit of distance or time becomes this many metres and seconds, so that the
/// engine's whole-second matrix keeps three decimals.
const SCALE: f64 = 1000.0;

struct Instance {
    name: String,
    vehicles: usize,
    capacity: f64,
    service: f64,
    coords: Vec<(f64, f64)>,
    demand: Vec<f64>,
    windows: Vec<(f64, f64)>,
}

fn parse(name: &str, text: &str) -> Result<Instance, String> {
    let mut inst = Instance {
        name: name.to_string(),
        vehicles: 0,
        capacity: 0.0,
        service: 0.0,
        coords: vec![],
        demand: vec![],
        windows: vec![],
    };
    let mut section = "";
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((k, v)) = line.split_once(':') {
            let v = v.trim();
            match k.trim() {
                "VEHICLES" => inst.vehicles = v.parse().map_err(|e| format!("{name}: {e}"))?,
                "CAPACITY" => inst.capacity = v.parse().map_err(|e| format!("{name}: {e}"))?,
                "SERVICE_TIME" => inst.service = v.parse().map_err(|e| format!("{name}: {e}"))?,
                _ => {}
            }
            continue;
        }
        if line.ends_with("SECTION") || line == "EOF" {
            section = line;
            continue;
        }
        let nums: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        match (section, nums.as_slice()) {
            ("NODE_COORD_SECTION", [_, x, y]) => inst.coords.push((*x, *y)),
            ("DEMAND_SECTION", [_, d]) => inst.demand.push(*d),
            ("TIME_WINDOW_SECTION", [_, a, b]) => inst.windows.push((*a, *b)),
            _ => {}
        }
    }
    if inst.coords.is_empty() || inst.coords.len() != inst.windows.len() {
        return Err(format!("{name}: could not read nodes and time windows"));
    }
    Ok(inst)
}

fn problem(inst: &Instance) -> OptProblem {
    let date = Date::from_yyyymmdd(20000103).unwrap_or_else(|_| Date::today());
    let points: Vec<Coordinates> = inst
        .coords
        .iter()
        .map(|(x, y)| Coordinates::new(*x, *y))
        .collect();
    let horizon = inst.windows[0];
    let fleet = std::env::var("SOLOMON_FLEET")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(inst.vehicles);
    let vehicles = (0..fleet)
        .map(|i| OptVehicle {
            id: format!("v{i}"),
            driver_id: format!("v{i}"),
            driver_uid: format!("v{i}"),
            date,
            start: 0,
            end: Some(0),
            shift: Window::new(horizon.0 * SCALE, horizon.1 * SCALE),
            flexible_start: true,
            capacity: vec![inst.capacity],
            skills: vec![],
            breaks: vec![],
            speed_factor: 1.0,
            max_stops: None,
        })
        .collect();
    let jobs = (1..inst.coords.len())
        .map(|i| OptJob {
            demand: vec![inst.demand.get(i).copied().unwrap_or(0.0)],
            ..OptJob::task(
                format!("c{i}"),
                OptStop {
                    location: i,
                    duration: inst.service * SCALE,
                    windows: vec![Window::new(
                        inst.windows[i].0 * SCALE,
                        inst.windows[i].1 * SCALE,
                    )],
                },
            )
        })
        .collect();
    OptProblem {
        base_date: date,
        points,
        dimensions: vec!["demand".into()],
        vehicles,
        jobs,
        goal: Goal::VehiclesThenDistance,
    }
}

/// Best-known columns and the CLI's figures from the README.
struct Reference {
    sintef: HashMap<String, (usize, f64)>,
    dimacs: HashMap<String, String>,
    cli: HashMap<String, (usize, f64)>,
}

fn references(readme: &str) -> Reference {
    let mut r = Reference {
        sintef: HashMap::new(),
        dimacs: HashMap::new(),
        cli: HashMap::new(),
    };
    let pair = |s: &str| -> Option<(usize, f64)> {
        let (v, d) = s.split_once('/')?;
        Some((v.trim().parse().ok()?, d.trim().parse().ok()?))
    };
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() >= 4
            && cells[1]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase())
            && let Some(p) = pair(cells[2])
        {
            r.sintef.insert(cells[1].to_string(), p);
            r.dimacs.insert(cells[1].to_string(), cells[3].to_string());
        }
    }
    let flat = readme.replace('\n', " ");
    if let Some(rest) = flat.split("(vehicles / distance):").nth(1) {
        for part in rest.split(',') {
            let mut words = part.split_whitespace();
            if let (Some(name), Some(v), Some(_), Some(d)) =
                (words.next(), words.next(), words.next(), words.next())
                && let (Ok(v), Ok(d)) = (v.parse(), d.trim_end_matches('.').parse())
            {
                r.cli.insert(name.to_string(), (v, d));
            }
        }
    }
    r
}

fn solve(inst: &Instance, seconds: f64) -> (usize, f64, usize, Vec<String>) {
    let p = problem(inst);
    let m = EuclideanMatrix::new(p.points.clone(), SCALE, SCALE);
    let limits = SolveLimits {
        time_limit_seconds: seconds,
        max_generations: None,
    };
    let s = match VrpOptimizer.solve(&p, &m, &limits, &SolveControl::default()) {
        Ok(s) => s,
        Err(e) => return (0, 0.0, p.jobs.len(), vec![e.to_string()]),
    };
    let violations = check(&p, &m, &s);
    let mut distance = 0.0;
    for r in &s.routes {
        let mut here = 0;
        for a in &r.activities {
            if let ActivityKind::Job { job, .. } = a.kind {
                let to = p.jobs[job].delivery.location;
                distance += m.distance_m(here, to) / SCALE;
                here = to;
            }
        }
        distance += m.distance_m(here, 0) / SCALE;
    }
    (s.routes.len(), distance, s.unassigned.len(), violations)
}

/// `SOLOMON_DIR`, else `shared/benchmarks/solomon` beside the repository (or beside a parent
/// folder of it, for git worktrees).
fn solomon_dir() -> PathBuf {
    if let Ok(d) = std::env::var("SOLOMON_DIR") {
        return PathBuf::from(d);
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    repo.ancestors()
        .skip(1)
        .map(|a| a.join("shared/benchmarks/solomon"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| repo.join("../shared/benchmarks/solomon"))
}

fn solomon(seconds: f64) {
    let dir = solomon_dir();
    let Ok(readme) = std::fs::read_to_string(dir.join("README.md")) else {
        println!("Solomon instances not found at {}: skipped", dir.display());
        return;
    };
    let refs = references(&readme);
    let only: Option<Vec<String>> = std::env::var("SOLOMON_ONLY")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().to_uppercase()).collect());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .to_str()
                        .and_then(|n| n.strip_suffix(".vrp").map(String::from))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    println!("Solomon, {seconds} s per instance, vehicles / distance (Euclidean, unrounded)");
    println!(
        "{:<6} {:>16} {:>16} {:>7} {:>9} {:>16} {:>10}",
        "inst", "ours", "SINTEF best", "gap", "DIMACS", "engine CLI", "vs CLI"
    );
    for name in names {
        if only.as_ref().is_some_and(|o| !o.contains(&name)) {
            continue;
        }
        let inst = match std::fs::read_to_string(dir.join(format!("{name}.vrp")))
            .map_err(|e| e.to_string())
            .and_then(|t| parse(&name, &t))
        {
            Ok(i) => i,
            Err(e) => {
                println!("{name}: {e}");
                continue;
            }
        };
        let (v, d, unassigned, violations) = solve(&inst, seconds);
        let (sv, sd) = refs.sintef.get(&name).copied().unwrap_or((0, 0.0));
        let gap = if sd > 0.0 {
            (d / sd - 1.0) * 100.0
        } else {
            0.0
        };
        let cli = refs.cli.get(&name).copied();
        let versus = match cli {
            Some((cv, cd)) if v < cv || (v == cv && d <= cd + 0.005) => "not worse",
            Some(_) => "WORSE",
            None => "-",
        };
        println!(
            "{:<6} {:>16} {:>16} {:>6.2}% {:>9} {:>16} {:>10}{}{}",
            inst.name,
            format!("{v} / {d:.2}"),
            format!("{sv} / {sd:.2}"),
            gap,
            refs.dimacs.get(&name).cloned().unwrap_or_default(),
            cli.map(|(a, b)| format!("{a} / {b:.2}"))
                .unwrap_or_default(),
            versus,
            if unassigned > 0 {
                format!("  ({unassigned} unassigned)")
            } else {
                String::new()
            },
            if violations.is_empty() {
                String::new()
            } else {
                format!("  CHECK FAILED: {}", violations.join("; "))
            },
        );
    }
}

/// A working day like the demo's: 8 drivers from one depot, 120 tasks across London with
/// morning, afternoon and all-day windows, sizes, a few skills; solved through HTTP.
async fn day(seconds: f64) {
    let dir = std::env::temp_dir().join(format!("elogii-bench-day-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let opts = SandboxOptions {
        db_path: dir.join("day.db"),
        api_key: "bench-key".into(),
        ..SandboxOptions::default()
    };
    let Ok(sb) = Sandbox::start(([127, 0, 0, 1], 0).into(), opts).await else {
        println!("day: the sandbox did not start");
        return;
    };
    let base = sb.base_url();
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .header("Authorization", "bench-key")
            .json(&body)
            .send()
    };
    let depot = [-0.2620, 51.5290];
    let mut drivers = Vec::new();
    for i in 0..8 {
        drivers.push(json!({"firstName": format!("Driver {i}"),
            "startLocation": {"type": 2, "coordinates": depot}, "endLocation": {"type": 2, "coordinates": depot},
            "capacity": {"Weight": 400}, "skills": if i % 4 == 0 { json!(["hazmat"]) } else { json!([]) },
            "schedule": {"Mon": {"timeWindows": [{"start": 480, "end": 1080}],
                                 "breaks": [{"timeWindow": {"start": 720, "end": 840}, "duration": 30}]}}}));
    }
    let mut tasks = Vec::new();
    for i in 0..120u32 {
        let lon = -0.40 + f64::from((i * 37) % 100) * 0.0045;
        let lat = 51.44 + f64::from((i * 53) % 100) * 0.0015;
        let windows = match i % 3 {
            0 => json!([{"start": 540, "end": 720}]),
            1 => json!([{"start": 780, "end": 1020}]),
            _ => json!([{"start": 480, "end": 1080}]),
        };
        tasks.push(json!({"reference": format!("DAY-{i:03}"), "date": 20251103,
            "location": {"type": 2, "coordinates": [lon, lat]}, "timeWindows": windows,
            "serviceDuration": 4, "size": {"Weight": 10 + i % 20},
            "skills": if i % 15 == 0 { json!(["hazmat"]) } else { json!([]) }}));
    }
    let ok = post("/drivers/createMany", json!({"items": drivers}))
        .await
        .is_ok()
        && post("/tasks/createMany", json!({"items": tasks}))
            .await
            .is_ok();
    if !ok {
        println!("day: seeding failed");
        return;
    }
    let started = Instant::now();
    let status = match run_job(
        &client,
        &base,
        json!({"dates": [20251103], "timeLimitSeconds": seconds}),
    )
    .await
    {
        Ok(s) => s,
        Err(e) => {
            println!("day: {e}");
            return;
        }
    };
    let t = &status["result"]["totals"];
    println!(
        "day (8 drivers, 120 tasks, limit {seconds} s): {} after {:.1} s — {} of {} tasks on {} routes, {} min working, {:.1} km",
        status["status"],
        started.elapsed().as_secs_f64(),
        t["assigned"],
        t["tasks"],
        t["routes"],
        t["duration"],
        t["distance"].as_f64().unwrap_or(0.0) / 1000.0
    );
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts an optimization job with `body` and polls it until it leaves `running`.
async fn run_job(client: &reqwest::Client, base: &str, body: Value) -> Result<Value, String> {
    let answer: Value = client
        .post(format!("{base}/optimization/dates"))
        .header("Authorization", "bench-key")
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let id = answer["jobId"].as_str().unwrap_or_default().to_string();
    loop {
        let s: Value = match client
            .get(format!("{base}/optimization/jobs/{id}"))
            .header("Authorization", "bench-key")
            .send()
            .await
        {
            Ok(r) => r.json().await.unwrap_or(Value::Null),
            Err(_) => Value::Null,
        };
        if s["status"] != "running" {
            return Ok(s);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The demo data (today 2026-12-04, seed 42) as the sandbox seeds it: today under way and
/// tomorrow partly planned, each optimized through HTTP at `seconds` (the API's default
/// limit when `None`): the time until the job is done, and what it planned.
async fn demo(seconds: Option<f64>) {
    let dir = std::env::temp_dir().join(format!("elogii-bench-demo-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let Ok(today) = Date::from_yyyymmdd(20261204) else {
        return;
    };
    let opts = SandboxOptions {
        db_path: dir.join("demo.db"),
        api_key: "bench-key".into(),
        demo: Some(DemoOptions {
            today,
            scale: None,
            seed: 42,
        }),
        ..SandboxOptions::default()
    };
    let Ok(sb) = Sandbox::start(([127, 0, 0, 1], 0).into(), opts).await else {
        println!("demo: the sandbox did not start");
        return;
    };
    let base = sb.base_url();
    let client = reqwest::Client::new();
    for (label, day) in [("today", today), ("tomorrow", today.add_days(1))] {
        let mut body = json!({"dates": [day.as_u32()]});
        if let Some(s) = seconds {
            body["timeLimitSeconds"] = json!(s);
        }
        if let Ok(goal) = std::env::var("DEMO_GOAL") {
            body["goal"] = json!(goal);
        }
        let started = Instant::now();
        let status = match run_job(&client, &base, body).await {
            Ok(s) => s,
            Err(e) => {
                println!("demo {label}: {e}");
                continue;
            }
        };
        let elapsed = started.elapsed().as_secs_f64();
        let r = &status["result"];
        let t = &r["totals"];
        let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
        for u in r["unassigned"].as_array().into_iter().flatten() {
            *reasons
                .entry(u["reason"].as_str().unwrap_or("?").to_string())
                .or_default() += 1;
        }
        println!(
            "demo {label} ({day}, limit {}, goal {}): {} after {elapsed:.1} s — {} of {} tasks on {} routes ({} stops), {} min working, {:.1} km; left out {reasons:?}{}",
            seconds.map_or("default".to_string(), |s| format!("{s} s")),
            std::env::var("DEMO_GOAL").unwrap_or_else(|_| "default".into()),
            status["status"],
            t["assigned"],
            t["tasks"],
            t["routes"],
            t["stops"],
            t["duration"],
            t["distance"].as_f64().unwrap_or(0.0) / 1000.0,
            status["error"]
                .as_str()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default(),
        );
    }
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

fn env_seconds(name: &str, default: f64) -> f64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|s: &f64| *s > 0.0)
        .unwrap_or(default)
}

fn main() {
    solomon(env_seconds("SOLOMON_SECONDS", 30.0));
    if std::env::var("SKIP_DAYS").is_ok_and(|v| v == "1") {
        return;
    }
    match tokio::runtime::Runtime::new() {
        Ok(rt) => rt.block_on(async {
            day(env_seconds("DAY_SECONDS", 10.0)).await;
            let demo_seconds = std::env::var("DEMO_SECONDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .filter(|s: &f64| *s > 0.0);
            demo(demo_seconds).await;
        }),
        Err(e) => println!("day: no runtime: {e}"),
    }
}
