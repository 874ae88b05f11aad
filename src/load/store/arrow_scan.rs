//! `hookstat_arrow(token)`: the table function the writer thread inserts
//! batches with. It scans one registered Arrow batch as duckdb-rs's
//! `ArrowVTab` does, except that a text column marked as JSON (field
//! metadata [`JSON_FIELD`]) is declared with DuckDB's JSON type: inserted
//! into a JSON column (`events.payload`, `_overflow`) it is taken as it is
//! instead of being parsed again by a cast (the loader has parsed it; a
//! cast of one 15 MB array of 7.8 million numbers asked DuckDB for 256 MB).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use duckdb::arrow::array::{Array, StringArray};
use duckdb::arrow::datatypes::Field;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::types::{ToSql, ToSqlOutput};
use duckdb::vtab::arrow::{record_batch_to_duckdb_data_chunk, to_duckdb_logical_type_for_field};
use duckdb::vtab::{BindInfo, InitInfo, TableFunctionInfo, VTab};

/// Field metadata key of a text column that holds JSON.
pub const JSON_FIELD: &str = "hookstat:json";

type Failure = Box<dyn std::error::Error>;

/// Batches registered for a scan, by token.
static BATCHES: Mutex<BTreeMap<u64, RecordBatch>> = Mutex::new(BTreeMap::new());
static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

fn batches() -> MutexGuard<'static, BTreeMap<u64, RecordBatch>> {
    BATCHES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A batch registered for `hookstat_arrow(?)` until dropped; passed as the
/// statement's parameter.
pub struct Registered(u64);

impl Registered {
    /// Registers `batch`.
    pub fn new(batch: RecordBatch) -> Self {
        let token = NEXT_TOKEN.fetch_add(1, Ordering::Relaxed);
        batches().insert(token, batch);
        Registered(token)
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let batch = batches().remove(&self.0);
        drop(batch);
    }
}

impl ToSql for Registered {
    fn to_sql(&self) -> duckdb::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

/// The column type DuckDB sees for `field`.
fn column_type(field: &Field) -> Result<LogicalTypeHandle, Failure> {
    if field.metadata().contains_key(JSON_FIELD) {
        let mut json = LogicalTypeHandle::from(LogicalTypeId::Varchar);
        json.set_alias("JSON");
        return Ok(json);
    }
    to_duckdb_logical_type_for_field(field)
}

/// Text bytes one call hands to DuckDB at most (at least one row): the
/// strings of a vector are held at once, and a batch may hold records of up
/// to 16 MiB each.
const CHUNK_TEXT_BYTES: usize = 4 << 20;

/// How many rows from `from` (at most `vector_size`, at least one) hold no
/// more than [`CHUNK_TEXT_BYTES`] of text.
fn rows_that_fit(batch: &RecordBatch, from: usize, vector_size: usize) -> usize {
    let texts: Vec<&StringArray> = batch
        .columns()
        .iter()
        .filter_map(|c| c.as_any().downcast_ref::<StringArray>())
        .collect();
    let last = batch.num_rows().min(from + vector_size);
    let mut bytes = 0;
    for row in from..last {
        bytes += texts
            .iter()
            .map(|t| t.value_length(row) as usize)
            .sum::<usize>();
        if bytes > CHUNK_TEXT_BYTES && row > from {
            return row - from;
        }
    }
    last - from
}

/// The table function.
pub struct ArrowScan;

/// The batch a scan reads.
pub struct Bound {
    batch: RecordBatch,
}

/// How far a scan has read.
pub struct Position {
    next: AtomicUsize,
    vector_size: usize,
}

impl VTab for ArrowScan {
    type BindData = Bound;
    type InitData = Position;

    fn bind(bind: &BindInfo) -> Result<Bound, Failure> {
        let token = bind.get_parameter(0).to_uint64();
        let batch = batches()
            .get(&token)
            .cloned()
            .ok_or_else(|| format!("no Arrow batch registered as {token}"))?;
        for field in batch.schema().fields() {
            bind.add_result_column(field.name(), column_type(field)?);
        }
        Ok(Bound { batch })
    }

    fn init(_: &InitInfo) -> Result<Position, Failure> {
        let vector_size = unsafe { duckdb::ffi::duckdb_vector_size() } as usize;
        Ok(Position {
            next: AtomicUsize::new(0),
            vector_size: vector_size.max(1),
        })
    }

    fn func(func: &TableFunctionInfo<Self>, output: &mut DataChunkHandle) -> Result<(), Failure> {
        // DuckDB scans a table function from one thread at a time
        let position = func.get_init_data();
        let batch = &func.get_bind_data().batch;
        let from = position.next.load(Ordering::Relaxed);
        if from >= batch.num_rows() {
            output.set_len(0);
            return Ok(());
        }
        let len = rows_that_fit(batch, from, position.vector_size);
        position.next.store(from + len, Ordering::Relaxed);
        record_batch_to_duckdb_data_chunk(&batch.slice(from, len), output)
    }

    fn parameters() -> Option<Vec<LogicalTypeHandle>> {
        Some(vec![LogicalTypeHandle::from(LogicalTypeId::UBigint)])
    }
}
