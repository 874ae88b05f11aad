//! Writing partitions one date per `COPY`, on one connection per core at
//! once. Each `COPY` reads only the row groups of its date (exact time
//! bounds in the export's zone) and writes one file, without DuckDB's
//! partitioned writer, which holds, sorts and hands rows between threads
//! (at 10M rows it cost more than twice the time).

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{anyhow, Context, Result};
use chrono_tz::Tz;
use duckdb::Connection;

use crate::pii::{udf, Protector};
use crate::sql::{path_literal, render};

const COPY_DATE_SQL: &str = include_str!("../../sql/export/copy_date.sql");

/// Connections prepared for the export's SQL (protection functions, the
/// zone's `local_ts`), one per core.
pub struct Writers {
    conns: Vec<Mutex<Connection>>,
    tz: Tz,
}

/// One date's file to write.
pub struct DateCopy<'a> {
    /// The date (None: rows without one).
    pub day: Option<&'a str>,
    /// Staged file to write.
    pub path: &'a Path,
}

/// What every date's `COPY` of one table shares.
pub struct CopySpec<'a> {
    /// SELECT list.
    pub columns: &'a str,
    /// `FROM` clause.
    pub source: &'a str,
    /// The partition date expression.
    pub date: &'a str,
    /// The UTC instant the date is taken from.
    pub time: &'a str,
    /// A condition on the rows (true, or the rows of newer runs).
    pub rows: &'a str,
}

impl Writers {
    /// Opens and prepares the writer connections of `conn`'s database.
    pub fn open(
        conn: &Connection,
        protector: &Protector,
        tz: Tz,
        span: (i64, i64),
    ) -> Result<Writers> {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let mut conns = Vec::with_capacity(n);
        for _ in 0..n {
            let c = conn.try_clone()?;
            udf::register(&c, protector)?;
            crate::tz::install_span(&c, tz, span)?;
            conns.push(Mutex::new(c));
        }
        Ok(Writers { conns, tz })
    }

    /// Writes each date of `dates` with `spec`, the connections in
    /// parallel (each single-threaded meanwhile).
    pub fn copy(&self, conn: &Connection, spec: &CopySpec, dates: &[DateCopy]) -> Result<()> {
        let threads: String =
            conn.query_row("SELECT current_setting('threads')::VARCHAR", [], |r| {
                r.get(0)
            })?;
        conn.execute_batch("SET threads = 1")?;
        // each connection takes the next date left (dates differ in size)
        let next = AtomicUsize::new(0);
        let result = std::thread::scope(|s| {
            let workers: Vec<_> = self
                .conns
                .iter()
                .map(|c| {
                    let next = &next;
                    s.spawn(move || -> Result<()> {
                        let c = c.lock().map_err(|_| anyhow!("an export writer failed"))?;
                        while let Some(d) = dates.get(next.fetch_add(1, Ordering::Relaxed)) {
                            c.execute_batch(&self.sql(spec, d))
                                .with_context(|| format!("writing {}", d.path.display()))?;
                        }
                        Ok(())
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|_| Err(anyhow!("an export writer failed")))
                })
                .collect::<Result<Vec<()>>>()
        });
        conn.execute_batch(&format!(
            "SET threads = {}",
            threads.parse::<u32>().unwrap_or(1)
        ))?;
        result.map(|_| ())
    }

    fn sql(&self, spec: &CopySpec, d: &DateCopy) -> String {
        let (bounds, in_date) = match d.day {
            Some(day) => (
                day_bounds(spec.time, day, self.tz),
                format!("{} = DATE '{day}'", spec.date),
            ),
            None => (
                format!("{} IS NULL", spec.time),
                format!("{} IS NULL", spec.date),
            ),
        };
        render(
            COPY_DATE_SQL,
            &[
                ("columns", spec.columns),
                ("source", spec.source),
                ("bounds", &bounds),
                ("rows", spec.rows),
                ("in_date", &in_date),
                ("path", &path_literal(d.path)),
            ],
        )
    }
}

/// A condition on `time` (UTC) that holds for every instant whose local
/// date in `tz` is `day` (with an hour to spare), as constants so that
/// DuckDB's zone maps skip the row groups of other dates.
fn day_bounds(time: &str, day: &str, tz: Tz) -> String {
    let Ok(date) = day.parse::<chrono::NaiveDate>() else {
        return "true".to_string();
    };
    let midnight = date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
    let next = midnight + 86_400;
    let offsets = crate::tz::offsets(tz, midnight - 2 * 86_400, next + 2 * 86_400);
    let low = offsets.iter().map(|s| i64::from(s.2)).min().unwrap_or(0);
    let high = offsets.iter().map(|s| i64::from(s.2)).max().unwrap_or(0);
    // local = utc + offset: local midnight is at most `high` after UTC's
    let from = midnight - high - 3_600;
    let until = next - low + 3_600;
    let stamp = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%S").to_string())
    };
    format!(
        "{time} >= TIMESTAMP '{}' AND {time} < TIMESTAMP '{}'",
        stamp(from),
        stamp(until)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_the_local_day_with_an_hour_to_spare() {
        assert_eq!(
            day_bounds("t", "2025-08-01", chrono_tz::UTC),
            "t >= TIMESTAMP '2025-07-31 23:00:00' AND t < TIMESTAMP '2025-08-02 01:00:00'"
        );
        // Kolkata is 5:30 ahead: its 1 August is 31 July 18:30 to 1 August 18:30 UTC
        assert_eq!(
            day_bounds("t", "2025-08-01", chrono_tz::Asia::Kolkata),
            "t >= TIMESTAMP '2025-07-31 17:30:00' AND t < TIMESTAMP '2025-08-01 19:30:00'"
        );
        // Berlin changes from +1 to +2 on 30 March 2025: both offsets count
        assert_eq!(
            day_bounds("t", "2025-03-30", chrono_tz::Europe::Berlin),
            "t >= TIMESTAMP '2025-03-29 21:00:00' AND t < TIMESTAMP '2025-03-31 00:00:00'"
        );
    }
}
