//! `hookstat query`: read-only SQL over the database.

use anyhow::{Context, Result};
use duckdb::arrow::record_batch::RecordBatch;

use super::Outcome;
use crate::cli::QueryArgs;
use crate::load::db;
use crate::output;

/// Runs the user's SQL on a read-only connection and prints the result.
pub fn run(args: &QueryArgs) -> Result<Outcome> {
    if args.sql.trim().is_empty() {
        anyhow::bail!("no SQL given: pass the query as one argument");
    }
    let conn = db::open_read_only(&args.db.db)?;
    let mut stmt = conn.prepare(&args.sql).context("query failed")?;
    let result = stmt.query_arrow([]).map_err(|e| {
        let text = e.to_string();
        if text.contains("read-only") {
            anyhow::anyhow!("query failed: `hookstat query` is read-only and cannot change the database ({text})")
        } else {
            anyhow::Error::new(e).context("query failed")
        }
    })?;
    let schema = result.get_schema();
    let mut batches: Vec<_> = result.collect();
    if batches.is_empty() {
        // keep the column names of an empty result
        batches.push(RecordBatch::new_empty(schema));
    }
    let stdout = std::io::stdout();
    output::write(&batches, args.format, &mut stdout.lock())?;
    Ok(Outcome::Done)
}
