//! Stage 5: load parsed items into DuckDB, inside one transaction per run.
//!
//! The [`Loader`] deduplicates on `event_id` within the run, buffers rows as
//! Arrow batches and appends them; [`Loader::finish`] finds the run's events
//! an earlier run already loaded with one join (`late.rs`: first delivery
//! wins), settles duplicates and file state; the caller records the run and
//! commits. Nothing is visible to readers before that commit.

mod batch;
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
/// Later deliveries next to their first delivery.
pub const DUPLICATES_WITH_FIRST_SQL: &str = include_str!("../../sql/duplicates_with_first.sql");
/// Run and time bounds of the first deliveries of this run's duplicates.
pub const FIRST_BOUNDS_SQL: &str = include_str!("../../sql/first_bounds.sql");
/// Payloads of those first deliveries -> `stage_first`.
pub const FIRST_DELIVERIES_SQL: &str = include_str!("../../sql/first_deliveries.sql");
/// Byte-identical later deliveries -> `duplicate_deliveries`.
pub const IDENTICAL_DUPLICATES_SQL: &str = include_str!("../../sql/identical_duplicates.sql");
/// Compared later deliveries -> `duplicate_deliveries`.
pub const COMPARED_DUPLICATES_SQL: &str = include_str!("../../sql/compared_duplicates.sql");
/// Settles a run: file state.
pub const FINISH_RUN_SQL: &str = include_str!("../../sql/finish_run.sql");
