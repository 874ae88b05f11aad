//! Ingest semantics across runs: deduplication, incremental re-runs,
//! appended files, atomicity under kill, the database lock, usage errors.
//!
//! Deduplication and re-runs (`reruns.rs`), a kill at any moment
//! (`kill.rs`), the database lock (`lock.rs`), usage errors and the query
//! command (`commands.rs`).

mod commands;
#[path = "../common/mod.rs"]
mod common;
mod kill;
mod lock;
mod reruns;
