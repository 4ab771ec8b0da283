//! Reusable pieces of the screen.

pub mod detail;
pub mod help;
pub mod json;
pub mod prompt;
pub mod scroll_text;
pub mod status_bar;
pub mod table;
pub mod tabs;
pub mod toast;
