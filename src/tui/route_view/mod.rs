//! The route detail: one route of the working date with its stops in order, joined to their
//! tasks by the planning data layer, and a stop order that can be changed before saving.

pub mod order;
pub mod stops;

use std::sync::Arc;

use serde_json::Value;

use crate::actor::{Command, ListKey, RequestId};
use crate::api::items::Items;
use crate::tui::keymap::Action;
use crate::tui::plan::data::{Leg, PlanData, PlanRoute, PlanStop};
use order::StopOrder;

/// What a key did in the route detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopMove {
    /// The stop moved.
    Moved,
    /// It is already first or last, or there is no stop.
    AtEnd,
    /// The route is locked: the server would refuse the new order.
    Locked,
    /// The swap would move a stop that keeps its place (why, in words).
    Kept(String),
}

/// An open route detail.
#[derive(Debug, Clone)]
pub struct RouteView {
    /// The route's `_id` or UID, as asked for.
    route: String,
    /// The routes and the tasks of the route's date, in that order.
    keys: [ListKey; 2],
    lists: [Option<Vec<Value>>; 2],
    found: Option<PlanRoute>,
    order: Option<StopOrder>,
    selected: usize,
    /// Esc was pressed once over an unsaved order; the next Esc throws it away.
    discard_armed: bool,
    /// Why an unsaved order was dropped, shown until the next change.
    notice: Option<String>,
}

impl RouteView {
    /// A detail of `route` drawing from the routes and tasks lists `keys` (in that order).
    pub fn new(route: String, keys: [ListKey; 2]) -> RouteView {
        RouteView {
            route,
            keys,
            lists: [None, None],
            found: None,
            order: None,
            selected: 0,
            discard_armed: false,
            notice: None,
        }
    }

    /// The route's `_id` or UID, as asked for.
    pub fn route_key(&self) -> &str {
        &self.route
    }

    /// The lists the view draws from.
    pub fn keys(&self) -> &[ListKey] {
        &self.keys
    }

    /// The list commands that load what the view draws.
    pub fn subscribe(&self, next_req: &mut dyn FnMut() -> RequestId) -> Vec<Command> {
        Command::lists(&self.keys, next_req)
    }

    /// Takes a loaded list; true when the view uses it.
    pub fn on_loaded(&mut self, key: &ListKey, items: &Arc<Items>) -> bool {
        let Some(i) = self.keys.iter().position(|k| k == key) else {
            return false;
        };
        self.lists[i] = Some(items.values().collect());
        if self.lists.iter().any(Option::is_none) {
            return true;
        }
        let list = |i: usize| self.lists[i].as_deref().unwrap_or(&[]);
        let data = PlanData::build(list(0), list(1), &[]);
        let found = data
            .routes
            .into_iter()
            .find(|r| r.id == self.route || r.uid.as_deref() == Some(self.route.as_str()));
        if let Some(order) = self.order.take() {
            let keys = |r: Option<&PlanRoute>| -> Vec<Option<String>> {
                r.map(|r| r.stops.iter().map(|s| s.task_id.clone()).collect())
                    .unwrap_or_default()
            };
            let (old, new) = (keys(self.found.as_ref()), keys(found.as_ref()));
            self.order = order.carry_over(&old, &new);
            if self.order.is_none() && !saved(&order, &old, &new) {
                self.notice =
                    Some("The route changed on the server; the unsaved order was dropped".into());
            }
        }
        self.found = found;
        let n = self.stop_count();
        self.selected = self.selected.min(n.saturating_sub(1));
        true
    }

    /// The route, once its lists are loaded and while it exists.
    pub fn route(&self) -> Option<&PlanRoute> {
        self.found.as_ref()
    }

    /// Whether both lists have arrived.
    pub fn is_loaded(&self) -> bool {
        self.lists.iter().all(Option::is_some)
    }

    fn stop_count(&self) -> usize {
        self.found.as_ref().map_or(0, |r| r.stops.len())
    }

    /// The stops in the order shown (the unsaved order, if any).
    pub fn stops(&self) -> Vec<&PlanStop> {
        let Some(r) = &self.found else {
            return Vec::new();
        };
        match &self.order {
            Some(o) => o
                .positions()
                .iter()
                .filter_map(|p| r.stops.get(*p))
                .collect(),
            None => r.stops.iter().collect(),
        }
    }

    /// Position of the selected stop in the order shown.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected stop.
    pub fn selected_stop(&self) -> Option<&PlanStop> {
        self.stops().get(self.selected).copied()
    }

    /// Why an unsaved order was dropped, if it was.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Moves the selection; false for actions that are not movements.
    pub fn navigate(&mut self, action: Action, page: usize) -> bool {
        let last = self.stop_count().saturating_sub(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(last),
            Action::Up => self.selected.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageDown => (self.selected + page.max(1)).min(last),
            Action::PageUp => self.selected.saturating_sub(page.max(1)),
            _ => return false,
        };
        true
    }

    /// Moves the selected stop one place (`-1` earlier, `1` later), keeping it selected.
    pub fn move_stop(&mut self, delta: isize) -> StopMove {
        let n = self.stop_count();
        if self.found.as_ref().is_some_and(|r| r.locked) {
            return StopMove::Locked;
        }
        if let Some(why) = self.kept_in_place(delta) {
            return StopMove::Kept(why);
        }
        let order = self.order.get_or_insert_with(|| StopOrder::identity(n));
        let moved = order.shift(self.selected, delta);
        if order.is_identity() {
            self.order = None;
        }
        self.discard_armed = false;
        self.notice = None;
        match moved {
            Some(to) => {
                self.selected = to;
                StopMove::Moved
            }
            None => StopMove::AtEnd,
        }
    }

    /// Why the selected stop cannot swap with its neighbour `delta` places away: a stop the
    /// driver has started or finished keeps its place (the server would re-time what already
    /// happened), and a pickup stays before its own delivery.
    fn kept_in_place(&self, delta: isize) -> Option<String> {
        let stops = self.stops();
        let here = *stops.get(self.selected)?;
        let there = *stops.get(self.selected.checked_add_signed(delta)?)?;
        for s in [here, there] {
            if let Some(state) = s.state.filter(|st| st.leg_started(s.leg == Leg::Pickup)) {
                return Some(format!(
                    "{} is {} and keeps its place",
                    s.label,
                    state.label().to_lowercase()
                ));
            }
        }
        let same_task = here.task_id.is_some() && here.task_id == there.task_id;
        let (first, second) = if delta < 0 {
            (there, here)
        } else {
            (here, there)
        };
        (same_task && first.leg == Leg::Pickup && second.leg == Leg::Delivery)
            .then(|| format!("{}: the pickup stays before its delivery", here.label))
    }

    /// The task keys in the unsaved order, when the order was changed and every stop
    /// names its task.
    pub fn unsaved_order(&self) -> Option<Vec<String>> {
        self.order.as_ref()?;
        self.stops().iter().map(|s| s.task_id.clone()).collect()
    }

    /// Whether the order shown differs from the server's.
    pub fn has_unsaved_order(&self) -> bool {
        self.order.is_some()
    }

    /// Esc: true when the view may close; over an unsaved order the first Esc only warns.
    pub fn may_close(&mut self) -> bool {
        if self.order.is_none() || self.discard_armed {
            return true;
        }
        self.discard_armed = true;
        false
    }

    /// Whether the next Esc discards the unsaved order.
    pub fn discard_armed(&self) -> bool {
        self.discard_armed
    }
}

/// Whether the server's new order is the unsaved one (so it was saved, not lost).
fn saved(order: &StopOrder, old: &[Option<String>], new: &[Option<String>]) -> bool {
    old.len() == new.len()
        && order
            .positions()
            .iter()
            .zip(new)
            .all(|(p, key)| old.get(*p) == Some(key))
}

#[cfg(test)]
mod tests;
