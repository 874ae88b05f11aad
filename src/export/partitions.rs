//! Which of one table's partitions changed. A partition whose shape is
//! unchanged and that only gained rows gets one more file with the rows of
//! the runs since the last export (the cost of a night is what it added);
//! any other change rewrites it whole; partitions that no longer exist are
//! removed. Counts come from the recorded rows plus the newer runs' rows.
//! Writing the changed partitions is `staged_copy.rs`'s.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Result;
use duckdb::Connection;

use super::by_date::Writers;
use super::files::{partition_dir, remove_stale, Counts};
use super::staged_copy::write;
use super::state::{ExportState, TableState};
use super::{ExportSummary, TableShape, NULL_PARTITION};
use crate::sql::{quote, render};

const PARTITIONS_SQL: &str = include_str!("../../sql/export/partitions.sql");

/// Files a partition may have before it is rewritten as one.
const MAX_FILES: usize = 16;

/// Where one table is exported, and up to which run.
pub struct Target<'a> {
    /// The export folder.
    pub out: &'a Path,
    /// The table.
    pub table: &'a str,
    /// Its folder in the export (the table's name with phone numbers
    /// protected), which also keys the export's state and manifest.
    pub folder: &'a str,
    /// What it reads and writes.
    pub shape: &'a TableShape,
    /// The newest run in the database.
    pub now_run: i64,
    /// Connections that write a date each, in parallel.
    pub writers: &'a Writers,
}

/// A partition to write.
#[derive(Debug, Clone)]
pub(super) struct Changed {
    /// Its date (None: rows without one).
    pub(super) day: Option<String>,
    /// Its folder name.
    pub(super) folder: String,
    /// Rows to write now.
    pub(super) rows: i64,
    /// Rows it holds afterwards.
    pub(super) total: i64,
    /// Files kept (an addition) or none (a rewrite).
    pub(super) kept: Vec<String>,
}

/// Exports the changed partitions of one table and records them in `state`
/// (which is written before any file moves, without the partitions about
/// to change).
pub fn export_table(
    conn: &Connection,
    target: &Target,
    state: &mut ExportState,
    summary: &mut ExportSummary,
) -> Result<()> {
    let Target {
        out,
        table,
        folder: name,
        shape,
        ..
    } = *target;
    let record = state.tables.entry(name.to_string()).or_default();
    let since = record.through_run;
    let newer = newer_counts(conn, table, shape, record, target.now_run)?;
    // what a rewrite reads: a child table joins its event type's root
    // table for the date (far smaller than `events`) when that finds every
    // row, `events` otherwise
    let (parts, source) = match &newer {
        Some(newer) if shape.per_date => (newer.clone(), shape.source.as_str()),
        Some(newer) => (newer.clone(), shape.runs_source.as_str()),
        None => {
            let parts = row_counts(conn, &shape.source, shape.date, "true")?;
            if shape.per_date
                || parts.values().map(|p| p.1).sum::<i64>() == total_rows(conn, table)?
            {
                (parts, shape.source.as_str())
            } else {
                let source = shape.runs_source.as_str();
                (row_counts(conn, source, shape.date, "true")?, source)
            }
        }
    };
    remove_stale(out, name, &parts, &mut record.partitions)?;
    let mut rewrite = Vec::new();
    let mut add = Vec::new();
    for (folder, (day, rows)) in parts {
        let dir = partition_dir(out, name, &folder);
        let kept = record.partitions.get(&folder).filter(|w| {
            w.signature == shape.signature && w.files.iter().all(|f| dir.join(f).exists())
        });
        let change = |rows: i64, kept: Vec<String>| Changed {
            day: day.clone(),
            folder: folder.clone(),
            rows,
            total: rows,
            kept,
        };
        match kept {
            Some(w) if w.rows == rows => summary.partitions_unchanged += 1,
            // only the rows of newer runs are new (counted, not inferred)
            Some(w) if newer.is_some() && w.rows < rows && w.files.len() < MAX_FILES => {
                add.push(Changed {
                    total: rows,
                    ..change(rows - w.rows, w.files.clone())
                })
            }
            _ => rewrite.push(change(rows, Vec::new())),
        }
    }
    if rewrite.is_empty() && add.is_empty() {
        record.through_run = target.now_run;
        return Ok(());
    }
    for c in rewrite.iter().chain(&add) {
        record.partitions.remove(&c.folder);
    }
    state.write(out)?;
    let mut written = write(conn, target, &rewrite, source, None, summary)?;
    written.extend(write(
        conn,
        target,
        &add,
        &shape.runs_source,
        Some(since),
        summary,
    )?);
    let record = state.tables.entry(name.to_string()).or_default();
    record.partitions.extend(written);
    record.through_run = target.now_run;
    Ok(())
}

/// Rows per partition now, from the recorded rows plus the rows of runs
/// after the last export; None when they cannot be trusted (no earlier
/// export, another shape, or table totals that do not add up), and every
/// changed partition is then counted and rewritten whole.
fn newer_counts(
    conn: &Connection,
    table: &str,
    shape: &TableShape,
    record: &TableState,
    now_run: i64,
) -> Result<Option<Counts>> {
    let since = record.through_run;
    if since == 0
        || record
            .partitions
            .values()
            .any(|w| w.signature != shape.signature)
    {
        return Ok(None);
    }
    let mut parts: Counts = record
        .partitions
        .iter()
        .map(|(folder, w)| {
            let day = (folder != NULL_PARTITION).then(|| folder.clone());
            (folder.clone(), (day, w.rows))
        })
        .collect();
    // no run since the last export: nothing to count
    if since < now_run {
        let rows = shape.newer_rows(conn, since)?;
        for (folder, (day, n)) in row_counts(conn, &shape.runs_source, shape.date, &rows)? {
            parts.entry(folder).or_insert((day, 0)).1 += n;
        }
    }
    let total = total_rows(conn, table)?;
    Ok((parts.values().map(|p| p.1).sum::<i64>() == total).then_some(parts))
}

/// Rows of `table`.
fn total_rows(conn: &Connection, table: &str) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM {}", quote(table));
    Ok(conn.query_row(&sql, [], |r| r.get(0))?)
}

/// Rows per partition folder among the rows `rows` selects.
fn row_counts(conn: &Connection, source: &str, date: &str, rows: &str) -> Result<Counts> {
    let sql = render(
        PARTITIONS_SQL,
        &[("source", source), ("date", date), ("rows", rows)],
    );
    let mut stmt = conn.prepare(&sql)?;
    let counted = stmt.query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get(1)?)))?;
    let mut out = BTreeMap::new();
    for row in counted {
        let (day, n) = row?;
        let folder = day.clone().unwrap_or_else(|| NULL_PARTITION.to_string());
        out.insert(folder, (day, n));
    }
    Ok(out)
}
