//! What the dispatcher's actions open and send: the popups of a pending action and the
//! field lists of the forms, one list per collection for one generic create/edit form.

use crate::actor::{Mutation, RequestId};
use crate::api::paths::Collection;

use super::keymap::Action;
use super::widgets::confirm::Confirm;
use super::widgets::form::{FieldKind, FieldSpec, Form};

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
    )
}

/// A one-field form asking for a date; Enter submits it.
pub fn date_form(title: &str) -> Form {
    Form::new(
        title,
        vec![FieldSpec::new("date", "Date", FieldKind::Date).required()],
    )
}

/// The optional reason asked before cancelling.
pub fn reason_form(title: &str) -> Form {
    Form::new(
        title,
        vec![FieldSpec::new("reason", "Reason", FieldKind::Text)],
    )
}

fn f(path: &str, label: &str, kind: FieldKind) -> FieldSpec {
    FieldSpec::new(path, label, kind)
}

/// The fields the create and edit forms of a collection show; `None` when the console
/// does not create or edit that collection.
pub fn fields(c: Collection) -> Option<Vec<FieldSpec>> {
    use FieldKind::*;
    let v = match c {
        Collection::Tasks => vec![
            f("reference", "Reference", Text).required(),
            f("date", "Date", Date).required(),
            f("timeWindows", "Time windows", TimeWindows),
            f("location.name", "Location name", Text),
            f("location.address", "Address", Text),
            f("location.coordinates", "Coordinates", Coordinates),
            f("serviceDuration", "Service minutes", Decimal),
            f("tags", "Tags", Tags),
        ],
        Collection::Drivers => vec![
            f("firstName", "First name", Text).required(),
            f("lastName", "Last name", Text),
            f("email", "Email", Text),
            f("phone", "Phone", Text),
            f("skills", "Skills", Tags),
        ],
        Collection::Vehicles => vec![
            f("name", "Name", Text).required(),
            f("licensePlate", "Licence plate", Text),
            f("capabilities", "Capabilities", Tags),
        ],
        Collection::Depots => vec![
            f("name", "Name", Text).required(),
            f("location.address", "Address", Text),
            f("location.coordinates", "Coordinates", Coordinates),
        ],
        _ => return None,
    };
    Some(v)
}
