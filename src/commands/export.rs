//! `hookstat export`: Parquet for BI tools.

use anyhow::Result;

use super::Outcome;
use crate::cli::ExportArgs;
use crate::export::{export, ExportOptions};
use crate::load::db;

/// Exports and prints what was written.
pub fn run(args: &ExportArgs) -> Result<Outcome> {
    let conn = db::open_existing_for_write(&args.db.db, "256MB")?;
    let summary = export(
        &conn,
        &ExportOptions {
            out: args.out.clone(),
            tables: (!args.tables.is_empty()).then(|| args.tables.clone()),
            protector: args.pii.protector()?,
            tz: args.tz,
        },
    )?;
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        eprintln!(
            "hookstat export: {} tables into {}: {} partitions written ({} rows), {} unchanged",
            summary.tables,
            args.out.display(),
            summary.partitions_written,
            summary.rows_written,
            summary.partitions_unchanged
        );
    }
    Ok(Outcome::from_problems(
        summary.key_changed.into_iter().collect(),
    ))
}
