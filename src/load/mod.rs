//! Stage 5: load parsed items into DuckDB, inside one transaction per run.
//!
//! The [`Loader`] deduplicates on `event_id` within the run, buffers rows as
//! Arrow batches and appends them; [`Loader::finish`] finds the run's events
//! an earlier run already loaded with one join (`late.rs`: first delivery
//! wins), settles duplicates and file state; the caller records the run and
//! commits. Nothing is visible to readers before that commit.

mod append;
mod batch;
mod compare;
pub mod db;
pub mod dynamic;
mod history;
mod id_filter;
mod loader;
pub mod run_ids;
pub mod state;
mod tables;

pub use loader::{Loader, RunCounts};

/// Per-run staging DDL.
pub const STAGE_SQL: &str = include_str!("../../sql/stage.sql");
/// Settles a run: file state.
pub const FINISH_RUN_SQL: &str = include_str!("../../sql/finish_run.sql");
