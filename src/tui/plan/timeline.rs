//! The timeline view: one row per route over the working hours, stops as blocks at their
//! ETA as wide as their service time, time windows underneath, late stops marked, and a
//! "now" marker on today.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Widget};

use crate::tui::theme::{Theme, Tone};

use super::data::PlanData;
use super::palette::route_style;

/// Width of the name column.
const NAME_W: u16 = 16;
/// Hours shown when the routes say nothing.
const DEFAULT_HOURS: (u32, u32) = (6 * 60, 20 * 60);
/// Screen lines per route: stops, then windows.
const LINES_PER_ROUTE: u16 = 2;

/// Scroll and selection of the timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineState {
    /// Selected route.
    pub selected: usize,
    /// First route shown.
    pub top: usize,
}

impl TimelineState {
    /// Moves the selection by `d` routes among `n`, keeping it in `visible` rows.
    pub fn step(&mut self, d: isize, n: usize, visible: usize) {
        if n == 0 {
            return;
        }
        self.selected = self.selected.saturating_add_signed(d).min(n - 1);
        let visible = visible.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + visible {
            self.top = self.selected + 1 - visible;
        }
    }
}

/// The timeline widget.
pub struct TimelineView<'a> {
    /// The plan.
    pub data: &'a PlanData,
    /// Scroll and selection.
    pub state: &'a TimelineState,
    /// The minute of the day now, when the date is today.
    pub now: Option<u32>,
    /// Colours.
    pub theme: Theme,
}

/// How many routes fit in `area` (the whole widget area).
pub fn visible_routes(area: Rect) -> usize {
    (area.height.saturating_sub(3) / LINES_PER_ROUTE) as usize
}

impl TimelineView<'_> {
    /// The minutes shown: the routes' span rounded out to hours, or the default day.
    fn hours(&self) -> (u32, u32) {
        let mut lo = u32::MAX;
        let mut hi = 0;
        for r in &self.data.routes {
            for m in r.start.iter().chain(r.end.iter()) {
                lo = lo.min(*m);
                hi = hi.max(*m);
            }
            for s in &r.stops {
                if let Some(e) = s.eta {
                    lo = lo.min(e);
                    hi = hi.max(e + s.service);
                }
            }
        }
        if lo >= hi {
            return DEFAULT_HOURS;
        }
        (lo / 60 * 60, hi.div_ceil(60) * 60)
    }
}

impl Widget for TimelineView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(self.theme.border())
            .title(" Timeline ")
            .title_bottom(Line::from(" j/k route · Esc back ").right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width <= NAME_W + 4 || inner.height < 2 {
            return;
        }
        let (t0, t1) = self.hours();
        let track_x = inner.x + NAME_W;
        let track_w = inner.width - NAME_W;
        let col = |m: u32| -> u16 {
            let m = m.clamp(t0, t1);
            let c = u64::from(m - t0) * u64::from(track_w) / u64::from((t1 - t0).max(1));
            track_x + (c as u16).min(track_w - 1)
        };
        let muted = self.theme.tone(Tone::Muted);
        // Hour labels every few hours, so they do not collide.
        let hours = (t1 - t0) / 60;
        let every = (1..=6)
            .find(|e| hours / e * 6 <= u32::from(track_w))
            .unwrap_or(6);
        let mut h = t0;
        while h <= t1 {
            if (h - t0) / 60 % every == 0 {
                let x = col(h);
                if x + 5 <= inner.right() {
                    buf.set_string(x, inner.y, format!("{:02}:00", h / 60), muted);
                }
            }
            h += 60;
        }
        let late_style = if self.theme.has_color() {
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        let rows_y = inner.y + 1;
        let visible = ((inner.height - 1) / LINES_PER_ROUTE) as usize;
        for (row, (i, r)) in self
            .data
            .routes
            .iter()
            .enumerate()
            .skip(self.state.top)
            .take(visible)
            .enumerate()
        {
            let y = rows_y + row as u16 * LINES_PER_ROUTE;
            let selected = i == self.state.selected;
            let style = route_style(self.theme, i, selected);
            let marker = if selected { "▶" } else { " " };
            let name: String = format!("{marker}{}", r.name)
                .chars()
                .take(NAME_W as usize - 1)
                .collect();
            buf.set_string(inner.x, y, name, style);
            if let (Some(s), Some(e)) = (r.start, r.end) {
                for x in col(s)..=col(e) {
                    buf.set_string(x, y, "·", muted);
                }
            }
            for s in &r.stops {
                for &(ws, we) in &s.windows {
                    let (a, b) = (col(ws), col(we));
                    for x in a..=b {
                        buf.set_string(x, y + 1, "─", muted);
                    }
                    buf.set_string(a, y + 1, "[", muted);
                    buf.set_string(b, y + 1, "]", muted);
                }
            }
            for s in &r.stops {
                let Some(eta) = s.eta else { continue };
                let (a, b) = (col(eta), col(eta + s.service).max(col(eta)));
                let (sym, st) = if s.late && !self.theme.has_color() {
                    ("!", late_style)
                } else if s.late {
                    ("█", late_style)
                } else {
                    ("█", style)
                };
                for x in a..=b.max(a) {
                    buf.set_string(x, y, sym, st);
                }
            }
        }
        if let Some(now) = self.now.filter(|n| (t0..=t1).contains(n)) {
            let x = col(now);
            let st = if self.theme.has_color() {
                Style::new().fg(Color::Yellow)
            } else {
                Style::new().add_modifier(Modifier::BOLD)
            };
            for y in rows_y..inner.bottom() {
                if buf[(x, y)].symbol() == " " {
                    buf.set_string(x, y, "│", st);
                }
            }
        }
    }
}
