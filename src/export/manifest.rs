//! `_hookstat_pii.json`: which columns of each exported table were
//! protected and how. It is also the memory of those decisions: a column
//! protected once stays protected in later exports, even when a night's
//! values look harmless; the database keeps them too (`pii_columns`), so
//! a fresh export folder starts from them.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use duckdb::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::pii::PiiPolicy;

/// Name of the manifest in the export folder.
pub const MANIFEST_FILE: &str = "_hookstat_pii.json";

/// How a column is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// A phone column: every value is protected whole.
    Phone,
    /// Text: phone numbers inside it are protected where they stand.
    Text,
}

/// The manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PiiManifest {
    /// Policy of the last export.
    pub policy: PiiPolicy,
    /// Random id of the hash key (never the key or anything derived from it).
    pub key_id: Option<String>,
    /// Country code given to national numbers.
    pub country_code: String,
    /// Values of phone columns written by the last export that held no
    /// phone number and were hashed (or masked) whole.
    #[serde(default)]
    pub protected_whole: u64,
    /// Table -> column -> decision.
    pub tables: BTreeMap<String, BTreeMap<String, Decision>>,
}

impl PiiManifest {
    /// The manifest of an earlier export into `out`, or an empty one.
    pub fn read(out: &Path) -> PiiManifest {
        std::fs::read_to_string(out.join(MANIFEST_FILE))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(PiiManifest {
                policy: PiiPolicy::Hash,
                key_id: None,
                country_code: String::new(),
                protected_whole: 0,
                tables: BTreeMap::new(),
            })
    }

    /// Writes the manifest (whole, by rename).
    pub fn write(&self, out: &Path) -> Result<()> {
        let tmp = out.join(format!(".{MANIFEST_FILE}.tmp"));
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, out.join(MANIFEST_FILE))
            .with_context(|| format!("cannot write the manifest in {}", out.display()))
    }
}

/// Phone columns of `table` decided by earlier exports (kept in the
/// database, so a fresh export folder keeps them too).
pub fn stored_phone_columns(conn: &Connection, table: &str) -> duckdb::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT column_name FROM pii_columns WHERE table_name = ?")?;
    let rows = stmt.query_map(params![table], |r| r.get(0))?;
    rows.collect()
}

/// Remembers the phone columns of `table` for later exports.
pub fn store_phone_columns(
    conn: &Connection,
    table: &str,
    decided: &BTreeMap<String, Decision>,
) -> duckdb::Result<()> {
    for (column, _) in decided.iter().filter(|(_, d)| **d == Decision::Phone) {
        conn.execute(
            "INSERT OR IGNORE INTO pii_columns VALUES (?, ?, now()::TIMESTAMP)",
            params![table, column],
        )?;
    }
    Ok(())
}
