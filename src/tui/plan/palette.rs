//! Colours per route: a fixed cycle with colour, one colour (the selected route bold)
//! without.

use ratatui::style::{Color, Modifier, Style};

use crate::tui::theme::Theme;

const CYCLE: [Color; 8] = [
    Color::Cyan,
    Color::Magenta,
    Color::Yellow,
    Color::Green,
    Color::LightBlue,
    Color::LightRed,
    Color::LightGreen,
    Color::LightMagenta,
];

/// The colour of route `i`.
pub fn route_color(theme: Theme, i: usize) -> Color {
    if theme.has_color() {
        CYCLE[i % CYCLE.len()]
    } else {
        Color::Reset
    }
}

/// The style of route `i`; the selected one is bold.
pub fn route_style(theme: Theme, i: usize, selected: bool) -> Style {
    let s = Style::new().fg(route_color(theme, i));
    if selected {
        s.add_modifier(Modifier::BOLD)
    } else {
        s
    }
}
