//! Task states with the history that led to them (`stateTimestamps`).

use serde_json::{Map, Value};

use crate::api::model::{Date, Task, TaskState};

use super::clock::{NOW, iso, unix};
use super::draw::Gen;

/// The moments of a task's life so far, oldest first, as `(name, unix seconds)`.
#[derive(Debug, Default, Clone)]
pub(super) struct History(Vec<(&'static str, i64)>);

impl History {
    /// A history that starts when the task was created.
    pub fn created(at: i64) -> Self {
        History(vec![("created", at)])
    }

    /// Adds moment `name` at `secs` (kept after the previous one).
    pub fn then(&mut self, name: &'static str, secs: i64) -> &mut Self {
        let last = self.0.last().map_or(secs, |(_, s)| *s);
        self.0.push((name, secs.max(last)));
        self
    }

    /// Adds the depot pickup moments before a route that starts at `start` on `date`.
    pub fn picked_up(&mut self, date: Date, start: i64, jitter: i64) -> &mut Self {
        self.then("pickupEnRoute", unix(date, start - 35) + jitter)
            .then("pickupArrived", unix(date, start - 20) + jitter)
            .then("pickupCompleted", unix(date, start - 5) + jitter)
    }
}

/// When an order for `date` was placed: one to three days before (never after "now").
pub(super) fn created_at(g: &mut Gen, date: Date, today: Date) -> i64 {
    let day = date.add_days(-i64::from(g.int(1, 3)));
    if day >= today {
        unix(today, i64::from(g.int(360, NOW - 5)))
    } else {
        unix(day, i64::from(g.int(420, 1260)))
    }
}

/// Sets `state`, its label, and the timestamps of `history` on `task`.
pub(super) fn apply(task: &mut Task, state: TaskState, history: &History, reason: Option<&str>) {
    let mut stamps = Map::new();
    for (name, secs) in &history.0 {
        stamps.insert((*name).to_string(), Value::from(*secs));
        stamps.insert(format!("{name}ISO"), Value::from(iso(*secs)));
    }
    task.state = Some(state);
    task.state_text = Some(state.label().to_string());
    task.state_timestamp = history.0.last().map(|(_, s)| *s);
    task.state_timestamps = Some(stamps);
    task.state_reason = reason.map(str::to_string);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_becomes_state_timestamps() {
        let d = Date::from_civil(jiff::civil::date(2025, 1, 15));
        let mut h = History::created(unix(d, 480));
        h.then("cancelled", unix(d, 470));
        let mut t = Task::default();
        apply(&mut t, TaskState::CANCELLED, &h, Some("Duplicate order"));
        assert_eq!(t.state_text.as_deref(), Some("Cancelled"));
        let s = t.state_timestamps.unwrap_or_default();
        assert_eq!(s["createdISO"], "2025-01-15T08:00:00Z");
        assert_eq!(
            s["cancelled"], s["created"],
            "never before the moment it follows"
        );
        assert_eq!(t.state_timestamp, s["cancelled"].as_i64());
    }
}
