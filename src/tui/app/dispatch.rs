//! The dispatcher's actions inside [`App`]: opening forms and questions, sending the
//! change, and showing the answer on the form (kept open on failure) or as a toast.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::Clear;
use serde_json::Value;

use crate::actor::{Command, Mutation, Outcome, RequestId};
use crate::api::error::ApiError;
use crate::api::model::Date;
use crate::api::paths::Collection;

use super::App;
use crate::tui::actions::{
    ConfirmPopup, FileJob, FilesRead, FormPopup, FormPurpose, OnYes, add_tasks_form, date_form,
    fields, read_file_value, reason_form, schedule_form,
};
use crate::tui::keymap::{Action, KeyContext};
use crate::tui::msg::Effect;
use crate::tui::popup::Popup;
use crate::tui::widgets::confirm::{Confirm, ConfirmOutcome};
use crate::tui::widgets::form::{FieldKind, Form, FormOutcome, set_at};
use crate::tui::widgets::scroll_text::ScrollText;
use crate::tui::widgets::toast::Level;

/// The screen's own key context, checked before the table and global keys.
pub(super) fn screen_context(c: Collection) -> Option<KeyContext> {
    match c {
        Collection::Tasks => Some(KeyContext::Tasks),
        Collection::Routes => Some(KeyContext::Routes),
        Collection::RouteTemplateGroups | Collection::TaskTemplateGroups => {
            Some(KeyContext::Templates)
        }
        _ => None,
    }
}

impl App {
    /// How a dispatcher knows an item: its reference or UID, else its `_id`.
    fn label_of(&self, item: &Value, id: &str) -> String {
        self.screen()
            .resource()
            .reference(item)
            .filter(|r| !r.is_empty())
            .unwrap_or(id)
            .to_string()
    }

    /// Starts a mutating action on the selected item; refused in read-only sessions.
    pub(super) fn on_mutation_action(&mut self, action: Action) -> Vec<Effect> {
        if matches!(action, Action::Mark | Action::MarkAll) {
            let active = self.active;
            let s = &mut self.screens[active];
            if action == Action::Mark {
                s.toggle_mark();
            } else {
                let n = s.mark_visible();
                self.toasts.push(Level::Info, format!("{n} marked"));
            }
            return Vec::new();
        }
        let label = self.ctx.keymap.label(action);
        if self.ctx.read_only {
            self.toasts.push(
                Level::Warn,
                format!("Read-only session: {label} would change data and is disabled"),
            );
            return Vec::new();
        }
        if let Some(out) = self.on_route_mutation(action) {
            return out;
        }
        let c = self.active_collection();
        let what = c.singular().replace('-', " ");
        let item = self.screen().current_item().cloned();
        let id = item
            .as_ref()
            .and_then(|i| self.screen().resource().id(i))
            .map(str::to_string);
        if action == Action::NewItem {
            return match fields(c) {
                Some(specs) => {
                    // Date-scoped items start on the working date.
                    let mut item = serde_json::Map::new();
                    if c.is_date_scoped() {
                        let date = serde_json::to_value(self.date).unwrap_or(Value::Null);
                        for s in specs.iter().filter(|s| s.kind == FieldKind::Date) {
                            set_at(&mut item, &s.path, date.clone());
                        }
                    }
                    self.open_form(
                        Form::filled(format!("New {what}"), specs, &Value::Object(item)),
                        FormPurpose::Create(c),
                    );
                    Vec::new()
                }
                None => self.refuse(format!("Creating {} is not offered here", c.name())),
            };
        }
        let (Some(item), Some(id)) = (item, id) else {
            return self.refuse(format!("No {what} selected"));
        };
        let marked = self.screen().marked_ids();
        let bulk = !marked.is_empty()
            && matches!(
                action,
                Action::CancelTask
                    | Action::MoveTask
                    | Action::ReattemptTask
                    | Action::DeleteItem
                    | Action::ScheduleTemplates
            );
        let known_as = self.label_of(&item, &id);
        let ids = if bulk { marked } else { vec![id.clone()] };
        let many = format!("{} marked {}", ids.len(), c.noun(ids.len()));
        match action {
            Action::EditItem => match fields(c) {
                Some(specs) => self.open_form(
                    Form::filled(format!("Edit {what} {known_as}"), specs, &item),
                    FormPurpose::Edit { collection: c, id },
                ),
                None => return self.refuse(format!("Editing {} is not offered here", c.name())),
            },
            Action::DeleteItem => self.ask(
                format!("Delete {what}"),
                if bulk {
                    format!("Delete {many}? This cannot be undone.")
                } else {
                    format!("Delete {what} {known_as}? This cannot be undone.")
                },
                Mutation::Remove { collection: c, ids },
            ),
            Action::CancelTask => self.open_form(
                reason_form("Cancel task: reason (optional)"),
                FormPurpose::CancelReason { ids },
            ),
            Action::MoveTask => {
                let title = if bulk {
                    format!("Move {many} to")
                } else {
                    "Move task to".into()
                };
                self.open_form(date_form(&title), FormPurpose::Move { ids })
            }
            Action::ReattemptTask => self.open_form(
                date_form(&if bulk {
                    format!("Reattempt {many} on")
                } else {
                    "Reattempt task on".into()
                }),
                FormPurpose::Reattempt { ids },
            ),
            Action::ScheduleTemplates => {
                let title = if bulk {
                    format!("Schedule {many} for")
                } else {
                    format!("Schedule {what} {known_as} for")
                };
                self.open_form(
                    schedule_form(&title, self.date),
                    FormPurpose::Schedule { collection: c, ids },
                )
            }
            Action::AddTasksToGroup if c != Collection::TaskTemplateGroups => {
                return self.refuse("Tasks are added to task-template groups only".into());
            }
            Action::AddTasksToGroup => {
                let tasks = self.screen_of(Collection::Tasks).marked_ids();
                self.open_form(
                    add_tasks_form(&format!("Add tasks to {what} {known_as}"), &tasks),
                    FormPurpose::AddTasks { group: id },
                )
            }
            Action::CreateReturn => self.ask(
                "Create return".into(),
                format!("Create a return for task {known_as}?"),
                Mutation::CreateReturns { ids, date: None },
            ),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn refuse(&mut self, text: String) -> Vec<Effect> {
        self.toasts.push(Level::Warn, text);
        Vec::new()
    }

    fn open_form(&mut self, form: Form, purpose: FormPurpose) {
        self.popups.push(Popup::Form(Box::new(FormPopup {
            form,
            purpose,
            req: None,
        })));
    }

    pub(super) fn ask(&mut self, title: String, message: String, m: Mutation) {
        self.popups.push(Popup::Confirm(Box::new(ConfirmPopup {
            confirm: Confirm::new(title, message),
            on_yes: OnYes::Send(m),
        })));
    }

    /// Sends a change; the marks it acted on are spent.
    pub(super) fn send(&mut self, mutation: Mutation) -> (RequestId, Effect) {
        let active = self.active;
        self.screens[active].clear_marks();
        let req = self.req();
        self.activity.sent(
            req,
            &self.ctx.profile_label,
            &mutation,
            jiff::Timestamp::now(),
        );
        (req, Effect::Send(Command::Mutate { req, mutation }))
    }

    /// A key for the form on top.
    pub(super) fn on_form_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let Some(Popup::Form(fp)) = self.popups.last_mut() else {
            return Vec::new();
        };
        match fp.form.handle_key(key) {
            FormOutcome::Edited => Vec::new(),
            FormOutcome::Close => {
                self.popups.pop();
                Vec::new()
            }
            FormOutcome::AskDiscard => {
                self.popups.push(Popup::Confirm(Box::new(ConfirmPopup {
                    confirm: Confirm::new(
                        "Discard changes",
                        "Close the form and lose what was typed?",
                    ),
                    on_yes: OnYes::DiscardForm,
                })));
                Vec::new()
            }
            FormOutcome::Submit => self.submit_form(),
        }
    }

    fn submit_form(&mut self) -> Vec<Effect> {
        let Some(Popup::Form(fp)) = self.popups.last_mut() else {
            return Vec::new();
        };
        if fp.form.validate().is_err() {
            return Vec::new();
        }
        let files = fp.form.files();
        if files.is_empty() {
            return self.send_form(Vec::new());
        }
        // Files are IO: the loop reads them and answers with `Msg::FilesRead`.
        let token = self.req();
        if let Some(Popup::Form(fp)) = self.popups.last_mut() {
            fp.req = Some(token);
            fp.form.set_sending(true);
        }
        vec![Effect::ReadFiles(Box::new(FileJob { token, files }))]
    }

    /// The files a submitted form named were read: put their values in and send it, or
    /// show why a file would not do on its field (the form stays open).
    pub(super) fn on_files_read(&mut self, read: FilesRead) -> Vec<Effect> {
        let Some(i) = self.form_of(read.token) else {
            return Vec::new();
        };
        let Some(Popup::Form(fp)) = self.popups.get_mut(i) else {
            return Vec::new();
        };
        fp.req = None;
        fp.form.set_sending(false);
        let edit = matches!(fp.purpose, FormPurpose::Edit { .. });
        let mut values = Vec::new();
        for (req, text) in read.results {
            match text.and_then(|t| read_file_value(req.format, &t)) {
                // An edit is a merge patch: the new value must replace the old one whole.
                Ok(v) if edit => {
                    let patch = fp.form.replacing(&req.field, v);
                    values.push((req.field, patch));
                }
                Ok(v) => values.push((req.field, v)),
                Err(e) => {
                    fp.form.set_field_error(&req.field, &e);
                    return Vec::new();
                }
            }
        }
        // The answer may come under another popup (e.g. a question); send only from the top.
        if i + 1 != self.popups.len() {
            return Vec::new();
        }
        self.send_form(values)
    }

    /// Sends the form on top, with `files` (values read from files) laid over its fields.
    fn send_form(&mut self, files: Vec<(String, Value)>) -> Vec<Effect> {
        let Some(Popup::Form(fp)) = self.popups.last_mut() else {
            return Vec::new();
        };
        let values = match &fp.purpose {
            FormPurpose::Edit { .. } => fp.form.changes(),
            _ => fp.form.validate(),
        };
        let Ok(mut values) = values else {
            return Vec::new();
        };
        for (path, v) in files {
            set_at(&mut values, &path, v);
        }
        let date = || {
            values
                .get("date")
                .and_then(|v| serde_json::from_value::<Date>(v.clone()).ok())
        };
        let mutation = match fp.purpose.clone() {
            FormPurpose::Create(collection) => Mutation::Create {
                collection,
                items: vec![Value::Object(values.clone())],
            },
            FormPurpose::Edit { collection, id } => {
                if values.is_empty() {
                    self.popups.pop();
                    self.toasts.push(Level::Info, "Nothing changed");
                    return Vec::new();
                }
                Mutation::UpdateOne {
                    collection,
                    id,
                    changes: Value::Object(values.clone()),
                }
            }
            FormPurpose::CancelReason { ids } => {
                let reason = values
                    .get("reason")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let n = ids.len();
                self.popups.pop();
                let what = if n == 1 {
                    "task".to_string()
                } else {
                    format!("{n} tasks")
                };
                self.ask(
                    "Cancel".into(),
                    format!("Cancel {what}?"),
                    Mutation::CancelTasks { ids, reason },
                );
                return Vec::new();
            }
            FormPurpose::Move { ids } => match date() {
                Some(date) => Mutation::MoveTasks { ids, date },
                None => return Vec::new(),
            },
            FormPurpose::Reattempt { ids } => match date() {
                Some(date) => Mutation::ReattemptTasks { ids, date },
                None => return Vec::new(),
            },
            FormPurpose::Schedule { collection, ids } => {
                let dates: Vec<Date> = values
                    .get("dates")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .unwrap_or_default();
                if collection == Collection::RouteTemplateGroups {
                    Mutation::ScheduleRouteTemplates { ids, dates }
                } else {
                    Mutation::ScheduleTaskTemplates { ids, dates }
                }
            }
            FormPurpose::AddTasks { group } => Mutation::AddTasksToGroup {
                group,
                tasks: values
                    .get("tasks")
                    .and_then(|v| serde_json::from_value(v.clone()).ok())
                    .unwrap_or_default(),
                keep_assignee: values.get("keepAssignee") == Some(&Value::Bool(true)),
            },
        };
        let (req, effect) = self.send(mutation);
        if let Some(Popup::Form(fp)) = self.popups.last_mut() {
            fp.req = Some(req);
            fp.form.set_sending(true);
        }
        vec![effect]
    }

    /// A key for the question on top.
    pub(super) fn on_confirm_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let Some(Popup::Confirm(cp)) = self.popups.last_mut() else {
            return Vec::new();
        };
        match cp.confirm.handle_key(key) {
            ConfirmOutcome::Pending => Vec::new(),
            ConfirmOutcome::No => {
                self.popups.pop();
                Vec::new()
            }
            ConfirmOutcome::Yes => {
                let on_yes = cp.on_yes.clone();
                self.popups.pop();
                match on_yes {
                    OnYes::DiscardForm => {
                        self.popups.pop();
                        Vec::new()
                    }
                    OnYes::Send(m) => vec![self.send(m).1],
                    OnYes::Quit => vec![Effect::Quit],
                }
            }
        }
    }

    /// A change went through: close its form, say how it went.
    pub(super) fn on_mutated(
        &mut self,
        req: RequestId,
        mutation: &Mutation,
        outcome: &Outcome,
    ) -> Vec<Effect> {
        let refused: Vec<String> = match outcome {
            Outcome::Bulk(b) => b
                .errors
                .iter()
                .map(|e| match e.id.as_ref().or(e.reference.as_ref()) {
                    Some(id) => format!("{id}: {}", e.message),
                    None => e.message.clone(),
                })
                .collect(),
            Outcome::Item(_) => Vec::new(),
        };
        let result = if refused.is_empty() {
            "ok".to_string()
        } else {
            format!("{} refused: {}", refused.len(), refused.join("; "))
        };
        let journal: Vec<Effect> = self
            .activity
            .finished(req, result)
            .map(|e| Effect::AppendJournal(e.json_line()))
            .into_iter()
            .collect();
        let form_at = self.form_of(req);
        if refused.is_empty() {
            if let Some(i) = form_at {
                self.popups.remove(i);
            }
            self.toasts
                .push(Level::Info, format!("Done: {}", mutation.label()));
            return journal;
        }
        // Every item refused: keep the form with the problems on its fields.
        if let (Some(i), Outcome::Bulk(b)) = (form_at, outcome)
            && b.result == 0
            && let Some(Popup::Form(fp)) = self.popups.get_mut(i)
        {
            fp.req = None;
            fp.form
                .set_server_errors("refused by the server", &b.errors);
            return journal;
        }
        if let Some(i) = form_at {
            self.popups.remove(i);
        }
        self.toasts.push(
            Level::Warn,
            format!(
                "{}: {} refused — {}",
                mutation.label(),
                refused.len(),
                refused.join("; ")
            ),
        );
        journal
    }

    /// A change failed: show it on its form (kept open with its content) or as a toast.
    /// `None` when the request was not a change of this console.
    pub(super) fn on_mutation_failed(
        &mut self,
        req: RequestId,
        error: &ApiError,
    ) -> Option<Vec<Effect>> {
        let entry = self.activity.finished(req, format!("failed: {error}"))?;
        let action = entry.action.clone();
        let journal = vec![Effect::AppendJournal(entry.json_line())];
        if let Some(i) = self.form_of(req) {
            if let Some(Popup::Form(fp)) = self.popups.get_mut(i) {
                fp.req = None;
                match error {
                    ApiError::Validation { errors, .. } => {
                        fp.form.set_server_errors(&error.to_string(), errors)
                    }
                    e => fp.form.set_server_errors(&e.to_string(), &[]),
                }
            }
            return Some(journal);
        }
        // The server's reason, e.g. why an assigned task cannot be deleted.
        self.toasts
            .push(Level::Error, format!("{action} failed: {error}"));
        Some(journal)
    }

    /// A key in the activity pane: scroll, or close.
    pub(super) fn on_activity_key(&mut self, key: &KeyEvent) -> Vec<Effect> {
        let last = self.activity.entries().len().saturating_sub(1);
        let action = self.ctx.keymap.action(KeyContext::Global, key);
        if let Some(Popup::Activity { scroll }) = self.popups.last_mut() {
            match action {
                Some(Action::Down) => *scroll = (*scroll + 1).min(last),
                Some(Action::Up) => *scroll = scroll.saturating_sub(1),
                Some(Action::ActivityLog | Action::Back | Action::Quit) => {
                    self.popups.pop();
                }
                _ if key.code == KeyCode::Esc => {
                    self.popups.pop();
                }
                _ => {}
            }
        }
        Vec::new()
    }

    /// Draws the activity pane over the screen.
    pub(super) fn render_activity(&self, frame: &mut Frame, scroll: usize) {
        let area: Rect = frame
            .area()
            .centered(Constraint::Percentage(90), Constraint::Percentage(80));
        let mut lines: Vec<Line<'static>> =
            self.activity.entries().iter().map(|e| e.line()).collect();
        if lines.is_empty() {
            lines.push(Line::raw("No changes yet in this session."));
        }
        frame.render_widget(Clear, area);
        frame.render_widget(
            ScrollText {
                lines: &lines,
                scroll,
                title: "Activity".into(),
                footer: format!("{} closes", self.ctx.keymap.label(Action::Back)),
                theme: self.ctx.theme,
            },
            area,
        );
    }

    fn form_of(&self, req: RequestId) -> Option<usize> {
        self.popups
            .iter()
            .position(|p| matches!(p, Popup::Form(fp) if fp.req == Some(req)))
    }
}
