//! The one key table: every action with its default keys, description and context.
//! Key handling, the `?` help overlay and the README key table are all generated from it,
//! so they cannot drift apart. Overrides come from the `[keys]` table of the config.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Something the user can ask for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Leave the program.
    Quit,
    /// Show or hide the key help.
    Help,
    /// Open the `:` command line.
    CommandMode,
    /// Open the `/` filter line.
    FilterMode,
    /// Open the date prompt.
    DatePrompt,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Tab number n (0-based).
    GoTab(u8),
    /// Selection or scroll down one line.
    Down,
    /// Selection or scroll up one line.
    Up,
    /// To the first line.
    Top,
    /// To the last line.
    Bottom,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Details of the selected item.
    Open,
    /// Back to the table, or clear the filter.
    Back,
    /// Raw JSON of the item.
    RawJson,
    /// Sort by the next column.
    SortNext,
    /// Reverse the sort direction.
    SortReverse,
    /// Working date minus one day.
    PrevDay,
    /// Working date plus one day.
    NextDay,
    /// Working date back to today.
    Today,
    /// Reload the current list now.
    Refresh,
    /// Copy the item's `_id`.
    CopyId,
    /// Copy the item's reference (or UID).
    CopyRef,
    /// Create a new item with a form.
    NewItem,
    /// Edit the selected item with a form.
    EditItem,
    /// Delete the selected item (confirmed).
    DeleteItem,
    /// Cancel the selected task (optional reason, confirmed).
    CancelTask,
    /// Move the selected task to another date.
    MoveTask,
    /// Reattempt the selected failed task on a date.
    ReattemptTask,
    /// Create a return for the selected task (confirmed).
    CreateReturn,
    /// Mark or unmark the row for a bulk action.
    Mark,
    /// Mark every row the filter shows.
    MarkAll,
    /// Show the session's activity log.
    ActivityLog,
    /// Open the map of the working date's routes.
    OpenMap,
    /// Open the timeline of the working date's routes.
    OpenTimeline,
    /// Open the Optimize screen.
    OpenOptimize,
    /// Lock the route (or the marked routes), or unlock them when all are locked.
    ToggleLock,
    /// Take the not-started stops off the route (or the marked routes), confirmed.
    ClearRoute,
    /// Re-time the route (or the marked routes) and store the ETAs as planned.
    SetPlannedEtas,
    /// Route detail: move the selected stop one place earlier (not saved yet).
    MoveStopUp,
    /// Route detail: move the selected stop one place later (not saved yet).
    MoveStopDown,
    /// Route detail: save the re-ordered stops.
    SaveOrder,
    /// Jump to the route of the task.
    JumpToRoute,
    /// Jump to the driver of the task or route.
    JumpToDriver,
    /// Back to where the last jump came from.
    JumpBack,
    /// Schedule the selected (or marked) template groups for dates.
    ScheduleTemplates,
    /// Add tasks to the selected task-template group.
    AddTasksToGroup,
    /// Open the proof of delivery of the selected task.
    ProofOfDelivery,
    /// Save the signature and photos of the open proof of delivery.
    SavePod,
    /// Next photo of the proof of delivery.
    NextPhoto,
    /// Previous photo of the proof of delivery.
    PrevPhoto,
}

/// Where a key binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyContext {
    /// Everywhere outside prompts and overlays.
    Global,
    /// The table of a collection.
    Table,
    /// The detail and JSON views of one item.
    Detail,
    /// The Tasks tab, table or detail (checked before the table and global keys).
    Tasks,
    /// The Routes tab: its table and the route detail (checked before the table keys).
    Routes,
    /// The route- and task-template tabs.
    Templates,
    /// The proof-of-delivery view (checked before the global keys while it is open).
    Pod,
}

impl KeyContext {
    /// Heading used in the help overlay and the README.
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Everywhere",
            KeyContext::Table => "Table",
            KeyContext::Detail => "Detail and JSON views",
            KeyContext::Tasks => "Tasks tab",
            KeyContext::Routes => "Routes tab and route detail",
            KeyContext::Templates => "Template tabs",
            KeyContext::Pod => "Proof of delivery view",
        }
    }

    /// Every context, in the order the help lists them.
    pub const ALL: [KeyContext; 7] = [
        KeyContext::Global,
        KeyContext::Table,
        KeyContext::Detail,
        KeyContext::Tasks,
        KeyContext::Routes,
        KeyContext::Templates,
        KeyContext::Pod,
    ];

    /// Whether this context belongs to one screen or view (and so applies in its table and
    /// detail). Two of them never apply at once: the proof of delivery opens from a task,
    /// the route detail on the Routes tab, the template keys on the template tabs.
    fn is_screen(self) -> bool {
        matches!(
            self,
            KeyContext::Tasks | KeyContext::Routes | KeyContext::Templates | KeyContext::Pod
        )
    }

    fn overlaps(self, other: KeyContext) -> bool {
        self == other
            || self == KeyContext::Global
            || other == KeyContext::Global
            || self.is_screen() != other.is_screen()
    }
}

/// One row of the key table.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    /// The action.
    pub action: Action,
    /// Name used in the `[keys]` table of the config.
    pub name: &'static str,
    /// Default keys, in the syntax of [`Key::parse`].
    pub keys: &'static [&'static str],
    /// What it does, for the help overlay.
    pub description: &'static str,
    /// Where it applies.
    pub context: KeyContext,
}

const fn spec(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    description: &'static str,
    context: KeyContext,
) -> ActionSpec {
    ActionSpec {
        action,
        name,
        keys,
        description,
        context,
    }
}

use Action as A;
use KeyContext::{Global as G, Pod as P, Routes as RT, Table as T, Tasks as TK, Templates as TP};

/// Every action and its default keys.
pub const ACTIONS: &[ActionSpec] = &[
    spec(A::Help, "help", &["?"], "Show or hide this help", G),
    spec(A::Quit, "quit", &["q", "ctrl-c"], "Quit", G),
    spec(
        A::CommandMode,
        "command",
        &[":"],
        "Command line (:tasks, :date 2025-08-22, :q)",
        G,
    ),
    spec(
        A::FilterMode,
        "filter",
        &["/"],
        "Filter rows: words, field:value",
        G,
    ),
    spec(A::NextTab, "next_tab", &["Tab"], "Next tab", G),
    spec(A::PrevTab, "prev_tab", &["Shift-Tab"], "Previous tab", G),
    spec(A::GoTab(0), "tab_1", &["1"], "Tasks", G),
    spec(A::GoTab(1), "tab_2", &["2"], "Routes", G),
    spec(A::GoTab(2), "tab_3", &["3"], "Drivers", G),
    spec(A::GoTab(3), "tab_4", &["4"], "Vehicles", G),
    spec(A::GoTab(4), "tab_5", &["5"], "Customers", G),
    spec(A::GoTab(5), "tab_6", &["6"], "Depots", G),
    spec(A::GoTab(6), "tab_7", &["7"], "Zones", G),
    spec(A::GoTab(7), "tab_8", &["8"], "Schedule exceptions", G),
    spec(A::GoTab(8), "tab_9", &["9"], "Route templates", G),
    spec(A::Down, "down", &["j", "Down"], "Down one line", G),
    spec(A::Up, "up", &["k", "Up"], "Up one line", G),
    spec(A::Top, "top", &["gg", "Home"], "First line", G),
    spec(A::Bottom, "bottom", &["G", "End"], "Last line", G),
    spec(A::PageDown, "page_down", &["PgDn"], "One page down", G),
    spec(A::PageUp, "page_up", &["PgUp"], "One page up", G),
    spec(
        A::Back,
        "back",
        &["Esc"],
        "Back to the table; clear the filter",
        G,
    ),
    spec(
        A::RawJson,
        "raw_json",
        &["v"],
        "Raw JSON of the item (again: details)",
        G,
    ),
    spec(
        A::PrevDay,
        "prev_day",
        &["["],
        "Working date: previous day",
        G,
    ),
    spec(A::NextDay, "next_day", &["]"], "Working date: next day", G),
    spec(A::Today, "today", &["t"], "Working date: today", G),
    spec(
        A::DatePrompt,
        "date",
        &["D"],
        "Working date: type a date",
        G,
    ),
    spec(
        A::Refresh,
        "refresh",
        &["ctrl-r"],
        "Reload now (also retries after an error)",
        G,
    ),
    spec(
        A::CopyId,
        "copy_id",
        &["y"],
        "Copy the _id to the clipboard",
        G,
    ),
    spec(
        A::CopyRef,
        "copy_ref",
        &["Y"],
        "Copy the reference (or UID) to the clipboard",
        G,
    ),
    spec(A::OpenMap, "map", &["M"], "Map of the day's routes", G),
    spec(
        A::OpenTimeline,
        "timeline",
        &["T"],
        "Timeline of the day's routes",
        G,
    ),
    spec(
        A::OpenOptimize,
        "optimize",
        &["O"],
        "Optimize the day's routes (:optimize)",
        G,
    ),
    spec(
        A::Open,
        "open",
        &["Enter"],
        "Details of the selected item",
        T,
    ),
    spec(A::SortNext, "sort", &["s"], "Sort by the next column", T),
    spec(A::NewItem, "new", &["n"], "New item (form)", G),
    spec(A::EditItem, "edit", &["e"], "Edit the item (form)", G),
    spec(
        A::DeleteItem,
        "delete",
        &["d"],
        "Delete the item (confirmed)",
        G,
    ),
    spec(
        A::CancelTask,
        "cancel_task",
        &["c"],
        "Cancel the task (reason, confirmed)",
        TK,
    ),
    spec(
        A::MoveTask,
        "move_task",
        &["m"],
        "Move the task to a date",
        TK,
    ),
    spec(
        A::ReattemptTask,
        "reattempt",
        &["a"],
        "Reattempt a failed task on a date",
        TK,
    ),
    spec(
        A::CreateReturn,
        "create_return",
        &["R"],
        "Create a return for the task",
        TK,
    ),
    spec(
        A::Mark,
        "mark",
        &["space"],
        "Mark the row (task actions and route optimization act on marked rows)",
        T,
    ),
    spec(A::MarkAll, "mark_all", &["A"], "Mark every row shown", T),
    spec(
        A::ScheduleTemplates,
        "schedule_templates",
        &["P"],
        "Schedule the group (or the marked ones) for dates",
        TP,
    ),
    spec(
        A::AddTasksToGroup,
        "add_tasks_to_group",
        &["+"],
        "Task templates: add tasks (the ones marked on Tasks) to the group",
        TP,
    ),
    spec(
        A::ActivityLog,
        "activity",
        &["L"],
        "Activity log: every change of the session",
        G,
    ),
    spec(
        A::SortReverse,
        "sort_reverse",
        &["S"],
        "Reverse the sort",
        T,
    ),
    spec(
        A::ToggleLock,
        "lock",
        &["l"],
        "Lock or unlock the route (marked routes: all of them)",
        RT,
    ),
    spec(
        A::ClearRoute,
        "clear_route",
        &["C"],
        "Clear the route's not-started stops (confirmed)",
        RT,
    ),
    spec(
        A::SetPlannedEtas,
        "set_etas",
        &["E"],
        "Recompute ETAs and store them as planned",
        RT,
    ),
    spec(
        A::MoveStopUp,
        "stop_up",
        &["K"],
        "Route detail: move the stop up (unsaved)",
        RT,
    ),
    spec(
        A::MoveStopDown,
        "stop_down",
        &["J"],
        "Route detail: move the stop down (unsaved)",
        RT,
    ),
    spec(
        A::SaveOrder,
        "save_order",
        &["w"],
        "Route detail: save the new stop order",
        RT,
    ),
    spec(
        A::JumpToRoute,
        "jump_route",
        &["gr"],
        "Jump to the task's route (Enter on a stop: to its task)",
        G,
    ),
    spec(
        A::JumpToDriver,
        "jump_driver",
        &["gd"],
        "Jump to the driver of the task or route",
        G,
    ),
    spec(
        A::JumpBack,
        "jump_back",
        &["Backspace"],
        "Back to where the last jump came from (Esc too, on arrival)",
        G,
    ),
    spec(
        A::ProofOfDelivery,
        "pod",
        &["p"],
        "Proof of delivery: signature, photos, GPS (again: reload)",
        TK,
    ),
    spec(
        A::SavePod,
        "pod_save",
        &["w"],
        "Save the signature and photos as files in the data dir",
        P,
    ),
    spec(
        A::NextPhoto,
        "pod_next_photo",
        &["Right", ">"],
        "Next photo (Tab too)",
        P,
    ),
    spec(
        A::PrevPhoto,
        "pod_prev_photo",
        &["Left", "<"],
        "Previous photo (Shift-Tab too)",
        P,
    ),
];

/// Keys handled by prompts and overlays themselves (not configurable), for the help.
pub const FIXED_KEYS: &[(&str, &str)] = &[
    ("Enter", "Prompt: apply (filter stays on)"),
    ("Esc", "Prompt: cancel (filter: clear)"),
    ("Tab", "Prompt: complete (commands, field names, dates)"),
    (
        "ctrl-n ctrl-d",
        "Form: add a group entry (a location, a component), remove the one under the cursor",
    ),
    ("Esc ? q", "Help: close"),
    ("+ - f", "Map: zoom in, zoom out, fit to routes"),
    ("h j k l", "Map: pan; timeline: j/k route"),
    ("n N", "Map and timeline: next, previous route"),
    ("Enter a y Esc", "Optimize: run, apply, confirm, discard"),
];

/// A key with its modifiers, normalised so that `S` and `shift-s` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    /// A key from its parts, normalised.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut code = code;
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        match code {
            // The character already carries the shift; terminals disagree on the flag.
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    code = KeyCode::Char(c.to_ascii_lowercase());
                }
            }
            KeyCode::BackTab => mods.remove(KeyModifiers::SHIFT),
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                mods.remove(KeyModifiers::SHIFT);
            }
            _ => {}
        }
        Key { code, mods }
    }

    /// The key of a terminal key event.
    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    /// Parses `q`, `S`, `ctrl-r`, `alt-x`, `shift-tab`, `Enter`, `Esc`, `PgDn`, `F5`, `space` ….
    pub fn parse(s: &str) -> Result<Key, String> {
        let t = s.trim();
        if t.is_empty() {
            return Err("empty key".into());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = t;
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = [
                "ctrl-", "ctrl+", "c-", "alt-", "alt+", "a-", "m-", "shift-", "shift+", "s-",
            ]
            .into_iter()
            .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(p) = prefix else { break };
            match p.chars().next() {
                Some('c') => mods |= KeyModifiers::CONTROL,
                Some('a') | Some('m') => mods |= KeyModifiers::ALT,
                _ => mods |= KeyModifiers::SHIFT,
            }
            rest = &rest[p.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if mods.contains(KeyModifiers::SHIFT) {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => {
                named_key(&rest.to_ascii_lowercase()).ok_or_else(|| format!("unknown key {t:?}"))?
            }
        };
        Ok(Key::new(code, mods))
    }
}

/// One key, or keys pressed one after the other (`gr`: `g`, then `r`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeySeq(Vec<Key>);

impl KeySeq {
    /// Parses one key as [`Key::parse`] does, or a sequence written as two or more lowercase
    /// letters that are not a key name (`gr`, `gd`, `gg`).
    pub fn parse(s: &str) -> Result<KeySeq, String> {
        match Key::parse(s) {
            Ok(k) => Ok(KeySeq(vec![k])),
            Err(e) => {
                let t = s.trim();
                if t.len() >= 2 && t.chars().all(|c| c.is_ascii_lowercase()) {
                    Ok(KeySeq(
                        t.chars()
                            .map(|c| Key::new(KeyCode::Char(c), KeyModifiers::NONE))
                            .collect(),
                    ))
                } else {
                    Err(e)
                }
            }
        }
    }

    /// The keys in order.
    pub fn keys(&self) -> &[Key] {
        &self.0
    }

    /// Whether one of the two sequences begins the other (so they cannot share a context).
    fn clashes(&self, other: &KeySeq) -> bool {
        self.0.starts_with(&other.0) || other.0.starts_with(&self.0)
    }
}

impl fmt::Display for KeySeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for k in &self.0 {
            write!(f, "{k}")?;
        }
        Ok(())
    }
}

/// What the keys pressed so far mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// A whole binding.
    Action(Action),
    /// The start of a longer binding: wait for the next key.
    Prefix,
    /// Nothing.
    Unbound,
}

/// Keys typed so far that begin a sequence (`g` of `gr`); the next key completes it.
#[derive(Debug, Clone, Default)]
pub struct KeyReader {
    pending: Vec<Key>,
}

impl KeyReader {
    /// Takes a key: the action it completes, if any. A key that breaks a started sequence
    /// is read on its own, so `g` then `j` still moves down.
    pub fn feed(
        &mut self,
        keymap: &Keymap,
        screen: Option<KeyContext>,
        context: KeyContext,
        key: &KeyEvent,
    ) -> Option<Action> {
        let k = Key::from_event(key);
        let mut seq = std::mem::take(&mut self.pending);
        seq.push(k);
        let mut res = keymap.resolve(screen, context, &seq);
        if res == Resolved::Unbound && seq.len() > 1 {
            seq = vec![k];
            res = keymap.resolve(screen, context, &seq);
        }
        match res {
            Resolved::Action(a) => Some(a),
            Resolved::Prefix => {
                self.pending = seq;
                None
            }
            Resolved::Unbound => None,
        }
    }

    /// The keys waiting for the rest of their sequence, for the status bar.
    pub fn pending(&self) -> Option<String> {
        (!self.pending.is_empty()).then(|| self.pending.iter().map(Key::to_string).collect())
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    let code = match name {
        "enter" | "return" | "cr" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" | "spc" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "backspace" | "bs" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "minus" => KeyCode::Char('-'),
        "plus" => KeyCode::Char('+'),
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        _ => return None,
    };
    Some(code)
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("Up"),
            KeyCode::Down => f.write_str("Down"),
            KeyCode::Left => f.write_str("Left"),
            KeyCode::Right => f.write_str("Right"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One action with the keys it ended up with after overrides.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The table row.
    pub spec: ActionSpec,
    /// Effective keys.
    pub keys: Vec<KeySeq>,
}

/// The effective key table.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::defaults()
    }
}

impl Keymap {
    /// The default keys.
    pub fn defaults() -> Keymap {
        let bindings = ACTIONS
            .iter()
            .map(|s| Binding {
                spec: *s,
                keys: s
                    .keys
                    .iter()
                    .filter_map(|k| KeySeq::parse(k).ok())
                    .collect(),
            })
            .collect();
        Keymap { bindings }
    }

    /// Defaults with the config's `action = "key [key …]"` overrides applied, and warnings
    /// for unknown actions, unreadable keys and keys taken from another action.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> (Keymap, Vec<String>) {
        let mut warnings = Vec::new();
        let mut requested: Vec<Option<Vec<KeySeq>>> = vec![None; ACTIONS.len()];
        for (name, keys) in overrides {
            let Some(i) = ACTIONS.iter().position(|s| s.name == name.trim()) else {
                let names: Vec<&str> = ACTIONS.iter().map(|s| s.name).collect();
                warnings.push(format!(
                    "[keys] {name:?} is not an action; known actions: {}",
                    names.join(", ")
                ));
                continue;
            };
            let mut parsed = Vec::new();
            for k in keys.split_whitespace() {
                match KeySeq::parse(k) {
                    Ok(key) => parsed.push(key),
                    Err(e) => warnings.push(format!("[keys] {name}: {e}")),
                }
            }
            if parsed.is_empty() {
                warnings.push(format!(
                    "[keys] {name}: no usable key in {keys:?}; keeping the default"
                ));
            } else {
                requested[i] = Some(parsed);
            }
        }

        // Overridden actions claim their keys first, so a config binding always wins.
        let mut taken: Vec<(KeySeq, KeyContext, &'static str)> = Vec::new();
        let mut result: Vec<Vec<KeySeq>> = vec![Vec::new(); ACTIONS.len()];
        let order: Vec<usize> = (0..ACTIONS.len())
            .filter(|i| requested[*i].is_some())
            .chain((0..ACTIONS.len()).filter(|i| requested[*i].is_none()))
            .collect();
        for i in order {
            let spec = &ACTIONS[i];
            let wanted = match &requested[i] {
                Some(keys) => keys.clone(),
                None => spec
                    .keys
                    .iter()
                    .filter_map(|k| KeySeq::parse(k).ok())
                    .collect(),
            };
            for key in wanted {
                if let Some((_, _, owner)) = taken
                    .iter()
                    .find(|(k, c, _)| k.clashes(&key) && c.overlaps(spec.context))
                {
                    warnings.push(format!(
                        "[keys] key {key} of {} is already bound to {owner}; {} does not get it",
                        spec.name, spec.name
                    ));
                    continue;
                }
                taken.push((key.clone(), spec.context, spec.name));
                result[i].push(key);
            }
            if result[i].is_empty() {
                warnings.push(format!("[keys] {} has no key left", spec.name));
            }
        }
        let bindings = ACTIONS
            .iter()
            .zip(result)
            .map(|(s, keys)| Binding { spec: *s, keys })
            .collect();
        (Keymap { bindings }, warnings)
    }

    /// What `keys` mean on a screen with its own keys (`screen`), then in `context`, then
    /// globally: a whole binding wins over the start of a longer one.
    pub fn resolve(
        &self,
        screen: Option<KeyContext>,
        context: KeyContext,
        keys: &[Key],
    ) -> Resolved {
        let contexts: Vec<KeyContext> = screen
            .into_iter()
            .chain([context, KeyContext::Global])
            .collect();
        let applies = |b: &&Binding| contexts.contains(&b.spec.context);
        for ctx in &contexts {
            let whole = self
                .bindings
                .iter()
                .find(|b| b.spec.context == *ctx && b.keys.iter().any(|s| s.keys() == keys));
            if let Some(b) = whole {
                return Resolved::Action(b.spec.action);
            }
        }
        let longer = self.bindings.iter().filter(applies).any(|b| {
            b.keys
                .iter()
                .any(|s| s.keys().len() > keys.len() && s.keys().starts_with(keys))
        });
        if longer {
            Resolved::Prefix
        } else {
            Resolved::Unbound
        }
    }

    /// The action bound to the single `key` on a screen with its own keys (`screen`), then
    /// in `context`, then globally.
    pub fn action_on(
        &self,
        screen: Option<KeyContext>,
        context: KeyContext,
        key: &KeyEvent,
    ) -> Option<Action> {
        match self.resolve(screen, context, &[Key::from_event(key)]) {
            Resolved::Action(a) => Some(a),
            _ => None,
        }
    }

    /// The action bound to the single `key` in `context` (context-specific bindings first).
    pub fn action(&self, context: KeyContext, key: &KeyEvent) -> Option<Action> {
        self.action_on(None, context, key)
    }

    /// Every binding, in table order.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Keys of an action, for hints ("ctrl-r"); "unbound" when it has none.
    pub fn label(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.spec.action == action)
            .and_then(|b| b.keys.first())
            .map_or_else(|| "unbound".to_string(), KeySeq::to_string)
    }

    /// The key table as Markdown, for the README.
    pub fn markdown(&self) -> String {
        let mut out = String::from("| Keys | Action | Where | Config name |\n|---|---|---|---|\n");
        for b in &self.bindings {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{k}`")).collect();
            let desc = match b.spec.action {
                Action::GoTab(_) => format!("Tab: {}", b.spec.description),
                _ => b.spec.description.to_string(),
            };
            out.push_str(&format!(
                "| {} | {} | {} | `{}` |\n",
                keys.join(" ").replace('|', "\\|"),
                desc.replace('|', "\\|"),
                b.spec.context.title(),
                b.spec.name
            ));
        }
        for (keys, desc) in FIXED_KEYS {
            out.push_str(&format!(
                "| `{keys}` | {desc} | Prompts, forms, help, planning views | (fixed) |\n"
            ));
        }
        out
    }
}

/// The default key table as Markdown, for the README.
pub fn markdown_table() -> String {
    Keymap::defaults().markdown()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, mods, KeyEventKind::Press)
    }

    #[test]
    fn every_default_key_parses_and_defaults_do_not_conflict() {
        for s in ACTIONS {
            for k in s.keys {
                assert!(KeySeq::parse(k).is_ok(), "{k}");
            }
        }
        let (_, warnings) = Keymap::with_overrides(&BTreeMap::new());
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn action_names_are_unique() {
        let mut names: Vec<&str> = ACTIONS.iter().map(|s| s.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn shift_is_normalised_for_characters() {
        let km = Keymap::defaults();
        let with_shift = ev(KeyCode::Char('S'), KeyModifiers::SHIFT);
        let without = ev(KeyCode::Char('S'), KeyModifiers::NONE);
        assert_eq!(
            km.action(KeyContext::Table, &with_shift),
            Some(Action::SortReverse)
        );
        assert_eq!(
            km.action(KeyContext::Table, &without),
            Some(Action::SortReverse)
        );
        assert_eq!(
            km.action(KeyContext::Global, &ev(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Action::PrevTab)
        );
        assert_eq!(
            km.action(
                KeyContext::Global,
                &ev(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(Action::PrevTab)
        );
        assert_eq!(
            km.action(
                KeyContext::Global,
                &ev(KeyCode::Char('r'), KeyModifiers::CONTROL)
            ),
            Some(Action::Refresh)
        );
    }

    #[test]
    fn table_keys_do_not_apply_in_detail_view() {
        let km = Keymap::defaults();
        let s = ev(KeyCode::Char('s'), KeyModifiers::NONE);
        assert_eq!(km.action(KeyContext::Table, &s), Some(Action::SortNext));
        assert_eq!(km.action(KeyContext::Detail, &s), None);
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.action(KeyContext::Detail, &j), Some(Action::Down));
    }

    #[test]
    fn parse_and_display_round_trip() {
        for s in [
            "q",
            "S",
            "ctrl-r",
            "alt-x",
            "Enter",
            "Esc",
            "PgDn",
            "F5",
            "space",
            "Shift-Tab",
            "[",
        ] {
            let k = Key::parse(s).unwrap();
            assert_eq!(Key::parse(&k.to_string()).unwrap(), k, "{s}");
        }
        assert_eq!(Key::parse("shift-s").unwrap(), Key::parse("S").unwrap());
        assert_eq!(Key::parse("C-r").unwrap(), Key::parse("ctrl-r").unwrap());
        assert!(Key::parse("hyper-x").is_err());
        assert!(Key::parse("F99").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn an_override_takes_its_key_from_the_default_owner_with_a_warning() {
        let mut o = BTreeMap::new();
        o.insert("refresh".to_string(), "r".to_string());
        o.insert("quit".to_string(), "j".to_string());
        let (km, warnings) = Keymap::with_overrides(&o);
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!(km.action(KeyContext::Table, &j), Some(Action::Quit));
        let r = ev(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(km.action(KeyContext::Table, &r), Some(Action::Refresh));
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            km.action(KeyContext::Table, &q),
            None,
            "q is no longer quit"
        );
        // `down` keeps its arrow key but lost j.
        let down = ev(KeyCode::Down, KeyModifiers::NONE);
        assert_eq!(km.action(KeyContext::Table, &down), Some(Action::Down));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("key j of down is already bound to quit"));
    }

    #[test]
    fn unknown_actions_and_bad_keys_are_reported_and_defaults_kept() {
        let mut o = BTreeMap::new();
        o.insert("teleport".to_string(), "x".to_string());
        o.insert("help".to_string(), "hyper-h".to_string());
        let (km, warnings) = Keymap::with_overrides(&o);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("\"teleport\" is not an action"))
        );
        assert!(warnings.iter().any(|w| w.contains("keeping the default")));
        assert_eq!(km.label(Action::Help), "?");
    }

    #[test]
    fn markdown_lists_every_action() {
        let md = markdown_table();
        for s in ACTIONS {
            assert!(md.contains(&format!("`{}`", s.name)), "{}", s.name);
        }
        assert!(md.contains("| `ctrl-r` |"));
    }

    fn read(km: &Keymap, r: &mut KeyReader, ctx: KeyContext, c: char) -> Option<Action> {
        r.feed(km, None, ctx, &ev(KeyCode::Char(c), KeyModifiers::NONE))
    }

    #[test]
    fn a_sequence_waits_for_its_second_key() {
        let km = Keymap::defaults();
        let mut r = KeyReader::default();
        assert_eq!(read(&km, &mut r, KeyContext::Table, 'g'), None);
        assert_eq!(r.pending().as_deref(), Some("g"));
        assert_eq!(
            read(&km, &mut r, KeyContext::Table, 'r'),
            Some(Action::JumpToRoute)
        );
        assert_eq!(r.pending(), None);
        read(&km, &mut r, KeyContext::Table, 'g');
        assert_eq!(read(&km, &mut r, KeyContext::Table, 'g'), Some(Action::Top));
        // A key that breaks the sequence counts on its own.
        read(&km, &mut r, KeyContext::Table, 'g');
        assert_eq!(
            read(&km, &mut r, KeyContext::Table, 'j'),
            Some(Action::Down)
        );
        assert_eq!(r.pending(), None);
    }

    #[test]
    fn sequences_parse_display_and_clash_with_their_prefixes() {
        let gr = KeySeq::parse("gr").unwrap();
        assert_eq!(gr.keys().len(), 2);
        assert_eq!(gr.to_string(), "gr");
        assert_eq!(KeySeq::parse("up").unwrap().keys().len(), 1, "a key name");
        assert!(KeySeq::parse("F99").is_err());
        let mut o = BTreeMap::new();
        o.insert("refresh".to_string(), "g".to_string());
        let (km, warnings) = Keymap::with_overrides(&o);
        // `g` alone now refreshes, so no default sequence starting with g keeps its key.
        assert!(
            warnings.iter().any(|w| w.contains("key gr of jump_route")),
            "{warnings:?}"
        );
        let mut r = KeyReader::default();
        assert_eq!(
            read(&km, &mut r, KeyContext::Table, 'g'),
            Some(Action::Refresh)
        );
    }
}
