//! Draws the route detail: a header with driver, vehicle, times and lock, then the stops in
//! order with their windows, ETAs, service time and state. A late stop is painted in the
//! "bad" tone and also marked `!` and `LATE`, so it shows without colour too.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::api::model::{TimeWindow, fmt_minutes};
use crate::tui::keymap::{Action, Keymap};
use crate::tui::plan::data::PlanStop;
use crate::tui::resource::{Column, Resource};
use crate::tui::resources::tasks::{STATE, Tasks};
use crate::tui::theme::{Theme, Tone};
use crate::tui::value_fmt::km;
use crate::tui::widgets::table::{column_widths, put};

use super::RouteView;

const COLUMNS: &[Column] = &[
    Column::text("", 1),
    Column::number("#", 3),
    Column::text("Reference", 14),
    Column::text("Leg", 8),
    Column::flex("Customer / location", 16),
    Column::text("Time windows", 17),
    Column::text("ETA", 5),
    Column::text("Planned", 7),
    Column::number("Svc", 4),
    Column::text("State", 16),
    Column::text("Late", 4),
];

/// Indexes into [`COLUMNS`] of the cells painted by meaning.
const MARK_COL: usize = 0;
const ETA_COL: usize = 6;
const STATE_COL: usize = 9;
const LATE_COL: usize = 10;

/// Lines above the stops table: two header lines, a notice line and a gap.
const HEADER_LINES: u16 = 4;

/// Rows of stops visible in a detail drawn in `area`.
pub fn stop_rows(area: Rect) -> usize {
    area.height.saturating_sub(2 + HEADER_LINES + 1) as usize
}

/// The route detail in a frame.
pub struct RouteDetailView<'a> {
    /// The view.
    pub view: &'a RouteView,
    /// Keys, for the hints.
    pub keymap: &'a Keymap,
    /// Colours.
    pub theme: Theme,
}

fn clock(m: Option<u32>) -> String {
    m.map(fmt_minutes).unwrap_or_default()
}

/// First window and how many more: `08:00–10:00 +1`.
fn windows(ws: &[(u32, u32)]) -> String {
    match ws.split_first() {
        None => String::new(),
        Some(((s, e), [])) => TimeWindow::new(*s, *e).to_string(),
        Some(((s, e), rest)) => format!("{} +{}", TimeWindow::new(*s, *e), rest.len()),
    }
}

fn cells(n: usize, s: &PlanStop) -> [String; 11] {
    let state = s.state.map(|st| st.label().to_string()).unwrap_or_default();
    [
        if s.late { "!" } else { "" }.to_string(),
        n.to_string(),
        s.label.clone(),
        s.leg.label().to_string(),
        s.name.clone(),
        windows(&s.windows),
        clock(s.eta),
        clock(s.planned_eta),
        s.service.to_string(),
        state,
        if s.late { "LATE" } else { "" }.to_string(),
    ]
}

impl RouteDetailView<'_> {
    fn title(&self) -> String {
        let v = self.view;
        let uid = v
            .route()
            .and_then(|r| r.uid.clone())
            .unwrap_or_else(|| v.route_key().to_string());
        match v.route() {
            Some(r) => format!(" Route {uid} · {} ", r.name),
            None => format!(" Route {uid} "),
        }
    }

    fn footer(&self) -> String {
        let k = |a| self.keymap.label(a);
        format!(
            " {}/{} move · {} save · {} lock · {} clear · {} ETAs · {} task · {} driver · {} back ",
            k(Action::MoveStopUp),
            k(Action::MoveStopDown),
            k(Action::SaveOrder),
            k(Action::ToggleLock),
            k(Action::ClearRoute),
            k(Action::SetPlannedEtas),
            k(Action::Open),
            k(Action::JumpToDriver),
            k(Action::Back),
        )
    }

    fn header(&self) -> Vec<Line<'static>> {
        let t = self.theme;
        let Some(r) = self.view.route() else {
            return Vec::new();
        };
        let field = |name: &str| Span::styled(format!("{name} "), t.field_name());
        let span = match (r.start, r.end) {
            (Some(a), Some(b)) => format!("{}–{}", fmt_minutes(a), fmt_minutes(b)),
            (Some(a), None) => format!("{}–", fmt_minutes(a)),
            _ => "–".into(),
        };
        let first = Line::from(vec![
            field("Driver"),
            Span::raw(format!("{}   ", r.name)),
            field("Vehicle"),
            Span::raw(format!("{}   ", r.vehicle.clone().unwrap_or_default())),
            field("Start–end"),
            Span::raw(format!("{span}   ")),
            field("Locked"),
            if r.locked {
                Span::styled("LOCKED", t.tone(Tone::Warn))
            } else {
                Span::raw("no")
            },
        ]);
        let late = r.stops.iter().filter(|s| s.late).count();
        let mut second = vec![
            field("Stops"),
            Span::raw(format!("{}   ", r.stops.len())),
            field("Late"),
            Span::styled(
                format!("{late}   "),
                t.tone(if late > 0 { Tone::Bad } else { Tone::Normal }),
            ),
            field("Distance"),
            Span::raw(format!("{}   ", r.distance_m.map(km).unwrap_or_default())),
            field("Duration"),
            Span::raw(
                r.duration_min
                    .map(|m| fmt_minutes(m.max(0.0).round() as u32))
                    .unwrap_or_default(),
            ),
        ];
        if r.locked {
            second.push(Span::styled(
                format!(
                    "   unlock ({}) to re-order",
                    self.keymap.label(Action::ToggleLock)
                ),
                t.tone(Tone::Muted),
            ));
        }
        let notice = if self.view.has_unsaved_order() {
            let again = if self.view.discard_armed() {
                format!("{} again discards it", self.keymap.label(Action::Back))
            } else {
                "ETAs are recomputed on save".into()
            };
            Line::from(Span::styled(
                format!(
                    "UNSAVED ORDER — {} saves it; {again}",
                    self.keymap.label(Action::SaveOrder)
                ),
                t.tone(Tone::Warn),
            ))
        } else {
            match self.view.notice() {
                Some(n) => Line::from(Span::styled(n.to_string(), t.tone(Tone::Warn))),
                None => Line::raw(""),
            }
        };
        vec![first, Line::from(second), notice]
    }

    fn message(&self) -> Option<String> {
        let v = self.view;
        if !v.is_loaded() {
            return Some("Loading the route and its tasks…".into());
        }
        match v.route() {
            None => Some(format!(
                "Route {} is not in the list of this date (deleted, or another date).",
                v.route_key()
            )),
            Some(r) if r.stops.is_empty() => Some("No stops on this route.".into()),
            Some(_) => None,
        }
    }
}

impl Widget for RouteDetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let block = Block::bordered()
            .border_style(t.border())
            .title(Line::from(self.title()).style(t.heading()))
            .title_bottom(Line::from(self.footer()).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height == 0 || inner.width == 0 {
            return;
        }
        let header = self.header();
        Paragraph::new(header).render(
            Rect {
                height: HEADER_LINES.min(inner.height),
                ..inner
            },
            buf,
        );
        let table = Rect {
            y: inner.y + HEADER_LINES.min(inner.height),
            height: inner.height.saturating_sub(HEADER_LINES),
            ..inner
        };
        if let Some(m) = self.message() {
            Paragraph::new(Span::styled(m, t.tone(Tone::Muted)))
                .wrap(Wrap { trim: true })
                .render(table, buf);
            return;
        }
        if table.height == 0 {
            return;
        }
        let widths = column_widths(COLUMNS, table.width);
        let mut x = table.x;
        buf.set_style(Rect { height: 1, ..table }, t.header());
        for (c, w) in COLUMNS.iter().zip(&widths) {
            put(buf, x, table.y, c.title, *w, t.header());
            x = x.saturating_add(w + 1);
        }
        let stops = self.view.stops();
        let rows = table.height.saturating_sub(1) as usize;
        let selected = self.view.selected();
        let offset = (selected + 1).saturating_sub(rows.max(1));
        for (line, (n, s)) in stops.iter().enumerate().skip(offset).take(rows).enumerate() {
            let y = table.y + 1 + line as u16;
            let is_selected = n == selected;
            if is_selected {
                buf.set_style(Rect::new(table.x, y, table.width, 1), t.selected());
            }
            let mut x = table.x;
            for (i, (text, w)) in cells(n + 1, s).iter().zip(&widths).enumerate() {
                let tone = match i {
                    MARK_COL | ETA_COL | LATE_COL if s.late => Tone::Bad,
                    STATE_COL => Tasks.tone(STATE, text),
                    _ => Tone::Normal,
                };
                let mut style = t.tone(tone);
                if is_selected {
                    style = style.patch(t.selected());
                }
                put(buf, x, y, text, *w, style);
                x = x.saturating_add(w + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn painted_column_indexes_name_their_columns() {
        assert_eq!(COLUMNS[MARK_COL].title, "");
        assert_eq!(COLUMNS[ETA_COL].title, "ETA");
        assert_eq!(COLUMNS[STATE_COL].title, "State");
        assert_eq!(COLUMNS[LATE_COL].title, "Late");
    }
}
