//! Drivers: UID, name, phone, e-mail, vehicle, skills, start location, reference.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{list, location_label, person, reference_label, text};

/// The drivers table.
pub struct Drivers;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::flex("Name", 14),
    Column::text("Phone", 15),
    Column::text("E-mail", 20).up_to(30),
    Column::text("Vehicle", 10).up_to(24),
    Column::text("Skills", 12).up_to(24),
    Column::text("Starts at", 14),
    Column::text("Reference", 10),
];

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("phone", 2),
    FilterField::column("email", 3),
    FilterField::column("vehicle", 4),
    FilterField::column("skill", 5),
    FilterField::column("start", 6),
    FilterField::column("ref", 7),
    FilterField::column("reference", 7),
];

impl Resource for Drivers {
    fn collection(&self) -> Collection {
        Collection::Drivers
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(person(v).as_deref());
        out.push_opt(text(v, "phone"));
        out.push_opt(text(v, "email"));
        out.push_opt(v.get("vehicle").and_then(reference_label).as_deref());
        out.push(&list(v.get("skills")));
        out.push_opt(v.get("startLocation").and_then(location_label).as_deref());
        out.push_opt(text(v, "reference"));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }

    fn title(&self, v: &Value) -> String {
        let uid = text(v, "uid").or_else(|| self.id(v)).unwrap_or("");
        match person(v) {
            Some(name) => format!("Driver {uid} · {name}"),
            None => format!("Driver {uid}"),
        }
    }
}
