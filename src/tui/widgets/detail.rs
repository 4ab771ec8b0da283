//! The detail view of one item: every field as an indented key/value tree, with known
//! fields made readable (times `HH:MM`, windows `HH:MM–HH:MM`, dates, timestamps, task
//! states, coordinates, distances, durations). Lines are built once when the view opens.

use jiff::tz::TimeZone;
use ratatui::text::{Line, Span};
use serde_json::{Map, Value};

use crate::api::model::TaskState;
use crate::api::model::vehicle::category_label;
use crate::api::paths::Collection;
use crate::tui::theme::{Theme, Tone};
use crate::tui::value_fmt::{
    coordinates, date, fmt_number, km, minutes, reference_label, timestamp, window,
};

const MINUTE_KEYS: &[&str] = &["eta", "plannedEta", "departure", "start", "end"];
const DATE_KEYS: &[&str] = &["date", "startDate", "endDate"];
const DURATION_KEYS: &[&str] = &[
    "duration",
    "travelTime",
    "waitTime",
    "lateness",
    "setupDuration",
    "serviceDuration",
    "overtimeTolerance",
    "routeDurationLimit",
    "routeTravelLimit",
];
const WINDOW_KEYS: &[&str] = &["timeWindows", "timeWindow", "offset"];
const TIMESTAMP_PARENTS: &[&str] = &["stateTimestamps"];
/// Widest key column; longer keys push their value right.
const KEY_WIDTH: usize = 22;

struct Ctx<'a> {
    collection: Collection,
    theme: Theme,
    tz: &'a TimeZone,
}

/// The detail lines of `item`.
pub fn detail_lines(
    item: &Value,
    collection: Collection,
    theme: Theme,
    tz: &TimeZone,
) -> Vec<Line<'static>> {
    let ctx = Ctx {
        collection,
        theme,
        tz,
    };
    let mut out = Vec::new();
    match item {
        Value::Object(m) => object(&ctx, &mut out, m, 0, ""),
        other => out.push(Line::raw(other.to_string())),
    }
    out
}

/// The table row of the item as `Column  value` lines, above the full field list.
pub fn summary_lines(cells: &[(&str, &str, Tone)], theme: Theme) -> Vec<Line<'static>> {
    let width = cells
        .iter()
        .map(|(t, _, _)| t.chars().count())
        .max()
        .unwrap_or(0);
    let mut out: Vec<Line<'static>> = cells
        .iter()
        .filter(|(_, v, _)| !v.is_empty())
        .map(|(title, value, tone)| {
            Line::from(vec![
                Span::styled(format!("{title:<width$}  "), theme.heading()),
                Span::styled(value.to_string(), theme.tone(*tone)),
            ])
        })
        .collect();
    out.push(Line::styled("── all fields ──", theme.tone(Tone::Muted)));
    out
}

fn object(
    ctx: &Ctx<'_>,
    out: &mut Vec<Line<'static>>,
    m: &Map<String, Value>,
    indent: usize,
    parent: &str,
) {
    let width = m
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(KEY_WIDTH);
    for (k, v) in m {
        field(ctx, out, k, v, indent, width, parent);
    }
}

fn key_span(ctx: &Ctx<'_>, key: &str, indent: usize, width: usize) -> Span<'static> {
    Span::styled(
        format!("{:indent$}{key:<width$}  ", ""),
        ctx.theme.field_name(),
    )
}

fn field(
    ctx: &Ctx<'_>,
    out: &mut Vec<Line<'static>>,
    key: &str,
    v: &Value,
    indent: usize,
    width: usize,
    parent: &str,
) {
    let top = indent == 0;
    if let Some((text, tone)) = scalar(ctx, key, v, top, parent) {
        out.push(Line::from(vec![
            key_span(ctx, key, indent, width),
            Span::styled(text, ctx.theme.tone(tone)),
        ]));
        return;
    }
    match v {
        Value::Object(m) => {
            out.push(Line::from(Span::styled(
                format!("{:indent$}{key}", ""),
                ctx.theme.heading(),
            )));
            object(ctx, out, m, indent + 2, key);
        }
        Value::Array(a) => {
            out.push(Line::from(Span::styled(
                format!("{:indent$}{key} ({})", "", a.len()),
                ctx.theme.heading(),
            )));
            for (i, el) in a.iter().enumerate() {
                match el {
                    Value::Object(m) => {
                        let label = reference_label(el)
                            .map(|l| format!(" {l}"))
                            .unwrap_or_default();
                        out.push(Line::from(Span::styled(
                            format!("{:w$}[{}]{label}", "", i + 1, w = indent + 2),
                            ctx.theme.field_name(),
                        )));
                        object(ctx, out, m, indent + 4, key);
                    }
                    other => out.push(Line::raw(format!(
                        "{:w$}{}",
                        "",
                        compact(other),
                        w = indent + 2
                    ))),
                }
            }
        }
        other => out.push(Line::from(vec![
            key_span(ctx, key, indent, width),
            Span::raw(compact(other)),
        ])),
    }
}

/// One-line text for values that fit on a line; `None` for nested objects and lists.
fn scalar(ctx: &Ctx<'_>, key: &str, v: &Value, top: bool, parent: &str) -> Option<(String, Tone)> {
    let plain = |s: String| Some((s, Tone::Normal));
    if WINDOW_KEYS.contains(&key) {
        if let Some(w) = window(v) {
            return plain(w.to_string());
        }
        if let Some(a) = v.as_array()
            && !a.is_empty()
            && a.iter().all(|x| window(x).is_some())
        {
            let ws: Vec<String> = a.iter().filter_map(window).map(|w| w.to_string()).collect();
            return plain(ws.join(", "));
        }
    }
    match v {
        Value::Null => Some(("—".into(), Tone::Muted)),
        Value::Bool(b) => plain(if *b { "yes" } else { "no" }.into()),
        Value::String(s) => plain(s.replace(['\n', '\r'], " ")),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            let raw = n.to_string();
            if top && key == "state" && ctx.collection == Collection::Tasks {
                let st = TaskState(n.as_i64().unwrap_or(0));
                let tone = match st {
                    TaskState::CANCELLED => Tone::Muted,
                    s if s.is_failed() => Tone::Bad,
                    TaskState::COMPLETED => Tone::Good,
                    s if s.is_active() => Tone::Busy,
                    _ => Tone::Normal,
                };
                return Some((format!("{} ({raw})", st.label()), tone));
            }
            if top && key == "category" && ctx.collection == Collection::Vehicles {
                return plain(format!(
                    "{} ({raw})",
                    category_label(n.as_i64().unwrap_or(-1))
                ));
            }
            if DATE_KEYS.contains(&key)
                && let Some(d) = date(v)
            {
                return plain(d.to_string());
            }
            if MINUTE_KEYS.contains(&key)
                && let Some(m) = minutes(v)
            {
                return plain(m);
            }
            if DURATION_KEYS.contains(&key) {
                return plain(format!("{} min", fmt_number(f)));
            }
            if key == "distance" {
                return plain(format!("{} ({} m)", km(f), fmt_number(f)));
            }
            let is_time = key.ends_with("At") || key == "stateTimestamp" || key == "timestamp";
            if (is_time || TIMESTAMP_PARENTS.contains(&parent))
                && let Some(t) = n.as_i64().and_then(|s| timestamp(s, ctx.tz))
            {
                return plain(t);
            }
            if n.is_f64() {
                return plain(fmt_number(f));
            }
            plain(raw)
        }
        Value::Array(a) if a.is_empty() => Some(("—".into(), Tone::Muted)),
        Value::Array(a) => {
            if key == "coordinates"
                && let Some(c) = coordinates(v)
            {
                return plain(format!("{c} (lat, lon)"));
            }
            if a.iter().all(|x| !x.is_object() && !x.is_array()) {
                return plain(a.iter().map(compact).collect::<Vec<_>>().join(", "));
            }
            if a.iter().all(|x| x.is_array()) {
                return plain(compact(v));
            }
            None
        }
        Value::Object(m) if m.is_empty() => Some(("—".into(), Tone::Muted)),
        Value::Object(_) => None,
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.replace(['\n', '\r'], " "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn text(item: &Value, c: Collection) -> Vec<String> {
        detail_lines(item, c, Theme::MONO, &TimeZone::UTC)
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn every_field_is_readable() {
        let task = json!({
            "uid": "T-1", "state": -20, "date": 20250822,
            "timeWindows": [{"start": 480, "end": 600}],
            "location": {"name": "Acme", "coordinates": [-0.5, 51.25]},
            "items": [{"description": "Box", "quantity": 2}],
            "customData": {"Priority": "high", "fragile": true},
            "stateTimestamps": {"created": 0},
            "assignment": {"eta": 545},
            "tags": [], "note": null
        });
        let lines = text(&task, Collection::Tasks);
        let want = [
            "uid              T-1",
            "state            Failed (-20)",
            "date             2025-08-22",
            "timeWindows      08:00–10:00",
            "location",
            "  name         Acme",
            "  coordinates  51.250000, -0.500000 (lat, lon)",
            "items (1)",
            "  [1]",
            "    description  Box",
            "    quantity     2",
            "customData",
            "  Priority  high",
            "  fragile   yes",
            "stateTimestamps",
            "  created  1970-01-01 00:00",
            "assignment",
            "  eta  09:05",
            "tags             —",
            "note             —",
        ];
        assert_eq!(lines, want);
    }

    #[test]
    fn route_numbers_read_as_times_distances_and_durations() {
        let route = json!({"start": 480, "distance": 12345.0, "duration": 90,
            "legs": [{"taskInfo": {"uid": "T-1"}, "eta": 500, "lateness": 0}]});
        let lines = text(&route, Collection::Routes);
        assert_eq!(lines[0], "start     08:00");
        assert_eq!(lines[1], "distance  12.3 km (12345 m)");
        assert_eq!(lines[2], "duration  90 min");
        assert_eq!(lines[3], "legs (1)");
        assert!(lines.contains(&"      uid  T-1".to_string()), "{lines:?}");
        assert!(
            lines.contains(&"    eta       08:20".to_string()),
            "{lines:?}"
        );
    }
}
