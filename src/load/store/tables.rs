//! The fixed tables hookstat appends to, each declared once: columns in
//! table order with their kinds, NOT NULL and primary key. The DDL, the
//! Arrow schema and the row writer all come from these specs; the tests
//! compare them with the database.

use super::batch::{Batch, Kind};
use crate::sql::quote;
use Kind::*;

/// A fixed table: the one declaration from which its DDL
/// ([`TableSpec::create_sql`]), its Arrow schema and its row writer
/// ([`Batch`], which stops on a cell of the wrong kind) come.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// Table name.
    pub name: &'static str,
    /// A per-run temp table (created anew each run).
    pub temp: bool,
    /// Columns in table order.
    pub columns: &'static [(&'static str, Kind)],
    /// Columns that may not be NULL.
    pub not_null: &'static [&'static str],
    /// Primary key columns (none: uniqueness is kept by the loader).
    pub primary_key: &'static [&'static str],
}

impl TableSpec {
    /// `CREATE TABLE IF NOT EXISTS` (or, for a temp table, `CREATE OR
    /// REPLACE TEMP TABLE`) with types, NOT NULL and the primary key.
    /// Original JSON documents are stored zstd-compressed: on webhook
    /// payloads DuckDB's default string compression (FSST and dictionary)
    /// took 2.3 times as long and 3.4 times the space.
    pub fn create_sql(&self) -> String {
        let mut parts: Vec<String> = self
            .columns
            .iter()
            .map(|(name, kind)| {
                let not_null = if self.not_null.contains(name) {
                    " NOT NULL"
                } else {
                    ""
                };
                let compression = if *kind == Json {
                    " USING COMPRESSION zstd"
                } else {
                    ""
                };
                format!("{} {}{compression}{not_null}", quote(name), kind.sql())
            })
            .collect();
        if !self.primary_key.is_empty() {
            let keys: Vec<String> = self.primary_key.iter().map(|k| quote(k)).collect();
            parts.push(format!("PRIMARY KEY ({})", keys.join(", ")));
        }
        let head = if self.temp {
            "CREATE OR REPLACE TEMP TABLE"
        } else {
            "CREATE TABLE IF NOT EXISTS"
        };
        format!("{head} {} ({});", quote(self.name), parts.join(", "))
    }

    /// An empty batch for this table.
    pub fn batch(&self) -> Batch {
        Batch::new(self.name, self.columns)
    }
}

/// One row per distinct `event_id` ever seen; the first delivery wins.
/// `source_location` is `line N` or `byte N` (decompressed); `payload` is
/// the original event as delivered; `id_hash` is hookstat's hash of
/// `event_id` ([`crate::dedup::run_ids::stored_hash`]), for deduplicating later
/// nights without reading the ids (NULL in rows loaded by versions before
/// it: the first run after an upgrade fills it in); `payload_hash` is the
/// hash of the payload's bytes ([`crate::records::payload_hash`]), so that
/// a same-byte retry is settled without reading the payload (NULL in rows
/// loaded before it: those are compared by payload).
pub const EVENTS: TableSpec = TableSpec {
    name: "events",
    temp: false,
    columns: &[
        ("event_id", Text),
        ("event_type", Text),
        ("client_account_id", Text),
        ("created_at", Timestamp),
        ("source_file", Text),
        ("source_location", Text),
        ("run_id", BigInt),
        ("payload", Json),
        ("id_hash", BigInt),
        ("payload_hash", BigInt),
    ],
    not_null: &[
        "event_id",
        "event_type",
        "source_file",
        "source_location",
        "run_id",
        "payload",
    ],
    primary_key: &[],
};

/// Call Me Back requests, typed from `cmb_payload` (extra payload keys
/// follow these curated columns).
pub const CMB_REQUESTS: TableSpec = TableSpec {
    name: "cmb_requests",
    temp: false,
    columns: &[
        ("event_id", Text),
        ("client_account_id", Text),
        ("created_at", Timestamp),
        ("business_number", Text),
        ("feature_set", Text),
        ("client_number", Text),
        ("client_number_available", Bool),
        ("alternate_number", Text),
        ("requested_at", Timestamp),
        ("requested_date", Date),
        ("requested_slot", Text),
        ("preferred_from", Timestamp),
        ("preferred_to", Timestamp),
        ("is_interested", Bool),
        ("cmb_config_name", Text),
    ],
    not_null: &["event_id"],
    primary_key: &[],
};

/// Values that could not be coerced: the cell is NULL, the event is kept.
pub const FIELD_ISSUES: TableSpec = TableSpec {
    name: "field_issues",
    temp: false,
    columns: &[
        ("run_id", BigInt),
        ("event_id", Text),
        ("event_type", Text),
        ("field", Text),
        ("raw_value", Text),
        ("problem", Text),
    ],
    not_null: &[
        "run_id",
        "event_id",
        "event_type",
        "field",
        "raw_value",
        "problem",
    ],
    primary_key: &[],
};

/// Records that could not become events (`reason` is a stable code, `raw`
/// the first 4 KB with bytes escaped).
pub const REJECTS: TableSpec = TableSpec {
    name: "rejects",
    temp: false,
    columns: &[
        ("run_id", BigInt),
        ("source_file", Text),
        ("source_location", Text),
        ("reason", Text),
        ("message", Text),
        ("raw", Text),
    ],
    not_null: &[
        "run_id",
        "source_file",
        "source_location",
        "reason",
        "message",
        "raw",
    ],
    primary_key: &[],
};

/// Later deliveries of this run, settled when the run finishes; a
/// `tentative` row is the run's first delivery of an id the filter of
/// stored ids may have seen (`crate::dedup::history`): a later delivery if an earlier
/// run loaded it, else an event loaded when the run finishes.
pub const STAGE_DUPLICATES: TableSpec = TableSpec {
    name: "stage_duplicates",
    temp: true,
    columns: &[
        ("run_id", BigInt),
        ("event_id", Text),
        ("source_file", Text),
        ("source_location", Text),
        ("payload", Text),
        ("id_hash", BigInt),
        ("tentative", Bool),
        ("payload_hash", BigInt),
        ("payload_bytes", BigInt),
    ],
    not_null: &[],
    primary_key: &[],
};

/// What was read from each file, for incremental runs (`records` and
/// `rejects` over all runs; `resume_*` where a grown file continues;
/// `pending_bytes` an incomplete last record left for a later run).
pub const SOURCE_FILES: TableSpec = TableSpec {
    name: "source_files",
    temp: false,
    columns: &[
        ("path", Text),
        ("size", BigInt),
        ("modified", Timestamp),
        ("fingerprint", Text),
        ("layout", Text),
        ("compressed", Bool),
        ("records", BigInt),
        ("rejects", BigInt),
        ("resume_offset", BigInt),
        ("resume_line", BigInt),
        ("resume_fingerprint", Text),
        ("first_run", BigInt),
        ("last_run", BigInt),
        ("pending_bytes", BigInt),
    ],
    not_null: &[
        "path",
        "size",
        "compressed",
        "records",
        "rejects",
        "first_run",
        "last_run",
    ],
    primary_key: &["path"],
};

/// The fixed tables created with the database, in creation order.
pub const FIXED_TABLES: [&TableSpec; 5] = [
    &EVENTS,
    &CMB_REQUESTS,
    &FIELD_ISSUES,
    &REJECTS,
    &SOURCE_FILES,
];

/// All batches the loader fills, keyed by target table.
pub struct Batches {
    /// -> `events`
    pub events: Batch,
    /// -> `field_issues`
    pub issues: Batch,
    /// -> `rejects`
    pub rejects: Batch,
    /// -> temp `stage_duplicates`
    pub duplicates: Batch,
    /// -> temp `stage_source_files`
    pub files: Batch,
}

impl Default for Batches {
    fn default() -> Self {
        Batches {
            events: EVENTS.batch(),
            issues: FIELD_ISSUES.batch(),
            rejects: REJECTS.batch(),
            duplicates: STAGE_DUPLICATES.batch(),
            files: Batch::new("stage_source_files", SOURCE_FILES.columns),
        }
    }
}

impl Batches {
    /// Every batch, for flushing.
    pub fn all_mut(&mut self) -> [&mut Batch; 5] {
        [
            &mut self.events,
            &mut self.issues,
            &mut self.rejects,
            &mut self.duplicates,
            &mut self.files,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, type, nullable) of every column of `table` in the database.
    fn columns_in_db(conn: &duckdb::Connection, table: &str) -> Vec<(String, String, bool)> {
        let mut stmt = conn
            .prepare("SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index")
            .unwrap();
        stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn spec_columns(spec: &TableSpec) -> Vec<(String, String, bool)> {
        spec.columns
            .iter()
            .map(|(n, k)| {
                (
                    n.to_string(),
                    k.sql().to_string(),
                    !spec.not_null.contains(n),
                )
            })
            .collect()
    }

    #[test]
    fn the_database_has_the_specs_in_names_order_types_and_nullability() {
        let conn = duckdb::Connection::open_in_memory().unwrap();
        super::super::db::apply_schema(&conn).unwrap();
        conn.execute_batch(&STAGE_DUPLICATES.create_sql()).unwrap();
        conn.execute_batch(crate::load::STAGE_SQL).unwrap();
        for spec in FIXED_TABLES.into_iter().chain([&STAGE_DUPLICATES]) {
            assert_eq!(
                columns_in_db(&conn, spec.name),
                spec_columns(spec),
                "table {}",
                spec.name
            );
        }
        // the staging copy of source_files has its columns in its order
        let staged: Vec<String> = columns_in_db(&conn, "stage_source_files")
            .into_iter()
            .map(|c| c.0)
            .collect();
        let want: Vec<&str> = SOURCE_FILES.columns.iter().map(|c| c.0).collect();
        assert_eq!(staged, want);
        // the primary key refuses a second row for one path
        let insert = "INSERT INTO source_files (path, size, compressed, records, rejects, first_run, last_run) VALUES ('a', 1, false, 0, 0, 1, 1)";
        conn.execute_batch(insert).unwrap();
        assert!(conn.execute_batch(insert).is_err());
    }

    #[test]
    fn ddl_is_generated_from_the_spec() {
        assert_eq!(
            REJECTS.create_sql(),
            "CREATE TABLE IF NOT EXISTS \"rejects\" (\"run_id\" BIGINT NOT NULL, \"source_file\" VARCHAR NOT NULL, \"source_location\" VARCHAR NOT NULL, \"reason\" VARCHAR NOT NULL, \"message\" VARCHAR NOT NULL, \"raw\" VARCHAR NOT NULL);"
        );
    }
}
