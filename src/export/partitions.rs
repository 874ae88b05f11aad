//! Writing one table's changed partitions. A partition whose shape is
//! unchanged and that only gained rows gets one more file with the rows of
//! the runs since the last export (the cost of a night is what it added);
//! any other change rewrites it whole. Files are written by `COPY …
//! PARTITION_BY` into a staging folder, then renamed into place, and
//! partitions that no longer exist are removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::{params, Connection};

use super::by_date::{CopySpec, DateCopy, Writers};
use super::files::{move_into_place, partition_dir, remove_stale, Counts};
use super::state::{ExportState, TableState, Written};
use super::{ExportSummary, TableShape, NULL_PARTITION};
use crate::sql::{path_literal, quote, render};

const COPY_SQL: &str = include_str!("../../sql/export/copy_partition.sql");
const PARTITIONS_SQL: &str = include_str!("../../sql/export/partitions.sql");

/// Files a partition may have before it is rewritten as one.
const MAX_FILES: usize = 16;

/// Where one table is exported, and up to which run.
pub struct Target<'a> {
    /// The export folder.
    pub out: &'a Path,
    /// The table.
    pub table: &'a str,
    /// What it reads and writes.
    pub shape: &'a TableShape,
    /// The newest run in the database.
    pub now_run: i64,
    /// Connections that write a date each, in parallel.
    pub writers: &'a Writers,
}

/// A partition to write.
#[derive(Debug, Clone)]
struct Changed {
    /// Its date (None: rows without one).
    day: Option<String>,
    /// Its folder name.
    folder: String,
    /// Rows to write now.
    rows: i64,
    /// Rows it holds afterwards.
    total: i64,
    /// Files kept (an addition) or none (a rewrite).
    kept: Vec<String>,
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
        out, table, shape, ..
    } = *target;
    let record = state.tables.entry(table.to_string()).or_default();
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
    remove_stale(out, table, &parts, &mut record.partitions)?;
    let mut rewrite = Vec::new();
    let mut add = Vec::new();
    for (folder, (day, rows)) in parts {
        let dir = partition_dir(out, table, &folder);
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
    let record = state.tables.entry(table.to_string()).or_default();
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

/// Writes `changed` from `source` (whole, or with `since` only the rows
/// of later runs) and moves the files into place; returns what each
/// partition holds.
fn write(
    conn: &Connection,
    target: &Target,
    changed: &[Changed],
    source: &str,
    since: Option<i64>,
    summary: &mut ExportSummary,
) -> Result<Vec<(String, Written)>> {
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let Target {
        out, table, shape, ..
    } = *target;
    let staging = copy_changed(conn, target, changed, source, since)?;
    let prefix = match since {
        Some(_) => format!("part-r{}-", target.now_run),
        None => "part-".to_string(),
    };
    let mut written = Vec::new();
    for c in changed {
        let files = move_into_place(&staging, out, table, &c.folder, &prefix, &c.kept)?;
        let record = Written {
            rows: c.total,
            signature: shape.signature.clone(),
            files,
        };
        written.push((c.folder.clone(), record));
        summary.partitions_written += 1;
        summary.rows_written += c.rows as u64;
    }
    std::fs::remove_dir_all(&staging)?;
    Ok(written)
}

/// Rows one `COPY` writes at most (unless a single date holds more): DuckDB
/// holds a partitioned write's rows until the end, so a big first export
/// is written a batch of dates at a time, each reading only its row groups.
const COPY_BATCH_ROWS: i64 = 500_000;

/// The changed dates into a staging folder: one `COPY … PARTITION_BY` per
/// batch of consecutive dates (with `since`, only the rows of later runs).
fn copy_changed(
    conn: &Connection,
    target: &Target,
    changed: &[Changed],
    source: &str,
    since: Option<i64>,
) -> Result<PathBuf> {
    let Target {
        out, table, shape, ..
    } = *target;
    let staging = out.join(format!(".staging-{table}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let rows = since.map_or("true".to_string(), |run| format!("{} > {run}", shape.run));
    if shape.per_date {
        let paths: Vec<PathBuf> = changed
            .iter()
            .map(|c| {
                staging
                    .join(format!("hookstat_partition={}", c.folder))
                    .join("data_0.parquet")
            })
            .collect();
        for p in &paths {
            if let Some(dir) = p.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
        }
        let dates: Vec<DateCopy> = changed
            .iter()
            .zip(&paths)
            .map(|(c, path)| DateCopy {
                day: c.day.as_deref(),
                path,
            })
            .collect();
        let spec = CopySpec {
            columns: &shape.list.join(", "),
            source,
            date: shape.date,
            time: shape.time,
            rows: &rows,
        };
        target
            .writers
            .copy(conn, &spec, &dates)
            .with_context(|| format!("exporting {table}"))?;
        return Ok(staging);
    }
    for batch in batches(changed, COPY_BATCH_ROWS) {
        conn.execute_batch("CREATE OR REPLACE TEMP TABLE export_dates (d DATE)")?;
        for c in batch {
            conn.execute(
                "INSERT INTO export_dates VALUES (CAST(? AS DATE))",
                params![c.day],
            )?;
        }
        let copy = render(
            COPY_SQL,
            &[
                ("columns", &shape.list.join(", ")),
                ("source", source),
                ("date", shape.date),
                ("bounds", &time_bounds(shape.time, batch)),
                ("rows", &rows),
                ("path", &path_literal(&staging)),
            ],
        );
        conn.execute_batch(&copy)
            .with_context(|| format!("exporting {table}"))?;
    }
    Ok(staging)
}

/// Consecutive runs of `changed` of at most `max_rows` rows (a date alone
/// may hold more); the undated partition on its own.
fn batches(changed: &[Changed], max_rows: i64) -> Vec<&[Changed]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut rows: i64 = 0;
    for (i, c) in changed.iter().enumerate() {
        let boundary = c.day.is_none() || changed[start].day.is_none();
        if i > start && (rows.saturating_add(c.rows) > max_rows || boundary) {
            out.push(&changed[start..i]);
            start = i;
            rows = 0;
        }
        rows = rows.saturating_add(c.rows);
    }
    if start < changed.len() {
        out.push(&changed[start..]);
    }
    out
}

/// A condition on `time` that holds for every row of the batch's dates
/// (a day of margin on each side covers any zone's offset) as constants,
/// so that DuckDB's zone maps skip the other row groups.
fn time_bounds(time: &str, batch: &[Changed]) -> String {
    let days: Vec<chrono::NaiveDate> = batch
        .iter()
        .filter_map(|c| c.day.as_deref()?.parse().ok())
        .collect();
    match (days.iter().min(), days.iter().max()) {
        (Some(first), Some(last)) if days.len() == batch.len() => {
            let from = *first - chrono::Days::new(1);
            let until = *last + chrono::Days::new(2);
            format!("{time} >= TIMESTAMP '{from}' AND {time} < TIMESTAMP '{until}'")
        }
        _ if days.is_empty() => format!("{time} IS NULL"),
        _ => "true".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(day: Option<&str>, rows: i64) -> Changed {
        Changed {
            day: day.map(str::to_string),
            folder: day.unwrap_or(NULL_PARTITION).to_string(),
            rows,
            total: rows,
            kept: Vec::new(),
        }
    }

    #[test]
    fn dates_are_batched_by_rows_and_the_undated_alone() {
        let changed = vec![
            part(Some("2026-01-01"), 300),
            part(Some("2026-01-02"), 300),
            part(Some("2026-01-03"), 900),
            part(Some("2026-01-04"), 100),
            part(None, 5),
        ];
        let sizes: Vec<usize> = batches(&changed, 600).iter().map(|b| b.len()).collect();
        // 300+300; 900 alone (over the budget by itself); 100; undated
        assert_eq!(sizes, vec![2, 1, 1, 1]);
        assert_eq!(batches(&changed, 10_000).len(), 2);
        assert!(batches(&[], 600).is_empty());
    }

    #[test]
    fn bounds_cover_every_zone_around_the_dates() {
        let changed = vec![part(Some("2026-01-31"), 1), part(Some("2026-02-01"), 1)];
        assert_eq!(
            time_bounds("t.created_at", &changed),
            "t.created_at >= TIMESTAMP '2026-01-30' AND t.created_at < TIMESTAMP '2026-02-03'"
        );
        assert_eq!(
            time_bounds("t.created_at", &[part(None, 1)]),
            "t.created_at IS NULL"
        );
    }
}
