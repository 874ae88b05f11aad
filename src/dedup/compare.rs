//! Settling a run's later deliveries: each goes to `duplicate_deliveries`
//! with whether its content equals the first delivery's.
//!
//! The first deliveries are read only within their run and creation-time
//! bounds (a retry of last night's event does not read the whole history).
//! Retries with the same bytes, the usual case, are settled by the stored
//! hash of the bytes without reading a payload; the others are compared as
//! JSON values (key order and spacing do not count), one pair at a time,
//! keeping only the verdicts.

use duckdb::{Connection, OptionalExt};

use super::history::settling;
use crate::sql::render;

const FIRST_BOUNDS: &str = include_str!("../../sql/duplicates/first_bounds.sql");
const FIRST_KEYS: &str = include_str!("../../sql/duplicates/first_keys.sql");
const IDENTICAL: &str = include_str!("../../sql/duplicates/identical.sql");
const DIFFERING: &str = include_str!("../../sql/duplicates/differing.sql");
const FIRST_PAYLOADS: &str = include_str!("../../sql/duplicates/first_payloads.sql");
const WITH_FIRST: &str = include_str!("../../sql/duplicates/with_first.sql");
const COMPARED: &str = include_str!("../../sql/duplicates/compared.sql");
const DIFFERING_ROWS: &str = include_str!("../../sql/duplicates/differing_rows.sql");
const LATER_ONE: &str = include_str!("../../sql/duplicates/later_one.sql");
const FIRST_ONE: &str = include_str!("../../sql/duplicates/first_one.sql");
const COMPARED_ONE: &str = include_str!("../../sql/duplicates/compared_one.sql");

/// Staged bytes of later deliveries with other bytes above which they are
/// compared one pair at a time.
const BULK_BYTES: i64 = 32 << 20;

/// Records every row of `stage_duplicates` in `duplicate_deliveries`;
/// returns how many differ in content from their first delivery.
pub fn settle(conn: &Connection) -> duckdb::Result<u64> {
    let bounds = first_bounds(conn)?;
    conn.execute_batch(&render(FIRST_KEYS, &[("bounds", &bounds)]))?;
    conn.execute_batch(IDENTICAL)?;
    let (differing, bytes): (i64, i64) =
        conn.query_row(DIFFERING, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if differing == 0 {
        return Ok(0);
    }
    if bytes > BULK_BYTES {
        return pair_by_pair(conn, &bounds);
    }
    conn.execute_batch(&render(FIRST_PAYLOADS, &[("bounds", &bounds)]))?;
    let mut verdicts: Vec<(i64, bool)> = Vec::new();
    {
        let mut stmt = conn.prepare(WITH_FIRST)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let later: String = row.get(1)?;
            let first: String = row.get(2)?;
            verdicts.push((row.get(0)?, same_content(&later, &first)));
        }
    }
    let conflicts = verdicts.iter().filter(|(_, same)| !same).count() as u64;
    if !verdicts.is_empty() {
        let mut appender = conn.appender("stage_compared")?;
        for (stage_row, same) in verdicts {
            appender.append_row(duckdb::params![stage_row, same])?;
        }
        appender.flush()?;
        drop(appender);
        conn.execute_batch(COMPARED)?;
    }
    Ok(conflicts)
}

/// True when two deliveries hold the same JSON value: key order and
/// spacing do not count, numbers compare as written (serde_json keeps each
/// number's digits, so `1e999` parses and `1.0` differs from `1.00`;
/// only the exponent's spelling does not count: `1E2` is `1e+2`). Text
/// that does not parse is the same only byte for byte.
fn same_content(later: &str, first: &str) -> bool {
    let parse = serde_json::from_str::<serde_json::Value>;
    match (parse(later), parse(first)) {
        (Ok(later), Ok(first)) => later == first,
        _ => later == first,
    }
}

/// Compares the later deliveries with other bytes one pair at a time (their
/// staged payloads are large): DuckDB reads two payloads per query instead
/// of a vector of them. Returns how many differ in content.
fn pair_by_pair(conn: &Connection, bounds: &str) -> duckdb::Result<u64> {
    let rows: Vec<i64> = conn
        .prepare(DIFFERING_ROWS)?
        .query_map([], |r| r.get(0))?
        .collect::<duckdb::Result<_>>()?;
    let mut later = conn.prepare(LATER_ONE)?;
    let mut first = conn.prepare(&render(FIRST_ONE, &[("bounds", bounds)]))?;
    let mut record = conn.prepare(COMPARED_ONE)?;
    let mut conflicts = 0;
    for row in rows {
        let (id, payload): (String, String) =
            later.query_row([row], |r| Ok((r.get(0)?, r.get(1)?)))?;
        // like the bulk path: a later delivery whose first is not found
        // gets no verdict
        let Some(stored) = first
            .query_row([&id], |r| r.get::<_, String>(0))
            .optional()?
        else {
            continue;
        };
        let same = same_content(&payload, &stored);
        conflicts += u64::from(!same);
        record.execute(duckdb::params![row, same])?;
    }
    Ok(conflicts)
}

/// The bounds of the first deliveries' run ids and creation times, as an
/// SQL condition on `e` with constants (so that zone maps prune).
fn first_bounds(conn: &Connection) -> duckdb::Result<String> {
    type Bounds = (Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64);
    let staged: u64 = conn.query_row("SELECT count(*) FROM stage_duplicates", [], |r| r.get(0))?;
    let (run_low, run_high, time_low, time_high, null_times): Bounds =
        settling(conn, staged, || {
            conn.query_row(FIRST_BOUNDS, [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
        })?;
    let mut bounds = match (run_low, run_high) {
        (Some(low), Some(high)) => format!("e.run_id BETWEEN {low} AND {high}"),
        _ => "false".to_string(),
    };
    if let (Some(low), Some(high), 0) = (time_low, time_high, null_times) {
        bounds.push_str(&format!(
            " AND e.created_at BETWEEN make_timestamp({low}) AND make_timestamp({high})"
        ));
    }
    Ok(bounds)
}

#[cfg(test)]
mod tests {
    use super::same_content;

    #[test]
    fn different_payloads_are_never_same() {
        assert!(same_content(r#"{"a":1,"b":[2]}"#, r#"{ "b":[2], "a":1 }"#));
        assert!(!same_content(
            r#"{"v":1e999,"answer":"yes"}"#,
            r#"{"v":1e999,"answer":"NO"}"#
        ));
        assert!(!same_content(r#"{"v":1e999}"#, r#"{"v":2e999}"#));
        assert!(!same_content(r#"{"v":1.0}"#, r#"{"v":1.00}"#));
        assert!(same_content(r#"{"v":1E2}"#, r#"{"v":1e+2}"#));
        assert!(!same_content("{", "}"));
        assert!(same_content("{", "{"));
    }
}
