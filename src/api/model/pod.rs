//! Proof of delivery: what the driver captured when finishing a task.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

use super::common::{Coordinates, EntityRef, Extra};
use super::task::TaskState;

/// An image captured as proof (signature or photo).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PodFile {
    /// Where the file can be downloaded.
    pub url: Option<String>,
    /// MIME type, e.g. `image/png`.
    pub mime_type: Option<String>,
    /// The file itself, base64, when the server inlines it.
    pub data: Option<String>,
    /// Caption.
    pub caption: Option<String>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One collected POD action (`type`, `typeText`, value).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PodAction {
    /// Action kind code.
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    /// Action kind name (`comment`, `signature`, …).
    pub type_text: Option<String>,
    /// Captured value (text, code, amount).
    pub value: Option<Value>,
    /// Unix seconds.
    pub timestamp: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Proof of delivery of one task.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProofOfDelivery {
    /// The task.
    pub task: Option<EntityRef>,
    /// Segment: `delivery`, `pickup` or `failed`.
    pub segment: Option<String>,
    /// Task state when captured.
    pub state: Option<TaskState>,
    /// Unix seconds of completion.
    pub completed_at: Option<i64>,
    /// The same as ISO-8601.
    #[serde(rename = "completedAtISO")]
    pub completed_at_iso: Option<String>,
    /// Who received the goods.
    pub recipient_name: Option<String>,
    /// Driver's notes.
    pub notes: Option<String>,
    /// Signature image.
    pub signature: Option<PodFile>,
    /// Photos.
    pub photos: Option<Vec<PodFile>>,
    /// GPS position where the driver completed the task.
    pub location: Option<Coordinates>,
    /// Collected actions.
    pub actions: Option<Vec<PodAction>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}
