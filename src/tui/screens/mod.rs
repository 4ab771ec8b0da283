//! Screens. One generic collection screen serves every entity through `Resource`.

pub mod collection;
pub mod optimize;
pub mod pod;
pub mod pod_image;
