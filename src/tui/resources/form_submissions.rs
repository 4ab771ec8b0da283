//! Form submissions: UID, form, task, driver, segment, time, number of answers.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{reference_label, text, timestamp};

/// The form submissions table.
pub struct FormSubmissions;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::flex("Form", 16),
    Column::text("Task", 14),
    Column::text("Driver", 16).up_to(24),
    Column::text("Segment", 9),
    Column::text("Submitted", 16),
    Column::number("Answers", 7),
];

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("form", 1),
    FilterField::column("task", 2),
    FilterField::column("driver", 3),
    FilterField::column("segment", 4),
];

impl Resource for FormSubmissions {
    fn collection(&self) -> Collection {
        Collection::FormSubmissions
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(v.get("form").and_then(reference_label).as_deref());
        out.push_opt(v.get("task").and_then(reference_label).as_deref());
        out.push_opt(v.get("driver").and_then(reference_label).as_deref());
        out.push_opt(text(v, "segment"));
        let at = v
            .get("submittedAt")
            .and_then(Value::as_i64)
            .and_then(|s| timestamp(s, &ctx.tz));
        out.push_opt(at.as_deref());
        let answers = v
            .get("data")
            .and_then(Value::as_object)
            .map_or(0, |d| d.len());
        out.push(&answers.to_string());
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}
