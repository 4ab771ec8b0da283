//! Things drawn over the screen that take the keyboard while open: the help overlay and
//! prompts. They live on a stack; the top one gets the keys.

use ratatui::text::Line;

use super::actions::{ConfirmPopup, FormPopup};
use super::widgets::prompt::Prompt;

/// One open popup.
#[derive(Debug, Clone)]
pub enum Popup {
    /// The key help.
    Help {
        /// Prepared lines.
        lines: Vec<Line<'static>>,
        /// First line shown.
        scroll: usize,
    },
    /// A one-line prompt (filter, command, date).
    Prompt(Prompt),
    /// A form of a create, edit or action.
    Form(Box<FormPopup>),
    /// A yes/no question.
    Confirm(Box<ConfirmPopup>),
    /// The activity log pane.
    Activity {
        /// First line shown.
        scroll: usize,
    },
}
