//! Column-oriented row buffers that become Arrow record batches for
//! DuckDB's appender.
//!
//! A [`Batch`] is declared with the target table's columns in table order;
//! rows are written one cell at a time through a [`RowWriter`], in the same
//! order. `tests` checks every declared batch against `sql/schema.sql`.

use std::sync::Arc;

use duckdb::arrow::array::{
    ArrayBuilder, ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder,
    StringBuilder, TimestampMicrosecondBuilder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::error::ArrowError;
use duckdb::arrow::record_batch::RecordBatch;

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
}

impl Kind {
    fn data_type(self) -> DataType {
        match self {
            Kind::Text => DataType::Utf8,
            Kind::BigInt => DataType::Int64,
            Kind::Bool => DataType::Boolean,
            Kind::Double => DataType::Float64,
            Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
            Kind::Date => DataType::Date32,
        }
    }

    fn builder(self) -> Column {
        match self {
            Kind::Text => Column::Text(StringBuilder::new()),
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
    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Text(b) => Arc::new(b.finish()),
            Column::BigInt(b) => Arc::new(b.finish()),
            Column::Bool(b) => Arc::new(b.finish()),
            Column::Double(b) => Arc::new(b.finish()),
            Column::Timestamp(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Text(b) => b.len(),
            Column::BigInt(b) => b.len(),
            Column::Bool(b) => b.len(),
            Column::Double(b) => b.len(),
            Column::Timestamp(b) => b.len(),
            Column::Date(b) => b.len(),
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
            .map(|(name, kind)| Field::new(name.as_ref(), kind.data_type(), true))
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

    /// Column names in order.
    #[cfg(test)]
    pub fn column_names(&self) -> Vec<String> {
        self.schema
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
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
        if let Column::Text(b) = self.column() {
            b.append_option(v);
        }
        self
    }

    /// A BIGINT cell.
    pub fn bigint(mut self, v: Option<i64>) -> Self {
        if let Column::BigInt(b) = self.column() {
            b.append_option(v);
        }
        self
    }

    /// A BOOLEAN cell.
    pub fn boolean(mut self, v: Option<bool>) -> Self {
        if let Column::Bool(b) = self.column() {
            b.append_option(v);
        }
        self
    }

    /// A DOUBLE cell.
    pub fn double(mut self, v: Option<f64>) -> Self {
        if let Column::Double(b) = self.column() {
            b.append_option(v);
        }
        self
    }

    /// A TIMESTAMP cell (UTC, µs since 1970).
    pub fn timestamp(mut self, v: Option<i64>) -> Self {
        if let Column::Timestamp(b) = self.column() {
            b.append_option(v);
        }
        self
    }

    /// A DATE cell (days since 1970).
    pub fn date(mut self, v: Option<i32>) -> Self {
        if let Column::Date(b) = self.column() {
            b.append_option(v);
        }
        self
    }

    /// Completes the row. Panics in debug builds if a column was skipped or
    /// written with the wrong type (a programming error, never input).
    pub fn end(self) {
        let rows = self.batch.rows + 1;
        debug_assert_eq!(self.next, self.batch.columns.len(), "{}", self.batch.table);
        debug_assert!(
            self.batch.columns.iter().all(|c| c.len() == rows),
            "{}: cell type mismatch",
            self.batch.table
        );
        self.batch.rows = rows;
    }
}
