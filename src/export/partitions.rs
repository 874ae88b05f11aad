//! Writing one table's changed partitions: which partitions changed since
//! the last export (row count and shape signature), one `COPY …
//! PARTITION_BY` of those dates into a staging folder, then each file
//! renamed into place, and partitions that no longer exist removed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::{params, Connection};

use super::{ExportSummary, TableShape, NULL_PARTITION};
use crate::sql::{path_literal, render};

const COPY_SQL: &str = include_str!("../../sql/export/copy_partition.sql");
const PARTITIONS_SQL: &str = include_str!("../../sql/export/partitions.sql");

/// A partition to write: its date, folder name, rows and signature.
type Changed = (Option<String>, String, i64, String);

/// Exports the changed partitions of `table`; `done` is its part of the
/// export state (partition folder -> signature), updated.
pub fn export_table(
    conn: &Connection,
    out: &Path,
    table: &str,
    shape: &TableShape,
    done: &mut BTreeMap<String, String>,
    summary: &mut ExportSummary,
) -> Result<()> {
    let sql = render(
        PARTITIONS_SQL,
        &[("source", &shape.source), ("date", shape.date)],
    );
    let parts: Vec<(Option<String>, i64)> = conn
        .prepare(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    remove_stale(out, table, &parts, done)?;
    let changed: Vec<Changed> = parts
        .into_iter()
        .filter_map(|(day, rows)| {
            let folder = day.clone().unwrap_or_else(|| NULL_PARTITION.to_string());
            let signature = format!("{rows}|{}", shape.signature);
            let file = partition_dir(out, table, &folder).join("part-0.parquet");
            if done.get(&folder) == Some(&signature) && file.exists() {
                summary.partitions_unchanged += 1;
                None
            } else {
                Some((day, folder, rows, signature))
            }
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let staging = copy_changed(conn, out, table, shape, &changed)?;
    for (_, folder, rows, signature) in changed {
        move_into_place(&staging, out, table, &folder)?;
        done.insert(folder, signature);
        summary.partitions_written += 1;
        summary.rows_written += rows as u64;
    }
    std::fs::remove_dir_all(&staging)?;
    Ok(())
}

fn partition_dir(out: &Path, table: &str, folder: &str) -> PathBuf {
    out.join(table).join(format!("event_date={folder}"))
}

/// Removes partitions that no longer exist (e.g. after changing `--tz`).
fn remove_stale(
    out: &Path,
    table: &str,
    parts: &[(Option<String>, i64)],
    done: &mut BTreeMap<String, String>,
) -> Result<()> {
    let current: BTreeSet<String> = parts
        .iter()
        .map(|(d, _)| d.clone().unwrap_or_else(|| NULL_PARTITION.to_string()))
        .collect();
    let stale: Vec<String> = done
        .keys()
        .filter(|k| !current.contains(*k))
        .cloned()
        .collect();
    for folder in stale {
        let dir = partition_dir(out, table, &folder);
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        done.remove(&folder);
    }
    Ok(())
}

/// Rows one `COPY` writes at most (unless a single date holds more): DuckDB
/// holds a partitioned write's rows until the end, so a big first export
/// is written a batch of dates at a time, each reading only its row groups.
const COPY_BATCH_ROWS: i64 = 500_000;

/// The changed dates into a staging folder: one `COPY … PARTITION_BY` per
/// batch of consecutive dates.
fn copy_changed(
    conn: &Connection,
    out: &Path,
    table: &str,
    shape: &TableShape,
    changed: &[Changed],
) -> Result<PathBuf> {
    let staging = out.join(format!(".staging-{table}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    for batch in batches(changed, COPY_BATCH_ROWS) {
        conn.execute_batch("CREATE OR REPLACE TEMP TABLE export_dates (d DATE)")?;
        for (day, ..) in batch {
            conn.execute(
                "INSERT INTO export_dates VALUES (CAST(? AS DATE))",
                params![day],
            )?;
        }
        let copy = render(
            COPY_SQL,
            &[
                ("columns", &shape.list.join(", ")),
                ("source", &shape.source),
                ("date", shape.date),
                ("bounds", &time_bounds(shape.time, batch)),
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
    let mut rows = 0;
    for (i, (day, _, n, _)) in changed.iter().enumerate() {
        let boundary = day.is_none() || changed[start].0.is_none();
        if i > start && (rows + n > max_rows || boundary) {
            out.push(&changed[start..i]);
            start = i;
            rows = 0;
        }
        rows += n;
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
        .filter_map(|(day, ..)| day.as_deref()?.parse().ok())
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

/// Renames the staged files of one partition into place and removes its
/// older files.
fn move_into_place(staging: &Path, out: &Path, table: &str, folder: &str) -> Result<()> {
    let from = staging.join(format!("hookstat_partition={folder}"));
    let dir = partition_dir(out, table, folder);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&from)
        .with_context(|| format!("no output for {table} {folder}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for (i, file) in files.iter().enumerate() {
        let name = format!("part-{i}.parquet");
        // a rename within one file system is atomic: readers see the old
        // file or the new one, never half of one
        std::fs::rename(file, dir.join(&name))
            .with_context(|| format!("cannot move {} into place", file.display()))?;
        written.push(name);
    }
    for old in std::fs::read_dir(&dir)?.filter_map(Result::ok) {
        let name = old.file_name().to_string_lossy().into_owned();
        if name.starts_with("part-") && !written.contains(&name) {
            std::fs::remove_file(old.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(day: Option<&str>, rows: i64) -> Changed {
        let folder = day.unwrap_or(NULL_PARTITION).to_string();
        (day.map(str::to_string), folder, rows, String::new())
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
