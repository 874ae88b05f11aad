//! The export folder's files: where a partition lives, moving staged
//! Parquet files into place (a rename, atomic for readers), and removing
//! partitions that no longer exist.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::manifest::PiiManifest;
use super::state::{ExportState, Written};

/// The folder of one partition of `table`.
pub fn partition_dir(out: &Path, table: &str, folder: &str) -> PathBuf {
    out.join(table).join(format!("event_date={folder}"))
}

/// Partition folder -> (its date, rows).
pub type Counts = BTreeMap<String, (Option<String>, i64)>;

/// Removes partitions that no longer exist (e.g. after changing `--tz`).
pub fn remove_stale(
    out: &Path,
    table: &str,
    parts: &Counts,
    done: &mut BTreeMap<String, Written>,
) -> Result<()> {
    let stale: Vec<String> = done
        .keys()
        .filter(|k| !parts.contains_key(*k))
        .cloned()
        .collect();
    for folder in stale {
        let dir = partition_dir(out, table, &folder);
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        done.remove(&folder);
    }
    Ok(())
}

/// Renames the staged files of one partition into place as
/// `{prefix}{i}.parquet`, removes its other files except `kept`, and
/// returns the files it now holds.
pub fn move_into_place(
    staging: &Path,
    out: &Path,
    table: &str,
    folder: &str,
    prefix: &str,
    kept: &[String],
) -> Result<Vec<String>> {
    let from = staging.join(format!("hookstat_partition={folder}"));
    let dir = partition_dir(out, table, folder);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&from)
        .with_context(|| format!("no output for {table} {folder}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let mut holds: Vec<String> = kept.to_vec();
    for (i, file) in files.iter().enumerate() {
        let name = format!("{prefix}{i}.parquet");
        // a rename within one file system is atomic: readers see the old
        // file or the new one, never half of one
        std::fs::rename(file, dir.join(&name))
            .with_context(|| format!("cannot move {} into place", file.display()))?;
        holds.push(name);
    }
    let holds_set: BTreeSet<&String> = holds.iter().collect();
    for old in std::fs::read_dir(&dir)?.filter_map(Result::ok) {
        // a name that is not UTF-8 is never one of ours
        let Ok(name) = old.file_name().into_string() else {
            continue;
        };
        if name.starts_with("part-") && !holds_set.contains(&name) {
            std::fs::remove_file(old.path())?;
        }
    }
    Ok(holds)
}

/// Removes what the export holds of tables that are not among `folders`
/// (tables gone from the database, names written before phone numbers in
/// names were protected): their recorded partitions, then their folder
/// when nothing else is in it, and their state and manifest entries.
pub fn remove_tables(
    out: &Path,
    folders: &[String],
    state: &mut ExportState,
    manifest: &mut PiiManifest,
) -> Result<()> {
    let gone: Vec<String> = state
        .tables
        .keys()
        .filter(|k| !folders.contains(k))
        .cloned()
        .collect();
    for name in gone {
        let Some(mut record) = state.tables.remove(&name) else {
            continue;
        };
        // a name from the state file, never a path
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            continue;
        }
        remove_stale(out, &name, &Counts::new(), &mut record.partitions)?;
        // only an empty folder goes: files that are not ours stay
        let _ = std::fs::remove_dir(out.join(&name));
    }
    manifest.tables.retain(|name, _| folders.contains(name));
    Ok(())
}
