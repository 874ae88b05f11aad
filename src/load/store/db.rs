//! Opening the hookstat database and keeping its schema current.

use std::path::{Path, PathBuf};

use duckdb::{AccessMode, Config, Connection};
use thiserror::Error;

/// The rest of the schema, applied after the fixed tables on every
/// read-write open (idempotent).
pub const SCHEMA_SQL: &str = include_str!("../../../sql/schema.sql");

/// Why the database could not be used.
#[derive(Debug, Error)]
pub enum DbError {
    /// Another process holds the database file.
    #[error("database {path} is in use by another process ({detail}); wait for it to finish or use another --db")]
    Locked {
        /// The database file.
        path: PathBuf,
        /// What DuckDB said about the holder.
        detail: String,
    },
    /// A read-only open of a database that does not exist.
    #[error("database {0} does not exist; run `hookstat ingest` first or pass --db")]
    Missing(PathBuf),
    /// A path that is not UTF-8 text: DuckDB opens files by name.
    #[error("database {}: the path is not UTF-8 text, which DuckDB cannot open; rename it", .0.display())]
    NotText(PathBuf),
    /// Anything else DuckDB reported.
    #[error("database {path}: {source}")]
    Duckdb {
        /// The database file.
        path: PathBuf,
        /// The DuckDB error.
        source: duckdb::Error,
    },
}

impl DbError {
    /// Wraps a DuckDB error for `path`, recognising lock conflicts.
    pub fn from_duckdb(path: &Path, source: duckdb::Error) -> DbError {
        let text = source.to_string();
        if text.contains("Could not set lock") || text.contains("Conflicting lock") {
            let detail = text
                .split("Conflicting lock is held in ")
                .nth(1)
                .and_then(|s| s.split(". See also").next())
                .map(|s| format!("held by {}", s.trim_end_matches('.')))
                .unwrap_or_else(|| "file is locked".to_string());
            return DbError::Locked {
                path: path.to_path_buf(),
                detail,
            };
        }
        DbError::Duckdb {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Connection settings for every open: extensions are compiled in, and
/// nothing is ever downloaded at run time.
fn config() -> duckdb::Result<Config> {
    Config::default()
        .with("autoinstall_known_extensions", "false")?
        .with("autoload_known_extensions", "false")
}

/// Opens (creating if needed) the database for writing and applies the
/// schema. `memory_limit` caps DuckDB's buffer pool (e.g. `256MB`); data
/// already written is evicted instead of kept in memory.
pub fn open_for_write(path: &Path, memory_limit: &str) -> Result<Connection, DbError> {
    text_path(path)?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            return Err(DbError::Duckdb {
                path: path.to_path_buf(),
                source: duckdb::Error::InvalidPath(parent.to_path_buf()),
            });
        }
    }
    let conn = config()
        .and_then(|c| c.with("memory_limit", memory_limit))
        .and_then(|c| Connection::open_with_flags(path, c))
        .map_err(|e| DbError::from_duckdb(path, e))?;
    // remembered as given: DuckDB shows its setting rounded
    conn.execute("SET VARIABLE hookstat_memory_limit = ?", [memory_limit])
        .map_err(|e| DbError::from_duckdb(path, e))?;
    apply_schema(&conn).map_err(|e| DbError::from_duckdb(path, e))?;
    Ok(conn)
}

/// A database path DuckDB can open: UTF-8 text.
fn text_path(path: &Path) -> Result<(), DbError> {
    match path.to_str() {
        Some(_) => Ok(()),
        None => Err(DbError::NotText(path.to_path_buf())),
    }
}

/// Creates what is missing of the schema: the fixed tables from their
/// specs (`tables.rs`), then `sql/schema.sql` (run bookkeeping, the
/// registry of flattened tables, the `columns` view). Idempotent.
pub fn apply_schema(conn: &Connection) -> duckdb::Result<()> {
    for spec in super::tables::FIXED_TABLES {
        conn.execute_batch(&spec.create_sql())?;
    }
    conn.execute_batch(SCHEMA_SQL)
}

/// Opens an existing database for writing (`export`, which remembers its
/// phone-column decisions): a mistyped `--db` is an error, never a new
/// empty database.
pub fn open_existing_for_write(path: &Path, memory_limit: &str) -> Result<Connection, DbError> {
    if !path.exists() {
        return Err(DbError::Missing(path.to_path_buf()));
    }
    open_for_write(path, memory_limit)
}

/// Opens an existing database read-only (for `query`, `schema`, `report`).
pub fn open_read_only(path: &Path) -> Result<Connection, DbError> {
    text_path(path)?;
    if !path.exists() {
        return Err(DbError::Missing(path.to_path_buf()));
    }
    let config = config()
        .and_then(|c| c.access_mode(AccessMode::ReadOnly))
        .map_err(|e| DbError::from_duckdb(path, e))?;
    Connection::open_with_flags(path, config).map_err(|e| DbError::from_duckdb(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database of the previous version (no `pending_bytes`, primary key
    /// on `path`) opens and gains the column, keeping its rows.
    #[test]
    fn an_earlier_database_is_upgraded_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.duckdb");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE source_files (path VARCHAR PRIMARY KEY, size BIGINT NOT NULL, modified TIMESTAMP,
                    fingerprint VARCHAR, layout VARCHAR, compressed BOOLEAN NOT NULL, records BIGINT NOT NULL,
                    rejects BIGINT NOT NULL, resume_offset BIGINT, resume_line BIGINT, resume_fingerprint VARCHAR,
                    first_run BIGINT NOT NULL, last_run BIGINT NOT NULL);
                 INSERT INTO source_files VALUES ('a', 1, NULL, NULL, 'lines', false, 3, 0, 1, 1, 'f', 1, 1);",
            )
            .unwrap();
        }
        let conn = open_for_write(&path, "256MB").unwrap();
        let (rows, pending): (i64, Option<i64>) = conn
            .query_row(
                "SELECT count(*), max(pending_bytes) FROM source_files",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((rows, pending), (1, None));
    }
}
