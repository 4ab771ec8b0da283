//! The bottom line: profile badge, READ-ONLY, working date, counts, loading progress, last
//! refresh, and a key hint on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::theme::{Theme, Tone};

/// What the status bar shows.
pub struct StatusBar<'a> {
    /// Profile label (`SANDBOX`, `prod`).
    pub profile: &'a str,
    /// Whether mutations are disabled.
    pub read_only: bool,
    /// Working date (`Fri 2025-08-22`) when the tab is date-scoped.
    pub date: Option<String>,
    /// `12 of 340 tasks` or similar.
    pub count: String,
    /// `loading 3,000/100,000`, with a spinner.
    pub progress: Option<String>,
    /// `refreshed 10:42:13`.
    pub refreshed: Option<String>,
    /// Right-hand key hint.
    pub hint: String,
    /// Colours.
    pub theme: Theme,
}

/// Whether a profile label names the embedded sandbox.
pub fn is_sandbox(label: &str) -> bool {
    label.eq_ignore_ascii_case("sandbox")
}

impl Widget for StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        buf.set_style(area, t.status());
        let badge = if is_sandbox(self.profile) {
            t.sandbox_badge()
        } else {
            t.profile_badge()
        };
        let mut spans = vec![Span::styled(format!(" {} ", self.profile), badge)];
        if self.read_only {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(" READ-ONLY ", t.readonly_badge()));
        }
        let sep = || Span::styled(" │ ", t.tone(Tone::Muted));
        if let Some(d) = self.date {
            spans.push(sep());
            spans.push(Span::raw(d));
        }
        spans.push(sep());
        spans.push(Span::raw(self.count));
        if let Some(p) = self.progress {
            spans.push(sep());
            spans.push(Span::styled(p, t.tone(Tone::Busy)));
        }
        if let Some(r) = self.refreshed {
            spans.push(sep());
            spans.push(Span::styled(r, t.tone(Tone::Muted)));
        }
        let hint = Span::styled(format!(" {} ", self.hint), t.key_hint());
        let hint_w = hint.width() as u16;
        let left_w = area.width.saturating_sub(hint_w);
        buf.set_line(area.x, area.y, &Line::from(spans), left_w);
        if hint_w <= area.width {
            buf.set_span(area.right() - hint_w, area.y, &hint, hint_w);
        }
    }
}
