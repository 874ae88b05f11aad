//! `hookstat run`: the nightly job. Ingest, then reports, then export, with
//! one summary; settings from an optional TOML file, overridden by flags.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::Outcome;
use super::{ingest, report};
use crate::budgets::{parse_duration, Budgets, DEFAULT_SETTLE_TIME};
use crate::cli::{parse_size, BudgetArgs, DbArg, IngestArgs, PiiArgs, ReportArgs, RunArgs};
use crate::export::{export, ExportOptions, ExportSummary};
use crate::load::db;
use crate::pii::PiiPolicy;
use crate::summary::IngestSummary;
use crate::tz::parse_tz;

/// The TOML configuration file (every key optional; flags win).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// Database file.
    pub database: Option<PathBuf>,
    /// Archive files or folders.
    pub archives: Option<Vec<PathBuf>>,
    /// Folder for reports.
    pub reports_out: Option<PathBuf>,
    /// Folder of extra report files.
    pub reports_dir: Option<PathBuf>,
    /// Folder for Parquet (no export when absent).
    pub export_out: Option<PathBuf>,
    /// Time zone of the reports.
    pub tz: Option<String>,
    /// PII policy of the export: hash, mask, drop or keep.
    pub pii: Option<String>,
    /// Key file of the keyed hash.
    pub pii_key_file: Option<PathBuf>,
    /// Country code of national numbers.
    pub pii_country_code: Option<String>,
    /// DuckDB memory limit while loading.
    pub memory_limit: Option<String>,
    /// How long an incomplete last record waits for the rest (`24h`).
    pub settle_time: Option<String>,
    /// `[budgets]` table: ceilings per event, table and run.
    pub budgets: Option<Budgets>,
    /// Limits that make the run exit 1.
    pub strict: Option<StrictConfig>,
}

/// `[strict]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrictConfig {
    /// More quarantined records than this fails the run.
    pub max_rejected: Option<u64>,
    /// More field issues than this fails the run.
    pub max_field_issues: Option<u64>,
}

/// The whole night, for `--json`.
#[derive(Debug, Serialize)]
pub struct RunSummary {
    /// Ingest numbers.
    pub ingest: IngestSummary,
    /// Reports (None when the report stage failed as a whole).
    pub report: Option<report::ReportRun>,
    /// Export numbers (None when no export folder is set).
    pub export: Option<ExportSummary>,
    /// Why the run exits 1 (empty when all is well).
    pub problems: Vec<String>,
    /// The exit status.
    pub exit_code: i32,
}

fn load_config(path: &Path) -> Result<RunConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{} is not a valid hookstat configuration", path.display()))
}

/// Runs the night and prints one summary.
pub fn run(args: &RunArgs) -> Result<Outcome> {
    let config = match &args.config {
        Some(path) => load_config(path)?,
        None => RunConfig::default(),
    };
    // paths in the file are relative to the file
    let base = args
        .config
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let rel = |p: &PathBuf| {
        if p.is_absolute() {
            p.clone()
        } else {
            base.join(p)
        }
    };
    let db = args
        .db
        .clone()
        .or_else(|| config.database.as_ref().map(rel))
        .unwrap_or_else(|| PathBuf::from("hookstat.duckdb"));
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        config.archives.iter().flatten().map(rel).collect()
    } else {
        args.paths.clone()
    };
    if paths.is_empty() {
        anyhow::bail!("no archive paths: pass them on the command line or set `archives` in the configuration");
    }
    let tz = match args.tz.clone().or(config.tz.clone()) {
        Some(name) => parse_tz(&name).map_err(anyhow::Error::msg)?,
        None => chrono_tz::UTC,
    };
    let pii = match (args.pii.pii, config.pii.as_deref()) {
        (Some(p), _) => p,
        (None, Some(name)) => {
            PiiPolicy::parse(name).map_err(|e| anyhow::anyhow!("pii in the configuration: {e}"))?
        }
        (None, None) => PiiPolicy::Hash,
    };
    let pii_args = PiiArgs {
        pii: Some(pii),
        pii_key_file: args
            .pii
            .pii_key_file
            .clone()
            .or_else(|| config.pii_key_file.as_ref().map(rel)),
        pii_country_code: args
            .pii
            .pii_country_code
            .clone()
            .or(config.pii_country_code.clone()),
    };
    // a bad key file or country code stops the night before it changes anything
    let protector = pii_args.protector()?;
    let strict = config.strict.unwrap_or_default();
    let max_rejected = args
        .max_rejected
        .or(strict.max_rejected)
        .or(args.strict.then_some(0));
    let max_field_issues = args.max_field_issues.or(strict.max_field_issues);

    let settle_time = match (args.budgets.settle_time, config.settle_time.as_deref()) {
        (Some(t), _) => t,
        (None, Some(text)) => parse_duration(text).map_err(anyhow::Error::msg)?,
        (None, None) => DEFAULT_SETTLE_TIME,
    };
    // the configuration goes through the parsers of the flags
    let memory_limit = match (&args.memory_limit, &config.memory_limit) {
        (Some(m), _) => m.clone(),
        (None, Some(text)) => parse_size(text)
            .map_err(|e| anyhow::anyhow!("memory_limit in the configuration: {e}"))?,
        (None, None) => "256MB".into(),
    };
    let db_arg = DbArg { db: db.clone() };
    let ingested = ingest::ingest(&IngestArgs {
        db: db_arg.clone(),
        json: false,
        strict: false,
        memory_limit,
        threads: None,
        budgets: BudgetArgs {
            settle_time: Some(settle_time),
            ..args.budgets.clone()
        },
        config_budgets: config.budgets.unwrap_or_default(),
        paths,
    })?;
    if !args.quiet && !args.json {
        eprintln!("{}", ingested.to_text());
    }
    // the ingest is committed: from here on a failing stage is exit 1,
    // named in the summary, never 2 ("changed nothing")
    let mut problems = Vec::new();
    let reported = report::report(
        &ReportArgs {
            db: db_arg,
            out: args
                .report_out
                .clone()
                .or_else(|| config.reports_out.as_ref().map(rel))
                .unwrap_or_else(|| PathBuf::from("reports-out")),
            tz,
            from: None,
            to: None,
            configs: Vec::new(),
            reports: config.reports_dir.as_ref().map(rel),
            pii: pii_args,
        },
        args.verbose,
    )
    .map_err(|e| problems.push(format!("report stage failed: {e:#}")))
    .ok();
    let export_out = args
        .export_out
        .clone()
        .or_else(|| config.export_out.as_ref().map(rel));
    let exported = match export_out {
        Some(out) => db::open_for_write(&db, "256MB")
            .map_err(anyhow::Error::from)
            .and_then(|conn| {
                export(
                    &conn,
                    &ExportOptions {
                        out,
                        tables: None,
                        protector: protector.clone(),
                        tz,
                    },
                )
            })
            .map_err(|e| problems.push(format!("export stage failed: {e:#}")))
            .ok(),
        None => None,
    };
    if let Some(max) = max_rejected.filter(|&m| ingested.counts.rejected > m) {
        problems.push(format!(
            "{} records quarantined (limit {max})",
            ingested.counts.rejected
        ));
    }
    if let Some(max) = max_field_issues.filter(|&m| ingested.counts.field_issues > m) {
        problems.push(format!(
            "{} field issues (limit {max})",
            ingested.counts.field_issues
        ));
    }
    problems.extend(
        reported
            .iter()
            .flat_map(|r| &r.failures)
            .map(|f| format!("report failed: {f}")),
    );
    let outcome = Outcome::from_problems(problems.clone());
    let exit_code = outcome.exit_code();
    let summary = RunSummary {
        ingest: ingested,
        report: reported,
        export: exported,
        problems,
        exit_code,
    };
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else if !args.quiet || exit_code != 0 {
        if let Some(r) = &summary.report {
            eprintln!("  reports       {} written, page {}", r.reports, r.index);
        }
        if let Some(e) = &summary.export {
            eprintln!(
                "  export        {} partitions written ({} rows), {} unchanged",
                e.partitions_written, e.rows_written, e.partitions_unchanged
            );
        }
    }
    Ok(outcome)
}
