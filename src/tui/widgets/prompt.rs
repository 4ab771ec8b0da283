//! A single-line input (tui-input) used by the filter `/`, the command line `:` and the
//! date prompt, with Tab completion cycling through candidates.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use crate::tui::theme::Theme;

/// What the prompt is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    /// `/` filter, applied on every keystroke.
    Filter,
    /// `:` command line.
    Command,
    /// Working date.
    Date,
}

impl PromptKind {
    /// The sign shown before the text.
    pub fn sigil(self) -> &'static str {
        match self {
            PromptKind::Filter => "/",
            PromptKind::Command => ":",
            PromptKind::Date => "date: ",
        }
    }
}

/// The result of a key in the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptOutcome {
    /// The text changed.
    Edited,
    /// Only the cursor moved, or nothing happened.
    Unchanged,
    /// Enter: use this text.
    Submit(String),
    /// Esc: close.
    Cancel,
}

#[derive(Debug, Clone)]
struct Cycle {
    matches: Vec<String>,
    index: usize,
}

/// An open prompt.
#[derive(Debug, Clone)]
pub struct Prompt {
    kind: PromptKind,
    input: Input,
    cycle: Option<Cycle>,
    error: Option<String>,
}

impl Prompt {
    /// A prompt of `kind` holding `initial` with the cursor at its end.
    pub fn new(kind: PromptKind, initial: &str) -> Prompt {
        Prompt {
            kind,
            input: Input::new(initial.to_string()),
            cycle: None,
            error: None,
        }
    }

    /// What the prompt is for.
    pub fn kind(&self) -> PromptKind {
        self.kind
    }

    /// The text.
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// Shows a problem with the text under the prompt until the next edit.
    pub fn set_error(&mut self, e: String) {
        self.error = Some(e);
    }

    /// The problem shown, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Handles a key; `complete` lists candidates for Tab.
    pub fn handle_key(
        &mut self,
        key: &KeyEvent,
        complete: impl Fn(&str) -> Vec<String>,
    ) -> PromptOutcome {
        match key.code {
            KeyCode::Enter => return PromptOutcome::Submit(self.value().to_string()),
            KeyCode::Esc => return PromptOutcome::Cancel,
            KeyCode::Tab | KeyCode::BackTab => {
                return self.complete(key.code == KeyCode::BackTab, complete);
            }
            _ => {}
        }
        let Some(req) = to_input_request(&TermEvent::Key(*key)) else {
            return PromptOutcome::Unchanged;
        };
        self.apply(req)
    }

    /// Inserts pasted text (line breaks become spaces).
    pub fn paste(&mut self, text: &str) -> PromptOutcome {
        let mut out = PromptOutcome::Unchanged;
        for c in text.chars() {
            let c = if c.is_control() { ' ' } else { c };
            if self.apply(InputRequest::InsertChar(c)) == PromptOutcome::Edited {
                out = PromptOutcome::Edited;
            }
        }
        out
    }

    fn apply(&mut self, req: InputRequest) -> PromptOutcome {
        match self.input.handle(req) {
            Some(change) if change.value => {
                self.cycle = None;
                self.error = None;
                PromptOutcome::Edited
            }
            _ => PromptOutcome::Unchanged,
        }
    }

    fn complete(&mut self, back: bool, complete: impl Fn(&str) -> Vec<String>) -> PromptOutcome {
        let cycle = match self.cycle.take() {
            Some(mut c) => {
                let n = c.matches.len();
                c.index = if back {
                    (c.index + n - 1) % n
                } else {
                    (c.index + 1) % n
                };
                c
            }
            None => {
                let matches = complete(self.value());
                if matches.is_empty() {
                    return PromptOutcome::Unchanged;
                }
                let index = if back { matches.len() - 1 } else { 0 };
                Cycle { matches, index }
            }
        };
        self.input = Input::new(cycle.matches[cycle.index].clone());
        self.error = None;
        self.cycle = Some(cycle);
        PromptOutcome::Edited
    }

    /// Where the terminal cursor goes when the prompt is drawn in `area`.
    pub fn cursor(&self, area: Rect) -> Position {
        let sigil = self.kind.sigil().chars().count() as u16;
        let width = area.width.saturating_sub(sigil + 1) as usize;
        let scroll = self.input.visual_scroll(width);
        let x = area.x + sigil + (self.input.visual_cursor().saturating_sub(scroll)) as u16;
        Position::new(x.min(area.right().saturating_sub(1)), area.y)
    }
}

/// Draws a prompt on one line, with a hint (or its error) on the right.
pub struct PromptView<'a> {
    /// The prompt.
    pub prompt: &'a Prompt,
    /// Text on the right: candidates, field names, usage.
    pub hint: String,
    /// Colours.
    pub theme: Theme,
}

impl Widget for PromptView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        buf.set_style(area, Style::new());
        let sigil = self.prompt.kind.sigil();
        let sigil_w = sigil.chars().count() as u16;
        let right = match self.prompt.error() {
            Some(e) => Span::styled(format!(" {e} "), self.theme.error_text()),
            None => Span::styled(
                format!(" {} ", self.hint),
                self.theme.tone(crate::tui::theme::Tone::Muted),
            ),
        };
        let right_w = (right.width() as u16).min(area.width / 2);
        let text_w = area.width.saturating_sub(sigil_w + right_w + 1);
        let scroll = self.prompt.input.visual_scroll(text_w as usize);
        let shown: String = self.prompt.value().chars().skip(scroll).collect();
        let line = Line::from(vec![
            Span::styled(sigil, self.theme.key_hint()),
            Span::raw(shown),
        ]);
        buf.set_line(area.x, area.y, &line, sigil_w + text_w);
        if right_w > 0 {
            buf.set_span(area.right() - right_w, area.y, &right, right_w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn words(_: &str) -> Vec<String> {
        vec!["routes".into(), "route-templates".into()]
    }

    #[test]
    fn typing_editing_and_submitting() {
        let mut p = Prompt::new(PromptKind::Command, "");
        for c in "rout".chars() {
            assert_eq!(
                p.handle_key(&key(KeyCode::Char(c)), words),
                PromptOutcome::Edited
            );
        }
        assert_eq!(
            p.handle_key(&key(KeyCode::Backspace), words),
            PromptOutcome::Edited
        );
        assert_eq!(p.value(), "rou");
        assert_eq!(
            p.handle_key(&key(KeyCode::Left), words),
            PromptOutcome::Unchanged
        );
        assert_eq!(
            p.handle_key(&key(KeyCode::Enter), words),
            PromptOutcome::Submit("rou".into())
        );
        assert_eq!(
            p.handle_key(&key(KeyCode::Esc), words),
            PromptOutcome::Cancel
        );
    }

    #[test]
    fn tab_cycles_through_completions_and_typing_resets_the_cycle() {
        let mut p = Prompt::new(PromptKind::Command, "ro");
        p.handle_key(&key(KeyCode::Tab), words);
        assert_eq!(p.value(), "routes");
        p.handle_key(&key(KeyCode::Tab), words);
        assert_eq!(p.value(), "route-templates");
        p.handle_key(&key(KeyCode::Tab), words);
        assert_eq!(p.value(), "routes");
        p.handle_key(&key(KeyCode::BackTab), words);
        assert_eq!(p.value(), "route-templates");
        p.handle_key(&key(KeyCode::Char('x')), |_| Vec::new());
        assert_eq!(
            p.handle_key(&key(KeyCode::Tab), |_| Vec::new()),
            PromptOutcome::Unchanged
        );
        assert_eq!(p.value(), "route-templatesx");
    }

    #[test]
    fn paste_inserts_text_without_line_breaks() {
        let mut p = Prompt::new(PromptKind::Filter, "");
        assert_eq!(p.paste("GU3\n1AA"), PromptOutcome::Edited);
        assert_eq!(p.value(), "GU3 1AA");
    }

    #[test]
    fn errors_clear_on_edit() {
        let mut p = Prompt::new(PromptKind::Date, "2025-13-01");
        p.set_error("bad month".into());
        assert_eq!(p.error(), Some("bad month"));
        p.handle_key(&key(KeyCode::Backspace), words);
        assert_eq!(p.error(), None);
    }
}
