//! The flattening budgets (leaves, array elements, depth, columns, new
//! columns and tables in one run, tables in the database): what is over
//! stays in `_overflow` or `events.payload`, with a field issue, and the
//! run goes on.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::common::*;
use super::stored::{data_column_count, stored_leaves, stored_payload};
use super::{assert_outcome, count, issues_by_problem, run_ok, summary_map, typed_event, want};

#[test]
fn leaf_budget_keeps_the_rest_in_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide.ndjson");
    let payload: Map<String, Value> = (0..5000).map(|i| (format!("k{i}"), json!(i))).collect();
    let event = typed_event("wide", "uf", Value::Object(payload));
    std::fs::write(&file, format!("{event}\n")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--max-leaves", "100"]);
    assert_eq!(count(&s, "inserted"), 1);
    assert_outcome(&db, &s, &[], &[("leaf_budget", 1)]);
    let cols = data_column_count(&db, "uf_events");
    assert!(cols <= 100, "uf_events has {cols} data columns");
    // every value is in exactly one place: a column or _overflow
    let (from_columns, from_overflow) = stored_leaves(&db, "uf_events", "wide");
    assert!(from_columns.len() <= 100);
    assert_eq!(
        from_columns.len() + from_overflow.len(),
        5000,
        "{} in columns + {} in _overflow",
        from_columns.len(),
        from_overflow.len()
    );
    let got: BTreeMap<String, Value> = from_columns.into_iter().chain(from_overflow).collect();
    let expected: BTreeMap<String, Value> = (0..5000)
        .map(|i| (format!("$.uf_payload.k{i}"), json!(i)))
        .collect();
    assert_eq!(got.len(), 5000, "no path stored twice");
    assert_eq!(got, expected);
    assert_eq!(stored_payload(&db, "wide"), event);
}

#[test]
fn default_budgets_handle_a_payload_of_100k_keys() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge-keys.ndjson");
    let payload: Map<String, Value> = (0..100_000)
        .map(|i| (format!("key{i}"), json!(i)))
        .collect();
    let event = typed_event("k100k", "uf", Value::Object(payload));
    std::fs::write(&file, format!("{event}\n")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 1);
    assert_eq!(count(&s, "rejected"), 0);
    let issues = issues_by_problem(&db);
    // 100,000 leaves is over the default 10,000
    assert_eq!(issues.get("leaf_budget"), Some(&1), "issues: {issues:?}");
    assert!(
        issues
            .iter()
            .all(|(k, n)| k.ends_with("_budget") && *n == 1),
        "one issue per budget hit: {issues:?}"
    );
    assert!(data_column_count(&db, "uf_events") <= 1000);
    let (from_columns, from_overflow) = stored_leaves(&db, "uf_events", "k100k");
    assert_eq!(from_columns.len() + from_overflow.len(), 100_000);
    assert_eq!(stored_payload(&db, "k100k"), event);
}

#[test]
fn a_payload_that_takes_much_memory_to_parse_is_stored_under_a_small_buffer_limit() {
    // 2,000,000 numbers in 4 MB of text: parsed again by DuckDB as a JSON
    // value they would take more than a 32 MB buffer limit
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wide-array.ndjson");
    let nums: Vec<u8> = (0..2_000_000).map(|i| (i % 10) as u8).collect();
    let event = typed_event("wide", "uf", json!({ "nums": nums }));
    std::fs::write(&file, format!("{event}\n")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--memory-limit", "32MB"]);
    assert_eq!(count(&s, "inserted"), 1);
    assert_eq!(stored_payload(&db, "wide"), event);
}

#[test]
fn array_budget_keeps_the_first_elements_and_the_rest_in_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long-array.ndjson");
    let nums: Vec<i64> = (0..100_000).collect();
    let event = typed_event("arr", "uf", json!({"nums": nums, "label": "long"}));
    std::fs::write(&file, format!("{event}\n")).unwrap();
    let db = dir.path().join("h.duckdb");
    // leaves budget raised so that only the array budget applies
    let s = run_ok(
        &db,
        &[&file],
        &["--max-array-elements", "1000", "--max-leaves", "1000000"],
    );
    assert_eq!(count(&s, "inserted"), 1);
    assert_outcome(&db, &s, &[], &[("array_budget", 1)]);
    let child: Vec<i64> = query(
        &db,
        "SELECT value FROM uf_events__nums WHERE event_id = 'arr'",
    )
    .into_iter()
    .map(|r| r["value"].as_i64().expect("integer value"))
    .collect();
    assert_eq!(child.len(), 1000);
    let (from_columns, from_overflow) = stored_leaves(&db, "uf_events", "arr");
    assert_eq!(
        from_columns,
        vec![("$.uf_payload.label".to_string(), json!("long"))]
    );
    // every number is either a child row or in _overflow, exactly once
    let mut seen = vec![0u32; 100_000];
    for v in child
        .iter()
        .copied()
        .chain(from_overflow.iter().map(|(p, v)| {
            v.as_i64()
                .unwrap_or_else(|| panic!("_overflow leaf {p} = {v} is not an element"))
        }))
    {
        seen[usize::try_from(v).unwrap()] += 1;
    }
    assert!(
        seen.iter().all(|&n| n == 1),
        "{} numbers missing, {} stored twice",
        seen.iter().filter(|&&n| n == 0).count(),
        seen.iter().filter(|&&n| n > 1).count()
    );
}

#[test]
fn depth_budget_keeps_deep_parts_in_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep.ndjson");
    let mut nest = json!({"bottom": "deep-leaf"});
    for _ in 0..50 {
        nest = json!({ "d": nest });
    }
    let event = typed_event("deep", "uf", json!({"shallow": "yes", "nest": nest}));
    std::fs::write(&file, format!("{event}\n")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--max-depth", "10"]);
    assert_eq!(count(&s, "inserted"), 1);
    assert_outcome(&db, &s, &[], &[("depth_budget", 1)]);
    let (from_columns, from_overflow) = stored_leaves(&db, "uf_events", "deep");
    assert_eq!(
        from_columns,
        vec![("$.uf_payload.shallow".to_string(), json!("yes"))]
    );
    assert_eq!(
        from_overflow.iter().map(|(_, v)| v).collect::<Vec<_>>(),
        vec![&json!("deep-leaf")]
    );
    assert_eq!(stored_payload(&db, "deep"), event);
}

#[test]
fn column_budget_with_keys_that_sanitise_to_one_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("collide.ndjson");
    // "a" + one non-ASCII character whose lower case has no ASCII in it:
    // every key's column name is "a" before de-duplication
    let chars: Vec<char> = (0xC0u32..)
        .filter_map(char::from_u32)
        .filter(|c| c.to_lowercase().all(|l| !l.is_ascii()))
        .take(5000)
        .collect();
    let payload: Map<String, Value> = chars
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("a{c}"), json!(i)))
        .collect();
    assert_eq!(payload.len(), 5000);
    let event = typed_event("collide", "uf", Value::Object(payload));
    std::fs::write(&file, format!("{event}\n")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--max-columns", "50"]);
    assert_eq!(count(&s, "inserted"), 1);
    assert_outcome(&db, &s, &[], &[("column_budget", 1)]);
    assert!(data_column_count(&db, "uf_events") <= 50);
    let (from_columns, from_overflow) = stored_leaves(&db, "uf_events", "collide");
    assert!(from_columns.len() <= 50);
    let mut values: Vec<i64> = from_columns
        .iter()
        .chain(&from_overflow)
        .map(|(_, v)| v.as_i64().expect("an integer"))
        .collect();
    values.sort_unstable();
    assert_eq!(values, (0..5000).collect::<Vec<i64>>());
    assert_eq!(stored_payload(&db, "collide"), event);
}

#[test]
fn new_column_budget_caps_columns_created_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many-keys.ndjson");
    // 3 events with 20 distinct keys each: 60 new columns wanted, 30 allowed;
    // event 1 fits, events 2 and 3 go over
    let events: Vec<Value> = (0..3)
        .map(|e| {
            let payload: Map<String, Value> = (0..20)
                .map(|k| (format!("e{e}k{k:02}"), json!(e * 100 + k)))
                .collect();
            typed_event(&format!("nc{e}"), "uf", Value::Object(payload))
        })
        .collect();
    let lines: Vec<String> = events.iter().map(Value::to_string).collect();
    std::fs::write(&file, ndjson(&lines)).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--max-new-columns", "30"]);
    assert_eq!(count(&s, "inserted"), 3);
    assert_outcome(&db, &s, &[], &[("new_column_budget", 2)]);
    assert_eq!(
        scalar(
            &db,
            "SELECT count(DISTINCT event_id) FROM field_issues WHERE event_id IN ('nc1', 'nc2')"
        ),
        2
    );
    assert!(data_column_count(&db, "uf_events") <= 30);
    for e in 0..3 {
        let (from_columns, from_overflow) = stored_leaves(&db, "uf_events", &format!("nc{e}"));
        let got: BTreeMap<String, Value> = from_columns.into_iter().chain(from_overflow).collect();
        let expected: BTreeMap<String, Value> = (0..20)
            .map(|k| (format!("$.uf_payload.e{e}k{k:02}"), json!(e * 100 + k)))
            .collect();
        assert_eq!(got, expected, "event nc{e}");
    }
}

#[test]
fn new_table_budget_caps_tables_created_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("types.ndjson");
    let lines: Vec<String> = (0..300)
        .map(|i| typed_event(&format!("e{i}"), &format!("t{i:03}"), json!({"v": i})).to_string())
        .collect();
    std::fs::write(&file, ndjson(&lines)).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--max-new-tables", "20"]);
    assert_eq!(count(&s, "inserted"), 300);
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 300);
    assert_outcome(&db, &s, &[], &[("new_table_budget", 280)]);
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM duckdb_tables() WHERE regexp_matches(table_name, '^t[0-9]{3}_events$')"
        ),
        20
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM hookstat_tables"), 20);
    assert_eq!(
        scalar(
            &db,
            "SELECT count(DISTINCT event_id) FROM field_issues WHERE problem = 'new_table_budget'"
        ),
        280
    );
}

#[test]
fn table_budget_caps_data_tables_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let night = |name: &str, from: usize, cmb_id: &str| {
        let mut lines = vec![cmb_event(cmb_id, "A", true)];
        lines.extend((from..from + 10).map(|i| {
            typed_event(&format!("u{i}"), &format!("u{i:03}"), json!({"v": i})).to_string()
        }));
        let file = dir.path().join(name);
        std::fs::write(&file, ndjson(&lines)).unwrap();
        file
    };
    // night 1: cmb_requests + 10 event tables = 11 data tables
    let f1 = night("n1.ndjson", 0, "cmb1");
    let s1 = run_ok(&db, &[&f1], &[]);
    assert_eq!(count(&s1, "inserted"), 11);
    assert_eq!(scalar(&db, "SELECT count(*) FROM hookstat_tables"), 11);
    // night 2: 10 more types, room for 4 more tables
    let f2 = night("n2.ndjson", 10, "cmb2");
    let s2 = run_ok(&db, &[&f2], &["--max-tables", "15"]);
    assert_eq!(count(&s2, "inserted"), 11);
    assert_eq!(count(&s2, "rejected"), 0);
    assert_eq!(
        summary_map(&s2, "field_issues_by_problem"),
        want(&[("table_budget", 6)])
    );
    assert_eq!(issues_by_problem(&db), want(&[("table_budget", 6)]));
    assert_eq!(scalar(&db, "SELECT count(*) FROM hookstat_tables"), 15);
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 22);
    // tables that exist keep taking rows
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 2);
}
