//! What the dispatcher's actions open and send: the popups of a pending action and the
//! field lists of the forms, one list per collection for one generic create/edit form.

use crate::actor::{Mutation, RequestId};
use crate::api::paths::Collection;

use super::keymap::Action;
use super::widgets::confirm::Confirm;
use super::widgets::form::{FieldKind, FieldSpec, Form};

mod fields;
mod files;

pub use fields::fields;
pub use files::{FileJob, FilesRead, read_file_value};

/// What an open form is for.
#[derive(Debug, Clone, PartialEq)]
pub enum FormPurpose {
    /// A new item of a collection.
    Create(Collection),
    /// Changes to one item.
    Edit {
        /// Its collection.
        collection: Collection,
        /// Its `_id`.
        id: String,
    },
    /// The optional reason before cancelling tasks.
    CancelReason {
        /// Task ids.
        ids: Vec<String>,
    },
    /// The date to move tasks to.
    Move {
        /// Task ids.
        ids: Vec<String>,
    },
    /// The date of a new attempt.
    Reattempt {
        /// Task ids.
        ids: Vec<String>,
    },
    /// The dates to schedule template groups for.
    Schedule {
        /// Route- or task-template groups.
        collection: Collection,
        /// Group ids.
        ids: Vec<String>,
    },
    /// The tasks to add to a task-template group.
    AddTasks {
        /// Group id.
        group: String,
    },
}

/// An open form and what it is for; `req` is set while its submit awaits the server.
#[derive(Debug, Clone)]
pub struct FormPopup {
    /// The form.
    pub form: Form,
    /// What submitting does.
    pub purpose: FormPurpose,
    /// The request in flight.
    pub req: Option<RequestId>,
}

/// What a confirmed question does.
#[derive(Debug, Clone, PartialEq)]
pub enum OnYes {
    /// Send this change.
    Send(Mutation),
    /// Throw away the changed form under the question.
    DiscardForm,
    /// Quit although something typed is not saved.
    Quit,
}

/// An open question and what "yes" does.
#[derive(Debug, Clone)]
pub struct ConfirmPopup {
    /// The question.
    pub confirm: Confirm,
    /// What happens on yes.
    pub on_yes: OnYes,
}

/// Whether an action belongs to the dispatcher actions (marks, and changes to server data,
/// which read-only sessions refuse).
pub fn is_mutation(a: Action) -> bool {
    matches!(
        a,
        Action::NewItem
            | Action::EditItem
            | Action::DeleteItem
            | Action::CancelTask
            | Action::MoveTask
            | Action::ReattemptTask
            | Action::CreateReturn
            | Action::Mark
            | Action::MarkAll
            | Action::ToggleLock
            | Action::ClearRoute
            | Action::SetPlannedEtas
            | Action::SaveOrder
            | Action::ScheduleTemplates
            | Action::AddTasksToGroup
    )
}

/// A one-field form asking for a date; Enter submits it.
pub fn date_form(title: &str) -> Form {
    Form::new(
        title,
        vec![FieldSpec::new("date", "Date", FieldKind::Date).required()],
    )
}

/// The dates to schedule template groups for, starting at `from`.
pub fn schedule_form(title: &str, from: crate::api::model::Date) -> Form {
    Form::filled(
        title,
        vec![FieldSpec::new("dates", "Dates", FieldKind::Dates).required()],
        &serde_json::json!({ "dates": [from] }),
    )
}

/// The tasks to add to a task-template group, filled with `tasks`.
pub fn add_tasks_form(title: &str, tasks: &[String]) -> Form {
    Form::filled(
        title,
        vec![
            FieldSpec::new("tasks", "Task ids", FieldKind::Tags).required(),
            FieldSpec::new("keepAssignee", "Keep drivers", FieldKind::Bool),
        ],
        &serde_json::json!({ "tasks": tasks, "keepAssignee": false }),
    )
}

/// The optional reason asked before cancelling.
pub fn reason_form(title: &str) -> Form {
    Form::new(
        title,
        vec![FieldSpec::new("reason", "Reason", FieldKind::Text)],
    )
}
