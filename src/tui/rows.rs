//! The rows of a collection table: cell text formatted once when data arrives, a folded
//! haystack per row for the filter, the sorted order of all rows and the visible subset.
//! Rows refer to items by index; the items themselves stay in the actor's shared list, as
//! raw JSON: each is parsed only while its row is formatted.
//! Formatting a big list is a [`RowsJob`] the event loop runs off the UI thread.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use serde_json::Value;

use crate::actor::ListKey;
use crate::api::items::Items;

use super::filter::{Filter, fold_into, matcher};
use super::resource::{CELL_SEP, CellCtx, Cells, Column, Resource, SortKind};

/// Lists shorter than this are formatted on one thread.
const PARALLEL_FROM: usize = 20_000;

/// Formatting the rows of a list that just arrived.
pub struct RowsJob {
    /// The list.
    pub key: ListKey,
    /// Its items.
    pub items: Arc<Items>,
    /// When it was fetched.
    pub fetched_at: SystemTime,
    resource: &'static dyn Resource,
    ctx: CellCtx,
}

impl fmt::Debug for RowsJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RowsJob({} items of {:?})", self.items.len(), self.key)
    }
}

impl RowsJob {
    /// A job for `items` of `key`.
    pub fn new(
        key: ListKey,
        items: Arc<Items>,
        fetched_at: SystemTime,
        resource: &'static dyn Resource,
        ctx: CellCtx,
    ) -> RowsJob {
        RowsJob {
            key,
            items,
            fetched_at,
            resource,
            ctx,
        }
    }

    /// Formats every row (on several threads for long lists).
    pub fn run(self) -> BuiltRows {
        let rows = Rows::build(&self.items, self.resource, &self.ctx);
        BuiltRows {
            key: self.key,
            items: self.items,
            fetched_at: self.fetched_at,
            rows,
        }
    }
}

/// The result of a [`RowsJob`].
#[derive(Debug)]
pub struct BuiltRows {
    /// The list.
    pub key: ListKey,
    /// Its items.
    pub items: Arc<Items>,
    /// When it was fetched.
    pub fetched_at: SystemTime,
    /// The formatted rows, in server order and unfiltered.
    pub rows: Rows,
}

/// Strings stored end to end in one buffer: one allocation, scanned in memory order.
#[derive(Debug, Default)]
struct Arena {
    text: String,
    ends: Vec<usize>,
}

impl Arena {
    fn with_capacity(rows: usize, bytes: usize) -> Arena {
        Arena {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(rows),
        }
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.end_row();
    }

    /// Closes the string written straight into `text`.
    fn end_row(&mut self) {
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(start..end)
    }

    fn len(&self) -> usize {
        self.ends.len()
    }

    fn append(&mut self, other: Arena) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }
}

/// One row's text.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// Cells joined by [`CELL_SEP`].
    text: &'a str,
    /// `text` folded (lower case, no accents), for filtering and sorting.
    hay: &'a str,
}

impl<'a> Row<'a> {
    /// The text of column `i` (empty when absent).
    pub fn cell(&self, i: usize) -> &'a str {
        self.text.split(CELL_SEP).nth(i).unwrap_or("")
    }

    /// The folded text of every cell.
    pub fn hay(&self) -> &'a str {
        self.hay
    }
}

/// A sort by one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// Column index.
    pub column: usize,
    /// Largest first.
    pub descending: bool,
}

/// Every row of a list, in sort order, and the ones the filter lets through.
#[derive(Debug, Default)]
pub struct Rows {
    text: Arena,
    hay: Arena,
    order: Vec<u32>,
    visible: Vec<u32>,
}

impl Rows {
    /// Formats every item once.
    pub fn build(items: &Items, resource: &dyn Resource, ctx: &CellCtx) -> Rows {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let n = items.len();
        let (text, hay) = if n < PARALLEL_FROM || threads < 2 {
            format_rows(items, 0..n, resource, ctx)
        } else {
            let chunk = n.div_ceil(threads);
            std::thread::scope(|s| {
                let parts: Vec<_> = (0..n)
                    .step_by(chunk)
                    .map(|start| {
                        let part = start..(start + chunk).min(n);
                        s.spawn(move || format_rows(items, part, resource, ctx))
                    })
                    .collect();
                let mut text = Arena::default();
                let mut hay = Arena::default();
                for p in parts {
                    match p.join() {
                        Ok((t, h)) => {
                            text.append(t);
                            hay.append(h);
                        }
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                }
                (text, hay)
            })
        };
        let order: Vec<u32> = (0..text.len() as u32).collect();
        Rows {
            visible: order.clone(),
            text,
            hay,
            order,
        }
    }

    /// Number of rows before filtering.
    pub fn total(&self) -> usize {
        self.text.len()
    }

    /// Item indices the filter lets through, in sort order.
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    /// The row of item `i`.
    pub fn row(&self, i: u32) -> Option<Row<'_>> {
        Some(Row {
            text: self.text.get(i as usize)?,
            hay: self.hay.get(i as usize)?,
        })
    }

    /// Puts all rows (and the visible ones) in the order of `sort`; server order when `None`.
    pub fn sort(&mut self, sort: Option<Sort>, columns: &[Column]) {
        let Some(sort) = sort.filter(|s| s.column < columns.len()) else {
            self.order.sort_unstable();
            self.visible.sort_unstable();
            return;
        };
        let rank = self.ranking(sort, columns[sort.column].sort);
        let by_rank = |a: &u32, b: &u32| rank[*a as usize].cmp(&rank[*b as usize]);
        self.order.sort_unstable_by(by_rank);
        self.visible.sort_unstable_by(by_rank);
    }

    /// The position of every row under `sort`, computed once so sorting compares integers.
    fn ranking(&self, sort: Sort, kind: SortKind) -> Vec<u32> {
        let n = self.total();
        let mut idx: Vec<u32> = (0..n as u32).collect();
        match kind {
            SortKind::Text => {
                let keys: Vec<&str> = (0..n)
                    .map(|i| {
                        self.hay
                            .get(i)
                            .and_then(|h| h.split(CELL_SEP).nth(sort.column))
                            .unwrap_or("")
                    })
                    .collect();
                idx.sort_by(|a, b| {
                    let (ka, kb) = (keys[*a as usize], keys[*b as usize]);
                    // Empty cells go last in both directions.
                    match (ka.is_empty(), kb.is_empty()) {
                        (true, false) => Ordering::Greater,
                        (false, true) => Ordering::Less,
                        _ if sort.descending => kb.cmp(ka),
                        _ => ka.cmp(kb),
                    }
                });
            }
            SortKind::Number => {
                let keys: Vec<Option<f64>> = (0..n as u32)
                    .map(|i| {
                        self.row(i)
                            .and_then(|r| leading_number(r.cell(sort.column)))
                    })
                    .collect();
                idx.sort_by(|a, b| match (keys[*a as usize], keys[*b as usize]) {
                    (Some(x), Some(y)) if sort.descending => y.total_cmp(&x),
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                });
            }
        }
        let mut rank = vec![0u32; idx.len()];
        for (pos, i) in idx.into_iter().enumerate() {
            rank[i as usize] = pos as u32;
        }
        rank
    }

    /// Applies `filter`. With `refine`, only the rows visible now are checked (the new filter
    /// is narrower than the old one); otherwise every row is.
    pub fn filter(&mut self, filter: &Filter, items: &Items, refine: bool) {
        if filter.is_empty() {
            self.visible.clone_from(&self.order);
            return;
        }
        let mut m = matcher();
        let mut buf = Vec::new();
        // Items are parsed only for fields that are not columns: that is slow on long lists.
        let parse = filter.reads_items();
        let hay = &self.hay;
        let keep = |i: &u32| {
            let item = match parse {
                true => items.value(*i as usize).unwrap_or(Value::Null),
                false => Value::Null,
            };
            hay.get(*i as usize)
                .is_some_and(|h| filter.matches(h, &item, &mut m, &mut buf))
        };
        if refine {
            self.visible.retain(keep);
        } else {
            self.visible = self.order.iter().copied().filter(keep).collect();
        }
    }
}

/// Text and folded text of the items in `part`, each in one arena. Each item is parsed
/// for its row and dropped, so only one parsed item per thread is alive at a time.
fn format_rows(
    items: &Items,
    part: std::ops::Range<usize>,
    resource: &dyn Resource,
    ctx: &CellCtx,
) -> (Arena, Arena) {
    let mut buf = String::with_capacity(256);
    let mut text = Arena::with_capacity(part.len(), part.len() * 96);
    let mut hay = Arena::with_capacity(part.len(), part.len() * 96);
    for i in part {
        let item = items.value(i).unwrap_or(Value::Null);
        let mut cells = Cells::new(&mut buf);
        resource.cells(&item, ctx, &mut cells);
        text.push(&buf);
        fold_into(&buf, &mut hay.text);
        hay.end_row();
    }
    (text, hay)
}

/// The number a cell starts with (`12.3 km` → 12.3).
fn leading_number(s: &str) -> Option<f64> {
    let t = s.trim_start();
    let end = t
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
        .map_or(t.len(), |(i, _)| i);
    t[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::paths::Collection;
    use crate::tui::resource::resource;
    use jiff::tz::TimeZone;
    use serde_json::json;

    fn routes() -> (Items, Rows) {
        let items = Items::from(vec![
            json!({"uid": "RT-b", "distance": 9000.0, "legs": [{}]}),
            json!({"uid": "RT-a", "distance": 12000.0, "legs": [{}, {}]}),
            json!({"uid": "RT-C"}),
        ]);
        let rows = Rows::build(
            &items,
            resource(Collection::Routes),
            &CellCtx { tz: TimeZone::UTC },
        );
        (items, rows)
    }

    fn uids(rows: &Rows) -> Vec<&str> {
        rows.visible()
            .iter()
            .map(|i| rows.row(*i).unwrap().cell(0))
            .collect()
    }

    #[test]
    fn sorts_text_case_insensitively_and_numbers_numerically() {
        let (_, mut rows) = routes();
        let cols = resource(Collection::Routes).columns();
        rows.sort(
            Some(Sort {
                column: 0,
                descending: false,
            }),
            cols,
        );
        assert_eq!(uids(&rows), ["RT-a", "RT-b", "RT-C"]);
        rows.sort(
            Some(Sort {
                column: 0,
                descending: true,
            }),
            cols,
        );
        assert_eq!(uids(&rows), ["RT-C", "RT-b", "RT-a"]);
        // Distance: 9.0 km before 12.0 km (not text order), empty last both ways.
        rows.sort(
            Some(Sort {
                column: 5,
                descending: false,
            }),
            cols,
        );
        assert_eq!(uids(&rows), ["RT-b", "RT-a", "RT-C"]);
        rows.sort(
            Some(Sort {
                column: 5,
                descending: true,
            }),
            cols,
        );
        assert_eq!(uids(&rows), ["RT-a", "RT-b", "RT-C"]);
        rows.sort(None, cols);
        assert_eq!(uids(&rows), ["RT-b", "RT-a", "RT-C"]);
    }

    #[test]
    fn filtering_keeps_sort_order_and_refining_matches_a_full_pass() {
        let (items, mut rows) = routes();
        let r = resource(Collection::Routes);
        rows.sort(
            Some(Sort {
                column: 0,
                descending: true,
            }),
            r.columns(),
        );
        rows.filter(&Filter::parse("rt", r), &items, false);
        assert_eq!(uids(&rows), ["RT-C", "RT-b", "RT-a"]);
        rows.filter(&Filter::parse("rt-a", r), &items, true);
        assert_eq!(uids(&rows), ["RT-a"]);
        rows.filter(&Filter::parse("", r), &items, false);
        assert_eq!(rows.visible().len(), 3);
    }

    #[test]
    fn fields_that_are_not_columns_are_read_from_the_raw_items() {
        let items = Items::from(vec![
            json!({"uid": "T-1", "zones": [{"name": "North"}]}),
            json!({"uid": "T-2", "zones": [{"name": "South"}]}),
        ]);
        let r = resource(Collection::Tasks);
        let mut rows = Rows::build(&items, r, &CellCtx { tz: TimeZone::UTC });
        rows.filter(&Filter::parse("zone:south", r), &items, false);
        assert_eq!(rows.visible(), [1]);
        rows.filter(&Filter::parse("!zone:south", r), &items, false);
        assert_eq!(rows.visible(), [0]);
    }

    #[test]
    fn long_lists_formatted_in_parallel_keep_their_order() {
        let n = PARALLEL_FROM + 7;
        let items = Items::from(
            (0..n)
                .map(|i| json!({"uid": format!("RT-{i}")}))
                .collect::<Vec<_>>(),
        );
        let rows = Rows::build(
            &items,
            resource(Collection::Routes),
            &CellCtx { tz: TimeZone::UTC },
        );
        assert_eq!(rows.total(), n);
        for i in [0, 1, n / 3, n / 2, n - 1] {
            assert_eq!(rows.row(i as u32).unwrap().cell(0), format!("RT-{i}"));
            assert!(
                rows.row(i as u32)
                    .unwrap()
                    .hay()
                    .starts_with(&format!("rt-{i}"))
            );
        }
        assert!(rows.row(n as u32).is_none());
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("12.3 km"), Some(12.3));
        assert_eq!(leading_number("-4"), Some(-4.0));
        assert_eq!(leading_number(""), None);
        assert_eq!(leading_number("n/a"), None);
    }
}
