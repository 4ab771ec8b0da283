//! Jumps between linked items inside [`App`]: from a task to its route (`gr`) or driver
//! (`gd`), from a route to its driver, from a stop to its task, and back again.

use serde_json::Value;

use crate::api::paths::Collection;

use super::App;
use crate::tui::jump_history::{Place, PlaceView};
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::screens::collection::View;
use crate::tui::value_fmt::text;

/// The first of `paths` that holds a non-empty string.
fn first_text(v: &Value, paths: &[&str]) -> Option<String> {
    paths
        .iter()
        .find_map(|p| text(v, p).filter(|s| !s.is_empty()))
        .map(str::to_string)
}

impl App {
    /// Where the console is now, to come back to.
    pub(super) fn place(&self) -> Place {
        let s = self.screen();
        let view = match (&self.route_view, s.view()) {
            (Some(r), _) => PlaceView::Route(r.route_key().to_string()),
            (None, View::Item(_)) => PlaceView::Item,
            (None, View::Table) => PlaceView::Table,
        };
        Place {
            collection: s.collection(),
            selected: s
                .current_item()
                .and_then(|i| s.resource().id(i))
                .map(str::to_string),
            view,
        }
    }

    /// `gr`, `gd` and going back.
    pub(super) fn on_jump(&mut self, action: Action) -> Vec<Effect> {
        let label = self.ctx.keymap.label(action);
        match action {
            Action::JumpBack => match self.jumps.back() {
                Some(place) => self.go_to(place),
                None => self.refuse("No jump to go back from".into()),
            },
            Action::JumpToRoute => {
                match self.linked(&["assignment.routeId", "assignment.routeUID"]) {
                    Some(route) => self.jump_to(Collection::Routes, route, true),
                    None => self.refuse(format!("{label}: no task on a route selected")),
                }
            }
            Action::JumpToDriver => {
                let driver = match self.route_view.as_ref().and_then(|v| v.route()) {
                    Some(r) => r.driver_id.clone().or(r.driver_uid.clone()),
                    None if self.route_view.is_some() => None,
                    None => self.linked(&[
                        "assignment.assignee._id",
                        "assignment.assignee.uid",
                        "assignee._id",
                        "assignee.uid",
                    ]),
                };
                match driver {
                    Some(d) => self.jump_to(Collection::Drivers, d, false),
                    None => self.refuse(format!("{label}: no driver here")),
                }
            }
            _ => Vec::new(),
        }
    }

    /// A link of the selected task or route (not in the route detail).
    fn linked(&self, paths: &[&str]) -> Option<String> {
        if self.route_view.is_some() {
            return None;
        }
        let s = self.screen();
        if !matches!(s.collection(), Collection::Tasks | Collection::Routes) {
            return None;
        }
        s.current_item().and_then(|i| first_text(i, paths))
    }

    /// Shows the item `key` of `collection` and remembers where the jump came from. Routes
    /// open in the route detail; other items are selected, and opened when `open`.
    pub(super) fn jump_to(
        &mut self,
        collection: Collection,
        key: String,
        open: bool,
    ) -> Vec<Effect> {
        let from = self.place();
        let view = match (collection, open) {
            (Collection::Routes, true) => PlaceView::Route(key.clone()),
            (_, true) => PlaceView::Item,
            _ => PlaceView::Table,
        };
        let to = Place {
            collection,
            selected: Some(key),
            view,
        };
        // The place aimed at, not the one drawn now: an item still loading opens later.
        self.jumps.push(from, to.clone());
        self.go_to(to)
    }

    /// Shows a place: its tab, its selected item, and what was open there.
    fn go_to(&mut self, place: Place) -> Vec<Effect> {
        let mut out = self.close_route_view();
        let i = Collection::ALL
            .iter()
            .position(|c| *c == place.collection)
            .unwrap_or(self.active);
        out.extend(self.switch_tab(i));
        let active = self.active;
        if let Some(key) = &place.selected {
            let open = place.view == PlaceView::Item;
            let found = self.screens[active].select_key(key, open, &self.ctx);
            if !found {
                let what = place.collection.singular().replace('-', " ");
                self.refuse(format!("No {what} {key} in this list"));
            }
        }
        if let PlaceView::Route(route) = place.view {
            out.extend(self.open_route_view(route));
        } else if place.view == PlaceView::Table {
            self.screens[active].show_table();
        }
        out
    }
}
