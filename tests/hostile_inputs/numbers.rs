//! Numbers beyond f64: numeric event ids keep every digit, out-of-range
//! values are NULL cells with a field issue.

use serde_json::{json, Value};

use super::common::*;
use super::{assert_outcome, count, event_ids, ids, run_ok, typed_event};

#[test]
fn numeric_event_ids_keep_every_digit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("numeric-ids.ndjson");
    let a = "12345678901234567890123";
    let b = "12345678901234567890124";
    let line = |id: &str| {
        format!(
            r#"{{"event_id":{id},"event_type":"uf","created_at":"1753945760","uf_payload":{{"n":1}}}}"#
        )
    };
    std::fs::write(&file, ndjson(&[line(a), line(b)])).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_eq!(count(&s, "duplicates"), 0);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&[a.to_string(), b.to_string()]));
    assert_eq!(
        scalar(&db, "SELECT count(DISTINCT event_id) FROM uf_events"),
        2
    );
}

#[test]
fn out_of_range_numbers_are_null_cells_and_field_issues() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inf.ndjson");
    let r1 = typed_event("r1", "uf", json!({"x": 1.5, "y": 2.5, "z": 3})).to_string();
    let r2 = r#"{"event_id":"r2","event_type":"uf","created_at":"1753945760","uf_payload":{"x":1e999,"y":-1e999,"z":4}}"#;
    std::fs::write(&file, ndjson(&[r1, r2.to_string()])).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_outcome(&db, &s, &[], &[("number_out_of_range", 2)]);
    let rows = query(
        &db,
        "SELECT event_id, x, y, z FROM uf_events ORDER BY event_id",
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["x"], json!(1.5));
    assert_eq!(rows[1]["x"], Value::Null);
    assert_eq!(rows[1]["y"], Value::Null);
    assert_eq!(rows[1]["z"], json!(4));
    let issues = query(
        &db,
        "SELECT event_id, field FROM field_issues ORDER BY field",
    );
    assert!(issues.iter().all(|r| r["event_id"] == "r2"));
    let fields: Vec<&str> = issues
        .iter()
        .map(|r| r["field"].as_str().unwrap())
        .collect();
    assert!(
        fields[0].ends_with('x') && fields[1].ends_with('y'),
        "issue fields: {fields:?}"
    );
}
