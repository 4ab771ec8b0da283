//! Customers: UID, name, contact, phone, e-mail, number of locations, tags, reference.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{count, list, text};

/// The customers table.
pub struct Customers;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::flex("Name", 16),
    Column::text("Contact", 14).up_to(22),
    Column::text("Phone", 15),
    Column::text("E-mail", 20).up_to(30),
    Column::number("Locations", 9),
    Column::text("Tags", 12),
    Column::text("Reference", 10),
];

/// Every value of `field` over the customer's saved locations.
fn location_field(v: &Value, field: &str) -> String {
    v.get("locations")
        .and_then(Value::as_array)
        .map(|ls| {
            ls.iter()
                .filter_map(|l| text(l, field))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("contact", 2),
    FilterField::column("phone", 3),
    FilterField::column("email", 4),
    FilterField::column("tag", 6),
    FilterField::column("ref", 7),
    FilterField::column("reference", 7),
    FilterField::value("postcode", |v| location_field(v, "postCode")),
    FilterField::value("city", |v| location_field(v, "city")),
];

impl Resource for Customers {
    fn collection(&self) -> Collection {
        Collection::Customers
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push_opt(text(v, "contactName"));
        out.push_opt(text(v, "contactPhone"));
        out.push_opt(text(v, "contactEmail"));
        out.push(&count(v, "locations").to_string());
        out.push(&list(v.get("tags")));
        out.push_opt(text(v, "reference"));
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}
