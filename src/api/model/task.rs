//! The task: a pickup and/or delivery job given to a driver.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use super::common::{Date, DateRange, EntityRef, Extra, Location, Minutes, TimeWindow, join};
use super::validate::{Problems, Validate};

/// Task state code. Unknown codes are kept as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskState(pub i64);

impl TaskState {
    /// Cancelled (final).
    pub const CANCELLED: TaskState = TaskState(-30);
    /// Delivery failed (final).
    pub const FAILED: TaskState = TaskState(-20);
    /// Pickup failed (final).
    pub const PICKUP_FAILED: TaskState = TaskState(-10);
    /// Created / scheduled.
    pub const CREATED: TaskState = TaskState(0);
    /// Sorted.
    pub const SORTED: TaskState = TaskState(4);
    /// Loaded.
    pub const LOADED: TaskState = TaskState(5);
    /// En route to pickup.
    pub const PICKUP_EN_ROUTE: TaskState = TaskState(10);
    /// Arrived at pickup.
    pub const PICKUP_ARRIVED: TaskState = TaskState(20);
    /// Pickup completed.
    pub const PICKUP_DONE: TaskState = TaskState(30);
    /// En route to delivery.
    pub const EN_ROUTE: TaskState = TaskState(40);
    /// Arrived at delivery.
    pub const ARRIVED: TaskState = TaskState(50);
    /// Completed (final).
    pub const COMPLETED: TaskState = TaskState(60);

    /// Every documented state, in life-cycle order.
    pub const ALL: [TaskState; 12] = [
        Self::CANCELLED,
        Self::FAILED,
        Self::PICKUP_FAILED,
        Self::CREATED,
        Self::SORTED,
        Self::LOADED,
        Self::PICKUP_EN_ROUTE,
        Self::PICKUP_ARRIVED,
        Self::PICKUP_DONE,
        Self::EN_ROUTE,
        Self::ARRIVED,
        Self::COMPLETED,
    ];

    /// The label eLogii shows for the code (`stateText`).
    pub fn label(self) -> &'static str {
        match self.0 {
            -30 => "Cancelled",
            -20 => "Failed",
            -10 => "Pickup Failed",
            0 => "Created",
            4 => "Sorted",
            5 => "Loaded",
            10 => "Pickup En Route",
            20 => "Pickup Arrived",
            30 => "Pickup Completed",
            40 => "En Route",
            50 => "Arrived",
            60 => "Completed",
            _ => "Unknown",
        }
    }

    /// Whether the task's life has ended (completed, failed or cancelled).
    pub fn is_final(self) -> bool {
        self.0 < 0 || self.0 >= 60
    }

    /// Whether a driver is working on it right now (en route or on site).
    pub fn is_active(self) -> bool {
        (10..60).contains(&self.0)
    }

    /// Whether the driver has started (or finished) one leg of a task in this state: the
    /// pickup from "pickup en route" on, the delivery from "en route" on; a task that ended
    /// (completed, failed, cancelled) has both behind it.
    pub fn leg_started(self, pickup_leg: bool) -> bool {
        let from = if pickup_leg {
            Self::PICKUP_EN_ROUTE
        } else {
            Self::EN_ROUTE
        };
        self.is_final() || self >= from
    }

    /// Whether it failed at pickup or delivery.
    pub fn is_failed(self) -> bool {
        self == Self::FAILED || self == Self::PICKUP_FAILED
    }

    /// Finds a state by code or by a (case-insensitive, space-insensitive) label prefix.
    pub fn parse(s: &str) -> Option<TaskState> {
        if let Ok(n) = s.trim().parse::<i64>() {
            return Some(TaskState(n));
        }
        let norm = |x: &str| x.to_ascii_lowercase().replace([' ', '-', '_'], "");
        let want = norm(s);
        Self::ALL
            .into_iter()
            .find(|st| norm(st.label()) == want)
            .or_else(|| {
                Self::ALL
                    .into_iter()
                    .find(|st| norm(st.label()).starts_with(&want))
            })
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The pickup segment of a two-stage task.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PickupSegment {
    /// Where to pick up.
    pub location: Option<Location>,
    /// When to pick up.
    pub time_windows: Option<Vec<TimeWindow>>,
    /// Minutes to set up.
    pub setup_duration: Option<f64>,
    /// Minutes of service.
    pub service_duration: Option<f64>,
    /// POD action settings for the pickup.
    pub configuration: Option<Value>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One item (parcel, unit) of a task.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// eLogii id of the item.
    pub uid: Option<String>,
    /// Caller's id for the item.
    pub id: Option<String>,
    /// Usually the item name.
    pub description: Option<String>,
    /// Barcode or security code.
    pub code: Option<String>,
    /// Driver instructions.
    pub instructions: Option<String>,
    /// Number of units.
    pub quantity: Option<f64>,
    /// Total size per dimension.
    pub size: Option<Map<String, Value>>,
    /// Size of one unit per dimension.
    pub unit_size: Option<Map<String, Value>>,
    /// Item state code.
    pub state: Option<i64>,
    /// Caller's own fields.
    pub custom_data: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Who a task is assigned to and where it sits on the route.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    /// Assignment state (0 unassigned, 1 assigned).
    pub state: Option<i64>,
    /// UID of the route the task is on.
    #[serde(rename = "routeUID")]
    pub route_uid: Option<String>,
    /// `_id` of the route the task is on.
    pub route_id: Option<String>,
    /// 1-based position on the route.
    pub route_order: Option<i64>,
    /// Loading position.
    pub loading_order: Option<i64>,
    /// The driver, with a snapshot of their details in `info`.
    pub assignee: Option<Assignee>,
    /// Current estimated arrival, minutes from midnight of the task date.
    pub eta: Option<Minutes>,
    /// Planned arrival stored by "set planned ETAs".
    pub planned_eta: Option<Minutes>,
    /// Whether re-optimization keeps this task where it is.
    pub locked: Option<bool>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Assignment {
    /// Whether the task is on a route.
    pub fn is_assigned(&self) -> bool {
        self.route_uid.as_deref().is_some_and(|s| !s.is_empty()) || self.state.unwrap_or(0) != 0
    }
}

/// The driver a task or route is given to.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Assignee {
    /// Driver `_id`.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// Driver UID.
    pub uid: Option<String>,
    /// Snapshot of driver details (`firstName`, `lastName`, `skills`, …).
    pub info: Option<Map<String, Value>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Assignee {
    /// "First Last" from the snapshot, or the UID.
    pub fn display_name(&self) -> String {
        let get = |k: &str| {
            self.info
                .as_ref()
                .and_then(|i| i.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        let name = format!("{} {}", get("firstName"), get("lastName"));
        let name = name.trim();
        if name.is_empty() {
            self.uid.clone().unwrap_or_default()
        } else {
            name.to_string()
        }
    }
}

/// A task.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `T-XXXXXXXX`, read-only.
    pub uid: Option<String>,
    /// Owning organisation.
    pub organization: Option<String>,
    /// Caller's id.
    pub external_id: Option<String>,
    /// Caller's reference.
    pub reference: Option<String>,
    /// Task type code (kept as sent).
    #[serde(rename = "type")]
    pub kind: Option<i64>,
    /// Day the task should be done.
    pub date: Option<Date>,
    /// Alternatively, any day in this range.
    pub date_range: Option<DateRange>,
    /// Weekdays allowed inside the range.
    pub allowed_week_days: Option<Vec<String>>,
    /// Times per period for interval tasks.
    pub frequency: Option<i64>,
    /// Period the frequency applies to.
    pub frequency_date_range: Option<DateRange>,
    /// Delivery time windows.
    pub time_windows: Option<Vec<TimeWindow>>,
    /// Pickup segment.
    pub pickup: Option<PickupSegment>,
    /// Delivery or service location.
    pub location: Option<Location>,
    /// Minutes to set up at delivery.
    pub setup_duration: Option<f64>,
    /// Minutes of service at delivery.
    pub service_duration: Option<f64>,
    /// Size per dimension.
    pub size: Option<Map<String, Value>>,
    /// Items.
    pub items: Option<Vec<Item>>,
    /// Driver skills needed.
    pub skills: Option<Vec<String>>,
    /// Vehicle capabilities needed.
    pub capabilities: Option<Vec<String>>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Teams allowed.
    pub teams: Option<Vec<Value>>,
    /// Zones the task falls in.
    pub zones: Option<Vec<Value>>,
    /// Route assignment.
    pub assignment: Option<Assignment>,
    /// State code.
    pub state: Option<TaskState>,
    /// State label.
    pub state_text: Option<String>,
    /// When the state was set (Unix seconds).
    pub state_timestamp: Option<i64>,
    /// Per-state times.
    pub state_timestamps: Option<Map<String, Value>>,
    /// POD configuration overrides.
    pub configuration: Option<Value>,
    /// Caller's own fields.
    pub custom_data: Option<Map<String, Value>>,
    /// Linked customer.
    pub customer: Option<EntityRef>,
    /// Order value (for cash on delivery).
    pub order_value: Option<f64>,
    /// Driver instructions.
    pub instructions: Option<String>,
    /// Internal note.
    pub internal_comment: Option<String>,
    /// Product code for barcode POD.
    pub product_code: Option<String>,
    /// Why the task was cancelled or failed.
    pub state_reason: Option<String>,
    /// For a return task, the task it returns.
    pub return_of: Option<EntityRef>,
    /// For a task that has a return, that return task.
    pub return_task: Option<EntityRef>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Task {
    /// The state, `Created` when absent.
    pub fn state(&self) -> TaskState {
        self.state.unwrap_or(TaskState::CREATED)
    }

    /// Whether the task is on a route.
    pub fn is_assigned(&self) -> bool {
        self.assignment
            .as_ref()
            .is_some_and(Assignment::is_assigned)
    }
}

impl Validate for Task {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.time_windows.validate(p, &join(path, "timeWindows"));
        self.location.validate(p, &join(path, "location"));
        if let Some(pk) = &self.pickup {
            pk.location.validate(p, &join(path, "pickup.location"));
            pk.time_windows
                .validate(p, &join(path, "pickup.timeWindows"));
        }
        self.date_range.validate(p, &join(path, "dateRange"));
        self.frequency_date_range
            .validate(p, &join(path, "frequencyDateRange"));
        if let Some(days) = &self.allowed_week_days {
            for (i, d) in days.iter().enumerate() {
                if !super::WEEKDAYS.contains(&d.as_str()) {
                    p.push(
                        &format!("{}[{i}]", join(path, "allowedWeekDays")),
                        format!("{d:?} is not a weekday; use Mon, Tue, Wed, Thu, Fri, Sat or Sun"),
                    );
                }
            }
        }
        if let Some(f) = self.frequency
            && !(1..=10).contains(&f)
        {
            p.push(
                &join(path, "frequency"),
                format!("frequency {f} is outside 1–10"),
            );
        }
        for (name, v) in [
            ("setupDuration", self.setup_duration),
            ("serviceDuration", self.service_duration),
        ] {
            if let Some(v) = v
                && (!v.is_finite() || v < 0.0)
            {
                p.push(
                    &join(path, name),
                    format!("{name} must be zero or more minutes, got {v}"),
                );
            }
        }
    }
}
