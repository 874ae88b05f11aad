//! Schema growth of the load stage: the tables whose columns come from
//! the data. `cmb_requests` (curated columns plus any payload key it does
//! not know), one `<type>_events` table per other event type, and a child
//! table per array (and per object with data-keyed members). Tables and
//! columns are created and widened as the data requires, within the column
//! and table budgets, inside the run's transaction, and recorded in
//! `hookstat_tables` / `hookstat_columns` so names and types are stable
//! across runs (`table.rs` one such table; `overflow.rs` the `_overflow`
//! object and the budget field issues). Rows reach DuckDB through
//! `super::store`.

mod overflow;
mod table;

use std::collections::HashMap;

/// Maps looked up for every row and cell: a fast hash of the keys.
type FastMap<K, V> = foldhash::HashMap<K, V>;

use duckdb::Connection;

use super::store::batch::{Kind, RowWriter};
use super::store::tables::CMB_REQUESTS;
use super::store::writer::Writer;
use crate::budgets::{Budget, Budgets};
use crate::flatten::cmb::CmbRow;
use crate::flatten::generic::{json_path, FlatRow, Leaf, OverflowPart, Segment};
use crate::flatten::naming::{fit, sanitize, table_suffix, Names};
use crate::flatten::overflow::Hits;
use crate::flatten::types::ColumnType;
use crate::validate::{Envelope, FieldIssue};
use overflow::{concrete_path, leaf_json, overflow_json};
pub use table::OVERFLOW_COLUMN;
use table::{ColumnAllowance, DataColumn, DynamicTable, Placement};

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
        (false, true) => CMB_REQUESTS.columns,
        (false, false) => EVENT_FIXED,
    }
}

/// The curated Call Me Back cells.
fn cmb_cells<'w>(w: RowWriter<'w>, env: &Envelope, c: &CmbRow) -> RowWriter<'w> {
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
}

/// The fixed envelope cells every event table starts with.
fn envelope_cells<'w>(w: RowWriter<'w>, env: &Envelope) -> RowWriter<'w> {
    w.text(Some(&env.event_id))
        .text(env.client_account_id.as_deref())
        .timestamp(env.created_at)
}

/// All flattened tables of the database.
pub struct Registry {
    run_id: i64,
    budgets: Budgets,
    allowance: ColumnAllowance,
    new_tables: usize,
    tables: Vec<DynamicTable>,
    /// event type -> table JSON path -> index in `tables`.
    by_key: FastMap<String, FastMap<String, usize>>,
    table_names: Names,
}

impl Registry {
    /// Reads the tables and columns earlier runs created.
    pub fn load(conn: &Connection, run_id: i64, budgets: Budgets) -> duckdb::Result<Self> {
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
            run_id,
            budgets,
            allowance: ColumnAllowance {
                max_columns: budgets.max_columns,
                new_columns_left: budgets.max_new_columns,
            },
            new_tables: 0,
            tables: Vec::new(),
            by_key: FastMap::default(),
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

    /// The table budget a new table would go over, if any.
    fn over_table_budget(&self) -> Option<Budget> {
        if self.tables.len() >= self.budgets.max_tables {
            Some(Budget::Tables)
        } else if self.new_tables >= self.budgets.max_new_tables {
            Some(Budget::NewTables)
        } else {
            None
        }
    }

    fn insert(&mut self, table: DynamicTable) -> usize {
        let index = self.tables.len();
        self.by_key
            .entry(table.event_type.clone())
            .or_default()
            .insert(table.json_path.clone(), index);
        self.tables.push(table);
        index
    }

    /// The table for `event_type` rows at array or members `path` (`$` for
    /// the event row), created if this is the first time and the table budgets allow.
    fn table(
        &mut self,
        db: &mut Writer,
        event_type: &str,
        path: &[Segment],
        jp: &str,
    ) -> duckdb::Result<Result<usize, Budget>> {
        if let Some(&i) = self.by_key.get(event_type).and_then(|m| m.get(jp)) {
            return Ok(Ok(i));
        }
        let jp = jp.to_string();
        let root_key = format!("{event_type}_payload");
        let (name, parent) = if path.is_empty() {
            let name = if event_type == "cmb" {
                CMB_TABLE.to_string()
            } else if let Some(budget) = self.over_table_budget() {
                return Ok(Err(budget));
            } else {
                let wanted = fit(format!("{}_events", sanitize(event_type)), event_type);
                self.table_names.claim(&wanted, event_type)
            };
            (name, None)
        } else {
            let parent_path = path[..path.len() - 1]
                .iter()
                .rposition(Segment::is_rows)
                .map_or(&path[..0], |j| &path[..=j]);
            let parent = match self.table(db, event_type, parent_path, &json_path(parent_path))? {
                Ok(i) => i,
                Err(budget) => return Ok(Err(budget)),
            };
            let parent_name = self.tables[parent].name.clone();
            let root = match self.table(db, event_type, &[], "$")? {
                Ok(i) => i,
                Err(budget) => return Ok(Err(budget)),
            };
            if let Some(budget) = self.over_table_budget() {
                return Ok(Err(budget));
            }
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
        table.create(db)?;
        self.new_tables += 1;
        Ok(Ok(self.insert(table)))
    }

    /// Writes an event's flattened rows: the event row (with the curated
    /// Call Me Back columns for `cmb`) and its array rows. `overflow` holds
    /// the parts the flattening kept as JSON; cells with no room in their
    /// table join them in the event row's `_overflow` column. Returns one
    /// issue per budget the event went over here.
    pub fn write(
        &mut self,
        db: &mut Writer,
        env: &Envelope,
        cmb: Option<&CmbRow>,
        rows: &[FlatRow],
        overflow: &[OverflowPart],
    ) -> duckdb::Result<Vec<FieldIssue>> {
        let run_id = self.run_id;
        let mut hits = Hits::default();
        let mut extra: Vec<OverflowPart> = Vec::new();
        let mut plans = Vec::with_capacity(rows.len());
        for row in rows {
            let placed =
                match self.table(db, &env.event_type, &row.table_path, &row.table_json_path)? {
                    Ok(i) => {
                        let cells = &row.cells;
                        let placements =
                            self.tables[i].prepare(db, run_id, cells, &mut self.allowance)?;
                        Ok((i, placements))
                    }
                    Err(budget) => Err(budget),
                };
            match &placed {
                Err(budget) if row.table_path.is_empty() => {
                    // the event type has no table: it lives in `events` only
                    hits.add(*budget, &env.event_type);
                    return Ok(hits.into_issues());
                }
                Err(budget) => {
                    for cell in &row.cells {
                        let path = concrete_path(&cell.path, &row.key, &row.members);
                        hits.add(*budget, &path);
                        extra.push((path, leaf_json(&cell.leaf)));
                    }
                }
                Ok((_, placements)) => {
                    for (cell, placement) in row.cells.iter().zip(placements) {
                        if let Placement::Over(budget) = placement {
                            let path = concrete_path(&cell.path, &row.key, &row.members);
                            hits.add(*budget, &path);
                            extra.push((path, leaf_json(&cell.leaf)));
                        }
                    }
                }
            }
            plans.push(placed.ok());
        }
        let overflow_text = (!overflow.is_empty() || !extra.is_empty())
            .then(|| Leaf::Text(overflow_json(overflow.iter().chain(&extra))));
        for (row, plan) in rows.iter().zip(plans) {
            let Some((i, placements)) = plan else {
                continue;
            };
            let table = &mut self.tables[i];
            let cells = &row.cells;
            if !row.table_path.is_empty() {
                table.write(
                    db,
                    |w| {
                        w.text(Some(&env.event_id))
                            .text(Some(&row.key))
                            .text(row.parent_key.as_deref())
                            .bigint(row.index)
                    },
                    cells,
                    &placements,
                    None,
                )?;
                continue;
            }
            if overflow_text.is_some() {
                table.overflow_column(db, run_id)?;
            }
            let text = overflow_text.as_ref();
            match cmb {
                Some(c) => table.write(db, |w| cmb_cells(w, env, c), cells, &placements, text)?,
                None => table.write(db, |w| envelope_cells(w, env), cells, &placements, text)?,
            }
        }
        Ok(hits.into_issues())
    }

    /// Appends everything buffered and records new tables and columns.
    pub fn finish(&mut self, db: &mut Writer) -> duckdb::Result<()> {
        for table in &mut self.tables {
            table.flush(db)?;
        }
        type NewTable = (String, String, String, Option<String>, i64);
        type Changed = (String, String, String, &'static str, i64, i64);
        let mut tables: Vec<NewTable> = Vec::new();
        let mut columns: Vec<Changed> = Vec::new();
        for t in &self.tables {
            if t.is_new {
                let (name, ty, path) = (t.name.clone(), t.event_type.clone(), t.json_path.clone());
                tables.push((name, ty, path, t.parent.clone(), t.first_run));
            }
            for c in t.columns.iter().filter(|c| c.changed_run == self.run_id) {
                let (table, name, path) = (t.name.clone(), c.name.clone(), c.path.clone());
                columns.push((table, name, path, c.ty.sql(), c.first_run, c.changed_run));
            }
        }
        db.call(move |conn| {
            for t in &tables {
                conn.execute(REGISTER_TABLE, duckdb::params![t.0, t.1, t.2, t.3, t.4])?;
            }
            for c in &columns {
                conn.execute(
                    REGISTER_COLUMN,
                    duckdb::params![c.0, c.1, c.2, c.3, c.4, c.5],
                )?;
            }
            Ok(())
        })
    }
}
