//! `hookstat ingest`: discover, then load (stages 2-5, one atomic run in
//! `load::load_run`), then the summary.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use super::Outcome;
use crate::budgets::{Budgets, DEFAULT_SETTLE_TIME};
use crate::cli::IngestArgs;
use crate::discover::discover;
use crate::load::{load_run, LoadedRun, RunRequest, RunStart};
use crate::summary::IngestSummary;

/// Runs one ingest and prints its summary.
pub fn run(args: &IngestArgs) -> Result<Outcome> {
    let summary = ingest(&args.options())?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        eprintln!("{}", summary.to_text());
    }
    let rejected = summary.counts.rejected;
    Ok(Outcome::from_problems(if args.strict && rejected > 0 {
        vec![format!("{rejected} records quarantined (--strict)")]
    } else {
        Vec::new()
    }))
}

/// A byte progress bar on a terminal; hidden when stderr is not a terminal
/// (cron mail gets the plain summary only) or when `hidden`.
fn progress_bar(total: u64, hidden: bool) -> ProgressBar {
    use std::io::IsTerminal;
    if hidden || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} reading {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left) {msg}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// What one ingest run does: plain values, whether they came from flags
/// (`ingest`) or from the configuration (`run`).
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The database file.
    pub db: PathBuf,
    /// Archive files or folders.
    pub paths: Vec<PathBuf>,
    /// DuckDB's buffer pool (e.g. `256MB`).
    pub memory_limit: String,
    /// Parser threads (None: one per CPU).
    pub threads: Option<usize>,
    /// The budgets.
    pub budgets: Budgets,
    /// How long an incomplete last record may wait for the rest.
    pub settle_time: Duration,
    /// No progress bar (JSON output, or a caller that prints its own).
    pub quiet: bool,
}

impl IngestArgs {
    /// The options these flags ask for.
    pub fn options(&self) -> IngestOptions {
        IngestOptions {
            db: self.db.db.clone(),
            paths: self.paths.clone(),
            memory_limit: self.memory_limit.clone(),
            threads: self.threads,
            budgets: self.budgets.over(self.config_budgets),
            settle_time: self.budgets.settle_time.unwrap_or(DEFAULT_SETTLE_TIME),
            quiet: self.json,
        }
    }
}

/// Runs one ingest (one transaction, in the load stage) and returns its
/// summary.
pub fn ingest(args: &IngestOptions) -> Result<IngestSummary> {
    let start = RunStart::now();
    let mut found = discover(&args.paths)?;
    found.exclude_database(&args.db);
    let total_bytes = found.files.iter().map(|f| f.size).sum();
    let request = RunRequest {
        db: &args.db,
        memory_limit: &args.memory_limit,
        inputs: &args.paths,
        files: &found.files,
        threads: args.threads,
        budgets: args.budgets,
        settle_time: args.settle_time,
    };
    let LoadedRun {
        run_id,
        counts,
        seconds,
    } = load_run(&request, start, || progress_bar(total_bytes, args.quiet))?;
    let summary = IngestSummary {
        run_id,
        database: args.db.display().to_string(),
        files_seen: found.files.len() as u64,
        unreadable_entries: found
            .unreadable
            .iter()
            .map(|(p, e)| format!("{}: {e}", p.display()))
            .collect(),
        records_per_second: counts.records as f64 / seconds.max(1e-9),
        counts,
        seconds,
    };
    Ok(summary)
}
