//! What one table's export reads and writes: its source, partition date,
//! and SELECT list with the phone protections decided for each column (by
//! name, JSON path, earlier exports, or content counted over all rows:
//! later exports count only the rows of newer runs and add them up).

use std::collections::BTreeMap;

use anyhow::Result;
use duckdb::{params, Connection, OptionalExt};

use super::manifest::{self, Decision, PiiManifest};
use super::state::ContentCounts;
use crate::load::schema::OVERFLOW_COLUMN;
use crate::pii::{detect, PiiPolicy, Protector};
use crate::sql::quote;

/// What one table's export reads and writes.
pub struct TableShape {
    /// `FROM` clause (a child table joins its event for the date).
    pub source: String,
    /// `FROM` clause that also reaches the run of each row.
    pub runs_source: String,
    /// The run that loaded a row (in `runs_source`).
    pub run: &'static str,
    /// The partition date expression.
    pub date: &'static str,
    /// The UTC instant the date is taken from (bounds let DuckDB skip row
    /// groups outside the dates written).
    pub time: &'static str,
    /// The SELECT list, with protections.
    pub list: Vec<String>,
    /// Whether a date's rows can be read alone (a child table has no time
    /// of its own: it is read whole and written a batch of dates at once).
    pub per_date: bool,
    /// What a partition's content depends on besides its rows: the
    /// columns, their types and protections.
    pub signature: String,
}

impl TableShape {
    /// Decides the columns of `table`, recording the phone-column decisions
    /// in `manifest` and the database. `counts` are the table's content
    /// counts through an earlier run; they are brought up to `now_run`.
    pub fn of(
        conn: &Connection,
        table: &str,
        is_child: bool,
        protector: &Protector,
        manifest: &mut PiiManifest,
        counts: &mut ContentCounts,
        now_run: i64,
    ) -> Result<TableShape> {
        let joined = format!(
            "{} t JOIN events e ON e.event_id = t.event_id",
            quote(table)
        );
        let mut shape = if is_child {
            // the root table of the child's event type: one row per event,
            // with its time
            let root: Option<String> = conn
                .query_row(
                    "SELECT r.table_name FROM hookstat_tables c
                     JOIN hookstat_tables r ON r.event_type = c.event_type AND r.json_path = '$'
                     WHERE c.table_name = ? AND r.table_name <> c.table_name",
                    params![table],
                    |r| r.get(0),
                )
                .optional()?;
            TableShape {
                source: root.map_or_else(
                    || joined.clone(),
                    |root| {
                        format!(
                            "{} t JOIN {} e ON e.event_id = t.event_id",
                            quote(table),
                            quote(&root)
                        )
                    },
                ),
                runs_source: joined,
                run: "e.run_id",
                date: "CAST(local_ts(e.created_at) AS DATE)",
                time: "e.created_at",
                list: Vec::new(),
                per_date: false,
                signature: String::new(),
            }
        } else {
            let (runs_source, run) = if table == "events" {
                ("events t".to_string(), "t.run_id")
            } else {
                (joined, "e.run_id")
            };
            TableShape {
                source: format!("{} t", quote(table)),
                runs_source,
                run,
                date: "CAST(local_ts(t.created_at) AS DATE)",
                time: "t.created_at",
                list: Vec::new(),
                per_date: true,
                signature: String::new(),
            }
        };
        let out_name = protector.name(table).into_owned();
        let mut earlier = manifest.tables.get(&out_name).cloned().unwrap_or_default();
        for column in manifest::stored_phone_columns(conn, table)? {
            earlier.insert(column, Decision::Phone);
        }
        let columns = columns(conn, table)?;
        let paths = json_paths(conn, table)?;
        // columns whose name says phone are protected whatever they hold
        for (name, ty) in &columns {
            if detect::phone_by_name(name, paths.get(name).map(String::as_str), ty) {
                earlier.insert(name.clone(), Decision::Phone);
            }
        }
        let content = phone_by_content(conn, table, &shape, &columns, &earlier, counts, now_run)?;
        let (list, decided) = select_list(
            table,
            columns.clone(),
            &content,
            protector,
            &earlier,
            shape.time,
        )?;
        manifest::store_phone_columns(conn, table, &decided)?;
        // the database keeps the names; the manifest leaves with the files
        let named = decided
            .into_iter()
            .map(|(name, d)| (protector.name(&name).into_owned(), d))
            .collect();
        manifest.tables.insert(out_name, named);
        let typed: Vec<String> = columns.iter().map(|(n, t)| format!("{n}:{t}")).collect();
        shape.signature = format!(
            "{:016x}",
            xxhash_rust::xxh3::xxh3_64(
                format!("{}|{}", list.join(","), typed.join(",")).as_bytes()
            )
        );
        shape.list = list;
        Ok(shape)
    }
}

impl TableShape {
    /// A condition (on `runs_source`) for the rows of the runs after
    /// `since`, with the range of their event times as constants so that
    /// DuckDB reads only the row groups that may hold them.
    pub fn newer_rows(&self, conn: &Connection, since: i64) -> duckdb::Result<String> {
        // a row's time is its event's `created_at`
        let first: Option<String> = conn
            .query_row(
                "SELECT CAST(min(created_at) AS VARCHAR) FROM events WHERE run_id > ?",
                params![since],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let bound = first.map_or("false".to_string(), |t| {
            format!("{} >= TIMESTAMP '{t}'", self.time)
        });
        Ok(format!(
            "{} > {since} AND ({} IS NULL OR {bound})",
            self.run, self.time
        ))
    }
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

/// For each column: whether at least half of its non-empty values, over
/// all rows, are phone numbers (columns already known as phone columns
/// are not counted). With counts through an earlier run and the same
/// columns and types, only the rows of newer runs are read.
fn phone_by_content(
    conn: &Connection,
    table: &str,
    shape: &TableShape,
    columns: &[(String, String)],
    earlier: &BTreeMap<String, Decision>,
    counts: &mut ContentCounts,
    now_run: i64,
) -> duckdb::Result<Vec<bool>> {
    let examined: Vec<(String, String)> = columns
        .iter()
        .filter(|(name, ty)| {
            earlier.get(name) != Some(&Decision::Phone)
                && !bookkeeping(table, name)
                && detect::examined_by_content(name, ty)
        })
        .cloned()
        .collect();
    let since = counts.through_run;
    let incremental = since > 0
        && since <= now_run
        && examined
            .iter()
            .all(|(name, ty)| counts.columns.get(name).is_some_and(|c| &c.0 == ty));
    let scope = if incremental {
        format!(
            "{} WHERE {}",
            shape.runs_source,
            shape.newer_rows(conn, since)?
        )
    } else {
        // every row, and only the table's own columns: no join
        format!("{} t", quote(table))
    };
    // the rows' event time, evidence for epoch times, where the scope
    // has it without a join (a child table's full scan has none)
    let time = if incremental || has_created_at(columns) {
        Some(shape.time)
    } else {
        None
    };
    let found = if incremental && since == now_run {
        // no run since the counts: nothing new to count
        vec![(0, 0); examined.len()]
    } else {
        detect::content_counts(conn, &scope, time, &examined)?
    };
    let mut next = BTreeMap::new();
    for ((name, ty), (phones, values)) in examined.iter().zip(found) {
        let (p0, v0) = match counts.columns.get(name) {
            Some((_, p, v)) if incremental => (*p, *v),
            _ => (0, 0),
        };
        next.insert(name.clone(), (ty.clone(), p0 + phones, v0 + values));
    }
    *counts = ContentCounts {
        through_run: now_run,
        columns: next,
    };
    Ok(columns
        .iter()
        .map(|(name, _)| {
            counts
                .columns
                .get(name)
                .is_some_and(|(_, p, v)| detect::mostly_phones(*p, *v))
        })
        .collect())
}

fn has_created_at(columns: &[(String, String)]) -> bool {
    columns
        .iter()
        .any(|(n, t)| n == "created_at" && t == "TIMESTAMP")
}

/// hookstat's own bookkeeping columns of `events`: neither exported nor
/// examined.
fn bookkeeping(table: &str, name: &str) -> bool {
    table == "events" && matches!(name, "id_hash" | "payload_hash")
}

/// The SELECT list for a table, and what was decided for each column:
/// phone columns (in `earlier`: by name, JSON path or an earlier export;
/// or by content) are protected whole, other text has the numbers inside
/// it protected, with the row's event `time` (a TIMESTAMP expression) as
/// the evidence for epoch times; a number in a column's name is
/// protected too.
fn select_list(
    table: &str,
    columns: Vec<(String, String)>,
    by_content: &[bool],
    protector: &Protector,
    earlier: &BTreeMap<String, Decision>,
    time: &str,
) -> duckdb::Result<(Vec<String>, BTreeMap<String, Decision>)> {
    let policy = protector.policy;
    let at = detect::time_arg(Some(time));
    let mut list = Vec::new();
    let mut decided = BTreeMap::new();
    for ((name, ty), &content) in columns.into_iter().zip(by_content) {
        let col = format!("t.{}", quote(&name));
        let phone = earlier.get(&name) == Some(&Decision::Phone)
            || (detect::may_hold_numbers(&ty) && content);
        let expr = if bookkeeping(table, &name) {
            None
        } else if table == "events" && name == "source_location" {
            // hookstat's own text (`line N`, `byte N`): a big offset is no
            // phone number
            Some(col)
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
                _ if name == OVERFLOW_COLUMN => format!("hookstat_pii_json({col}, {at})"),
                // NULL: no number inside, the value as it is (not copied)
                _ => format!("coalesce(hookstat_pii_text({col}, {at}), {col})"),
            })
        } else if ty == "TIMESTAMP" {
            Some(format!("CAST({col} AS TIMESTAMPTZ)"))
        } else {
            Some(col)
        };
        if let Some(e) = expr {
            list.push(format!("{e} AS {}", quote(&protector.name(&name))));
        }
    }
    Ok((list, decided))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::key::PiiKey;

    fn list_of(table: &str, columns: &[(&str, &str)]) -> Vec<String> {
        let protector = Protector::new(
            PiiPolicy::Hash,
            Some(PiiKey::for_tests()),
            crate::pii::plan::Plan::new("91").unwrap(),
        );
        let columns: Vec<(String, String)> = columns
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let content = vec![false; columns.len()];
        select_list(
            table,
            columns,
            &content,
            &protector,
            &BTreeMap::new(),
            "t.created_at",
        )
        .unwrap()
        .0
    }

    #[test]
    fn hookstat_own_columns_are_not_protected_and_text_is() {
        let list = list_of(
            "events",
            &[
                ("source_location", "VARCHAR"),
                ("source_file", "VARCHAR"),
                ("id_hash", "BIGINT"),
            ],
        );
        assert_eq!(
            list,
            [
                "t.\"source_location\" AS \"source_location\"",
                "coalesce(hookstat_pii_text(t.\"source_file\", coalesce(CAST(epoch(t.created_at) AS BIGINT), -9223372036854775808)), t.\"source_file\") AS \"source_file\"",
            ]
        );
        // in another table a column of that name is user data
        assert_eq!(
            list_of("uf_events", &[("source_location", "VARCHAR")]),
            ["coalesce(hookstat_pii_text(t.\"source_location\", coalesce(CAST(epoch(t.created_at) AS BIGINT), -9223372036854775808)), t.\"source_location\") AS \"source_location\""]
        );
    }
}
