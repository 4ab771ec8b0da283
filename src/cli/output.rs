//! Printing lists for `elogii-console get`: an aligned table with sensible columns per
//! collection, RFC 4180 CSV, or a pretty JSON array.

use std::io::{self, Write};

use serde_json::Value;

use crate::api::model::{Date, TaskState, fmt_minutes};
use crate::api::paths::Collection;

/// Longest cell of the table before it is cut with `…`.
const MAX_CELL: usize = 40;

/// The output formats of `get`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// A pretty JSON array of whole items.
    Json,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// How a column gets its text from an item.
#[derive(Debug, Clone)]
enum Cell {
    /// A formatter for a built-in column.
    Builtin(fn(&Value) -> String),
    /// A dot path into the item (`location.postCode`).
    Path(String),
}

/// One output column.
#[derive(Debug, Clone)]
pub struct Column {
    header: String,
    cell: Cell,
}

impl Column {
    fn builtin(header: &str, f: fn(&Value) -> String) -> Self {
        Column {
            header: header.to_string(),
            cell: Cell::Builtin(f),
        }
    }

    /// A column showing the field at a dot path, headed by the path.
    pub fn path(path: &str) -> Self {
        Column {
            header: path.to_string(),
            cell: Cell::Path(path.to_string()),
        }
    }

    /// The header text.
    pub fn header(&self) -> &str {
        &self.header
    }

    /// The cell text for `item`.
    pub fn text(&self, item: &Value) -> String {
        match &self.cell {
            Cell::Builtin(f) => f(item),
            Cell::Path(p) => show(at(item, p)),
        }
    }
}

/// The value at a dot path, if any.
fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .try_fold(v, |cur, key| match cur {
            Value::Object(m) => m.get(key),
            Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
}

/// A value as cell text: strings bare, null empty, containers as compact JSON.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn text(v: &Value, path: &str) -> String {
    show(at(v, path))
}

/// The first non-empty text among several paths.
fn first(v: &Value, paths: &[&str]) -> String {
    paths
        .iter()
        .map(|p| text(v, p))
        .find(|s| !s.is_empty())
        .unwrap_or_default()
}

fn date(v: &Value, path: &str) -> String {
    match at(v, path) {
        Some(d) => serde_json::from_value::<Date>(d.clone())
            .map(|d| d.to_string())
            .unwrap_or_else(|_| show(Some(d))),
        None => String::new(),
    }
}

fn minutes(v: &Value, path: &str) -> String {
    at(v, path)
        .and_then(Value::as_u64)
        .map(|m| fmt_minutes(m as u32))
        .unwrap_or_default()
}

fn count(v: &Value, path: &str) -> String {
    at(v, path)
        .and_then(Value::as_array)
        .map(|a| a.len().to_string())
        .unwrap_or_default()
}

fn joined(v: &Value, path: &str) -> String {
    at(v, path)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|x| show(Some(x)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn person(v: &Value, first_name: &str, last_name: &str, fallback: &[&str]) -> String {
    let name = format!("{} {}", text(v, first_name), text(v, last_name));
    let name = name.trim();
    if name.is_empty() {
        first(v, fallback)
    } else {
        name.to_string()
    }
}

fn task_state(v: &Value) -> String {
    match at(v, "state").and_then(Value::as_i64) {
        Some(code) => TaskState(code).label().to_string(),
        None => first(v, &["stateText"]),
    }
}

fn time_windows(v: &Value) -> String {
    at(v, "timeWindows")
        .and_then(Value::as_array)
        .map(|ws| {
            ws.iter()
                .filter_map(|w| {
                    let s = w.get("start")?.as_u64()?;
                    let e = w.get("end")?.as_u64()?;
                    Some(format!(
                        "{}–{}",
                        fmt_minutes(s as u32),
                        fmt_minutes(e as u32)
                    ))
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn unix_time(v: &Value, path: &str) -> String {
    at(v, path)
        .and_then(Value::as_i64)
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// The default columns of a collection.
pub fn columns_for(c: Collection) -> Vec<Column> {
    use Column as C;
    match c {
        Collection::Tasks => vec![
            C::builtin("REFERENCE", |v| text(v, "reference")),
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("STATE", task_state),
            C::builtin("DATE", |v| date(v, "date")),
            C::builtin("NAME", |v| {
                first(v, &["customer.name", "location.name", "location.address"])
            }),
            C::builtin("POSTCODE", |v| text(v, "location.postCode")),
            C::builtin("WINDOWS", time_windows),
            C::builtin("ROUTE", |v| text(v, "assignment.routeUID")),
            C::builtin("ETA", |v| minutes(v, "assignment.eta")),
        ],
        Collection::Routes => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("DATE", |v| date(v, "date")),
            C::builtin("DRIVER", |v| {
                person(
                    v,
                    "assignee.info.firstName",
                    "assignee.info.lastName",
                    &["assignee.uid"],
                )
            }),
            C::builtin("VEHICLE", |v| first(v, &["vehicle.name", "vehicle.uid"])),
            C::builtin("STOPS", |v| count(v, "legs")),
            C::builtin("START", |v| minutes(v, "start")),
            C::builtin("END", |v| minutes(v, "end")),
            C::builtin("KM", |v| {
                at(v, "distance")
                    .and_then(Value::as_f64)
                    .map(|m| format!("{:.1}", m / 1000.0))
                    .unwrap_or_default()
            }),
            C::builtin("LOCKED", |v| {
                if at(v, "locked").and_then(Value::as_bool) == Some(true) {
                    "locked".into()
                } else {
                    String::new()
                }
            }),
        ],
        Collection::Drivers => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| {
                person(v, "firstName", "lastName", &["username"])
            }),
            C::builtin("PHONE", |v| text(v, "phone")),
            C::builtin("EMAIL", |v| text(v, "email")),
            C::builtin("SKILLS", |v| joined(v, "skills")),
            C::builtin("REFERENCE", |v| text(v, "reference")),
        ],
        Collection::Vehicles => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("PLATE", |v| text(v, "licensePlate")),
            C::builtin("CATEGORY", |v| text(v, "category")),
            C::builtin("CAPABILITIES", |v| joined(v, "capabilities")),
        ],
        Collection::Customers => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("REFERENCE", |v| text(v, "reference")),
            C::builtin("CONTACT", |v| text(v, "contactName")),
            C::builtin("PHONE", |v| text(v, "contactPhone")),
            C::builtin("LOCATIONS", |v| count(v, "locations")),
        ],
        Collection::Depots => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("ADDRESS", |v| text(v, "address")),
            C::builtin("POSTCODE", |v| text(v, "postCode")),
            C::builtin("CITY", |v| text(v, "city")),
        ],
        Collection::Zones => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("ORDER", |v| text(v, "order")),
            C::builtin("TAGS", |v| joined(v, "tags")),
        ],
        Collection::ScheduleExceptions => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("DRIVER", |v| {
                first(v, &["driver.name", "driver.uid", "driver._id", "driver.id"])
            }),
            C::builtin("FROM", |v| date(v, "dateRange.startDate")),
            C::builtin("TO", |v| date(v, "dateRange.endDate")),
            C::builtin("DAY OFF", |v| {
                if at(v, "dayOff").and_then(Value::as_bool) == Some(true) {
                    "yes".into()
                } else {
                    String::new()
                }
            }),
            C::builtin("DESCRIPTION", |v| text(v, "description")),
        ],
        Collection::RouteTemplateGroups => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("TEMPLATES", |v| count(v, "routeTemplates")),
            C::builtin("FREQUENCY", |v| text(v, "schedulePattern.frequency")),
            C::builtin("DAYS", |v| joined(v, "schedulePattern.weekDays")),
        ],
        Collection::TaskTemplateGroups => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("TEMPLATES", |v| count(v, "taskTemplates")),
            C::builtin("FREQUENCY", |v| text(v, "schedulePattern.frequency")),
            C::builtin("DAYS", |v| joined(v, "schedulePattern.weekDays")),
        ],
        Collection::Forms => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("NAME", |v| text(v, "name")),
            C::builtin("PURPOSE", |v| text(v, "purpose")),
            C::builtin("ACTIVE", |v| text(v, "active")),
            C::builtin("FIELDS", |v| count(v, "components")),
        ],
        Collection::FormSubmissions => vec![
            C::builtin("UID", |v| text(v, "uid")),
            C::builtin("FORM", |v| first(v, &["form.name", "form.uid", "form._id"])),
            C::builtin("TASK", |v| {
                first(v, &["task.reference", "task.uid", "task._id"])
            }),
            C::builtin("DRIVER", |v| {
                first(v, &["driver.name", "driver.uid", "driver._id"])
            }),
            C::builtin("SEGMENT", |v| text(v, "segment")),
            C::builtin("SUBMITTED", |v| unix_time(v, "submittedAt")),
        ],
    }
}

/// The columns for `--select`: `_id` and each selected field.
pub fn selected_columns(fields: &[String]) -> Vec<Column> {
    let mut cols = vec![Column::path("_id")];
    cols.extend(
        fields
            .iter()
            .filter(|f| f.as_str() != "_id")
            .map(|f| Column::path(f)),
    );
    cols
}

/// Cuts `s` to `max` characters, ending with `…` when cut; line breaks become spaces.
fn fit(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Writes an aligned table.
pub fn write_table(out: &mut impl Write, columns: &[Column], items: &[Value]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|it| columns.iter().map(|c| fit(&c.text(it), MAX_CELL)).collect())
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| c.header.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let last = cells.len().saturating_sub(1);
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            s.push_str(cell);
            if i < last {
                let pad = w.saturating_sub(cell.chars().count()) + 2;
                s.extend(std::iter::repeat_n(' ', pad));
            }
        }
        s.trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(columns.iter().map(|c| c.header.as_str()).collect())
    )?;
    for row in &rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

/// Quotes one CSV field when RFC 4180 requires it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes CSV: a header row, then one row per item, CRLF line ends (RFC 4180).
pub fn write_csv(out: &mut impl Write, columns: &[Column], items: &[Value]) -> io::Result<()> {
    let row = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| csv_field(c))
            .collect::<Vec<_>>()
            .join(",")
    };
    write!(
        out,
        "{}\r\n",
        row(columns.iter().map(|c| c.header.clone()).collect())
    )?;
    for it in items {
        write!(
            out,
            "{}\r\n",
            row(columns.iter().map(|c| c.text(it)).collect())
        )?;
    }
    Ok(())
}

/// Writes a pretty JSON array.
pub fn write_json(out: &mut impl Write, items: &[Value]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, items).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn task() -> Value {
        json!({
            "_id": "64b7f0c2a1b2c3d4e5f60718", "uid": "T-ABCDEFGH", "reference": "ORD-1",
            "state": -20, "date": 20250822,
            "location": {"name": "KD Fine Art", "postCode": "GU3 1DQ"},
            "timeWindows": [{"start": 540, "end": 720}, {"start": 780, "end": 1020}],
            "assignment": {"routeUID": "RT-1", "eta": 605}
        })
    }

    #[test]
    fn task_columns_read_like_a_dispatcher_expects() {
        let cols = columns_for(Collection::Tasks);
        let t = task();
        let cells: Vec<String> = cols.iter().map(|c| c.text(&t)).collect();
        assert_eq!(
            cells,
            [
                "ORD-1",
                "T-ABCDEFGH",
                "Failed",
                "2025-08-22",
                "KD Fine Art",
                "GU3 1DQ",
                "09:00–12:00, 13:00–17:00",
                "RT-1",
                "10:05"
            ]
        );
    }

    #[test]
    fn tables_align_and_cut_long_cells() {
        let cols = vec![Column::path("a"), Column::path("b")];
        let items = vec![
            json!({"a": "x", "b": "1"}),
            json!({"a": "y".repeat(60), "b": "line\nbreak"}),
        ];
        let mut out = Vec::new();
        write_table(&mut out, &cols, &items).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("a{}b", " ".repeat(MAX_CELL + 1)));
        assert_eq!(lines[1], format!("x{}1", " ".repeat(MAX_CELL + 1)));
        assert!(lines[2].contains('…'));
        assert!(lines[2].ends_with("line break"));
    }

    #[test]
    fn csv_quotes_per_rfc_4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        let mut out = Vec::new();
        write_csv(
            &mut out,
            &selected_columns(&["name".into(), "tags".into()]),
            &[json!({"_id": "1", "name": "A, B", "tags": ["x", "y"]})],
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            "_id,name,tags\r\n1,\"A, B\",\"[\"\"x\"\",\"\"y\"\"]\"\r\n"
        );
    }

    #[test]
    fn every_collection_has_columns_that_tolerate_empty_items() {
        for c in Collection::ALL {
            let cols = columns_for(c);
            assert!(cols.len() >= 4, "{c}");
            for col in &cols {
                assert_eq!(col.text(&json!({})), "", "{c} {}", col.header());
            }
        }
    }
}
