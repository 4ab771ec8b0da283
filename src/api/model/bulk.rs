//! Request and response bodies of the bulk write endpoints.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::common::{Date, lenient};
use super::validate::FieldProblem;

/// `{items, returnItems, importConfig}` for createMany / updateMany / createOrUpdateMany.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemsRequest<T> {
    /// The items.
    pub items: Vec<T>,
    /// Whether to answer with the written items.
    #[serde(default)]
    pub return_items: Option<bool>,
    /// Matching rules for createOrUpdateMany.
    #[serde(default)]
    pub import_config: Option<ImportConfig>,
}

/// How createOrUpdateMany matches and writes.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ImportConfig {
    /// `update` (default: update matches, create the rest), `create` (refuse matches as
    /// duplicates) or `updateOnly` (refuse items that match nothing).
    pub import_mode: Option<String>,
    /// Which key identifies an existing item.
    #[serde(rename = "match")]
    pub match_on: Option<MatchOn>,
}

/// `match: {reference: true}` and friends.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MatchOn {
    /// Match on `reference`.
    pub reference: Option<bool>,
    /// Match on `externalId`.
    pub external_id: Option<bool>,
    /// Match on `uid`.
    pub uid: Option<bool>,
}

/// `{ids, …}` for removeMany and the task/route actions.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IdsRequest {
    /// `_id`s or UIDs.
    pub ids: Vec<String>,
    /// Target date (move, reattempt, create return).
    pub date: Option<Date>,
    /// Why (cancel).
    pub reason: Option<String>,
    /// Several dates (schedule for dates).
    pub dates: Option<Vec<Date>>,
    /// Whether to answer with the written items.
    pub return_items: Option<bool>,
}

/// `POST /routes/setOrder`: a route and its task ids in the new order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SetOrderRequest {
    /// Route `_id` or UID.
    pub route: String,
    /// Every task of the route, by `_id` or UID, first stop first.
    pub tasks: Vec<String>,
}

/// `POST /task-template-groups/{_id}/addTasks`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AddTasksRequest {
    /// Task `_id`s or UIDs to add as templates.
    pub tasks: Vec<String>,
    /// Keep each task's driver on its template.
    #[serde(default)]
    pub keep_assignee: bool,
}

/// What went wrong with one item of a bulk request.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct ItemError {
    /// Position of the item in the request.
    pub index: Option<usize>,
    /// `_id` or UID of the item, when known.
    pub id: Option<String>,
    /// Reference of the item, when known.
    pub reference: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The fields concerned.
    pub problems: Option<Vec<FieldProblem>>,
}

impl<'de> Deserialize<'de> for ItemError {
    /// Accepts the sandbox's objects and plain strings (the reference shows `"errors": ["string"]`).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Obj {
            index: Option<usize>,
            id: Option<String>,
            reference: Option<String>,
            message: Option<String>,
            error: Option<String>,
            problems: Option<Vec<FieldProblem>>,
        }
        match Value::deserialize(d)? {
            Value::String(s) => Ok(ItemError {
                message: s,
                ..Default::default()
            }),
            v @ Value::Object(_) => {
                let o: Obj = serde_json::from_value(v.clone()).map_err(serde::de::Error::custom)?;
                Ok(ItemError {
                    index: o.index,
                    id: o.id,
                    reference: o.reference,
                    message: o.message.or(o.error).unwrap_or_else(|| v.to_string()),
                    problems: o.problems,
                })
            }
            other => Ok(ItemError {
                message: other.to_string(),
                ..Default::default()
            }),
        }
    }
}

/// `{result, ids, errors, created, items}` answered by every bulk write.
#[skip_serializing_none]
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    /// Items written.
    #[serde(default, deserialize_with = "lenient::count")]
    pub result: u64,
    /// `_id` of each item written, in request order.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Per-item problems.
    #[serde(default)]
    pub errors: Vec<ItemError>,
    /// Items newly created (createOrUpdateMany).
    #[serde(default, deserialize_with = "lenient::opt_count")]
    pub created: Option<u64>,
    /// Items updated (createOrUpdateMany).
    #[serde(default, deserialize_with = "lenient::opt_count")]
    pub updated: Option<u64>,
    /// The written items, with `returnItems: true`.
    #[serde(default)]
    pub items: Option<Vec<Value>>,
}
