//! The flattened tables: `cmb_requests` (curated columns plus any payload
//! key it does not know), one `<type>_events` table per other event type,
//! and a child table per array. Tables and columns are created and widened
//! as the data requires, inside the run's transaction, and recorded in
//! `hookstat_tables` / `hookstat_columns` so names and types are stable
//! across runs.

mod table;

use std::collections::HashMap;

use duckdb::Connection;

use super::batch::{Kind, RowWriter};
use super::tables::CMB_REQUESTS;
use crate::flatten::cmb::CmbRow;
use crate::flatten::generic::{json_path, FlatRow, Segment};
use crate::flatten::naming::{fit, sanitize, table_suffix, Names};
use crate::flatten::types::ColumnType;
use crate::validate::Envelope;
pub use table::quote;
use table::{DataColumn, DynamicTable};

const LOAD_COLUMNS: &str = include_str!("../../../sql/dynamic/load_columns.sql");
const REGISTER_TABLE: &str = include_str!("../../../sql/dynamic/register_table.sql");
const REGISTER_COLUMN: &str = include_str!("../../../sql/dynamic/register_column.sql");

/// Fixed columns of a `<type>_events` table.
const EVENT_FIXED: &[(&str, Kind)] = &[
    ("event_id", Kind::Text),
    ("client_account_id", Kind::Text),
    ("created_at", Kind::Timestamp),
];

/// Fixed columns of a child table.
const CHILD_FIXED: &[(&str, Kind)] = &[
    ("event_id", Kind::Text),
    ("_row", Kind::Text),
    ("_parent_row", Kind::Text),
    ("_index", Kind::BigInt),
];

/// The curated Call Me Back table.
pub const CMB_TABLE: &str = "cmb_requests";

fn fixed_for(event_type: &str, is_child: bool) -> &'static [(&'static str, Kind)] {
    match (is_child, event_type == "cmb") {
        (true, _) => CHILD_FIXED,
        (false, true) => CMB_REQUESTS,
        (false, false) => EVENT_FIXED,
    }
}

/// The fixed envelope cells every event table starts with.
fn envelope_cells<'w>(w: RowWriter<'w>, env: &Envelope) -> RowWriter<'w> {
    w.text(Some(&env.event_id))
        .text(env.client_account_id.as_deref())
        .timestamp(env.created_at)
}

/// All flattened tables of the database.
pub struct Registry<'a> {
    conn: &'a Connection,
    run_id: i64,
    tables: Vec<DynamicTable<'a>>,
    /// event type -> table JSON path -> index in `tables`.
    by_key: HashMap<String, HashMap<String, usize>>,
    table_names: Names,
}

impl<'a> Registry<'a> {
    /// Reads the tables and columns earlier runs created.
    pub fn load(conn: &'a Connection, run_id: i64) -> duckdb::Result<Self> {
        let mut table_names = Names::default();
        let mut stmt = conn.prepare(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()",
        )?;
        for name in stmt.query_map([], |r| r.get::<_, String>(0))? {
            table_names.take(&name?);
        }
        table_names.take("columns");
        let mut columns: HashMap<String, Vec<DataColumn>> = HashMap::new();
        let mut stmt = conn.prepare(LOAD_COLUMNS)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                DataColumn {
                    name: r.get(1)?,
                    path: r.get(2)?,
                    ty: ColumnType::from_sql(&r.get::<_, String>(3)?)
                        .unwrap_or(ColumnType::Varchar),
                    first_run: r.get(4)?,
                    changed_run: r.get(5)?,
                },
            ))
        })?;
        for row in rows {
            let (table, column) = row?;
            columns.entry(table).or_default().push(column);
        }
        let mut registry = Registry {
            conn,
            run_id,
            tables: Vec::new(),
            by_key: HashMap::new(),
            table_names,
        };
        let mut stmt = conn.prepare(
            "SELECT table_name, event_type, json_path, parent_table, first_run FROM hookstat_tables ORDER BY first_run, table_name",
        )?;
        let known = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in known {
            let (name, event_type, path, parent, first_run) = row?;
            let fixed = fixed_for(&event_type, parent.is_some());
            let cols = columns.remove(&name).unwrap_or_default();
            registry.insert(DynamicTable::new(
                name, event_type, path, parent, fixed, cols, first_run,
            ));
        }
        Ok(registry)
    }

    fn insert(&mut self, table: DynamicTable<'a>) -> usize {
        let index = self.tables.len();
        self.by_key
            .entry(table.event_type.clone())
            .or_default()
            .insert(table.json_path.clone(), index);
        self.tables.push(table);
        index
    }

    /// The table for `event_type` rows at array `path` (`$` for the event
    /// row), created if this is the first time.
    fn table(&mut self, event_type: &str, path: &[Segment], jp: &str) -> duckdb::Result<usize> {
        if let Some(&i) = self.by_key.get(event_type).and_then(|m| m.get(jp)) {
            return Ok(i);
        }
        let jp = jp.to_string();
        let root_key = format!("{event_type}_payload");
        let (name, parent) = if path.is_empty() {
            let name = if event_type == "cmb" {
                CMB_TABLE.to_string()
            } else {
                let wanted = fit(format!("{}_events", sanitize(event_type)), event_type);
                self.table_names.claim(&wanted, event_type)
            };
            (name, None)
        } else {
            let parent_path = path[..path.len() - 1]
                .iter()
                .rposition(|s| *s == Segment::Elements)
                .map_or(&path[..0], |j| &path[..=j]);
            let parent = self.table(event_type, parent_path, &json_path(parent_path))?;
            let parent_name = self.tables[parent].name.clone();
            let root = self.table(event_type, &[], "$")?;
            let wanted = fit(
                format!(
                    "{}__{}",
                    self.tables[root].name,
                    table_suffix(path, &root_key)
                ),
                &format!("{event_type}{jp}"),
            );
            (self.table_names.claim(&wanted, &jp), Some(parent_name))
        };
        let fixed = fixed_for(event_type, parent.is_some());
        let mut table = DynamicTable::new(
            name,
            event_type.to_string(),
            jp,
            parent,
            fixed,
            Vec::new(),
            self.run_id,
        );
        table.is_new = true;
        table.create(self.conn)?;
        Ok(self.insert(table))
    }

    /// Writes an event's flattened rows: the event row (with the curated
    /// Call Me Back columns for `cmb`) and its array rows.
    pub fn write(
        &mut self,
        env: &Envelope,
        cmb: Option<&CmbRow>,
        rows: &[FlatRow],
    ) -> duckdb::Result<()> {
        let (conn, run_id) = (self.conn, self.run_id);
        for row in rows {
            let i = self.table(&env.event_type, &row.table_path, &row.table_json_path)?;
            let table = &mut self.tables[i];
            if !row.table_path.is_empty() {
                table.write(
                    conn,
                    run_id,
                    |w| {
                        w.text(Some(&env.event_id))
                            .text(Some(&row.key))
                            .text(row.parent_key.as_deref())
                            .bigint(row.index)
                    },
                    &row.cells,
                )?;
            } else if let Some(c) = cmb {
                table.write(
                    conn,
                    run_id,
                    |w| {
                        envelope_cells(w, env)
                            .text(c.business_number.as_deref())
                            .text(c.feature_set.as_deref())
                            .text(c.client_number.as_deref())
                            .boolean(c.client_number_available)
                            .text(c.alternate_number.as_deref())
                            .timestamp(c.requested_at)
                            .date(c.requested_date)
                            .text(c.requested_slot.as_deref())
                            .timestamp(c.preferred_from)
                            .timestamp(c.preferred_to)
                            .boolean(c.is_interested)
                            .text(c.cmb_config_name.as_deref())
                    },
                    &row.cells,
                )?;
            } else {
                table.write(conn, run_id, |w| envelope_cells(w, env), &row.cells)?;
            }
        }
        Ok(())
    }

    /// Appends everything buffered and records new tables and columns.
    pub fn finish(&mut self) -> duckdb::Result<()> {
        for table in &mut self.tables {
            table.close(self.conn)?;
        }
        for t in &self.tables {
            if t.is_new {
                self.conn.execute(
                    REGISTER_TABLE,
                    duckdb::params![t.name, t.event_type, t.json_path, t.parent, t.first_run],
                )?;
            }
            for c in t.columns.iter().filter(|c| c.changed_run == self.run_id) {
                self.conn.execute(
                    REGISTER_COLUMN,
                    duckdb::params![
                        t.name,
                        c.name,
                        c.path,
                        c.ty.sql(),
                        c.first_run,
                        c.changed_run
                    ],
                )?;
            }
        }
        Ok(())
    }
}
