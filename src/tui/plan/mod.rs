//! The planning views over the working date: the map, the timeline and the Optimize screen.
//! Each is a full-body view on top of the tabs; it loads the routes, tasks and depots it
//! needs through the usual list commands and closes with `Esc`.

pub mod data;
pub mod map;
pub mod palette;
pub mod timeline;

use std::sync::Arc;

use crate::api::items::Items;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use serde_json::Value;

use crate::actor::{Command, Event, ListKey, RequestId};

use super::screens::optimize::{OptOutcome, OptimizeScreen};
use super::theme::Theme;
use data::PlanData;
use map::{MapMove, MapState, MapView};
use timeline::{TimelineState, TimelineView, visible_routes};

/// Which planning view is open.
#[derive(Debug, Clone)]
pub enum PlanKind {
    /// The map.
    Map(MapState),
    /// The timeline.
    Timeline(TimelineState),
    /// The Optimize screen.
    Optimize(Box<OptimizeScreen>),
}

/// An open planning view with the lists it draws from.
#[derive(Debug, Clone)]
pub struct PlanView {
    kind: PlanKind,
    /// Routes, tasks and depots, in that order.
    keys: [ListKey; 3],
    lists: [Option<Arc<Vec<Value>>>; 3],
    data: PlanData,
}

impl PlanView {
    /// A view drawing from the routes, tasks and depots lists `keys` (in that order).
    pub fn new(kind: PlanKind, keys: [ListKey; 3]) -> PlanView {
        PlanView {
            kind,
            keys,
            lists: [None, None, None],
            data: PlanData::default(),
        }
    }

    /// The view.
    pub fn kind(&self) -> &PlanKind {
        &self.kind
    }

    /// Whether the view shows the working date and so follows it when it changes (the
    /// Optimize screen keeps the scope it was opened with).
    pub fn follows_date(&self) -> bool {
        !matches!(self.kind, PlanKind::Optimize(_))
    }

    /// The lists the view draws from.
    pub fn keys(&self) -> &[ListKey] {
        &self.keys
    }

    /// The joined plan.
    pub fn data(&self) -> &PlanData {
        &self.data
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
        // A date's routes, tasks and depots: small enough to hold parsed.
        self.lists[i] = Some(Arc::new(items.values().collect()));
        let list = |i: usize| self.lists[i].as_deref().map_or(&[][..], Vec::as_slice);
        self.data = PlanData::build(list(0), list(1), list(2));
        true
    }

    /// Takes an optimization event; true when it was this view's.
    pub fn on_event(&mut self, ev: &Event) -> bool {
        match &mut self.kind {
            PlanKind::Optimize(o) => o.on_event(ev),
            _ => false,
        }
    }

    /// Whether something moves on screen (a job runs).
    pub fn is_busy(&self) -> bool {
        matches!(&self.kind, PlanKind::Optimize(o) if o.is_busy())
    }

    /// Handles a key; `body` is the area the view is drawn in.
    pub fn on_key(
        &mut self,
        key: &KeyEvent,
        body: Rect,
        next_req: &mut dyn FnMut() -> RequestId,
    ) -> OptOutcome {
        let n = self.data.routes.len();
        match &mut self.kind {
            PlanKind::Optimize(o) => o.on_key(key, next_req),
            PlanKind::Map(m) => {
                let mv = match key.code {
                    KeyCode::Esc => return OptOutcome::Close,
                    KeyCode::Char('+' | '=') => MapMove::ZoomIn,
                    KeyCode::Char('-') => MapMove::ZoomOut,
                    KeyCode::Char('h') | KeyCode::Left => MapMove::Pan(-1, 0),
                    KeyCode::Char('l') | KeyCode::Right => MapMove::Pan(1, 0),
                    KeyCode::Char('k') | KeyCode::Up => MapMove::Pan(0, 1),
                    KeyCode::Char('j') | KeyCode::Down => MapMove::Pan(0, -1),
                    KeyCode::Char('f') => MapMove::Fit,
                    KeyCode::Char('n') | KeyCode::Tab => MapMove::NextRoute,
                    KeyCode::Char('N') | KeyCode::BackTab => MapMove::PrevRoute,
                    _ => return OptOutcome::Ignored,
                };
                m.apply(mv, n);
                OptOutcome::Stay
            }
            PlanKind::Timeline(t) => {
                let visible = visible_routes(body);
                let shift = key.modifiers.contains(KeyModifiers::SHIFT);
                match key.code {
                    KeyCode::Esc => return OptOutcome::Close,
                    KeyCode::Char('j') | KeyCode::Down | KeyCode::Char('n') => {
                        t.step(1, n, visible)
                    }
                    KeyCode::Tab if !shift => t.step(1, n, visible),
                    KeyCode::Char('k') | KeyCode::Up | KeyCode::Char('N') | KeyCode::BackTab => {
                        t.step(-1, n, visible)
                    }
                    _ => return OptOutcome::Ignored,
                }
                OptOutcome::Stay
            }
        }
    }

    /// Draws the view in `area`; `now` is the minute of the day when the date is today.
    pub fn render(&self, frame: &mut Frame, area: Rect, theme: Theme, now: Option<u32>) {
        match &self.kind {
            PlanKind::Map(state) => frame.render_widget(
                MapView {
                    data: &self.data,
                    state,
                    theme,
                },
                area,
            ),
            PlanKind::Timeline(state) => frame.render_widget(
                TimelineView {
                    data: &self.data,
                    state,
                    now,
                    theme,
                },
                area,
            ),
            PlanKind::Optimize(o) => o.render(frame, area, &self.data, theme),
        }
    }
}

#[cfg(test)]
mod snapshot_tests;
