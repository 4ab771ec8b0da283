//! Depots: where routes start, reload and end.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{Coordinates, Extra, join};
use super::validate::{Problems, Validate};

/// A depot.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Depot {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `DEP-XXXXXXXX`.
    pub uid: Option<String>,
    /// Caller's id.
    pub external_id: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Teams allowed to use it.
    pub teams: Option<Vec<Value>>,
    /// First address line.
    pub address: Option<String>,
    /// Second address line.
    pub address_line2: Option<String>,
    /// Postcode.
    pub post_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// what3words.
    pub what3words: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// `[longitude, latitude]`.
    pub coordinates: Option<Coordinates>,
    /// Contact name.
    pub contact_name: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Instructions.
    pub instructions: Option<String>,
    /// Caller's own fields.
    pub custom_data: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for Depot {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.coordinates.validate(p, &join(path, "coordinates"));
    }
}
