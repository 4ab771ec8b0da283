//! Task rules and actions: cancel, move to date, reattempt, create return, start tracking,
//! proof of delivery. An assigned task is not deleted; cancel and move take a task off its
//! route; reattempt re-opens a failed task on a date; a return reverses pickup and delivery.

use axum::extract::Path;
use axum::routing::get;
use axum::{Json, Router};
use rand::Rng;
use serde_json::{Value, json};

use crate::api::model::{Date, IdsRequest, TaskState};
use crate::api::paths::{self, Collection};

use super::bulk::{Bulk, ItemFailure};
use super::{AppState, Ctx, ids_action, must_get, routes};
use crate::sandbox::documents::{iso, prepare_new, set_task_state, str_field};
use crate::sandbox::failure::{Failure, Served};

fn state_of(task: &Value) -> TaskState {
    TaskState(task.get("state").and_then(Value::as_i64).unwrap_or(0))
}

fn uid_of(task: &Value) -> &str {
    str_field(task, "uid").unwrap_or_default()
}

fn is_assigned(task: &Value) -> bool {
    task.get("assignment")
        .and_then(|a| str_field(a, "routeUID"))
        .is_some_and(|s| !s.is_empty())
}

/// Fields whose change moves the stop's ETA.
const TIMING_FIELDS: [&str; 4] = [
    "location",
    "timeWindows",
    "setupDuration",
    "serviceDuration",
];

/// Update rules: a state change stamps its time; cancelling or changing the date takes the
/// task off its route; a timing change re-times the route.
pub fn apply_update(ctx: &Ctx<'_, '_>, old: &Value, mut new: Value) -> Result<Value, ItemFailure> {
    let (old_state, new_state) = (state_of(old), state_of(&new));
    if old_state != new_state {
        set_task_state(&mut new, new_state, ctx.now);
    }
    let date_changed =
        old.get("date") != new.get("date") || old.get("dateRange") != new.get("dateRange");
    if is_assigned(&new) && (date_changed || new_state == TaskState::CANCELLED) {
        routes::unassign(ctx, &mut new)?;
    }
    ctx.tx.replace(Collection::Tasks, &new)?;
    let retime = is_assigned(&new) && TIMING_FIELDS.iter().any(|f| old.get(*f) != new.get(*f));
    if retime
        && let Some(ru) = new.get("assignment").and_then(|a| str_field(a, "routeUID"))
        && let Some(mut route) = ctx.tx.get(Collection::Routes, ru)?
    {
        routes::retime(ctx, &mut route)?;
        // Re-timing rewrote this task's assignment: answer with what is stored now.
        let id = str_field(&new, "_id").unwrap_or_default().to_string();
        return Ok(ctx.tx.get(Collection::Tasks, &id)?.unwrap_or(new));
    }
    Ok(new)
}

/// An assigned task is not deleted: it must come off its route first.
pub fn before_delete(task: &Value) -> Result<(), ItemFailure> {
    if is_assigned(task) {
        let route = task
            .get("assignment")
            .and_then(|a| str_field(a, "routeUID"))
            .unwrap_or_default();
        return Err(ItemFailure::Refused(format!(
            "task {} is assigned to route {route}; unassign it first (cancel it, move it, or clear the route)",
            uid_of(task)
        )));
    }
    Ok(())
}

/// Runs `f` on each task named in `ids`, saving what it returns.
fn each_task(
    ctx: &Ctx<'_, '_>,
    ids: &[String],
    mut f: impl FnMut(&mut Value) -> Result<(), ItemFailure>,
) -> Served<Bulk> {
    if ids.is_empty() {
        return Err(Failure::BadRequest(
            "ids is empty: name at least one task".into(),
        ));
    }
    let mut out = Bulk::new(true);
    for (i, key) in ids.iter().enumerate() {
        let item = json!({ "_id": key });
        let res = match ctx.tx.get(Collection::Tasks, key)? {
            None => Err(ItemFailure::Refused(format!(
                "no task with _id or uid {key:?}"
            ))),
            Some(mut t) => f(&mut t).and_then(|()| {
                ctx.tx.replace(Collection::Tasks, &t)?;
                Ok(t)
            }),
        };
        match res {
            Ok(t) => out.ok(t),
            Err(e) => out.fail(i, &item, e)?,
        }
    }
    Ok(out)
}

fn need_date(req: &IdsRequest) -> Served<Date> {
    req.date
        .ok_or_else(|| Failure::BadRequest("date is required (an integer YYYYMMDD)".into()))
}

/// `cancel`: sets Cancelled (with the reason) and takes the task off its route.
pub fn cancel(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    each_task(ctx, &req.ids, |t| {
        let s = state_of(t);
        if s == TaskState::COMPLETED || s == TaskState::CANCELLED {
            return Err(ItemFailure::Refused(format!(
                "task {} is {}; it cannot be cancelled",
                uid_of(t),
                s.label().to_lowercase()
            )));
        }
        routes::unassign(ctx, t)?;
        set_task_state(t, TaskState::CANCELLED, ctx.now);
        if let Some(r) = req.reason.as_ref().filter(|r| !r.trim().is_empty()) {
            t["stateReason"] = json!(r);
        }
        Ok(())
    })
}

/// `moveToDate`: a task not yet started gets the new date and comes off its route.
pub fn move_to_date(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    let date = need_date(req)?;
    each_task(ctx, &req.ids, |t| {
        let s = state_of(t);
        if s.is_final() || s.is_active() {
            return Err(ItemFailure::Refused(format!(
                "task {} is {}; only tasks not yet started can be moved (reattempt failed ones)",
                uid_of(t),
                s.label().to_lowercase()
            )));
        }
        routes::unassign(ctx, t)?;
        t["date"] = json!(date.as_u32());
        if let Some(o) = t.as_object_mut() {
            o.remove("dateRange");
        }
        Ok(())
    })
}

/// `reattempt`: a failed task becomes schedulable again on the given date.
pub fn reattempt(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    let date = need_date(req)?;
    each_task(ctx, &req.ids, |t| {
        let s = state_of(t);
        if !s.is_failed() {
            return Err(ItemFailure::Refused(format!(
                "task {} is {}; only failed tasks can be reattempted",
                uid_of(t),
                s.label().to_lowercase()
            )));
        }
        routes::unassign(ctx, t)?;
        let attempts = t.get("attempts").and_then(Value::as_i64).unwrap_or(1) + 1;
        t["attempts"] = json!(attempts);
        t["date"] = json!(date.as_u32());
        if let Some(o) = t.as_object_mut() {
            o.remove("stateReason");
        }
        set_task_state(t, TaskState::CREATED, ctx.now);
        if let Some(ts) = t.get_mut("stateTimestamps").and_then(Value::as_object_mut) {
            ts.insert("reattempted".into(), json!(ctx.now));
            ts.insert("reattemptedISO".into(), json!(iso(ctx.now)));
        }
        Ok(())
    })
}

/// The return of a task: a new task from its delivery location back to its pickup.
fn return_of(orig: &Value, date: Option<Date>) -> Result<Value, ItemFailure> {
    let pickup_loc = orig
        .get("pickup")
        .and_then(|p| p.get("location"))
        .filter(|l| l.is_object())
        .cloned()
        .ok_or_else(|| {
            ItemFailure::Refused(format!(
                "task {} has no pickup location to return the goods to",
                uid_of(orig)
            ))
        })?;
    let mut r = orig.clone();
    let Some(o) = r.as_object_mut() else {
        return Err(ItemFailure::Refused("task is not an object".into()));
    };
    for k in [
        "_id",
        "uid",
        "assignment",
        "state",
        "stateText",
        "stateTimestamp",
        "stateTimestamps",
        "stateReason",
        "returnTask",
        "returnOf",
        "attempts",
        "tracking",
        "dateRange",
    ] {
        o.remove(k);
    }
    let mut pickup = orig.get("pickup").cloned().unwrap_or_else(|| json!({}));
    pickup["location"] = orig.get("location").cloned().unwrap_or(Value::Null);
    o.insert("pickup".into(), pickup);
    o.insert("location".into(), pickup_loc);
    if let Some(reference) = str_field(orig, "reference") {
        o.insert("reference".into(), json!(format!("{reference}-R")));
    }
    if let Some(d) = date {
        o.insert("date".into(), json!(d.as_u32()));
    }
    if let Some(Value::Array(items)) = o.get_mut("items") {
        for it in items.iter_mut() {
            if let Some(io) = it.as_object_mut() {
                io.remove("uid");
                io.remove("state");
            }
        }
    }
    o.insert(
        "returnOf".into(),
        json!({"_id": orig["_id"], "uid": orig["uid"], "reference": orig.get("reference")}),
    );
    Ok(r)
}

/// `createReturn`: one new linked return task per named task.
pub fn create_return(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    each_task(ctx, &req.ids, |orig| {
        if orig.get("returnTask").is_some_and(|r| !r.is_null()) {
            return Err(ItemFailure::Refused(format!(
                "task {} already has a return task ({})",
                uid_of(orig),
                orig["returnTask"]
                    .get("uid")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
            )));
        }
        let ret = prepare_new(Collection::Tasks, return_of(orig, req.date)?, ctx.now);
        ctx.tx.insert(Collection::Tasks, &ret)?;
        orig["returnTask"] =
            json!({"_id": ret["_id"], "uid": ret["uid"], "reference": ret.get("reference")});
        Ok(())
    })
    .map(|mut b| {
        // Answer with the new return tasks, not the originals.
        b.items = b
            .items
            .iter()
            .filter_map(|o| o.get("returnTask").and_then(|r| str_field(r, "_id")))
            .filter_map(|id| ctx.tx.get(Collection::Tasks, id).ok().flatten())
            .collect();
        b.ids = b
            .items
            .iter()
            .filter_map(|t| str_field(t, "_id").map(String::from))
            .collect();
        b
    })
}

/// `startTracking`: gives the task a tracking code and marks tracking as started.
pub fn start_tracking(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    each_task(ctx, &req.ids, |t| {
        if state_of(t).is_final() {
            return Err(ItemFailure::Refused(format!(
                "task {} is {}; there is nothing to track",
                uid_of(t),
                state_of(t).label().to_lowercase()
            )));
        }
        let code = t
            .pointer("/tracking/code")
            .and_then(Value::as_str)
            .map(String::from)
            .unwrap_or_else(|| format!("{:06}", rand::rng().random_range(0..1_000_000)));
        t["tracking"] = json!({"started": true, "startedAt": ctx.now, "code": code});
        Ok(())
    })
}

/// Routes of the task actions.
pub fn router(state: AppState) -> Router {
    let s = state.clone();
    Router::new()
        .route(paths::TASKS_CANCEL, ids_action(&state, cancel))
        .route(paths::TASKS_MOVE_TO_DATE, ids_action(&state, move_to_date))
        .route(paths::TASKS_REATTEMPT, ids_action(&state, reattempt))
        .route(
            paths::TASKS_CREATE_RETURN,
            ids_action(&state, create_return),
        )
        .route(
            paths::TASKS_START_TRACKING,
            ids_action(&state, start_tracking),
        )
        .route(
            paths::TASK_POD,
            get(move |Path(id): Path<String>| {
                let s = s.clone();
                async move {
                    s.read(move |tx| {
                        let task = must_get(tx, Collection::Tasks, &id)?;
                        let tid = str_field(&task, "_id").unwrap_or_default();
                        tx.pod(tid)?.map(Json).ok_or_else(|| {
                            Failure::NotFound(format!(
                                "task {} has no proof of delivery (state: {})",
                                uid_of(&task),
                                state_of(&task).label()
                            ))
                        })
                    })
                    .await
                }
            }),
        )
}
