//! hookstat: archived Truecaller for Business webhook deliveries into
//! DuckDB, following the data flow
//! discover -> decode -> validate -> flatten -> load (dedup, store,
//! schema) -> report -> chart -> export.
//! See ARCHITECTURE.md for the codemap and invariants.

pub mod budgets;
pub mod chart;
pub mod cli;
pub mod commands;
pub mod decode;
pub mod dedup;
pub mod digest;
pub mod discover;
pub mod export;
pub mod flatten;
pub mod load;
pub mod mail;
pub mod outdir;
pub mod output;
pub mod pii;
pub mod pipeline;
pub mod records;
pub mod reject;
pub mod report;
pub mod sample;
pub mod sql;
pub mod summary;
pub mod text;
pub mod tz;
pub mod validate;
