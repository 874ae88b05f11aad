//! `hookstat query`: read-only SQL over the database.

use anyhow::{Context, Result};

use super::ExitCode;
use crate::cli::QueryArgs;
use crate::load::db;
use crate::output;

/// Runs the user's SQL on a read-only connection and prints the result.
pub fn run(args: &QueryArgs) -> Result<ExitCode> {
    let conn = db::open_read_only(&args.db.db)?;
    let mut stmt = conn.prepare(&args.sql).context("query failed")?;
    let batches: Vec<_> = stmt.query_arrow([]).context("query failed")?.collect();
    let stdout = std::io::stdout();
    output::write(&batches, args.format, &mut stdout.lock())?;
    Ok(0)
}
