//! Forms: UID, name, purpose, active, number of fields, description.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::theme::Tone;
use crate::tui::value_fmt::{count, text};

use super::yes_no;

/// The forms table.
pub struct Forms;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::text("Name", 20),
    Column::text("Purpose", 14),
    Column::text("Active", 6),
    Column::number("Fields", 6),
    Column::flex("Description", 20),
];

const ACTIVE: usize = 3;

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("purpose", 2),
    FilterField::column("active", ACTIVE),
];

impl Resource for Forms {
    fn collection(&self) -> Collection {
        Collection::Forms
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push_opt(text(v, "purpose"));
        out.push(yes_no(v.get("active")));
        out.push(&count(v, "components").to_string());
        out.push_opt(text(v, "description"));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }

    fn tone(&self, col: usize, cell: &str) -> Tone {
        match (col, cell) {
            (ACTIVE, "yes") => Tone::Good,
            (ACTIVE, "no") => Tone::Muted,
            _ => Tone::Normal,
        }
    }
}
