//! The collection screen: a table of one collection with filter and sort, a detail view and
//! a raw JSON view of one item. Every entity uses this same screen through its `Resource`.

use std::cell::OnceCell;
use std::sync::Arc;
use std::time::SystemTime;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use serde_json::Value;

use crate::actor::{Command, ListKey, RequestId};
use crate::api::error::ApiError;
use crate::api::items::Items;
use crate::api::paths::Collection;
use crate::tui::context::Context;
use crate::tui::filter::Filter;
use crate::tui::keymap::{Action, KeyContext};
use crate::tui::layout::Areas;
use crate::tui::resource::{Resource, resource};
use crate::tui::rows::{BuiltRows, Rows, RowsJob, Sort};
use crate::tui::theme::Tone;
use crate::tui::value_fmt::{clock, day, thousands};
use crate::tui::widgets::detail::{detail_lines, summary_lines};
use crate::tui::widgets::json::json_lines;
use crate::tui::widgets::scroll_text::ScrollText;
use crate::tui::widgets::table::DataTable;

/// Which rendering of one item is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemMode {
    /// Readable key/value tree.
    Detail,
    /// Raw JSON.
    Json,
}

/// One item on screen.
#[derive(Debug, Clone)]
pub struct ItemView {
    mode: ItemMode,
    /// Its `_id`, to find it again after a refresh.
    id: Option<String>,
    /// Its index in the current list.
    index: usize,
    title: String,
    lines: Vec<Line<'static>>,
    scroll: usize,
    /// The item left the list in a refresh; the view shows its last known state.
    gone: bool,
}

/// The table or one item.
#[derive(Debug, Clone)]
pub enum View {
    /// The table.
    Table,
    /// One item.
    Item(ItemView),
}

/// What a failed request did to the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not this screen's request.
    NotMine,
    /// The first load failed: nothing to show.
    FirstLoad(String),
    /// A refresh failed: the data shown is now stale.
    Stale(String),
    /// A refresh failed again while already stale.
    StillStale,
}

/// What a list answer means for a screen.
#[derive(Debug)]
pub enum Loaded {
    /// Not this screen's list.
    NotMine,
    /// The very list already shown: nothing to redo.
    Unchanged,
    /// New items: their rows must be formatted (off the UI thread).
    Build(Box<RowsJob>),
}

/// The generic collection screen.
pub struct CollectionScreen {
    resource: &'static dyn Resource,
    items: Arc<Items>,
    /// Items whose rows are being formatted.
    incoming: Option<Arc<Items>>,
    /// The current item parsed, once asked for; emptied whenever the selection, the view or
    /// the items change (items stay raw JSON, see [`Items`]).
    current: OnceCell<Option<Value>>,
    data_key: Option<ListKey>,
    rows: Rows,
    filter: Filter,
    sort: Option<Sort>,
    selected: usize,
    offset: usize,
    view: View,
    watch: Option<ListKey>,
    pending: Option<RequestId>,
    progress: Option<(usize, Option<usize>)>,
    fetched_at: Option<SystemTime>,
    stale: Option<String>,
    error: Option<String>,
    /// `_id`s of the rows marked for a bulk action.
    marks: std::collections::BTreeSet<String>,
    /// An item to select (and open, when true) once the list arrives (a jump here).
    pending_select: Option<(String, bool)>,
}

impl CollectionScreen {
    /// An empty screen for `collection`.
    pub fn new(collection: Collection) -> CollectionScreen {
        CollectionScreen {
            resource: resource(collection),
            items: Arc::new(Items::new()),
            incoming: None,
            current: OnceCell::new(),
            data_key: None,
            rows: Rows::default(),
            filter: Filter::default(),
            sort: None,
            selected: 0,
            offset: 0,
            view: View::Table,
            watch: None,
            pending: None,
            progress: None,
            fetched_at: None,
            stale: None,
            marks: Default::default(),
            error: None,
            pending_select: None,
        }
    }

    /// The collection shown.
    pub fn collection(&self) -> Collection {
        self.resource.collection()
    }

    /// The list this screen is subscribed to.
    pub fn watch(&self) -> Option<&ListKey> {
        self.watch.as_ref()
    }

    /// The view shown.
    pub fn view(&self) -> &View {
        &self.view
    }

    /// Which key bindings apply.
    pub fn key_context(&self) -> KeyContext {
        match self.view {
            View::Table => KeyContext::Table,
            View::Item(_) => KeyContext::Detail,
        }
    }

    /// Whether the stale-data banner is shown.
    pub fn has_banner(&self) -> bool {
        self.stale.is_some()
    }

    /// The reason the data is stale.
    pub fn stale(&self) -> Option<&str> {
        self.stale.as_deref()
    }

    /// Whether a list has been shown yet.
    pub fn has_data(&self) -> bool {
        self.data_key.is_some()
    }

    /// Whether a load is under way.
    pub fn is_loading(&self) -> bool {
        self.pending.is_some() || self.progress.is_some() || self.incoming.is_some()
    }

    /// `(visible, total)` row counts.
    pub fn counts(&self) -> (usize, usize) {
        (self.rows.visible().len(), self.rows.total())
    }

    /// Position of the selection among the visible rows.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The filter text.
    pub fn filter_text(&self) -> &str {
        self.filter.text()
    }

    /// The active sort.
    pub fn sort(&self) -> Option<Sort> {
        self.sort
    }

    /// When the data shown was fetched.
    pub fn fetched_at(&self) -> Option<SystemTime> {
        self.fetched_at
    }

    /// Loading progress `(loaded, total)`.
    pub fn progress(&self) -> Option<(usize, Option<usize>)> {
        self.progress
    }

    /// The item under the cursor (table) or on screen (item view).
    pub fn current_item(&self) -> Option<&Value> {
        self.current
            .get_or_init(|| self.current_index().and_then(|i| self.items.value(i)))
            .as_ref()
    }

    /// The index in the list of the item under the cursor or on screen.
    fn current_index(&self) -> Option<usize> {
        match &self.view {
            View::Item(v) => Some(v.index).filter(|i| !v.gone && *i < self.items.len()),
            View::Table => self
                .rows
                .visible()
                .get(self.selected)
                .map(|i| *i as usize)
                .filter(|i| *i < self.items.len()),
        }
    }

    /// Marks or unmarks the row under the cursor; true when it is now marked.
    pub fn toggle_mark(&mut self) -> bool {
        let Some(id) = self.current_id_string() else {
            return false;
        };
        if self.marks.remove(&id) {
            false
        } else {
            self.marks.insert(id);
            true
        }
    }

    /// Marks every row the filter shows; the number marked.
    pub fn mark_visible(&mut self) -> usize {
        // Ids are read once per item when a list arrives: no item is parsed here.
        let ids: Vec<String> = self
            .rows
            .visible()
            .iter()
            .filter_map(|i| self.items.id(*i as usize))
            .map(str::to_string)
            .collect();
        self.marks.extend(ids);
        self.marks.len()
    }

    /// The marked `_id`s.
    pub fn marked_ids(&self) -> Vec<String> {
        self.marks.iter().cloned().collect()
    }

    /// Forgets every mark.
    pub fn clear_marks(&mut self) {
        self.marks.clear();
    }

    fn current_id_string(&self) -> Option<String> {
        self.current_item()
            .and_then(|v| self.resource.id(v))
            .map(str::to_string)
    }

    /// Forgets the parsed current item; called after anything that can change it.
    fn current_changed(&mut self) {
        self.current.take();
    }

    /// The items the filter lets through, in table order, each parsed as it is reached.
    pub fn visible_items(&self) -> impl Iterator<Item = Value> + '_ {
        self.rows
            .visible()
            .iter()
            .filter_map(|i| self.items.value(*i as usize))
    }

    /// The resource of the screen.
    pub fn resource(&self) -> &'static dyn Resource {
        self.resource
    }

    /// Subscribes to `key` (for a new date or on becoming the active tab). Returns the
    /// commands to send: stop the old request and watch, then list the new key.
    pub fn subscribe(&mut self, key: ListKey, req: RequestId) -> Vec<Command> {
        if self.watch.as_ref() == Some(&key) {
            return Vec::new();
        }
        let mut cmds = self.unsubscribe();
        if self.data_key.as_ref() != Some(&key) {
            self.clear_data();
        }
        self.error = None;
        cmds.push(Command::List {
            req,
            key: key.clone(),
            force: false,
        });
        self.watch = Some(key);
        self.pending = Some(req);
        cmds
    }

    /// Stops watching (the tab is left); the data stays for a quick return.
    pub fn unsubscribe(&mut self) -> Vec<Command> {
        let mut cmds = Vec::new();
        if let Some(req) = self.pending.take() {
            cmds.push(Command::Cancel { req });
        }
        if let Some(key) = self.watch.take() {
            cmds.push(Command::Unwatch { key });
        }
        self.progress = None;
        self.incoming = None;
        cmds
    }

    /// Reloads the watched list now, bypassing the cache.
    pub fn refresh(&mut self, req: RequestId) -> Option<Command> {
        let key = self.watch.clone()?;
        self.pending = Some(req);
        Some(Command::List {
            req,
            key,
            force: true,
        })
    }

    fn clear_data(&mut self) {
        self.current_changed();
        self.items = Arc::new(Items::new());
        self.rows = Rows::default();
        self.data_key = None;
        self.fetched_at = None;
        self.stale = None;
        self.selected = 0;
        self.offset = 0;
        self.view = View::Table;
    }

    /// The items shown, when they are the list `key` (so another view can start from them).
    pub fn items_of(&self, key: &ListKey) -> Option<Arc<Items>> {
        (self.data_key.as_ref() == Some(key)).then(|| Arc::clone(&self.items))
    }

    /// Loading progress of a list; true when it is this screen's.
    pub fn on_progress(&mut self, key: &ListKey, loaded: usize, total: Option<usize>) -> bool {
        if self.watch.as_ref() != Some(key) {
            return false;
        }
        self.progress = Some((loaded, total));
        true
    }

    /// A whole list arrived. Its rows are formatted once, by the job returned, and
    /// arrive in [`CollectionScreen::on_rows_built`].
    pub fn on_loaded(
        &mut self,
        key: &ListKey,
        items: Arc<Items>,
        fetched_at: SystemTime,
        ctx: &Context,
    ) -> Loaded {
        if self.watch.as_ref() != Some(key) {
            return Loaded::NotMine;
        }
        self.pending = None;
        self.progress = None;
        self.error = None;
        self.stale = None;
        if Arc::ptr_eq(&items, &self.items) && self.data_key.as_ref() == Some(key) {
            self.fetched_at = Some(fetched_at);
            self.incoming = None;
            return Loaded::Unchanged;
        }
        self.incoming = Some(Arc::clone(&items));
        Loaded::Build(Box::new(RowsJob::new(
            key.clone(),
            items,
            fetched_at,
            self.resource,
            ctx.cell_ctx(),
        )))
    }

    /// Rows formatted for the latest list; true when they were taken. The selection and an
    /// open item follow their `_id`.
    pub fn on_rows_built(&mut self, built: BuiltRows, ctx: &Context) -> bool {
        let latest = self
            .incoming
            .as_ref()
            .is_some_and(|i| Arc::ptr_eq(i, &built.items));
        if self.watch.as_ref() != Some(&built.key) || !latest {
            return false;
        }
        self.incoming = None;
        self.fetched_at = Some(built.fetched_at);
        let selected_id = self.current_id();
        self.items = built.items;
        self.data_key = Some(built.key);
        self.rows = built.rows;
        self.rows.sort(self.sort, self.resource.columns());
        self.rows.filter(&self.filter, &self.items, false);
        self.selected = selected_id
            .and_then(|id| self.position_of_id(&id))
            .unwrap_or(self.selected);
        self.clamp_selection();
        self.refresh_item_view(ctx);
        self.current_changed();
        if let Some((key, open)) = self.pending_select.take() {
            self.select_key(&key, open, ctx);
        }
        true
    }

    /// Selects the item whose `_id` or UID is `key` (clearing a filter that hides it) and
    /// opens its detail when `open`; waits for the list when it has not arrived yet.
    /// False when the list is here and has no such item.
    pub fn select_key(&mut self, key: &str, open: bool, ctx: &Context) -> bool {
        if self.data_key.is_none() || self.incoming.is_some() {
            self.pending_select = Some((key.to_string(), open));
            return true;
        }
        let Some(index) = self.index_of_key(key) else {
            return false;
        };
        if !self.rows.visible().contains(&(index as u32)) {
            self.set_filter("");
        }
        self.view = View::Table;
        self.selected = self
            .rows
            .visible()
            .iter()
            .position(|i| *i as usize == index)
            .unwrap_or(0);
        self.current_changed();
        if open {
            self.open(ItemMode::Detail, ctx);
        }
        true
    }

    /// The index of the item with `_id` or UID `key`. UIDs are looked for only in items
    /// whose raw text holds the key, so most items are never parsed.
    fn index_of_key(&self, key: &str) -> Option<usize> {
        self.index_of_id(key).or_else(|| {
            (0..self.items.len()).find(|i| {
                self.items.raw(*i).is_some_and(|raw| raw.contains(key))
                    && self
                        .items
                        .value(*i)
                        .is_some_and(|v| v.get("uid").and_then(Value::as_str) == Some(key))
            })
        })
    }

    /// A request failed; says what it means for this screen.
    pub fn on_failed(
        &mut self,
        req: RequestId,
        key: Option<&ListKey>,
        error: &ApiError,
    ) -> Failure {
        let mine = match key {
            Some(k) => self.watch.as_ref() == Some(k),
            None => req != 0 && self.pending == Some(req),
        };
        if !mine {
            return Failure::NotMine;
        }
        self.pending = None;
        self.progress = None;
        let text = error.to_string();
        if self.data_key.is_none() {
            self.error = Some(text.clone());
            return Failure::FirstLoad(text);
        }
        let was_stale = self.stale.is_some();
        self.stale = Some(text.clone());
        if was_stale {
            Failure::StillStale
        } else {
            Failure::Stale(text)
        }
    }

    // Items are known by `_id` (`Resource::id`), which `Items` reads once when they arrive.
    fn current_id(&self) -> Option<String> {
        self.current_index()
            .and_then(|i| self.items.id(i))
            .map(str::to_string)
    }

    fn position_of_id(&self, id: &str) -> Option<usize> {
        self.rows
            .visible()
            .iter()
            .position(|i| self.items.id(*i as usize) == Some(id))
    }

    fn index_of_id(&self, id: &str) -> Option<usize> {
        self.items.position_of_id(id)
    }

    fn clamp_selection(&mut self) {
        let n = self.rows.visible().len();
        self.selected = if n == 0 { 0 } else { self.selected.min(n - 1) };
    }

    /// Keeps the selection on screen for a page of `page` rows.
    fn scroll_to_selection(&mut self, page: usize) {
        self.offset = visible_offset(self.offset, self.selected, page);
    }

    /// Sets the filter and applies it; the selected row stays selected while it passes.
    pub fn set_filter(&mut self, text: &str) {
        let new = Filter::parse(text, self.resource);
        let refine = new.refines(&self.filter);
        let selected = self.rows.visible().get(self.selected).copied();
        self.rows.filter(&new, &self.items, refine);
        self.filter = new;
        self.selected = selected
            .and_then(|s| self.rows.visible().iter().position(|i| *i == s))
            .unwrap_or(0);
        self.clamp_selection();
        self.current_changed();
    }

    fn set_sort(&mut self, sort: Option<Sort>) {
        let selected = self.rows.visible().get(self.selected).copied();
        self.sort = sort;
        self.rows.sort(sort, self.resource.columns());
        self.selected = selected
            .and_then(|s| self.rows.visible().iter().position(|i| *i == s))
            .unwrap_or(0);
        self.current_changed();
    }

    /// Leaves an open item for the table.
    pub fn show_table(&mut self) {
        self.view = View::Table;
        self.current_changed();
    }

    /// Selects the row shown on line `line` of the table (mouse click).
    pub fn click_row(&mut self, line: usize, page: usize) {
        let offset = visible_offset(self.offset, self.selected, page);
        let pos = offset + line;
        if matches!(self.view, View::Table) && pos < self.rows.visible().len() {
            self.selected = pos;
            self.offset = offset;
        }
        self.current_changed();
    }

    /// Handles a screen action; false when it does not apply here.
    pub fn handle(&mut self, action: Action, areas: &Areas, ctx: &Context) -> bool {
        let handled = if matches!(self.view, View::Table) {
            self.handle_table(action, areas.table_page(), ctx)
        } else {
            self.handle_item(action, areas.text_page(), ctx)
        };
        if handled {
            self.current_changed();
        }
        handled
    }

    fn handle_table(&mut self, action: Action, page: usize, ctx: &Context) -> bool {
        let n = self.rows.visible().len();
        let last = n.saturating_sub(1);
        match action {
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = last,
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::Open => return self.open(ItemMode::Detail, ctx),
            Action::RawJson => return self.open(ItemMode::Json, ctx),
            Action::SortNext => {
                let cols = self.resource.columns().len();
                let next = match self.sort {
                    None => Some(0),
                    Some(s) if s.column + 1 < cols => Some(s.column + 1),
                    Some(_) => None,
                };
                self.set_sort(next.map(|column| Sort {
                    column,
                    descending: false,
                }));
            }
            Action::SortReverse => {
                let s = self.sort.map_or(
                    Sort {
                        column: 0,
                        descending: true,
                    },
                    |s| Sort {
                        descending: !s.descending,
                        ..s
                    },
                );
                self.set_sort(Some(s));
            }
            Action::Back if !self.filter.text().is_empty() => self.set_filter(""),
            _ => return false,
        }
        self.scroll_to_selection(page);
        true
    }

    fn handle_item(&mut self, action: Action, page: usize, ctx: &Context) -> bool {
        let View::Item(v) = &mut self.view else {
            return false;
        };
        let last = v.lines.len().saturating_sub(1);
        match action {
            Action::Down => v.scroll = (v.scroll + 1).min(last),
            Action::Up => v.scroll = v.scroll.saturating_sub(1),
            Action::Top => v.scroll = 0,
            Action::Bottom => v.scroll = last.saturating_sub(page.saturating_sub(1)),
            Action::PageDown => v.scroll = (v.scroll + page).min(last),
            Action::PageUp => v.scroll = v.scroll.saturating_sub(page),
            Action::Back => self.view = View::Table,
            Action::RawJson => {
                v.mode = match v.mode {
                    ItemMode::Detail => ItemMode::Json,
                    ItemMode::Json => ItemMode::Detail,
                };
                v.scroll = 0;
                self.refresh_item_view(ctx);
            }
            _ => return false,
        }
        true
    }

    fn open(&mut self, mode: ItemMode, ctx: &Context) -> bool {
        let Some(index) = self.rows.visible().get(self.selected).map(|i| *i as usize) else {
            return false;
        };
        let id = self.items.id(index).map(str::to_string);
        self.view = View::Item(ItemView {
            mode,
            id,
            index,
            title: String::new(),
            lines: Vec::new(),
            scroll: 0,
            gone: false,
        });
        self.refresh_item_view(ctx);
        true
    }

    /// Rebuilds the lines of an open item from the current list (after a refresh the item
    /// is found again by `_id`).
    fn refresh_item_view(&mut self, ctx: &Context) {
        let found = match &self.view {
            View::Item(v) => match &v.id {
                Some(id) => self.index_of_id(id),
                None => Some(v.index).filter(|i| *i < self.items.len()),
            },
            View::Table => return,
        };
        let items = Arc::clone(&self.items);
        let res = self.resource;
        let View::Item(v) = &mut self.view else {
            return;
        };
        match found.and_then(|i| items.value(i).map(|item| (i, item))) {
            Some((i, item)) => {
                let item = &item;
                v.index = i;
                v.gone = false;
                v.title = res.title(item);
                v.lines = match v.mode {
                    ItemMode::Detail => {
                        let summary: Vec<(&str, &str, Tone)> = match self.rows.row(i as u32) {
                            Some(row) => res
                                .columns()
                                .iter()
                                .enumerate()
                                .map(|(c, col)| (col.title, row.cell(c), res.tone(c, row.cell(c))))
                                .collect(),
                            None => Vec::new(),
                        };
                        let mut lines = summary_lines(&summary, ctx.theme);
                        lines.extend(detail_lines(item, res.collection(), ctx.theme, &ctx.tz));
                        lines
                    }
                    ItemMode::Json => json_lines(item, ctx.theme),
                };
                v.scroll = v.scroll.min(v.lines.len().saturating_sub(1));
            }
            None => v.gone = true,
        }
    }

    /// Draws the banner (if stale) and the body.
    pub fn render(&self, frame: &mut Frame, areas: &Areas, ctx: &Context, spinner: &str) {
        if let (Some(area), Some(err)) = (areas.banner, &self.stale) {
            let since = self
                .fetched_at
                .and_then(|t| clock(t, &ctx.tz))
                .map(|t| format!(" — showing data from {t}"))
                .unwrap_or_default();
            let text = format!(
                " ⚠ Refresh failed: {err}{since} · {} retries",
                ctx.keymap.label(Action::Refresh)
            );
            frame.render_widget(Paragraph::new(text).style(ctx.theme.banner()), area);
        }
        match &self.view {
            View::Table => self.render_table(frame, areas, ctx, spinner),
            View::Item(v) => {
                let what = match v.mode {
                    ItemMode::Detail => "detail",
                    ItemMode::Json => "JSON",
                };
                let gone = if v.gone {
                    " (no longer in the list)"
                } else {
                    ""
                };
                frame.render_widget(
                    ScrollText {
                        lines: &v.lines,
                        scroll: v.scroll,
                        title: format!("{} · {what}{gone}", v.title),
                        footer: format!(
                            "{}/{} · {} back · {} {}",
                            (v.scroll + 1).min(v.lines.len()),
                            v.lines.len(),
                            ctx.keymap.label(Action::Back),
                            ctx.keymap.label(Action::RawJson),
                            if v.mode == ItemMode::Detail {
                                "JSON"
                            } else {
                                "detail"
                            }
                        ),
                        theme: ctx.theme,
                    },
                    areas.body,
                );
            }
        }
    }

    fn title(&self) -> String {
        let (shown, total) = self.counts();
        let mut t = format!(" {} ", self.collection().title());
        if self.data_key.is_some() {
            if shown == total {
                t.push_str(&format!("({}) ", thousands(total)));
            } else {
                t.push_str(&format!("({} of {}) ", thousands(shown), thousands(total)));
            }
        }
        if !self.filter.text().trim().is_empty() {
            t.push_str(&format!("· /{} ", self.filter.text().trim()));
        }
        t
    }

    fn render_table(&self, frame: &mut Frame, areas: &Areas, ctx: &Context, spinner: &str) {
        let block = Block::bordered()
            .border_style(ctx.theme.border())
            .title(Line::from(self.title()).style(ctx.theme.heading()));
        let inner = block.inner(areas.body);
        frame.render_widget(block, areas.body);
        if let Some(message) = self.empty_message(ctx, spinner) {
            let area = Rect {
                y: inner.y + 1,
                height: inner.height.saturating_sub(1),
                ..inner
            };
            frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), area);
            return;
        }
        let is_marked = |i: u32| {
            self.items
                .id(i as usize)
                .is_some_and(|id| self.marks.contains(id))
        };
        frame.render_widget(
            DataTable {
                resource: self.resource,
                rows: &self.rows,
                selected: self.selected,
                offset: visible_offset(self.offset, self.selected, areas.table_page()),
                sort: self.sort,
                theme: ctx.theme,
                marked: (!self.marks.is_empty()).then_some(&is_marked),
            },
            inner,
        );
    }

    /// The text shown instead of rows, when there are none to show.
    fn empty_message(&self, ctx: &Context, spinner: &str) -> Option<Line<'static>> {
        if !self.rows.visible().is_empty() {
            return None;
        }
        let what = self.collection().name().replace('-', " ");
        let date = self
            .watch
            .as_ref()
            .or(self.data_key.as_ref())
            .and_then(|k| k.query.dates.first().copied())
            .map(|d| format!(" for {}", day(d)))
            .unwrap_or_default();
        let retry = ctx.keymap.label(Action::Refresh);
        if let Some(err) = &self.error {
            return Some(Line::from(Span::styled(
                format!("Could not load {what}{date}: {err}. {retry} retries."),
                ctx.theme.tone(Tone::Bad),
            )));
        }
        if self.data_key.is_none() {
            let progress = match self.progress {
                Some((n, Some(t))) => format!(" {} of {}", thousands(n), thousands(t)),
                Some((n, None)) => format!(" {}", thousands(n)),
                None => String::new(),
            };
            return Some(Line::from(format!(
                "{spinner} Loading {what}{date}…{progress}"
            )));
        }
        if self.rows.total() == 0 {
            return Some(Line::from(Span::styled(
                format!("No {what}{date}."),
                ctx.theme.tone(Tone::Muted),
            )));
        }
        Some(Line::from(Span::styled(
            format!(
                "No {what} match the filter. {} clears it.",
                ctx.keymap.label(Action::Back)
            ),
            ctx.theme.tone(Tone::Muted),
        )))
    }
}

/// The first row to show so that `selected` is inside a page of `page` rows starting near
/// `offset`.
fn visible_offset(offset: usize, selected: usize, page: usize) -> usize {
    let page = page.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + page {
        selected + 1 - page
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_follows_the_selection() {
        assert_eq!(visible_offset(0, 5, 10), 0);
        assert_eq!(visible_offset(0, 10, 10), 1);
        assert_eq!(visible_offset(20, 5, 10), 5);
        assert_eq!(visible_offset(3, 7, 0), 7);
    }
}
