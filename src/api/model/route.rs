//! Routes: one driver's ordered stops for a day.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{Date, EntityRef, Extra, Location, Minutes};
use super::task::Assignee;

/// One stop of a route.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RouteLeg {
    /// 1-based stop number.
    pub route_order: Option<i64>,
    /// Loading position.
    pub loading_order: Option<i64>,
    /// The task served at this stop (`_id`, `uid`, `reference`, `externalId`).
    pub task_info: Option<EntityRef>,
    /// Estimated arrival, minutes from midnight.
    pub eta: Option<Minutes>,
    /// Planned arrival stored by "set planned ETAs".
    pub planned_eta: Option<Minutes>,
    /// Minutes from midnight the driver leaves the stop.
    pub departure: Option<Minutes>,
    /// Metres driven from the previous stop.
    pub distance: Option<f64>,
    /// Minutes driven from the previous stop.
    pub travel_time: Option<f64>,
    /// Minutes of waiting before the time window opens.
    pub wait_time: Option<f64>,
    /// Minutes the arrival is past the end of the time window (0 when on time).
    pub lateness: Option<f64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl RouteLeg {
    /// The key of the stop's task.
    pub fn task_key(&self) -> Option<&str> {
        self.task_info.as_ref().and_then(EntityRef::key)
    }
}

/// A route.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `RT-XXXXXXXX` (prefix chosen by the sandbox).
    pub uid: Option<String>,
    /// Day of the route.
    pub date: Option<Date>,
    /// The driver.
    pub assignee: Option<Assignee>,
    /// The vehicle.
    pub vehicle: Option<EntityRef>,
    /// Locked routes are not cleared, re-ordered or re-optimized.
    pub locked: Option<bool>,
    /// Where the route starts.
    pub start_location: Option<Location>,
    /// Where the route ends.
    pub end_location: Option<Location>,
    /// Planned start, minutes from midnight.
    pub start: Option<Minutes>,
    /// Planned end, minutes from midnight.
    pub end: Option<Minutes>,
    /// Ordered stops.
    pub legs: Option<Vec<RouteLeg>>,
    /// Total metres.
    pub distance: Option<f64>,
    /// Total minutes from start to end.
    pub duration: Option<f64>,
    /// Unix seconds when planned ETAs were last set.
    pub planned_etas_set_at: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Route {
    /// Whether the route is locked.
    pub fn is_locked(&self) -> bool {
        self.locked.unwrap_or(false)
    }
    /// The stops, empty when absent.
    pub fn legs(&self) -> &[RouteLeg] {
        self.legs.as_deref().unwrap_or(&[])
    }
}
