//! Task-template groups: UID, name, repeat pattern, date range, tasks, keep drivers.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{count, text};

use super::{pattern_label, range_dates, yes_no};

/// The task-template groups table.
pub struct TaskTemplates;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::flex("Name", 18),
    Column::text("Repeats", 22),
    Column::text("From", 10),
    Column::text("To", 10),
    Column::number("Tasks", 6),
    Column::text("Keep drivers", 12),
];

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("repeats", 2),
];

impl Resource for TaskTemplates {
    fn collection(&self) -> Collection {
        Collection::TaskTemplateGroups
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push(&pattern_label(v));
        let (from, to) = range_dates(v, "schedulePattern.dateRange");
        out.push(&from);
        out.push(&to);
        out.push(&count(v, "taskTemplates").to_string());
        out.push(yes_no(v.get("keepAssignees")));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}
