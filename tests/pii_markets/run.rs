//! Driving the binary in an isolated folder, the dropped-in report, and
//! reading files, report CSVs and rows back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::pii::isolated;
use crate::REPORT;

pub struct Run {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub db: PathBuf,
    pub key: PathBuf,
}

impl Run {
    pub fn new() -> Run {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::create_dir_all(root.join("home")).unwrap();
        Run {
            db: root.join("h.duckdb"),
            key: root.join("pii.key"),
            root,
            _dir: dir,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// A command with HOME and the XDG folders inside the temp folder and
    /// no PII environment.
    pub fn cmd(&self) -> assert_cmd::Command {
        isolated(&self.root)
    }

    /// Runs `c`; Err with the exit code and stderr when it fails.
    pub fn run(c: &mut assert_cmd::Command) -> Result<Vec<u8>, String> {
        let o = c.output().map_err(|e| e.to_string())?;
        if o.status.success() {
            Ok(o.stdout)
        } else {
            Err(format!(
                "exit {:?}: {}",
                o.status.code(),
                String::from_utf8_lossy(&o.stderr).trim()
            ))
        }
    }

    pub fn query(&self, sql: &str) -> Result<Vec<Value>, String> {
        let out = Run::run(
            self.cmd()
                .args(["query", "--format", "json", "--db"])
                .arg(&self.db)
                .arg(sql),
        )
        .map_err(|e| format!("{sql}: {e}"))?;
        match serde_json::from_slice(&out) {
            Ok(Value::Array(rows)) => Ok(rows),
            other => Err(format!("{sql}: not a JSON array: {other:?}")),
        }
    }
}

/// The dropped-in report: every column of `uf_events`, with a chart whose
/// x axis is the raw `customer_number`.
pub fn write_report(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join(format!("{REPORT}.sql")),
        "-- title: Ratings per customer number\n\
         -- chart: bars\n\
         -- x: customer_number\n\
         -- y: rating\n\
         SELECT * FROM uf_events ORDER BY event_id;\n",
    )
    .unwrap();
}

/// Every file and folder under `dir`.
pub fn walk(dir: &Path) -> Vec<(PathBuf, bool)> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| (e.path().to_path_buf(), e.file_type().is_file()))
        .collect()
}

/// A report CSV as rows (JSON objects of text; empty cells are null).
pub fn csv_rows(path: &Path) -> Result<Vec<Value>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.map_err(|e| e.to_string())?;
            Ok(Value::Object(
                header
                    .iter()
                    .cloned()
                    .zip(
                        r.iter()
                            .map(|v| if v.is_empty() { Value::Null } else { json!(v) }),
                    )
                    .collect(),
            ))
        })
        .collect()
}

pub type Rows = BTreeMap<String, BTreeMap<String, Vec<Value>>>;

/// Rows of each table by event id.
pub fn by_event(tables: &BTreeMap<String, Vec<Value>>) -> Rows {
    tables
        .iter()
        .map(|(t, rows)| {
            let mut m: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for r in rows {
                let id = r["event_id"].as_str().unwrap_or_default().to_string();
                m.entry(id).or_default().push(r.clone());
            }
            (t.clone(), m)
        })
        .collect()
}
