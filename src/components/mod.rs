//! One component per file.

pub mod canvas;
pub mod component_card;
pub mod event_log;
pub mod history;
pub mod palette;
pub mod peek;
pub mod top_bar;
