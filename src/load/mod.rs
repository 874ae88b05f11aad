//! Stage 5: load parsed items into DuckDB, one transaction per run.
//!
//! [`load_run`] (`run.rs`) owns the run: it opens the database, begins the
//! transaction, feeds the pipeline's chunks to the [`Loader`], records the
//! run in `runs` and commits; a run into which a re-delivery slipped past
//! the ids it kept in memory is rolled back and loaded again with every id
//! in memory. Nothing is visible to readers before that commit.
//!
//! The [`Loader`] (`loader.rs`) is the single consumer of parsed items, in
//! file order. It asks the deduplication policy (`crate::dedup`) whether
//! each event is new before anything is appended, grows the data-shaped
//! tables (`schema/`), and hands rows as Arrow batches to the storage
//! mechanics (`store/`: the database, the fixed tables, the writer thread);
//! [`Loader::finish`] settles later deliveries and file state. `state.rs`
//! reads what earlier runs left (file state, next run id).

mod loader;
mod run;
pub mod schema;
pub mod state;
pub mod store;

pub use loader::{Loader, RunCounts};
pub use run::{load_run, LoadedRun, RunRequest, RunStart};
pub use store::db;

/// Per-run staging DDL.
pub const STAGE_SQL: &str = include_str!("../../sql/stage.sql");
/// Settles a run: file state.
pub const FINISH_RUN_SQL: &str = include_str!("../../sql/finish_run.sql");
