//! Reading wire values (`serde_json::Value`) and formatting them for people: times as
//! `HH:MM`, windows as `HH:MM–HH:MM`, dates as `YYYY-MM-DD`, references by name.

use jiff::tz::TimeZone;
use serde_json::Value;

use crate::api::model::{Date, TimeWindow, fmt_minutes};

/// The value at a dot path (`location.postCode`).
pub fn get<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |cur, key| cur.get(key))
}

/// A non-empty string at a dot path.
pub fn text<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    get(v, path)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// A number at a dot path.
pub fn number(v: &Value, path: &str) -> Option<f64> {
    get(v, path).and_then(Value::as_f64)
}

/// A count shown without a fraction when whole (`3`, `2.5`).
pub fn fmt_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Minutes from midnight as `HH:MM`, when the value is a plausible minute count.
pub fn minutes(v: &Value) -> Option<String> {
    let m = v.as_f64()?;
    (m.is_finite() && (0.0..=10_080.0).contains(&m)).then(|| fmt_minutes(m.round() as u32))
}

/// A `{start, end}` object as a typed time window.
pub fn window(v: &Value) -> Option<TimeWindow> {
    let start = v.get("start")?.as_f64()?;
    let end = v.get("end")?.as_f64()?;
    (start >= 0.0 && end >= 0.0).then(|| TimeWindow::new(start as u32, end as u32))
}

/// A list of windows as `08:00–10:00, 13:00–17:00`; empty when there are none.
pub fn windows(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|ws| {
            ws.iter()
                .filter_map(window)
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// A wire date (`20250822` or `"2025-08-22"`).
pub fn date(v: &Value) -> Option<Date> {
    match v {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .and_then(|n| Date::from_yyyymmdd(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// `2025-08-22 14:05` in `tz` for Unix seconds.
pub fn timestamp(secs: i64, tz: &TimeZone) -> Option<String> {
    let ts = jiff::Timestamp::from_second(secs).ok()?;
    Some(
        ts.to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
    )
}

/// Metres as kilometres with one decimal.
pub fn km(metres: f64) -> String {
    format!("{:.1} km", metres / 1000.0)
}

/// A person's name from `firstName`/`lastName`, also inside `info` (driver snapshots).
pub fn person(v: &Value) -> Option<String> {
    let from = |o: &Value| {
        let first = o.get("firstName").and_then(Value::as_str).unwrap_or("");
        let last = o.get("lastName").and_then(Value::as_str).unwrap_or("");
        let name = format!("{first} {last}");
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    };
    from(v).or_else(|| v.get("info").and_then(from))
}

/// How to name a referenced entity: name, person, UID, reference, then `_id`.
pub fn reference_label(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(_) => text(v, "name")
            .map(str::to_string)
            .or_else(|| person(v))
            .or_else(|| {
                ["uid", "reference", "_id", "id"]
                    .iter()
                    .find_map(|k| text(v, k).map(str::to_string))
            }),
        _ => None,
    }
}

/// A location's one-line label: name, else address, else coordinates.
pub fn location_label(v: &Value) -> Option<String> {
    text(v, "name")
        .or_else(|| text(v, "address"))
        .map(str::to_string)
        .or_else(|| coordinates(v.get("coordinates")?))
}

/// `[lon, lat]` as `lat, lon` with six decimals.
pub fn coordinates(v: &Value) -> Option<String> {
    let a = v.as_array()?;
    let (lon, lat) = (a.first()?.as_f64()?, a.get(1)?.as_f64()?);
    Some(format!("{lat:.6}, {lon:.6}"))
}

/// A list of scalars or references joined by `, `.
pub fn list(v: Option<&Value>) -> String {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    Value::Bool(b) => Some(b.to_string()),
                    other => reference_label(other),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// `key value, key value` of a small object (sizes, capacities).
pub fn pairs(v: Option<&Value>) -> String {
    v.and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| match v {
                    Value::Number(n) => {
                        format!("{k} {}", n.as_f64().map_or(n.to_string(), fmt_number))
                    }
                    Value::String(s) => format!("{k} {s}"),
                    other => format!("{k} {other}"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// Number of elements of an array at a dot path.
pub fn count(v: &Value, path: &str) -> usize {
    get(v, path).and_then(Value::as_array).map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn windows_and_minutes_read_as_clock_times() {
        let v = json!([{"start": 480, "end": 600}, {"start": 780, "end": 1050}]);
        assert_eq!(windows(Some(&v)), "08:00–10:00, 13:00–17:30");
        assert_eq!(windows(None), "");
        assert_eq!(minutes(&json!(545)).as_deref(), Some("09:05"));
        assert_eq!(minutes(&json!("x")), None);
        assert_eq!(minutes(&json!(-3)), None);
    }

    #[test]
    fn references_prefer_names_then_keys() {
        assert_eq!(
            reference_label(&json!({"uid": "DR-1", "name": "Anna"})).as_deref(),
            Some("Anna")
        );
        assert_eq!(
            reference_label(
                &json!({"uid": "DR-1", "info": {"firstName": "Anna", "lastName": "Berg"}})
            )
            .as_deref(),
            Some("Anna Berg")
        );
        assert_eq!(
            reference_label(&json!({"_id": "abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(reference_label(&json!("VEH-9")).as_deref(), Some("VEH-9"));
        assert_eq!(reference_label(&json!(null)), None);
    }

    #[test]
    fn dates_numbers_and_timestamps() {
        assert_eq!(
            date(&json!(20250822)).map(|d| d.to_string()).as_deref(),
            Some("2025-08-22")
        );
        assert_eq!(date(&json!(20251399)), None);
        assert_eq!(fmt_number(3.0), "3");
        assert_eq!(fmt_number(2.50), "2.5");
        assert_eq!(km(12_345.0), "12.3 km");
        assert_eq!(
            timestamp(0, &TimeZone::UTC).as_deref(),
            Some("1970-01-01 00:00")
        );
        assert_eq!(
            coordinates(&json!([-0.12, 51.5])).as_deref(),
            Some("51.500000, -0.120000")
        );
        assert_eq!(
            pairs(Some(&json!({"Weight": 1000, "Volume": 2.5}))),
            "Weight 1000, Volume 2.5"
        );
        assert_eq!(
            list(Some(&json!(["a", {"name": "Zone A"}, 3]))),
            "a, Zone A, 3"
        );
    }
}

/// `100000` as `100,000`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Wall-clock `HH:MM:SS` of a system time in `tz`.
pub fn clock(t: std::time::SystemTime, tz: &TimeZone) -> Option<String> {
    let ts = jiff::Timestamp::try_from(t).ok()?;
    Some(ts.to_zoned(tz.clone()).strftime("%H:%M:%S").to_string())
}

/// `Fri 2025-08-22`.
pub fn day(d: Date) -> String {
    format!("{} {d}", d.weekday_name())
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn thousands_and_clock() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(1234567), "1,234,567");
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(3723);
        assert_eq!(clock(t, &TimeZone::UTC).as_deref(), Some("01:02:03"));
        assert_eq!(day(Date::from_ymd(2025, 8, 22).unwrap()), "Fri 2025-08-22");
    }
}
