//! Vehicles and their capacity.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{Extra, join};
use super::validate::{Problems, Validate};

/// A vehicle.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Vehicle {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `VEH-XXXXXXXX` (prefix chosen by the sandbox).
    pub uid: Option<String>,
    /// Caller's id.
    pub external_id: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// Name (required, at least 2 characters).
    pub name: Option<String>,
    /// Photo `{url}`.
    pub photo: Option<Value>,
    /// Category 0–8.
    pub category: Option<i64>,
    /// Vehicle type template.
    pub vehicle_type: Option<Value>,
    /// Vehicle type details.
    pub vehicle_type_info: Option<Value>,
    /// Description.
    pub description: Option<String>,
    /// Capacity per dimension.
    pub capacity: Option<Map<String, Value>>,
    /// Number plate.
    pub license_plate: Option<String>,
    /// Capabilities.
    pub capabilities: Option<Vec<String>>,
    /// Teams.
    pub teams: Option<Vec<Value>>,
    /// Notes.
    pub notes: Option<String>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Caller's own fields.
    pub custom_data: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Label of a vehicle category code.
pub fn category_label(c: i64) -> &'static str {
    match c {
        1 => "bicycle",
        2 => "motorcycle",
        3 => "car",
        4 => "pickup truck",
        5 => "van",
        6 => "large van",
        7 => "truck",
        8 => "large truck",
        0 => "default",
        _ => "unknown",
    }
}

impl Validate for Vehicle {
    fn validate(&self, p: &mut Problems, path: &str) {
        if let Some(n) = &self.name
            && n.trim().chars().count() < 2
        {
            p.push(
                &join(path, "name"),
                "vehicle name needs at least 2 characters".into(),
            );
        }
        if let Some(c) = self.category
            && !(0..=8).contains(&c)
        {
            p.push(
                &join(path, "category"),
                format!("category {c} is not one of 0–8"),
            );
        }
        if let Some(cap) = &self.capacity {
            for (k, v) in cap {
                if !v.as_f64().is_some_and(|f| f >= 0.0) {
                    p.push(
                        &join(&join(path, "capacity"), k),
                        format!("capacity {k:?} must be a number of zero or more, got {v}"),
                    );
                }
            }
        }
    }
}
