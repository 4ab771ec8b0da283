//! Route- and task-template groups: recurring routes and tasks.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{DateRange, EntityRef, Extra, join};
use super::task::{Assignee, Task};
use super::validate::{Problems, Validate};

/// How a group repeats.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SchedulePattern {
    /// `daily` or `weekly`.
    pub frequency: Option<String>,
    /// Every N days or weeks.
    pub interval: Option<i64>,
    /// Weekdays (`Mon` … `Sun`) for weekly patterns.
    pub week_days: Option<Vec<String>>,
    /// When the pattern applies.
    pub date_range: Option<DateRange>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Validate for SchedulePattern {
    fn validate(&self, p: &mut Problems, path: &str) {
        if let Some(f) = &self.frequency
            && f != "daily"
            && f != "weekly"
        {
            p.push(
                &join(path, "frequency"),
                format!("frequency {f:?} must be \"daily\" or \"weekly\""),
            );
        }
        if let Some(i) = self.interval
            && i < 1
        {
            p.push(
                &join(path, "interval"),
                format!("interval must be 1 or more, got {i}"),
            );
        }
        for d in self.week_days.iter().flatten() {
            if !super::WEEKDAYS.contains(&d.as_str()) {
                p.push(
                    &join(path, "weekDays"),
                    format!("{d:?} is not a weekday; use Mon … Sun"),
                );
            }
        }
        self.date_range.validate(p, &join(path, "dateRange"));
    }
}

/// A task template: a task without a fixed date.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TaskTemplate {
    /// Template UID.
    pub uid: Option<String>,
    /// Switched-off templates are skipped when scheduling.
    pub active: Option<bool>,
    /// The task to create (its `date` is ignored).
    pub task: Option<Task>,
    /// Driver to keep when the group keeps assignees.
    pub assignee: Option<Assignee>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A route template: a driver and their task templates, in order.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RouteTemplate {
    /// Template UID.
    pub uid: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// The driver.
    pub driver: Option<EntityRef>,
    /// Stops in order.
    pub task_templates: Option<Vec<TaskTemplate>>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A recurring-route definition.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RouteTemplateGroup {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `RTG-XXXXXXXX`.
    pub uid: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Keep each route's driver when scheduling.
    pub keep_assignees: Option<bool>,
    /// Repeat pattern.
    pub schedule_pattern: Option<SchedulePattern>,
    /// Route templates.
    pub route_templates: Option<Vec<RouteTemplate>>,
    /// Unix seconds of creation.
    pub created_at: Option<i64>,
    /// Unix seconds of the last edit.
    pub updated_at: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A recurring-task definition.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TaskTemplateGroup {
    /// Server id.
    #[serde(rename = "_id")]
    pub id: Option<String>,
    /// `TTG-XXXXXXXX`.
    pub uid: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Keep each template's driver when scheduling.
    pub keep_assignees: Option<bool>,
    /// Repeat pattern.
    pub schedule_pattern: Option<SchedulePattern>,
    /// Task templates.
    pub task_templates: Option<Vec<TaskTemplate>>,
    /// Unix seconds of creation.
    pub created_at: Option<i64>,
    /// Unix seconds of the last edit.
    pub updated_at: Option<i64>,
    /// Unknown fields.
    #[serde(flatten)]
    pub extra: Extra,
}

fn validate_templates(ts: &Option<Vec<TaskTemplate>>, p: &mut Problems, path: &str) {
    for (i, t) in ts.iter().flatten().enumerate() {
        t.task
            .validate(p, &format!("{}[{i}].task", join(path, "taskTemplates")));
    }
}

impl Validate for TaskTemplateGroup {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.schedule_pattern
            .validate(p, &join(path, "schedulePattern"));
        validate_templates(&self.task_templates, p, path);
    }
}

impl Validate for RouteTemplateGroup {
    fn validate(&self, p: &mut Problems, path: &str) {
        self.schedule_pattern
            .validate(p, &join(path, "schedulePattern"));
        for (i, r) in self.route_templates.iter().flatten().enumerate() {
            validate_templates(
                &r.task_templates,
                p,
                &format!("{}[{i}]", join(path, "routeTemplates")),
            );
        }
    }
}
