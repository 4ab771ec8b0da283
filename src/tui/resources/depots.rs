//! Depots: UID, name, address, postcode, city, contact, phone, reference.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::text;

/// The depots table.
pub struct Depots;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::text("Name", 16).up_to(28),
    Column::flex("Address", 18),
    Column::text("Postcode", 9),
    Column::text("City", 12),
    Column::text("Contact", 12),
    Column::text("Phone", 15),
    Column::text("Reference", 10),
];

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("address", 2),
    FilterField::column("postcode", 3),
    FilterField::column("city", 4),
    FilterField::column("ref", 7),
    FilterField::column("reference", 7),
];

impl Resource for Depots {
    fn collection(&self) -> Collection {
        Collection::Depots
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push_opt(text(v, "address"));
        out.push_opt(text(v, "postCode"));
        out.push_opt(text(v, "city"));
        out.push_opt(text(v, "contactName"));
        out.push_opt(text(v, "contactPhone"));
        out.push_opt(text(v, "reference"));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}
