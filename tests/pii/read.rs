//! Reading outputs back: exported tables as CSV text, rows and columns,
//! partition bytes, the PII manifest, files under a folder, report CSVs
//! and export summaries.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{hookstat, query};

pub fn parquet(out: &Path, table: &str) -> String {
    format!(
        "read_parquet('{}/{table}/**/*.parquet', hive_partitioning = true, union_by_name = true)",
        out.display()
    )
}

/// Table folders of an export (not the hidden staging or state files).
fn table_folders(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.starts_with('_'))
        .collect();
    v.sort();
    v
}

/// `hookstat query --format csv`: the output text.
pub fn query_csv(db: &Path, sql: &str) -> String {
    let o = hookstat()
        .args(["query", "--format", "csv", "--db"])
        .arg(db)
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "query failed: {sql}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Every exported table as CSV text, rows sorted.
pub fn dump(db: &Path, out: &Path) -> BTreeMap<String, String> {
    table_folders(out)
        .into_iter()
        .map(|t| {
            let csv = query_csv(
                db,
                &format!("SELECT * FROM {} ORDER BY ALL", parquet(out, &t)),
            );
            (t, csv)
        })
        .collect()
}

pub type RowKey = (String, Option<i64>);

/// Every exported table's rows, by event id and `_index`.
pub fn rows(db: &Path, out: &Path) -> BTreeMap<String, BTreeMap<RowKey, Value>> {
    table_folders(out)
        .into_iter()
        .map(|t| {
            let rows = query(db, &format!("SELECT * FROM {}", parquet(out, &t)))
                .into_iter()
                .map(|r| {
                    let key = (
                        r["event_id"].as_str().unwrap_or_default().to_string(),
                        r.get("_index").and_then(Value::as_i64),
                    );
                    (key, r)
                })
                .collect();
            (t, rows)
        })
        .collect()
}

/// The columns of an exported table.
pub fn schema(db: &Path, out: &Path, table: &str) -> BTreeSet<String> {
    query(
        db,
        &format!(
            "SELECT column_name FROM (DESCRIBE SELECT * FROM {})",
            parquet(out, table)
        ),
    )
    .into_iter()
    .map(|r| r["column_name"].as_str().unwrap().to_string())
    .collect()
}

/// Parquet bytes of every partition: `table/event_date=…` -> bytes.
pub fn partitions(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut map = BTreeMap::new();
    for table in table_folders(out) {
        for part in std::fs::read_dir(out.join(&table)).unwrap() {
            let part = part.unwrap();
            let name = part.file_name().to_string_lossy().into_owned();
            if !name.starts_with("event_date=") {
                continue;
            }
            let mut files: Vec<PathBuf> = std::fs::read_dir(part.path())
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
                .collect();
            files.sort();
            let bytes = files
                .iter()
                .flat_map(|f| std::fs::read(f).unwrap())
                .collect();
            map.insert(format!("{table}/{name}"), bytes);
        }
    }
    map
}

pub fn manifest(out: &Path) -> Value {
    let path = out.join("_hookstat_pii.json");
    let content = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("no manifest {}: {e}", path.display()));
    serde_json::from_str(&content).unwrap()
}

/// Every file under `dir` (walked) whose name ends in one of `exts`.
pub fn files_under(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .filter(|p| exts.is_empty() || exts.iter().any(|x| p.to_string_lossy().ends_with(x)))
        .collect()
}

/// A report CSV as rows of column -> cell.
fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// Rows of a report CSV keyed like exported rows (`_index` and the
/// optional `src` column name the child row).
pub fn csv_rows(path: &Path, src: Option<&str>) -> BTreeMap<RowKey, Value> {
    read_csv(path)
        .into_iter()
        .filter(|r| src.is_none_or(|s| r.get("src").map(String::as_str) == Some(s)))
        .map(|r| {
            let key = (
                r["event_id"].clone(),
                r.get("_index").and_then(|i| i.parse().ok()),
            );
            let obj: serde_json::Map<String, Value> = r
                .into_iter()
                .map(|(k, v)| (k, if v.is_empty() { Value::Null } else { json!(v) }))
                .collect();
            (key, Value::Object(obj))
        })
        .collect()
}

pub fn summary_count(s: &Value, field: &str) -> usize {
    s[field]
        .as_u64()
        .unwrap_or_else(|| panic!("export summary has no {field}: {s}")) as usize
}
