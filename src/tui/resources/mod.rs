//! One [`Resource`](super::resource::Resource) per collection, and the helpers they share.

pub mod customers;
pub mod depots;
pub mod drivers;
pub mod exceptions;
pub mod form_submissions;
pub mod forms;
pub mod routes;
pub mod tasks;
pub mod template_groups;
pub mod vehicles;
pub mod zones;

use serde_json::Value;

use super::value_fmt::{date, get, list, text};

/// `weekly Mon, Wed` / `every 2 days` from a template group's `schedulePattern`.
pub(crate) fn pattern_label(v: &Value) -> String {
    let Some(p) = get(v, "schedulePattern") else {
        return String::new();
    };
    let freq = text(p, "frequency").unwrap_or("");
    let interval = p.get("interval").and_then(Value::as_i64).unwrap_or(1);
    let unit = match freq {
        "daily" => "day",
        "weekly" => "week",
        other => other,
    };
    let mut s = if interval > 1 {
        format!("every {interval} {unit}s")
    } else {
        freq.to_string()
    };
    let days = list(p.get("weekDays"));
    if !days.is_empty() {
        s.push(' ');
        s.push_str(&days);
    }
    s
}

/// `startDate` / `endDate` of a date range object at `path`, as `YYYY-MM-DD`.
pub(crate) fn range_dates(v: &Value, path: &str) -> (String, String) {
    let part = |k: &str| {
        get(v, path)
            .and_then(|r| r.get(k))
            .and_then(date)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    (part("startDate"), part("endDate"))
}

/// `yes` / `no` / empty for an optional boolean.
pub(crate) fn yes_no(v: Option<&Value>) -> &'static str {
    match v.and_then(Value::as_bool) {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_read_naturally() {
        let v = json!({"schedulePattern": {"frequency": "weekly", "interval": 1, "weekDays": ["Mon", "Wed"]}});
        assert_eq!(pattern_label(&v), "weekly Mon, Wed");
        let v = json!({"schedulePattern": {"frequency": "daily", "interval": 2}});
        assert_eq!(pattern_label(&v), "every 2 days");
        assert_eq!(pattern_label(&json!({})), "");
    }
}
