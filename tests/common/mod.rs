//! Helpers for tests that drive the `hookstat` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub mod pii;

/// A `hookstat` command with a clean environment for the database setting.
pub fn hookstat() -> Command {
    let mut cmd = Command::cargo_bin("hookstat").expect("binary built");
    cmd.env_remove("HOOKSTAT_DB");
    // never the user's own key file
    cmd.env("HOOKSTAT_PII_KEY_FILE", test_key_file());
    cmd
}

/// A key file for the tests' hashes, outside the user's home: one per test
/// process, in cargo's scratch folder of the build (not the system's
/// temporary folder, where every run would leave one behind).
pub fn test_key_file() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("hookstat-tests-{}", std::process::id()))
        .join("pii.key")
}

/// Runs `ingest --json` and returns (exit code, parsed summary or Null, output).
pub fn ingest(db: &Path, paths: &[&Path], extra: &[&str]) -> (i32, Value, Output) {
    let out = hookstat()
        .arg("ingest")
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(extra)
        .args(paths)
        .output()
        .expect("run hookstat");
    let summary = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), summary, out)
}

/// Runs ingest, asserts success, returns the summary.
pub fn ingest_ok(db: &Path, paths: &[&Path]) -> Value {
    let (code, summary, out) = ingest(db, paths, &[]);
    assert_eq!(
        code,
        0,
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    summary
}

/// Runs a query and returns rows as JSON objects.
pub fn query(db: &Path, sql: &str) -> Vec<Value> {
    let out = hookstat()
        .args(["query", "--format", "json", "--db"])
        .arg(db)
        .arg(sql)
        .output()
        .expect("run hookstat");
    assert!(
        out.status.success(),
        "query failed: {sql}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout) {
        Ok(Value::Array(rows)) => rows,
        other => panic!("query output is not a JSON array: {other:?}"),
    }
}

/// A single integer from a query.
pub fn scalar(db: &Path, sql: &str) -> i64 {
    let rows = query(db, sql);
    let row = rows.first().and_then(Value::as_object).expect("one row");
    row.values()
        .next()
        .and_then(Value::as_i64)
        .expect("an integer")
}

/// `{k: n}` maps from a query with columns named `k` (text) and `n`.
pub fn counts(db: &Path, sql: &str) -> std::collections::BTreeMap<String, i64> {
    query(db, sql)
        .into_iter()
        .map(|r| {
            let k = r["k"].as_str().unwrap_or("NULL").to_string();
            (k, r["n"].as_i64().expect("column n is an integer"))
        })
        .collect()
}

/// Writes `sample` output into `dir` and returns the parsed manifest.
pub fn sample(dir: &Path, events: usize, seed: u64, extra: &[&str]) -> Value {
    hookstat()
        .args(["sample", "--out"])
        .arg(dir)
        .args(["--events", &events.to_string(), "--seed", &seed.to_string()])
        .args(extra)
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.join(".hookstat-sample.json")).expect("manifest");
    serde_json::from_str(&text).expect("manifest json")
}

/// The repository's committed sample archive.
pub fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// A compact Call Me Back event line.
pub fn cmb_event(id: &str, config: &str, interested: bool) -> String {
    serde_json::json!({
        "event_id": id,
        "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
        "event_type": "cmb",
        "created_at": "1753945760",
        "cmb_payload": {
            "business_number": "910987654321",
            "feature_set": "Fresh Flower Delivery",
            "client_number": "911234567890",
            "requested_at": "1753945760",
            "requested_date": "2025-08-02",
            "requested_slot": "Saturday",
            "preferred_from_time": "1754116200",
            "preferred_to_time": "1754118000",
            "is_interested": interested,
            "alternate_number": "",
            "cmb_config_name": config
        }
    })
    .to_string()
}

/// NDJSON text: each line followed by a newline.
pub fn ndjson(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// Starts `hookstat ingest` in the background (stderr discarded).
pub fn spawn_ingest(db: &Path, archive: &Path) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("hookstat"))
        .arg("ingest")
        .arg("--db")
        .arg(db)
        .arg(archive)
        .env_remove("HOOKSTAT_DB")
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start hookstat")
}

/// Runs `hookstat report` (from the output's parent folder, so that no
/// `./reports` of the test's working directory is picked up).
pub fn report(db: &Path, out: &Path, extra: &[&str]) -> Output {
    hookstat()
        .arg("report")
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(out)
        .args(extra)
        .current_dir(
            out.parent()
                .expect("an output folder inside the test's folder"),
        )
        .output()
        .expect("run hookstat")
}

/// Weekday names, Monday first, as DuckDB's `dayname` writes them.
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Writes `lines` as one NDJSON archive in `dir`, ingests it into
/// `dir/h.duckdb` and runs `hookstat report --tz tz` into
/// `dir/reports-out`, asserting success; returns the database and the
/// `latest` report folder.
pub fn ingest_and_report(dir: &Path, lines: &[String], tz: &str) -> (PathBuf, PathBuf) {
    let archive = dir.join("in.ndjson");
    std::fs::write(&archive, ndjson(lines)).unwrap();
    let db = dir.join("h.duckdb");
    ingest_ok(&db, &[&archive]);
    let out = dir.join("reports-out");
    let o = report(&db, &out, &["--tz", tz]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (db, out.join("latest"))
}

/// A CSV file as its header and rows of text.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Runs `export --json` into `out` and returns its summary.
pub fn export(db: &Path, out: &Path, extra: &[&str]) -> Value {
    let o = hookstat()
        .args(["export", "--json", "--db"])
        .arg(db)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env_remove("HOOKSTAT_PII_SALT")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `read_parquet` of one exported table, with its partition column.
pub fn parquet(out: &Path, table: &str) -> String {
    format!(
        "read_parquet('{}/{table}/*/*.parquet', hive_partitioning = true)",
        out.display()
    )
}
pub mod mail_night;
pub mod smtp;
pub mod smtp_tls;
