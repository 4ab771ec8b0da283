//! The tab bar: one tab per collection, numbered 1–9 for the first nine, scrolled so the
//! active tab is always visible, with the working date on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

use crate::tui::theme::Theme;

/// The tab bar.
pub struct TabBar<'a> {
    /// Tab titles in order.
    pub titles: &'a [&'a str],
    /// Index of the active tab.
    pub active: usize,
    /// Right-hand text (the working date), if any.
    pub right: Option<String>,
    /// Colours.
    pub theme: Theme,
}

/// The label of tab `i`: ` 1 Tasks `, or ` Forms ` past nine.
pub fn tab_label(i: usize, title: &str) -> String {
    if i < 9 {
        format!(" {} {title} ", i + 1)
    } else {
        format!(" {title} ")
    }
}

/// First tab to draw so that the tabs from there up to `active` fit in `width`.
fn first_visible(labels: &[String], active: usize, width: u16) -> usize {
    let mut first = 0;
    loop {
        let used: usize = labels[first..=active]
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum::<usize>()
            + 2;
        if used <= width as usize || first == active {
            return first;
        }
        first += 1;
    }
}

impl Widget for TabBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height == 0 || self.titles.is_empty() {
            return;
        }
        let right = self
            .right
            .map(|r| Span::styled(format!(" {r} "), self.theme.heading()));
        let right_w = right.as_ref().map_or(0, |s| s.width() as u16);
        let room = area.width.saturating_sub(right_w);
        let labels: Vec<String> = self
            .titles
            .iter()
            .enumerate()
            .map(|(i, t)| tab_label(i, t))
            .collect();
        let active = self.active.min(labels.len() - 1);
        let first = first_visible(&labels, active, room);
        let mut x = area.x;
        if first > 0 {
            buf.set_string(x, area.y, "‹", self.theme.tab());
            x += 1;
        }
        for (i, label) in labels.iter().enumerate().skip(first) {
            let w = label.chars().count() as u16;
            let end = area.x + room;
            if x + w + 1 > end {
                if x < end {
                    buf.set_string(end.saturating_sub(1), area.y, "›", self.theme.tab());
                }
                break;
            }
            let style = if i == active {
                self.theme.tab_active()
            } else {
                self.theme.tab()
            };
            buf.set_string(x, area.y, label, style);
            x += w + 1;
        }
        if let Some(r) = right {
            buf.set_span(area.right().saturating_sub(right_w), area.y, &r, right_w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_active_tab_is_always_in_view() {
        let labels: Vec<String> = ["Aaaa", "Bbbb", "Cccc", "Dddd"]
            .iter()
            .enumerate()
            .map(|(i, t)| tab_label(i, t))
            .collect();
        assert_eq!(first_visible(&labels, 0, 20), 0);
        assert_eq!(first_visible(&labels, 3, 20), 2);
        assert_eq!(first_visible(&labels, 3, 200), 0);
        assert_eq!(first_visible(&labels, 3, 1), 3);
        assert_eq!(tab_label(9, "Forms"), " Forms ");
    }
}
