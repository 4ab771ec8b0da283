//! A yes/no question that defaults to No: `y` confirms, `n` or Esc declines, Enter takes
//! the highlighted answer (No unless moved with Left/Right/Tab).

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::tui::theme::Theme;

/// An open question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    title: String,
    message: String,
    yes: bool,
}

/// The answer to a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// Still open.
    Pending,
    /// Confirmed.
    Yes,
    /// Declined.
    No,
}

impl Confirm {
    /// A question titled `title` asking `message`, with No highlighted.
    pub fn new(title: impl Into<String>, message: impl Into<String>) -> Confirm {
        Confirm {
            title: title.into(),
            message: message.into(),
            yes: false,
        }
    }

    /// The question.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Handles a key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> ConfirmOutcome {
        match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => ConfirmOutcome::Yes,
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => ConfirmOutcome::No,
            KeyCode::Enter if self.yes => ConfirmOutcome::Yes,
            KeyCode::Enter => ConfirmOutcome::No,
            KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab => {
                self.yes = !self.yes;
                ConfirmOutcome::Pending
            }
            _ => ConfirmOutcome::Pending,
        }
    }
}

/// Draws a question centred over `area`.
pub struct ConfirmView<'a> {
    /// The question.
    pub confirm: &'a Confirm,
    /// Colours.
    pub theme: Theme,
}

impl Widget for ConfirmView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let w = 56.min(area.width);
        let text_h = (self.confirm.message.chars().count() as u16 / w.saturating_sub(4).max(1)) + 1;
        let h = (text_h + 4).min(area.height);
        let outer = Rect::new(
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
            w,
            h,
        );
        Clear.render(outer, buf);
        let pick = |on: bool| {
            if on {
                self.theme.selected()
            } else {
                self.theme.key_hint()
            }
        };
        let buttons = Line::from(vec![
            Span::styled(" [y] Yes ", pick(self.confirm.yes)),
            Span::raw("   "),
            Span::styled(" [n] No ", pick(!self.confirm.yes)),
        ])
        .centered();
        let mut lines: Vec<Line> = vec![Line::raw(self.confirm.message.clone()), Line::raw("")];
        lines.push(buttons);
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(self.theme.border())
                    .title(Span::styled(
                        format!(" {} ", self.confirm.title),
                        self.theme.heading(),
                    )),
            )
            .render(outer, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_to_no_and_answers_y_n_esc() {
        let mut c = Confirm::new("Delete", "Delete 3 tasks?");
        assert_eq!(c.handle_key(&key(KeyCode::Enter)), ConfirmOutcome::No);
        assert_eq!(
            c.handle_key(&key(KeyCode::Char('x'))),
            ConfirmOutcome::Pending
        );
        assert_eq!(c.handle_key(&key(KeyCode::Char('y'))), ConfirmOutcome::Yes);
        assert_eq!(c.handle_key(&key(KeyCode::Char('n'))), ConfirmOutcome::No);
        assert_eq!(c.handle_key(&key(KeyCode::Esc)), ConfirmOutcome::No);
        c.handle_key(&key(KeyCode::Right));
        assert_eq!(c.handle_key(&key(KeyCode::Enter)), ConfirmOutcome::Yes);
    }
}
