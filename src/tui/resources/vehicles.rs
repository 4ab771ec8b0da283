//! Vehicles: UID, name, plate, category, capacity, capabilities, reference.

use serde_json::Value;

use crate::api::model::vehicle::category_label;
use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{list, pairs, text};

/// The vehicles table.
pub struct Vehicles;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::flex("Name", 14),
    Column::text("Plate", 10),
    Column::text("Category", 12),
    Column::text("Capacity", 24),
    Column::text("Capabilities", 16).up_to(30),
    Column::text("Reference", 12),
];

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("plate", 2),
    FilterField::column("category", 3),
    FilterField::column("capability", 5),
    FilterField::column("ref", 6),
    FilterField::column("reference", 6),
];

impl Resource for Vehicles {
    fn collection(&self) -> Collection {
        Collection::Vehicles
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push_opt(text(v, "licensePlate"));
        out.push(
            v.get("category")
                .and_then(Value::as_i64)
                .map_or("", category_label),
        );
        out.push(&pairs(v.get("capacity")));
        out.push(&list(v.get("capabilities")));
        out.push_opt(text(v, "reference"));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}
