//! The session's activity log: every change sent, with when, which profile, what, which
//! ids and how it ended. Shown in a pane and appended to a journal file as JSON lines, so a
//! dispatcher can always answer "what did I change, and did it take?".

use std::collections::BTreeMap;

use jiff::Timestamp;
use ratatui::text::Line;
use serde_json::json;

use crate::actor::{Mutation, RequestId};

/// One change of the session.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEntry {
    /// When it was sent.
    pub at: Timestamp,
    /// The profile it went to.
    pub profile: String,
    /// What it was, e.g. "cancel 3 tasks".
    pub action: String,
    /// The ids it concerned.
    pub ids: Vec<String>,
    /// How it ended ("sent" while waiting).
    pub result: String,
}

impl ActivityEntry {
    /// The entry as one JSON line for the journal.
    pub fn json_line(&self) -> String {
        json!({
            "time": self.at.to_string(),
            "profile": self.profile,
            "action": self.action,
            "ids": self.ids,
            "result": self.result,
        })
        .to_string()
    }

    /// The entry as one line of the pane.
    pub fn line(&self) -> Line<'static> {
        Line::raw(format!(
            "{}  {}  {}  [{}]  → {}",
            self.at.strftime("%H:%M:%S"),
            self.profile,
            self.action,
            self.ids.join(", "),
            self.result
        ))
    }
}

/// The ids a change concerns.
pub fn mutation_ids(m: &Mutation) -> Vec<String> {
    let from_items = |items: &[serde_json::Value]| {
        items
            .iter()
            .filter_map(|i| {
                i.get("_id")
                    .or_else(|| i.get("reference"))
                    .and_then(|v| v.as_str())
            })
            .map(str::to_string)
            .collect()
    };
    match m {
        Mutation::Create { items, .. }
        | Mutation::Update { items, .. }
        | Mutation::Upsert { items, .. } => from_items(items),
        Mutation::UpdateOne { id, .. } => vec![id.clone()],
        Mutation::SetOrder { route, .. } => vec![route.clone()],
        Mutation::AddTasksToGroup { group, .. } => vec![group.clone()],
        Mutation::Remove { ids, .. }
        | Mutation::CancelTasks { ids, .. }
        | Mutation::MoveTasks { ids, .. }
        | Mutation::ReattemptTasks { ids, .. }
        | Mutation::CreateReturns { ids, .. }
        | Mutation::StartTracking { ids }
        | Mutation::ClearRoutes { ids }
        | Mutation::LockRoutes { ids }
        | Mutation::UnlockRoutes { ids }
        | Mutation::SetPlannedEtas { ids }
        | Mutation::ScheduleRouteTemplates { ids, .. }
        | Mutation::ScheduleTaskTemplates { ids, .. } => ids.clone(),
    }
}

/// Every change of the session, oldest first.
#[derive(Debug, Default, Clone)]
pub struct ActivityLog {
    entries: Vec<ActivityEntry>,
    waiting: BTreeMap<RequestId, usize>,
}

impl ActivityLog {
    /// Records a change sent as `req`.
    pub fn sent(&mut self, req: RequestId, profile: &str, m: &Mutation, at: Timestamp) {
        self.waiting.insert(req, self.entries.len());
        self.entries.push(ActivityEntry {
            at,
            profile: profile.to_string(),
            action: m.label(),
            ids: mutation_ids(m),
            result: "sent".into(),
        });
    }

    /// Records how `req` ended; the finished entry, when `req` was a change of this log.
    pub fn finished(&mut self, req: RequestId, result: String) -> Option<&ActivityEntry> {
        let i = self.waiting.remove(&req)?;
        let e = self.entries.get_mut(i)?;
        e.result = result;
        Some(e)
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[ActivityEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_sent_and_finished_changes() {
        let mut log = ActivityLog::default();
        let m = Mutation::CancelTasks {
            ids: vec!["a".into(), "b".into()],
            reason: None,
        };
        log.sent(7, "SANDBOX", &m, Timestamp::UNIX_EPOCH);
        assert_eq!(log.entries()[0].result, "sent");
        assert!(log.finished(8, "ok".into()).is_none());
        let line = log.finished(7, "ok".into()).expect("known").json_line();
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        assert_eq!(v["action"], "cancel 2 tasks");
        assert_eq!(v["ids"], json!(["a", "b"]));
        assert_eq!(v["result"], "ok");
        assert_eq!(v["profile"], "SANDBOX");
        assert!(log.finished(7, "again".into()).is_none());
    }
}
