//! The `?` overlay, generated from the key table so that it always tells the truth.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Widget};

use crate::tui::keymap::{FIXED_KEYS, KeyContext, Keymap};
use crate::tui::theme::Theme;

use super::scroll_text::ScrollText;

/// The help text: one section per key context, then the fixed prompt keys.
pub fn help_lines(keymap: &Keymap, theme: Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for ctx in KeyContext::ALL {
        let rows: Vec<_> = keymap
            .bindings()
            .iter()
            .filter(|b| b.spec.context == ctx)
            .collect();
        if rows.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(ctx.title(), theme.heading()));
        for b in rows {
            let keys = if b.keys.is_empty() {
                "(unbound)".to_string()
            } else {
                b.keys
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let desc = match b.spec.action {
                crate::tui::keymap::Action::GoTab(_) => format!("Tab: {}", b.spec.description),
                _ => b.spec.description.to_string(),
            };
            out.push(Line::from(vec![
                Span::styled(format!("  {keys:<16}"), theme.key_hint()),
                Span::raw(desc),
            ]));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled(
        "Prompts, forms, help, planning views",
        theme.heading(),
    ));
    for (keys, desc) in FIXED_KEYS {
        out.push(Line::from(vec![
            Span::styled(format!("  {keys:<16}"), theme.key_hint()),
            Span::raw(*desc),
        ]));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Filter", theme.heading()));
    for l in [
        "  words match fuzzily within a column: acme gu3 so104271",
        "  field:value matches one field: state:failed driver:anna postcode:GU3",
        "  !token excludes; tokens combine (all must match)",
        "Commands",
        "  :tasks :routes :drivers … (Tab completes)  :date 2025-08-22  :date tomorrow  :q",
    ] {
        if l.starts_with(' ') {
            out.push(Line::raw(l));
        } else {
            out.push(Line::raw(""));
            out.push(Line::styled(l, theme.heading()));
        }
    }
    out
}

/// The overlay, centred over `area`.
pub struct HelpOverlay<'a> {
    /// Prepared lines.
    pub lines: &'a [Line<'static>],
    /// First line shown.
    pub scroll: usize,
    /// How to close and scroll, with the effective keys.
    pub footer: String,
    /// Colours.
    pub theme: Theme,
}

impl HelpOverlay<'_> {
    /// Where the overlay goes inside `area`.
    pub fn area(area: Rect) -> Rect {
        area.centered(Constraint::Max(90), Constraint::Percentage(90))
    }
}

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = Self::area(area);
        Clear.render(area, buf);
        ScrollText {
            lines: self.lines,
            scroll: self.scroll,
            title: "Keys".into(),
            footer: self.footer,
            theme: self.theme,
        }
        .render(area, buf);
    }
}
