//! `hookstat report`: run every report; write `<name>.csv`, `<name>.svg`,
//! `<name>.png` per report, the configuration decision
//! (`config_decision.csv`, `config_pairs.csv`) and one self-contained
//! `index.html` into a dated folder; `latest` links to the newest.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use duckdb::arrow::record_batch::RecordBatch;

use super::Outcome;
use crate::chart::{self, page, page::Section, Palette};
use crate::cli::ReportArgs;
use crate::digest::{self, letter::ChartFile};
use crate::load::db;
use crate::outdir::Dated;
use crate::pii::{self, Protector};
use crate::report::decide;
use crate::report::decision;
use crate::report::definition::{self, Report};
use crate::report::params::ReportParams;
use crate::report::table::Table;
use crate::report::{headline, run, spreadsheet, zone};

/// Dated report folders kept when nothing else is set.
pub const DEFAULT_KEEP_REPORTS: usize = 30;

/// Runs the reports; a failed report, or data older than `--stale-after`,
/// is a problem (the others are still written).
pub fn run(args: &ReportArgs) -> Result<Outcome> {
    let (mail, strict_alerts) =
        super::mail::from_config(args.settings.as_deref(), args.mail_dry_run)?;
    let outcome = report(&args.options()?, !args.quiet)?;
    let mut problems = outcome.problems();
    if let Some(settings) = &mail {
        match super::mail::stage(settings, &outcome, !args.mail_dry_run) {
            Ok(m) if !args.quiet => eprintln!("  mail                 {}", m.line()),
            Ok(_) => {}
            Err(e) => problems.push(e),
        }
    }
    if strict_alerts {
        problems.extend(super::mail::alert_problems(&outcome));
    }
    Ok(Outcome::from_problems(problems))
}

/// What a report run produced.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportRun {
    /// Reports written.
    pub reports: usize,
    /// The HTML page (through the `latest` link).
    pub index: String,
    /// The dated folder written.
    pub folder: String,
    /// The zone of the reports and how it was chosen.
    pub zone: String,
    /// Reports (or charts) that failed, each naming its file.
    pub failures: Vec<String>,
    /// The newest event is older than allowed.
    pub stale: Option<String>,
    /// The digest's facts (changes and alerts; `run --json` shows them).
    #[serde(skip)]
    pub digest: Option<digest::Facts>,
    /// The charts written, in page order (for the mail).
    #[serde(skip)]
    pub charts: Vec<ChartFile>,
}

impl ReportRun {
    /// What makes the command exit 1.
    pub fn problems(&self) -> Vec<String> {
        let failed = self.failures.iter().map(|f| format!("report failed: {f}"));
        failed
            .chain(self.stale.iter().map(|s| format!("stale data: {s}")))
            .collect()
    }
}

/// Writes one report's CSV and chart into `out`; a chart that cannot be
/// drawn is a failure of that report, the CSV and table are still kept.
fn write_one(
    report: Report,
    batches: &[RecordBatch],
    out: &Path,
    ctx: &chart::Context,
    failures: &mut Vec<String>,
) -> Result<Section> {
    let path = out.join(format!("{}.csv", report.name));
    let mut file =
        std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?;
    spreadsheet::write_batches(batches, &mut file)?;
    let table = Table::from_batches(batches);
    let chart = match chart::spec_for_with(&report, &table, ctx) {
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
    /// Dated folders kept.
    pub keep_reports: usize,
    /// Allowed age of the newest event (no check when None).
    pub stale_after: Option<std::time::Duration>,
    /// Tuning of the decision's always-valid intervals (answers).
    pub nstar: f64,
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
            keep_reports: self.history.keep_reports.unwrap_or(DEFAULT_KEEP_REPORTS),
            stale_after: self.history.stale_after,
            nstar: self
                .decision
                .decision_nstar
                .unwrap_or(decision::DEFAULT_NSTAR),
        })
    }
}

/// Runs every report and writes the files; `verbose` lists them on stderr.
pub fn report(args: &ReportOptions, verbose: bool) -> Result<ReportRun> {
    let conn = db::open_read_only(&args.db)?;
    let params = &args.params;
    let zone = zone::resolve(&conn, params.tz)?;
    let configs = run::prepare(&conn, params, zone.tz)?;
    let now = chrono::Utc::now();
    let headline = headline::read(&conn, args.stale_after, now, zone.tz)?;
    let protector = &args.protector.clone().with_times(run::data_times(&conn)?);
    let decisions = decide::decisions(&conn, protector, args.nstar)?;
    let facts = digest::read(&conn, protector, zone.tz, now, headline.stale.as_ref())?;
    // report SQL (also dropped-in files) reads the database and nothing else
    conn.execute_batch("SET enable_external_access = false; SET lock_configuration = true;")?;
    let names = configs
        .iter()
        .map(|c| protector.text(c).into_owned())
        .chain(["(none)".to_string()]);
    let ctx = chart::Context::new(zone.tz.name(), Some(Palette::new(names)));
    // report folders come only from --reports or the configuration, never
    // from the working directory (cron runs anywhere)
    let (reports, mut failures) = definition::load(args.reports.as_deref());
    let stamp = now.format("%Y-%m-%dT%H%M%SZ").to_string();
    let dated = Dated::new(&args.out, &stamp, args.keep_reports)
        .with_context(|| format!("cannot create a report folder in {}", args.out.display()))?;
    let out = dated.dir().to_path_buf();
    decide::write_csvs(&decisions, &out)?;
    let mut pages: Vec<Section> = Vec::new();
    let mut charts = Vec::new();
    for outcome in run::run_all(&conn, reports) {
        let section = match outcome.result {
            Ok(raw) => {
                // phone numbers never reach a CSV, chart or the page
                let batches = pii::batches::protect(&raw, protector);
                write_one(outcome.report, &batches, &out, &ctx, &mut failures)?
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
            let shown = dated.latest().join(format!("{name}.csv"));
            eprintln!(
                "  {name:<20} {:>6} rows  {}",
                section.table.rows.len(),
                shown.display()
            );
        }
        if section.svg.is_some() {
            let name = section.report.name.clone();
            charts.push(ChartFile {
                title: section.report.title().to_string(),
                png: dated.target().join(format!("{name}.png")),
                name,
            });
        }
        pages.push(section);
    }
    let index = out.join("index.html");
    let html = page::page(&page::PageInfo {
        params,
        zone: &zone,
        generated_at: now.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        database: args.db.display().to_string(),
        headline: Some(&headline),
        decisions: &decisions,
        sections: &pages,
        digest: Some(&facts),
    });
    std::fs::write(&index, html).with_context(|| format!("cannot write {}", index.display()))?;
    let index = dated.latest().join("index.html");
    let folder = dated.target().display().to_string();
    dated
        .commit()
        .with_context(|| format!("cannot put the reports in place at {folder}"))?;
    if verbose {
        eprintln!("  report page          {}", index.display());
        eprintln!("  time zone            {} ({})", zone.tz.name(), zone.how);
        if let Some(stale) = &headline.stale {
            eprintln!("  warning              {}", stale.message);
        }
    }
    Ok(ReportRun {
        reports: pages.len(),
        index: index.display().to_string(),
        folder,
        zone: format!("{} ({})", zone.tz.name(), zone.how),
        failures,
        stale: headline.stale.map(|s| s.message),
        digest: Some(facts),
        charts,
    })
}
