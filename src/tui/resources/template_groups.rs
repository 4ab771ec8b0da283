//! Route- and task-template groups: UID, name, repeat pattern, date range, how many
//! templates, keep drivers. The two tables differ only in which templates they count.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{count, text};

use super::{pattern_label, range_dates, yes_no};

/// A template-group table: its collection, its columns and the templates it counts.
pub struct TemplateGroups {
    collection: Collection,
    columns: &'static [Column],
    templates: &'static str,
}

/// The route-template groups table.
pub static ROUTE_TEMPLATES: TemplateGroups = TemplateGroups {
    collection: Collection::RouteTemplateGroups,
    columns: &columns("Routes"),
    templates: "routeTemplates",
};

/// The task-template groups table.
pub static TASK_TEMPLATES: TemplateGroups = TemplateGroups {
    collection: Collection::TaskTemplateGroups,
    columns: &columns("Tasks"),
    templates: "taskTemplates",
};

const fn columns(counted: &'static str) -> [Column; 7] {
    [
        Column::text("UID", 12),
        Column::flex("Name", 18),
        Column::text("Repeats", 22),
        Column::text("From", 10),
        Column::text("To", 10),
        Column::number(counted, 6),
        Column::text("Keep drivers", 12),
    ]
}

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("repeats", 2),
];

impl Resource for TemplateGroups {
    fn collection(&self) -> Collection {
        self.collection
    }

    fn columns(&self) -> &'static [Column] {
        self.columns
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push(&pattern_label(v));
        let (from, to) = range_dates(v, "schedulePattern.dateRange");
        out.push(&from);
        out.push(&to);
        out.push(&count(v, self.templates).to_string());
        out.push(yes_no(v.get("keepAssignees")));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}
