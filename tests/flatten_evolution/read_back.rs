//! The read-back oracle of the flattening tests: a walk over the raw JSON
//! of every stored event finds each scalar leaf and array element, and the
//! tables must hold exactly those, in the columns the registry names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::query;

/// Envelope keys: their own columns, never flattened (README "Tables").
const ENVELOPE: [&str; 4] = ["event_id", "event_type", "client_account_id", "created_at"];

/// The webhook's Call Me Back fields, typed into curated `cmb_requests`
/// columns (README "Tables"); every other `cmb_payload` key is flattened
/// like any payload's.
const CMB_CURATED: [&str; 11] = [
    "business_number",
    "feature_set",
    "client_number",
    "requested_at",
    "requested_date",
    "requested_slot",
    "preferred_from_time",
    "preferred_to_time",
    "is_interested",
    "alternate_number",
    "cmb_config_name",
];

/// `path` followed by object key `key`: `.key` for identifier-like keys,
/// else the key as a JSON string in brackets (`$.uf_payload["Café Name"]`).
fn path_with_key(path: &str, key: &str) -> String {
    let mut chars = key.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_string()))
    }
}

/// Where a part of an event lives: the array whose element holds it
/// (`$` for the event row) and that element's indexes joined by `.`
/// (empty for the event row), as `_row` stores them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct RowAt {
    event_type: String,
    event_id: String,
    table_path: String,
    row: String,
}

/// Every scalar leaf of an event and every array element, found by walking
/// the event as delivered.
#[derive(Default)]
struct Walked {
    /// (row, JSONPath with `[*]` for array elements, value)
    leaves: Vec<(RowAt, String, Value)>,
    /// array elements: (row, parent row or None for the event row, index)
    elements: Vec<(RowAt, Option<String>, i64)>,
}

impl Walked {
    fn event(&mut self, event: &Value) {
        let obj = event.as_object().expect("an event is an object");
        let ty = obj["event_type"].as_str().unwrap();
        let at = RowAt {
            event_type: ty.to_string(),
            event_id: obj["event_id"].as_str().unwrap().to_string(),
            table_path: "$".to_string(),
            row: String::new(),
        };
        for (key, value) in obj {
            if ENVELOPE.contains(&key.as_str()) {
                continue;
            }
            let path = path_with_key("$", key);
            match value {
                // `<type>_payload` fields are named without the prefix, but
                // their JSON paths keep it
                Value::Object(fields) if *key == format!("{ty}_payload") => {
                    for (k, v) in fields {
                        if ty == "cmb" && CMB_CURATED.contains(&k.as_str()) {
                            continue;
                        }
                        self.walk(v, path_with_key(&path, k), &at);
                    }
                }
                _ => self.walk(value, path, &at),
            }
        }
    }

    fn walk(&mut self, v: &Value, path: String, at: &RowAt) {
        match v {
            Value::Null => {}
            Value::Object(map) => {
                for (k, child) in map {
                    self.walk(child, path_with_key(&path, k), at);
                }
            }
            Value::Array(items) => {
                let elements = format!("{path}[*]");
                let parent = (at.table_path != "$").then(|| at.row.clone());
                for (i, item) in items.iter().enumerate() {
                    let element = RowAt {
                        table_path: elements.clone(),
                        row: match &parent {
                            Some(p) => format!("{p}.{i}"),
                            None => i.to_string(),
                        },
                        ..at.clone()
                    };
                    self.elements
                        .push((element.clone(), parent.clone(), i as i64));
                    self.walk(item, elements.clone(), &element);
                }
            }
            scalar => self.leaves.push((at.clone(), path, scalar.clone())),
        }
    }
}

/// Whether cell `got` of a `data_type` column holds the JSON leaf `want`,
/// after the documented typing and widening: integers may have gone through
/// DOUBLE, 10-digit epochs through TIMESTAMP (epoch seconds as text once
/// the column is VARCHAR).
fn cell_holds(data_type: &str, got: &Value, want: &Value) -> bool {
    let as_timestamp = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .map(|t| Value::String(t.format("%Y-%m-%d %H:%M:%S").to_string()))
    };
    match (data_type, want) {
        ("BOOLEAN", Value::Bool(_)) => got == want,
        ("BIGINT", Value::Number(n)) => n.as_i64().is_some() && got.as_i64() == n.as_i64(),
        ("DOUBLE", Value::Number(n)) => got.as_f64().is_some() && got.as_f64() == n.as_f64(),
        ("TIMESTAMP", Value::Number(n)) => n.as_i64().and_then(as_timestamp).as_ref() == Some(got),
        ("TIMESTAMP", Value::String(s)) => {
            s.parse::<i64>().ok().and_then(as_timestamp).as_ref() == Some(got)
        }
        ("VARCHAR", Value::String(s)) => got.as_str() == Some(s),
        ("VARCHAR", Value::Bool(b)) => got.as_str() == Some(if *b { "true" } else { "false" }),
        ("VARCHAR", Value::Number(n)) => {
            let Some(text) = got.as_str() else {
                return false;
            };
            match (text.parse::<i64>(), n.as_i64()) {
                // an integer column that became text keeps every digit
                (Ok(i), Some(want)) => i == want,
                // through DOUBLE: double precision
                _ => text
                    .parse::<f64>()
                    .ok()
                    .is_some_and(|f| Some(f) == n.as_f64()),
            }
        }
        _ => false,
    }
}

/// Checks, with an oracle written here (a walk over the raw JSON of every
/// event in `events.payload`), that every scalar leaf is in exactly one
/// cell: the column the registry (`columns` view) names for its JSON path,
/// in the row of its event and array element, holding its value; that
/// there are no other non-NULL cells in registered columns; and that every
/// array element has its child row with the right `_index` and
/// `_parent_row`. Returns how many leaves were checked.
pub fn check_leaves_read_back(db: &std::path::Path) -> usize {
    // JSON paths -> (table, column, type), per event type
    let mut columns: BTreeMap<(String, String), (String, String, String)> = BTreeMap::new();
    for r in query(
        db,
        "SELECT t.event_type, c.json_path, c.table_name, c.column_name, c.data_type
         FROM columns c JOIN hookstat_tables t USING (table_name)
         WHERE c.json_path IS NOT NULL",
    ) {
        let text = |k: &str| r[k].as_str().unwrap().to_string();
        let key = (text("event_type"), text("json_path"));
        let column = (text("table_name"), text("column_name"), text("data_type"));
        if let Some(other) = columns.insert(key.clone(), column) {
            panic!("two columns for {key:?}: {other:?} and {:?}", columns[&key]);
        }
    }
    // array paths -> table, per event type
    let tables: BTreeMap<(String, String), String> = query(
        db,
        "SELECT event_type, json_path, table_name FROM hookstat_tables",
    )
    .into_iter()
    .map(|r| {
        let text = |k: &str| r[k].as_str().unwrap().to_string();
        ((text("event_type"), text("json_path")), text("table_name"))
    })
    .collect();

    let mut walked = Walked::default();
    for p in query(db, "SELECT payload FROM events") {
        walked.event(&serde_json::from_str(p["payload"].as_str().unwrap()).unwrap());
    }

    // every row of every flattened table, by (event_id, _row): one query
    // for all tables, each row as a JSON object (DuckDB's `to_json`)
    let mut rows: BTreeMap<String, BTreeMap<(String, String), Value>> = tables
        .values()
        .map(|t| (t.clone(), BTreeMap::new()))
        .collect();
    let union = tables
        .values()
        .map(|t| format!("SELECT '{t}' AS t, to_json(x)::VARCHAR AS j FROM \"{t}\" x"))
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    for r in query(db, &union) {
        let table = r["t"].as_str().unwrap();
        let row: Value = serde_json::from_str(r["j"].as_str().unwrap()).unwrap();
        let key = (
            row["event_id"].as_str().unwrap().to_string(),
            row.get("_row")
                .map_or("", |v| v.as_str().unwrap())
                .to_string(),
        );
        let by_key = rows.get_mut(table).unwrap();
        assert!(
            by_key.insert(key.clone(), row).is_none(),
            "{table} has two rows for {key:?}"
        );
    }

    // each leaf in its cell, and no two leaves in one cell
    let mut used: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    for (at, path, value) in &walked.leaves {
        let (table, column, data_type) = columns
            .get(&(at.event_type.clone(), path.clone()))
            .unwrap_or_else(|| panic!("no column for {path} of a {} event", at.event_type));
        let want_table = &tables[&(at.event_type.clone(), at.table_path.clone())];
        assert_eq!(table, want_table, "{path} is not in the table of its array");
        let row = rows[table]
            .get(&(at.event_id.clone(), at.row.clone()))
            .unwrap_or_else(|| panic!("{table} has no row {}/{:?}", at.event_id, at.row));
        let got = &row[column.as_str()];
        assert!(
            cell_holds(data_type, got, value),
            "{table}.{column} ({data_type}) of {}/{:?}: got {got}, want {value} from {path}",
            at.event_id,
            at.row
        );
        let cell = (
            table.clone(),
            at.event_id.clone(),
            at.row.clone(),
            column.clone(),
        );
        assert!(
            used.insert(cell),
            "two leaves in {table}.{column} of {}",
            at.event_id
        );
    }
    // ... and no cell that holds something else
    for (table, column, _) in columns.values() {
        for ((event_id, row_key), row) in &rows[table] {
            if !row[column.as_str()].is_null() {
                let cell = (
                    table.clone(),
                    event_id.clone(),
                    row_key.clone(),
                    column.clone(),
                );
                assert!(
                    used.contains(&cell),
                    "{table}.{column} of {event_id}/{row_key:?} holds {} but no leaf is there",
                    row[column.as_str()]
                );
            }
        }
    }

    // every array element is a child row, and there are no others
    let mut elements = BTreeSet::new();
    for (at, parent, index) in &walked.elements {
        let table = &tables[&(at.event_type.clone(), at.table_path.clone())];
        let row = rows[table]
            .get(&(at.event_id.clone(), at.row.clone()))
            .unwrap_or_else(|| panic!("{table} has no row {}/{:?}", at.event_id, at.row));
        assert_eq!(row["_index"].as_i64(), Some(*index), "{table} {at:?}");
        assert_eq!(
            row["_parent_row"].as_str(),
            parent.as_deref(),
            "{table} {at:?}"
        );
        elements.insert((table.clone(), at.event_id.clone(), at.row.clone()));
    }
    for (table, by_key) in &rows {
        for (event_id, row_key) in by_key.keys() {
            if !row_key.is_empty() {
                let element = (table.clone(), event_id.clone(), row_key.clone());
                assert!(
                    elements.contains(&element),
                    "{table} has an extra row {element:?}"
                );
            }
        }
    }
    walked.leaves.len()
}
