//! Report CSVs that are safe to open in a spreadsheet. Marketing opens
//! them in Excel, where a cell such as `=HYPERLINK("http://x","y")` (a
//! configuration name the data controls) would run as a formula. The
//! OWASP rule: a text cell that starts with `=`, `+`, `-`, `@`, tab or
//! carriage return is written with a leading `'`, which spreadsheets show
//! as text. Numbers are never changed: numeric columns are not text, and a
//! text cell that is a plain number (`-3.5`, `+1e5`) is one for the
//! spreadsheet too, not a formula. The database keeps the raw value; only
//! the report files carry the quote (`hookstat query --format csv` writes
//! values as they are).

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use duckdb::arrow::record_batch::RecordBatch;

use super::table::Table;

/// `cell` as a spreadsheet reads it safely (see the module header).
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    let starts_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if starts_formula && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A decimal number with an optional sign, fraction and exponent (no
/// `inf`, `NaN` or spaces).
fn is_plain_number(cell: &str) -> bool {
    cell.bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && cell.parse::<f64>().is_ok()
}

/// Writes a report's result batches as CSV with [`formula_safe`] text cells.
pub fn write_batches(batches: &[RecordBatch], out: &mut dyn Write) -> Result<()> {
    crate::output::write_csv(batches, out, formula_safe)
}

/// Writes a table of text cells (the decision's tables) as CSV with every
/// cell [`formula_safe`].
pub fn write_table(table: &Table, path: &Path) -> Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    w.write_record(table.columns.iter().map(|c| formula_safe(c).into_owned()))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| formula_safe(c).into_owned()))?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::formula_safe;

    #[test]
    fn formulas_are_quoted_and_numbers_are_not() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+1+2", "'+1+2"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-inf", "'-inf"),
            ("- 3", "'- 3"),
            ("-3.5", "-3.5"),
            ("+1e5", "+1e5"),
            ("-0.25", "-0.25"),
            ("Diwali =offer", "Diwali =offer"),
            ("[phone:0123456789abcdef]", "[phone:0123456789abcdef]"),
            ("9f86d081884c7d65", "9f86d081884c7d65"),
            ("", ""),
        ] {
            assert_eq!(formula_safe(cell), want, "{cell:?}");
        }
    }
}
