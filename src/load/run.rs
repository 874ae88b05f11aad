//! One run of the load stage, as one transaction: the files are read
//! through the pipeline (stages 2-4) into the [`Loader`], the run is
//! recorded in `runs`, and everything is committed together. A run bigger
//! than the ids it keeps in memory, into which a re-delivery slipped past
//! them, is rolled back and loaded again with every id in memory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use duckdb::params;
use indicatif::ProgressBar;

use super::{db, state, Loader, RunCounts};
use crate::budgets::Budgets;
use crate::discover::SourceFile;
use crate::flatten::generic::FlatLimits;
use crate::pipeline;

const INSERT_RUN_SQL: &str = include_str!("../../sql/insert_run.sql");

fn now_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

/// When a run began: its clock for the seconds it took, its wall time for
/// the `runs` row. Taken before the archive is discovered, so that the
/// run's time counts the discovery too.
#[derive(Debug, Clone, Copy)]
pub struct RunStart {
    started: Instant,
    started_at_micros: i64,
}

impl RunStart {
    /// Now.
    pub fn now() -> RunStart {
        RunStart {
            started: Instant::now(),
            started_at_micros: now_micros(),
        }
    }
}

/// What one run loads, and how.
pub struct RunRequest<'a> {
    /// The database file.
    pub db: &'a Path,
    /// DuckDB's buffer pool (e.g. `256MB`).
    pub memory_limit: &'a str,
    /// The paths asked for, as recorded in `runs`.
    pub inputs: &'a [PathBuf],
    /// The archive files discovered under them, in reading order.
    pub files: &'a [SourceFile],
    /// Parser threads (None: one per CPU).
    pub threads: Option<usize>,
    /// The budgets.
    pub budgets: Budgets,
    /// How long an incomplete last record may wait for the rest.
    pub settle_time: Duration,
}

/// A committed run.
#[derive(Debug, Clone)]
pub struct LoadedRun {
    /// Its id.
    pub run_id: i64,
    /// What it did.
    pub counts: RunCounts,
    /// Seconds since its [`RunStart`], up to the commit.
    pub seconds: f64,
}

/// Loads `request.files` into the database as one run, in one transaction,
/// and commits it; `progress` makes the byte progress bar of each attempt.
/// On an error nothing of the run is kept.
pub fn load_run(
    request: &RunRequest,
    start: RunStart,
    progress: impl Fn() -> ProgressBar,
) -> Result<LoadedRun> {
    let path = request.db;
    let mut conn = db::open_for_write(path, request.memory_limit)?;
    let fail = |e| db::DbError::from_duckdb(path, e);
    let threads = request
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let files = request.files;
    // the run keeps its most recent ids in memory; when a re-delivery
    // slipped past them (a run bigger than max_ids_in_memory), it is
    // loaded again with every id in memory
    let mut loaded = None;
    for exact_ids in [false, true] {
        conn.execute_batch("BEGIN TRANSACTION").map_err(fail)?;
        let run_id = state::next_run_id(&conn).map_err(fail)?;
        let previous = state::previous_files(&conn).map_err(fail)?;
        let budgets = request.budgets;
        let progress = progress();
        // the loader hands the connection to its writer thread until it
        // finishes
        let finished = std::thread::scope(|s| -> Result<_> {
            let mut loader =
                Loader::new(s, &mut conn, run_id, files, &previous, budgets, exact_ids)
                    .map_err(fail)?;
            let options = pipeline::PipelineOptions {
                parsers: threads,
                limits: FlatLimits::from(&budgets),
                settle_time: request.settle_time,
            };
            pipeline::run(files, &previous, options, &progress, |chunk| {
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
    let seconds = start.started.elapsed().as_secs_f64();
    let inputs = serde_json::to_string(request.inputs)?;
    let c = &counts;
    conn.execute(
        INSERT_RUN_SQL,
        params![
            run_id,
            start.started_at_micros,
            now_micros(),
            env!("CARGO_PKG_VERSION"),
            inputs,
            files.len() as i64,
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
    Ok(LoadedRun {
        run_id,
        counts,
        seconds,
    })
}
