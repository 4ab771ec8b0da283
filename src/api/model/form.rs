//! Forms (custom POD steps, checklists) and their submissions.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{EntityRef, Extra};
use super::validate::{Problems, Validate};

/// A form built in the form builder.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Form {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `FRM-XXXXXXXX`.
    pub uid: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// What it is used for: `pod`, `failedPod`, `startChecklist`, `endChecklist`.
    pub purpose: Option<String>,
    /// Whether drivers are shown the form.
    pub active: Option<bool>,
    /// Components (`{key, type, label, required, …}`), Form.io style.
    pub components: Option<Vec<Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for Form {
    fn validate(&self, p: &mut Problems, _path: &str) {
        for (i, c) in self.components.iter().flatten().enumerate() {
            if c.get("key")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                p.push(
                    &format!("components[{i}].key"),
                    "every component needs a key".into(),
                );
            }
        }
    }
}

/// A driver's answers to a form.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct FormSubmission {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `FS-XXXXXXXX`.
    pub uid: Option<String>,
    /// The form answered.
    pub form: Option<EntityRef>,
    /// The task it was captured on.
    pub task: Option<EntityRef>,
    /// The driver who answered.
    pub driver: Option<EntityRef>,
    /// Task segment: `pickup`, `delivery`, `item`, `failed`, or `checklist`.
    pub segment: Option<String>,
    /// Unix seconds of submission.
    pub submitted_at: Option<i64>,
    /// Answers keyed by component key.
    pub data: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for FormSubmission {
    fn validate(&self, p: &mut Problems, _path: &str) {
        if self.form.as_ref().and_then(EntityRef::key).is_none() {
            p.push(
                "form",
                "a submission must name its form (_id or uid)".into(),
            );
        }
    }
}
