//! One table whose columns come from the data: fixed leading columns, then
//! one column per JSON path seen, added and widened as values require.

use super::super::store::batch::{Batch, Kind, RowWriter};
use super::super::store::writer::Writer;
use crate::budgets::Budget;
use crate::flatten::generic::{Cell, Leaf};
use crate::flatten::naming::{column_name, Names};
use crate::flatten::types::{convert, ColumnType, Typed};
use crate::sql::{quote, render};

const CREATE_TABLE: &str = include_str!("../../../sql/dynamic/create_table.sql");
const ADD_COLUMN: &str = include_str!("../../../sql/dynamic/add_column.sql");
const WIDEN_COLUMN: &str = include_str!("../../../sql/dynamic/widen_column.sql");

fn kind_of(ty: ColumnType) -> Kind {
    match ty {
        ColumnType::Boolean => Kind::Bool,
        ColumnType::BigInt => Kind::BigInt,
        ColumnType::Double => Kind::Double,
        ColumnType::Timestamp => Kind::Timestamp,
        ColumnType::Varchar => Kind::Text,
    }
}

/// Name of the column holding the parts of a row that went over a budget.
/// Sanitised key names never start with `_`, so it cannot collide.
pub const OVERFLOW_COLUMN: &str = "_overflow";
/// Registry key of the `_overflow` column (not a JSON path).
pub const OVERFLOW_PATH: &str = "(over budget)";

/// Where a cell of a row goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Into data column `i`.
    Column(usize),
    /// Into `_overflow`: the table has no room for a new column.
    Over(Budget),
}

/// How many more columns a run may add.
#[derive(Debug, Clone, Copy)]
pub struct ColumnAllowance {
    /// Data columns a table may have.
    pub max_columns: usize,
    /// Columns this run may still add, all tables together.
    pub new_columns_left: usize,
}

/// A column created from the data.
#[derive(Debug, Clone)]
pub struct DataColumn {
    /// SQL name.
    pub name: String,
    /// JSON path it holds.
    pub path: String,
    /// Current type.
    pub ty: ColumnType,
    /// Run that first saw it.
    pub first_run: i64,
    /// Run that last added or widened it.
    pub changed_run: i64,
}

/// A table with fixed leading columns and data columns.
pub struct DynamicTable {
    /// SQL name.
    pub name: String,
    /// Event type it belongs to.
    pub event_type: String,
    /// JSON path of the array (`$` for the event table).
    pub json_path: String,
    /// Parent table (None for an event table).
    pub parent: Option<String>,
    /// Run that created it.
    pub first_run: i64,
    /// True when this run created it.
    pub is_new: bool,
    fixed: Vec<(String, Kind)>,
    /// Data columns in table order.
    pub columns: Vec<DataColumn>,
    /// JSON path -> column (looked up for every cell).
    by_path: foldhash::HashMap<String, usize>,
    names: Names,
    batch: Batch,
}

impl DynamicTable {
    /// A table with `fixed` columns and known data `columns`.
    pub fn new(
        name: String,
        event_type: String,
        json_path: String,
        parent: Option<String>,
        fixed: &[(&str, Kind)],
        columns: Vec<DataColumn>,
        first_run: i64,
    ) -> Self {
        let fixed: Vec<(String, Kind)> = fixed.iter().map(|(n, k)| (n.to_string(), *k)).collect();
        let mut names = Names::with_reserved(
            fixed
                .iter()
                .map(|(n, _)| n.as_str())
                .chain([OVERFLOW_COLUMN]),
        );
        for c in &columns {
            names.take(&c.name);
        }
        let by_path = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.path.clone(), i))
            .collect();
        let batch = Batch::new(&name, &[] as &[(&str, Kind)]);
        let mut table = DynamicTable {
            name,
            event_type,
            json_path,
            parent,
            first_run,
            is_new: false,
            fixed,
            columns,
            by_path,
            names,
            batch,
        };
        table.rebuild_batch();
        table
    }

    fn rebuild_batch(&mut self) {
        let mut spec: Vec<(String, Kind)> = self.fixed.clone();
        spec.extend(self.columns.iter().map(|c| (c.name.clone(), kind_of(c.ty))));
        self.batch = Batch::new(&self.name, &spec);
    }

    /// Creates the table if it does not exist.
    pub fn create(&self, db: &mut Writer) -> duckdb::Result<()> {
        let mut cols: Vec<String> = self
            .fixed
            .iter()
            .map(|(n, k)| format!("{} {}", quote(n), k.sql()))
            .collect();
        cols.extend(
            self.columns
                .iter()
                .map(|c| format!("{} {}", quote(&c.name), c.ty.sql())),
        );
        let sql = render(
            CREATE_TABLE,
            &[("table", &quote(&self.name)), ("columns", &cols.join(", "))],
        );
        db.execute(sql)
    }

    /// Sends the buffered rows to the writer (also before DDL: later rows
    /// have the table's new shape).
    pub fn flush(&mut self, db: &mut Writer) -> duckdb::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let rows = self
            .batch
            .take()
            .map_err(|e| duckdb::Error::ToSqlConversionFailure(Box::new(e)))?;
        db.append(&self.name, rows)
    }

    /// Number of data columns (the `_overflow` column does not count).
    fn data_columns(&self) -> usize {
        self.columns.len() - usize::from(self.by_path.contains_key(OVERFLOW_PATH))
    }

    /// The `_overflow` column, added the first time a row needs it.
    pub fn overflow_column(&mut self, db: &mut Writer, run_id: i64) -> duckdb::Result<usize> {
        if let Some(&i) = self.by_path.get(OVERFLOW_PATH) {
            return Ok(i);
        }
        self.add_column(
            db,
            run_id,
            OVERFLOW_COLUMN.to_string(),
            OVERFLOW_PATH,
            ColumnType::Varchar,
        )
    }

    fn add_column(
        &mut self,
        db: &mut Writer,
        run_id: i64,
        name: String,
        path: &str,
        ty: ColumnType,
    ) -> duckdb::Result<usize> {
        self.flush(db)?;
        let sql = render(
            ADD_COLUMN,
            &[
                ("table", &quote(&self.name)),
                ("column", &quote(&name)),
                ("type", ty.sql()),
            ],
        );
        db.execute(sql)?;
        let index = self.columns.len();
        self.by_path.insert(path.to_string(), index);
        self.columns.push(DataColumn {
            name,
            path: path.to_string(),
            ty,
            first_run: run_id,
            changed_run: run_id,
        });
        self.rebuild_batch();
        Ok(index)
    }

    fn widen(
        &mut self,
        db: &mut Writer,
        run_id: i64,
        i: usize,
        new: ColumnType,
    ) -> duckdb::Result<()> {
        let old = self.columns[i].ty;
        self.flush(db)?;
        let column = quote(&self.columns[i].name);
        let using = if old == ColumnType::Timestamp {
            format!("CAST(CAST(epoch({column}) AS BIGINT) AS {})", new.sql())
        } else {
            format!("CAST({column} AS {})", new.sql())
        };
        let sql = render(
            WIDEN_COLUMN,
            &[
                ("table", &quote(&self.name)),
                ("column", &column),
                ("type", new.sql()),
                ("using", &using),
            ],
        );
        db.execute(sql)?;
        self.columns[i].ty = new;
        self.columns[i].changed_run = run_id;
        self.rebuild_batch();
        Ok(())
    }

    /// Makes sure every cell has a column that can hold it, within the
    /// column budgets; returns where each cell goes.
    pub fn prepare(
        &mut self,
        db: &mut Writer,
        run_id: i64,
        cells: &[Cell],
        allowance: &mut ColumnAllowance,
    ) -> duckdb::Result<Vec<Placement>> {
        let mut placements = Vec::with_capacity(cells.len());
        for cell in cells {
            let path = &cell.json_path;
            let placement = match self.by_path.get(path).copied() {
                None if self.data_columns() >= allowance.max_columns => {
                    Placement::Over(Budget::Columns)
                }
                None if allowance.new_columns_left == 0 => Placement::Over(Budget::NewColumns),
                None => {
                    allowance.new_columns_left -= 1;
                    let wanted = column_name(&cell.name_path, path);
                    let name = self.names.claim(&wanted, path);
                    let ty = ColumnType::of(&cell.leaf, &name);
                    Placement::Column(self.add_column(db, run_id, name, path, ty)?)
                }
                Some(i) => {
                    let old = self.columns[i].ty;
                    let new = old.widen(ColumnType::of(&cell.leaf, &self.columns[i].name));
                    if new != old {
                        self.widen(db, run_id, i, new)?;
                    }
                    Placement::Column(i)
                }
            };
            placements.push(placement);
        }
        Ok(placements)
    }

    /// Writes one row: the fixed cells through `fixed`, then the cells
    /// placed in columns by [`DynamicTable::prepare`], and `overflow` (the
    /// JSON text of the parts over budget) in the `_overflow` column.
    pub fn write(
        &mut self,
        db: &mut Writer,
        fixed: impl FnOnce(RowWriter<'_>) -> RowWriter<'_>,
        cells: &[Cell],
        placements: &[Placement],
        overflow: Option<&Leaf>,
    ) -> duckdb::Result<()> {
        let mut slots: Vec<Option<&Leaf>> = vec![None; self.columns.len()];
        for (cell, placement) in cells.iter().zip(placements) {
            if let Placement::Column(i) = placement {
                slots[*i] = Some(&cell.leaf);
            }
        }
        if let (Some(text), Some(&i)) = (overflow, self.by_path.get(OVERFLOW_PATH)) {
            slots[i] = Some(text);
        }
        let mut row = fixed(self.batch.row());
        for (col, slot) in self.columns.iter().zip(slots) {
            let typed = slot.map(|leaf| convert(leaf, col.ty));
            row = match col.ty {
                ColumnType::Boolean => row.boolean(typed.and_then(|t| match t {
                    Typed::Bool(b) => Some(b),
                    _ => None,
                })),
                ColumnType::BigInt => row.bigint(typed.and_then(|t| match t {
                    Typed::Int(i) => Some(i),
                    _ => None,
                })),
                ColumnType::Double => row.double(typed.and_then(|t| match t {
                    Typed::Float(f) => Some(f),
                    _ => None,
                })),
                ColumnType::Timestamp => row.timestamp(typed.and_then(|t| match t {
                    Typed::Micros(m) => Some(m),
                    _ => None,
                })),
                ColumnType::Varchar => row.text(
                    typed
                        .map(|t| match t {
                            Typed::Text(s) => s,
                            Typed::Bool(b) => b.to_string().into(),
                            Typed::Int(i) => i.to_string().into(),
                            Typed::Float(f) => f.to_string().into(),
                            Typed::Micros(m) => (m / 1_000_000).to_string().into(),
                        })
                        .as_deref(),
                ),
            };
        }
        row.end();
        if self.batch.is_full() {
            self.flush(db)?;
        }
        Ok(())
    }
}
