//! Drivers (agents) and their schedules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{EntityRef, Extra, Location, TimeWindow, join};
use super::validate::{Problems, Validate};

/// A break: when it may happen, or when relative to the route start, and how long.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Break {
    /// Minutes of day in which the break may happen.
    pub time_window: Option<TimeWindow>,
    /// Minutes after route start in which the break may happen.
    pub offset: Option<TimeWindow>,
    /// Length in minutes.
    pub duration: Option<f64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One day of a schedule: working windows and breaks.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DaySchedule {
    /// Route start/end windows.
    pub time_windows: Option<Vec<TimeWindow>>,
    /// Breaks.
    pub breaks: Option<Vec<Break>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for DaySchedule {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.time_windows.validate(p, &join(path, "timeWindows"));
        if let Some(bs) = &self.breaks {
            for (i, b) in bs.iter().enumerate() {
                let bp = format!("{}[{i}]", join(path, "breaks"));
                b.time_window.validate(p, &join(&bp, "timeWindow"));
                if let Some(d) = b.duration
                    && (!d.is_finite() || d < 0.0)
                {
                    p.push(
                        &join(&bp, "duration"),
                        format!("break duration must be zero or more minutes, got {d}"),
                    );
                }
            }
        }
    }
}

/// A weekly schedule keyed `Mon` … `Sun`.
pub type Schedule = BTreeMap<String, DaySchedule>;

/// A driver.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `DR-XXXXXXXX`.
    pub uid: Option<String>,
    /// Caller's id.
    pub external_id: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// First name (required).
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Driver-app login.
    pub username: Option<String>,
    /// Driver-app password (write-only in practice).
    pub password: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Assigned vehicle (its UID or a reference object).
    pub vehicle: Option<Value>,
    /// Route start.
    pub start_location: Option<Location>,
    /// Route end.
    pub end_location: Option<Location>,
    /// Weekly schedule.
    pub schedule: Option<Schedule>,
    /// Multi-day schedule.
    pub multi_day_schedule: Option<Value>,
    /// Most days on a multi-day route.
    pub max_multi_day_route_days: Option<i64>,
    /// Skills.
    pub skills: Option<Vec<String>>,
    /// Speed relative to baseline.
    pub speed_factor: Option<f64>,
    /// Most stops per route.
    pub route_stop_limit: Option<i64>,
    /// Most route distance.
    pub route_distance_limit: Option<f64>,
    /// Most route duration (minutes).
    pub route_duration_limit: Option<f64>,
    /// Most travel time (minutes).
    pub route_travel_limit: Option<f64>,
    /// Minutes a route may run past the schedule end.
    pub overtime_tolerance: Option<f64>,
    /// Teams.
    pub teams: Option<Vec<Value>>,
    /// Zones.
    pub zones: Option<Vec<Value>>,
    /// Depots the driver may load at.
    pub depots: Option<Vec<EntityRef>>,
    /// Caller's own fields.
    pub custom_data: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Driver {
    /// "First Last".
    pub fn full_name(&self) -> String {
        format!(
            "{} {}",
            self.first_name.as_deref().unwrap_or(""),
            self.last_name.as_deref().unwrap_or("")
        )
        .trim()
        .to_string()
    }

    /// The vehicle key (UID or `_id`), whichever form the driver holds.
    pub fn vehicle_key(&self) -> Option<String> {
        match self.vehicle.as_ref()? {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => ["uid", "_id", "reference"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str).map(str::to_string)),
            _ => None,
        }
    }
}

impl Validate for Driver {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.start_location
            .validate(p, &join(path, "startLocation"));
        self.end_location.validate(p, &join(path, "endLocation"));
        if let Some(s) = &self.schedule {
            for (day, ds) in s {
                if !super::WEEKDAYS.contains(&day.as_str()) {
                    p.push(
                        &join(path, "schedule"),
                        format!("schedule key {day:?} is not a weekday; use Mon … Sun"),
                    );
                }
                ds.validate(p, &join(&join(path, "schedule"), day));
            }
        }
        if let Some(f) = self.speed_factor
            && !(f.is_finite() && f > 0.0)
        {
            p.push(
                &join(path, "speedFactor"),
                format!("speedFactor must be above 0, got {f}"),
            );
        }
    }
}
