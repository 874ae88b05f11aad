//! Stage 8: Parquet export for BI tools. One folder per table,
//! Hive-partitioned by event date (`event_date=YYYY-MM-DD/`, the local date
//! of the event's `created_at` in `--tz`), zstd, 122,880-row row groups, timestamps
//! as TIMESTAMP WITH TIME ZONE. Incremental, at the cost of what the night
//! added: a partition that only gained rows gets one more file holding the
//! rows of the newer runs; it is rewritten whole when the table's columns
//! or types, the PII policy or the zone changed (or after 16 files). The
//! changed partitions of a table are written by DuckDB `COPY …
//! PARTITION_BY` into a hidden staging folder, then each file is renamed
//! into place (atomic), so readers never see half a file.

mod by_date;
mod files;
mod manifest;
mod partitions;
mod shape;
mod staged_copy;
mod state;

use std::path::PathBuf;

use anyhow::{Context, Result};
use duckdb::Connection;
use serde::Serialize;

use crate::pii::{udf, Protector};
use manifest::PiiManifest;
use shape::TableShape;
use state::ExportState;
pub use state::STATE_FILE;

/// Folder name of rows without a date (Hive's convention).
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Target folder.
    pub out: PathBuf,
    /// Only these tables (None: all).
    pub tables: Option<Vec<String>>,
    /// How phone numbers are protected.
    pub protector: Protector,
    /// Zone whose local date partitions the event tables.
    pub tz: chrono_tz::Tz,
}

/// What an export did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    /// Tables exported.
    pub tables: usize,
    /// Partitions written this time.
    pub partitions_written: usize,
    /// Partitions already up to date.
    pub partitions_unchanged: usize,
    /// Rows in the partitions written.
    pub rows_written: u64,
    /// The hash key differs from the one of the last export into this
    /// folder: every hashed value changed (what, in words).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_changed: Option<String>,
}

/// The tables to export: events, the flattened tables, and whether each is
/// a child table (dated through its event).
fn tables(conn: &Connection) -> duckdb::Result<Vec<(String, bool)>> {
    let mut out = vec![
        ("events".to_string(), false),
        ("cmb_requests".to_string(), false),
    ];
    let mut stmt = conn.prepare(
        "SELECT table_name, parent_table IS NOT NULL FROM hookstat_tables ORDER BY table_name",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))? {
        let row = row?;
        if !out.iter().any(|(n, _)| n == &row.0) {
            out.push(row);
        }
    }
    Ok(out)
}

/// Exports the database into `opts.out`.
pub fn export(conn: &Connection, opts: &ExportOptions) -> Result<ExportSummary> {
    // DuckDB's COPY writes files by name
    if opts.out.to_str().is_none() {
        anyhow::bail!(
            "{}: the export folder's path is not UTF-8 text, which DuckDB cannot write to; choose another --out",
            opts.out.display()
        );
    }
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    udf::register(conn, &opts.protector)?;
    let mut manifest = PiiManifest::read(&opts.out);
    let key_changed = key_change(&manifest, &opts.protector);
    // local dates: the same offset table and `local_ts` macro as the reports
    let span = crate::tz::install_for_events(conn, opts.tz)?;
    let database_id: String = conn.query_row(
        "SELECT value FROM hookstat_meta WHERE key = 'database_id'",
        [],
        |r| r.get(0),
    )?;
    let mut state = ExportState::read(&opts.out, &database_id);
    // the newest run: every partition written now holds its rows up to it
    let now_run: i64 = conn.query_row("SELECT coalesce(max(run_id), 0) FROM events", [], |r| {
        r.get(0)
    })?;
    let all = tables(conn)?;
    if let Some(wanted) = &opts.tables {
        for name in wanted {
            if !all.iter().any(|(t, _)| t == name) {
                let names: Vec<_> = all.iter().map(|(t, _)| t.as_str()).collect();
                anyhow::bail!("no table named {name:?}; tables: {}", names.join(", "));
            }
        }
    }
    let mut summary = ExportSummary {
        key_changed,
        ..ExportSummary::default()
    };
    let protector = &opts.protector;
    let writers = by_date::Writers::open(conn, protector, opts.tz, span)?;
    // what the protected values depend on: policy, key (by its random id)
    // and the country code of national numbers
    let protection = format!(
        "{}|{}|{}|rules {}",
        protector.policy.name(),
        protector.key.as_ref().map_or("", |k| k.id.as_str()),
        protector.country_code(),
        crate::pii::RULES_VERSION
    );
    let folders = folder_names(&all, protector);
    for ((table, is_child), folder) in all.iter().cloned().zip(&folders) {
        if opts.tables.as_ref().is_some_and(|w| !w.contains(&table)) {
            continue;
        }
        summary.tables += 1;
        let counts = &mut state.tables.entry(folder.clone()).or_default().content;
        let shape = TableShape::of(
            conn,
            &table,
            is_child,
            protector,
            &mut manifest,
            counts,
            now_run,
        )?;
        let shape = TableShape {
            signature: format!("{}|{protection}|{}", shape.signature, opts.tz.name()),
            ..shape
        };
        let target = partitions::Target {
            out: &opts.out,
            table: &table,
            folder,
            shape: &shape,
            now_run,
            writers: &writers,
        };
        partitions::export_table(conn, &target, &mut state, &mut summary)?;
    }
    if opts.tables.is_none() {
        // tables exported before under another folder name (a name with a
        // phone number written before names were protected, a dropped
        // table): their folders go, so no old name stays in the export
        files::remove_tables(&opts.out, &folders, &mut state, &mut manifest)?;
    }
    manifest.policy = protector.policy;
    manifest.key_id = protector.key.as_ref().map(|k| k.id.clone());
    manifest.country_code = protector.country_code();
    manifest.protected_whole = protector.protected_whole();
    manifest.write(&opts.out)?;
    state.write(&opts.out)?;
    Ok(summary)
}

/// Each table's folder in the export: its name with phone numbers
/// protected, made unique (masked numbers of two tables may read alike).
fn folder_names(tables: &[(String, bool)], protector: &Protector) -> Vec<String> {
    let mut used = std::collections::BTreeSet::new();
    tables
        .iter()
        .map(|(table, _)| {
            let base = protector.name(table).into_owned();
            let mut name = base.clone();
            let mut n = 1;
            while !used.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            name
        })
        .collect()
}

/// A warning when the folder was last exported with hashes under another
/// key (a lost or replaced key file): the hashes of tonight's files do not
/// match the earlier ones, and joins across nights break.
fn key_change(manifest: &PiiManifest, protector: &Protector) -> Option<String> {
    let before = manifest.key_id.as_deref()?;
    let now = protector.key.as_ref().map(|k| k.id.as_str())?;
    (manifest.policy == crate::pii::PiiPolicy::Hash
        && protector.policy == crate::pii::PiiPolicy::Hash
        && before != now)
        .then(|| {
            format!(
                "the hash key changed (key id {before} before, {now} now): every hashed phone number in the export changed, so joins with earlier files or copies break; if the key file was lost or replaced by mistake, restore it and export again"
            )
        })
}
