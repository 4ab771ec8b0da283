//! The one form every create and edit uses: typed fields on tui-input, Tab/Shift-Tab
//! between them, inline validation before anything is sent, and server problems shown on
//! the fields they concern. The form never forgets what was typed: it is the caller that
//! closes it, and only after a successful answer.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Position, Rect};
use serde_json::{Map, Value};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use crate::api::model::ItemError;

mod values;
mod view;

pub use values::{format_value, merge_diff, parse_dates, parse_value, remove_at, set_at, value_at};
pub use view::FormView;

/// What a field holds, and so how its text is read.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// A decimal number.
    Decimal,
    /// A day as `YYYY-MM-DD`; sent as the integer `YYYYMMDD`.
    Date,
    /// A clock time `HH:MM`; sent as minutes from midnight.
    Time,
    /// `HH:MM-HH:MM, HH:MM-HH:MM`; sent as `[{start, end}]`.
    TimeWindows,
    /// `lat, lon`; sent as GeoJSON `[lon, lat]`.
    Coordinates,
    /// One of fixed values (Left/Right or Space cycle); sent as the string, or as the
    /// number when every choice is a number.
    Choice(Vec<String>),
    /// Yes or no (Space toggles).
    Bool,
    /// Comma-separated words; sent as a string array.
    Tags,
    /// Days and ranges, `2025-08-22, 2025-08-25..2025-08-29`; sent as `[YYYYMMDD, …]`.
    Dates,
    /// Any JSON value, typed as JSON; an edit sends only what changed inside it.
    Json,
    /// The path of a file that is read when the form is submitted (the caller reads it and
    /// puts its content at the field's path); empty on an edit keeps the current value.
    File(FileFormat),
    /// A list of entries with these fields each, shown as repeated rows that Ctrl-N adds
    /// and Ctrl-D removes; entries keep the fields the form does not show.
    Group(Vec<FieldSpec>),
}

/// What a [`FieldKind::File`] holds, and so how its content is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// A GeoJSON area: a Polygon, MultiPolygon, Feature or FeatureCollection of them.
    GeoJsonArea,
}

/// A file a submitted form asks to be read: where it is and which field it fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRequest {
    /// Path of the field in the item.
    pub field: String,
    /// The file, as typed.
    pub path: String,
    /// How to read it.
    pub format: FileFormat,
}

/// One field of a form: where its value goes in the JSON, and how it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// Dotted path in the item, e.g. `location.coordinates`.
    pub path: String,
    /// Label shown to the left.
    pub label: String,
    /// Type.
    pub kind: FieldKind,
    /// Whether it must not be empty.
    pub required: bool,
}

impl FieldSpec {
    /// A field at `path` labelled `label`.
    pub fn new(path: &str, label: &str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            path: path.to_string(),
            label: label.to_string(),
            kind,
            required: false,
        }
    }

    /// The same field, required.
    pub fn required(mut self) -> FieldSpec {
        self.required = true;
        self
    }
}
/// Where a row of the form belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A field of the item.
    Plain,
    /// The heading row of group `group` (holds no value).
    Header { group: usize },
    /// A field of entry `entry` of group `group`; its path is relative to the entry.
    Member { group: usize, entry: usize },
}

impl Slot {
    /// The group the row belongs to, heading included.
    fn group(self) -> Option<usize> {
        match self {
            Slot::Plain => None,
            Slot::Header { group } | Slot::Member { group, .. } => Some(group),
        }
    }
}

/// A repeated group: the entries the form opened with (kept whole, so fields the form
/// does not show survive) and whether entries were added or removed.
#[derive(Debug, Clone)]
struct Group {
    spec: FieldSpec,
    members: Vec<FieldSpec>,
    originals: Vec<Value>,
    reshaped: bool,
}

#[derive(Debug, Clone)]
struct Field {
    spec: FieldSpec,
    label: String,
    slot: Slot,
    /// What the item held at the field's path (`null` when nothing, and in groups).
    original: Value,
    input: Input,
    initial: String,
    error: Option<String>,
}

impl Field {
    fn new(spec: FieldSpec, label: String, slot: Slot, text: String) -> Field {
        Field {
            input: Input::new(text.clone()),
            initial: text,
            original: Value::Null,
            label,
            slot,
            spec,
            error: None,
        }
    }

    fn is_changed(&self) -> bool {
        self.input.value() != self.initial
    }
}

fn initial_text(spec: &FieldSpec, item: &Value) -> String {
    let text = value_at(item, &spec.path)
        .map(|v| format_value(&spec.kind, v))
        .unwrap_or_default();
    match &spec.kind {
        FieldKind::Choice(opts) if text.is_empty() && spec.required => {
            opts.first().cloned().unwrap_or_default()
        }
        _ => text,
    }
}

fn member_label(entry: usize, spec: &FieldSpec) -> String {
    format!("  #{} {}", entry + 1, spec.label)
}

/// What a key did to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Text or focus changed, or nothing happened.
    Edited,
    /// Enter: the caller should call [`Form::validate`] and send.
    Submit,
    /// Esc on an unchanged form: close it.
    Close,
    /// Esc on a changed form: ask before discarding.
    AskDiscard,
}

/// An open form.
#[derive(Debug, Clone)]
pub struct Form {
    title: String,
    fields: Vec<Field>,
    groups: Vec<Group>,
    focus: usize,
    error: Option<String>,
    sending: bool,
}

impl Form {
    /// An empty form with these fields.
    pub fn new(title: impl Into<String>, specs: Vec<FieldSpec>) -> Form {
        Form::filled(title, specs, &Value::Null)
    }

    /// A form showing the values `item` holds at each field's path.
    pub fn filled(title: impl Into<String>, specs: Vec<FieldSpec>, item: &Value) -> Form {
        let mut fields = Vec::new();
        let mut groups = Vec::new();
        for spec in specs {
            let FieldKind::Group(members) = &spec.kind else {
                let text = initial_text(&spec, item);
                let mut field = Field::new(spec.clone(), spec.label.clone(), Slot::Plain, text);
                field.original = value_at(item, &spec.path).cloned().unwrap_or_default();
                fields.push(field);
                continue;
            };
            let g = groups.len();
            let originals: Vec<Value> = value_at(item, &spec.path)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            fields.push(Field::new(
                spec.clone(),
                spec.label.clone(),
                Slot::Header { group: g },
                String::new(),
            ));
            for (entry, original) in originals.iter().enumerate() {
                for m in members {
                    let slot = Slot::Member { group: g, entry };
                    let text = initial_text(m, original);
                    fields.push(Field::new(m.clone(), member_label(entry, m), slot, text));
                }
            }
            groups.push(Group {
                members: members.clone(),
                spec,
                originals,
                reshaped: false,
            });
        }
        Form {
            title: title.into(),
            fields,
            groups,
            focus: 0,
            error: None,
            sending: false,
        }
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// Path of the focused field (`locations[1].name` inside a group).
    pub fn focused_path(&self) -> Option<String> {
        self.fields.get(self.focus).map(|f| self.full_path(f))
    }

    /// Index of the focused field.
    pub fn focus(&self) -> usize {
        self.focus
    }

    /// Where a field's value goes in the item: `name`, or `locations[1].name` in a group.
    fn full_path(&self, f: &Field) -> String {
        match f.slot {
            Slot::Member { group, entry } => {
                format!("{}[{entry}].{}", self.groups[group].spec.path, f.spec.path)
            }
            _ => f.spec.path.clone(),
        }
    }

    fn find(&self, path: &str) -> Option<usize> {
        self.fields.iter().position(|f| self.full_path(f) == path)
    }

    /// The text of the field at `path` (`locations[0].name` for a field of a group entry).
    pub fn text(&self, path: &str) -> Option<&str> {
        self.find(path).map(|i| self.fields[i].input.value())
    }

    /// The problem shown on the field at `path`.
    pub fn field_error(&self, path: &str) -> Option<&str> {
        self.find(path)
            .and_then(|i| self.fields[i].error.as_deref())
    }

    /// Shows a problem on the field at `path` and moves the focus there; the form stops
    /// waiting for an answer.
    pub fn set_field_error(&mut self, path: &str, message: &str) {
        self.sending = false;
        match self.find(path) {
            Some(i) => {
                self.fields[i].error = Some(message.to_string());
                self.focus = i;
                self.error = Some("1 field needs attention".into());
            }
            None => self.error = Some(format!("{path}: {message}")),
        }
    }

    /// Number of entries group `path` holds now.
    pub fn entries(&self, path: &str) -> usize {
        self.groups
            .iter()
            .position(|g| g.spec.path == path)
            .map_or(0, |g| self.entry_count(g))
    }

    fn entry_count(&self, g: usize) -> usize {
        self.groups[g].originals.len()
    }

    /// The merge patch that makes the field at `path` hold `new` on an edit: where the item
    /// held an object there, keys that `new` lacks are removed (a Feature replaced by a
    /// FeatureCollection loses its `geometry`).
    pub fn replacing(&self, path: &str, new: Value) -> Value {
        match self.find(path).map(|i| &self.fields[i].original) {
            Some(old @ Value::Object(_)) if new.is_object() => merge_diff(old, &new),
            _ => new,
        }
    }

    /// The files the form names, to be read before it is sent.
    pub fn files(&self) -> Vec<FileRequest> {
        self.fields
            .iter()
            .filter_map(|f| match (&f.spec.kind, f.slot) {
                (FieldKind::File(format), Slot::Plain) if !f.input.value().trim().is_empty() => {
                    Some(FileRequest {
                        field: f.spec.path.clone(),
                        path: f.input.value().trim().to_string(),
                        format: *format,
                    })
                }
                _ => None,
            })
            .collect()
    }

    /// The problem shown for the whole form.
    pub fn form_error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether any field differs from what the form opened with.
    pub fn is_changed(&self) -> bool {
        self.fields.iter().any(Field::is_changed) || self.groups.iter().any(|g| g.reshaped)
    }

    /// Whether a submit is waiting for the server's answer.
    pub fn is_sending(&self) -> bool {
        self.sending
    }

    /// Marks the form as sent (keys are ignored until the answer).
    pub fn set_sending(&mut self, sending: bool) {
        self.sending = sending;
    }

    /// Handles a key.
    pub fn handle_key(&mut self, key: &KeyEvent) -> FormOutcome {
        if self.sending {
            return FormOutcome::Edited;
        }
        let n = self.fields.len().max(1);
        match key.code {
            KeyCode::Enter => return FormOutcome::Submit,
            KeyCode::Esc if self.is_changed() => return FormOutcome::AskDiscard,
            KeyCode::Esc => return FormOutcome::Close,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            KeyCode::Char('n') if key.modifiers.contains(KeyModifiers::CONTROL) => self.add_entry(),
            KeyCode::Char('d') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.remove_entry()
            }
            _ => self.edit(key),
        }
        FormOutcome::Edited
    }

    /// Adds an empty entry to the group the focus is in, and focuses its first field.
    pub fn add_entry(&mut self) {
        let Some(g) = self.fields.get(self.focus).and_then(|f| f.slot.group()) else {
            return;
        };
        let entry = self.entry_count(g);
        let at = self
            .fields
            .iter()
            .rposition(|f| f.slot.group() == Some(g))
            .map_or(self.fields.len(), |i| i + 1);
        let rows: Vec<Field> = self.groups[g]
            .members
            .iter()
            .map(|m| {
                let slot = Slot::Member { group: g, entry };
                Field::new(
                    m.clone(),
                    member_label(entry, m),
                    slot,
                    initial_text(m, &Value::Null),
                )
            })
            .collect();
        self.fields.splice(at..at, rows);
        self.groups[g].originals.push(Value::Null);
        self.groups[g].reshaped = true;
        self.focus = at;
        self.error = None;
    }

    /// Removes the group entry the focus is in; the focus moves to the row before it.
    pub fn remove_entry(&mut self) {
        let Some(Slot::Member { group: g, entry: e }) = self.fields.get(self.focus).map(|f| f.slot)
        else {
            return;
        };
        let first = self
            .fields
            .iter()
            .position(|f| f.slot == Slot::Member { group: g, entry: e })
            .unwrap_or(self.focus);
        self.fields
            .retain(|f| f.slot != Slot::Member { group: g, entry: e });
        for f in &mut self.fields {
            if let Slot::Member { group, entry } = &mut f.slot
                && *group == g
                && *entry > e
            {
                *entry -= 1;
                f.label = member_label(*entry, &f.spec);
            }
        }
        self.groups[g].originals.remove(e);
        self.groups[g].reshaped = true;
        self.focus = first
            .saturating_sub(1)
            .min(self.fields.len().saturating_sub(1));
        self.error = None;
    }

    /// Inserts pasted text into the focused field.
    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus)
            && !matches!(f.slot, Slot::Header { .. })
        {
            for c in text.chars() {
                let c = if c.is_control() { ' ' } else { c };
                f.input.handle(InputRequest::InsertChar(c));
            }
            f.error = None;
        }
    }

    fn edit(&mut self, key: &KeyEvent) {
        let Some(f) = self.fields.get_mut(self.focus) else {
            return;
        };
        if matches!(f.slot, Slot::Header { .. }) {
            return;
        }
        let cycle = |opts: &[String], cur: &str, back: bool| -> String {
            let i = opts.iter().position(|o| o == cur);
            let n = opts.len();
            let next = match (i, back) {
                (None, _) => 0,
                (Some(i), false) => (i + 1) % n,
                (Some(i), true) => (i + n - 1) % n,
            };
            opts.get(next).cloned().unwrap_or_default()
        };
        let back = key.code == KeyCode::Left;
        let toggles = matches!(
            key.code,
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
        ) && !key.modifiers.contains(KeyModifiers::CONTROL);
        let replaced = match &f.spec.kind {
            FieldKind::Choice(opts) if toggles => Some(cycle(opts, f.input.value(), back)),
            FieldKind::Bool if toggles => {
                let yes = ["yes".to_string(), "no".to_string()];
                Some(cycle(&yes, f.input.value(), back))
            }
            FieldKind::Choice(_) | FieldKind::Bool
                if !matches!(key.code, KeyCode::Backspace | KeyCode::Delete) =>
            {
                return;
            }
            _ => None,
        };
        match replaced {
            Some(text) => f.input = Input::new(text),
            None => {
                if let Some(req) = to_input_request(&TermEvent::Key(*key)) {
                    f.input.handle(req);
                }
            }
        }
        f.error = None;
        self.error = None;
    }

    /// Checks every field, shows the problems on them, and moves the focus to the first
    /// bad one; on success returns every non-empty value as an item.
    pub fn validate(&mut self) -> Result<Map<String, Value>, usize> {
        self.collect(false)
    }

    /// Like [`Form::validate`] but returns only the fields that changed (cleared fields as
    /// `null`), as a merge patch.
    pub fn changes(&mut self) -> Result<Map<String, Value>, usize> {
        self.collect(true)
    }

    fn collect(&mut self, only_changed: bool) -> Result<Map<String, Value>, usize> {
        let mut out = Map::new();
        let mut entries: Vec<Vec<Value>> =
            self.groups.iter().map(|g| g.originals.clone()).collect();
        let mut group_changed: Vec<bool> = self.groups.iter().map(|g| g.reshaped).collect();
        let mut bad = 0;
        let mut first_bad = None;
        for (i, f) in self.fields.iter_mut().enumerate() {
            if matches!(f.slot, Slot::Header { .. }) {
                continue;
            }
            let parsed = parse_value(&f.spec.kind, f.input.value()).and_then(|v| match v {
                None if f.spec.required => Err("required".to_string()),
                v => Ok(v),
            });
            let v = match parsed {
                Err(e) => {
                    f.error = Some(e);
                    bad += 1;
                    first_bad.get_or_insert(i);
                    continue;
                }
                Ok(v) => v,
            };
            f.error = None;
            let changed = f.is_changed();
            match f.slot {
                Slot::Member { group, entry } => {
                    group_changed[group] |= changed;
                    let Some(slot) = entries.get_mut(group).and_then(|e| e.get_mut(entry)) else {
                        continue;
                    };
                    if !slot.is_object() {
                        *slot = Value::Object(Map::new());
                    }
                    if let Value::Object(o) = slot {
                        match v {
                            Some(v) => set_at(o, &f.spec.path, v),
                            // Untouched empty text may stand for a value the form cannot show.
                            None if changed => remove_at(o, &f.spec.path),
                            None => {}
                        }
                    }
                }
                _ if matches!(f.spec.kind, FieldKind::File(_)) => {}
                _ => match v {
                    Some(v) if !only_changed => set_at(&mut out, &f.spec.path, v),
                    Some(v) if changed => {
                        let v = match (&f.spec.kind, parse_value(&f.spec.kind, &f.initial)) {
                            (FieldKind::Json, Ok(Some(old))) => merge_diff(&old, &v),
                            _ => v,
                        };
                        set_at(&mut out, &f.spec.path, v)
                    }
                    None if only_changed && changed => set_at(&mut out, &f.spec.path, Value::Null),
                    _ => {}
                },
            }
        }
        for (g, list) in entries.into_iter().enumerate() {
            let send = if only_changed {
                group_changed[g]
            } else {
                !list.is_empty()
            };
            if send {
                set_at(&mut out, &self.groups[g].spec.path, Value::Array(list));
            }
        }
        match first_bad {
            Some(i) => {
                self.focus = i;
                self.error = Some(if bad == 1 {
                    "1 field needs attention".to_string()
                } else {
                    format!("{bad} fields need attention")
                });
                Err(bad)
            }
            None => {
                self.error = None;
                Ok(out)
            }
        }
    }

    /// Shows the server's problems on the fields they name (`timeWindows[0]` lands on
    /// `timeWindows`, `location.coordinates` on that field); the rest on the form.
    pub fn set_server_errors(&mut self, message: &str, errors: &[ItemError]) {
        self.sending = false;
        let mut unplaced = Vec::new();
        let mut first = None;
        for e in errors {
            let problems = e.problems.as_deref().unwrap_or_default();
            if problems.is_empty() {
                unplaced.push(e.message.clone());
            }
            for p in problems {
                let hit = self.place(&p.field);
                match hit {
                    Some(i) => {
                        self.fields[i].error = Some(p.message.clone());
                        first.get_or_insert(i);
                    }
                    None => unplaced.push(format!("{}: {}", p.field, p.message)),
                }
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
        self.error = Some(if unplaced.is_empty() {
            message.to_string()
        } else {
            unplaced.join("; ")
        });
    }

    /// The row a server problem at `field` belongs on: the field itself (`locations[1].name`
    /// lands on entry 2's name), else the field it lies inside or that lies inside it.
    fn place(&self, field: &str) -> Option<usize> {
        let near = |path: &str, field: &str| {
            path == field
                || field.starts_with(&format!("{path}."))
                || field.starts_with(&format!("{path}["))
                || path.starts_with(&format!("{field}."))
        };
        let paths: Vec<String> = self.fields.iter().map(|f| self.full_path(f)).collect();
        paths
            .iter()
            .position(|p| p == field)
            .or_else(|| paths.iter().position(|p| near(p, field)))
            .or_else(|| {
                let bare = field.split('[').next().unwrap_or_default();
                paths.iter().position(|p| near(p, bare))
            })
    }

    /// The first row shown when `rows` rows fit: the focus stays in view.
    fn top(&self, rows: usize) -> usize {
        (self.focus + 1).saturating_sub(rows.max(1))
    }

    /// Where the terminal cursor goes when the form is drawn in `area`.
    pub fn cursor(&self, area: Rect) -> Position {
        let inner = FormView::inner(self, area);
        let label_w = self.label_width();
        let top = self.top(FormView::rows(inner));
        let y = inner.y + (self.focus.saturating_sub(top) as u16) * 2;
        let x = self
            .fields
            .get(self.focus)
            .map_or(0, |f| f.input.visual_cursor() as u16);
        Position::new(
            (inner.x + label_w + 2 + x).min(inner.right().saturating_sub(1)),
            y.min(inner.bottom().saturating_sub(1)),
        )
    }

    fn label_width(&self) -> u16 {
        self.fields
            .iter()
            .map(|f| f.label.chars().count() as u16 + u16::from(f.spec.required))
            .max()
            .unwrap_or(0)
    }
}
#[cfg(test)]
mod tests;
