//! `hookstat report` through the binary: built-in reports over the sample
//! archive, filters, dropped-in and broken report files, bad arguments.
//!
//! The built-in reports over the sample, filters and the golden CSVs
//! (`built_in.rs`); dropped-in, broken and stray report files and bad
//! arguments (`report_files.rs`); the reports' numbers against an oracle
//! computed here from the raw payloads (`oracle.rs`, `numbers.rs`).

mod built_in;
#[path = "../common/mod.rs"]
mod common;
mod numbers;
mod oracle;
mod report_files;

use common::*;

const BUILT_IN: [&str; 7] = [
    "interest_rate",
    "config_comparison",
    "popular_slots",
    "response_times",
    "daily_trend",
    "data_quality",
    "late_arrivals",
];

fn loaded_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    // the sample is complete: its cut last line is a reject, not pending
    let (code, _, out) = ingest(&db, &[&sample_data()], &["--settle-time", "0s"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}
