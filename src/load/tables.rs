//! The Arrow shapes of the tables hookstat appends to, in table order
//! (`sql/schema.sql` and `sql/stage.sql` are the source of truth; the tests
//! compare them).

use super::batch::{Batch, Kind};
use Kind::*;

/// Columns of `events`.
pub const EVENTS: &[(&str, Kind)] = &[
    ("event_id", Text),
    ("event_type", Text),
    ("client_account_id", Text),
    ("created_at", Timestamp),
    ("source_file", Text),
    ("source_location", Text),
    ("run_id", BigInt),
    ("payload", Text),
];

/// Curated columns of `cmb_requests` (extra payload keys follow them).
pub const CMB_REQUESTS: &[(&str, Kind)] = &[
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
];

/// Columns of `field_issues`.
pub const FIELD_ISSUES: &[(&str, Kind)] = &[
    ("run_id", BigInt),
    ("event_id", Text),
    ("event_type", Text),
    ("field", Text),
    ("raw_value", Text),
    ("problem", Text),
];

/// Columns of `rejects`.
pub const REJECTS: &[(&str, Kind)] = &[
    ("run_id", BigInt),
    ("source_file", Text),
    ("source_location", Text),
    ("reason", Text),
    ("message", Text),
    ("raw", Text),
];

/// Columns of the temp table `stage_duplicates`.
pub const STAGE_DUPLICATES: &[(&str, Kind)] = &[
    ("run_id", BigInt),
    ("event_id", Text),
    ("source_file", Text),
    ("source_location", Text),
    ("payload", Text),
];

/// Columns of `source_files` (and its staging copy).
pub const SOURCE_FILES: &[(&str, Kind)] = &[
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
            events: Batch::new("events", EVENTS),
            issues: Batch::new("field_issues", FIELD_ISSUES),
            rejects: Batch::new("rejects", REJECTS),
            duplicates: Batch::new("stage_duplicates", STAGE_DUPLICATES),
            files: Batch::new("stage_source_files", SOURCE_FILES),
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

    /// (name, type) of every column of `table` in the database, in order;
    /// JSON columns hold text.
    fn columns_in_db(conn: &duckdb::Connection, table: &str) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index")
            .unwrap();
        stmt.query_map([table], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(|r| {
                let (name, ty) = r.unwrap();
                (
                    name,
                    if ty == "JSON" {
                        "VARCHAR".to_string()
                    } else {
                        ty
                    },
                )
            })
            .collect()
    }

    #[test]
    fn batches_match_the_sql_schema_in_names_order_and_types() {
        let conn = duckdb::Connection::open_in_memory().unwrap();
        conn.execute_batch(super::super::db::SCHEMA_SQL).unwrap();
        conn.execute_batch(super::super::STAGE_SQL).unwrap();
        let mut all = Batches::default();
        let cmb = Batch::new("cmb_requests", CMB_REQUESTS);
        let mut batches: Vec<&Batch> = all.all_mut().into_iter().map(|b| &*b).collect();
        batches.push(&cmb);
        for batch in batches {
            let want: Vec<(String, String)> = batch
                .sql_columns()
                .into_iter()
                .map(|(n, t)| (n, t.to_string()))
                .collect();
            assert_eq!(
                columns_in_db(&conn, batch.table()),
                want,
                "table {}",
                batch.table()
            );
        }
    }
}
