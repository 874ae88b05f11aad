//! Rendering query results for the terminal: an aligned table, CSV, or JSON.

use std::borrow::Cow;
use std::io::Write;

use anyhow::Result;
use duckdb::arrow::array::{Array, ArrayRef};
use duckdb::arrow::datatypes::DataType;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::arrow::util::display::{ArrayFormatter, FormatOptions};
use duckdb::arrow::util::pretty::pretty_format_batches;

/// Output formats of `hookstat query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An aligned text table.
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A JSON array of objects (numbers and booleans typed).
    Json,
}

/// Writes `batches` to `out` in `format`.
pub fn write(batches: &[RecordBatch], format: Format, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Table => {
            let shown: Vec<RecordBatch> = batches
                .iter()
                .map(|b| {
                    let fields: Vec<_> = b
                        .schema()
                        .fields()
                        .iter()
                        .zip(displayable_columns(b))
                        .map(|(f, c)| f.as_ref().clone().with_data_type(c.data_type().clone()))
                        .collect();
                    RecordBatch::try_new(
                        std::sync::Arc::new(duckdb::arrow::datatypes::Schema::new(fields)),
                        displayable_columns(b),
                    )
                })
                .collect::<Result<_, _>>()?;
            writeln!(out, "{}", pretty_format_batches(&shown)?)?;
        }
        Format::Csv => write_csv(batches, out, |cell| Cow::Borrowed(cell))?,
        Format::Json => {
            let mut rows = Vec::new();
            for batch in batches {
                let columns = displayable_columns(batch);
                let cells = formatters(&columns)?;
                let names: Vec<_> = batch
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .collect();
                for row in 0..batch.num_rows() {
                    let cells = names
                        .iter()
                        .zip(&cells)
                        .map(|(name, (col, f))| (name.clone(), json_cell(col, f, row)))
                        .collect();
                    rows.push(OrderedRow(cells));
                }
            }
            serde_json::to_writer_pretty(&mut *out, &rows)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Writes `batches` as RFC 4180 CSV with a header row. The header and the
/// cells of text columns pass through `text`; numbers, times and booleans
/// are written as they are.
pub fn write_csv(
    batches: &[RecordBatch],
    out: &mut dyn Write,
    text: fn(&str) -> Cow<'_, str>,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    if let Some(first) = batches.first() {
        w.write_record(
            first
                .schema()
                .fields()
                .iter()
                .map(|f| text(f.name()).into_owned()),
        )?;
    }
    for batch in batches {
        let columns = displayable_columns(batch);
        let cells = formatters(&columns)?;
        for row in 0..batch.num_rows() {
            w.write_record(cells.iter().map(|(col, f)| {
                if col.is_null(row) {
                    return String::new();
                }
                let cell = f.value(row).to_string();
                if is_text(col.data_type()) {
                    text(&cell).into_owned()
                } else {
                    cell
                }
            }))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Columns written as text: all but numbers, times and booleans.
fn is_text(t: &DataType) -> bool {
    !(t.is_numeric() || t.is_temporal() || matches!(t, DataType::Boolean | DataType::Null))
}

/// A result row that serialises as a JSON object in column order.
struct OrderedRow(Vec<(String, serde_json::Value)>);

impl serde::Serialize for OrderedRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Timestamps with a time zone shown as their UTC wall-clock time: the
/// arrow formatter cannot resolve zone names without chrono-tz.
pub fn displayable(col: &ArrayRef) -> ArrayRef {
    use duckdb::arrow::array::{
        AsArray, TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray,
        TimestampSecondArray,
    };
    use duckdb::arrow::datatypes::{
        TimeUnit, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType,
    };
    use std::sync::Arc;
    let DataType::Timestamp(unit, Some(_)) = col.data_type() else {
        return col.clone();
    };
    match unit {
        TimeUnit::Second => Arc::new(TimestampSecondArray::from(
            col.as_primitive::<TimestampSecondType>()
                .clone()
                .with_timezone_opt(None::<String>),
        )),
        TimeUnit::Millisecond => Arc::new(TimestampMillisecondArray::from(
            col.as_primitive::<TimestampMillisecondType>()
                .clone()
                .with_timezone_opt(None::<String>),
        )),
        TimeUnit::Microsecond => Arc::new(TimestampMicrosecondArray::from(
            col.as_primitive::<TimestampMicrosecondType>()
                .clone()
                .with_timezone_opt(None::<String>),
        )),
        TimeUnit::Nanosecond => Arc::new(TimestampNanosecondArray::from(
            col.as_primitive::<TimestampNanosecondType>()
                .clone()
                .with_timezone_opt(None::<String>),
        )),
    }
}

/// Columns of `batch` ready to format.
pub fn displayable_columns(batch: &RecordBatch) -> Vec<ArrayRef> {
    batch.columns().iter().map(displayable).collect()
}

fn formatters(columns: &[ArrayRef]) -> Result<Vec<(ArrayRef, ArrayFormatter<'_>)>> {
    let options = FormatOptions::default();
    columns
        .iter()
        .map(|c| Ok((c.clone(), ArrayFormatter::try_new(c.as_ref(), &options)?)))
        .collect()
}

fn json_cell(col: &ArrayRef, f: &ArrayFormatter<'_>, row: usize) -> serde_json::Value {
    use serde_json::Value;
    if col.is_null(row) {
        return Value::Null;
    }
    let text = f.value(row).to_string();
    let typed = match col.data_type() {
        DataType::Boolean => text.parse::<bool>().ok().map(Value::Bool),
        t if t.is_integer() || t.is_floating() || matches!(t, DataType::Decimal128(..)) => {
            serde_json::from_str::<serde_json::Number>(&text)
                .ok()
                .map(Value::Number)
        }
        _ => None,
    };
    typed.unwrap_or(Value::String(text))
}
