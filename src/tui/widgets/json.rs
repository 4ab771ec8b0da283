//! The raw JSON view: the item exactly as the server sent it, pretty-printed and coloured
//! by token kind. Lines are built once when the view opens.

use ratatui::text::{Line, Span};
use serde_json::Value;

use crate::tui::theme::Theme;

/// Pretty-printed, coloured lines of `item`.
pub fn json_lines(item: &Value, theme: Theme) -> Vec<Line<'static>> {
    let text = serde_json::to_string_pretty(item).unwrap_or_else(|e| format!("<{e}>"));
    text.lines().map(|l| line(l, theme)).collect()
}

fn line(l: &str, theme: Theme) -> Line<'static> {
    let body = l.trim_start();
    let indent = &l[..l.len() - body.len()];
    let mut spans = vec![Span::raw(indent.to_string())];
    let mut rest = body;
    if body.starts_with('"')
        && let Some(end) = key_end(body)
    {
        spans.push(Span::styled(body[..end].to_string(), theme.field_name()));
        spans.push(Span::raw(": "));
        rest = &body[end + 2..];
    }
    let (value, comma) = match rest.strip_suffix(',') {
        Some(v) => (v, ","),
        None => (rest, ""),
    };
    let style = match value.chars().next() {
        Some('"') => theme.json_string(),
        Some(c) if c.is_ascii_digit() || c == '-' => theme.json_number(),
        Some('t' | 'f' | 'n') => theme.json_literal(),
        _ => ratatui::style::Style::new(),
    };
    spans.push(Span::styled(value.to_string(), style));
    if !comma.is_empty() {
        spans.push(Span::raw(comma));
    }
    Line::from(spans)
}

/// End of a `"key": ` prefix (index of the closing quote + 1), skipping escaped quotes.
fn key_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                return s[i + 1..].starts_with(": ").then_some(i + 1);
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pretty_and_split_into_key_and_value() {
        let v = json!({"uid": "T-1", "n": 3, "a\"b": [true, null]});
        let lines = json_lines(&v, Theme::MONO);
        let text: Vec<String> = lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(
            text,
            [
                "{",
                "  \"uid\": \"T-1\",",
                "  \"n\": 3,",
                "  \"a\\\"b\": [",
                "    true,",
                "    null",
                "  ]",
                "}"
            ]
        );
        let key = &lines[3].spans[1];
        assert_eq!(key.content, "\"a\\\"b\"");
    }

    #[test]
    fn string_values_that_look_like_keys_stay_values() {
        let v = json!(["x\": y"]);
        let lines = json_lines(&v, Theme::COLOR);
        assert_eq!(
            lines[1].spans.len(),
            2,
            "indent and value only: {:?}",
            lines[1]
        );
    }
}
