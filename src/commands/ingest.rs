//! `hookstat ingest`: discover -> decode -> validate -> flatten -> load, as
//! one atomic run.

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use duckdb::params;
use indicatif::{ProgressBar, ProgressStyle};

use super::Outcome;
use crate::budgets::{Budgets, DEFAULT_SETTLE_TIME};
use crate::cli::IngestArgs;
use crate::discover::discover;
use crate::flatten::generic::FlatLimits;
use crate::load::{db, state, Loader};
use crate::pipeline;
use crate::summary::IngestSummary;

const INSERT_RUN_SQL: &str = include_str!("../../sql/insert_run.sql");

fn now_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

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

/// Runs one ingest (one transaction) and returns its summary.
pub fn ingest(args: &IngestOptions) -> Result<IngestSummary> {
    let started = Instant::now();
    let started_at = now_micros();
    let mut found = discover(&args.paths)?;
    found.exclude_database(&args.db);
    let path = &args.db;
    let mut conn = db::open_for_write(path, &args.memory_limit)?;
    let fail = |e| db::DbError::from_duckdb(path, e);
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let total_bytes = found.files.iter().map(|f| f.size).sum();
    // the run keeps its most recent ids in memory; when a re-delivery
    // slipped past them (a run bigger than max_ids_in_memory), it is
    // loaded again with every id in memory
    let mut loaded = None;
    for exact_ids in [false, true] {
        conn.execute_batch("BEGIN TRANSACTION").map_err(fail)?;
        let run_id = state::next_run_id(&conn).map_err(fail)?;
        let previous = state::previous_files(&conn).map_err(fail)?;
        let budgets = args.budgets;
        let progress = progress_bar(total_bytes, args.quiet);
        // the loader hands the connection to its writer thread until it
        // finishes
        let finished = std::thread::scope(|s| -> Result<_> {
            let mut loader = Loader::new(
                s,
                &mut conn,
                run_id,
                &found.files,
                &previous,
                budgets,
                exact_ids,
            )
            .map_err(fail)?;
            let options = pipeline::PipelineOptions {
                parsers: threads,
                limits: FlatLimits::from(&budgets),
                settle_time: args.settle_time,
            };
            pipeline::run(&found.files, &previous, options, &progress, |chunk| {
                loader.load(chunk)
            })
            .map_err(fail)
            .context("loading failed; nothing from this run was kept")?;
            progress.set_message("committing");
            Ok(loader.finish().map_err(fail)?)
        })?;
        progress.finish_and_clear();
        if let Some(counts) = finished {
            loaded = Some((run_id, counts));
            break;
        }
        conn.execute_batch("ROLLBACK").map_err(fail)?;
    }
    let Some((run_id, counts)) = loaded else {
        anyhow::bail!("loading with every event id in memory did not settle the run");
    };
    let seconds = started.elapsed().as_secs_f64();
    let inputs = serde_json::to_string(&args.paths)?;
    let c = &counts;
    conn.execute(
        INSERT_RUN_SQL,
        params![
            run_id,
            started_at,
            now_micros(),
            env!("CARGO_PKG_VERSION"),
            inputs,
            found.files.len() as i64,
            c.files_read as i64,
            c.files_skipped as i64,
            c.records as i64,
            c.inserted as i64,
            c.duplicates as i64,
            c.conflicts as i64,
            c.rejected as i64,
            c.field_issues as i64,
            seconds,
        ],
    )
    .map_err(fail)?;
    conn.execute_batch("COMMIT").map_err(fail)?;
    let summary = IngestSummary {
        run_id,
        database: path.display().to_string(),
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
