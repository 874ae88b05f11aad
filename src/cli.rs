//! The command line: subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::budgets::Budgets;
use crate::output::Format;

/// Turn archived Truecaller for Business webhook deliveries into typed
/// DuckDB tables.
#[derive(Debug, Parser)]
#[command(name = "hookstat", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The database to use.
#[derive(Debug, Args, Clone)]
pub struct DbArg {
    /// DuckDB database file.
    #[arg(
        long,
        env = "HOOKSTAT_DB",
        default_value = "hookstat.duckdb",
        value_name = "FILE"
    )]
    pub db: PathBuf,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The nightly job: ingest, reports and export in one command.
    Run(RunArgs),
    /// Load archive files and folders into the database (incremental).
    Ingest(IngestArgs),
    /// Run read-only SQL against the database.
    Query(QueryArgs),
    /// Run the reports (SQL files) and write one CSV per report.
    Report(ReportArgs),
    /// Export the tables as Hive-partitioned Parquet for BI tools.
    Export(ExportArgs),
    /// List tables and columns: types, JSON paths, when they first appeared.
    Schema(SchemaArgs),
    /// Write a realistic synthetic archive for demos, tests and benchmarks.
    Sample(SampleArgs),
}

/// `hookstat report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Folder for the report files (created if missing).
    #[arg(long, default_value = "reports-out", value_name = "DIR")]
    pub out: PathBuf,
    /// Time zone for local days and hours (IANA name); without it, the
    /// zone of the businesses' country when their numbers agree, else UTC.
    #[arg(long, value_parser = crate::tz::parse_tz, value_name = "ZONE")]
    pub tz: Option<chrono_tz::Tz>,
    #[command(flatten)]
    pub history: HistoryArgs,
    #[command(flatten)]
    pub decision: DecisionArgs,
    /// First local day included (YYYY-MM-DD).
    #[arg(long, value_parser = crate::report::params::parse_date, value_name = "DATE")]
    pub from: Option<chrono::NaiveDate>,
    /// Last local day included (YYYY-MM-DD).
    #[arg(long, value_parser = crate::report::params::parse_date, value_name = "DATE")]
    pub to: Option<chrono::NaiveDate>,
    /// Only this Call Me Back configuration (repeat for several).
    #[arg(long = "config", value_name = "NAME")]
    pub configs: Vec<String>,
    /// Folder of extra or replacement report files (none by default).
    #[arg(long, value_name = "DIR")]
    pub reports: Option<PathBuf>,
    #[command(flatten)]
    pub pii: PiiArgs,
    /// Print nothing unless something is wrong (no list of files written).
    #[arg(short, long)]
    pub quiet: bool,
    /// The TOML file of `run --config`: its `[mail]` section sends the
    /// digest (and `[strict] alerts` makes its flags exit 1); other keys
    /// are not used here.
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,
    /// Write the digest mail as `digest.eml` without sending it (needs
    /// `--settings` with a `[mail]` section).
    #[arg(long)]
    pub mail_dry_run: bool,
}

/// How the configuration decision is made (`report` and `run`).
#[derive(Debug, Args, Clone, Default)]
pub struct DecisionArgs {
    /// Answers (two configurations together) at which the always-valid
    /// intervals of the decision are tightest [default: 5000].
    #[arg(long, value_name = "ANSWERS", value_parser = parse_nstar)]
    pub decision_nstar: Option<f64>,
}

/// A tuning of at least 10 answers.
pub fn parse_nstar(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 10.0 => Ok(v),
        _ => Err(format!(
            "{text:?} is not a number of answers of at least 10"
        )),
    }
}

/// Report history and freshness (`report` and `run`).
#[derive(Debug, Args, Clone, Default)]
pub struct HistoryArgs {
    /// Dated report folders kept (the newest; `latest` links to the newest)
    /// [default: 30].
    #[arg(long, value_name = "N")]
    pub keep_reports: Option<usize>,
    /// Warn (and `run` exits 1) when the newest event is older than this,
    /// e.g. 36h or 2d (no check unless set).
    #[arg(long, value_name = "DURATION", value_parser = crate::budgets::parse_duration)]
    pub stale_after: Option<std::time::Duration>,
}

/// How personal data (users' phone numbers) leaves the database.
#[derive(Debug, Args, Clone, Default)]
pub struct PiiArgs {
    /// Phone numbers in everything written: hash, mask, drop or keep [default: hash].
    #[arg(long, value_name = "POLICY", value_parser = crate::pii::PiiPolicy::parse)]
    pub pii: Option<crate::pii::PiiPolicy>,
    /// Key file of the keyed hash, created on first use [default: ~/.config/hookstat/pii.key].
    #[arg(long, env = crate::pii::key::KEY_FILE_ENV, value_name = "FILE")]
    pub pii_key_file: Option<PathBuf>,
    /// Country code given to national numbers without one [default: 91].
    #[arg(long, value_name = "CODE")]
    pub pii_country_code: Option<String>,
}

impl PiiArgs {
    /// The protector these flags ask for.
    pub fn protector(&self) -> anyhow::Result<crate::pii::Protector> {
        crate::pii::protector(
            self.pii.unwrap_or(crate::pii::PiiPolicy::Hash),
            self.pii_key_file.as_deref(),
            self.pii_country_code.as_deref(),
        )
    }
}

/// `hookstat export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Folder to write into (one sub-folder per table).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only these tables (comma-separated or repeated).
    #[arg(long, value_delimiter = ',', value_name = "TABLE")]
    pub tables: Vec<String>,
    /// Time zone of the partition dates (IANA name).
    #[arg(long, default_value = "UTC", value_parser = crate::tz::parse_tz, value_name = "ZONE")]
    pub tz: chrono_tz::Tz,
    #[command(flatten)]
    pub pii: PiiArgs,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `hookstat schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only this table.
    #[arg(value_name = "TABLE")]
    pub table: Option<String>,
}

/// `hookstat run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// TOML configuration (database, archives, reports_out, export_out, tz,
    /// keep_reports, stale_after, pii, pii_key_file, pii_country_code,
    /// memory_limit, settle_time, [budgets], [strict] max_rejected /
    /// max_field_issues / alerts, [mail]).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// DuckDB database file (default hookstat.duckdb).
    #[arg(long, env = "HOOKSTAT_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Folder for the reports (default reports-out).
    #[arg(long, value_name = "DIR")]
    pub report_out: Option<PathBuf>,
    /// Folder for the Parquet export (no export unless set here or in the file).
    #[arg(long, value_name = "DIR")]
    pub export_out: Option<PathBuf>,
    /// Time zone of the reports (IANA name); without it (and without `tz`
    /// in the file) inferred from the businesses' numbers, else UTC.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    #[command(flatten)]
    pub history: HistoryArgs,
    #[command(flatten)]
    pub decision: DecisionArgs,
    #[command(flatten)]
    pub pii: PiiArgs,
    /// DuckDB memory limit while loading.
    #[arg(long, value_parser = parse_size, value_name = "SIZE")]
    pub memory_limit: Option<String>,
    #[command(flatten)]
    pub budgets: BudgetArgs,
    /// Exit 1 when any record was quarantined (same as --max-rejected 0).
    #[arg(long)]
    pub strict: bool,
    /// Exit 1 when more records than this were quarantined.
    #[arg(long, value_name = "N")]
    pub max_rejected: Option<u64>,
    /// Exit 1 when more values than this could not be coerced.
    #[arg(long, value_name = "N")]
    pub max_field_issues: Option<u64>,
    /// Print one JSON summary on stdout (for orchestrators).
    #[arg(long)]
    pub json: bool,
    /// Print nothing unless something is wrong.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also list every report written.
    #[arg(long, short)]
    pub verbose: bool,
    /// Write the digest mail as `digest.eml` into the report folder
    /// without sending it (needs a `[mail]` section).
    #[arg(long)]
    pub mail_dry_run: bool,
    /// Archive files or folders (default: `archives` of the configuration).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `hookstat ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Print the run summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// Exit with status 1 when any record was quarantined.
    #[arg(long)]
    pub strict: bool,
    /// Memory DuckDB may use for its buffers while loading (e.g. 256MB, 2GB).
    #[arg(long, default_value = "256MB", value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: String,
    /// Parser threads (default: number of CPUs).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub budgets: BudgetArgs,
    /// Budgets from a configuration file, under the flags.
    #[arg(skip)]
    pub config_budgets: Budgets,
    /// Archive files or folders (walked recursively, hidden entries skipped).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// Budgets of an ingest run; a flag left out keeps the configuration's
/// value (`run`) or the default of [`crate::budgets::Budgets`].
#[derive(Debug, Args, Clone, Default)]
pub struct BudgetArgs {
    /// Scalar leaves flattened into columns per event [default: 10000]; the rest is kept in `_overflow`.
    #[arg(long, value_name = "N")]
    pub max_leaves: Option<usize>,
    /// Array elements flattened into child rows per event [default: 10000].
    #[arg(long, value_name = "N")]
    pub max_array_elements: Option<usize>,
    /// Nesting depth flattened, the event object being level 1 [default: 32].
    #[arg(long, value_name = "N")]
    pub max_depth: Option<usize>,
    /// Data columns per flattened table [default: 1000].
    #[arg(long, value_name = "N")]
    pub max_columns: Option<usize>,
    /// New columns per run, all tables together [default: 5000].
    #[arg(long, value_name = "N")]
    pub max_new_columns: Option<usize>,
    /// Flattened tables in the database [default: 1000]; events of a type over it live in `events` only.
    #[arg(long, value_name = "N")]
    pub max_tables: Option<usize>,
    /// New flattened tables per run [default: 200].
    #[arg(long, value_name = "N")]
    pub max_new_tables: Option<usize>,
    /// Event ids of the run kept in memory for deduplication [default:
    /// 4000000]; a bigger run is checked by one query before it commits.
    #[arg(long, value_name = "N")]
    pub max_ids_in_memory: Option<usize>,
    /// How long an incomplete last record of a plain file waits for the
    /// rest before it is rejected as `truncated` [default: 24h] (e.g. 30m, 0s).
    #[arg(long, value_name = "DURATION", value_parser = crate::budgets::parse_duration)]
    pub settle_time: Option<std::time::Duration>,
}

impl BudgetArgs {
    /// The flags over `base` (the configuration file's budgets or the
    /// defaults).
    pub fn over(&self, base: Budgets) -> Budgets {
        Budgets {
            max_leaves: self.max_leaves.unwrap_or(base.max_leaves),
            max_array_elements: self.max_array_elements.unwrap_or(base.max_array_elements),
            max_depth: self.max_depth.unwrap_or(base.max_depth),
            max_columns: self.max_columns.unwrap_or(base.max_columns),
            max_new_columns: self.max_new_columns.unwrap_or(base.max_new_columns),
            max_tables: self.max_tables.unwrap_or(base.max_tables),
            max_new_tables: self.max_new_tables.unwrap_or(base.max_new_tables),
            max_ids_in_memory: self.max_ids_in_memory.unwrap_or(base.max_ids_in_memory),
        }
    }
}

/// `hookstat query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// The SQL to run (read-only).
    #[arg(value_name = "SQL")]
    pub sql: String,
}

/// Archive layouts `hookstat sample` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleLayoutArg {
    /// Every layout: pretty files, NDJSON (plain, CRLF, gzip), Firehose, arrays.
    Mixed,
    /// Daily NDJSON files only.
    Ndjson,
    /// One pretty-printed JSON file per event.
    Files,
}

/// `hookstat sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Folder to write the archive into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Number of distinct events.
    #[arg(long, default_value_t = 5000)]
    pub events: usize,
    /// Random seed; the same seed writes the same archive.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Which archive layout to write.
    #[arg(long, value_enum, default_value_t = SampleLayoutArg::Mixed)]
    pub layout: SampleLayoutArg,
    /// No bad records, no retries, no type drift.
    #[arg(long)]
    pub clean: bool,
}

/// Accepts sizes such as `256MB`, `2GB`, `512MiB`, `1.5 GB`.
pub fn parse_size(text: &str) -> Result<String, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let units = ["b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib"];
    if number.parse::<f64>().is_ok_and(|n| n > 0.0)
        && units.contains(&unit.trim().to_ascii_lowercase().as_str())
    {
        Ok(format!("{number}{}", unit.trim()))
    } else {
        Err(format!(
            "expected a size such as 256MB or 2GB, got {text:?}"
        ))
    }
}
