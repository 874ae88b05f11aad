//! Reading a flattened event back: its data columns by JSON path, the
//! leaves of its `_overflow`, its `events.payload`, and the data columns of
//! a table.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::common::*;

/// Fixed (non-data) columns of a `<type>_events` table.
pub const FIXED: &[&str] = &["event_id", "client_account_id", "created_at", "_overflow"];

/// Number of data columns of `table` (fixed columns and `_overflow` excluded).
pub fn data_column_count(db: &Path, table: &str) -> i64 {
    scalar(
        db,
        &format!(
            "SELECT count(*) FROM columns WHERE table_name = '{table}'
             AND column_name NOT IN ('event_id', 'client_account_id', 'created_at', '_overflow')"
        ),
    )
}

/// (JSON path, value) pairs.
pub type Leaves = Vec<(String, Value)>;

/// Every scalar leaf under `v`, with `path` extended by object keys and
/// array indexes.
fn leaves(path: &str, v: &Value, out: &mut Leaves) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                leaves(&format!("{path}.{k}"), x, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(&format!("{path}[{i}]"), x, out);
            }
        }
        _ => out.push((path.to_string(), v.clone())),
    }
}

/// The row of `event_id` in `table`: (json path, value) of every non-NULL
/// data column, and every leaf of its `_overflow` object (keyed by the
/// overflow's JSON paths, objects expanded).
pub fn stored_leaves(db: &Path, table: &str, event_id: &str) -> (Leaves, Leaves) {
    let paths: BTreeMap<String, String> = query(
        db,
        &format!(
            "SELECT column_name, json_path FROM hookstat_columns WHERE table_name = '{table}'"
        ),
    )
    .into_iter()
    .map(|r| {
        (
            r["column_name"].as_str().unwrap().to_string(),
            r["json_path"].as_str().unwrap().to_string(),
        )
    })
    .collect();
    let rows = query(
        db,
        &format!("SELECT * FROM {table} WHERE event_id = '{event_id}'"),
    );
    assert_eq!(rows.len(), 1, "one {table} row for {event_id}");
    let row = rows[0].as_object().unwrap();
    let mut from_columns = Vec::new();
    for (col, v) in row {
        if FIXED.contains(&col.as_str()) || v.is_null() {
            continue;
        }
        let path = paths
            .get(col)
            .unwrap_or_else(|| panic!("column {col} of {table} is not in hookstat_columns"));
        from_columns.push((path.clone(), v.clone()));
    }
    let overflow = row
        .get("_overflow")
        .unwrap_or_else(|| panic!("{table} has no _overflow column"));
    let mut from_overflow = Vec::new();
    if let Some(text) = overflow.as_str() {
        let parsed: Value = serde_json::from_str(text).expect("_overflow is JSON");
        let obj = parsed.as_object().expect("_overflow is a JSON object");
        for (path, v) in obj {
            assert!(path.starts_with('$'), "_overflow key {path} is a JSON path");
            leaves(path, v, &mut from_overflow);
        }
    }
    (from_columns, from_overflow)
}

/// `events.payload` of one event, parsed.
pub fn stored_payload(db: &Path, event_id: &str) -> Value {
    let rows = query(
        db,
        &format!("SELECT payload::VARCHAR AS p FROM events WHERE event_id = '{event_id}'"),
    );
    assert_eq!(rows.len(), 1, "one events row for {event_id}");
    serde_json::from_str(rows[0]["p"].as_str().unwrap()).unwrap()
}
