//! What changed tonight: new event types, new columns (with the first value
//! seen), widened column types (from what, how many earlier rows were
//! converted), columns that stopped appearing, new reject reasons and
//! budget overflows, all of tonight's run against the runs before it
//! (`sql/digest/`). On the first night that loads events nothing is
//! listed: everything is new.
//!
//! A column **stopped appearing** when its event table got at least
//! [`MIN_ROWS`] rows tonight, none of them holds a value in it, and at
//! least half the rows of the latest earlier run that loaded that event
//! type did.

use anyhow::Result;
use duckdb::{params, Connection};
use serde::Serialize;

use crate::pii::{detect, Protector};
use crate::sql::{quote, render};

/// Rows an event table needs tonight before a column can be said to have
/// stopped appearing.
pub const MIN_ROWS: i64 = 10;

/// Columns that are never data of the payload.
const KEY_COLUMNS: [&str; 8] = [
    "event_id",
    "client_account_id",
    "created_at",
    "_overflow",
    "_row",
    "_parent_row",
    "_index",
    "client_number_available",
];

/// An event type no earlier run had.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEventType {
    /// The type.
    pub event_type: String,
    /// Its events tonight.
    pub events: u64,
}

/// A column created tonight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewColumn {
    /// Table.
    pub table: String,
    /// Column.
    pub column: String,
    /// JSON path it comes from.
    pub json_path: String,
    /// Its type.
    pub data_type: String,
    /// The first value stored (phone numbers protected).
    pub first_value: Option<String>,
}

/// A column whose type widened tonight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Widened {
    /// Table.
    pub table: String,
    /// Column.
    pub column: String,
    /// JSON path.
    pub json_path: String,
    /// The type its earlier values had (`BIGINT`, `DOUBLE`, `BOOLEAN`,
    /// `TIMESTAMP`; `mixed` or `unknown` when they do not tell).
    pub from: String,
    /// Its type now.
    pub to: String,
    /// Earlier rows whose value was converted.
    pub rows_converted: u64,
}

/// A column with values before and none tonight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stopped {
    /// Table.
    pub table: String,
    /// Column.
    pub column: String,
    /// Rows of the table tonight.
    pub rows_tonight: u64,
    /// The earlier run compared with.
    pub previous_run: i64,
    /// Rows of that run, and how many held a value in the column.
    pub rows_before: u64,
    /// Of `rows_before`, those with a value.
    pub values_before: u64,
}

/// A reject reason no earlier run had.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewReason {
    /// The reason code.
    pub reason: String,
    /// Records quarantined for it tonight.
    pub records: u64,
}

/// Events over a budget tonight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overflow {
    /// Event type.
    pub event_type: String,
    /// The budget (`leaf_budget`, `column_budget`, ...).
    pub budget: String,
    /// Where (JSON path or table).
    pub field: String,
    /// Events concerned.
    pub events: u64,
}

/// The whole section.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// Tonight is the first run that loaded events (nothing listed).
    pub first_night: bool,
    /// New event types.
    pub new_event_types: Vec<NewEventType>,
    /// New columns.
    pub new_columns: Vec<NewColumn>,
    /// Widened types.
    pub widened_types: Vec<Widened>,
    /// Columns that stopped appearing.
    pub stopped_columns: Vec<Stopped>,
    /// New reject reasons.
    pub new_reject_reasons: Vec<NewReason>,
    /// Budget overflows.
    pub budget_overflows: Vec<Overflow>,
}

impl Changes {
    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.new_event_types.is_empty()
            && self.new_columns.is_empty()
            && self.widened_types.is_empty()
            && self.stopped_columns.is_empty()
            && self.new_reject_reasons.is_empty()
            && self.budget_overflows.is_empty()
    }
}

fn sql(name: &str) -> &'static str {
    match name {
        "earlier" => include_str!("../../sql/digest/earlier_loading_runs.sql"),
        "types" => include_str!("../../sql/digest/new_event_types.sql"),
        "columns" => include_str!("../../sql/digest/new_columns.sql"),
        "first" => include_str!("../../sql/digest/first_value.sql"),
        "widened" => include_str!("../../sql/digest/widened.sql"),
        "widened_rows" => include_str!("../../sql/digest/widened_rows.sql"),
        "tables" => include_str!("../../sql/digest/presence_tables.sql"),
        "presence" => include_str!("../../sql/digest/presence.sql"),
        "reasons" => include_str!("../../sql/digest/new_reject_reasons.sql"),
        _ => include_str!("../../sql/digest/overflows.sql"),
    }
}

fn n(v: i64) -> u64 {
    v.max(0) as u64
}

/// Reads what tonight's run `run` changed; names and values protected.
pub fn read(conn: &Connection, run: i64, protector: &Protector) -> Result<Changes> {
    let (earlier, tonight): (i64, i64) =
        conn.query_row(sql("earlier"), [run], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if earlier == 0 {
        // nothing loaded yet at all: nothing changed, no first night yet
        return Ok(Changes {
            first_night: tonight > 0,
            ..Changes::default()
        });
    }
    let name = |s: String| protector.name(&s).into_owned();
    let mut changes = Changes::default();
    let mut stmt = conn.prepare(sql("types"))?;
    changes.new_event_types = stmt
        .query_map([run], |r| {
            Ok(NewEventType {
                event_type: name(r.get(0)?),
                events: n(r.get(1)?),
            })
        })?
        .collect::<duckdb::Result<_>>()?;
    let registered = |which: &str| -> Result<Vec<[String; 4]>> {
        let mut stmt = conn.prepare(sql(which))?;
        let rows = stmt
            .query_map([run], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?
            .collect::<duckdb::Result<_>>()?;
        Ok(rows)
    };
    for [table, column, path, ty] in registered("columns")? {
        let first = first_value(conn, run, &table, &column)?.map(|v| {
            if detect::phone_by_name(&column, Some(&path), &ty) {
                protector.value(&v)
            } else {
                protector.text(&v).into_owned()
            }
        });
        changes.new_columns.push(NewColumn {
            table: name(table),
            column: name(column),
            json_path: protector.text(&path).into_owned(),
            data_type: ty,
            first_value: first,
        });
    }
    for [table, column, path, ty] in registered("widened")? {
        let (converted, from) = widened_from(conn, run, &table, &column, &ty)?;
        changes.widened_types.push(Widened {
            table: name(table),
            column: name(column),
            json_path: protector.text(&path).into_owned(),
            from,
            to: ty,
            rows_converted: converted,
        });
    }
    changes.stopped_columns = stopped(conn, run)?
        .into_iter()
        .map(|mut s| {
            s.table = name(s.table);
            s.column = name(s.column);
            s
        })
        .collect();
    let mut stmt = conn.prepare(sql("reasons"))?;
    changes.new_reject_reasons = stmt
        .query_map([run], |r| {
            Ok(NewReason {
                reason: r.get(0)?,
                records: n(r.get(1)?),
            })
        })?
        .collect::<duckdb::Result<_>>()?;
    let mut stmt = conn.prepare(sql("overflows"))?;
    changes.budget_overflows = stmt
        .query_map([run], |r| {
            Ok(Overflow {
                event_type: name(r.get(0)?),
                budget: r.get(1)?,
                field: protector.text(&r.get::<_, String>(2)?).into_owned(),
                events: n(r.get(3)?),
            })
        })?
        .collect::<duckdb::Result<_>>()?;
    Ok(changes)
}

fn first_value(conn: &Connection, run: i64, table: &str, column: &str) -> Result<Option<String>> {
    let q = render(
        sql("first"),
        &[("table", &quote(table)), ("column", &quote(column))],
    );
    let mut stmt = conn.prepare(&q)?;
    let mut rows = stmt.query([run])?;
    Ok(match rows.next()? {
        Some(r) => r.get(0)?,
        None => None,
    })
}

/// Earlier rows converted, and the type their values had.
fn widened_from(
    conn: &Connection,
    run: i64,
    table: &str,
    column: &str,
    to: &str,
) -> Result<(u64, String)> {
    let q = render(
        sql("widened_rows"),
        &[("table", &quote(table)), ("column", &quote(column))],
    );
    let (converted, not_int, not_num, not_bool): (i64, i64, i64, i64) =
        conn.query_row(&q, [run], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    let epoch_name = column.ends_with("_at") || column.ends_with("_time");
    let from = match () {
        _ if converted == 0 => "unknown",
        _ if to.eq_ignore_ascii_case("DOUBLE") => "BIGINT",
        _ if not_int == 0 && epoch_name => "TIMESTAMP",
        _ if not_int == 0 => "BIGINT",
        _ if not_num == 0 => "DOUBLE",
        _ if not_bool == 0 => "BOOLEAN",
        _ => "mixed",
    };
    Ok((n(converted), from.to_string()))
}

/// Columns of tonight's event tables with values before and none tonight.
fn stopped(conn: &Connection, run: i64) -> Result<Vec<Stopped>> {
    let mut stmt = conn.prepare(sql("tables"))?;
    let tables: Vec<(String, Option<i64>)> = stmt
        .query_map([run], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<duckdb::Result<_>>()?;
    let mut out = Vec::new();
    for (table, previous) in tables {
        let Some(previous) = previous else { continue };
        let mut cols = conn.prepare(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
        )?;
        let columns: Vec<String> = cols
            .query_map([&table], |r| r.get(0))?
            .collect::<duckdb::Result<Vec<String>>>()?
            .into_iter()
            .filter(|c| !KEY_COLUMNS.contains(&c.as_str()))
            .collect();
        if columns.is_empty() {
            continue;
        }
        let counts = columns
            .iter()
            .map(|c| format!("count(t.{})", quote(c)))
            .collect::<Vec<_>>()
            .join(", ");
        let q = render(
            sql("presence"),
            &[("table", &quote(&table)), ("counts", &counts)],
        );
        let mut stmt = conn.prepare(&q)?;
        let mut rows = stmt.query(params![run, previous])?;
        let (mut before, mut tonight): (Option<Vec<i64>>, Option<Vec<i64>>) = (None, None);
        while let Some(r) = rows.next()? {
            let is_tonight: bool = r.get(0)?;
            let values = (1..=columns.len() + 1)
                .map(|i| r.get::<_, i64>(i))
                .collect::<duckdb::Result<Vec<i64>>>()?;
            if is_tonight {
                tonight = Some(values);
            } else {
                before = Some(values);
            }
        }
        let (Some(before), Some(tonight)) = (before, tonight) else {
            continue;
        };
        if tonight[0] < MIN_ROWS {
            continue;
        }
        for (i, column) in columns.iter().enumerate() {
            let (had, has) = (before[i + 1], tonight[i + 1]);
            if has == 0 && had > 0 && had * 2 >= before[0] {
                out.push(Stopped {
                    table: table.clone(),
                    column: column.clone(),
                    rows_tonight: n(tonight[0]),
                    previous_run: previous,
                    rows_before: n(before[0]),
                    values_before: n(had),
                });
            }
        }
    }
    Ok(out)
}
