//! Reusable pieces of the screen.

pub mod confirm;
pub mod detail;
pub mod form;
pub mod halfblock;
pub mod help;
pub mod json;
pub mod prompt;
pub mod scroll_text;
pub mod status_bar;
pub mod table;
pub mod tabs;
pub mod toast;
