//! The route detail inside [`App`]: opening and closing it, its keys, and the route changes
//! (lock, clear, planned ETAs, stop order) from the Routes table or the detail.

use serde_json::Value;

use crate::actor::Mutation;
use crate::api::paths::Collection;

use super::App;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::route_view::stops::stop_rows;
use crate::tui::route_view::{RouteView, StopMove};
use crate::tui::screens::collection::View;
use crate::tui::widgets::toast::Level;

/// Whether an action would close the route detail (and so lose an unsaved order).
fn leaves_the_view(a: Action) -> bool {
    matches!(
        a,
        Action::Open
            | Action::JumpToRoute
            | Action::JumpToDriver
            | Action::JumpBack
            | Action::GoTab(_)
            | Action::NextTab
            | Action::PrevTab
            | Action::PrevDay
            | Action::NextDay
            | Action::Today
            | Action::DatePrompt
            | Action::CommandMode
            | Action::FilterMode
    )
}

impl App {
    /// The open route detail, if any.
    pub fn route_view(&self) -> Option<&RouteView> {
        self.route_view.as_ref()
    }

    /// Opens the detail of `route` (`_id` or UID) at the working date and loads its lists.
    pub(super) fn open_route_view(&mut self, route: String) -> Vec<Effect> {
        let mut out = self.close_route_view();
        let mut view = RouteView::new(
            route,
            [
                self.list_key(Collection::Routes),
                self.list_key(Collection::Tasks),
            ],
        );
        let cmds = view.subscribe(&mut || {
            let r = self.next_req;
            self.next_req += 1;
            r
        });
        // Lists a tab already shows draw the detail at once; the answers refresh it.
        for key in view.keys().to_vec() {
            if let Some(items) = self.screens.iter().find_map(|s| s.items_of(&key)) {
                view.on_loaded(&key, &items);
            }
        }
        self.route_view = Some(view);
        self.dirty = true;
        out.extend(cmds.into_iter().map(Effect::Send));
        out
    }

    /// Closes the route detail; lists that no tab or view still shows stop being watched.
    pub(super) fn close_route_view(&mut self) -> Vec<Effect> {
        let Some(view) = self.route_view.take() else {
            return Vec::new();
        };
        self.dirty = true;
        view.keys()
            .iter()
            .filter(|k| {
                !self.screens.iter().any(|s| s.watch() == Some(*k))
                    && !self.plan.as_ref().is_some_and(|p| p.keys().contains(*k))
            })
            .map(|k| Effect::Send(crate::actor::Command::Unwatch { key: k.clone() }))
            .collect()
    }

    /// A key action while the route detail is open; `None` when it is not the detail's.
    pub(super) fn on_route_view_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        let page = stop_rows(self.areas().body);
        let view = self.route_view.as_mut()?;
        if view.has_unsaved_order() && leaves_the_view(action) {
            let k = &self.ctx.keymap;
            let text = format!(
                "The new stop order is not saved: {} saves it, {} twice discards it",
                k.label(Action::SaveOrder),
                k.label(Action::Back)
            );
            self.toasts.push(Level::Warn, text);
            return Some(Vec::new());
        }
        match action {
            a if view.navigate(a, page) => {}
            Action::MoveStopUp | Action::MoveStopDown => {
                let delta = if action == Action::MoveStopUp { -1 } else { 1 };
                match view.move_stop(delta) {
                    StopMove::Locked => {
                        let key = self.ctx.keymap.label(Action::ToggleLock);
                        self.toasts.push(
                            Level::Warn,
                            format!("The route is locked; unlock it ({key}) to re-order its stops"),
                        );
                    }
                    StopMove::Kept(why) => self.toasts.push(Level::Warn, why),
                    StopMove::Moved | StopMove::AtEnd => {}
                }
            }
            Action::Open => {
                let task = view.selected_stop().and_then(|s| s.task_id.clone());
                return Some(match task {
                    Some(t) => self.jump_to(Collection::Tasks, t, true),
                    None => self.refuse("No stop selected".into()),
                });
            }
            Action::Back => {
                if !view.may_close() {
                    return Some(Vec::new());
                }
                if self.jumps.arrived_at(&self.place()) {
                    return Some(self.on_jump(Action::JumpBack));
                }
                return Some(self.close_route_view());
            }
            // Table keys would act on the table hidden under the detail.
            Action::SortNext
            | Action::SortReverse
            | Action::RawJson
            | Action::Mark
            | Action::MarkAll => {}
            Action::FilterMode => {
                let mut out = self.close_route_view();
                out.extend(self.on_action(action));
                return Some(out);
            }
            _ => return None,
        }
        Some(Vec::new())
    }

    /// The routes a route action applies to: the detail's route, else the marked routes,
    /// else the selected one.
    fn route_targets(&self) -> Vec<String> {
        if let Some(v) = &self.route_view {
            let id = v.route().map_or(v.route_key(), |r| r.id.as_str());
            return vec![id.to_string()];
        }
        let s = self.screen();
        if s.collection() != Collection::Routes {
            return Vec::new();
        }
        let marked = s.marked_ids();
        if !marked.is_empty() {
            return marked;
        }
        s.current_item()
            .and_then(|i| s.resource().id(i))
            .map(|id| vec![id.to_string()])
            .unwrap_or_default()
    }

    /// Whether every route in `ids` is locked, as the console last saw them.
    fn all_locked(&self, ids: &[String]) -> bool {
        if let Some(r) = self.route_view.as_ref().and_then(RouteView::route) {
            return r.locked;
        }
        let locked: Vec<bool> = self
            .screen_of(Collection::Routes)
            .visible_items()
            .filter(|v| {
                v.get("_id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| ids.iter().any(|x| x == id))
            })
            .map(|v| v.get("locked").and_then(Value::as_bool) == Some(true))
            .collect();
        locked.len() == ids.len() && locked.iter().all(|l| *l)
    }

    /// A route change (lock, clear, ETAs, save order); `None` when `action` is not one.
    /// Read-only sessions never get here.
    pub(super) fn on_route_mutation(&mut self, action: Action) -> Option<Vec<Effect>> {
        if !matches!(
            action,
            Action::ToggleLock | Action::ClearRoute | Action::SetPlannedEtas | Action::SaveOrder
        ) {
            return None;
        }
        if action == Action::SaveOrder {
            return Some(self.save_order());
        }
        let ids = self.route_targets();
        if ids.is_empty() {
            return Some(self.refuse("No route selected".into()));
        }
        let what = if ids.len() == 1 {
            format!("route {}", self.route_label(&ids[0]))
        } else {
            format!("{} marked routes", ids.len())
        };
        let mutation = match action {
            Action::ToggleLock if self.all_locked(&ids) => Mutation::UnlockRoutes { ids },
            Action::ToggleLock => Mutation::LockRoutes { ids },
            Action::SetPlannedEtas => Mutation::SetPlannedEtas { ids },
            _ => {
                self.ask(
                    "Clear route".into(),
                    format!("Clear {what}? Its stops not yet started are taken off the route."),
                    Mutation::ClearRoutes { ids },
                );
                return Some(Vec::new());
            }
        };
        Some(vec![self.send(mutation).1])
    }

    /// The route's UID for messages, when the console knows it.
    fn route_label(&self, id: &str) -> String {
        let uid = match &self.route_view {
            Some(v) => v.route().and_then(|r| r.uid.clone()),
            None => self
                .screen()
                .current_item()
                .and_then(|i| i.get("uid").and_then(Value::as_str))
                .map(str::to_string),
        };
        uid.unwrap_or_else(|| id.to_string())
    }

    fn save_order(&mut self) -> Vec<Effect> {
        let Some(view) = &self.route_view else {
            let open = self.ctx.keymap.label(Action::Open);
            return self.refuse(format!("Open a route ({open}) to re-order its stops"));
        };
        if !view.has_unsaved_order() {
            return self.refuse("The stop order is unchanged".into());
        }
        let route = view
            .route()
            .map_or(view.route_key(), |r| r.id.as_str())
            .to_string();
        match view.unsaved_order() {
            Some(tasks) => vec![self.send(Mutation::SetOrder { route, tasks }).1],
            None => {
                self.refuse("A stop of this route names no task; the order cannot be sent".into())
            }
        }
    }

    /// Whether the route detail is what the Routes tab shows.
    pub(super) fn routes_table_shown(&self) -> bool {
        self.route_view.is_none()
            && self.active_collection() == Collection::Routes
            && matches!(self.screen().view(), View::Table)
    }
}
