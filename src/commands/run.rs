//! `hookstat run`: the nightly job. Ingest, then reports, then export, with
//! one summary; settings from an optional TOML file, overridden by flags
//! (`config.rs`).

use anyhow::Result;
use serde::Serialize;

use super::config::{plan, NightPlan};
use super::Outcome;
use super::{ingest, mail, report};
use crate::cli::RunArgs;
use crate::digest::{Alert, Changes};
use crate::export::{export, ExportOptions, ExportSummary};
use crate::load::db;
use crate::summary::IngestSummary;
use crate::text::thousands;

/// The whole night, for `--json`.
#[derive(Debug, Serialize)]
pub struct RunSummary {
    /// Ingest numbers.
    pub ingest: IngestSummary,
    /// Reports (None when the report stage failed as a whole).
    pub report: Option<report::ReportRun>,
    /// Export numbers (None when no export folder is set).
    pub export: Option<ExportSummary>,
    /// What changed tonight (None when the report stage failed).
    pub changes: Option<Changes>,
    /// What looks wrong.
    pub alerts: Vec<Alert>,
    /// The digest mail (None without a `[mail]` section).
    pub mail: Option<mail::MailSummary>,
    /// Why the run exits 1 (empty when all is well).
    pub problems: Vec<String>,
    /// The exit status.
    pub exit_code: i32,
}

/// Runs the night and prints one summary.
pub fn run(args: &RunArgs) -> Result<Outcome> {
    let night = plan(args)?;
    let ingested = ingest::ingest(&night.ingest)?.protected(&night.report.protector);
    if !args.quiet && !args.json {
        eprintln!("{}", ingested.to_text());
    }
    // the ingest is committed: from here on a failing stage is exit 1,
    // named in the summary, never 2 ("changed nothing")
    let mut problems = Vec::new();
    let reported = report::report(&night.report, args.verbose)
        .map_err(|e| problems.push(format!("report stage failed: {e:#}")))
        .ok();
    let exported = night.export_out.as_ref().and_then(|out| {
        export_stage(&night, out)
            .map_err(|e| problems.push(format!("export stage failed: {e:#}")))
            .ok()
    });
    problems.extend(exported.as_ref().and_then(|e| e.key_changed.clone()));
    problems.extend(limits_exceeded(&night, &ingested));
    problems.extend(reported.iter().flat_map(|r| r.problems()));
    // last: the message tells what the stages before it did
    let mailed = match (&night.mail, &reported) {
        (Some(settings), Some(r)) => mail::stage(settings, r, !args.mail_dry_run)
            .map_err(|e| problems.push(e))
            .ok(),
        (Some(_), None) => {
            problems.push("mail stage skipped: no report to send".into());
            None
        }
        _ => None,
    };
    if night.strict_alerts {
        problems.extend(reported.iter().flat_map(mail::alert_problems));
    }
    let digest = reported.as_ref().and_then(|r| r.digest.clone());
    let outcome = Outcome::from_problems(problems.clone());
    let summary = RunSummary {
        ingest: ingested,
        report: reported,
        export: exported,
        changes: digest.as_ref().map(|d| d.changes.clone()),
        alerts: digest.map(|d| d.alerts).unwrap_or_default(),
        mail: mailed,
        problems,
        exit_code: outcome.exit_code(),
    };
    print_summary(args, &summary)?;
    Ok(outcome)
}

fn export_stage(night: &NightPlan, out: &std::path::Path) -> Result<ExportSummary> {
    let conn = db::open_existing_for_write(&night.ingest.db, "256MB")?;
    export(
        &conn,
        &ExportOptions {
            out: out.to_path_buf(),
            tables: None,
            protector: night.protector.clone(),
            tz: night.report.params.tz.unwrap_or(chrono_tz::UTC),
        },
    )
}

/// The `[strict]` limits the ingest went over.
fn limits_exceeded(night: &NightPlan, ingested: &IngestSummary) -> Vec<String> {
    let c = &ingested.counts;
    let mut problems = Vec::new();
    if let Some(max) = night.max_rejected.filter(|&m| c.rejected > m) {
        problems.push(format!("{} records quarantined (limit {max})", c.rejected));
    }
    if let Some(max) = night.max_field_issues.filter(|&m| c.field_issues > m) {
        problems.push(format!("{} field issues (limit {max})", c.field_issues));
    }
    problems
}

fn print_summary(args: &RunArgs, summary: &RunSummary) -> Result<()> {
    if args.json {
        println!("{}", serde_json::to_string(summary)?);
    } else if !args.quiet || summary.exit_code != 0 {
        if let Some(r) = &summary.report {
            eprintln!("  reports       {} written, page {}", r.reports, r.index);
        }
        // stale data is printed once, as the problem "stale data: …"
        for a in summary.alerts.iter().filter(|a| a.kind != "stale") {
            eprintln!("  alert         {}", a.message);
        }
        if let Some(m) = &summary.mail {
            eprintln!("  mail          {}", m.line());
        }
        if let Some(e) = &summary.export {
            eprintln!(
                "  export        {} partitions written ({} rows), {} unchanged",
                thousands(e.partitions_written as u64),
                thousands(e.rows_written),
                thousands(e.partitions_unchanged as u64)
            );
        }
    }
    Ok(())
}
