//! Rules every stored document follows: validation per collection, server-made fields on
//! create, and merge-patch updates that never touch server-managed fields.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::api::model::{
    Customer, Depot, Driver, Entity, FieldProblem, Form, FormSubmission, Route, RouteTemplateGroup,
    ScheduleException, Task, TaskState, TaskTemplateGroup, Vehicle, Zone,
};
use crate::api::paths::Collection;

use super::ids;

/// Organisation id every sandbox document belongs to.
pub const SANDBOX_ORG: &str = "5a4d0b5e0000000000000001";

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// RFC 3339 UTC text of Unix seconds.
pub fn iso(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

fn typed<T: Entity>(doc: &Value) -> Vec<FieldProblem> {
    match serde_path_to_error::deserialize::<_, T>(doc) {
        Ok(t) => t.problems(),
        Err(e) => {
            let path = e.path().to_string();
            vec![FieldProblem {
                field: if path == "." { String::new() } else { path },
                message: e.into_inner().to_string(),
            }]
        }
    }
}

fn present(doc: &Value, field: &str) -> bool {
    match doc.get(field) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

/// The problems with the values of a document of `c` (types, ranges, time windows), without
/// the fields a stored document must have: what a document given only for a computation,
/// such as an optimization data set, must also pass.
pub fn check_values(c: Collection, doc: &Value) -> Vec<FieldProblem> {
    if !doc.is_object() {
        return vec![FieldProblem {
            field: String::new(),
            message: format!("each item must be a JSON object, got {doc}"),
        }];
    }
    match c {
        Collection::Tasks => typed::<Task>(doc),
        Collection::Routes => typed::<Route>(doc),
        Collection::Drivers => typed::<Driver>(doc),
        Collection::Vehicles => typed::<Vehicle>(doc),
        Collection::Customers => typed::<Customer>(doc),
        Collection::Depots => typed::<Depot>(doc),
        Collection::Zones => typed::<Zone>(doc),
        Collection::ScheduleExceptions => typed::<ScheduleException>(doc),
        Collection::RouteTemplateGroups => typed::<RouteTemplateGroup>(doc),
        Collection::TaskTemplateGroups => typed::<TaskTemplateGroup>(doc),
        Collection::Forms => typed::<Form>(doc),
        Collection::FormSubmissions => typed::<FormSubmission>(doc),
    }
}

/// Every problem with a document of `c` as it would be stored.
pub fn check(c: Collection, doc: &Value) -> Vec<FieldProblem> {
    let mut p = check_values(c, doc);
    if !doc.is_object() {
        return p;
    }
    let mut need = |field: &str, why: &str| {
        if !present(doc, field) {
            p.push(FieldProblem {
                field: field.to_string(),
                message: why.to_string(),
            });
        }
    };
    match c {
        Collection::Tasks => {
            if !present(doc, "date") && !present(doc, "dateRange") {
                need("date", "a task needs a date (YYYYMMDD) or a dateRange");
            }
            need("location", "a task needs a delivery location");
        }
        Collection::Drivers => need("firstName", "a driver needs a firstName"),
        Collection::Customers => need("name", "a customer needs a name"),
        Collection::Depots => need("name", "a depot needs a name"),
        Collection::Vehicles => need("name", "a vehicle needs a name of at least 2 characters"),
        Collection::Zones => {
            need("name", "a zone needs a name");
            need(
                "geoJSON",
                "a zone needs a geoJSON Feature or FeatureCollection",
            );
        }
        Collection::ScheduleExceptions => {
            need(
                "driver",
                "an exception needs a driver: {\"uid\": …}, {\"id\": …} or {\"reference\": …}",
            );
            need(
                "dateRange",
                "an exception needs a dateRange {startDate, endDate}",
            );
        }
        Collection::Forms => need("name", "a form needs a name"),
        Collection::FormSubmissions => need("form", "a submission must name its form"),
        Collection::RouteTemplateGroups | Collection::TaskTemplateGroups => {
            need("name", "a template group needs a name")
        }
        Collection::Routes => {}
    }
    p
}

/// Joins problems into one line for an item error.
pub fn summary(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| {
            if p.field.is_empty() {
                p.message.clone()
            } else {
                format!("{}: {}", p.field, p.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Fields the server owns: ignored when a client sends them in an update.
pub fn protected_fields(c: Collection) -> &'static [&'static str] {
    match c {
        Collection::Tasks => &[
            "_id",
            "uid",
            "organization",
            "assignment",
            "stateText",
            "stateTimestamp",
            "stateTimestamps",
            "returnOf",
            "returnTask",
        ],
        Collection::Routes => &["_id", "uid", "organization", "legs", "assignee", "date"],
        _ => &["_id", "uid", "organization"],
    }
}

/// Key in `stateTimestamps` for a state.
pub fn state_key(s: TaskState) -> &'static str {
    match s.0 {
        -30 => "cancelled",
        -20 => "failed",
        -10 => "pickupFailed",
        4 => "sorted",
        5 => "loaded",
        10 => "pickupEnRoute",
        20 => "pickupArrived",
        30 => "pickupCompleted",
        40 => "enRoute",
        50 => "arrived",
        60 => "completed",
        _ => "created",
    }
}

/// Sets a task's state with its label and timestamps.
pub fn set_task_state(task: &mut Value, state: TaskState, now: i64) {
    let Some(o) = task.as_object_mut() else {
        return;
    };
    o.insert("state".into(), json!(state.0));
    o.insert("stateText".into(), json!(state.label()));
    o.insert("stateTimestamp".into(), json!(now));
    let ts = o
        .entry("stateTimestamps")
        .or_insert_with(|| Value::Object(Map::new()));
    if !ts.is_object() {
        *ts = Value::Object(Map::new());
    }
    if let Value::Object(ts) = ts {
        let k = state_key(state);
        ts.insert(k.into(), json!(now));
        ts.insert(format!("{k}ISO"), json!(iso(now)));
    }
}

fn give_uids(list: Option<&mut Value>, prefix: &str) {
    if let Some(Value::Array(items)) = list {
        for it in items {
            if let Some(o) = it.as_object_mut()
                && !o.get("uid").is_some_and(Value::is_string)
            {
                o.insert("uid".into(), json!(ids::uid_with(prefix, &mut rand::rng())));
            }
        }
    }
}

/// UID prefix of customer locations.
const CUSTOMER_LOCATION_PREFIX: &str = "CL-";

/// Gives UIDs to entries an update added to a list that the server numbers (customer
/// locations), as creating the item would have.
pub fn give_entry_uids(c: Collection, doc: &mut Value) {
    if c == Collection::Customers {
        give_uids(doc.get_mut("locations"), CUSTOMER_LOCATION_PREFIX);
    }
}

/// Turns a validated client item into a new stored document: server ids and defaults.
pub fn prepare_new(c: Collection, mut doc: Value, now: i64) -> Value {
    let Some(o) = doc.as_object_mut() else {
        return doc;
    };
    o.insert("_id".into(), json!(ids::new_object_id()));
    o.insert("uid".into(), json!(ids::new_uid(c)));
    o.insert("organization".into(), json!(SANDBOX_ORG));
    match c {
        Collection::Tasks => {
            let state = o
                .get("state")
                .and_then(Value::as_i64)
                .map(TaskState)
                .unwrap_or(TaskState::CREATED);
            o.remove("assignment");
            o.insert("assignment".into(), json!({"state": 0}));
            o.insert(
                "stateTimestamps".into(),
                json!({"created": now, "createdISO": iso(now)}),
            );
            give_uids(o.get_mut("items"), "IT-");
            set_task_state(&mut doc, state, now);
        }
        Collection::Customers => give_uids(o.get_mut("locations"), CUSTOMER_LOCATION_PREFIX),
        Collection::TaskTemplateGroups => {
            give_uids(o.get_mut("taskTemplates"), "TT-");
            o.insert("createdAt".into(), json!(now));
            o.insert("updatedAt".into(), json!(now));
        }
        Collection::RouteTemplateGroups => {
            if let Some(Value::Array(rts)) = o.get_mut("routeTemplates") {
                for rt in rts.iter_mut() {
                    if let Some(r) = rt.as_object_mut() {
                        give_uids(r.get_mut("taskTemplates"), "TT-");
                    }
                }
            }
            give_uids(o.get_mut("routeTemplates"), "RTT-");
            o.insert("createdAt".into(), json!(now));
            o.insert("updatedAt".into(), json!(now));
        }
        Collection::FormSubmissions if !o.contains_key("submittedAt") => {
            o.insert("submittedAt".into(), json!(now));
        }
        _ => {}
    }
    doc
}

/// Applies an RFC 7396 merge patch: objects merge, `null` deletes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match (target.as_object_mut(), patch.as_object()) {
        (Some(t), Some(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    match t.get_mut(k) {
                        Some(existing) if existing.is_object() && v.is_object() => {
                            merge_patch(existing, v)
                        }
                        _ => {
                            t.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
        }
        _ => *target = patch.clone(),
    }
}

/// The patch without server-managed fields.
pub fn strip_protected(c: Collection, patch: &Value) -> Value {
    let mut p = patch.clone();
    if let Some(o) = p.as_object_mut() {
        for f in protected_fields(c) {
            o.remove(*f);
        }
    }
    p
}

/// A string field of a document.
pub fn str_field<'a>(doc: &'a Value, field: &str) -> Option<&'a str> {
    doc.get(field).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut t = json!({"a": 1, "b": {"c": 2, "d": 3}, "keep": "x"});
        merge_patch(&mut t, &json!({"a": null, "b": {"c": 5}, "e": [1]}));
        assert_eq!(t, json!({"b": {"c": 5, "d": 3}, "keep": "x", "e": [1]}));
    }

    #[test]
    fn checks_required_fields_and_values() {
        let p = check(Collection::Tasks, &json!({"reference": "x"}));
        assert!(p.iter().any(|p| p.field == "date"), "{p:?}");
        assert!(p.iter().any(|p| p.field == "location"), "{p:?}");
        let p = check(
            Collection::Tasks,
            &json!({"date": 20251340, "location": {"address": "x"}}),
        );
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].field == "date" && p[0].message.contains("20251340"),
            "{p:?}"
        );
        let p = check(
            Collection::Tasks,
            &json!({"date": 20251030, "location": {"coordinates": [200, 51]}, "timeWindows": [{"start": 600, "end": 500}]}),
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(check(Collection::Drivers, &json!({"firstName": "Ann"})).is_empty());
    }

    #[test]
    fn new_tasks_get_server_fields() {
        let d = prepare_new(
            Collection::Tasks,
            json!({"date": 20251030, "assignment": {"routeUID": "RT-X"}, "items": [{"id": "1"}]}),
            1_700_000_000,
        );
        assert!(ids::is_object_id(str_field(&d, "_id").unwrap_or("")));
        assert!(str_field(&d, "uid").is_some_and(|u| u.starts_with("T-")));
        assert_eq!(d["state"], 0);
        assert_eq!(d["stateText"], "Created");
        assert_eq!(d["assignment"], json!({"state": 0}));
        assert!(d["items"][0]["uid"].is_string());
    }
}
