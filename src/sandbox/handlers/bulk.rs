//! createMany, updateMany, removeMany and createOrUpdateMany for every collection.
//!
//! Items are handled one by one inside one transaction: an invalid item is reported in
//! `errors` (with its index) while the valid ones land; a storage failure rolls back all.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::api::model::{BulkResult, FieldProblem, ImportConfig, ItemError};
use crate::api::paths::Collection;

use super::{Ctx, routes, tasks};
use crate::sandbox::documents::{
    check, merge_patch, prepare_new, str_field, strip_protected, summary,
};
use crate::sandbox::failure::{Failure, Served};
use crate::sandbox::store::IndexedCond;

/// Why one item of a bulk request did not land.
#[derive(Debug)]
pub enum ItemFailure {
    /// The item is invalid (field problems).
    Invalid(Vec<FieldProblem>),
    /// The item's state forbids the change.
    Refused(String),
    /// Storage failed: the whole request fails.
    Fatal(Failure),
}

impl From<Failure> for ItemFailure {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Conflict(m) | Failure::NotFound(m) => ItemFailure::Refused(m),
            Failure::Invalid { message, .. } => ItemFailure::Refused(message),
            other => ItemFailure::Fatal(other),
        }
    }
}

impl From<crate::sandbox::store::StoreError> for ItemFailure {
    fn from(e: crate::sandbox::store::StoreError) -> Self {
        ItemFailure::Fatal(e.into())
    }
}

/// An item error naming the item by index and, when it has them, id and reference.
pub fn item_error(
    index: usize,
    item: &Value,
    message: String,
    problems: Option<Vec<FieldProblem>>,
) -> ItemError {
    ItemError {
        index: Some(index),
        id: str_field(item, "_id")
            .or(str_field(item, "uid"))
            .map(String::from),
        reference: str_field(item, "reference").map(String::from),
        message,
        problems,
    }
}

/// The answer of a bulk request being built.
#[derive(Debug, Default)]
pub struct Bulk {
    /// `_id`s of items written, in request order.
    pub ids: Vec<String>,
    /// Per-item problems.
    pub errors: Vec<ItemError>,
    /// Written documents.
    pub items: Vec<Value>,
    /// Items created.
    pub created: u64,
    /// Items updated.
    pub updated: u64,
    /// Whether to return items.
    pub return_items: bool,
    /// Whether to report created/updated counts (createOrUpdateMany).
    pub report_counts: bool,
}

impl Bulk {
    /// A new answer.
    pub fn new(return_items: bool) -> Self {
        Bulk {
            return_items,
            ..Bulk::default()
        }
    }

    /// Records a written document.
    pub fn ok(&mut self, doc: Value) {
        if let Some(id) = str_field(&doc, "_id") {
            self.ids.push(id.to_string());
        }
        self.items.push(doc);
    }

    /// Records an item failure; fatal ones end the request.
    pub fn fail(&mut self, index: usize, item: &Value, f: ItemFailure) -> Served<()> {
        match f {
            ItemFailure::Invalid(p) => {
                self.errors
                    .push(item_error(index, item, summary(&p), Some(p)));
                Ok(())
            }
            ItemFailure::Refused(m) => {
                self.errors.push(item_error(index, item, m, None));
                Ok(())
            }
            ItemFailure::Fatal(f) => Err(f),
        }
    }

    fn result(&self) -> BulkResult {
        BulkResult {
            result: self.ids.len() as u64,
            ids: self.ids.clone(),
            errors: self.errors.clone(),
            created: self.report_counts.then_some(self.created),
            updated: self.report_counts.then_some(self.updated),
            items: self.return_items.then(|| self.items.clone()),
        }
    }

    /// The failure to answer when nothing landed.
    pub fn into_failure(self) -> Failure {
        let n = self.errors.len();
        Failure::Invalid {
            message: match self.errors.first() {
                Some(e) if n == 1 => e.message.clone(),
                _ => format!("no item was written: {n} items have errors"),
            },
            errors: self.errors,
        }
    }

    /// 200 with the result when something landed (or nothing was asked), else 422.
    pub fn into_response(self) -> Response {
        if self.ids.is_empty() && !self.errors.is_empty() {
            let mut body = serde_json::to_value(self.result()).unwrap_or_else(|_| json!({}));
            let f = self.into_failure();
            body["status"] = json!(422);
            body["error"] = json!("validation_failed");
            body["message"] = json!(f.to_string());
            return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
        }
        (StatusCode::OK, Json(self.result())).into_response()
    }
}

fn new_doc(ctx: &Ctx<'_, '_>, c: Collection, item: Value) -> Result<Value, ItemFailure> {
    let problems = check(c, &item);
    if !problems.is_empty() {
        return Err(ItemFailure::Invalid(problems));
    }
    let doc = prepare_new(c, item, ctx.now);
    ctx.tx.insert(c, &doc)?;
    Ok(doc)
}

/// `createMany`.
pub fn create_many(ctx: &Ctx<'_, '_>, c: Collection, items: Vec<Value>, ret: bool) -> Served<Bulk> {
    let mut out = Bulk::new(ret);
    for (i, item) in items.into_iter().enumerate() {
        match new_doc(ctx, c, item.clone()) {
            Ok(doc) => out.ok(doc),
            Err(f) => out.fail(i, &item, f)?,
        }
    }
    Ok(out)
}

/// Applies a patch to a stored document with the collection's rules; returns the stored result.
pub fn update_doc(
    ctx: &Ctx<'_, '_>,
    c: Collection,
    old: Value,
    patch: &Value,
) -> Result<Value, ItemFailure> {
    let patch = strip_protected(c, patch);
    let mut new = old.clone();
    merge_patch(&mut new, &patch);
    crate::sandbox::documents::give_entry_uids(c, &mut new);
    let problems = check(c, &new);
    if !problems.is_empty() {
        return Err(ItemFailure::Invalid(problems));
    }
    match c {
        Collection::Tasks => tasks::apply_update(ctx, &old, new),
        Collection::Routes => routes::apply_update(ctx, new),
        _ => {
            if let Some(o) = new.as_object_mut()
                && o.contains_key("updatedAt")
            {
                o.insert("updatedAt".into(), json!(ctx.now));
            }
            ctx.tx.replace(c, &new)?;
            Ok(new)
        }
    }
}

/// `updateMany`: each item names its `_id` or `uid` and carries the fields to change.
pub fn update_many(ctx: &Ctx<'_, '_>, c: Collection, items: Vec<Value>, ret: bool) -> Served<Bulk> {
    let mut out = Bulk::new(ret);
    for (i, item) in items.into_iter().enumerate() {
        let key = str_field(&item, "_id")
            .or(str_field(&item, "uid"))
            .map(String::from);
        let res = match key {
            None => Err(ItemFailure::Refused(
                "each item needs its _id or uid to say which one to update".into(),
            )),
            Some(k) => match ctx.tx.get(c, &k)? {
                None => Err(ItemFailure::Refused(format!(
                    "no {} with _id or uid {k:?}",
                    c.singular()
                ))),
                Some(old) => update_doc(ctx, c, old, &item),
            },
        };
        match res {
            Ok(doc) => out.ok(doc),
            Err(f) => out.fail(i, &item, f)?,
        }
    }
    Ok(out)
}

/// Deletes a document if its collection's rules allow it.
pub fn delete_doc(ctx: &Ctx<'_, '_>, c: Collection, doc: &Value) -> Result<(), ItemFailure> {
    match c {
        Collection::Tasks => tasks::before_delete(doc)?,
        Collection::Routes => routes::before_delete(ctx, doc)?,
        _ => {}
    }
    ctx.tx
        .delete(c, str_field(doc, "_id").unwrap_or_default())?;
    Ok(())
}

/// `removeMany`: `_id`s or UIDs.
pub fn remove_many(ctx: &Ctx<'_, '_>, c: Collection, ids: Vec<String>) -> Served<Bulk> {
    let mut out = Bulk::new(false);
    for (i, key) in ids.into_iter().enumerate() {
        let item = json!({ "_id": key });
        let res = match ctx.tx.get(c, &key)? {
            None => Err(ItemFailure::Refused(format!(
                "no {} with _id or uid {key:?}",
                c.singular()
            ))),
            Some(doc) => delete_doc(ctx, c, &doc).map(|()| doc),
        };
        match res {
            Ok(doc) => {
                out.ids
                    .push(str_field(&doc, "_id").unwrap_or_default().to_string());
            }
            Err(f) => out.fail(i, &item, f)?,
        }
    }
    Ok(out)
}

/// Which field identifies an existing item, from `importConfig.match`.
fn match_field(cfg: &ImportConfig, item: &Value) -> Option<(&'static str, String)> {
    let m = cfg.match_on.clone().unwrap_or_default();
    let wanted: Vec<&'static str> =
        if m.uid.unwrap_or(false) || m.reference.unwrap_or(false) || m.external_id.unwrap_or(false)
        {
            [
                ("uid", m.uid),
                ("reference", m.reference),
                ("externalId", m.external_id),
            ]
            .into_iter()
            .filter(|(_, on)| on.unwrap_or(false))
            .map(|(f, _)| f)
            .collect()
        } else {
            // No match given: the reference's own example matches on reference.
            vec!["reference", "uid"]
        };
    wanted.into_iter().find_map(|f| {
        str_field(item, f)
            .filter(|v| !v.is_empty())
            .map(|v| (f, v.to_string()))
    })
}

/// `createOrUpdateMany` with `importConfig {importMode, match}`.
pub fn create_or_update_many(
    ctx: &Ctx<'_, '_>,
    c: Collection,
    items: Vec<Value>,
    cfg: &ImportConfig,
    ret: bool,
) -> Served<Bulk> {
    let mode = cfg.import_mode.as_deref().unwrap_or("update");
    if !matches!(mode, "update" | "create" | "updateOnly") {
        return Err(Failure::BadRequest(format!(
            "importConfig.importMode {mode:?} is not one of \"update\", \"create\", \"updateOnly\""
        )));
    }
    let mut out = Bulk::new(ret);
    out.report_counts = true;
    for (i, item) in items.into_iter().enumerate() {
        let existing = match match_field(cfg, &item) {
            None => Ok(None),
            Some((field, value)) => {
                let cond = match field {
                    "uid" => IndexedCond::Uid(value.clone()),
                    "externalId" => IndexedCond::ExternalId(value.clone()),
                    _ => IndexedCond::Reference(value.clone()),
                };
                let found = ctx.tx.find(c, &[cond])?;
                match found.len() {
                    0 => Ok(None),
                    1 => Ok(found.into_iter().next()),
                    n => Err(ItemFailure::Refused(format!(
                        "{field} {value:?} matches {n} {}; match on uid instead",
                        c.name()
                    ))),
                }
            }
        };
        let res = match (existing, mode) {
            (Err(f), _) => Err(f),
            (Ok(Some(old)), "create") => Err(ItemFailure::Refused(format!(
                "a {} with this key exists already ({}); importMode \"create\" refuses duplicates",
                c.singular(),
                str_field(&old, "uid").unwrap_or_default()
            ))),
            (Ok(Some(old)), _) => update_doc(ctx, c, old, &item).map(|d| (d, false)),
            (Ok(None), "updateOnly") => Err(ItemFailure::Refused(format!(
                "no {} matches this item; importMode \"updateOnly\" creates nothing",
                c.singular()
            ))),
            (Ok(None), _) => new_doc(ctx, c, item.clone()).map(|d| (d, true)),
        };
        match res {
            Ok((doc, created)) => {
                if created {
                    out.created += 1;
                } else {
                    out.updated += 1;
                }
                out.ok(doc);
            }
            Err(f) => out.fail(i, &item, f)?,
        }
    }
    Ok(out)
}
