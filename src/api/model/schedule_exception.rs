//! Driver schedule exceptions: days off and temporary overrides.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{DateRange, EntityRef, Extra, Location, join};
use super::driver::DaySchedule;
use super::validate::{Problems, Validate};

/// What changes during an exception.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionOverrides {
    /// Working windows and breaks for every day of the range.
    pub schedule: Option<DaySchedule>,
    /// Temporary skills.
    pub skills: Option<Vec<String>>,
    /// Most days on a multi-day route.
    pub max_multi_day_route_days: Option<i64>,
    /// Temporary route start.
    pub start_location: Option<Location>,
    /// Temporary route end.
    pub end_location: Option<Location>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A driver schedule exception.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleException {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `EXC-XXXXXXXX` (prefix chosen by the sandbox).
    pub uid: Option<String>,
    /// Free text to look it up by.
    pub reference: Option<String>,
    /// The driver: `id`, `uid` or `reference`.
    pub driver: Option<EntityRef>,
    /// Days covered (required).
    pub date_range: Option<DateRange>,
    /// What it is for.
    pub description: Option<String>,
    /// Driver not working.
    pub day_off: Option<bool>,
    /// Overrides during the range.
    pub overrides: Option<ExceptionOverrides>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for ScheduleException {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.date_range.validate(p, &join(path, "dateRange"));
        if let Some(o) = &self.overrides {
            let op = join(path, "overrides");
            o.schedule.validate(p, &join(&op, "schedule"));
            o.start_location.validate(p, &join(&op, "startLocation"));
            o.end_location.validate(p, &join(&op, "endLocation"));
        }
    }
}
