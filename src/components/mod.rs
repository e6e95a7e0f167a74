//! One component per file.

pub mod component_card;
pub mod top_bar;
