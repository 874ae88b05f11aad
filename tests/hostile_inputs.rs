//! Hostile inputs through the binary: NUL and control bytes, several events
//! on one line, pretty-printed records inside concatenated streams, records
//! over the 16 MiB cap, growing files with a half-written tail, payloads
//! that blow the flattening budgets (leaves, array elements, depth, columns,
//! tables), numbers beyond f64, and file names that are not UTF-8.
//!
//! Every expected count comes from how the test built its input. Every
//! summary is checked for `records = inserted + duplicates + rejected`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------- helpers

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A count from the `--json` summary: `counts.<key>`, or `<key>` at the top
/// level when the counts are flattened into the summary object.
fn count(s: &Value, key: &str) -> i64 {
    s.get("counts")
        .and_then(|c| c.get(key))
        .or_else(|| s.get(key))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("summary has no integer counts.{key}: {s}"))
}

/// A `{name: n}` map from the summary (`rejected_by_reason`, ...), zeros left out.
fn summary_map(s: &Value, key: &str) -> BTreeMap<String, i64> {
    let map = s
        .get("counts")
        .and_then(|c| c.get(key))
        .or_else(|| s.get(key))
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("summary has no object counts.{key}: {s}"));
    map.iter()
        .map(|(k, v)| (k.clone(), v.as_i64().expect("an integer count")))
        .filter(|(_, n)| *n != 0)
        .collect()
}

fn want(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

/// Runs `ingest --json` with `extra` flags and checks the summary invariant.
fn run(db: &Path, paths: &[&Path], extra: &[&str]) -> (i32, Value) {
    let (code, s, out) = ingest(db, paths, extra);
    assert!(
        s.is_object(),
        "no JSON summary (exit {code}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        count(&s, "records"),
        count(&s, "inserted") + count(&s, "duplicates") + count(&s, "rejected"),
        "records = inserted + duplicates + rejected: {s}"
    );
    (code, s)
}

/// `run` that must exit 0.
fn run_ok(db: &Path, paths: &[&Path], extra: &[&str]) -> Value {
    let (code, s) = run(db, paths, extra);
    assert_eq!(code, 0, "ingest exit status: {s}");
    s
}

fn rejects_by_reason(db: &Path) -> BTreeMap<String, i64> {
    counts(
        db,
        "SELECT reason AS k, count(*) AS n FROM rejects GROUP BY 1",
    )
}

fn issues_by_problem(db: &Path) -> BTreeMap<String, i64> {
    counts(
        db,
        "SELECT problem AS k, count(*) AS n FROM field_issues GROUP BY 1",
    )
}

/// For a database holding one run: the `rejects` and `field_issues` tables
/// and the summary all say exactly `rejects` / `issues`.
fn assert_outcome(db: &Path, s: &Value, rejects: &[(&str, i64)], issues: &[(&str, i64)]) {
    let (rejects, issues) = (want(rejects), want(issues));
    assert_eq!(rejects_by_reason(db), rejects, "rejects table by reason");
    assert_eq!(
        summary_map(s, "rejected_by_reason"),
        rejects,
        "summary rejected_by_reason"
    );
    assert_eq!(count(s, "rejected"), rejects.values().sum::<i64>());
    assert_eq!(issues_by_problem(db), issues, "field_issues by problem");
    assert_eq!(
        summary_map(s, "field_issues_by_problem"),
        issues,
        "summary field_issues_by_problem"
    );
    assert_eq!(count(s, "field_issues"), issues.values().sum::<i64>());
}

/// The event ids in `events`.
fn event_ids(db: &Path) -> BTreeSet<String> {
    query(db, "SELECT event_id FROM events")
        .into_iter()
        .map(|r| r["event_id"].as_str().expect("text event_id").to_string())
        .collect()
}

fn ids(v: &[String]) -> BTreeSet<String> {
    v.iter().cloned().collect()
}

/// An event of `event_type` with its `<type>_payload`, as a JSON value.
fn typed_event(id: &str, event_type: &str, payload: Value) -> Value {
    let mut m = Map::new();
    m.insert("event_id".into(), json!(id));
    m.insert("event_type".into(), json!(event_type));
    m.insert("client_account_id".into(), json!("acc"));
    m.insert("created_at".into(), json!("1753945760"));
    m.insert(format!("{event_type}_payload"), payload);
    Value::Object(m)
}

fn pretty_cmb(id: &str) -> String {
    let v: Value = serde_json::from_str(&cmb_event(id, "A", true)).unwrap();
    serde_json::to_string_pretty(&v).unwrap()
}

/// Fixed (non-data) columns of a `<type>_events` table.
const FIXED: &[&str] = &["event_id", "client_account_id", "created_at", "_overflow"];

/// Number of data columns of `table` (fixed columns and `_overflow` excluded).
fn data_column_count(db: &Path, table: &str) -> i64 {
    scalar(
        db,
        &format!(
            "SELECT count(*) FROM columns WHERE table_name = '{table}'
             AND column_name NOT IN ('event_id', 'client_account_id', 'created_at', '_overflow')"
        ),
    )
}

/// (JSON path, value) pairs.
type Leaves = Vec<(String, Value)>;

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
fn stored_leaves(db: &Path, table: &str, event_id: &str) -> (Leaves, Leaves) {
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
fn stored_payload(db: &Path, event_id: &str) -> Value {
    let rows = query(
        db,
        &format!("SELECT payload::VARCHAR AS p FROM events WHERE event_id = '{event_id}'"),
    );
    assert_eq!(rows.len(), 1, "one events row for {event_id}");
    serde_json::from_str(rows[0]["p"].as_str().unwrap()).unwrap()
}

/// A string field value that takes about `bytes` bytes as JSON text and is
/// full of braces and escaped quotes (`}{\"x`), so that only a framer that
/// tracks strings finds where the record ends.
fn filler(bytes: usize) -> String {
    "}{\"x".repeat(bytes / 5)
}

/// A single event whose JSON text is over the 16 MiB cap (about 18 MB).
fn huge_event(id: &str) -> String {
    let text = typed_event(id, "uf", json!({"blob": filler(18_000_000)})).to_string();
    assert!(text.len() > 16 * 1024 * 1024 + 1_000_000);
    assert!(!text.contains('\n'));
    text
}

// ----------------------------------------------------- 1. NUL and control bytes

#[test]
fn nul_byte_line_near_the_start_is_one_invalid_json_reject() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("day.ndjson");
    // line 1 event, line 2 blank, line 3 garbage with NUL, then event/blank
    // pairs: 300 events + 299 blank lines + 1 garbage line = 600 lines
    let mut bytes = Vec::new();
    let mut want_ids = Vec::new();
    bytes.extend(format!("{}\n\n", cmb_event("n0", "A", true)).as_bytes());
    want_ids.push("n0".to_string());
    bytes.extend(b"garbage\0more\n");
    for i in 1..300 {
        let id = format!("n{i}");
        bytes.extend(cmb_event(&id, "A", i % 2 == 0).as_bytes());
        bytes.push(b'\n');
        if i < 299 {
            bytes.push(b'\n');
        }
        want_ids.push(id);
    }
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 600);
    std::fs::write(&file, &bytes).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 300);
    assert_eq!(count(&s, "records"), 301);
    assert_outcome(&db, &s, &[("invalid_json", 1)], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 300);
    let rej = query(&db, "SELECT source_location, raw FROM rejects");
    assert_eq!(rej[0]["source_location"], "line 3");
    let raw = rej[0]["raw"].as_str().unwrap();
    assert!(raw.contains("garbage\\x00more"), "raw escapes NUL: {raw:?}");
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM source_files WHERE layout = 'lines'"
        ),
        1
    );
}

#[test]
fn raw_control_byte_inside_a_string_rejects_only_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ctl.ndjson");
    let mut bytes = Vec::new();
    let mut want_ids = Vec::new();
    for i in 0..20 {
        match i {
            // JSON forbids unescaped control characters inside strings
            1 => bytes.extend(
                b"{\"event_id\":\"ctl1\",\"event_type\":\"cmb\",\"created_at\":\"1753945760\",\"note\":\"a\x01b\"}\n",
            ),
            10 => bytes.extend(
                b"{\"event_id\":\"ctl2\",\"event_type\":\"uf\",\"uf_payload\":{\"t\":\"x\x00y\x1fz\"}}\n",
            ),
            _ => {
                let id = format!("c{i}");
                bytes.extend(format!("{}\n", cmb_event(&id, "A", true)).as_bytes());
                want_ids.push(id);
            }
        }
    }
    std::fs::write(&file, &bytes).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 18);
    assert_outcome(&db, &s, &[("invalid_json", 2)], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
    let locs: BTreeSet<String> = query(&db, "SELECT source_location FROM rejects")
        .into_iter()
        .map(|r| r["source_location"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        locs,
        ["line 2", "line 11"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}

// ------------------------------------------------- 2. two events on one line

#[test]
fn two_events_on_one_line_both_load() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doubled.ndjson");
    let mut text = String::new();
    let mut want_ids = Vec::new();
    for i in 0..50 {
        let a = format!("d{i}");
        want_ids.push(a.clone());
        if i % 10 == 3 {
            let b = format!("d{i}b");
            want_ids.push(b.clone());
            let sep = if i % 20 == 3 { "" } else { " " };
            text.push_str(&format!(
                "{}{sep}{}\n",
                cmb_event(&a, "A", true),
                cmb_event(&b, "B", false)
            ));
        } else {
            text.push_str(&format!("{}\n", cmb_event(&a, "A", true)));
        }
    }
    assert_eq!(text.lines().count(), 50);
    assert_eq!(want_ids.len(), 55);
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 55);
    assert_eq!(count(&s, "duplicates"), 0);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
}

// --------------------------- 3. concatenated streams with multi-line records

#[test]
fn firehose_gzip_with_pretty_printed_records_loads_everything() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("firehose-object");
    // the first 10 records are newline-separated (it looks like NDJSON), the
    // other 620 are concatenated without separators, every 50th pretty-printed
    let mut text = String::new();
    let mut want_ids = Vec::new();
    for i in 0..630 {
        let id = format!("f{i}");
        if i < 10 {
            text.push_str(&cmb_event(&id, "A", true));
            text.push('\n');
        } else if i % 50 == 0 {
            text.push_str(&pretty_cmb(&id));
        } else {
            text.push_str(&cmb_event(&id, "B", i % 3 == 0));
        }
        want_ids.push(id);
    }
    assert!(text.starts_with(&format!("{}\n", cmb_event("f0", "A", true))));
    std::fs::write(&file, gzip(text.as_bytes())).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 630);
    assert_eq!(count(&s, "records"), 630);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 630);
}

#[test]
fn ndjson_that_turns_concatenated_and_multi_line_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.ndjson");
    let mut text = String::new();
    let mut want_ids = Vec::new();
    for i in 0..100 {
        let id = format!("n{i}");
        text.push_str(&format!("{}\n", cmb_event(&id, "A", true)));
        want_ids.push(id);
    }
    // 20 events on one line, no separators
    for i in 0..20 {
        let id = format!("c{i}");
        text.push_str(&cmb_event(&id, "B", false));
        want_ids.push(id);
    }
    text.push('\n');
    // 5 pretty-printed events, one after the other
    for i in 0..5 {
        let id = format!("m{i}");
        text.push_str(&format!("{}\n", pretty_cmb(&id)));
        want_ids.push(id);
    }
    for i in 0..10 {
        let id = format!("z{i}");
        text.push_str(&format!("{}\n", cmb_event(&id, "A", false)));
        want_ids.push(id);
    }
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 135);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
}

// ------------------------------------------------------- 4. the 16 MiB cap

#[test]
fn oversize_line_is_one_too_large_reject_between_valid_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ndjson");
    let mut text = String::new();
    for id in ["b1", "b2", "b3"] {
        text.push_str(&format!("{}\n", cmb_event(id, "A", true)));
    }
    text.push_str(&huge_event("huge"));
    text.push('\n');
    for id in ["b5", "b6"] {
        text.push_str(&format!("{}\n", cmb_event(id, "A", true)));
    }
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 5);
    assert_outcome(&db, &s, &[("too_large", 1)], &[]);
    let want_ids: Vec<String> = ["b1", "b2", "b3", "b5", "b6"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(event_ids(&db), ids(&want_ids));
    let loc = query(&db, "SELECT source_location FROM rejects");
    assert_eq!(loc[0]["source_location"], "line 4");
}

#[test]
fn oversize_record_in_concatenated_streams_is_one_too_large_reject() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("archive");
    std::fs::create_dir_all(&arc).unwrap();
    // the same record sequence twice: a gzip Firehose object and a plain
    // concatenated file (ending in a newline, so nothing is pending)
    let before = [cmb_event("x1", "A", true), cmb_event("x2", "A", false)];
    let after = [cmb_event("x4", "B", true), cmb_event("x5", "B", false)];
    let offset: usize = before.iter().map(String::len).sum();
    let stream = |prefix: &str| -> String {
        let rename = |s: &String| s.replace("\"x", &format!("\"{prefix}x"));
        let mut t: String = before.iter().map(rename).collect();
        t.push_str(&huge_event(&format!("{prefix}huge")));
        t.extend(after.iter().map(rename));
        t
    };
    std::fs::write(arc.join("firehose-object"), gzip(stream("g").as_bytes())).unwrap();
    let mut plain = stream("p");
    plain.push('\n');
    std::fs::write(arc.join("plain-concat.json"), plain).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&arc], &[]);
    assert_eq!(count(&s, "inserted"), 8);
    assert_outcome(&db, &s, &[("too_large", 2)], &[]);
    let want_ids: Vec<String> = ["g", "p"]
        .iter()
        .flat_map(|p| ["x1", "x2", "x4", "x5"].map(|x| format!("{p}{x}")))
        .collect();
    assert_eq!(event_ids(&db), ids(&want_ids));
    let locs: Vec<String> = query(&db, "SELECT source_location FROM rejects")
        .into_iter()
        .map(|r| r["source_location"].as_str().unwrap().to_string())
        .collect();
    // the prefix adds one byte to each id before the huge record
    let want_loc = format!("byte {}", offset + before.len());
    assert_eq!(locs, vec![want_loc.clone(), want_loc]);
}

#[test]
fn oversize_element_of_a_json_array_is_one_too_large_reject() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    let text = format!(
        "[\n{},\n{},\n{}\n]\n",
        cmb_event("a1", "A", true),
        huge_event("ahuge"),
        cmb_event("a3", "A", false)
    );
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_outcome(&db, &s, &[("too_large", 1)], &[]);
    assert_eq!(event_ids(&db), ids(&["a1".to_string(), "a3".to_string()]));
}

// --------------------------------------------------------- 5. growing files

/// The complete event whose first bytes are the half-written tail.
const P2_FULL: &str = r#"{"event_id":"p2","created_at":"1753945760","event_type":"uf","client_account_id":"acc","uf_payload":{"answer":"yes"}}"#;
const P2_TAIL: &str = r#"{"event_id":"p2","crea"#;

fn pending_in_source_files(db: &Path, name: &str) -> i64 {
    scalar(
        db,
        &format!(
            "SELECT coalesce(pending_bytes, 0) FROM source_files WHERE ends_with(path, '{name}')"
        ),
    )
}

#[test]
fn half_written_tail_is_pending_then_loads_once_complete() {
    assert!(P2_FULL.starts_with(P2_TAIL));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("growing.ndjson");
    let head = ndjson(&[
        cmb_event("p0", "A", true),
        cmb_event("p1", "A", false),
        cmb_event("p1b", "B", true),
    ]);
    std::fs::write(&file, format!("{head}{P2_TAIL}")).unwrap();
    let db = dir.path().join("h.duckdb");
    // run 1: the tail is young (default settle time 24h), so it waits
    let s1 = run_ok(&db, &[&file], &["--strict"]);
    assert_eq!(count(&s1, "inserted"), 3);
    assert_eq!(count(&s1, "pending_bytes"), P2_TAIL.len() as i64);
    assert_outcome(&db, &s1, &[], &[]);
    assert_eq!(
        pending_in_source_files(&db, "growing.ndjson"),
        P2_TAIL.len() as i64
    );
    assert!(!event_ids(&db).contains("p2"));
    // the writer finishes the line
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    writeln!(f, "{}", &P2_FULL[P2_TAIL.len()..]).unwrap();
    drop(f);
    let s2 = run_ok(&db, &[&file], &["--strict"]);
    assert_eq!(count(&s2, "inserted"), 1);
    assert_eq!(count(&s2, "rejected"), 0);
    assert_eq!(count(&s2, "pending_bytes"), 0);
    assert_eq!(pending_in_source_files(&db, "growing.ndjson"), 0);
    assert_eq!(rejects_by_reason(&db), want(&[]));
    assert_eq!(
        event_ids(&db),
        ids(&["p0", "p1", "p1b", "p2"].map(String::from))
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM uf_events WHERE event_id = 'p2'"),
        1
    );
}

#[test]
fn settle_time_zero_makes_an_incomplete_tail_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stuck.ndjson");
    let head = ndjson(&[cmb_event("s0", "A", true), cmb_event("s1", "A", false)]);
    std::fs::write(&file, format!("{head}{P2_TAIL}")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--settle-time", "0s"]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_eq!(count(&s, "pending_bytes"), 0);
    assert_outcome(&db, &s, &[("truncated", 1)], &[]);
    assert_eq!(
        query(&db, "SELECT source_location FROM rejects")[0]["source_location"],
        "line 3"
    );
    let strict_db = dir.path().join("strict.duckdb");
    let (code, _) = run(&strict_db, &[&file], &["--settle-time", "0s", "--strict"]);
    assert_eq!(code, 1, "--strict with a truncated record exits 1");
}

#[test]
fn gzip_ending_mid_record_is_truncated_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("day.ndjson.gz");
    let text = format!(
        "{}{P2_TAIL}",
        ndjson(&[cmb_event("z0", "A", true), cmb_event("z1", "A", false)])
    );
    std::fs::write(&file, gzip(text.as_bytes())).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_eq!(count(&s, "pending_bytes"), 0);
    assert_outcome(&db, &s, &[("truncated", 1)], &[]);
    assert_eq!(pending_in_source_files(&db, "day.ndjson.gz"), 0);
}

// --------------------------------------------------------------- 6. budgets

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

// --------------------------------------------------------------- 7. numbers

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

// ---------------------------------------------------- 8. non-UTF-8 file names

#[cfg(unix)]
#[test]
fn file_names_differing_only_in_invalid_utf8_are_two_files() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("archive");
    std::fs::create_dir_all(&arc).unwrap();
    std::fs::write(
        arc.join(OsStr::from_bytes(b"a\xff.ndjson")),
        ndjson(&[cmb_event("ff1", "A", true), cmb_event("ff2", "A", true)]),
    )
    .unwrap();
    std::fs::write(
        arc.join(OsStr::from_bytes(b"a\xfe.ndjson")),
        ndjson(&[cmb_event("fe1", "B", true), cmb_event("fe2", "B", true)]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&arc], &[]);
    assert_eq!(count(&s, "inserted"), 4);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(
        event_ids(&db),
        ids(&["fe1", "fe2", "ff1", "ff2"].map(String::from))
    );
    assert_eq!(
        scalar(&db, "SELECT count(DISTINCT path) FROM source_files"),
        2
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM source_files"), 2);
    assert_eq!(
        scalar(&db, "SELECT count(DISTINCT source_file) FROM events"),
        2
    );
}
