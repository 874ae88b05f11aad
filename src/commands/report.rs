//! `hookstat report`: run every report and write `<name>.csv` per report.

use std::path::Path;

use anyhow::{Context, Result};

use super::ExitCode;
use crate::cli::ReportArgs;
use crate::load::db;
use crate::output::{self, Format};
use crate::report::definition;
use crate::report::params::ReportParams;
use crate::report::run;

/// Runs the reports; exit status 1 when any report failed (the others are
/// still written).
pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    let conn = db::open_read_only(&args.db.db)?;
    let params = ReportParams {
        tz: args.tz,
        from: args.from,
        to: args.to,
        configs: args.configs.clone(),
    };
    run::prepare(&conn, &params)?;
    let default_dir = Path::new("reports");
    let dir = args
        .reports
        .as_deref()
        .or_else(|| default_dir.is_dir().then_some(default_dir));
    let (reports, mut failures) = definition::load(dir);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    for outcome in run::run_all(&conn, reports) {
        match outcome.result {
            Ok(batches) => {
                let path = args.out.join(format!("{}.csv", outcome.report.name));
                let mut file = std::fs::File::create(&path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                output::write(&batches, Format::Csv, &mut file)?;
                let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
                eprintln!(
                    "  {:<20} {rows:>6} rows  {}",
                    outcome.report.name,
                    path.display()
                );
            }
            Err(e) => failures.push(e),
        }
    }
    for failure in &failures {
        eprintln!("hookstat: report failed: {failure}");
    }
    Ok(if failures.is_empty() { 0 } else { 1 })
}
