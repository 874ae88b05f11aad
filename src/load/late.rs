//! Late duplicates: events this run inserted whose `event_id` an earlier run
//! had already loaded.
//!
//! While loading, the loader deduplicates only within the run (a set the
//! size of the night, not of the history). Before the run commits, one hash
//! join of the run's ids against the stored ids finds the events that were
//! delivered before; their rows written by this run are removed from every
//! table (the earlier run's rows stay: first delivery wins) and they become
//! staged later deliveries, compared with the first delivery like any other
//! duplicate. The cost is one scan of the stored `event_id` column, not a
//! copy of it in memory.

use std::collections::BTreeMap;

use duckdb::{params, Connection};

use super::loader::RunCounts;
use crate::sql::{quote, render};

const FIND: &str = include_str!("../../sql/late/find.sql");
const INSERTED_BY_TYPE: &str = include_str!("../../sql/late/inserted_by_type.sql");
const ISSUES_BY_PROBLEM: &str = include_str!("../../sql/late/issues_by_problem.sql");
const STAGE: &str = include_str!("../../sql/late/stage.sql");
const DELETE_ISSUES: &str = include_str!("../../sql/late/delete_issues.sql");
const DELETE_EVENTS: &str = include_str!("../../sql/late/delete_events.sql");
const DELETE_TABLE_ROWS: &str = include_str!("../../sql/dynamic/delete_late.sql");

/// Finds run `run_id`'s late duplicates and settles them: `tables` are the
/// flattened tables this run appended to, each with the first row id of the
/// run's rows. Adjusts `counts` (inserted -> duplicates, field issues) and
/// returns how many events were late duplicates.
pub fn settle(
    conn: &Connection,
    run_id: i64,
    tables: &[(String, i64)],
    counts: &mut RunCounts,
) -> duckdb::Result<u64> {
    conn.execute(FIND, params![run_id])?;
    let late: i64 = conn.query_row("SELECT count(*) FROM stage_late", [], |r| r.get(0))?;
    if late == 0 {
        return Ok(0);
    }
    let late = late as u64;
    subtract(conn, INSERTED_BY_TYPE, run_id, &mut counts.inserted_by_type)?;
    let issues = subtract(
        conn,
        ISSUES_BY_PROBLEM,
        run_id,
        &mut counts.field_issues_by_problem,
    )?;
    counts.inserted -= late;
    counts.duplicates += late;
    counts.field_issues -= issues;
    conn.execute(STAGE, params![run_id])?;
    conn.execute(DELETE_ISSUES, params![run_id])?;
    conn.execute(DELETE_EVENTS, params![run_id])?;
    for (table, first_row) in tables {
        let sql = render(DELETE_TABLE_ROWS, &[("table", &quote(table))]);
        conn.execute(&sql, params![first_row])?;
    }
    Ok(late)
}

/// Subtracts per-key counts returned by `sql` from `map` (dropping keys that
/// reach zero); returns the total subtracted.
fn subtract(
    conn: &Connection,
    sql: &str,
    run_id: i64,
    map: &mut BTreeMap<String, u64>,
) -> duckdb::Result<u64> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params![run_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut total = 0;
    for row in rows {
        let (key, n) = row?;
        let n = n.max(0) as u64;
        total += n;
        if let Some(v) = map.get_mut(&key) {
            *v = v.saturating_sub(n);
            if *v == 0 {
                map.remove(&key);
            }
        }
    }
    Ok(total)
}
