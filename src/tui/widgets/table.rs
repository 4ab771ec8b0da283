//! The collection table. It draws only the rows on screen (`offset..offset + height`), from
//! cell text formatted when the data arrived, so a frame costs the same for 10 or 100,000 rows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use crate::tui::resource::{Column, Resource};
use crate::tui::rows::{Rows, Sort};
use crate::tui::theme::Theme;

/// Space between columns.
const GAP: u16 = 1;

/// Column widths for `width` cells: fixed columns as declared, grown towards their `max`
/// while there is room, the flexible one takes what is left, and columns that do not fit at
/// all get 0.
pub fn column_widths(columns: &[Column], width: u16) -> Vec<u16> {
    let needed: u16 = columns
        .iter()
        .map(|c| c.width)
        .sum::<u16>()
        .saturating_add(GAP * columns.len().saturating_sub(1) as u16);
    let mut widths: Vec<u16> = columns.iter().map(|c| c.width).collect();
    if width >= needed {
        let mut spare = width - needed;
        for (w, c) in widths.iter_mut().zip(columns) {
            let grow = c.max.saturating_sub(c.width).min(spare);
            *w += grow;
            spare -= grow;
        }
        match columns.iter().position(|c| c.flex) {
            Some(i) => widths[i] += spare,
            None => {
                if let Some(last) = widths.last_mut() {
                    *last += spare;
                }
            }
        }
        return widths;
    }
    let mut x = 0u16;
    for w in widths.iter_mut() {
        let room = width.saturating_sub(x);
        let take = (*w).min(room);
        x = x.saturating_add(take + GAP);
        *w = take;
    }
    widths
}

/// Draws the header and the visible slice of rows.
pub struct DataTable<'a> {
    /// What the rows are.
    pub resource: &'static dyn Resource,
    /// The rows.
    pub rows: &'a Rows,
    /// Position of the selection in the visible rows.
    pub selected: usize,
    /// First visible row shown.
    pub offset: usize,
    /// The active sort, marked in the header.
    pub sort: Option<Sort>,
    /// Colours.
    pub theme: Theme,
    /// Whether a row (by its index in the items) is marked; `None` hides the mark column.
    pub marked: Option<&'a dyn Fn(u32) -> bool>,
}

/// Width of the mark column shown while rows are marked.
const MARK_W: u16 = 2;

impl DataTable<'_> {
    /// Rows that fit under the header in `area`.
    pub fn body_height(area: Rect) -> usize {
        area.height.saturating_sub(1) as usize
    }
}

/// Writes `text` into `width` cells at `x, y`, cut with `…` when it does not fit.
pub fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, width: u16, style: ratatui::style::Style) {
    if width == 0 {
        return;
    }
    let w = Span::raw(text).width();
    if w <= width as usize {
        buf.set_stringn(x, y, text, width as usize, style);
    } else {
        let (nx, _) = buf.set_stringn(x, y, text, width.saturating_sub(1) as usize, style);
        buf.set_stringn(nx, y, "…", 1, style);
    }
}

impl Widget for DataTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || area.width == 0 {
            return;
        }
        let full = area;
        let area = match self.marked {
            Some(_) => Rect {
                x: area.x + MARK_W.min(area.width),
                width: area.width.saturating_sub(MARK_W),
                ..area
            },
            None => area,
        };
        let columns = self.resource.columns();
        let widths = column_widths(columns, area.width);
        let header = self.theme.header();
        buf.set_style(Rect { height: 1, ..area }, header);
        let mut x = area.x;
        for (i, (c, w)) in columns.iter().zip(&widths).enumerate() {
            let title = match self.sort {
                Some(s) if s.column == i => {
                    format!("{} {}", c.title, if s.descending { "▼" } else { "▲" })
                }
                _ => c.title.to_string(),
            };
            put(buf, x, area.y, &title, *w, header);
            x = x.saturating_add(w + GAP);
        }
        let visible = self.rows.visible();
        let height = Self::body_height(area);
        let end = (self.offset + height).min(visible.len());
        for (line, pos) in (self.offset..end).enumerate() {
            let y = area.y + 1 + line as u16;
            let Some(row) = self.rows.row(visible[pos]) else {
                continue;
            };
            let selected = pos == self.selected;
            if selected {
                buf.set_style(Rect::new(full.x, y, full.width, 1), self.theme.selected());
            }
            if let Some(marked) = self.marked
                && marked(visible[pos])
            {
                put(buf, full.x, y, "●", MARK_W, self.theme.key_hint());
            }
            let mut x = area.x;
            for (i, w) in widths.iter().enumerate() {
                let cell = row.cell(i);
                let mut style = self.theme.tone(self.resource.tone(i, cell));
                if selected {
                    style = style.patch(self.theme.selected());
                }
                put(buf, x, y, cell, *w, style);
                x = x.saturating_add(w + GAP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: [Column; 3] = [
        Column::text("A", 4),
        Column::flex("B", 6),
        Column::text("C", 5),
    ];

    #[test]
    fn flexible_column_takes_spare_width() {
        assert_eq!(column_widths(&COLS, 17), [4, 6, 5]);
        assert_eq!(column_widths(&COLS, 27), [4, 16, 5]);
    }

    #[test]
    fn a_column_that_may_grow_takes_its_share_before_the_flexible_one() {
        let cols = [
            Column::text("A", 4),
            Column::flex("B", 6),
            Column::text("C", 5).up_to(9),
        ];
        assert_eq!(column_widths(&cols, 17), [4, 6, 5]);
        assert_eq!(column_widths(&cols, 19), [4, 6, 7]);
        assert_eq!(column_widths(&cols, 27), [4, 12, 9]);
    }

    #[test]
    fn columns_that_do_not_fit_shrink_then_vanish() {
        assert_eq!(column_widths(&COLS, 14), [4, 6, 2]);
        assert_eq!(column_widths(&COLS, 8), [4, 3, 0]);
    }
}
