//! Personal data in exports: which columns hold phone numbers, and how
//! they are protected (`--pii hash|mask|drop|keep`).

use duckdb::{params, Connection};

use crate::load::dynamic::quote;

const PHONE_LIKE_SQL: &str = include_str!("../../sql/export/phone_like.sql");

/// What happens to personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PiiPolicy {
    /// Salted SHA-256, hex: stable across nights, so joins and distinct counts work.
    Hash,
    /// Keep the last 4 digits, the rest `*`.
    Mask,
    /// Leave the columns out.
    Drop,
    /// Export raw values (explicit opt-out; also exports `events.payload`).
    Keep,
}

impl PiiPolicy {
    /// Name used in the export state.
    pub fn name(self) -> &'static str {
        match self {
            PiiPolicy::Hash => "hash",
            PiiPolicy::Mask => "mask",
            PiiPolicy::Drop => "drop",
            PiiPolicy::Keep => "keep",
        }
    }
}

/// Columns that are never personal data although they look like phone
/// numbers (the business's own number).
const NOT_PERSONAL: &[&str] = &["business_number"];

/// Whether `table.column` (of SQL type `data_type`) holds phone numbers:
/// the curated number columns, and any text column whose values all look
/// like phone numbers (10-15 digits, optional `+`).
pub fn is_phone_column(
    conn: &Connection,
    table: &str,
    column: &str,
    data_type: &str,
) -> duckdb::Result<bool> {
    if NOT_PERSONAL.contains(&column) || data_type != "VARCHAR" || column.starts_with('_') {
        return Ok(false);
    }
    if table == "cmb_requests" && matches!(column, "client_number" | "alternate_number") {
        return Ok(true);
    }
    if matches!(column, "event_id" | "client_account_id") {
        return Ok(false);
    }
    let sql = PHONE_LIKE_SQL
        .replace("{column}", &quote(column))
        .replace("{table}", &quote(table));
    conn.query_row(&sql, [], |r| r.get::<_, Option<bool>>(0))
        .map(|v| v.unwrap_or(false))
}

/// The salt for hashing: `given`, else the one stored in the database,
/// else a new random one, stored for later nights.
pub fn salt(conn: &Connection, given: Option<&str>) -> duckdb::Result<String> {
    if let Some(s) = given.filter(|s| !s.is_empty()) {
        return Ok(s.to_string());
    }
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM hookstat_meta WHERE key = 'pii_salt'",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(s) = stored {
        return Ok(s);
    }
    let fresh: String = conn.query_row(
        "SELECT replace(CAST(gen_random_uuid() AS VARCHAR), '-', '') || replace(CAST(gen_random_uuid() AS VARCHAR), '-', '')",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT OR REPLACE INTO hookstat_meta VALUES ('pii_salt', ?)",
        params![fresh],
    )?;
    Ok(fresh)
}

/// The SQL expression exporting a phone column under `policy` (None: drop).
/// Hashing reads the salt from the temp table `export_salt`.
pub fn protect(column_sql: &str, policy: PiiPolicy) -> Option<String> {
    match policy {
        PiiPolicy::Keep => Some(column_sql.to_string()),
        PiiPolicy::Drop => None,
        PiiPolicy::Hash => Some(format!("sha256((SELECT salt FROM export_salt) || {column_sql})")),
        PiiPolicy::Mask => Some(format!(
            "CASE WHEN length({c}) > 4 THEN repeat('*', length({c}) - 4) || right({c}, 4) ELSE {c} END",
            c = column_sql
        )),
    }
}
