//! One file per subcommand; each only orchestrates the stages.

pub mod export;
pub mod ingest;
pub mod query;
pub mod report;
pub mod run;
pub mod sample;
pub mod schema;

/// Process exit status: 0 ok, 1 finished but `--strict` limits exceeded,
/// 2 could not run.
pub type ExitCode = i32;
