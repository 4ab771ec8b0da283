//! The sandbox's generic collection endpoints over real HTTP: lists and queries, bulk
//! writes, upserts, per-item validation, auth and error bodies, persistence, concurrency.

mod common;

use common::{Http, KEY, start, start_with, task};
use elogii_console::api::paths::{self, Collection, Method};
use elogii_console::sandbox::ids::is_object_id;
use serde_json::{Value, json};

fn ids(v: &Value) -> Vec<String> {
    v["ids"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn reference_upsert_example_sent_twice_gives_one_task() {
    let sb = start().await;
    let http = Http::new(&sb);
    let body = json!({
        "items": [{
            "reference": "123-test", "type": 1, "date": 20250822,
            "timeWindows": [{"start": 540, "end": 900}],
            "instructions": " Please leave outside workshop if closed",
            "location": {"type": 2, "name": "C0805-KD Fine Art (Compton)",
                         "address": "The Old Pottery,Down Lane,Compton,Surrey,GU3 1DQ,GB",
                         "postCode": "GU3 1DQ", "coordinates": [-0.630083, 51.220836]}
        }],
        "importConfig": {"importMode": "update", "match": {"reference": true}}
    });
    let first = http.post("/tasks/createOrUpdateMany", body.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.body["result"], 1);
    assert_eq!(first.body["created"], 1);
    let mut second_body = body.clone();
    second_body["items"][0]["instructions"] = json!("Ring the bell");
    let second = http.post("/tasks/createOrUpdateMany", second_body).await;
    assert_eq!(second.body["created"], 0, "{}", second.body);
    assert_eq!(second.body["updated"], 1);
    assert_eq!(ids(&first.body), ids(&second.body), "same task both times");
    let list = http.get("/tasks?reference=123-test").await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1));
    assert_eq!(list.body[0]["instructions"], "Ring the bell");
    assert_eq!(list.total, Some(1));
}

#[tokio::test]
async fn created_items_get_server_ids_uid_prefixes_and_state() {
    let sb = start().await;
    let http = Http::new(&sb);
    let prefixes = [
        (Collection::Tasks, task("p-1", 20251030), "T-"),
        (Collection::Drivers, json!({"firstName": "Anna"}), "DR-"),
        (
            Collection::Customers,
            json!({"name": "KD Fine Art", "locations": [{"name": "Shop"}]}),
            "CUS-",
        ),
        (Collection::Depots, json!({"name": "Park Royal"}), "DEP-"),
        (
            Collection::Vehicles,
            json!({"name": "Van 7", "capacity": {"Weight": 800}}),
            "VEH-",
        ),
    ];
    for (c, item, prefix) in prefixes {
        let r = http
            .post(
                &paths::bulk(c, paths::bulk::CREATE_MANY),
                json!({"items": [item], "returnItems": true}),
            )
            .await;
        assert_eq!(r.status, 200, "{c}: {}", r.body);
        let got = &r.body["items"][0];
        assert!(
            is_object_id(got["_id"].as_str().unwrap_or("")),
            "{c}: {got}"
        );
        let uid = got["uid"].as_str().unwrap_or("");
        assert!(
            uid.starts_with(prefix) && uid.len() == prefix.len() + 8,
            "{c}: {uid}"
        );
    }
    let t = http.get("/tasks?reference=p-1").await;
    assert_eq!(t.body[0]["state"], 0);
    assert_eq!(t.body[0]["stateText"], "Created");
    assert_eq!(t.body[0]["assignment"], json!({"state": 0}));
    let c = http.get("/customers").await;
    assert!(
        c.body[0]["locations"][0]["uid"]
            .as_str()
            .is_some_and(|u| u.starts_with("CL-"))
    );
}

#[tokio::test]
async fn invalid_items_are_reported_per_item_while_valid_ones_land() {
    let sb = start().await;
    let http = Http::new(&sb);
    let mut bad_date = task("bad-date", 20251030);
    bad_date["date"] = json!(20251340);
    let mut bad_window = task("bad-window", 20251030);
    bad_window["timeWindows"] = json!([{"start": 900, "end": 540}]);
    let mut bad_coords = task("bad-coords", 20251030);
    bad_coords["location"]["coordinates"] = json!([51.2, -190.0]);
    let r = http
        .post(
            "/tasks/createMany",
            json!({"items": [task("ok-1", 20251030), bad_date, bad_window, bad_coords, task("ok-2", 20251031)]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["result"], 2);
    let errors = r.body["errors"].as_array().cloned().unwrap_or_default();
    let indexes: Vec<u64> = errors.iter().filter_map(|e| e["index"].as_u64()).collect();
    assert_eq!(indexes, vec![1, 2, 3]);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("20251340"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[1]["problems"][0]["field"], "timeWindows[0]");
    assert_eq!(errors[2]["reference"], "bad-coords");
    assert_eq!(http.get("/tasks").await.total, Some(2));

    let none = http
        .post(
            "/tasks/createMany",
            json!({"items": [{"reference": "no-date"}]}),
        )
        .await;
    assert_eq!(none.status, 422, "{}", none.body);
    assert_eq!(none.body["error"], "validation_failed");
    assert!(
        none.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("date")
    );
}

#[tokio::test]
async fn bad_requests_answer_json_errors() {
    let sb = start_with(|o| o.max_body_bytes = 4096).await;
    let http = Http::new(&sb);
    let raw = |body: &'static str| {
        http.client
            .post(sb.url("/tasks/createMany"))
            .header("Authorization", KEY)
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let malformed = raw("{\"items\": [").await.expect("sent");
    assert_eq!(malformed.status(), 400);
    let b: Value = malformed.json().await.unwrap_or(Value::Null);
    assert!(
        b["message"]
            .as_str()
            .unwrap_or("")
            .contains("malformed JSON"),
        "{b}"
    );

    let wrong_shape = raw("{\"items\": 5}").await.expect("sent");
    assert_eq!(wrong_shape.status(), 400);

    let big = json!({"items": [{"reference": "x".repeat(10_000)}]});
    let too_big = http.post("/tasks/createMany", big).await;
    assert_eq!(too_big.status, 413);
    assert_eq!(too_big.body["error"], "payload_too_large");

    let missing = http.get("/tasks/5f0000000000000000000000").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("no task")
    );
    assert_eq!(http.get("/nope").await.status, 404);
    assert_eq!(http.delete("/tasks/cancel").await.status, 405);
    assert_eq!(http.get("/tasks?date=2025-13-01").await.status, 400);
    assert_eq!(http.get("/tasks?limit=-1").await.status, 400);
    let bad_filter = http.get("/tasks?filter=%7Bnope").await;
    assert_eq!(bad_filter.status, 400);
    assert!(
        bad_filter.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("filter")
    );

    let no_key = http
        .client
        .get(sb.url("/tasks"))
        .send()
        .await
        .expect("sent");
    assert_eq!(no_key.status(), 401);
    let wrong_key = http
        .client
        .get(sb.url("/tasks"))
        .header("Authorization", "nope")
        .send()
        .await
        .expect("sent");
    assert_eq!(wrong_key.status(), 401);
    let body: Value = wrong_key.json().await.unwrap_or(Value::Null);
    assert_eq!(body["error"], "unauthorized");
    for form in [format!("ApiKey {KEY}"), format!("Bearer {KEY}")] {
        let ok = http
            .client
            .get(sb.url("/tasks"))
            .header("Authorization", form)
            .send()
            .await
            .expect("sent");
        assert_eq!(ok.status(), 200);
    }
}

#[tokio::test]
async fn lists_filter_sort_page_and_select() {
    let sb = start().await;
    let http = Http::new(&sb);
    let mut items = Vec::new();
    for i in 0..30 {
        let mut t = task(
            &format!("L-{i:02}"),
            if i < 20 { 20250822 } else { 20250823 },
        );
        t["customData"] = json!({"Priority": format!("{}", i % 12)});
        items.push(t);
    }
    let r = http
        .post("/tasks/createMany", json!({"items": items}))
        .await;
    assert_eq!(r.body["result"], 30);

    let day = http.get("/tasks?date=20250822").await;
    assert_eq!(
        (day.total, day.body.as_array().map(Vec::len)),
        (Some(20), Some(20))
    );
    let both = http.get("/tasks?date=20250822,20250823").await;
    assert_eq!(both.total, Some(30));
    let page = http
        .get("/tasks?date=20250822&sort=_id&limit=7&skip=14")
        .await;
    assert_eq!(
        (page.total, page.body.as_array().map(Vec::len)),
        (Some(20), Some(6))
    );
    let desc = http.get("/tasks?sort=-reference&limit=2").await;
    assert_eq!(desc.body[0]["reference"], "L-29");
    assert_eq!(desc.total, Some(30));
    let f = urlencode(r#"{"customData.Priority":{"$regex":"11$"}}"#);
    let rx = http.get(&format!("/tasks?date=20250822&filter={f}")).await;
    assert_eq!(rx.body.as_array().map(Vec::len), Some(1), "{}", rx.body);
    assert_eq!(rx.body[0]["reference"], "L-11");
    let f = urlencode(r#"{"$or":[{"reference":"L-01"},{"reference":{"$in":["L-02","L-03"]}}]}"#);
    assert_eq!(http.get(&format!("/tasks?filter={f}")).await.total, Some(3));
    let sel = http
        .get("/tasks?reference=L-05&select=location.postCode,state")
        .await;
    assert_eq!(
        sel.body[0].as_object().map(|o| o.len()),
        Some(3),
        "{}",
        sel.body
    );
    assert_eq!(sel.body[0]["location"]["postCode"], "GU3 1DQ");
    let plain = http
        .get("/tasks?customData.Priority=3&location.postCode=GU3%201DQ")
        .await;
    assert_eq!(plain.total, Some(3), "{}", plain.body);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn update_many_patches_and_keeps_unknown_fields() {
    let sb = start().await;
    let http = Http::new(&sb);
    let mut t = task("keep-1", 20251030);
    t["someFutureField"] = json!({"nested": [1, 2]});
    let created = http
        .post(
            "/tasks/createMany",
            json!({"items": [t], "returnItems": true}),
        )
        .await;
    let id = created.body["items"][0]["_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let uid = created.body["items"][0]["uid"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let upd = http
        .post(
            "/tasks/updateMany",
            json!({"items": [{"uid": uid, "instructions": "back door", "location": {"postCode": "GU3 1DX"}, "_id": null}], "returnItems": true}),
        )
        .await;
    assert_eq!(upd.status, 200, "{}", upd.body);
    let got = http.get(&format!("/tasks/{id}")).await.body;
    assert_eq!(got["instructions"], "back door");
    assert_eq!(got["location"]["postCode"], "GU3 1DX");
    assert_eq!(
        got["location"]["name"], "KD Fine Art",
        "merge patch keeps siblings"
    );
    assert_eq!(got["someFutureField"], json!({"nested": [1, 2]}));
    assert_eq!(
        got["_id"],
        id.as_str(),
        "server fields cannot be patched away"
    );

    let put = http
        .put(
            &format!("/tasks/{uid}"),
            json!({"state": 60, "uid": "T-HACKED00"}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.body["stateText"], "Completed");
    assert_eq!(put.body["uid"], uid.as_str());
    assert!(put.body["stateTimestamps"]["completed"].is_i64());

    let bad = http
        .put(
            &format!("/tasks/{id}"),
            json!({"timeWindows": [{"start": 2000, "end": 100}]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let unknown = http
        .post(
            "/tasks/updateMany",
            json!({"items": [{"_id": "nope", "x": 1}]}),
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(
        unknown.body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nope")
    );
}

#[tokio::test]
async fn import_modes_and_match_keys() {
    let sb = start().await;
    let http = Http::new(&sb);
    let mut t = task("m-1", 20251030);
    t["externalId"] = json!("EXT-1");
    let r = http
        .post("/tasks/createOrUpdateMany", json!({"items": [t]}))
        .await;
    assert_eq!(r.body["created"], 1);
    let by_ext = http
        .post(
            "/tasks/createOrUpdateMany",
            json!({"items": [{"externalId": "EXT-1", "reference": "m-1-renamed"}], "importConfig": {"match": {"externalId": true}}}),
        )
        .await;
    assert_eq!(by_ext.body["updated"], 1, "{}", by_ext.body);
    let dup = http
        .post(
            "/tasks/createOrUpdateMany",
            json!({"items": [{"reference": "m-1-renamed", "date": 20251030, "location": {"address": "x"}}], "importConfig": {"importMode": "create", "match": {"reference": true}}}),
        )
        .await;
    assert_eq!(dup.status, 422, "{}", dup.body);
    let only = http
        .post(
            "/tasks/createOrUpdateMany",
            json!({"items": [{"reference": "ghost"}], "importConfig": {"importMode": "updateOnly"}}),
        )
        .await;
    assert_eq!(only.status, 422);
    let bad_mode = http
        .post(
            "/tasks/createOrUpdateMany",
            json!({"items": [], "importConfig": {"importMode": "merge"}}),
        )
        .await;
    assert_eq!(bad_mode.status, 400);
    let drivers = http
        .post(
            "/drivers/createOrUpdateMany",
            json!({"items": [{"reference": "van-7", "firstName": "Ann"}]}),
        )
        .await;
    assert_eq!(drivers.body["created"], 1);
    let again = http
        .post(
            "/drivers/createOrUpdateMany",
            json!({"items": [{"reference": "van-7", "firstName": "Anna"}]}),
        )
        .await;
    assert_eq!(again.body["updated"], 1);
    assert_eq!(http.get("/drivers").await.total, Some(1));
}

#[tokio::test]
async fn parallel_upserts_of_the_same_references_never_duplicate() {
    let sb = start().await;
    let http = std::sync::Arc::new(Http::new(&sb));
    let mut joins = Vec::new();
    for round in 0..16 {
        let http = http.clone();
        joins.push(tokio::spawn(async move {
            let items: Vec<Value> = (0..25)
                .map(|i| {
                    let mut t = task(&format!("par-{i}"), 20251030);
                    t["instructions"] = json!(format!("round {round}"));
                    t
                })
                .collect();
            http.post(
                "/tasks/createOrUpdateMany",
                json!({"items": items, "importConfig": {"match": {"reference": true}}}),
            )
            .await
            .status
        }));
    }
    for j in joins {
        assert_eq!(j.await.expect("task joined"), 200);
    }
    let all = http.get("/tasks").await;
    assert_eq!(all.total, Some(25));
}

#[tokio::test]
async fn writes_survive_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let opts = common::options(&dir);
    let sb =
        elogii_console::sandbox::Sandbox::start("127.0.0.1:0".parse().expect("addr"), opts.clone())
            .await
            .expect("start");
    let http = Http {
        client: reqwest::Client::new(),
        base: sb.base_url(),
        key: KEY.into(),
    };
    let r = http
        .post(
            "/tasks/createMany",
            json!({"items": [task("persist-1", 20251030)]}),
        )
        .await;
    assert_eq!(r.body["result"], 1);
    sb.shutdown().await;
    let sb2 = elogii_console::sandbox::Sandbox::start("127.0.0.1:0".parse().expect("addr"), opts)
        .await
        .expect("restart");
    let http2 = Http {
        client: reqwest::Client::new(),
        base: sb2.base_url(),
        key: KEY.into(),
    };
    let got = http2.get("/tasks?reference=persist-1").await;
    assert_eq!(got.total, Some(1));
    assert_eq!(got.body[0]["_id"], r.body["ids"][0]);
}

#[tokio::test]
async fn every_endpoint_in_the_table_is_served() {
    let sb = start().await;
    let http = Http::new(&sb);
    for ep in paths::endpoints() {
        let path = paths::fill(
            &ep.path,
            &[
                ("id", "5f0000000000000000000000"),
                ("driver", "DR-NOPE0000"),
            ],
        );
        let method = match ep.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let body = matches!(ep.method, Method::Post | Method::Put).then(|| json!({}));
        let a = http.send(method, &path, body).await;
        let msg = a.body["message"].as_str().unwrap_or("");
        assert!(
            !msg.starts_with("no endpoint") && a.status != 405,
            "{:?} {path} is not served: {} {}",
            ep.method,
            a.status,
            a.body
        );
        assert!(
            a.body.is_object() || a.body.is_array(),
            "{path} answered no JSON"
        );
    }
}

#[tokio::test]
async fn zones_forms_and_submissions() {
    let sb = start().await;
    let http = Http::new(&sb);
    let zone = json!({"name": "North", "order": 1, "geoJSON": {"type": "Feature", "geometry": {"type": "Polygon",
        "coordinates": [[[-0.20, 51.55], [-0.05, 51.55], [-0.05, 51.62], [-0.20, 51.62], [-0.20, 51.55]]]}}});
    let created = http.post("/zones", zone).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let id = created.body["_id"].as_str().unwrap_or_default().to_string();
    let open_ring = json!({"name": "Bad", "geoJSON": {"type": "Feature", "geometry": {"type": "Polygon",
        "coordinates": [[[-0.2, 51.5], [-0.1, 51.5], [-0.1, 51.6], [-0.2, 51.6]]]}}});
    let bad = http.post("/zones", open_ring).await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("closed"),
        "{}",
        bad.body
    );
    let put = http
        .put(&format!("/zones/{id}"), json!({"name": "North London"}))
        .await;
    assert_eq!(put.body["name"], "North London");
    assert_eq!(http.delete(&format!("/zones/{id}")).await.status, 200);
    assert_eq!(http.get(&format!("/zones/{id}")).await.status, 404);

    let form = http.post("/forms", json!({"name": "Delivery checklist", "components": [{"key": "ok", "type": "checkbox"}]})).await;
    let form_uid = form.body["uid"].as_str().unwrap_or_default().to_string();
    let other = http.post("/forms", json!({"name": "Other"})).await;
    for (f, n) in [
        (&form_uid, 3),
        (
            &other.body["uid"].as_str().unwrap_or_default().to_string(),
            1,
        ),
    ] {
        let items: Vec<Value> = (0..n)
            .map(|i| json!({"form": {"uid": f}, "data": {"ok": i % 2 == 0}}))
            .collect();
        let r = http
            .post("/form-submissions/createMany", json!({"items": items}))
            .await;
        assert_eq!(r.body["result"], n);
    }
    let mine = http.get(&format!("/forms/{form_uid}/submissions")).await;
    assert_eq!(mine.total, Some(3));
    assert_eq!(
        http.get(&format!("/form-submissions?form.uid={form_uid}"))
            .await
            .total,
        Some(3)
    );
    let orphan = http
        .post(
            "/form-submissions/createMany",
            json!({"items": [{"data": {}}]}),
        )
        .await;
    assert_eq!(orphan.status, 422);
}
