//! Routes: UID, driver, vehicle, stops, start–end, distance, duration, locked.

use serde_json::Value;

use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::theme::Tone;
use crate::tui::value_fmt::{count, get, km, minutes, number, person, reference_label, text};

/// The routes table.
pub struct Routes;

const COLUMNS: &[Column] = &[
    Column::text("UID", 11),
    Column::text("Driver", 16).up_to(24),
    Column::flex("Vehicle", 14),
    Column::number("Stops", 5),
    Column::text("Start–end", 11),
    Column::number("Distance", 9),
    Column::text("Duration", 8),
    Column::text("Locked", 6),
];

const LOCKED: usize = 7;

const FIELDS: &[FilterField] = &[
    FilterField::column("uid", 0),
    FilterField::column("driver", 1),
    FilterField::column("vehicle", 2),
    FilterField::column("locked", LOCKED),
];

impl Resource for Routes {
    fn collection(&self) -> Collection {
        Collection::Routes
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "uid"));
        let driver = v
            .get("assignee")
            .and_then(|a| person(a).or_else(|| text(a, "uid").map(str::to_string)));
        out.push_opt(driver.as_deref());
        out.push_opt(v.get("vehicle").and_then(reference_label).as_deref());
        out.push(&count(v, "legs").to_string());
        let span = match (
            v.get("start").and_then(minutes),
            v.get("end").and_then(minutes),
        ) {
            (Some(a), Some(b)) => format!("{a}–{b}"),
            (Some(a), None) => format!("{a}–"),
            _ => String::new(),
        };
        out.push(&span);
        out.push(&number(v, "distance").map(km).unwrap_or_default());
        out.push_opt(get(v, "duration").and_then(minutes).as_deref());
        out.push(if v.get("locked").and_then(Value::as_bool) == Some(true) {
            "locked"
        } else {
            ""
        });
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }

    fn tone(&self, col: usize, cell: &str) -> Tone {
        if col == LOCKED && !cell.is_empty() {
            Tone::Warn
        } else {
            Tone::Normal
        }
    }

    fn title(&self, v: &Value) -> String {
        let mut t = format!(
            "Route {}",
            text(v, "uid").or_else(|| self.id(v)).unwrap_or("")
        );
        if let Some(name) = v.get("assignee").and_then(person) {
            t.push_str(" · ");
            t.push_str(&name);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::resource::CELL_SEP;
    use jiff::tz::TimeZone;
    use serde_json::json;

    #[test]
    fn a_route_row_shows_stops_times_and_distance() {
        let v = json!({"uid": "RT-1", "assignee": {"info": {"firstName": "Anna"}},
            "vehicle": {"uid": "VEH-1", "name": "Van 1"}, "legs": [{}, {}, {}],
            "start": 480, "end": 1050, "distance": 84250.0, "duration": 570, "locked": true});
        let mut buf = String::new();
        Routes.cells(
            &v,
            &CellCtx { tz: TimeZone::UTC },
            &mut Cells::new(&mut buf),
        );
        let c: Vec<&str> = buf.split(CELL_SEP).collect();
        assert_eq!(
            c,
            [
                "RT-1",
                "Anna",
                "Van 1",
                "3",
                "08:00–17:30",
                "84.2 km",
                "09:30",
                "locked"
            ]
        );
        assert_eq!(Routes.title(&v), "Route RT-1 · Anna");
    }
}
