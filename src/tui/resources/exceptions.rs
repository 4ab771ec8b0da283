//! Driver schedule exceptions: UID, driver, from, to, day off, description, reference.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::theme::Tone;
use crate::tui::value_fmt::{reference_label, text};

use super::range_dates;

/// The schedule exceptions table.
pub struct Exceptions;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::text("Driver", 18).up_to(24),
    Column::text("From", 10),
    Column::text("To", 10),
    Column::text("Day off", 7),
    Column::flex("Description", 20),
    Column::text("Reference", 12),
];

const DAY_OFF: usize = 4;

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("driver", 1),
    FilterField::column("description", 5),
    FilterField::column("ref", 6),
    FilterField::column("reference", 6),
];

impl Resource for Exceptions {
    fn collection(&self) -> Collection {
        Collection::ScheduleExceptions
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(v.get("driver").and_then(reference_label).as_deref());
        let (from, to) = range_dates(v, "dateRange");
        out.push(&from);
        out.push(&to);
        out.push(if v.get("dayOff").and_then(Value::as_bool) == Some(true) {
            "day off"
        } else {
            ""
        });
        out.push_opt(text(v, "description"));
        out.push_opt(text(v, "reference"));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }

    fn tone(&self, col: usize, cell: &str) -> Tone {
        if col == DAY_OFF && !cell.is_empty() {
            Tone::Warn
        } else {
            Tone::Normal
        }
    }
}
