//! The console's state and its one entry point, [`App::update`]: a message in, effects out.
//! No I/O happens here, so every behaviour can be driven and checked from tests.

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::{Paragraph, Wrap};

use crate::actor::{Event, ListKey, RequestId};
use crate::api::model::Date;
use crate::api::paths::Collection;
use crate::api::query::ListQuery;

use super::actions::{ConfirmPopup, OnYes};
use super::commands::{self, CommandLine, DATE_WORDS};
use super::context::Context;
use super::filter::Filter;
use super::jump_history::JumpHistory;
use super::keymap::{Action, KeyContext, KeyReader};
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH, too_small};
use super::msg::{Effect, Msg};
use super::plan::{PlanKind, PlanView};
use super::popup::Popup;
use super::route_view::RouteView;
use super::route_view::stops::RouteDetailView;
use super::screens::collection::{CollectionScreen, Failure, Loaded};
use super::screens::optimize::{OptOutcome, OptimizeScreen};
use super::value_fmt::{clock, day, thousands};
use super::widgets::confirm::{Confirm, ConfirmView};
use super::widgets::form::FormView;
use super::widgets::help::{HelpOverlay, help_lines};
use super::widgets::prompt::{Prompt, PromptKind, PromptOutcome, PromptView};
use super::widgets::status_bar::StatusBar;
use super::widgets::tabs::TabBar;
use super::widgets::toast::{Level, ToastView, Toasts};

mod dispatch;
mod jump;
mod pod;
mod route_actions;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The whole console state.
pub struct App {
    ctx: Context,
    screens: Vec<CollectionScreen>,
    active: usize,
    date: Date,
    popups: Vec<Popup>,
    toasts: Toasts,
    size: Rect,
    next_req: RequestId,
    spinner: usize,
    dirty: bool,
    actor_gone: bool,
    activity: super::activity::ActivityLog,
    plan: Option<PlanView>,
    route_view: Option<RouteView>,
    jumps: JumpHistory,
    key_reader: KeyReader,
    pod: Option<super::screens::pod::PodView>,
}

impl App {
    /// A console showing the first tab, for a terminal of `width` × `height`.
    pub fn new(ctx: Context, width: u16, height: u16) -> App {
        App {
            date: ctx.today,
            ctx,
            screens: Collection::ALL
                .iter()
                .map(|c| CollectionScreen::new(*c))
                .collect(),
            active: 0,
            popups: Vec::new(),
            toasts: Toasts::default(),
            size: Rect::new(0, 0, width, height),
            next_req: 1,
            spinner: 0,
            dirty: true,
            actor_gone: false,
            activity: Default::default(),
            plan: None,
            route_view: None,
            jumps: JumpHistory::default(),
            key_reader: KeyReader::default(),
            pod: None,
        }
    }

    /// The first requests: load the first tab.
    pub fn start(&mut self) -> Vec<Effect> {
        self.dirty = true;
        self.subscribe_active()
    }

    /// Shows a warning (e.g. key conflicts found at start-up).
    pub fn warn(&mut self, text: impl Into<String>) {
        self.toasts.push(Level::Warn, text);
        self.dirty = true;
    }

    /// Whether something changed since the last draw; clears the flag.
    pub fn take_dirty(&mut self) -> bool {
        std::mem::take(&mut self.dirty)
    }

    /// Whether ticks are needed (toasts to expire, a spinner to turn).
    pub fn wants_tick(&self) -> bool {
        !self.toasts.is_empty()
            || self.screen().is_loading()
            || self.plan.as_ref().is_some_and(PlanView::is_busy)
    }

    /// The open planning view (map, timeline, Optimize), if any.
    pub fn plan(&self) -> Option<&PlanView> {
        self.plan.as_ref()
    }

    /// The working date.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The collection of the active tab.
    pub fn active_collection(&self) -> Collection {
        self.screen().collection()
    }

    /// The screen of a collection.
    pub fn screen_of(&self, c: Collection) -> &CollectionScreen {
        let i = Collection::ALL.iter().position(|x| *x == c).unwrap_or(0);
        &self.screens[i]
    }

    /// The toasts on screen.
    pub fn toasts(&self) -> &Toasts {
        &self.toasts
    }

    /// The top popup, if any.
    pub fn popup(&self) -> Option<&Popup> {
        self.popups.last()
    }

    fn screen(&self) -> &CollectionScreen {
        &self.screens[self.active]
    }

    fn areas(&self) -> Areas {
        Areas::new(self.size, self.screen().has_banner())
    }

    fn req(&mut self) -> RequestId {
        let r = self.next_req;
        self.next_req += 1;
        r
    }

    /// The list a collection shows at the working date.
    pub fn list_key(&self, c: Collection) -> ListKey {
        let q = ListQuery::new();
        ListKey::new(
            c,
            if c.is_date_scoped() {
                q.date(self.date)
            } else {
                q
            },
        )
    }

    fn subscribe_active(&mut self) -> Vec<Effect> {
        let key = self.list_key(self.active_collection());
        if self.screen().watch() == Some(&key) {
            return Vec::new();
        }
        let req = self.req();
        let active = self.active;
        self.screens[active]
            .subscribe(key, req)
            .into_iter()
            .map(Effect::Send)
            .collect()
    }

    /// Applies one message and says what the loop should do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) => self.on_key(k),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Resize { width, height } => {
                self.size = Rect::new(0, 0, width, height);
                self.dirty = true;
                Vec::new()
            }
            Msg::Action(a) => {
                self.dirty = true;
                self.on_action(a)
            }
            Msg::Actor(ev) => self.on_actor(*ev),
            Msg::ActorGone => {
                self.actor_gone = true;
                self.toasts.push(
                    Level::Error,
                    "The API worker stopped: data can no longer be loaded. Restart the console.",
                );
                self.dirty = true;
                Vec::new()
            }
            Msg::RowsBuilt(built) => {
                let active = self.active;
                let c = built.key.collection;
                if let Some(i) = self.screens.iter().position(|s| s.collection() == c)
                    && self.screens[i].on_rows_built(*built, &self.ctx)
                    && i == active
                {
                    self.dirty = true;
                }
                Vec::new()
            }
            Msg::FilesRead(read) => {
                self.dirty = true;
                self.on_files_read(*read)
            }
            Msg::Saved(result) => {
                self.on_saved(result);
                Vec::new()
            }
            Msg::PodDecoded(decoded) => {
                self.on_pod_decoded(*decoded);
                Vec::new()
            }
            Msg::Tick => {
                if self.toasts.tick() {
                    self.dirty = true;
                }
                if self.screen().is_loading() {
                    self.spinner = (self.spinner + 1) % SPINNER.len();
                    self.dirty = true;
                }
                Vec::new()
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.dirty = true;
        if !self.popups.is_empty() {
            return self.on_popup_key(key);
        }
        if self.pod.is_some() {
            return self.on_pod_key(key);
        }
        if self.plan.is_some() {
            return self.on_plan_key(key);
        }
        let (screen_ctx, context) = match self.route_view {
            Some(_) => (Some(KeyContext::Routes), KeyContext::Table),
            None => (
                dispatch::screen_context(self.active_collection()),
                self.screen().key_context(),
            ),
        };
        match self
            .key_reader
            .feed(&self.ctx.keymap, screen_ctx, context, &key)
        {
            Some(a) => self.on_action(a),
            None => Vec::new(),
        }
    }

    /// Quits, first asking when a re-ordered route would be lost (a question defaulting
    /// to No, like every other).
    fn quit(&mut self) -> Vec<Effect> {
        let unsaved = self
            .route_view
            .as_ref()
            .is_some_and(|v| v.has_unsaved_order());
        if !unsaved {
            return vec![Effect::Quit];
        }
        self.popups.push(Popup::Confirm(Box::new(ConfirmPopup {
            confirm: Confirm::new(
                "Quit",
                "The new stop order of this route is not saved. Quit and lose it?",
            ),
            on_yes: OnYes::Quit,
        })));
        Vec::new()
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        if let Some(out) = self.on_route_view_action(action) {
            return out;
        }
        match action {
            Action::Quit => return self.quit(),
            Action::Help => self.popups.push(Popup::Help {
                lines: help_lines(&self.ctx.keymap, self.ctx.theme),
                scroll: 0,
            }),
            Action::CommandMode => self
                .popups
                .push(Popup::Prompt(Prompt::new(PromptKind::Command, ""))),
            Action::DatePrompt => self
                .popups
                .push(Popup::Prompt(Prompt::new(PromptKind::Date, ""))),
            Action::FilterMode => {
                // Filtering is about the table: leave an open item first.
                let active = self.active;
                self.screens[active].show_table();
                let text = self.screen().filter_text().to_string();
                self.popups
                    .push(Popup::Prompt(Prompt::new(PromptKind::Filter, &text)));
            }
            Action::NextTab => return self.switch_tab((self.active + 1) % self.screens.len()),
            Action::PrevTab => {
                let n = self.screens.len();
                return self.switch_tab((self.active + n - 1) % n);
            }
            Action::GoTab(i) => return self.switch_tab(i as usize),
            Action::PrevDay => return self.set_date(self.date.add_days(-1)),
            Action::NextDay => return self.set_date(self.date.add_days(1)),
            Action::Today => return self.set_date(self.ctx.today),
            Action::Refresh => return self.refresh(),
            Action::CopyId | Action::CopyRef => return self.copy(action),
            Action::ActivityLog => self.popups.push(Popup::Activity { scroll: 0 }),
            Action::ProofOfDelivery => return self.open_pod(),
            a if super::actions::is_mutation(a) => return self.on_mutation_action(a),
            Action::OpenMap => return self.open_plan(PlanKind::Map(Default::default())),
            Action::OpenTimeline => {
                return self.open_plan(PlanKind::Timeline(Default::default()));
            }
            Action::OpenOptimize => {
                // Routes marked on the Routes tab (space / A) can be re-optimized alone.
                let marked = self.screen_of(Collection::Routes).marked_ids();
                let screen = OptimizeScreen::new(self.date, marked);
                return self.open_plan(PlanKind::Optimize(Box::new(screen)));
            }
            Action::JumpToRoute | Action::JumpToDriver | Action::JumpBack => {
                return self.on_jump(action);
            }
            Action::Back if self.jumps.arrived_at(&self.place()) => {
                return self.on_jump(Action::JumpBack);
            }
            Action::Open if self.routes_table_shown() => {
                let s = self.screen();
                if let Some(id) = s.current_item().and_then(|i| s.resource().id(i)) {
                    return self.open_route_view(id.to_string());
                }
            }
            Action::MoveStopUp | Action::MoveStopDown => {
                let open = self.ctx.keymap.label(Action::Open);
                self.toasts.push(
                    Level::Warn,
                    format!("Open a route ({open}) to move its stops"),
                );
            }
            _ => {
                let areas = self.areas();
                let active = self.active;
                self.screens[active].handle(action, &areas, &self.ctx);
            }
        }
        Vec::new()
    }

    fn switch_tab(&mut self, i: usize) -> Vec<Effect> {
        if i >= self.screens.len() || i == self.active {
            return Vec::new();
        }
        let mut out = self.close_route_view();
        out.extend(
            self.screens[self.active]
                .unsubscribe()
                .into_iter()
                .map(Effect::Send),
        );
        self.active = i;
        out.extend(self.subscribe_active());
        out
    }

    fn set_date(&mut self, d: Date) -> Vec<Effect> {
        if d == self.date {
            return Vec::new();
        }
        self.date = d;
        // A route belongs to its date.
        let mut out = self.close_route_view();
        out.extend(self.subscribe_active());
        if let Some(plan) = self.plan.take_if(|p| p.follows_date()) {
            out.extend(self.open_plan(plan.kind().clone()));
        }
        out
    }

    fn refresh(&mut self) -> Vec<Effect> {
        let req = self.req();
        let active = self.active;
        match self.screens[active].refresh(req) {
            Some(cmd) => vec![Effect::Send(cmd)],
            None => self.subscribe_active(),
        }
    }

    fn copy(&mut self, action: Action) -> Vec<Effect> {
        let screen = self.screen();
        let res = screen.resource();
        let (what, text) = match screen.current_item() {
            Some(item) if action == Action::CopyId => ("_id", res.id(item)),
            Some(item) => ("reference", res.reference(item)),
            None => ("", None),
        };
        match text.map(str::to_string) {
            Some(t) => {
                self.toasts.push(Level::Info, format!("Copied {what} {t}"));
                vec![Effect::CopyToClipboard(t)]
            }
            None => {
                self.toasts.push(Level::Warn, "Nothing selected to copy");
                Vec::new()
            }
        }
    }

    fn on_popup_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.popups.last() {
            Some(Popup::Form(_)) => return self.on_form_key(&key),
            Some(Popup::Activity { .. }) => return self.on_activity_key(&key),
            Some(Popup::Confirm(_)) => return self.on_confirm_key(&key),
            _ => {}
        }
        let action = self.ctx.keymap.action(KeyContext::Global, &key);
        let Some(top) = self.popups.last_mut() else {
            return Vec::new();
        };
        match top {
            Popup::Help { lines, scroll } => {
                let page = HelpOverlay::area(self.size).height.saturating_sub(2).max(1) as usize;
                let last = lines.len().saturating_sub(1);
                match action {
                    Some(Action::Help | Action::Back | Action::Quit) => {
                        self.popups.pop();
                    }
                    Some(Action::Down) => *scroll = (*scroll + 1).min(last),
                    Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                    Some(Action::PageDown) => *scroll = (*scroll + page).min(last),
                    Some(Action::PageUp) => *scroll = scroll.saturating_sub(page),
                    Some(Action::Top) => *scroll = 0,
                    Some(Action::Bottom) => *scroll = last,
                    _ => {}
                }
                Vec::new()
            }
            Popup::Prompt(p) => {
                let kind = p.kind();
                let res = self.screens[self.active].resource();
                let outcome = p.handle_key(&key, |text| match kind {
                    PromptKind::Filter => Filter::completions(text, res),
                    PromptKind::Command => commands::completions(text),
                    PromptKind::Date => DATE_WORDS
                        .iter()
                        .filter(|w| w.starts_with(text.trim()))
                        .map(|w| w.to_string())
                        .collect(),
                });
                self.on_prompt(kind, outcome)
            }
            // Handled above.
            Popup::Form(_) | Popup::Confirm(_) | Popup::Activity { .. } => Vec::new(),
        }
    }

    fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if let Some(Popup::Prompt(p)) = self.popups.last_mut() {
            let kind = p.kind();
            let outcome = p.paste(text);
            self.dirty = true;
            return self.on_prompt(kind, outcome);
        }
        if let Some(Popup::Form(fp)) = self.popups.last_mut() {
            fp.form.paste(text);
            self.dirty = true;
        }
        Vec::new()
    }

    fn on_prompt(&mut self, kind: PromptKind, outcome: PromptOutcome) -> Vec<Effect> {
        let active = self.active;
        match (kind, outcome) {
            (_, PromptOutcome::Unchanged) => Vec::new(),
            (PromptKind::Filter, PromptOutcome::Edited) => {
                if let Some(Popup::Prompt(p)) = self.popups.last() {
                    let text = p.value().to_string();
                    self.screens[active].set_filter(&text);
                }
                Vec::new()
            }
            (PromptKind::Filter, PromptOutcome::Cancel) => {
                self.popups.pop();
                self.screens[active].set_filter("");
                Vec::new()
            }
            (_, PromptOutcome::Cancel) | (PromptKind::Filter, PromptOutcome::Submit(_)) => {
                self.popups.pop();
                Vec::new()
            }
            (_, PromptOutcome::Edited) => Vec::new(),
            (PromptKind::Command, PromptOutcome::Submit(text)) => {
                match commands::parse(&text, self.ctx.today) {
                    Ok(cmd) => {
                        self.popups.pop();
                        self.run_command(cmd)
                    }
                    Err(e) => self.prompt_error(e),
                }
            }
            (PromptKind::Date, PromptOutcome::Submit(text)) => {
                match Date::parse_relative(&text, self.ctx.today) {
                    Ok(d) => {
                        self.popups.pop();
                        self.set_date(d)
                    }
                    Err(e) => self.prompt_error(e.to_string()),
                }
            }
        }
    }

    fn prompt_error(&mut self, e: String) -> Vec<Effect> {
        if let Some(Popup::Prompt(p)) = self.popups.last_mut() {
            p.set_error(e);
        }
        Vec::new()
    }

    fn run_command(&mut self, cmd: CommandLine) -> Vec<Effect> {
        match cmd {
            CommandLine::Go(c) => {
                let i = Collection::ALL
                    .iter()
                    .position(|x| *x == c)
                    .unwrap_or(self.active);
                self.switch_tab(i)
            }
            CommandLine::Date(d) => self.set_date(d),
            CommandLine::Quit => vec![Effect::Quit],
            CommandLine::Help => self.on_action(Action::Help),
            CommandLine::Refresh => self.refresh(),
            CommandLine::Optimize => self.on_action(Action::OpenOptimize),
            CommandLine::Map => self.on_action(Action::OpenMap),
            CommandLine::Timeline => self.on_action(Action::OpenTimeline),
        }
    }

    /// Opens a planning view over the working date and loads its lists.
    fn open_plan(&mut self, kind: PlanKind) -> Vec<Effect> {
        let keys = [
            self.list_key(Collection::Routes),
            self.list_key(Collection::Tasks),
            self.list_key(Collection::Depots),
        ];
        let view = PlanView::new(kind, keys);
        let cmds = view.subscribe(&mut || {
            let r = self.next_req;
            self.next_req += 1;
            r
        });
        self.plan = Some(view);
        self.dirty = true;
        cmds.into_iter().map(Effect::Send).collect()
    }

    /// Keys go to the planning view first; Quit, Help and the command line still work.
    fn on_plan_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let body = self.areas().body;
        let Some(plan) = self.plan.as_mut() else {
            return Vec::new();
        };
        let next_req = &mut self.next_req;
        let outcome = plan.on_key(&key, body, &mut || {
            let r = *next_req;
            *next_req += 1;
            r
        });
        match outcome {
            OptOutcome::Stay => Vec::new(),
            OptOutcome::Send(cmds) => cmds.into_iter().map(Effect::Send).collect(),
            OptOutcome::Close => {
                self.plan = None;
                Vec::new()
            }
            OptOutcome::Ignored => match self.ctx.keymap.action(KeyContext::Global, &key) {
                Some(
                    a @ (Action::Quit
                    | Action::Help
                    | Action::CommandMode
                    | Action::PrevDay
                    | Action::NextDay
                    | Action::Today
                    | Action::DatePrompt),
                ) => self.on_action(a),
                _ => Vec::new(),
            },
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        if !self.ctx.mouse {
            return Vec::new();
        }
        let help_open = matches!(self.popups.last(), Some(Popup::Help { .. }));
        if !self.popups.is_empty() && !help_open {
            return Vec::new();
        }
        match m.kind {
            MouseEventKind::ScrollDown if self.pod.is_some() && !help_open => {
                return self.on_pod_action(Action::Down);
            }
            MouseEventKind::ScrollUp if self.pod.is_some() && !help_open => {
                return self.on_pod_action(Action::Up);
            }
            MouseEventKind::ScrollDown if help_open => return self.on_popup_action(Action::Down),
            MouseEventKind::ScrollUp if help_open => return self.on_popup_action(Action::Up),
            MouseEventKind::ScrollDown => return self.on_action(Action::Down),
            MouseEventKind::ScrollUp => return self.on_action(Action::Up),
            MouseEventKind::Down(MouseButton::Left) if !help_open && self.route_view.is_none() => {
                let areas = self.areas();
                let rows = areas.table_rows();
                if rows.contains(Position::new(m.column, m.row)) {
                    let active = self.active;
                    self.screens[active].click_row((m.row - rows.y) as usize, areas.table_page());
                    self.dirty = true;
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn on_popup_action(&mut self, a: Action) -> Vec<Effect> {
        if let Some(Popup::Help { lines, scroll }) = self.popups.last_mut() {
            let last = lines.len().saturating_sub(1);
            *scroll = match a {
                Action::Down => (*scroll + 1).min(last),
                _ => scroll.saturating_sub(1),
            };
            self.dirty = true;
        }
        Vec::new()
    }

    fn on_actor(&mut self, ev: Event) -> Vec<Effect> {
        match ev {
            Event::Progress {
                key, loaded, total, ..
            } => {
                let active = self.active;
                for (i, s) in self.screens.iter_mut().enumerate() {
                    if s.on_progress(&key, loaded, total) && i == active {
                        self.dirty = true;
                    }
                }
            }
            Event::Loaded {
                key,
                items,
                fetched_at,
                ..
            } => {
                if let Some(p) = self.plan.as_mut()
                    && p.on_loaded(&key, &items)
                {
                    self.dirty = true;
                }
                if let Some(r) = self.route_view.as_mut()
                    && r.on_loaded(&key, &items)
                {
                    self.dirty = true;
                }
                let active = self.active;
                let mut jobs = Vec::new();
                for (i, s) in self.screens.iter_mut().enumerate() {
                    match s.on_loaded(&key, items.clone(), fetched_at, &self.ctx) {
                        Loaded::NotMine => continue,
                        Loaded::Unchanged => {}
                        Loaded::Build(job) => jobs.push(Effect::BuildRows(job)),
                    }
                    if i == active {
                        self.dirty = true;
                    }
                }
                return jobs;
            }
            Event::Failed { req, key, error } => {
                if key.is_none() && self.on_pod_failed(req, &error) {
                    return Vec::new();
                }
                if key.is_none()
                    && let Some(effects) = self.on_mutation_failed(req, &error)
                {
                    self.dirty = true;
                    return effects;
                }
                let ev = Event::Failed {
                    req,
                    key: key.clone(),
                    error: error.clone(),
                };
                let mut mine = self.plan.as_mut().is_some_and(|p| p.on_event(&ev));
                for s in &mut self.screens {
                    let what = s.collection().name().replace('-', " ");
                    match s.on_failed(req, key.as_ref(), &error) {
                        Failure::NotMine => continue,
                        Failure::FirstLoad(e) => self
                            .toasts
                            .push(Level::Error, format!("Could not load {what}: {e}")),
                        Failure::Stale(e) => self
                            .toasts
                            .push(Level::Error, format!("Refreshing {what} failed: {e}")),
                        Failure::StillStale => {}
                    }
                    mine = true;
                }
                if !mine && req != 0 {
                    self.toasts.push(Level::Error, error.to_string());
                }
                self.dirty = true;
            }
            Event::Mutated {
                req,
                mutation,
                outcome,
            } => {
                self.dirty = true;
                return self.on_mutated(req, &mutation, &outcome);
            }
            ev @ (Event::OptimizationStarted { .. }
            | Event::OptimizationProgress { .. }
            | Event::OptimizationDone { .. }
            | Event::OptimizationCancelled { .. }
            | Event::OptimizationFailed { .. }
            | Event::OptimizationApplied { .. }) => {
                if let Some(p) = self.plan.as_mut()
                    && p.on_event(&ev)
                {
                    self.dirty = true;
                }
                if let Event::OptimizationApplied { .. } = ev {
                    self.toasts.push(Level::Info, "Optimized plan applied");
                }
            }
            Event::PodLoaded { req, pod } => return self.on_pod_loaded(req, *pod),
            // No view asks for single items yet; nothing to update.
            Event::Got { .. } => {}
        }
        Vec::new()
    }

    /// Draws the whole console.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        if too_small(area) {
            let text = format!(
                "Terminal too small: {}×{}. The console needs at least {MIN_WIDTH}×{MIN_HEIGHT}; enlarge the window or press q to quit.",
                area.width, area.height
            );
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        }
        let areas = Areas::new(area, self.screen().has_banner());
        let ctx = &self.ctx;
        let screen = self.screen();
        let date = screen.collection().is_date_scoped().then(|| day(self.date));
        let titles: Vec<&str> = self
            .screens
            .iter()
            .map(|s| s.collection().title())
            .collect();
        frame.render_widget(
            TabBar {
                titles: &titles,
                active: self.active,
                right: date.clone(),
                theme: ctx.theme,
            },
            areas.tabs,
        );
        let spinner = SPINNER[self.spinner % SPINNER.len()];
        match (&self.pod, &self.plan, &self.route_view) {
            (Some(v), _, _) => v.render(frame, areas.body, ctx),
            (None, Some(p), _) => p.render(frame, areas.body, ctx.theme, self.now_minute()),
            (None, None, Some(r)) => frame.render_widget(
                RouteDetailView {
                    view: r,
                    keymap: &ctx.keymap,
                    theme: ctx.theme,
                },
                areas.body,
            ),
            (None, None, None) => screen.render(frame, &areas, ctx, spinner),
        }
        frame.render_widget(
            ToastView {
                toasts: &self.toasts,
                theme: ctx.theme,
            },
            Rect {
                height: areas.body.height.saturating_sub(1),
                ..areas.body
            },
        );
        match self.popups.last() {
            Some(Popup::Prompt(p)) => {
                let hint = self.prompt_hint(p);
                frame.render_widget(
                    PromptView {
                        prompt: p,
                        hint,
                        theme: ctx.theme,
                    },
                    areas.status,
                );
                frame.set_cursor_position(p.cursor(areas.status));
            }
            Some(Popup::Help { lines, scroll }) => {
                self.render_status(frame, &areas, date, spinner);
                let k = &ctx.keymap;
                let footer = format!(
                    "{}/{} · {} closes · {}/{} scroll",
                    (scroll + 1).min(lines.len()),
                    lines.len(),
                    k.label(Action::Back),
                    k.label(Action::Down),
                    k.label(Action::Up)
                );
                frame.render_widget(
                    HelpOverlay {
                        lines,
                        scroll: *scroll,
                        footer,
                        theme: ctx.theme,
                    },
                    area,
                );
            }
            Some(Popup::Form(fp)) => {
                self.render_status(frame, &areas, date, spinner);
                frame.render_widget(
                    FormView {
                        form: &fp.form,
                        theme: ctx.theme,
                    },
                    areas.body,
                );
                frame.set_cursor_position(fp.form.cursor(areas.body));
            }
            Some(Popup::Confirm(cp)) => {
                self.render_status(frame, &areas, date, spinner);
                frame.render_widget(
                    ConfirmView {
                        confirm: &cp.confirm,
                        theme: ctx.theme,
                    },
                    areas.body,
                );
            }
            Some(Popup::Activity { scroll }) => {
                self.render_status(frame, &areas, date, spinner);
                self.render_activity(frame, *scroll);
            }
            None => self.render_status(frame, &areas, date, spinner),
        }
    }

    /// The minute of the day now, when the working date is today.
    fn now_minute(&self) -> Option<u32> {
        if self.date != self.ctx.today {
            return None;
        }
        let now = jiff::Zoned::now().with_time_zone(self.ctx.tz.clone());
        Some(now.hour() as u32 * 60 + now.minute() as u32)
    }

    fn render_status(&self, frame: &mut Frame, areas: &Areas, date: Option<String>, spinner: &str) {
        let screen = self.screen();
        let (shown, total) = screen.counts();
        let c = screen.collection();
        let count = if !screen.has_data() {
            c.noun(2)
        } else if shown == total {
            format!("{} {}", thousands(total), c.noun(total))
        } else {
            format!(
                "{} of {} {}",
                thousands(shown),
                thousands(total),
                c.noun(total)
            )
        };
        let progress = if self.actor_gone {
            Some("offline".to_string())
        } else {
            match screen.progress() {
                Some((n, Some(t))) => Some(format!(
                    "{spinner} loading {}/{}",
                    thousands(n),
                    thousands(t)
                )),
                Some((n, None)) => Some(format!("{spinner} loading {}", thousands(n))),
                None if screen.is_loading() => Some(format!("{spinner} loading")),
                None => None,
            }
        };
        let refreshed = screen
            .fetched_at()
            .and_then(|t| clock(t, &self.ctx.tz))
            .map(|t| format!("refreshed {t}"));
        let k = &self.ctx.keymap;
        let hint = match self.key_reader.pending() {
            // A sequence is half typed (`g` of `gr`): say so until the next key.
            Some(keys) => format!("{keys}…"),
            None => format!(
                "{} help  {} command  {} filter  {} quit",
                k.label(Action::Help),
                k.label(Action::CommandMode),
                k.label(Action::FilterMode),
                k.label(Action::Quit)
            ),
        };
        frame.render_widget(
            StatusBar {
                profile: &self.ctx.profile_label,
                read_only: self.ctx.read_only,
                date,
                count,
                progress,
                refreshed,
                hint,
                theme: self.ctx.theme,
            },
            areas.status,
        );
    }

    fn prompt_hint(&self, p: &Prompt) -> String {
        match p.kind() {
            PromptKind::Filter => {
                let mut names: Vec<&str> = self
                    .screen()
                    .resource()
                    .filter_fields()
                    .iter()
                    .map(|f| f.name)
                    .collect();
                names.dedup();
                format!("field:value — {}", names.join(" "))
            }
            PromptKind::Command => {
                let c = commands::completions(p.value());
                if c.is_empty() {
                    "Enter runs · Esc cancels".into()
                } else {
                    format!("Tab: {}", c.join(" "))
                }
            }
            PromptKind::Date => "YYYY-MM-DD · today · tomorrow · yesterday".into(),
        }
    }
}
