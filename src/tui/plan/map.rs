//! The map view: the working date's routes on a braille canvas, with zoom, pan, fit and a
//! selected route drawn bold on top.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{Canvas, Context as Paint, Line as Segment, Points};
use ratatui::widgets::{Block, Borders, Widget};

use crate::tui::theme::Theme;

use super::data::{PlanData, PlanRoute};
use super::palette::{route_color, route_style};

/// Share of the view one pan key moves.
const PAN_STEP: f64 = 0.1;
/// Factor of one zoom key.
const ZOOM_STEP: f64 = 1.5;

/// What the map shows: zoom and pan relative to the fitted view, and the selected route.
#[derive(Debug, Clone, PartialEq)]
pub struct MapState {
    /// 1 is fit-to-routes; larger is closer.
    pub zoom: f64,
    /// Offset of the centre, in fitted-view widths and heights.
    pub pan: (f64, f64),
    /// Index of the selected route.
    pub selected: usize,
}

impl Default for MapState {
    fn default() -> Self {
        MapState {
            zoom: 1.0,
            pan: (0.0, 0.0),
            selected: 0,
        }
    }
}

/// A map move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapMove {
    /// Closer.
    ZoomIn,
    /// Farther.
    ZoomOut,
    /// Pan by one step (dx, dy in -1..=1, y up).
    Pan(i8, i8),
    /// Back to fit-to-routes.
    Fit,
    /// Next route.
    NextRoute,
    /// Previous route.
    PrevRoute,
}

impl MapState {
    /// Applies a move; `routes` is the number of routes.
    pub fn apply(&mut self, m: MapMove, routes: usize) {
        match m {
            MapMove::ZoomIn => self.zoom = (self.zoom * ZOOM_STEP).min(4096.0),
            MapMove::ZoomOut => self.zoom = (self.zoom / ZOOM_STEP).max(0.05),
            MapMove::Pan(dx, dy) => {
                self.pan.0 += f64::from(dx) * PAN_STEP / self.zoom;
                self.pan.1 += f64::from(dy) * PAN_STEP / self.zoom;
            }
            MapMove::Fit => {
                self.zoom = 1.0;
                self.pan = (0.0, 0.0);
            }
            MapMove::NextRoute if routes > 0 => self.selected = (self.selected + 1) % routes,
            MapMove::PrevRoute if routes > 0 => {
                self.selected = (self.selected + routes - 1) % routes
            }
            MapMove::NextRoute | MapMove::PrevRoute => {}
        }
    }
}

/// Equirectangular projection around `lat0`: x shrinks by cos(latitude).
#[derive(Debug, Clone, Copy)]
struct Projection {
    cos_lat: f64,
}

impl Projection {
    fn xy(self, (lon, lat): (f64, f64)) -> (f64, f64) {
        (lon * self.cos_lat, lat)
    }
}

/// The map widget.
pub struct MapView<'a> {
    /// The plan.
    pub data: &'a PlanData,
    /// Zoom, pan, selection.
    pub state: &'a MapState,
    /// Colours.
    pub theme: Theme,
}

impl MapView<'_> {
    /// The canvas bounds for an inner area of `w` × `h` cells.
    fn bounds(&self, proj: Projection, w: u16, h: u16) -> ([f64; 2], [f64; 2]) {
        let pts: Vec<(f64, f64)> = self.data.points().map(|p| proj.xy(p)).collect();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y) in &pts {
            x0 = x0.min(*x);
            x1 = x1.max(*x);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        if pts.is_empty() {
            (x0, x1, y0, y1) = (-1.0, 1.0, -1.0, 1.0);
        }
        // A terminal cell is about twice as tall as wide.
        let aspect = f64::from(h.max(1)) * 2.0 / f64::from(w.max(1));
        let span_x = ((x1 - x0).max((y1 - y0) / aspect) * 1.1).max(0.005);
        let span_y = span_x * aspect;
        let s = &self.state;
        let cx = (x0 + x1) / 2.0 + s.pan.0 * span_x;
        let cy = (y0 + y1) / 2.0 + s.pan.1 * span_y;
        let (hx, hy) = (span_x / s.zoom / 2.0, span_y / s.zoom / 2.0);
        ([cx - hx, cx + hx], [cy - hy, cy + hy])
    }

    fn draw_route(paint: &mut Paint, proj: Projection, r: &PlanRoute, color: Color) {
        let mut prev = r.start_pos.map(|p| proj.xy(p));
        let coords: Vec<(f64, f64)> = r
            .stops
            .iter()
            .filter_map(|s| s.pos.map(|p| proj.xy(p)))
            .collect();
        for &(x, y) in &coords {
            if let Some((px, py)) = prev {
                paint.draw(&Segment::new(px, py, x, y, color));
            }
            prev = Some((x, y));
        }
        paint.draw(&Points {
            coords: &coords,
            color,
        });
    }

    fn canvas<'b>(
        &'b self,
        proj: Projection,
        xb: [f64; 2],
        yb: [f64; 2],
        only: Option<usize>,
    ) -> Canvas<'b, impl Fn(&mut Paint) + 'b> {
        let theme = self.theme;
        Canvas::default()
            .marker(Marker::Braille)
            .x_bounds(xb)
            .y_bounds(yb)
            .paint(move |p| {
                for (i, r) in self.data.routes.iter().enumerate() {
                    if only.is_none_or(|o| o == i) {
                        Self::draw_route(p, proj, r, route_color(theme, i));
                    }
                }
                if only.is_none() {
                    p.layer();
                    for d in &self.data.depots {
                        let (x, y) = proj.xy(d.pos);
                        p.print(x, y, Span::styled("D", Style::new().bold()));
                    }
                }
            })
    }
}

impl Widget for MapView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let sel = self.data.routes.get(self.state.selected);
        let title = match sel {
            Some(r) => Line::from(vec![
                Span::raw(" Map · "),
                Span::styled(
                    format!(
                        "{} ({})",
                        r.name,
                        crate::api::paths::count(r.stops.len(), "stop")
                    ),
                    route_style(self.theme, self.state.selected, true),
                ),
                Span::raw(" "),
            ]),
            None => Line::from(" Map · no routes on this date "),
        };
        let hint =
            Line::from(" +/- zoom · hjkl pan · f fit · n/N route · Esc back ").right_aligned();
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(self.theme.border())
            .title(title)
            .title_bottom(hint);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width == 0 || inner.height == 0 {
            return;
        }
        let mut sum = 0.0;
        let mut n = 0.0;
        for (_, lat) in self.data.points() {
            sum += lat;
            n += 1.0;
        }
        let lat0 = if n > 0.0 { sum / n } else { 0.0 };
        let proj = Projection {
            cos_lat: lat0.to_radians().cos().abs().max(0.01),
        };
        let (xb, yb) = self.bounds(proj, inner.width, inner.height);
        self.canvas(proj, xb, yb, None).render(inner, buf);
        // The selected route again, on top and bold, so it stands out without colour too.
        if sel.is_some() {
            let mut top = Buffer::empty(inner);
            self.canvas(proj, xb, yb, Some(self.state.selected))
                .render(inner, &mut top);
            let style = route_style(self.theme, self.state.selected, true);
            for y in inner.top()..inner.bottom() {
                for x in inner.left()..inner.right() {
                    let sym = top[(x, y)].symbol();
                    if sym != " " && sym != "\u{2800}" {
                        let sym = sym.to_string();
                        buf[(x, y)].set_symbol(&sym).set_style(style);
                    }
                }
            }
        }
    }
}
