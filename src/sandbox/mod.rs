//! The eLogii-compatible sandbox server: axum over a SQLite document store.

pub mod demo;
pub mod ids;
pub mod routing;
