//! Tasks: reference, UID, state in colour, type, customer, postcode, windows, driver, ETA.

use serde_json::Value;

use crate::api::model::TaskState;
use crate::api::paths::Collection;
use crate::tui::resource::{CellCtx, Cells, Column, FilterField, Resource};
use crate::tui::theme::Tone;
use crate::tui::value_fmt::{
    get, list, location_label, minutes, person, reference_label, text, window,
};

/// The tasks table.
pub struct Tasks;

const COLUMNS: &[Column] = &[
    Column::text("Reference", 14),
    Column::text("UID", 11),
    Column::text("State", 16),
    Column::number("Type", 4),
    Column::flex("Customer / location", 16),
    Column::text("Postcode", 9),
    Column::text("Time windows", 14),
    Column::text("Driver / route", 18).up_to(30),
    Column::text("ETA", 5),
];

/// Index of the state column.
pub const STATE: usize = 2;

const FIELDS: &[FilterField] = &[
    FilterField::column("ref", 0),
    FilterField::column("reference", 0),
    FilterField::column("uid", 1),
    FilterField::column("state", STATE),
    FilterField::column("type", 3),
    FilterField::column("customer", 4),
    FilterField::column("postcode", 5),
    FilterField::column("driver", 7),
    FilterField::value("route", |v| {
        text(v, "assignment.routeUID").unwrap_or("").to_string()
    }),
    FilterField::value("zone", |v| list(v.get("zones"))),
    FilterField::value("city", |v| {
        text(v, "location.city").unwrap_or("").to_string()
    }),
    FilterField::value("tag", |v| list(v.get("tags"))),
];

/// The state label of a task (`Failed`), or its raw code when unknown.
pub fn state_label(v: &Value) -> String {
    match v.get("state").and_then(Value::as_i64) {
        Some(code) => {
            let st = TaskState(code);
            if st.label() == "Unknown" {
                text(v, "stateText").map_or_else(|| format!("state {code}"), str::to_string)
            } else {
                st.label().to_string()
            }
        }
        None => text(v, "stateText").unwrap_or("").to_string(),
    }
}

/// First window and how many more: `08:00–10:00 +1`.
fn windows_short(v: Option<&Value>) -> String {
    let ws: Vec<_> = v
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(window).collect())
        .unwrap_or_default();
    match ws.split_first() {
        None => String::new(),
        Some((first, [])) => first.to_string(),
        Some((first, rest)) => format!("{first} +{}", rest.len()),
    }
}

impl Resource for Tasks {
    fn collection(&self) -> Collection {
        Collection::Tasks
    }

    fn columns(&self) -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, v: &Value, _ctx: &CellCtx, out: &mut Cells<'_>) {
        out.push_opt(text(v, "reference"));
        out.push_opt(text(v, "uid"));
        out.push(&state_label(v));
        out.push(
            &v.get("type")
                .and_then(Value::as_i64)
                .map(|t| t.to_string())
                .unwrap_or_default(),
        );
        let customer = text(v, "customer.name")
            .map(str::to_string)
            .or_else(|| v.get("location").and_then(location_label))
            .or_else(|| v.get("customer").and_then(reference_label));
        out.push_opt(customer.as_deref());
        out.push_opt(text(v, "location.postCode"));
        out.push(&windows_short(v.get("timeWindows")));
        let assignee = get(v, "assignment.assignee")
            .and_then(|a| person(a).or_else(|| text(a, "uid").map(str::to_string)))
            .or_else(|| text(v, "assignment.routeUID").map(str::to_string));
        out.push_opt(assignee.as_deref());
        out.push_opt(get(v, "assignment.eta").and_then(minutes).as_deref());
    }

    fn filter_fields(&self) -> &'static [FilterField] {
        FIELDS
    }

    fn tone(&self, col: usize, cell: &str) -> Tone {
        if col != STATE {
            return Tone::Normal;
        }
        match TaskState::parse(cell) {
            Some(TaskState::CANCELLED) => Tone::Muted,
            Some(s) if s.is_failed() => Tone::Bad,
            Some(TaskState::COMPLETED) => Tone::Good,
            Some(s) if s.is_active() => Tone::Busy,
            _ => Tone::Normal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;
    use serde_json::json;

    fn cells(v: &Value) -> Vec<String> {
        let mut buf = String::new();
        let mut c = Cells::new(&mut buf);
        Tasks.cells(v, &CellCtx { tz: TimeZone::UTC }, &mut c);
        buf.split(crate::tui::resource::CELL_SEP)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_task_row_reads_like_a_dispatcher_would_say_it() {
        let v = json!({
            "_id": "a1", "uid": "T-00000001", "reference": "ORD-1", "type": 2, "state": -20,
            "location": {"name": "Acme Ltd", "postCode": "GU3 1AA", "city": "Guildford"},
            "timeWindows": [{"start": 480, "end": 600}, {"start": 780, "end": 900}],
            "assignment": {"routeUID": "RT-1", "eta": 545,
                           "assignee": {"uid": "DR-1", "info": {"firstName": "Anna", "lastName": "Berg"}}}
        });
        assert_eq!(
            cells(&v),
            [
                "ORD-1",
                "T-00000001",
                "Failed",
                "2",
                "Acme Ltd",
                "GU3 1AA",
                "08:00–10:00 +1",
                "Anna Berg",
                "09:05"
            ]
        );
        assert_eq!(Tasks.tone(STATE, "Failed"), Tone::Bad);
        assert_eq!(Tasks.tone(STATE, "Completed"), Tone::Good);
        assert_eq!(Tasks.tone(STATE, "En Route"), Tone::Busy);
        assert_eq!(Tasks.tone(0, "Failed"), Tone::Normal);
    }

    #[test]
    fn unknown_states_and_route_only_assignments() {
        let v =
            json!({"state": 77, "assignment": {"routeUID": "RT-9"}, "customer": {"uid": "CUS-1"}});
        let c = cells(&v);
        assert_eq!(c[STATE], "state 77");
        assert_eq!(c[4], "CUS-1");
        assert_eq!(c[7], "RT-9");
    }
}
