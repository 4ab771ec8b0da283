//! Colours and text attributes. With `NO_COLOR` set, only bold and reverse are used.

use ratatui::style::{Color, Modifier, Style};

/// What a piece of text means, independent of how it is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Ordinary text.
    Normal,
    /// Less important text (empty values, hints).
    Muted,
    /// Something finished well (completed task).
    Good,
    /// Something went wrong (failed, cancelled).
    Bad,
    /// Something needs attention soon.
    Warn,
    /// Work in progress (en route, arrived).
    Busy,
}

/// The palette of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// A theme with colour.
    pub const COLOR: Theme = Theme { color: true };
    /// A theme without colour (bold and reverse only).
    pub const MONO: Theme = Theme { color: false };

    /// Colour unless `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color { Theme::MONO } else { Theme::COLOR }
    }

    /// Whether colours are used.
    pub fn has_color(self) -> bool {
        self.color
    }

    fn pick(self, colored: Style, mono: Style) -> Style {
        if self.color { colored } else { mono }
    }

    /// Style of a tone.
    pub fn tone(self, tone: Tone) -> Style {
        let plain = Style::new();
        match tone {
            Tone::Normal => plain,
            Tone::Muted => self.pick(plain.fg(Color::DarkGray), plain),
            Tone::Good => self.pick(plain.fg(Color::Green), plain),
            Tone::Bad => self.pick(plain.fg(Color::Red), plain.add_modifier(Modifier::BOLD)),
            Tone::Warn => self.pick(plain.fg(Color::Yellow), plain.add_modifier(Modifier::BOLD)),
            Tone::Busy => self.pick(plain.fg(Color::Cyan), plain),
        }
    }

    /// The active tab.
    pub fn tab_active(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// An inactive tab.
    pub fn tab(self) -> Style {
        Style::new()
    }

    /// Table header row.
    pub fn header(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The selected table row.
    pub fn selected(self) -> Style {
        self.pick(
            Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// Frame borders and titles.
    pub fn border(self) -> Style {
        self.pick(Style::new().fg(Color::Gray), Style::new())
    }

    /// Badge of the embedded sandbox profile.
    pub fn sandbox_badge(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// Badge of a remote profile.
    pub fn profile_badge(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// Badge shown when mutations are disabled.
    pub fn readonly_badge(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The status bar background.
    pub fn status(self) -> Style {
        self.pick(Style::new().bg(Color::Black).fg(Color::Gray), Style::new())
    }

    /// Keys named in hints.
    pub fn key_hint(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// The banner over stale data.
    pub fn banner(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// An error toast.
    pub fn toast_error(self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        )
    }

    /// A warning toast.
    pub fn toast_warn(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Yellow),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// An informational toast.
    pub fn toast_info(self) -> Style {
        self.pick(
            Style::new().fg(Color::Black).bg(Color::Green),
            Style::new().add_modifier(Modifier::REVERSED),
        )
    }

    /// Field names in the detail and JSON views.
    pub fn field_name(self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Section headings in the detail view and the help overlay.
    pub fn heading(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// JSON string values.
    pub fn json_string(self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    /// JSON numbers.
    pub fn json_number(self) -> Style {
        self.pick(Style::new().fg(Color::LightBlue), Style::new())
    }

    /// JSON `true`, `false` and `null`.
    pub fn json_literal(self) -> Style {
        self.pick(Style::new().fg(Color::Magenta), Style::new())
    }

    /// Inline validation messages in prompts.
    pub fn error_text(self) -> Style {
        self.pick(
            Style::new().fg(Color::Red),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_theme_uses_no_colour() {
        let t = Theme::MONO;
        let styles = [
            t.tone(Tone::Bad),
            t.tone(Tone::Good),
            t.tone(Tone::Busy),
            t.tab_active(),
            t.selected(),
            t.sandbox_badge(),
            t.banner(),
            t.toast_error(),
            t.header(),
            t.json_string(),
        ];
        for s in styles {
            assert_eq!(s.fg, None, "{s:?}");
            assert_eq!(s.bg, None, "{s:?}");
        }
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn colour_theme_paints_failures_red() {
        assert_eq!(Theme::COLOR.tone(Tone::Bad).fg, Some(Color::Red));
    }
}
