//! The eLogii wire format: models, paths, queries, and the HTTP client.

pub mod client;
pub mod error;
pub mod items;
pub mod model;
pub mod paths;
pub mod query;
