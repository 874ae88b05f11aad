//! Stage 5: load parsed items into DuckDB, inside one transaction per run.
//!
//! The [`Loader`] deduplicates on `event_id` within the run and against
//! earlier runs before anything is appended (`history.rs`: a filter of the
//! stored ids, possible re-deliveries staged and settled by one query; first
//! delivery wins) and buffers rows as Arrow batches; a writer thread that
//! owns the connection meanwhile (`writer.rs`) inserts them through an
//! Arrow scan (`arrow_scan.rs`), filling whole row groups;
//! [`Loader::finish`] settles duplicates (`compare.rs`) and file state; the
//! caller records the run and commits.
//! Nothing is visible to readers before that commit.

mod loader;
pub mod schema;
pub mod state;
pub mod store;

pub use loader::{Loader, RunCounts};
pub use store::db;

/// Per-run staging DDL.
pub const STAGE_SQL: &str = include_str!("../../sql/stage.sql");
/// Settles a run: file state.
pub const FINISH_RUN_SQL: &str = include_str!("../../sql/finish_run.sql");
