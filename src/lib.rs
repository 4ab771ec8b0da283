//! elogii-console: a terminal operations console for the eLogii API, and an
//! eLogii-compatible sandbox server.

pub mod actor;
pub mod api;
pub mod cli;
pub mod config;
pub mod sandbox;
pub mod tui;
