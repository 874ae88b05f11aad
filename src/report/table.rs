//! Report results as a small table of text and numbers, for charts and
//! HTML.

use duckdb::arrow::array::Array;
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::arrow::util::display::{ArrayFormatter, FormatOptions};

/// A report's rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Cells as text (empty for NULL).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads record batches.
    pub fn from_batches(batches: &[RecordBatch]) -> Table {
        let mut table = Table::default();
        let Some(first) = batches.first() else {
            return table;
        };
        table.columns = first
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let options = FormatOptions::default();
        for batch in batches {
            let formatters: Vec<_> = batch
                .columns()
                .iter()
                .map(|c| {
                    (
                        c.clone(),
                        ArrayFormatter::try_new(c.as_ref(), &options).ok(),
                    )
                })
                .collect();
            for row in 0..batch.num_rows() {
                table.rows.push(
                    formatters
                        .iter()
                        .map(|(col, f)| match f {
                            Some(f) if !col.is_null(row) => f.value(row).to_string(),
                            _ => String::new(),
                        })
                        .collect(),
                );
            }
        }
        table
    }

    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A column's cells as text.
    pub fn texts(&self, i: usize) -> Vec<String> {
        self.rows.iter().map(|r| r[i].clone()).collect()
    }

    /// A column's cells as numbers (None for NULL or text).
    pub fn numbers(&self, i: usize) -> Vec<Option<f64>> {
        self.rows.iter().map(|r| r[i].parse::<f64>().ok()).collect()
    }
}
