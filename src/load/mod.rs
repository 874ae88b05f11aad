//! Stage 5: load parsed items into DuckDB, inside one transaction per run.
//!
//! The [`Loader`] deduplicates on `event_id` against everything ever
//! loaded (first delivery wins), buffers rows as Arrow batches and appends
//! them; [`Loader::finish`] settles duplicates and file state, records the
//! run and commits. Nothing is visible to readers before that commit.

mod batch;
pub mod db;
pub mod dynamic;
mod loader;
pub mod state;
mod tables;

pub use loader::{Loader, RunCounts};

/// Per-run staging DDL.
pub const STAGE_SQL: &str = include_str!("../../sql/stage.sql");
/// Later deliveries next to their first delivery.
pub const DUPLICATES_WITH_FIRST_SQL: &str = include_str!("../../sql/duplicates_with_first.sql");
/// Byte-identical later deliveries -> `duplicate_deliveries`.
pub const IDENTICAL_DUPLICATES_SQL: &str = include_str!("../../sql/identical_duplicates.sql");
/// Compared later deliveries -> `duplicate_deliveries`.
pub const COMPARED_DUPLICATES_SQL: &str = include_str!("../../sql/compared_duplicates.sql");
/// Settles a run: file state.
pub const FINISH_RUN_SQL: &str = include_str!("../../sql/finish_run.sql");
