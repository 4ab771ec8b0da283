//! The `Resource` trait: everything the generic collection screen needs to know about one
//! entity kind (columns, cell text, filter fields, id, title). One impl per collection
//! lives in `resources/`; [`resource`] is the registry.

use jiff::tz::TimeZone;
use serde_json::Value;

use crate::api::paths::Collection;

use super::resources;
use super::theme::Tone;
use super::value_fmt;

/// How a column sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKind {
    /// Case-insensitive text order.
    Text,
    /// By the leading number of the cell (`12.3 km`); empty cells last.
    Number,
}

/// One table column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Width in cells (the minimum for a flexible column).
    pub width: u16,
    /// Whether the column takes the room left over.
    pub flex: bool,
    /// How wide a fixed column may grow when there is room, before the flexible one takes
    /// the rest (its `width` unless [`Column::up_to`] says more).
    pub max: u16,
    /// How the column sorts.
    pub sort: SortKind,
}

impl Column {
    /// A fixed-width text column.
    pub const fn text(title: &'static str, width: u16) -> Column {
        Column {
            title,
            width,
            flex: false,
            max: width,
            sort: SortKind::Text,
        }
    }
    /// A text column that grows into the spare width.
    pub const fn flex(title: &'static str, width: u16) -> Column {
        Column {
            title,
            width,
            flex: true,
            max: width,
            sort: SortKind::Text,
        }
    }
    /// A fixed-width column sorted by number.
    pub const fn number(title: &'static str, width: u16) -> Column {
        Column {
            title,
            width,
            flex: false,
            max: width,
            sort: SortKind::Number,
        }
    }
    /// The same column, growing up to `max` cells when the table has room (values such as
    /// vehicle names that are often longer than the width they need at least).
    pub const fn up_to(self, max: u16) -> Column {
        Column { max, ..self }
    }
}

/// Where a `field:value` filter token looks.
#[derive(Clone, Copy)]
pub enum FieldSource {
    /// The text of a column (cheap: precomputed).
    Column(usize),
    /// Text read from the item itself, for fields that are not columns.
    Value(fn(&Value) -> String),
}

impl std::fmt::Debug for FieldSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldSource::Column(i) => write!(f, "Column({i})"),
            FieldSource::Value(_) => f.write_str("Value(..)"),
        }
    }
}

/// A name usable in `name:value` filter tokens.
#[derive(Debug, Clone, Copy)]
pub struct FilterField {
    /// The token name (`state`, `driver`, `postcode` …).
    pub name: &'static str,
    /// Where to look.
    pub source: FieldSource,
}

impl FilterField {
    /// A field backed by a column.
    pub const fn column(name: &'static str, index: usize) -> FilterField {
        FilterField {
            name,
            source: FieldSource::Column(index),
        }
    }
    /// A field read from the item.
    pub const fn value(name: &'static str, read: fn(&Value) -> String) -> FilterField {
        FilterField {
            name,
            source: FieldSource::Value(read),
        }
    }
}

/// What cell formatting may depend on besides the item.
#[derive(Debug, Clone)]
pub struct CellCtx {
    /// Time zone for Unix timestamps.
    pub tz: TimeZone,
}

/// Separates cells in a row's text; control characters never reach the text.
pub const CELL_SEP: char = '\u{1f}';

/// Collects the cells of one row into a single string (one allocation per row).
#[derive(Debug)]
pub struct Cells<'a> {
    buf: &'a mut String,
    count: usize,
}

impl<'a> Cells<'a> {
    /// Starts a row in `buf` (cleared).
    pub fn new(buf: &'a mut String) -> Cells<'a> {
        buf.clear();
        Cells { buf, count: 0 }
    }

    /// Adds a cell; control characters become spaces so the terminal is never confused.
    pub fn push(&mut self, s: &str) {
        if self.count > 0 {
            self.buf.push(CELL_SEP);
        }
        self.count += 1;
        self.buf
            .extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }

    /// Adds an optional cell (empty when absent).
    pub fn push_opt(&mut self, s: Option<&str>) {
        self.push(s.unwrap_or(""));
    }

    /// Cells written so far.
    pub fn count(&self) -> usize {
        self.count
    }
}

/// One entity kind as the console shows it.
pub trait Resource: Sync {
    /// The collection.
    fn collection(&self) -> Collection;

    /// Table columns.
    fn columns(&self) -> &'static [Column];

    /// Writes one cell per column for `item`.
    fn cells(&self, item: &Value, ctx: &CellCtx, out: &mut Cells<'_>);

    /// Names usable in `field:value` filter tokens.
    fn filter_fields(&self) -> &'static [FilterField];

    /// How to paint a cell of column `col` (e.g. task states in colour).
    fn tone(&self, _col: usize, _cell: &str) -> Tone {
        Tone::Normal
    }

    /// Server id.
    fn id<'v>(&self, item: &'v Value) -> Option<&'v str> {
        value_fmt::text(item, "_id")
    }

    /// What a person calls the item: its reference, else its UID.
    fn reference<'v>(&self, item: &'v Value) -> Option<&'v str> {
        value_fmt::text(item, "reference").or_else(|| value_fmt::text(item, "uid"))
    }

    /// Title of the detail view: `Task T-1234 · REF-1`.
    fn title(&self, item: &Value) -> String {
        let kind = self.collection().singular();
        let uid = value_fmt::text(item, "uid").or_else(|| self.id(item));
        let name = value_fmt::text(item, "name").or_else(|| value_fmt::text(item, "reference"));
        let mut t = capitalise(kind);
        for part in [uid, name].into_iter().flatten() {
            t.push_str(if t.len() == kind.len() { " " } else { " · " });
            t.push_str(part);
        }
        t
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The resource of a collection.
pub fn resource(c: Collection) -> &'static dyn Resource {
    match c {
        Collection::Tasks => &resources::tasks::Tasks,
        Collection::Routes => &resources::routes::Routes,
        Collection::Drivers => &resources::drivers::Drivers,
        Collection::Vehicles => &resources::vehicles::Vehicles,
        Collection::Customers => &resources::customers::Customers,
        Collection::Depots => &resources::depots::Depots,
        Collection::Zones => &resources::zones::Zones,
        Collection::ScheduleExceptions => &resources::exceptions::Exceptions,
        Collection::RouteTemplateGroups => &resources::template_groups::ROUTE_TEMPLATES,
        Collection::TaskTemplateGroups => &resources::template_groups::TASK_TEMPLATES,
        Collection::Forms => &resources::forms::Forms,
        Collection::FormSubmissions => &resources::form_submissions::FormSubmissions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_collection_has_its_own_resource_with_valid_filter_fields() {
        for c in Collection::ALL {
            let r = resource(c);
            assert_eq!(r.collection(), c);
            let n = r.columns().len();
            assert!(n >= 4, "{c}: {n} columns");
            assert!(r.columns().iter().filter(|c| c.flex).count() <= 1, "{c}");
            for f in r.filter_fields() {
                if let FieldSource::Column(i) = f.source {
                    assert!(
                        i < n,
                        "{c}: filter field {} points past the columns",
                        f.name
                    );
                }
            }
            assert!(
                r.filter_fields().iter().any(|f| f.name == "uid"),
                "{c} lacks uid:"
            );
        }
    }

    #[test]
    fn every_resource_writes_one_cell_per_column_even_for_an_empty_item() {
        let ctx = CellCtx { tz: TimeZone::UTC };
        let mut buf = String::new();
        for c in Collection::ALL {
            let r = resource(c);
            let mut cells = Cells::new(&mut buf);
            r.cells(&json!({}), &ctx, &mut cells);
            assert_eq!(cells.count(), r.columns().len(), "{c}");
        }
    }

    #[test]
    fn cells_strip_control_characters() {
        let mut buf = String::new();
        let mut c = Cells::new(&mut buf);
        c.push("a\tb\u{1f}c\n");
        c.push("d");
        assert_eq!(buf, "a b c \u{1f}d");
    }

    #[test]
    fn default_title_names_kind_uid_and_name() {
        let r = resource(Collection::Drivers);
        assert_eq!(r.title(&json!({"uid": "DR-1", "_id": "x"})), "Driver DR-1");
        let z = resource(Collection::Zones);
        assert_eq!(
            z.title(&json!({"uid": "ZON-1", "name": "North"})),
            "Zone ZON-1 · North"
        );
    }
}
