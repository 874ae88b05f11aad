//! Stage 8: Parquet export for BI tools. One folder per table,
//! Hive-partitioned by event date (`event_date=YYYY-MM-DD/`, the local date
//! of the event's `created_at` in `--tz`), zstd, 122,880-row row groups, timestamps
//! as TIMESTAMP WITH TIME ZONE. Incremental: a partition is rewritten only
//! when its row count, the table's columns, the PII policy or the zone
//! changed. The changed partitions of a table are written by one DuckDB
//! `COPY … PARTITION_BY` into a hidden staging folder, then each file is
//! renamed into place (atomic), so readers never see half a file.

mod manifest;
mod partitions;

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use duckdb::{params, Connection};
use serde::Serialize;

use crate::load::dynamic::OVERFLOW_COLUMN;
use crate::pii::{detect, udf, PiiPolicy, Protector};
use crate::sql::quote;
use manifest::{Decision, PiiManifest};

/// Name of the file in the export folder that remembers what was written.
pub const STATE_FILE: &str = "_hookstat_export.json";

/// Folder name of rows without a date (Hive's convention).
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Target folder.
    pub out: PathBuf,
    /// Only these tables (None: all).
    pub tables: Option<Vec<String>>,
    /// How phone numbers are protected.
    pub protector: Protector,
    /// Zone whose local date partitions the event tables.
    pub tz: chrono_tz::Tz,
}

/// What an export did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    /// Tables exported.
    pub tables: usize,
    /// Partitions written this time.
    pub partitions_written: usize,
    /// Partitions already up to date.
    pub partitions_unchanged: usize,
    /// Rows in the partitions written.
    pub rows_written: u64,
}

/// The tables to export: events, the flattened tables, and whether each is
/// a child table (dated through its event).
fn tables(conn: &Connection) -> duckdb::Result<Vec<(String, bool)>> {
    let mut out = vec![
        ("events".to_string(), false),
        ("cmb_requests".to_string(), false),
    ];
    let mut stmt = conn.prepare(
        "SELECT table_name, parent_table IS NOT NULL FROM hookstat_tables ORDER BY table_name",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)))? {
        let row = row?;
        if !out.iter().any(|(n, _)| n == &row.0) {
            out.push(row);
        }
    }
    Ok(out)
}

fn columns(conn: &Connection, table: &str) -> duckdb::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT column_name, data_type FROM duckdb_columns()
         WHERE table_name = ? AND schema_name = 'main' AND database_name = current_database()
         ORDER BY column_index",
    )?;
    let rows = stmt.query_map(params![table], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// JSON path of each flattened column of `table`.
fn json_paths(conn: &Connection, table: &str) -> duckdb::Result<BTreeMap<String, String>> {
    let mut stmt =
        conn.prepare("SELECT column_name, json_path FROM hookstat_columns WHERE table_name = ?")?;
    let rows = stmt.query_map(params![table], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The SELECT list for a table, and what was decided for each column:
/// phone columns (by name, JSON path, content or an earlier export) are
/// protected whole, other text has the numbers inside it protected.
fn select_list(
    conn: &Connection,
    table: &str,
    protector: &Protector,
    earlier: &BTreeMap<String, Decision>,
) -> duckdb::Result<(Vec<String>, BTreeMap<String, Decision>)> {
    let policy = protector.policy;
    let columns = columns(conn, table)?;
    let paths = json_paths(conn, table)?;
    // columns already known to hold phone numbers need no scan
    let undecided: Vec<(String, String)> = columns
        .iter()
        .filter(|(name, _)| earlier.get(name) != Some(&Decision::Phone))
        .cloned()
        .collect();
    let mut scanned = detect::by_content(conn, table, &undecided)?.into_iter();
    let by_content: Vec<bool> = columns
        .iter()
        .map(|(name, _)| {
            earlier.get(name) != Some(&Decision::Phone) && scanned.next().unwrap_or(false)
        })
        .collect();
    let mut list = Vec::new();
    let mut decided = BTreeMap::new();
    for ((name, ty), content) in columns.into_iter().zip(by_content) {
        let col = format!("t.{}", quote(&name));
        let phone = earlier.get(&name) == Some(&Decision::Phone)
            || (detect::may_hold_numbers(&ty)
                && (detect::name_says_phone(&name, paths.get(&name).map(String::as_str))
                    || content));
        let expr = if table == "events" && matches!(name.as_str(), "id_hash" | "payload_hash") {
            // hookstat's own bookkeeping
            None
        } else if detect::is_business_number(&name) {
            Some(col)
        } else if table == "events" && name == "payload" {
            // raw JSON holds phone numbers: only with --pii keep
            (policy == PiiPolicy::Keep).then_some(col)
        } else if phone {
            decided.insert(name.clone(), Decision::Phone);
            match policy {
                PiiPolicy::Keep => Some(col),
                PiiPolicy::Drop => None,
                _ => Some(format!(
                    "hookstat_pii_value({})",
                    detect::as_text_sql(&col, &ty)
                )),
            }
        } else if ty == "VARCHAR" {
            decided.insert(name.clone(), Decision::Text);
            Some(match policy {
                PiiPolicy::Keep => col,
                // the parts kept over a budget stay JSON
                _ if name == OVERFLOW_COLUMN => format!("hookstat_pii_json({col})"),
                _ => format!("hookstat_pii_text({col})"),
            })
        } else if ty == "TIMESTAMP" {
            Some(format!("CAST({col} AS TIMESTAMPTZ)"))
        } else {
            Some(col)
        };
        if let Some(e) = expr {
            list.push(format!("{e} AS {}", quote(&name)));
        }
    }
    Ok((list, decided))
}

/// What one table's export reads and writes.
pub struct TableShape {
    /// `FROM` clause (a child table joins its event for the date).
    pub source: String,
    /// The partition date expression.
    pub date: &'static str,
    /// The UTC instant the date is taken from (bounds let DuckDB skip row
    /// groups outside the dates written).
    pub time: &'static str,
    /// The SELECT list, with protections.
    pub list: Vec<String>,
    /// What a partition's content depends on besides its row count.
    pub signature: String,
}

impl TableShape {
    /// Decides the columns of `table` (recording the phone-column decisions
    /// in `manifest` and the database).
    fn of(
        conn: &Connection,
        table: &str,
        is_child: bool,
        protector: &Protector,
        manifest: &mut PiiManifest,
    ) -> Result<TableShape> {
        let (source, date, time) = if is_child {
            (
                format!(
                    "{} t JOIN events e ON e.event_id = t.event_id",
                    quote(table)
                ),
                "CAST(local_ts(e.created_at) AS DATE)",
                "e.created_at",
            )
        } else {
            (
                format!("{} t", quote(table)),
                "CAST(local_ts(t.created_at) AS DATE)",
                "t.created_at",
            )
        };
        let mut earlier = manifest.tables.get(table).cloned().unwrap_or_default();
        for column in manifest::stored_phone_columns(conn, table)? {
            earlier.insert(column, Decision::Phone);
        }
        let (list, decided) = select_list(conn, table, protector, &earlier)?;
        manifest::store_phone_columns(conn, table, &decided)?;
        manifest.tables.insert(table.to_string(), decided);
        let signature = format!(
            "{:016x}",
            xxhash_rust::xxh3::xxh3_64(list.join(",").as_bytes())
        );
        Ok(TableShape {
            source,
            date,
            time,
            list,
            signature,
        })
    }
}

/// Exports the database into `opts.out`.
pub fn export(conn: &Connection, opts: &ExportOptions) -> Result<ExportSummary> {
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    udf::register(conn, &opts.protector)?;
    let mut manifest = PiiManifest::read(&opts.out);
    // local dates: the same offset table and `local_ts` macro as the reports
    crate::tz::install(conn, opts.tz)?;
    let state_path = opts.out.join(STATE_FILE);
    let mut state: BTreeMap<String, BTreeMap<String, String>> =
        std::fs::read_to_string(&state_path)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
    let all = tables(conn)?;
    if let Some(wanted) = &opts.tables {
        for name in wanted {
            if !all.iter().any(|(t, _)| t == name) {
                let names: Vec<_> = all.iter().map(|(t, _)| t.as_str()).collect();
                anyhow::bail!("no table named {name:?}; tables: {}", names.join(", "));
            }
        }
    }
    let mut summary = ExportSummary::default();
    let protector = &opts.protector;
    // what the protected values depend on: policy, key (by its random id)
    // and the country code of national numbers
    let protection = format!(
        "{}|{}|{}",
        protector.policy.name(),
        protector.key.as_ref().map_or("", |k| k.id.as_str()),
        protector.country_code
    );
    for (table, is_child) in all {
        if opts.tables.as_ref().is_some_and(|w| !w.contains(&table)) {
            continue;
        }
        summary.tables += 1;
        let done = state.entry(table.clone()).or_default();
        let shape = TableShape::of(conn, &table, is_child, protector, &mut manifest)?;
        let shape = TableShape {
            signature: format!("{}|{protection}|{}", shape.signature, opts.tz.name()),
            ..shape
        };
        partitions::export_table(conn, &opts.out, &table, &shape, done, &mut summary)?;
    }
    manifest.policy = protector.policy;
    manifest.key_id = protector.key.as_ref().map(|k| k.id.clone());
    manifest.country_code = protector.country_code.clone();
    manifest.write(&opts.out)?;
    let tmp_state = opts.out.join(format!(".{STATE_FILE}.tmp"));
    std::fs::write(&tmp_state, serde_json::to_string_pretty(&state)?)?;
    std::fs::rename(&tmp_state, &state_path)?;
    Ok(summary)
}
