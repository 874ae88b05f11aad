//! `hookstat schema`: the tables and columns, with types and JSON paths.

use anyhow::{Context, Result};
use duckdb::arrow::record_batch::RecordBatch;

use super::Outcome;
use crate::cli::SchemaArgs;
use crate::load::db;
use crate::output;

const LISTING_SQL: &str = include_str!("../../sql/schema_listing.sql");

/// Prints the `columns` view, optionally for one table.
pub fn run(args: &SchemaArgs) -> Result<Outcome> {
    let conn = db::open_read_only(&args.db.db)?;
    let mut stmt = conn.prepare(LISTING_SQL).context("listing the schema")?;
    let result = stmt
        .query_arrow(duckdb::params![args.table])
        .context("listing the schema")?;
    let schema = result.get_schema();
    let mut batches: Vec<_> = result.collect();
    if batches.iter().all(|b| b.num_rows() == 0) {
        if let Some(table) = &args.table {
            anyhow::bail!("no table named {table:?}; run `hookstat schema` to list them");
        }
        batches.push(RecordBatch::new_empty(schema));
    }
    output::write(&batches, args.format, &mut std::io::stdout().lock())?;
    Ok(Outcome::Done)
}
