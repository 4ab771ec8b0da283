//! Drawing a form: one line per field with its problem under it, scrolled so that the
//! focused field stays in view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::{FieldKind, Form, Slot};
use crate::tui::theme::{Theme, Tone};
use crate::tui::widgets::table::put;

/// Draws a form centred over `area`: one line per field, its problem under it.
pub struct FormView<'a> {
    /// The form.
    pub form: &'a Form,
    /// Colours.
    pub theme: Theme,
}

impl FormView<'_> {
    /// The box the form takes inside `area`.
    pub fn area(form: &Form, area: Rect) -> Rect {
        let h = (form.fields.len() as u16 * 2 + 4).min(area.height);
        let w = 72.min(area.width);
        Rect::new(
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
            w,
            h,
        )
    }

    /// How many fields fit in the inner box (two lines each, the last line for the form's
    /// own message).
    pub(super) fn rows(inner: Rect) -> usize {
        (inner.height.saturating_sub(1) as usize).div_ceil(2).max(1)
    }

    pub(super) fn inner(form: &Form, area: Rect) -> Rect {
        let b = FormView::area(form, area);
        Rect::new(
            b.x + 1,
            b.y + 1,
            b.width.saturating_sub(2),
            b.height.saturating_sub(2),
        )
    }
}

impl Widget for FormView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let form = self.form;
        let outer = FormView::area(form, area);
        Clear.render(outer, buf);
        let inner = FormView::inner(form, area);
        let hint = if form.sending {
            " sending… ".to_string()
        } else {
            let groups = if form.groups.is_empty() {
                ""
            } else {
                "^N/^D add/remove entry · "
            };
            // Where the focus is, when not every field fits.
            let at = if form.fields.len() > FormView::rows(inner) {
                format!("· {}/{} ", form.focus + 1, form.fields.len())
            } else {
                String::new()
            };
            format!(" Enter saves · Tab next · {groups}Esc closes {at}")
        };
        Block::default()
            .borders(Borders::ALL)
            .border_style(self.theme.border())
            .title(Span::styled(
                format!(" {} ", form.title),
                self.theme.heading(),
            ))
            .title_bottom(Span::styled(hint, self.theme.tone(Tone::Muted)))
            .render(outer, buf);
        let label_w = form.label_width();
        let value_w = inner.width.saturating_sub(label_w + 2);
        let top = form.top(FormView::rows(inner));
        for (i, f) in form.fields.iter().enumerate().skip(top) {
            let y = inner.y + (i - top) as u16 * 2;
            if y >= inner.bottom() {
                break;
            }
            let label = format!("{}{}", f.label, if f.spec.required { "*" } else { "" });
            let style = if i == form.focus {
                self.theme.selected()
            } else {
                self.theme.field_name()
            };
            buf.set_stringn(inner.x, y, &label, label_w as usize, style);
            let scroll = f.input.visual_scroll(value_w as usize);
            let shown: String = f.input.value().chars().skip(scroll).collect();
            let shown = match (&f.spec.kind, shown.is_empty()) {
                (FieldKind::Group(_), _) => {
                    let n = match f.slot {
                        Slot::Header { group } => form.entry_count(group),
                        _ => 0,
                    };
                    let hint = if i == form.focus {
                        " · Ctrl-N adds one · Ctrl-D removes the one under the cursor"
                    } else {
                        ""
                    };
                    format!("{n} {}{hint}", if n == 1 { "entry" } else { "entries" })
                }
                (FieldKind::Choice(o), _) if i == form.focus => {
                    format!("{shown}   ◂ ▸ {}", o.join(" "))
                }
                (FieldKind::Bool, _) if i == form.focus => format!("{shown}   space toggles"),
                (k, true) if i == form.focus => placeholder(k).to_string(),
                _ => shown,
            };
            buf.set_line(inner.x + label_w + 2, y, &Line::raw(shown), value_w);
            if let Some(e) = &f.error
                && y + 1 < inner.bottom()
            {
                put(
                    buf,
                    inner.x + label_w + 2,
                    y + 1,
                    &format!("⚠ {e}"),
                    value_w,
                    self.theme.error_text(),
                );
            }
        }
        if let Some(e) = &form.error {
            let y = inner.bottom().saturating_sub(1);
            put(buf, inner.x, y, e, inner.width, self.theme.error_text());
        }
    }
}

fn placeholder(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Date => "YYYY-MM-DD",
        FieldKind::Time => "HH:MM",
        FieldKind::TimeWindows => "HH:MM-HH:MM, HH:MM-HH:MM",
        FieldKind::Coordinates => "lat, lon",
        FieldKind::Tags => "a, b, c",
        FieldKind::Dates => "YYYY-MM-DD, YYYY-MM-DD..YYYY-MM-DD",
        FieldKind::Json => "{\"key\": \"value\"}",
        FieldKind::File(_) => "path of a file, read on save",
        _ => "",
    }
}
