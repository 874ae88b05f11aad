//! Data in keys is data, through the binary: User Feedback events whose
//! `call_log` maps phone numbers to call outcomes load as rows of a child
//! table (`key`, `value`), never as columns named after the numbers.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::{json, Map, Value};

/// The number planted for call `n` (distinct for every `n`).
fn number(n: usize) -> String {
    format!("9198765{:05}", 43210 + n)
}

fn outcome(n: usize) -> &'static str {
    ["answered", "missed", "rejected"][n % 3]
}

/// User Feedback event `i`: an answer, and a call log of two numbers
/// (calls `2i` and `2i + 1`) beside a named member, `total`.
fn feedback(i: usize) -> String {
    let mut log = Map::new();
    for n in [2 * i, 2 * i + 1] {
        log.insert(number(n), outcome(n).into());
    }
    log.insert("total".into(), 2.into());
    json!({
        "event_id": format!("0c6f1a52-9d1e-4f4e-8a4b-{i:012}"),
        "event_type": "uf",
        "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
        "created_at": (1754116200 + i).to_string(),
        "uf_payload": {
            "campaign_id": "cmp_missed_call_reason_q3",
            "answer": {"option_id": "opt_later", "score": 1},
            "call_log": Value::Object(log),
        }
    })
    .to_string()
}

fn columns_of(db: &std::path::Path, table: &str) -> i64 {
    scalar(
        db,
        &format!("SELECT count(*) FROM duckdb_columns() WHERE table_name = '{table}'"),
    )
}

#[test]
fn phone_numbers_as_keys_are_rows_not_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    // two nights: 10 events (20 numbers), then 90 more (180 new numbers)
    let mut widths = Vec::new();
    for (night, events) in [(0, 0..10), (1, 10..100)] {
        let lines: Vec<String> = events.map(feedback).collect();
        let file = dir.path().join(format!("night{night}.ndjson"));
        std::fs::write(&file, ndjson(&lines)).unwrap();
        let s = ingest_ok(&db, &[&file]);
        assert_eq!(s["inserted"].as_u64(), Some(lines.len() as u64));
        widths.push((
            columns_of(&db, "uf_events"),
            columns_of(&db, "uf_events__call_log"),
        ));
    }
    // the tables do not grow with the number of distinct keys
    assert_eq!(widths[0], widths[1]);
    // no column of any table is named after a number
    let numbered = query(
        &db,
        "SELECT table_name, column_name FROM duckdb_columns()
         WHERE regexp_matches(column_name, '[0-9]{6}')",
    );
    assert!(
        numbered.is_empty(),
        "columns named after data: {numbered:?}"
    );
    // ... nor is any table or registered path
    let paths = scalar(
        &db,
        "SELECT (SELECT count(*) FROM duckdb_tables() WHERE regexp_matches(table_name, '[0-9]{6}'))
              + (SELECT count(*) FROM hookstat_tables WHERE regexp_matches(json_path, '[0-9]{6}'))
              + (SELECT count(*) FROM hookstat_columns WHERE regexp_matches(json_path, '[0-9]{6}'))",
    );
    assert_eq!(paths, 0);

    // exactly the planted (key, value) pairs, each in its event's row
    let rows = query(
        &db,
        "SELECT c.\"key\", c.\"value\", c._index, c._parent_row, e.event_id
         FROM uf_events__call_log c JOIN uf_events e USING (event_id)
         ORDER BY c.\"key\"",
    );
    let got: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("key"), text("value"))
        })
        .collect();
    let want: BTreeSet<(String, String)> = (0..200)
        .map(|n| (number(n), outcome(n).to_string()))
        .collect();
    assert_eq!(rows.len(), 200);
    assert_eq!(got, want);
    for r in &rows {
        let n = r["key"].as_str().unwrap()[7..].parse::<usize>().unwrap() - 43210;
        // the member's position in the (sorted) object; the event row is the parent
        assert_eq!(r["_index"].as_i64(), Some((n % 2) as i64));
        assert_eq!(r["_parent_row"], Value::Null);
        assert!(r["event_id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{:012}", n / 2)));
    }

    // the named member stays a column of the event row
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM uf_events WHERE call_log__total = 2"
        ),
        100
    );
    // the child table and its key column have their own JSON paths
    let registered = query(
        &db,
        "SELECT c.column_name, c.json_path AS column_path, t.json_path AS table_path
         FROM hookstat_columns c JOIN hookstat_tables t USING (table_name)
         WHERE table_name = 'uf_events__call_log' ORDER BY c.column_name",
    );
    let listed: Vec<(String, String, String)> = registered
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap().to_string();
            (text("column_name"), text("column_path"), text("table_path"))
        })
        .collect();
    let table = "$.uf_payload.call_log.*";
    assert_eq!(
        listed,
        vec![
            ("key".into(), format!("{table}~"), table.into()),
            ("value".into(), table.into(), table.into()),
        ]
    );
}
