//! Running reports: set up the filters and helpers (temp objects on a
//! read-only connection), then run each report's query on its own; a
//! broken report fails alone.

use crate::pii::phone::Times;
use chrono_tz::Tz;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::{params, Connection};

use super::definition::Report;
use super::params::ReportParams;

const SETUP_SQL: &str = include_str!("../../sql/report/setup.sql");
const PRELUDE_SQL: &str = include_str!("../../sql/report/prelude.sql");
const CONFIGS_SQL: &str = include_str!("../../sql/report/configs.sql");
const DATA_SPAN_SQL: &str = include_str!("../../sql/report/data_span.sql");

/// A report and what running it gave.
pub struct Outcome {
    /// The report.
    pub report: Report,
    /// Its rows, or the error naming what went wrong.
    pub result: Result<Vec<RecordBatch>, String>,
}

/// Prepares `conn` for reports with `params` in zone `tz`; returns every
/// configuration name in the database in order of first appearance (the
/// order of their colours). Fails on an unknown
/// configuration name (listing the known ones).
pub fn prepare(conn: &Connection, params: &ReportParams, tz: Tz) -> anyhow::Result<Vec<String>> {
    conn.execute_batch(SETUP_SQL)?;
    let known: Vec<String> = conn
        .prepare(CONFIGS_SQL)?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for name in &params.configs {
        if !known.contains(name) {
            anyhow::bail!(
                "unknown configuration \"{name}\"; the database has: {}",
                known
                    .iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        conn.execute("INSERT INTO report_configs VALUES (?)", params![name])?;
    }
    if let (Some(from), Some(to)) = (params.from, params.to) {
        if from > to {
            anyhow::bail!("--from {from} is after --to {to}");
        }
    }
    conn.execute(
        "INSERT INTO report_params VALUES (?, ?::DATE, ?::DATE)",
        params![
            tz.name(),
            params.from.map(|d| d.to_string()),
            params.to.map(|d| d.to_string())
        ],
    )?;
    crate::tz::install(conn, tz)?;
    super::stats_sql::register(conn)?;
    conn.execute_batch(PRELUDE_SQL)?;
    Ok(known)
}

/// The evidence for times in the reports' values: around the span of the
/// events' times (no evidence when there are none).
pub fn data_times(conn: &Connection) -> duckdb::Result<Times> {
    let (first, last): (Option<i64>, Option<i64>) =
        conn.query_row(DATA_SPAN_SQL, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(match (first, last) {
        (Some(a), Some(b)) => Times::around(a, b),
        _ => Times::NONE,
    })
}

/// Runs every report; each one's failure is kept with it.
pub fn run_all(conn: &Connection, reports: Vec<Report>) -> Vec<Outcome> {
    reports
        .into_iter()
        .map(|report| {
            let result = conn
                .prepare(&report.sql)
                .and_then(|mut stmt| {
                    let arrow = stmt.query_arrow([])?;
                    let schema = arrow.get_schema();
                    let mut batches: Vec<RecordBatch> = arrow.collect();
                    if batches.is_empty() {
                        batches.push(RecordBatch::new_empty(schema));
                    }
                    Ok(batches)
                })
                .map_err(|e| format!("{} ({}): {e}", report.name, report.origin));
            Outcome { report, result }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tz::parse_tz;

    fn conn() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        crate::load::db::apply_schema(&conn).unwrap();
        let params = ReportParams {
            tz: None,
            from: None,
            to: None,
            configs: Vec::new(),
        };
        prepare(&conn, &params, chrono_tz::UTC).unwrap();
        conn
    }

    fn f(conn: &Connection, sql: &str) -> f64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn wilson_interval_matches_known_values() {
        let c = conn();
        // 0/10: (0, 0.27753); 81/263: (0.25529, 0.36621); 5/5: (0.56552, 1)
        assert!(f(&c, "SELECT wilson_low(0, 10)").abs() < 1e-9);
        assert!((f(&c, "SELECT wilson_high(0, 10)") - 0.277_532_8).abs() < 1e-6);
        assert!((f(&c, "SELECT wilson_low(81, 263)") - 0.255_288_5).abs() < 1e-6);
        assert!((f(&c, "SELECT wilson_high(81, 263)") - 0.366_209_6).abs() < 1e-6);
        assert!((f(&c, "SELECT wilson_low(5, 5)") - 0.565_517_5).abs() < 1e-6);
        assert!((f(&c, "SELECT wilson_high(5, 5)") - 1.0).abs() < 1e-9);
        let none: Option<f64> = c
            .query_row("SELECT wilson_low(0, 0)", [], |r| r.get(0))
            .unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn two_proportion_test_matches_known_values() {
        let c = conn();
        // 45/100 vs 30/100: z = 2.19089, two-sided p = 0.028460
        assert!((f(&c, "SELECT two_proportion_p(45, 100, 30, 100)") - 0.028_459_74).abs() < 1e-6);
        assert!((f(&c, "SELECT two_proportion_p(30, 100, 45, 100)") - 0.028_459_74).abs() < 1e-6);
        assert!((f(&c, "SELECT two_proportion_p(50, 100, 50, 100)") - 1.0).abs() < 1e-6);
        assert!((f(&c, "SELECT normal_cdf(1.959963984540054)") - 0.975).abs() < 1e-6);
        assert!((f(&c, "SELECT normal_cdf(-1)") - 0.158_655_25).abs() < 1e-6);
    }

    #[test]
    fn local_time_follows_the_zone() {
        let conn = Connection::open_in_memory().unwrap();
        crate::load::db::apply_schema(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO cmb_requests (event_id, requested_at, created_at)
             VALUES ('e', TIMESTAMP '2025-08-01 20:00:00', TIMESTAMP '2025-08-01 20:00:05')",
        )
        .unwrap();
        let params = ReportParams {
            tz: None,
            from: None,
            to: None,
            configs: Vec::new(),
        };
        prepare(&conn, &params, parse_tz("Asia/Kolkata").unwrap()).unwrap();
        let local: String = conn
            .query_row("SELECT requested_local::VARCHAR FROM report_cmb", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(local, "2025-08-02 01:30:00");
    }
}
