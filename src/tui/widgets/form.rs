//! The one form every create and edit uses: typed fields on tui-input, Tab/Shift-Tab
//! between them, inline validation before anything is sent, and server problems shown on
//! the fields they concern. The form never forgets what was typed: it is the caller that
//! closes it, and only after a successful answer.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use serde_json::{Map, Value};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

use crate::api::model::{Coordinates, Date, ItemError, TimeWindow, fmt_minutes, parse_minutes};
use crate::tui::theme::{Theme, Tone};

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

/// Most days one range of a [`FieldKind::Dates`] field may cover.
const MAX_RANGE_DAYS: i64 = 366;

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

/// Reads a field's text into its JSON value; `None` when empty.
pub fn parse_value(kind: &FieldKind, text: &str) -> Result<Option<Value>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v = match kind {
        FieldKind::Text => Value::String(t.to_string()),
        FieldKind::Integer => Value::from(
            t.parse::<i64>()
                .map_err(|_| format!("{t:?} is not a whole number"))?,
        ),
        FieldKind::Decimal => {
            let n: f64 = t.parse().map_err(|_| format!("{t:?} is not a number"))?;
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| format!("{t:?} is not a finite number"))?
        }
        FieldKind::Date => {
            let d: Date = t
                .parse()
                .map_err(|e: crate::api::model::DateError| e.to_string())?;
            to_json(&d)?
        }
        FieldKind::Time => {
            let m = parse_minutes(t)?;
            if m > 1440 {
                return Err(format!("{t:?} is past 24:00"));
            }
            Value::from(m)
        }
        FieldKind::TimeWindows => {
            let windows = t
                .split(',')
                .map(TimeWindow::parse)
                .collect::<Result<Vec<_>, _>>()?;
            to_json(&windows)?
        }
        FieldKind::Coordinates => {
            let (lat, lon) = t
                .split_once(',')
                .ok_or_else(|| format!("{t:?}: expected lat, lon"))?;
            let lat: f64 = lat
                .trim()
                .parse()
                .map_err(|_| format!("latitude {:?} is not a number", lat.trim()))?;
            let lon: f64 = lon
                .trim()
                .parse()
                .map_err(|_| format!("longitude {:?} is not a number", lon.trim()))?;
            if !(-90.0..=90.0).contains(&lat) {
                return Err(format!("latitude {lat} is outside -90..90"));
            }
            if !(-180.0..=180.0).contains(&lon) {
                return Err(format!("longitude {lon} is outside -180..180"));
            }
            to_json(&Coordinates::new(lon, lat))?
        }
        FieldKind::Choice(options) => {
            let o = options
                .iter()
                .find(|o| o.eq_ignore_ascii_case(t))
                .ok_or_else(|| format!("{t:?} is not one of {}", options.join(", ")))?;
            match o.parse::<i64>() {
                Ok(n) if options.iter().all(|o| o.parse::<i64>().is_ok()) => Value::from(n),
                _ => Value::String(o.clone()),
            }
        }
        FieldKind::Bool => match t.to_ascii_lowercase().as_str() {
            "yes" | "true" | "y" => Value::Bool(true),
            "no" | "false" | "n" => Value::Bool(false),
            _ => return Err(format!("{t:?}: expected yes or no")),
        },
        FieldKind::Tags => Value::Array(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        FieldKind::Dates => to_json(&parse_dates(t)?)?,
        FieldKind::Json => serde_json::from_str(t).map_err(|e| format!("not valid JSON: {e}"))?,
        // The file's name is no value of the item; the caller reads it on submit.
        FieldKind::File(_) => Value::String(t.to_string()),
        FieldKind::Group(_) => return Ok(None),
    };
    Ok(Some(v))
}

/// Reads `2025-08-22, 2025-08-25..2025-08-29` into the days it names, in order, once each.
pub fn parse_dates(text: &str) -> Result<Vec<Date>, String> {
    let day = |s: &str| -> Result<Date, String> {
        s.trim()
            .parse()
            .map_err(|e: crate::api::model::DateError| e.to_string())
    };
    let mut out: Vec<Date> = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (from, to) = match part.split_once("..") {
            Some((a, b)) => (day(a)?, day(b)?),
            None => {
                let d = day(part)?;
                (d, d)
            }
        };
        if to < from {
            return Err(format!("{part:?} ends before it starts"));
        }
        let mut d = from;
        let mut n = 0;
        while d <= to {
            n += 1;
            if n > MAX_RANGE_DAYS {
                return Err(format!("{part:?} covers more than {MAX_RANGE_DAYS} days"));
            }
            if !out.contains(&d) {
                out.push(d);
            }
            d = d.add_days(1);
        }
    }
    Ok(out)
}

/// The merge patch that turns `old` into `new`: changed keys, removed ones as `null`.
pub fn merge_diff(old: &Value, new: &Value) -> Value {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let mut out = Map::new();
            for (k, nv) in n {
                match o.get(k) {
                    Some(ov) if ov == nv => {}
                    Some(ov @ Value::Object(_)) if nv.is_object() => {
                        out.insert(k.clone(), merge_diff(ov, nv));
                    }
                    _ => {
                        out.insert(k.clone(), nv.clone());
                    }
                }
            }
            for k in o.keys().filter(|k| !n.contains_key(*k)) {
                out.insert(k.clone(), Value::Null);
            }
            Value::Object(out)
        }
        _ => new.clone(),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

/// Shows a JSON value as the text a field of `kind` would hold ("" when absent or unreadable).
pub fn format_value(kind: &FieldKind, v: &Value) -> String {
    match (kind, v) {
        (_, Value::Null) => String::new(),
        (FieldKind::Date, v) => serde_json::from_value::<Date>(v.clone())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        (FieldKind::Time, Value::Number(n)) => n
            .as_u64()
            .map(|m| fmt_minutes(m as u32))
            .unwrap_or_default(),
        (FieldKind::TimeWindows, v) => serde_json::from_value::<Vec<TimeWindow>>(v.clone())
            .map(|ws| {
                ws.iter()
                    .map(|w| format!("{}-{}", fmt_minutes(w.start), fmt_minutes(w.end)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        (FieldKind::Coordinates, v) => serde_json::from_value::<Coordinates>(v.clone())
            .map(|c| format!("{}, {}", c.lat(), c.lon()))
            .unwrap_or_default(),
        // Whole numbers may arrive as `5.0`; show them as the integer they are.
        (FieldKind::Integer, Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 9e15 => (f as i64).to_string(),
            _ => n.to_string(),
        },
        (FieldKind::Bool, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        (FieldKind::Tags, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        (FieldKind::Dates, v) => serde_json::from_value::<Vec<Date>>(v.clone())
            .map(|ds| {
                ds.iter()
                    .map(Date::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default(),
        (FieldKind::Json, v) => v.to_string(),
        (FieldKind::File(_) | FieldKind::Group(_), _) => String::new(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => n.to_string(),
        (_, other) => other.to_string(),
    }
}

/// The value at a dotted path of an item.
pub fn value_at<'a>(item: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(item, |v, k| v.get(k))
}

/// Sets the value at a dotted path, creating objects on the way.
pub fn set_at(obj: &mut Map<String, Value>, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            obj.insert(path.to_string(), v);
        }
        Some((head, rest)) => {
            let entry = obj
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                set_at(inner, rest, v);
            }
        }
    }
}

/// Removes the value at a dotted path, if there is one.
pub fn remove_at(obj: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            obj.remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = obj.get_mut(head) {
                remove_at(inner, rest);
            }
        }
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
    fn rows(inner: Rect) -> usize {
        (inner.height.saturating_sub(1) as usize).div_ceil(2).max(1)
    }

    fn inner(form: &Form, area: Rect) -> Rect {
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
                buf.set_stringn(
                    inner.x + label_w + 2,
                    y + 1,
                    format!("⚠ {e}"),
                    value_w as usize,
                    self.theme.error_text(),
                );
            }
        }
        if let Some(e) = &form.error {
            let y = inner.bottom().saturating_sub(1);
            buf.set_stringn(inner.x, y, e, inner.width as usize, self.theme.error_text());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::FieldProblem;
    use serde_json::json;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn type_text(f: &mut Form, s: &str) {
        for c in s.chars() {
            f.handle_key(&key(KeyCode::Char(c)));
        }
    }

    #[test]
    fn every_field_type_reads_and_refuses() {
        use FieldKind::*;
        let ok = |k: FieldKind, s: &str| parse_value(&k, s).unwrap();
        let bad = |k: FieldKind, s: &str| parse_value(&k, s).unwrap_err();
        assert_eq!(ok(Text, " hi "), Some(json!("hi")));
        assert_eq!(ok(Text, "  "), None);
        assert_eq!(ok(Integer, "42"), Some(json!(42)));
        assert!(bad(Integer, "4.2").contains("whole number"));
        assert_eq!(ok(Decimal, "2.5"), Some(json!(2.5)));
        assert!(bad(Decimal, "abc").contains("not a number"));
        assert_eq!(ok(Date, "2025-08-22"), Some(json!(20250822)));
        assert!(bad(Date, "2025-13-01").contains("invalid date"));
        assert_eq!(ok(Time, "09:30"), Some(json!(570)));
        assert!(bad(Time, "9h30").contains("HH:MM"));
        assert!(bad(Time, "25:00").contains("past 24:00"));
        assert_eq!(
            ok(TimeWindows, "09:00-12:00, 14:00-17:30"),
            Some(json!([{"start": 540, "end": 720}, {"start": 840, "end": 1050}]))
        );
        assert!(bad(TimeWindows, "12:00-09:00").contains("before it starts"));
        assert_eq!(ok(Coordinates, "51.5, -0.12"), Some(json!([-0.12, 51.5])));
        assert!(bad(Coordinates, "95, 0").contains("latitude"));
        assert!(bad(Coordinates, "51.5").contains("lat, lon"));
        let c = Choice(vec!["1".into(), "2".into()]);
        assert_eq!(ok(c.clone(), "2"), Some(json!(2)));
        assert!(bad(c, "3").contains("not one of"));
        let c = Choice(vec!["Mon".into(), "Tue".into()]);
        assert_eq!(ok(c, "tue"), Some(json!("Tue")));
        assert_eq!(ok(Bool, "yes"), Some(json!(true)));
        assert!(bad(Bool, "maybe").contains("yes or no"));
        assert_eq!(ok(Tags, "a, b,,c"), Some(json!(["a", "b", "c"])));
    }

    #[test]
    fn values_round_trip_through_the_field_text() {
        let cases = [
            (FieldKind::Date, json!(20250822), "2025-08-22"),
            (FieldKind::Time, json!(570), "09:30"),
            (
                FieldKind::TimeWindows,
                json!([{"start": 540, "end": 720}]),
                "09:00-12:00",
            ),
            (FieldKind::Coordinates, json!([-0.12, 51.5]), "51.5, -0.12"),
            (FieldKind::Bool, json!(false), "no"),
            (FieldKind::Tags, json!(["a", "b"]), "a, b"),
            (FieldKind::Integer, json!(7), "7"),
            (FieldKind::Decimal, json!(2.5), "2.5"),
        ];
        for (k, v, text) in cases {
            assert_eq!(format_value(&k, &v), text);
            assert_eq!(parse_value(&k, text).unwrap(), Some(v));
        }
        assert_eq!(format_value(&FieldKind::Integer, &json!(5.0)), "5");
    }

    fn task_form(item: &Value) -> Form {
        Form::filled(
            "Edit task",
            vec![
                FieldSpec::new("reference", "Reference", FieldKind::Text).required(),
                FieldSpec::new("date", "Date", FieldKind::Date),
                FieldSpec::new("timeWindows", "Time windows", FieldKind::TimeWindows),
                FieldSpec::new(
                    "location.coordinates",
                    "Coordinates",
                    FieldKind::Coordinates,
                ),
                FieldSpec::new(
                    "priority",
                    "Priority",
                    FieldKind::Choice(vec!["0".into(), "1".into(), "2".into()]),
                ),
                FieldSpec::new("urgent", "Urgent", FieldKind::Bool),
            ],
            item,
        )
    }

    #[test]
    fn tab_moves_between_fields_and_changes_are_a_merge_patch() {
        let item = json!({"reference": "R1", "date": 20250822,
            "location": {"address": "1 High St", "coordinates": [-0.1, 51.5]}});
        let mut f = task_form(&item);
        assert!(!f.is_changed());
        f.handle_key(&key(KeyCode::Tab));
        assert_eq!(f.focus(), 1);
        for _ in 0..10 {
            f.handle_key(&key(KeyCode::Backspace));
        }
        type_text(&mut f, "2025-08-25");
        f.handle_key(&key(KeyCode::Tab));
        f.handle_key(&key(KeyCode::Tab));
        for _ in 0..20 {
            f.handle_key(&key(KeyCode::Backspace));
        }
        f.handle_key(&key(KeyCode::BackTab));
        assert_eq!(f.focus(), 2);
        f.handle_key(&key(KeyCode::Tab));
        f.handle_key(&key(KeyCode::Tab));
        f.handle_key(&key(KeyCode::Right));
        f.handle_key(&key(KeyCode::Right));
        assert_eq!(f.text("priority"), Some("1"));
        f.handle_key(&key(KeyCode::Tab));
        f.handle_key(&key(KeyCode::Char(' ')));
        assert_eq!(f.text("urgent"), Some("yes"));
        assert!(f.is_changed());
        assert_eq!(
            Value::Object(f.changes().unwrap()),
            json!({"date": 20250825, "location": {"coordinates": null},
                "priority": 1, "urgent": true})
        );
    }

    #[test]
    fn invalid_fields_block_the_submit_and_show_where() {
        let mut f = task_form(&Value::Null);
        f.handle_key(&key(KeyCode::Tab));
        f.handle_key(&key(KeyCode::Tab));
        type_text(&mut f, "12:00-09:00");
        assert_eq!(f.handle_key(&key(KeyCode::Enter)), FormOutcome::Submit);
        assert_eq!(f.validate(), Err(2));
        assert_eq!(f.field_error("reference"), Some("required"));
        assert!(
            f.field_error("timeWindows")
                .is_some_and(|e| e.contains("before it starts"))
        );
        assert_eq!(f.focus(), 0);
        // Typing clears the field's problem; the text typed so far is kept.
        type_text(&mut f, "R9");
        assert_eq!(f.field_error("reference"), None);
        assert_eq!(f.text("timeWindows"), Some("12:00-09:00"));
    }

    #[test]
    fn server_problems_land_on_their_fields() {
        let mut f = task_form(&Value::Null);
        f.set_sending(true);
        let problem = |field: &str| FieldProblem {
            field: field.into(),
            message: format!("bad {field}"),
        };
        let errors = vec![ItemError {
            index: Some(0),
            id: None,
            reference: None,
            message: "invalid".into(),
            problems: Some(vec![
                problem("timeWindows[0]"),
                problem("location.coordinates"),
                problem("size"),
            ]),
        }];
        f.set_server_errors("rejected", &errors);
        assert!(!f.is_sending());
        assert_eq!(f.field_error("timeWindows"), Some("bad timeWindows[0]"));
        assert_eq!(
            f.field_error("location.coordinates"),
            Some("bad location.coordinates")
        );
        assert_eq!(f.form_error(), Some("size: bad size"));
        assert_eq!(f.focus(), 2);
    }

    #[test]
    fn esc_asks_only_when_something_changed() {
        let mut f = task_form(&json!({"reference": "R1"}));
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormOutcome::Close);
        type_text(&mut f, "x");
        assert_eq!(f.handle_key(&key(KeyCode::Esc)), FormOutcome::AskDiscard);
    }

    fn customer_form(item: &Value) -> Form {
        Form::filled(
            "Customer",
            vec![
                FieldSpec::new("name", "Name", FieldKind::Text).required(),
                FieldSpec::new(
                    "locations",
                    "Locations",
                    FieldKind::Group(vec![
                        FieldSpec::new("name", "Name", FieldKind::Text),
                        FieldSpec::new("coordinates", "Coordinates", FieldKind::Coordinates),
                    ]),
                ),
            ],
            item,
        )
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn focus_on(f: &mut Form, path: &str) {
        for _ in 0..f.fields.len() {
            if f.full_path(&f.fields[f.focus]) == path {
                return;
            }
            f.handle_key(&key(KeyCode::Tab));
        }
        panic!("no field {path}");
    }

    #[test]
    fn group_entries_are_added_removed_and_keep_unknown_fields() {
        let item = json!({"name": "Acme", "locations": [
            {"uid": "CL-1", "name": "HQ", "schedule": {"Mon": {}}},
            {"uid": "CL-2", "name": "Store", "coordinates": [-0.5, 51.2]},
        ]});
        let mut f = customer_form(&item);
        assert_eq!(f.entries("locations"), 2);
        assert_eq!(f.text("locations[1].coordinates"), Some("51.2, -0.5"));
        assert_eq!(
            f.changes().unwrap(),
            Map::new(),
            "an untouched group sends nothing"
        );
        // Rename the second entry, add a third, remove the first.
        focus_on(&mut f, "locations[1].name");
        type_text(&mut f, "2");
        f.handle_key(&ctrl('n'));
        assert_eq!(f.entries("locations"), 3);
        assert_eq!(f.full_path(&f.fields[f.focus]), "locations[2].name");
        type_text(&mut f, "Depot");
        focus_on(&mut f, "locations[0].name");
        f.handle_key(&ctrl('d'));
        assert_eq!(f.entries("locations"), 2);
        assert_eq!(f.text("locations[0].name"), Some("Store2"));
        assert_eq!(f.text("locations[1].name"), Some("Depot"));
        assert!(f.is_changed());
        assert_eq!(
            Value::Object(f.changes().unwrap()),
            json!({"locations": [
                {"uid": "CL-2", "name": "Store2", "coordinates": [-0.5, 51.2]},
                {"name": "Depot"},
            ]})
        );
        // Ctrl-D outside a group entry does nothing; Ctrl-N on the heading adds.
        focus_on(&mut f, "name");
        f.handle_key(&ctrl('d'));
        assert_eq!(f.entries("locations"), 2);
        focus_on(&mut f, "locations");
        f.handle_key(&ctrl('n'));
        assert_eq!(f.entries("locations"), 3);
    }

    #[test]
    fn group_problems_land_on_their_entry() {
        let mut f = customer_form(&json!({"name": "A", "locations": [{}, {}]}));
        focus_on(&mut f, "locations[1].coordinates");
        type_text(&mut f, "99, 0");
        assert_eq!(f.validate(), Err(1));
        assert!(
            f.field_error("locations[1].coordinates")
                .is_some_and(|e| e.contains("latitude"))
        );
        assert_eq!(f.form_error(), Some("1 field needs attention"));
        let problem = FieldProblem {
            field: "locations[0].name".into(),
            message: "too long".into(),
        };
        f.set_server_errors(
            "invalid",
            &[ItemError {
                index: Some(0),
                id: None,
                reference: None,
                message: "invalid".into(),
                problems: Some(vec![problem]),
            }],
        );
        assert_eq!(f.field_error("locations[0].name"), Some("too long"));
        assert_eq!(f.field_error("locations[1].name"), None);
    }

    #[test]
    fn date_lists_json_and_files() {
        let ok = |k: FieldKind, s: &str| parse_value(&k, s).unwrap();
        assert_eq!(
            ok(
                FieldKind::Dates,
                "2025-08-29, 2025-08-22..2025-08-24, 2025-08-23"
            ),
            Some(json!([20250829, 20250822, 20250823, 20250824]))
        );
        let bad = |s: &str| parse_value(&FieldKind::Dates, s).unwrap_err();
        assert!(bad("2025-08-24..2025-08-22").contains("ends before"));
        assert!(bad("2025-01-01..2026-12-31").contains("more than 366 days"));
        assert!(bad("2025-02-30").contains("invalid date"));
        assert_eq!(
            format_value(&FieldKind::Dates, &json!([20250822, 20250825])),
            "2025-08-22, 2025-08-25"
        );
        assert!(
            parse_value(&FieldKind::Json, "{oops")
                .unwrap_err()
                .contains("not valid JSON")
        );
        // An edited JSON object sends only what changed, removed keys as null.
        let mut f = Form::filled(
            "Submission",
            vec![
                FieldSpec::new("data", "Answers", FieldKind::Json),
                FieldSpec::new(
                    "geoJSON",
                    "Boundary",
                    FieldKind::File(FileFormat::GeoJsonArea),
                ),
            ],
            &json!({"data": {"a": 1, "b": {"c": 2, "d": 3}, "e": 5},
                "geoJSON": {"type": "Feature"}}),
        );
        assert_eq!(f.text("geoJSON"), Some(""), "a file field shows no value");
        assert!(f.files().is_empty());
        for _ in 0..40 {
            f.handle_key(&key(KeyCode::Backspace));
        }
        type_text(&mut f, r#"{"a": 1, "b": {"c": 2, "d": 4}, "f": true}"#);
        f.handle_key(&key(KeyCode::Tab));
        type_text(&mut f, "/tmp/area.geojson");
        assert_eq!(
            Value::Object(f.changes().unwrap()),
            json!({"data": {"b": {"d": 4}, "f": true, "e": null}}),
            "the file is not a value: the caller reads it"
        );
        assert_eq!(
            f.files(),
            vec![FileRequest {
                field: "geoJSON".into(),
                path: "/tmp/area.geojson".into(),
                format: FileFormat::GeoJsonArea,
            }]
        );
        f.set_field_error("geoJSON", "no such file");
        assert_eq!(f.field_error("geoJSON"), Some("no such file"));
        assert_eq!(f.focus(), 1);
    }

    #[test]
    fn long_forms_scroll_to_keep_the_focus_in_view() {
        let specs: Vec<FieldSpec> = (0..30)
            .map(|i| FieldSpec::new(&format!("f{i}"), &format!("Field {i}"), FieldKind::Text))
            .collect();
        let mut f = Form::new("Long", specs);
        for _ in 0..25 {
            f.handle_key(&key(KeyCode::Tab));
        }
        let area = Rect::new(0, 0, 80, 20);
        let mut buf = Buffer::empty(area);
        FormView {
            form: &f,
            theme: Theme::MONO,
        }
        .render(area, &mut buf);
        let text: String = (0..20)
            .flat_map(|y| (0..80).map(move |x| (x, y)))
            .map(|(x, y)| buf[(x, y)].symbol().to_string())
            .collect();
        assert!(text.contains("Field 25"), "the focused field is drawn");
        assert!(!text.contains("Field 0 "), "the first fields scrolled away");
        let c = f.cursor(area);
        assert!(c.y < 20);
    }
}
