//! A bordered, scrollable list of prepared lines (detail, JSON and help views). Only the
//! lines in view are handed to the paragraph.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

/// Lines in a frame, from line `scroll` on.
pub struct ScrollText<'a> {
    /// All lines.
    pub lines: &'a [Line<'static>],
    /// First line shown.
    pub scroll: usize,
    /// Frame title.
    pub title: String,
    /// Text at the bottom right of the frame (e.g. position).
    pub footer: String,
    /// Colours.
    pub theme: Theme,
}

impl ScrollText<'_> {
    /// Lines visible inside a frame drawn in `area`.
    pub fn inner_height(area: Rect) -> usize {
        area.height.saturating_sub(2) as usize
    }
}

impl Widget for ScrollText<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let block = Block::bordered()
            .border_style(self.theme.border())
            .title(Line::from(format!(" {} ", self.title)).style(self.theme.heading()))
            .title_bottom(Line::from(format!(" {} ", self.footer)).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        let start = self.scroll.min(self.lines.len());
        let end = (start + inner.height as usize).min(self.lines.len());
        Paragraph::new(Text::from(self.lines[start..end].to_vec()))
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}
