//! The configuration of `hookstat run`: an optional TOML file whose paths
//! are relative to it, under the flags. Every value of the file goes
//! through the parser of its flag, so the file and the command line accept
//! the same spellings.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use super::ingest::IngestOptions;
use super::report::{ReportOptions, DEFAULT_KEEP_REPORTS};
use crate::budgets::{parse_duration, Budgets, DEFAULT_SETTLE_TIME};
use crate::cli::{parse_size, RunArgs};
use crate::mail::{MailConfig, MailSettings};
use crate::pii::{PiiPolicy, Protector};
use crate::report::params::ReportParams;
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
    /// Dated report folders kept.
    pub keep_reports: Option<usize>,
    /// Age of the newest event over which the run warns and exits 1.
    pub stale_after: Option<String>,
    /// Tuning of the decision's always-valid intervals (answers).
    pub decision_nstar: Option<f64>,
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
    /// The morning digest by mail.
    pub mail: Option<MailConfig>,
}

/// `[strict]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrictConfig {
    /// More quarantined records than this fails the run.
    pub max_rejected: Option<u64>,
    /// More field issues than this fails the run.
    pub max_field_issues: Option<u64>,
    /// Any "looks wrong" flag of the digest fails the run.
    pub alerts: Option<bool>,
}

/// Everything one night does, resolved from the flags over the file.
pub struct NightPlan {
    /// The ingest.
    pub ingest: IngestOptions,
    /// The reports.
    pub report: ReportOptions,
    /// The export folder (no export when None).
    pub export_out: Option<PathBuf>,
    /// Phone-number protection of the export (checked before anything runs).
    pub protector: Protector,
    /// More quarantined records than this: a problem.
    pub max_rejected: Option<u64>,
    /// More field issues than this: a problem.
    pub max_field_issues: Option<u64>,
    /// The digest's flags are problems.
    pub strict_alerts: bool,
    /// The mail of the digest (None: no `[mail]` section).
    pub mail: Option<MailSettings>,
}

pub fn load_file(path: &Path) -> Result<RunConfig> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{} is not a valid hookstat configuration", path.display()))
}

/// `flag`, else the file's `text` through `parse`, else `default`.
fn pick<T>(
    flag: Option<T>,
    text: Option<&str>,
    key: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    default: impl FnOnce() -> T,
) -> Result<T> {
    match (flag, text) {
        (Some(v), _) => Ok(v),
        (None, Some(t)) => parse(t).map_err(|e| anyhow::anyhow!("{key} in the configuration: {e}")),
        (None, None) => Ok(default()),
    }
}

/// Resolves the night: flags over the file over the defaults. Fails (and
/// nothing has run yet) on a bad file, value, key file or missing archive.
pub fn plan(args: &RunArgs) -> Result<NightPlan> {
    let config = match &args.config {
        Some(path) => load_file(path)?,
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
    let tz = args
        .tz
        .as_deref()
        .or(config.tz.as_deref())
        .map(|t| parse_tz(t).map_err(|e| anyhow::anyhow!("tz: {e}")))
        .transpose()?;
    let stale_after = pick(
        args.history.stale_after.map(Some),
        config.stale_after.as_deref(),
        "stale_after",
        |t| crate::budgets::parse_duration(t).map(Some),
        || None,
    )?;
    let keep_reports = args
        .history
        .keep_reports
        .or(config.keep_reports)
        .unwrap_or(DEFAULT_KEEP_REPORTS);
    // a bad key file or country code stops the night before it changes anything
    let protector = protector(args, &config, &rel)?;
    let ingest = ingest_options(args, &config, db.clone(), paths)?;
    let strict = config.strict.unwrap_or_default();
    let mail = config
        .mail
        .as_ref()
        .map(|m| m.resolve(&base, !args.mail_dry_run))
        .transpose()?;
    if args.mail_dry_run && mail.is_none() {
        anyhow::bail!("--mail-dry-run needs a [mail] section in the configuration");
    }
    Ok(NightPlan {
        ingest,
        report: ReportOptions {
            db,
            out: args
                .report_out
                .clone()
                .or_else(|| config.reports_out.as_ref().map(rel))
                .unwrap_or_else(|| PathBuf::from("reports-out")),
            params: ReportParams {
                tz,
                from: None,
                to: None,
                configs: Vec::new(),
            },
            reports: config.reports_dir.as_ref().map(rel),
            protector: protector.clone(),
            keep_reports,
            stale_after,
            nstar: pick_nstar(args.decision.decision_nstar, config.decision_nstar)?,
        },
        export_out: args
            .export_out
            .clone()
            .or_else(|| config.export_out.as_ref().map(rel)),
        protector,
        max_rejected: args
            .max_rejected
            .or(strict.max_rejected)
            .or(args.strict.then_some(0)),
        max_field_issues: args.max_field_issues.or(strict.max_field_issues),
        strict_alerts: strict.alerts.unwrap_or(false),
        mail,
    })
}

/// The protector of the night: the PII flags over the file's `pii`,
/// `pii_key_file` and `pii_country_code`.
fn protector(
    args: &RunArgs,
    config: &RunConfig,
    rel: &dyn Fn(&PathBuf) -> PathBuf,
) -> Result<Protector> {
    let policy = pick(
        args.pii.pii,
        config.pii.as_deref(),
        "pii",
        PiiPolicy::parse,
        || PiiPolicy::Hash,
    )?;
    let key_file = args
        .pii
        .pii_key_file
        .clone()
        .or_else(|| config.pii_key_file.as_ref().map(rel));
    let country_code = args
        .pii
        .pii_country_code
        .clone()
        .or(config.pii_country_code.clone());
    crate::pii::protector(policy, key_file.as_deref(), country_code.as_deref())
}

/// The ingest of the night: memory limit, settle time and budgets from the
/// flags over the file.
fn ingest_options(
    args: &RunArgs,
    config: &RunConfig,
    db: PathBuf,
    paths: Vec<PathBuf>,
) -> Result<IngestOptions> {
    let settle_time = pick(
        args.budgets.settle_time,
        config.settle_time.as_deref(),
        "settle_time",
        parse_duration,
        || DEFAULT_SETTLE_TIME,
    )?;
    let memory_limit = pick(
        args.memory_limit.clone(),
        config.memory_limit.as_deref(),
        "memory_limit",
        parse_size,
        || "256MB".into(),
    )?;
    Ok(IngestOptions {
        db,
        paths,
        memory_limit,
        threads: None,
        budgets: args.budgets.over(config.budgets.unwrap_or_default()),
        settle_time,
        quiet: true,
    })
}

/// The decision's tuning: the flag, else the TOML, else the default.
fn pick_nstar(flag: Option<f64>, toml: Option<f64>) -> Result<f64> {
    match flag.or(toml) {
        None => Ok(crate::report::decision::DEFAULT_NSTAR),
        Some(v) => crate::cli::parse_nstar(&v.to_string())
            .map_err(|e| anyhow::anyhow!("decision_nstar: {e}")),
    }
}
