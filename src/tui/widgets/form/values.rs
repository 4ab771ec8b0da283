//! Field text <-> JSON values: reading what was typed per field kind, showing a value as
//! field text, and the dotted-path helpers that put values into an item.

use serde_json::{Map, Value};

use super::FieldKind;
use crate::api::model::{Coordinates, Date, TimeWindow, fmt_minutes, parse_minutes};

/// Most days one range of a [`FieldKind::Dates`] field may cover.
const MAX_RANGE_DAYS: i64 = 366;
/// Reads a field's text into its JSON value; `None` when empty.
pub fn parse_value(kind: &FieldKind, text: &str) -> Result<Option<Value>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v = match kind {
        FieldKind::Text => Value::String(t.to_string()),
        FieldKind::Integer => Value::from(
            t.parse::<i64>()
                .map_err(|_| format!("{t:?} is not a whole number"))?,
        ),
        FieldKind::Decimal => {
            let n: f64 = t.parse().map_err(|_| format!("{t:?} is not a number"))?;
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| format!("{t:?} is not a finite number"))?
        }
        FieldKind::Date => {
            let d: Date = t
                .parse()
                .map_err(|e: crate::api::model::DateError| e.to_string())?;
            to_json(&d)?
        }
        FieldKind::Time => {
            let m = parse_minutes(t)?;
            if m > 1440 {
                return Err(format!("{t:?} is past 24:00"));
            }
            Value::from(m)
        }
        FieldKind::TimeWindows => {
            let windows = t
                .split(',')
                .map(TimeWindow::parse)
                .collect::<Result<Vec<_>, _>>()?;
            to_json(&windows)?
        }
        FieldKind::Coordinates => {
            let (lat, lon) = t
                .split_once(',')
                .ok_or_else(|| format!("{t:?}: expected lat, lon"))?;
            let lat: f64 = lat
                .trim()
                .parse()
                .map_err(|_| format!("latitude {:?} is not a number", lat.trim()))?;
            let lon: f64 = lon
                .trim()
                .parse()
                .map_err(|_| format!("longitude {:?} is not a number", lon.trim()))?;
            if !(-90.0..=90.0).contains(&lat) {
                return Err(format!("latitude {lat} is outside -90..90"));
            }
            if !(-180.0..=180.0).contains(&lon) {
                return Err(format!("longitude {lon} is outside -180..180"));
            }
            to_json(&Coordinates::new(lon, lat))?
        }
        FieldKind::Choice(options) => {
            let o = options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(t))
                .ok_or_else(|| format!("{t:?} is not one of {}", options.join(", ")))?;
            match o.parse::<i64>() {
                Ok(n) if options.iter().all(|o| o.parse::<i64>().is_ok()) => Value::from(n),
                _ => Value::String(o.clone()),
            }
        }
        FieldKind::Bool => match t.to_ascii_lowercase().as_str() {
            "yes" | "true" | "y" => Value::Bool(true),
            "no" | "false" | "n" => Value::Bool(false),
            _ => return Err(format!("{t:?}: expected yes or no")),
        },
        FieldKind::Tags => Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        FieldKind::Dates => to_json(&parse_dates(t)?)?,
        FieldKind::Json => serde_json::from_str(t).map_err(|e| format!("not valid JSON: {e}"))?,
        // The file's name is no value of the item; the caller reads it on submit.
        FieldKind::File(_) => Value::String(t.to_string()),
        FieldKind::Group(_) => return Ok(None),
    };
    Ok(Some(v))
}

/// Reads `2025-08-22, 2025-08-25..2025-08-29` into the days it names, in order, once each.
pub fn parse_dates(text: &str) -> Result<Vec<Date>, String> {
    let day = |s: &str| -> Result<Date, String> {
        s.trim()
            .parse()
            .map_err(|e: crate::api::model::DateError| e.to_string())
    };
    let mut out: Vec<Date> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = match part.split_once("..") {
            Some((a, b)) => (day(a)?, day(b)?),
            None => {
                let d = day(part)?;
                (d, d)
            }
        };
        if to < from {
            return Err(format!("{part:?} ends before it starts"));
        }
        let mut d = from;
        let mut n = 0;
        while d <= to {
            n += 1;
            if n > MAX_RANGE_DAYS {
                return Err(format!("{part:?} covers more than {MAX_RANGE_DAYS} days"));
            }
            if !out.contains(&d) {
                out.push(d);
            }
            d = d.add_days(1);
        }
    }
    Ok(out)
}

/// The merge patch that turns `old` into `new`: changed keys, removed ones as `null`.
pub fn merge_diff(old: &Value, new: &Value) -> Value {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let mut out = Map::new();
            for (k, nv) in n {
                match o.get(k) {
                    Some(ov) if ov == nv => {}
                    Some(ov @ Value::Object(_)) if nv.is_object() => {
                        out.insert(k.clone(), merge_diff(ov, nv));
                    }
                    _ => {
                        out.insert(k.clone(), nv.clone());
                    }
                }
            }
            for k in o.keys().filter(|k| !n.contains_key(*k)) {
                out.insert(k.clone(), Value::Null);
            }
            Value::Object(out)
        }
        _ => new.clone(),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

/// Shows a JSON value as the text a field of `kind` would hold ("" when absent or unreadable).
pub fn format_value(kind: &FieldKind, v: &Value) -> String {
    match (kind, v) {
        (_, Value::Null) => String::new(),
        (FieldKind::Date, v) => serde_json::from_value::<Date>(v.clone())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        (FieldKind::Time, Value::Number(n)) => n
            .as_u64()
            .map(|m| fmt_minutes(m as u32))
            .unwrap_or_default(),
        (FieldKind::TimeWindows, v) => serde_json::from_value::<Vec<TimeWindow>>(v.clone())
            .map(|ws| {
                ws.iter()
                    .map(|w| format!("{}-{}", fmt_minutes(w.start), fmt_minutes(w.end)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        (FieldKind::Coordinates, v) => serde_json::from_value::<Coordinates>(v.clone())
            .map(|c| format!("{}, {}", c.lat(), c.lon()))
            .unwrap_or_default(),
        // Whole numbers may arrive as `5.0`; show them as the integer they are.
        (FieldKind::Integer, Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9e15 => (f as i64).to_string(),
            _ => n.to_string(),
        },
        (FieldKind::Bool, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        (FieldKind::Tags, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (FieldKind::Dates, v) => serde_json::from_value::<Vec<Date>>(v.clone())
            .map(|ds| {
                ds.iter()
                    .map(Date::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        (FieldKind::Json, v) => v.to_string(),
        (FieldKind::File(_) | FieldKind::Group(_), _) => String::new(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => n.to_string(),
        (_, other) => other.to_string(),
    }
}

/// The value at a dotted path of an item.
pub fn value_at<'a>(item: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(item, |v, k| v.get(k))
}

/// Sets the value at a dotted path, creating objects on the way.
pub fn set_at(obj: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_string(), v);
        }
        Some((head, rest)) => {
            let entry = obj
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                set_at(inner, rest, v);
            }
        }
    }
}

/// Removes the value at a dotted path, if there is one.
pub fn remove_at(obj: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            obj.remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = obj.get_mut(head) {
                remove_at(inner, rest);
            }
        }
    }
}
