//! Which columns hold phone numbers: by name or JSON path, and by content
//! (a column is a phone column when at least half of its non-empty values
//! are phone numbers, whatever its SQL type). The one rule of every
//! output: the export's SQL and the reports' Arrow batches ask the same
//! functions, with the same list of types and of names.

use duckdb::Connection;

use crate::sql::quote;

/// Columns that look like phone numbers but are the business's own.
const NOT_PERSONAL: &[&str] = &["business_number"];

/// True for a column that holds the business's own number: exported as it is.
pub fn is_business_number(name: &str) -> bool {
    NOT_PERSONAL.contains(&name)
}

/// Words that make a column a phone column on their own.
const PHONE_WORDS: &[&str] = &[
    "phone",
    "mobile",
    "msisdn",
    "whatsapp",
    "cellphone",
    "telephone",
];
/// Whole tokens that do the same.
const PHONE_TOKENS: &[&str] = &["cell", "tel", "phones", "mob"];
/// Tokens that make `number`, `no` or `num` a person's number.
const PERSON_TOKENS: &[&str] = &[
    "client",
    "alternate",
    "alt",
    "contact",
    "customer",
    "caller",
    "callback",
    "user",
    "sender",
    "recipient",
    "personal",
    "home",
    "work",
];

fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// True when a column's name or JSON path says it holds phone numbers
/// (`client_number`, `alternate_number`, `msisdn`, `$.contact.phone`, …;
/// `business_number` is the business's own and is not).
pub fn name_says_phone(name: &str, json_path: Option<&str>) -> bool {
    let last_key = json_path
        .and_then(|p| p.rsplit(['.', '[']).next())
        .map(|k| k.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_'));
    if NOT_PERSONAL.contains(&name) || last_key.is_some_and(|k| NOT_PERSONAL.contains(&k)) {
        return false;
    }
    let mut words = tokens(name);
    words.extend(json_path.map(tokens).unwrap_or_default());
    let phone_word = words
        .iter()
        .any(|w| PHONE_WORDS.iter().any(|p| w.contains(p)) || PHONE_TOKENS.contains(&w.as_str()));
    let number = words
        .iter()
        .any(|w| matches!(w.as_str(), "number" | "no" | "num" | "nr"));
    let person = words.iter().any(|w| PERSON_TOKENS.contains(&w.as_str()));
    phone_word || (number && person)
}

/// Name endings that say a column holds times: its digit runs are times,
/// not phone numbers.
const TIME_ENDINGS: &[&str] = &["_at", "_time", "_ts", "_date", "_epoch"];

/// True when a column's name says it holds times (`visited_at`,
/// `slot_time`, …).
pub fn name_says_time(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TIME_ENDINGS.iter().any(|s| lower.ends_with(s))
        || matches!(
            lower.as_str(),
            "at" | "time" | "ts" | "date" | "epoch" | "timestamp"
        )
}

/// Columns never examined by content: hookstat's own identifiers and
/// bookkeeping, the business's own number, and times (by name). Other
/// identifiers (`caller_id`) are examined like any column.
fn skip_content(name: &str) -> bool {
    matches!(
        name,
        "event_id"
            | "client_account_id"
            | "event_type"
            | "source_file"
            | "source_location"
            | "payload"
            | "_row"
            | "_parent_row"
            | "_index"
            | "_overflow"
            | "run_id"
    ) || NOT_PERSONAL.contains(&name)
        || name_says_time(name)
}

/// True for SQL types whose values may be phone numbers.
pub fn may_hold_numbers(data_type: &str) -> bool {
    matches!(
        data_type,
        "VARCHAR" | "BIGINT" | "INTEGER" | "HUGEINT" | "UBIGINT" | "DOUBLE" | "FLOAT"
    ) || data_type.starts_with("DECIMAL")
}

/// A value's text as it is examined: an integral double without its
/// `.0` (`919876543210.0` is the number `919876543210`). The same rule
/// as [`as_text_sql`], for values already written as text.
pub fn integral_text(text: &str) -> &str {
    text.strip_suffix(".0").unwrap_or(text)
}

/// The column as text, integral doubles without `.0`.
pub fn as_text_sql(column_sql: &str, data_type: &str) -> String {
    match data_type {
        "VARCHAR" => column_sql.to_string(),
        "DOUBLE" | "FLOAT" => format!(
            "CASE WHEN isfinite({c}) AND {c} = trunc({c}) AND abs({c}) < 1e18 \
             THEN CAST(CAST({c} AS HUGEINT) AS VARCHAR) ELSE CAST({c} AS VARCHAR) END",
            c = column_sql
        ),
        _ => format!("CAST({column_sql} AS VARCHAR)"),
    }
}

/// True when a column of `data_type` is a phone column by its name or
/// JSON path alone.
pub fn phone_by_name(name: &str, json_path: Option<&str>, data_type: &str) -> bool {
    may_hold_numbers(data_type) && name_says_phone(name, json_path)
}

/// True for a column whose values are examined by content: a type that
/// may hold numbers, and not an identifier, time or bookkeeping column.
pub fn examined_by_content(name: &str, data_type: &str) -> bool {
    may_hold_numbers(data_type) && !skip_content(name)
}

/// True when `phones` of `values` non-empty values make a phone column:
/// at least half of them.
pub fn mostly_phones(phones: i64, values: i64) -> bool {
    phones > 0 && phones * 2 >= values
}

/// For each `(name, data_type)`: its phone values and non-empty values
/// among the rows of `scope` (a `FROM` clause, with any `WHERE`, in which
/// the table is `t`); `time` is the rows' event time (a TIMESTAMP
/// expression), the evidence for epoch times, if the scope has one.
/// Needs the `hookstat_is_phone` function ([`super::udf::register`]).
pub fn content_counts(
    conn: &Connection,
    scope: &str,
    time: Option<&str>,
    columns: &[(String, String)],
) -> duckdb::Result<Vec<(i64, i64)>> {
    if columns.is_empty() {
        return Ok(Vec::new());
    }
    let mut list = Vec::new();
    for (name, ty) in columns {
        let column = format!("t.{}", quote(name));
        let v = format!("NULLIF(trim({}), '')", as_text_sql(&column, ty));
        let at = time_arg(time);
        list.push(format!(
            "count(*) FILTER (WHERE hookstat_is_phone({v}, {at}))"
        ));
        list.push(format!("count({v})"));
    }
    let sql = format!("SELECT {} FROM {scope}", list.join(", "));
    conn.query_row(&sql, [], |row| {
        (0..columns.len())
            .map(|k| Ok((row.get(2 * k)?, row.get(2 * k + 1)?)))
            .collect()
    })
}

/// The event-time argument of the protection functions: epoch seconds
/// of `time` (a TIMESTAMP expression), or [`super::udf::NO_TIME`] where
/// there is none (never NULL: DuckDB answers NULL for a NULL argument
/// without calling the function, and `coalesce(…, value)` would then
/// keep the value raw).
pub fn time_arg(time: Option<&str>) -> String {
    let none = super::udf::NO_TIME;
    time.map_or_else(
        || format!("CAST({none} AS BIGINT)"),
        |t| format!("coalesce(CAST(epoch({t}) AS BIGINT), {none})"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_say_phone() {
        for (name, path) in [
            ("client_number", None),
            ("alternate_number", None),
            ("msisdn", Some("$.uf_payload.contact.msisdn")),
            ("contact__mobile_no", None),
            ("value", Some("$.uf_payload.phones[*]")),
            ("x", Some("$.uf_payload.user.phoneNumber")),
            ("caller_no", None),
        ] {
            assert!(name_says_phone(name, path), "{name} {path:?}");
        }
        for (name, path) in [
            ("business_number", None),
            ("feature_set", None),
            ("number_of_calls", None),
            ("cancelled", None),
            ("value", Some("$.uf_payload.choices[*]")),
        ] {
            assert!(!name_says_phone(name, path), "{name} {path:?}");
        }
    }
}
