//! Writing one table's changed partitions: `COPY … PARTITION_BY` (a
//! batch of dates at a time) or one `COPY` per date into a staging folder,
//! then each file renamed into place, so readers never see half a file.
//! Which partitions changed is `partitions.rs`'s.

use std::path::PathBuf;

use anyhow::{Context, Result};
use duckdb::{params, Connection};

use super::by_date::{CopySpec, DateCopy};
use super::files::move_into_place;
use super::partitions::{Changed, Target};
use super::state::Written;
use super::ExportSummary;
use crate::sql::{path_literal, render};

const COPY_SQL: &str = include_str!("../../sql/export/copy_partition.sql");

/// Writes `changed` from `source` (whole, or with `since` only the rows
/// of later runs) and moves the files into place; returns what each
/// partition holds.
pub(super) fn write(
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
        out, folder, shape, ..
    } = *target;
    let staging = copy_changed(conn, target, changed, source, since)?;
    let prefix = match since {
        Some(_) => format!("part-r{}-", target.now_run),
        None => "part-".to_string(),
    };
    let mut written = Vec::new();
    for c in changed {
        let files = move_into_place(&staging, out, folder, &c.folder, &prefix, &c.kept)?;
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
        out,
        folder: table,
        shape,
        ..
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
    use crate::export::NULL_PARTITION;

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
