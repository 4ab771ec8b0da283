//! Route- and task-template groups: schedule for dates, and add tasks to a group.
//!
//! Scheduling honours the group's pattern: a date outside its date range or weekdays is
//! reported in `errors` and skipped. Keeping assignees puts the new tasks on the driver's
//! route for that date (created when missing), in template order.

use axum::extract::Path;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::api::model::{AddTasksRequest, Date, IdsRequest, SchedulePattern};
use crate::api::paths::{self, Collection};

use super::bulk::{Bulk, ItemFailure};
use super::{AppState, Ctx, ids_action, must_get, routes};
use crate::sandbox::body::JsonBody;
use crate::sandbox::documents::{prepare_new, str_field};
use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::ids;

fn dates_of(req: &IdsRequest) -> Served<Vec<Date>> {
    let mut ds = req.dates.clone().unwrap_or_default();
    ds.extend(req.date);
    if ds.is_empty() {
        return Err(Failure::BadRequest(
            "dates is required: a list of YYYYMMDD integers".into(),
        ));
    }
    if req.ids.is_empty() {
        return Err(Failure::BadRequest(
            "ids is empty: name at least one group".into(),
        ));
    }
    Ok(ds)
}

/// Why the group's pattern skips `date`, if it does.
fn pattern_skips(group: &Value, date: Date) -> Option<String> {
    let p: SchedulePattern = serde_json::from_value(group.get("schedulePattern")?.clone()).ok()?;
    if let Some(r) = &p.date_range
        && !r.contains(date)
    {
        return Some(format!(
            "{date} is outside the group's date range {}–{}",
            r.start_date, r.end_date
        ));
    }
    if p.frequency.as_deref() == Some("weekly")
        && let Some(days) = p.week_days.as_ref().filter(|d| !d.is_empty())
        && !days.iter().any(|d| d == date.weekday_name())
    {
        return Some(format!(
            "{date} is a {}; the group runs on {}",
            date.weekday_name(),
            days.join(", ")
        ));
    }
    None
}

fn active(tpl: &Value) -> bool {
    tpl.get("active").and_then(Value::as_bool).unwrap_or(true)
}

/// Makes and stores a task from a template for `date`.
fn task_from_template(ctx: &Ctx<'_, '_>, tpl: &Value, date: Date) -> Result<Value, ItemFailure> {
    let mut task = tpl.get("task").cloned().unwrap_or_else(|| json!({}));
    task["date"] = json!(date.as_u32());
    if let Some(o) = task.as_object_mut() {
        o.remove("dateRange");
        o.insert("template".into(), json!({"uid": tpl.get("uid")}));
    }
    let problems = crate::sandbox::documents::check(Collection::Tasks, &task);
    if !problems.is_empty() {
        return Err(ItemFailure::Invalid(problems));
    }
    let doc = prepare_new(Collection::Tasks, task, ctx.now);
    ctx.tx.insert(Collection::Tasks, &doc)?;
    Ok(doc)
}

fn driver_of(ctx: &Ctx<'_, '_>, r: Option<&Value>) -> Served<Option<Value>> {
    let Some(r) = r else { return Ok(None) };
    for k in ["_id", "id", "uid"] {
        if let Some(key) = str_field(r, k)
            && let Some(d) = ctx.tx.get(Collection::Drivers, key)?
        {
            return Ok(Some(d));
        }
    }
    Ok(None)
}

/// Puts stored tasks on the driver's route for `date`, in order, and re-times it.
fn assign_in_order(ctx: &Ctx<'_, '_>, driver: &Value, date: Date, tasks: &[Value]) -> Served<()> {
    if tasks.is_empty() {
        return Ok(());
    }
    let mut route = routes::ensure_route(ctx, driver, date)?;
    for t in tasks {
        routes::push_leg(&mut route, t);
    }
    routes::retime(ctx, &mut route)
}

fn each_group_date(
    ctx: &Ctx<'_, '_>,
    c: Collection,
    req: &IdsRequest,
    mut f: impl FnMut(&Value, Date, &mut Bulk) -> Served<()>,
) -> Served<Bulk> {
    let dates = dates_of(req)?;
    let mut out = Bulk::new(req.return_items.unwrap_or(true));
    for (i, key) in req.ids.iter().enumerate() {
        let item = json!({ "_id": key });
        let Some(group) = ctx.tx.get(c, key)? else {
            out.fail(
                i,
                &item,
                ItemFailure::Refused(format!("no {} with _id or uid {key:?}", c.singular())),
            )?;
            continue;
        };
        for &d in &dates {
            match pattern_skips(&group, d) {
                Some(why) => out.fail(i, &item, ItemFailure::Refused(why))?,
                None => f(&group, d, &mut out)?,
            }
        }
    }
    Ok(out)
}

/// `task-template-groups/scheduleForDates`.
pub fn schedule_task_groups(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    each_group_date(
        ctx,
        Collection::TaskTemplateGroups,
        req,
        |group, date, out| {
            let keep = group
                .get("keepAssignees")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let tpls = group
                .get("taskTemplates")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (ti, tpl) in tpls.iter().enumerate().filter(|(_, t)| active(t)) {
                match task_from_template(ctx, tpl, date) {
                    Ok(task) => {
                        if keep && let Some(d) = driver_of(ctx, tpl.get("assignee"))? {
                            assign_in_order(ctx, &d, date, std::slice::from_ref(&task))?;
                        }
                        out.ok(ctx
                            .tx
                            .get(
                                Collection::Tasks,
                                str_field(&task, "_id").unwrap_or_default(),
                            )?
                            .unwrap_or(task));
                    }
                    Err(e) => out.fail(ti, tpl, e)?,
                }
            }
            Ok(())
        },
    )
}

/// `route-template-groups/scheduleForDates`.
pub fn schedule_route_groups(ctx: &Ctx<'_, '_>, req: &IdsRequest) -> Served<Bulk> {
    each_group_date(
        ctx,
        Collection::RouteTemplateGroups,
        req,
        |group, date, out| {
            let rts = group
                .get("routeTemplates")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (ri, rt) in rts.iter().enumerate() {
                let driver = driver_of(ctx, rt.get("driver"))?;
                let mut made = Vec::new();
                for tpl in rt
                    .get("taskTemplates")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|t| active(t))
                {
                    match task_from_template(ctx, tpl, date) {
                        Ok(t) => made.push(t),
                        Err(e) => out.fail(ri, rt, e)?,
                    }
                }
                match &driver {
                Some(d) => assign_in_order(ctx, d, date, &made)?,
                None if !made.is_empty() => out.fail(
                    ri,
                    rt,
                    ItemFailure::Refused(
                        "the route template's driver does not exist; its tasks were created unassigned".into(),
                    ),
                )?,
                None => {}
            }
                for t in made {
                    out.ok(ctx
                        .tx
                        .get(Collection::Tasks, str_field(&t, "_id").unwrap_or_default())?
                        .unwrap_or(t));
                }
            }
            Ok(())
        },
    )
}

/// `task-template-groups/{id}/addTasks`: existing tasks become templates of the group.
pub fn add_tasks(ctx: &Ctx<'_, '_>, group_key: &str, req: &AddTasksRequest) -> Served<Value> {
    let mut group = must_get(ctx.tx, Collection::TaskTemplateGroups, group_key)?;
    if req.tasks.is_empty() {
        return Err(Failure::BadRequest(
            "tasks is empty: name at least one task".into(),
        ));
    }
    let mut new = Vec::new();
    for key in &req.tasks {
        let task = must_get(ctx.tx, Collection::Tasks, key)?;
        let assignee = task.pointer("/assignment/assignee").cloned();
        let mut body = task.clone();
        if let Some(o) = body.as_object_mut() {
            for k in [
                "_id",
                "uid",
                "organization",
                "date",
                "assignment",
                "state",
                "stateText",
                "stateTimestamp",
                "stateTimestamps",
                "stateReason",
                "tracking",
                "returnOf",
                "returnTask",
            ] {
                o.remove(k);
            }
        }
        let mut tpl =
            json!({"uid": ids::uid_with("TT-", &mut rand::rng()), "active": true, "task": body});
        if req.keep_assignee
            && let Some(a) = assignee.filter(|a| !a.is_null())
        {
            tpl["assignee"] = a;
        }
        new.push(tpl);
    }
    match group.get_mut("taskTemplates") {
        Some(Value::Array(list)) => list.extend(new),
        _ => group["taskTemplates"] = Value::Array(new),
    }
    group["updatedAt"] = json!(ctx.now);
    ctx.tx.replace(Collection::TaskTemplateGroups, &group)?;
    Ok(group)
}

/// Routes of the template endpoints.
pub fn router(state: AppState) -> Router {
    let s = state.clone();
    Router::new()
        .route(
            paths::ROUTE_TEMPLATES_SCHEDULE,
            ids_action(&state, schedule_route_groups),
        )
        .route(
            paths::TASK_TEMPLATES_SCHEDULE,
            ids_action(&state, schedule_task_groups),
        )
        .route(
            paths::TASK_TEMPLATES_ADD_TASKS,
            post(
                move |Path(id): Path<String>, JsonBody(req): JsonBody<AddTasksRequest>| {
                    let s = s.clone();
                    async move {
                        s.write(move |ctx| add_tasks(ctx, &id, &req))
                            .await
                            .map(Json)
                    }
                },
            ),
        )
}
