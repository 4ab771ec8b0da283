//! The async API actor: owns the client and the list caches, talks to the UI by messages.

pub mod protocol;

pub use protocol::{Command, Event, ListKey, Mutation, Outcome, RequestId};
