//! Hostile inputs through the binary: NUL and control bytes, several events
//! on one line, pretty-printed records inside concatenated streams, records
//! over the 16 MiB cap, growing files with a half-written tail, payloads
//! that blow the flattening budgets (leaves, array elements, depth, columns,
//! tables), numbers beyond f64, and file names that are not UTF-8.
//!
//! Every expected count comes from how the test built its input. Every
//! summary is checked for `records = inserted + duplicates + rejected`.
//!
//! By input: several records to a line, none, or one over many lines
//! (`framing.rs`), the 16 MiB cap (`cap.rs`), growing files (`growing.rs`),
//! the flattening budgets (`budgets.rs`, reading rows back with
//! `stored.rs`), numbers (`numbers.rs`) and file names (`names.rs`). The
//! helpers here run ingest and check its summary and tables.

mod budgets;
mod cap;
#[path = "../common/mod.rs"]
mod common;
mod framing;
mod growing;
mod names;
mod numbers;
mod stored;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use common::*;
use serde_json::{json, Map, Value};

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
