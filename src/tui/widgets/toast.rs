//! Short messages in the bottom-right corner that go away by themselves and never take the
//! keyboard.

use std::collections::VecDeque;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Clear, Widget};

use crate::tui::theme::Theme;

/// How serious a toast is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Something happened as asked.
    Info,
    /// Worth knowing (e.g. a config warning).
    Warn,
    /// Something failed.
    Error,
}

impl Level {
    /// Ticks (of 250 ms) the toast stays.
    fn ticks(self) -> u16 {
        match self {
            Level::Info => 12,
            Level::Warn => 24,
            Level::Error => 32,
        }
    }
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// Severity.
    pub level: Level,
    /// Text.
    pub text: String,
    ttl: u16,
}

/// The messages on screen, newest last.
#[derive(Debug, Clone, Default)]
pub struct Toasts {
    items: VecDeque<Toast>,
}

/// Most toasts shown at once.
const MAX: usize = 4;

impl Toasts {
    /// Shows a message; the same text again just stays longer.
    pub fn push(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        self.items.retain(|t| t.text != text);
        self.items.push_back(Toast {
            level,
            ttl: level.ticks(),
            text,
        });
        while self.items.len() > MAX {
            self.items.pop_front();
        }
    }

    /// Ages every toast by one tick; true when one went away.
    pub fn tick(&mut self) -> bool {
        let before = self.items.len();
        for t in &mut self.items {
            t.ttl = t.ttl.saturating_sub(1);
        }
        self.items.retain(|t| t.ttl > 0);
        self.items.len() != before
    }

    /// Whether none are shown.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The messages, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Toast> {
        self.items.iter()
    }
}

/// Draws toasts stacked upwards from the bottom-right of `area`.
pub struct ToastView<'a> {
    /// The toasts.
    pub toasts: &'a Toasts,
    /// Colours.
    pub theme: Theme,
}

impl Widget for ToastView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let max_w = (area.width.saturating_sub(2))
            .min(area.width * 2 / 3)
            .max(10);
        for (i, t) in self.toasts.items.iter().rev().enumerate() {
            let Some(y) = area.bottom().checked_sub(1 + i as u16) else {
                break;
            };
            if y < area.y {
                break;
            }
            let style = match t.level {
                Level::Info => self.theme.toast_info(),
                Level::Warn => self.theme.toast_warn(),
                Level::Error => self.theme.toast_error(),
            };
            let text = fit(&t.text, max_w.saturating_sub(2) as usize);
            let span = Span::styled(format!(" {text} "), style);
            let w = (span.width() as u16).min(max_w).min(area.width);
            let x = area.right().saturating_sub(w + 1).max(area.x);
            let rect = Rect::new(x, y, w, 1);
            Clear.render(rect, buf);
            buf.set_style(rect, style);
            buf.set_span(x, y, &span, w);
        }
    }
}

/// The text shortened to `max` columns: cut at a word boundary where one is near, and
/// always marked with an ellipsis so a cut is never mistaken for the whole message.
fn fit(text: &str, max: usize) -> String {
    let width = |s: &str| Span::raw(s).width();
    if width(text) <= max {
        return text.to_string();
    }
    let budget = max.saturating_sub(1);
    let mut out = String::new();
    let mut at_boundary = false;
    for ch in text.chars() {
        out.push(ch);
        if width(&out) > budget {
            out.pop();
            at_boundary = ch.is_whitespace();
            break;
        }
    }
    // Prefer the last word boundary unless that would throw away most of the line.
    if !at_boundary
        && let Some(i) = out.rfind(char::is_whitespace)
        && i >= budget / 2
    {
        out.truncate(i);
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_toasts_end_at_a_word_with_an_ellipsis() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("delete 2 tasks: T-1 refused", 16), "delete 2 tasks:…");
        assert_eq!(fit("abcdefghijklmnop", 8), "abcdefg…");
        let area = Rect::new(0, 0, 40, 3);
        let mut buf = Buffer::empty(area);
        let mut t = Toasts::default();
        t.push(
            Level::Warn,
            "cancel 2 tasks: 1 refused — T-00000002: task is completed",
        );
        ToastView {
            toasts: &t,
            theme: Theme::MONO,
        }
        .render(area, &mut buf);
        let line: String = (0..40).map(|x| buf[(x, 2)].symbol().to_string()).collect();
        assert!(line.trim_end().ends_with("cancel 2 tasks: 1…"), "{line:?}");
    }

    #[test]
    fn toasts_expire_and_duplicates_merge() {
        let mut t = Toasts::default();
        t.push(Level::Info, "copied");
        t.push(Level::Error, "network down");
        t.push(Level::Info, "copied");
        assert_eq!(t.iter().count(), 2);
        assert_eq!(t.iter().last().unwrap().text, "copied");
        for _ in 0..11 {
            assert!(!t.tick());
        }
        assert!(t.tick(), "the info toast leaves after 12 ticks");
        assert_eq!(t.iter().count(), 1);
        for _ in 0..40 {
            t.tick();
        }
        assert!(t.is_empty());
    }

    #[test]
    fn at_most_four_are_kept() {
        let mut t = Toasts::default();
        for i in 0..6 {
            t.push(Level::Warn, format!("w{i}"));
        }
        let texts: Vec<_> = t.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(texts, ["w2", "w3", "w4", "w5"]);
    }
}
