//! Zones: UID, name, priority order, shape, tags, rule names.

use serde_json::Value;

use crate::api::model::Zone;
use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::value_fmt::{list, text};

/// The zones table.
pub struct Zones;

const COLUMNS: &[Column] = &[
    Column::text("UID", 12),
    Column::flex("Name", 16),
    Column::number("Order", 5),
    Column::text("Shape", 20),
    Column::text("Tags", 14).up_to(24),
    Column::text("Rules", 20),
];

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("name", 1),
    FilterField::column("tag", 4),
    FilterField::column("rule", 5),
];

/// `1 polygon, 5 points` from the zone's GeoJSON.
fn shape(v: &Value) -> String {
    let Some(geo) = v.get("geoJSON") else {
        return String::new();
    };
    // Zones are few and small next to tasks, so decoding the typed model here is cheap.
    let zone = Zone {
        geo_json: Some(geo.clone()),
        ..Zone::default()
    };
    let rings = zone.rings();
    let points: usize = rings.iter().map(Vec::len).sum();
    match rings.len() {
        0 => geo
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        1 => format!("1 polygon, {points} points"),
        n => format!("{n} polygons, {points} points"),
    }
}

impl Resource for Zones {
    fn collection(&self) -> Collection {
        Collection::Zones
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        out.push_opt(text(v, "name"));
        out.push(
            &v.get("order")
                .and_then(Value::as_i64)
                .map(|o| o.to_string())
                .unwrap_or_default(),
        );
        out.push(&shape(v));
        out.push(&list(v.get("tags")));
        let rules = v
            .get("rules")
            .and_then(Value::as_object)
            .map(|r| r.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        out.push(&rules);
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shape_counts_polygons_and_points() {
        let v = json!({"geoJSON": {"type": "Feature", "geometry": {"type": "Polygon",
            "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]]}}});
        assert_eq!(shape(&v), "1 polygon, 4 points");
        assert_eq!(shape(&json!({})), "");
    }
}
