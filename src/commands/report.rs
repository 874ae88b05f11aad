//! `hookstat report`: run every report; write `<name>.csv`, `<name>.svg`,
//! `<name>.png` per report and one self-contained `index.html`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::arrow::record_batch::RecordBatch;

use super::Outcome;
use crate::chart::{self, html, html::Section};
use crate::cli::ReportArgs;
use crate::load::db;
use crate::outdir::Staged;
use crate::output::{self, Format};
use crate::pii::{self, Protector};
use crate::report::definition::{self, Report};
use crate::report::params::ReportParams;
use crate::report::run;
use crate::report::table::Table;

/// Runs the reports; a failed report is a problem (the others are still
/// written).
pub fn run(args: &ReportArgs) -> Result<Outcome> {
    let outcome = report(&args.options()?, true)?;
    Ok(Outcome::from_problems(
        outcome
            .failures
            .iter()
            .map(|f| format!("report failed: {f}"))
            .collect(),
    ))
}

/// What a report run produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportRun {
    /// Reports written.
    pub reports: usize,
    /// The HTML page.
    pub index: String,
    /// Reports (or charts) that failed, each naming its file.
    pub failures: Vec<String>,
}

/// Writes one report's CSV and chart into `out`; a chart that cannot be
/// drawn is a failure of that report, the CSV and table are still kept.
fn write_one(
    report: Report,
    batches: &[RecordBatch],
    out: &Path,
    failures: &mut Vec<String>,
) -> Result<Section> {
    let path = out.join(format!("{}.csv", report.name));
    let mut file =
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    output::write(batches, Format::Csv, &mut file)?;
    let table = Table::from_batches(batches);
    let chart = match chart::spec_for(&report, &table) {
        Ok(Some((spec, axes))) => chart::render(&report, &spec, &axes, out).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    let svg = chart.unwrap_or_else(|e| {
        failures.push(format!("{} ({}): chart: {e}", report.name, report.origin));
        None
    });
    Ok(Section {
        report,
        table,
        svg,
        error: None,
    })
}

/// What one report run does: plain values from flags (`report`) or the
/// configuration (`run`).
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The database file (opened read-only).
    pub db: PathBuf,
    /// The output folder (replaced whole when complete).
    pub out: PathBuf,
    /// Filters: zone, dates, configurations.
    pub params: ReportParams,
    /// Folder of extra or replacement report files.
    pub reports: Option<PathBuf>,
    /// How phone numbers are protected in everything written.
    pub protector: Protector,
}

impl ReportArgs {
    /// The options these flags ask for (loads or creates the key file).
    pub fn options(&self) -> Result<ReportOptions> {
        Ok(ReportOptions {
            db: self.db.db.clone(),
            out: self.out.clone(),
            params: ReportParams {
                tz: self.tz,
                from: self.from,
                to: self.to,
                configs: self.configs.clone(),
            },
            reports: self.reports.clone(),
            protector: self.pii.protector()?,
        })
    }
}

/// Runs every report and writes the files; `verbose` lists them on stderr.
pub fn report(args: &ReportOptions, verbose: bool) -> Result<ReportRun> {
    let conn = db::open_read_only(&args.db)?;
    let params = &args.params;
    run::prepare(&conn, params)?;
    // report SQL (also dropped-in files) reads the database and nothing else
    conn.execute_batch("SET enable_external_access = false; SET lock_configuration = true;")?;
    let protector = &args.protector;
    // report folders come only from --reports or the configuration, never
    // from the working directory (cron runs anywhere)
    let (reports, mut failures) = definition::load(args.reports.as_deref());
    let staged = Staged::new(&args.out)
        .with_context(|| format!("cannot create a folder beside {}", args.out.display()))?;
    let out = staged.dir().to_path_buf();
    let mut pages: Vec<Section> = Vec::new();
    for outcome in run::run_all(&conn, reports) {
        let section = match outcome.result {
            Ok(raw) => {
                // phone numbers never reach a CSV, chart or the page
                let batches = pii::batches::protect(&raw, protector);
                write_one(outcome.report, &batches, &out, &mut failures)?
            }
            Err(e) => {
                failures.push(e.clone());
                Section {
                    report: outcome.report,
                    table: Table::default(),
                    svg: None,
                    error: Some(e),
                }
            }
        };
        if verbose && section.error.is_none() {
            let name = &section.report.name;
            let shown = staged.target().join(format!("{name}.csv"));
            eprintln!(
                "  {name:<20} {:>6} rows  {}",
                section.table.rows.len(),
                shown.display()
            );
        }
        pages.push(section);
    }
    let index = out.join("index.html");
    let page = html::page(&html::PageInfo {
        params,
        generated_at: chrono::Utc::now()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string(),
        database: args.db.display().to_string(),
        sections: &pages,
    });
    std::fs::write(&index, page).with_context(|| format!("cannot write {}", index.display()))?;
    let index = staged.target().join("index.html");
    let target = staged.target().display().to_string();
    staged
        .commit()
        .with_context(|| format!("cannot put the reports in place at {target}"))?;
    if verbose {
        eprintln!("  report page          {}", index.display());
    }
    Ok(ReportRun {
        reports: pages.len(),
        index: index.display().to_string(),
        failures,
    })
}
