//! `_hookstat_export.json`: what an export folder holds, so that the next
//! export writes only what changed. For each table: the run up to which
//! every recorded partition is complete, each partition's rows, shape
//! signature and files, and the phone-content counts of its columns.
//!
//! The file is rewritten (by rename) before any file of a partition is
//! moved, with that partition left out, so an export stopped half-way is
//! repaired by the next one: a partition missing from the record is
//! rewritten whole.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// Name of the file in the export folder that remembers what was written.
pub const STATE_FILE: &str = "_hookstat_export.json";

/// Version of the layout below; another version is read as no state.
const VERSION: u32 = 2;

/// What an export folder holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExportState {
    version: u32,
    /// The database the folder was written from (`hookstat_meta`).
    #[serde(default)]
    pub database_id: String,
    /// Table name -> its part of the state.
    pub tables: BTreeMap<String, TableState>,
}

/// One table's part of the state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TableState {
    /// Every recorded partition holds exactly its rows of the runs up to
    /// this one (rows are only ever added, by later runs).
    pub through_run: i64,
    /// Partition folder (a date) -> what it holds.
    pub partitions: BTreeMap<String, Written>,
    /// Phone-content counts of the columns examined by content.
    #[serde(default)]
    pub content: ContentCounts,
}

/// What one partition folder holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// Rows in its files.
    pub rows: i64,
    /// Columns, types, protection and zone the files were written with.
    pub signature: String,
    /// Its Parquet files, by name.
    pub files: Vec<String>,
}

/// Phone-content counts of a table's columns over the rows of the runs up
/// to `through_run`: column -> (data type, phone values, non-empty values).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentCounts {
    /// Run up to which the counts are complete (0: none counted).
    pub through_run: i64,
    /// Column -> (data type, phones, values).
    pub columns: BTreeMap<String, (String, i64, i64)>,
}

impl ExportState {
    /// The state of an earlier export into `out` from the database
    /// `database_id`; an empty state when there is none, it is of another
    /// version or another database (everything is then written again).
    pub fn read(out: &Path, database_id: &str) -> ExportState {
        let state = std::fs::read_to_string(out.join(STATE_FILE))
            .ok()
            .and_then(|t| serde_json::from_str::<ExportState>(&t).ok())
            .filter(|s| s.version == VERSION && s.database_id == database_id)
            .unwrap_or_default();
        ExportState {
            database_id: database_id.to_string(),
            ..state
        }
    }

    /// Writes the state (whole, by rename).
    pub fn write(&mut self, out: &Path) -> Result<()> {
        self.version = VERSION;
        let tmp = out.join(format!(".{STATE_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, out.join(STATE_FILE))
            .with_context(|| format!("cannot write the export state in {}", out.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_other_versions() {
        let dir = tempfile::tempdir().unwrap();
        let mut state = ExportState::default();
        let table = state.tables.entry("events".into()).or_default();
        table.through_run = 3;
        table.partitions.insert(
            "2025-08-01".into(),
            Written {
                rows: 7,
                signature: "s".into(),
                files: vec!["part-0.parquet".into()],
            },
        );
        state.database_id = "db1".into();
        state.write(dir.path()).unwrap();
        let back = ExportState::read(dir.path(), "db1");
        assert_eq!(back.tables["events"].through_run, 3);
        assert_eq!(
            back.tables["events"].partitions["2025-08-01"],
            state.tables["events"].partitions["2025-08-01"]
        );
        // written from another database: no state
        assert!(ExportState::read(dir.path(), "db2").tables.is_empty());
        // the layout of earlier versions (folder -> signature) is no state
        std::fs::write(
            dir.path().join(STATE_FILE),
            r#"{"events": {"2025-08-01": "7|abc"}}"#,
        )
        .unwrap();
        assert!(ExportState::read(dir.path(), "db1").tables.is_empty());
    }
}
