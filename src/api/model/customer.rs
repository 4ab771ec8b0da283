//! Customers and their saved locations.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{Coordinates, Extra, join};
use super::driver::Schedule;
use super::validate::{Problems, Validate};

/// A saved location of a customer.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CustomerLocation {
    /// UID of the location (used by task locations of type 1).
    pub uid: Option<String>,
    /// Caller's id.
    pub external_id: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// First address line.
    pub address: Option<String>,
    /// Second address line.
    pub address_line2: Option<String>,
    /// Postcode.
    pub post_code: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// what3words.
    pub what3words: Option<String>,
    /// `[longitude, latitude]`.
    pub coordinates: Option<Coordinates>,
    /// Contact name.
    pub contact_name: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Driver instructions.
    pub instructions: Option<String>,
    /// Opening hours.
    pub schedule: Option<Schedule>,
    /// Minutes to set up.
    pub setup_duration: Option<f64>,
    /// Minutes of service.
    pub service_duration: Option<f64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A customer.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `CUS-XXXXXXXX`.
    pub uid: Option<String>,
    /// Caller's id.
    pub external_id: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// Name (required).
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Contact name.
    pub contact_name: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Saved locations.
    pub locations: Option<Vec<CustomerLocation>>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Teams.
    pub teams: Option<Vec<Value>>,
    /// Dashboard login.
    pub user_info: Option<Map<String, Value>>,
    /// Caller's own fields.
    pub custom_data: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for Customer {
    fn validate(&self, p: &mut Problems, path: &str) {
        if let Some(locs) = &self.locations {
            for (i, l) in locs.iter().enumerate() {
                let lp = format!("{}[{i}]", join(path, "locations"));
                l.coordinates.validate(p, &join(&lp, "coordinates"));
            }
        }
    }
}
