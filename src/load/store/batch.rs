//! Column-oriented row buffers that become Arrow record batches for the
//! writer thread (`writer.rs`).
//!
//! A [`Batch`] is declared with the target table's columns in table order;
//! rows are written one cell at a time through a [`RowWriter`], in the same
//! order; a cell of the wrong type or a row with a cell missing stops the
//! program in every build (a programming error, never input). The tests of
//! `tables.rs` check every declared batch against `sql/schema.sql`, names,
//! order and types.

use std::sync::Arc;

use duckdb::arrow::array::{
    ArrayBuilder, ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder,
    StringBuilder, TimestampMicrosecondBuilder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::error::ArrowError;
use duckdb::arrow::record_batch::RecordBatch;

use super::arrow_scan::JSON_FIELD;

/// Logical column types used by hookstat tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// VARCHAR (and JSON, stored as text).
    Text,
    /// BIGINT.
    BigInt,
    /// BOOLEAN.
    Bool,
    /// DOUBLE.
    Double,
    /// TIMESTAMP holding a UTC instant, microseconds since 1970.
    Timestamp,
    /// DATE, days since 1970.
    Date,
    /// JSON text (written like text).
    Json,
}

impl Kind {
    /// The SQL type of a column of this kind.
    pub fn sql(self) -> &'static str {
        match self {
            Kind::Text => "VARCHAR",
            Kind::BigInt => "BIGINT",
            Kind::Bool => "BOOLEAN",
            Kind::Double => "DOUBLE",
            Kind::Timestamp => "TIMESTAMP",
            Kind::Date => "DATE",
            Kind::Json => "JSON",
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Kind::Text | Kind::Json => DataType::Utf8,
            Kind::BigInt => DataType::Int64,
            Kind::Bool => DataType::Boolean,
            Kind::Double => DataType::Float64,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Kind::Date => DataType::Date32,
        }
    }

    fn builder(self) -> Column {
        match self {
            Kind::Text | Kind::Json => Column::Text(StringBuilder::new()),
            Kind::BigInt => Column::BigInt(Int64Builder::new()),
            Kind::Bool => Column::Bool(BooleanBuilder::new()),
            Kind::Double => Column::Double(Float64Builder::new()),
            Kind::Timestamp => Column::Timestamp(TimestampMicrosecondBuilder::new()),
            Kind::Date => Column::Date(Date32Builder::new()),
        }
    }
}

enum Column {
    Text(StringBuilder),
    BigInt(Int64Builder),
    Bool(BooleanBuilder),
    Double(Float64Builder),
    Timestamp(TimestampMicrosecondBuilder),
    Date(Date32Builder),
}

impl Column {
    /// The column's array; the builder starts again with room for as much
    /// as it held (batches are alike), so that it does not grow by copying.
    fn finish(&mut self) -> ArrayRef {
        fn again<B>(b: &mut B, fresh: B) -> B {
            std::mem::replace(b, fresh)
        }
        match self {
            Column::Text(b) => {
                let (rows, bytes) = (b.len(), b.values_slice().len());
                Arc::new(again(b, StringBuilder::with_capacity(rows, bytes)).finish())
            }
            Column::BigInt(b) => Arc::new(again(b, Int64Builder::with_capacity(b.len())).finish()),
            Column::Bool(b) => Arc::new(again(b, BooleanBuilder::with_capacity(b.len())).finish()),
            Column::Double(b) => {
                Arc::new(again(b, Float64Builder::with_capacity(b.len())).finish())
            }
            Column::Timestamp(b) => {
                let fresh = TimestampMicrosecondBuilder::with_capacity(b.len());
                Arc::new(again(b, fresh).finish())
            }
            Column::Date(b) => Arc::new(again(b, Date32Builder::with_capacity(b.len())).finish()),
        }
    }
}

/// Buffered rows for one table.
pub struct Batch {
    table: String,
    schema: Arc<Schema>,
    columns: Vec<Column>,
    rows: usize,
    /// Text bytes buffered (the part of a batch that grows with input).
    text_bytes: usize,
}

/// A batch is appended once it holds this many rows...
pub const FLUSH_ROWS: usize = 16 * 1024;
/// ...or this many bytes of text, so memory is bounded by bytes, not rows.
pub const FLUSH_BYTES: usize = 32 * 1024 * 1024;

impl Batch {
    /// A batch for `table` with `columns` in table order.
    pub fn new<S: AsRef<str>>(table: &str, columns: &[(S, Kind)]) -> Self {
        let fields: Vec<Field> = columns
            .iter()
            .map(|(name, kind)| {
                let field = Field::new(name.as_ref(), kind.data_type(), true);
                match kind {
                    // declared JSON to DuckDB: stored without being parsed again
                    Kind::Json => field.with_metadata(std::collections::HashMap::from([(
                        JSON_FIELD.to_string(),
                        "true".to_string(),
                    )])),
                    _ => field,
                }
            })
            .collect();
        Batch {
            table: table.to_string(),
            schema: Arc::new(Schema::new(fields)),
            columns: columns.iter().map(|(_, k)| k.builder()).collect(),
            rows: 0,
            text_bytes: 0,
        }
    }

    /// The target table.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// True when the batch should be appended now ([`FLUSH_ROWS`] rows or
    /// [`FLUSH_BYTES`] of text).
    pub fn is_full(&self) -> bool {
        self.rows >= FLUSH_ROWS || self.text_bytes >= FLUSH_BYTES
    }

    /// True when no rows are buffered.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Starts a row; write every column in order, then call [`RowWriter::end`].
    pub fn row(&mut self) -> RowWriter<'_> {
        RowWriter {
            batch: self,
            next: 0,
        }
    }

    /// Drains the buffered rows into a record batch.
    pub fn take(&mut self) -> Result<RecordBatch, ArrowError> {
        let arrays = self.columns.iter_mut().map(Column::finish).collect();
        self.rows = 0;
        self.text_bytes = 0;
        RecordBatch::try_new(self.schema.clone(), arrays)
    }
}

/// Writes one row's cells in column order.
pub struct RowWriter<'a> {
    batch: &'a mut Batch,
    next: usize,
}

impl RowWriter<'_> {
    fn column(&mut self) -> &mut Column {
        let i = self.next;
        self.next += 1;
        &mut self.batch.columns[i]
    }

    /// A text cell.
    pub fn text(mut self, v: Option<&str>) -> Self {
        self.batch.text_bytes += v.map_or(0, str::len);
        match self.column() {
            Column::Text(b) => b.append_option(v),
            _ => self.mismatch("Text"),
        }
        self
    }

    /// A BIGINT cell.
    pub fn bigint(mut self, v: Option<i64>) -> Self {
        match self.column() {
            Column::BigInt(b) => b.append_option(v),
            _ => self.mismatch("BigInt"),
        }
        self
    }

    /// A BOOLEAN cell.
    pub fn boolean(mut self, v: Option<bool>) -> Self {
        match self.column() {
            Column::Bool(b) => b.append_option(v),
            _ => self.mismatch("Bool"),
        }
        self
    }

    /// A DOUBLE cell.
    pub fn double(mut self, v: Option<f64>) -> Self {
        match self.column() {
            Column::Double(b) => b.append_option(v),
            _ => self.mismatch("Double"),
        }
        self
    }

    /// A TIMESTAMP cell (UTC, µs since 1970).
    pub fn timestamp(mut self, v: Option<i64>) -> Self {
        match self.column() {
            Column::Timestamp(b) => b.append_option(v),
            _ => self.mismatch("Timestamp"),
        }
        self
    }

    /// A DATE cell (days since 1970).
    pub fn date(mut self, v: Option<i32>) -> Self {
        match self.column() {
            Column::Date(b) => b.append_option(v),
            _ => self.mismatch("Date"),
        }
        self
    }

    /// A cell written with the wrong type: a programming error (never
    /// input), stopped in every build rather than appended misaligned.
    fn mismatch(&self, written: &str) -> ! {
        panic!(
            "{}: column {} written as {written}, declared as {:?}",
            self.batch.table,
            self.next - 1,
            self.batch.schema.field(self.next - 1).data_type()
        )
    }

    /// Completes the row. Panics, in every build, if a column was skipped
    /// (a programming error, never input).
    pub fn end(self) {
        assert_eq!(
            self.next,
            self.batch.columns.len(),
            "{}: row has the wrong number of cells",
            self.batch.table
        );
        self.batch.rows += 1;
    }
}
