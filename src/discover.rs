//! Stage 1: find the archive files to read.
//!
//! Paths may be files or folders; folders are walked recursively in sorted
//! order, hidden entries (name starting with `.`) are skipped and symbolic
//! links are not followed. The result is sorted and free of duplicates, so
//! "first delivery wins" means first in this order.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use thiserror::Error;
use walkdir::WalkDir;

/// A file found under one of the input paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Absolute path, as stored in `source_files.path` and `events.source_file`.
    pub path: PathBuf,
    /// Size in bytes when discovered.
    pub size: u64,
    /// Last modification time when discovered.
    pub modified: Option<SystemTime>,
}

impl SourceFile {
    /// Modification time as microseconds since 1970 (UTC).
    pub fn modified_micros(&self) -> Option<i64> {
        let d = self.modified?.duration_since(SystemTime::UNIX_EPOCH).ok()?;
        i64::try_from(d.as_micros()).ok()
    }

    /// The path as text, kept exactly: bytes that are not UTF-8 are
    /// written `\xNN` and a backslash `\\`, so two names that differ only
    /// in invalid bytes stay two files.
    pub fn display_path(&self) -> String {
        path_text(&self.path)
    }
}

/// [`SourceFile::display_path`] of any path.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    if !bytes.contains(&b'\\') {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return text.to_string();
        }
    }
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(&chunk.valid().replace('\\', "\\\\"));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// A problem with an input path the user gave; discovery of the other paths
/// still completes, the caller decides whether this is fatal.
#[derive(Debug, Error)]
pub enum DiscoverError {
    /// The path does not exist or cannot be inspected.
    #[error("{path}: {source}")]
    Missing {
        /// The path as given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, sorted by path, each once.
    pub files: Vec<SourceFile>,
    /// Entries inside folders that could not be inspected (path, message).
    pub unreadable: Vec<(PathBuf, String)>,
}

impl Discovery {
    /// Drops the database file, its write-ahead log and its spill folder
    /// (`FILE`, `FILE.wal`, `FILE.tmp/`) when they lie under an input path,
    /// so a database kept next to the archive is never read as input.
    pub fn exclude_database(&mut self, db: &Path) {
        let Some(db) = absolute_lenient(db) else {
            return;
        };
        let with = |suffix: &str| {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            PathBuf::from(name)
        };
        let (wal, tmp) = (with(".wal"), with(".tmp"));
        self.files
            .retain(|f| f.path != db && f.path != wal && !f.path.starts_with(&tmp));
    }
}

/// `path` made absolute with symlinks in its folder resolved, also when
/// the file itself does not exist yet.
fn absolute_lenient(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = std::fs::canonicalize(path) {
        return Some(p);
    }
    let abs = std::path::absolute(path).ok()?;
    let parent = std::fs::canonicalize(abs.parent()?).ok()?;
    Some(parent.join(abs.file_name()?))
}

/// A name starting with `.` (also when the rest of it is not UTF-8).
fn is_hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        let n = n.as_encoded_bytes();
        n.starts_with(b".") && n != b"." && n != b".."
    })
}

/// Walks `inputs` and lists the regular files to read.
///
/// A path that does not exist is an error (a usage mistake); an unreadable
/// entry deep inside a folder is reported in [`Discovery::unreadable`].
pub fn discover(inputs: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    let mut found = Discovery::default();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|source| DiscoverError::Missing {
            path: input.clone(),
            source,
        })?;
        let root = std::fs::canonicalize(input).map_err(|source| DiscoverError::Missing {
            path: input.clone(),
            source,
        })?;
        if meta.is_file() {
            found.files.push(SourceFile {
                path: root,
                size: meta.len(),
                modified: meta.modified().ok(),
            });
            continue;
        }
        let walker = WalkDir::new(&root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.path()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => match e.metadata() {
                    Ok(m) => found.files.push(SourceFile {
                        path: e.into_path(),
                        size: m.len(),
                        modified: m.modified().ok(),
                    }),
                    Err(err) => found.unreadable.push((e.into_path(), err.to_string())),
                },
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                    found.unreadable.push((path, err.to_string()));
                }
            }
        }
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    found.files.dedup_by(|a, b| a.path == b.path);
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn walks_sorted_skips_hidden_and_dedups() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/c")).unwrap();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join("b/c/2.json"), "{}").unwrap();
        fs::write(root.join("a.ndjson"), "").unwrap();
        fs::write(root.join(".hidden.json"), "{}").unwrap();
        fs::write(root.join(".git/x.json"), "{}").unwrap();
        let found = discover(&[root.to_path_buf(), root.join("a.ndjson")]).unwrap();
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| {
                f.path
                    .strip_prefix(fs::canonicalize(root).unwrap())
                    .unwrap()
                    .to_path_buf()
            })
            .collect();
        assert_eq!(
            names,
            vec![PathBuf::from("a.ndjson"), PathBuf::from("b/c/2.json")]
        );
    }

    #[test]
    fn the_database_is_not_input() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["h.duckdb", "h.duckdb.wal", "h.duckdbx", "a.json"] {
            fs::write(root.join(name), "{}").unwrap();
        }
        fs::create_dir_all(root.join("h.duckdb.tmp")).unwrap();
        fs::write(root.join("h.duckdb.tmp/spill"), "x").unwrap();
        let mut found = discover(&[root.to_path_buf()]).unwrap();
        found.exclude_database(&root.join("./h.duckdb"));
        let names: Vec<_> = found
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.json", "h.duckdbx"]);
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = discover(&[PathBuf::from("/definitely/not/here")]).unwrap_err();
        assert!(err.to_string().contains("/definitely/not/here"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("x.json"), "{}").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.json"), dir.path().join("y.json"))
            .unwrap();
        let found = discover(&[dir.path().to_path_buf()]).unwrap();
        assert!(found.files.is_empty(), "{:?}", found.files);
    }
}
