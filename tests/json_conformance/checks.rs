//! Checks of a loaded database and its summary: valid events read back
//! JSON-equal, `1e999` events keep their text with field issues, invalid
//! events are absent and every neighbour loads; failures reported together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use super::common::*;
use super::Case;

/// A count from the `--json` summary (top level, or under `counts`).
fn count(summary: &Value, key: &str) -> i64 {
    summary
        .get("counts")
        .and_then(|c| c.get(key))
        .or_else(|| summary.get(key))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("summary has no integer {key}: {summary}"))
}

pub fn str_of<'a>(row: &'a Value, col: &str) -> &'a str {
    row[col].as_str().unwrap_or("")
}

/// Checks shared by both layouts: valid events read back equal, 1e999
/// events keep their text and get field issues, invalid events are absent.
/// Returns human-readable failures.
pub fn check_events(
    db: &Path,
    valid: &[Case],
    invalid: &[Case],
    extra: &[(String, Vec<u8>)],
) -> Vec<String> {
    let mut failures = Vec::new();
    let payloads: BTreeMap<String, String> = query(
        db,
        "SELECT event_id, payload::VARCHAR AS p FROM events ORDER BY event_id",
    )
    .iter()
    .map(|r| {
        (
            str_of(r, "event_id").to_string(),
            str_of(r, "p").to_string(),
        )
    })
    .collect();
    let mut expected_ids = BTreeSet::new();
    let expected = valid
        .iter()
        .map(|c| (c.id(), c.event(), c.out_of_range_numbers()))
        .chain(
            extra
                .iter()
                .map(|(id, bytes)| (id.clone(), bytes.clone(), 0)),
        );
    for (id, bytes, huge) in expected {
        expected_ids.insert(id.clone());
        let Some(text) = payloads.get(&id) else {
            failures.push(format!("{id}: valid event did not load"));
            continue;
        };
        if huge > 0 {
            if !text.contains("1e999") {
                failures.push(format!("{id}: payload lost the 1e999 text: {text}"));
            }
            continue;
        }
        let want: Value = serde_json::from_slice(&bytes).expect("valid case parses");
        match serde_json::from_str::<Value>(text) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{id}: payload differs: got {got} want {want}")),
            Err(e) => failures.push(format!("{id}: payload is not JSON ({e}): {text}")),
        }
    }
    for c in invalid {
        if payloads.contains_key(&c.id()) {
            failures.push(format!("{}: invalid case loaded as an event", c.id()));
        }
    }
    for id in payloads.keys() {
        if !expected_ids.contains(id) && !invalid.iter().any(|c| &c.id() == id) {
            failures.push(format!("unexpected event {id}"));
        }
    }

    // number_out_of_range: exactly the 1e999 values, nowhere else
    let issues = query(
        db,
        "SELECT event_id, count(*) AS n FROM field_issues WHERE problem = 'number_out_of_range' GROUP BY 1",
    );
    let issues: BTreeMap<String, i64> = issues
        .iter()
        .map(|r| {
            (
                str_of(r, "event_id").to_string(),
                r["n"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    for c in valid {
        let want = c.out_of_range_numbers() as i64;
        let got = issues.get(&c.id()).copied().unwrap_or(0);
        if got != want {
            failures.push(format!(
                "{}: {got} number_out_of_range field issues, want {want}",
                c.id()
            ));
        }
    }
    let huge: Vec<&Case> = valid
        .iter()
        .filter(|c| c.out_of_range_numbers() > 0)
        .collect();
    if !huge.is_empty() {
        let ids: Vec<String> = huge.iter().map(|c| format!("'{}'", c.id())).collect();
        let rows = query(
            db,
            &format!(
                "SELECT * FROM uf_events WHERE event_id IN ({})",
                ids.join(", ")
            ),
        );
        for c in &huge {
            let Some(row) = rows.iter().find(|r| str_of(r, "event_id") == c.id()) else {
                failures.push(format!("{}: no uf_events row", c.id()));
                continue;
            };
            if row.get("huge_number").is_some_and(|v| !v.is_null()) {
                failures.push(format!(
                    "{}: huge_number should be NULL, is {}",
                    c.id(),
                    row["huge_number"]
                ));
            }
            if c.stem == "number_1e999_in_object" && row.get("ok") != Some(&Value::from(1)) {
                failures.push(format!(
                    "{}: the in-range key `ok` should be 1: {row}",
                    c.id()
                ));
            }
        }
    }
    failures
}

pub fn summary_checks(s: &Value, inserted: usize, min_rejected: usize) -> Vec<String> {
    let mut failures = Vec::new();
    let (records, ins, dup, rej) = (
        count(s, "records"),
        count(s, "inserted"),
        count(s, "duplicates"),
        count(s, "rejected"),
    );
    if records != ins + dup + rej {
        failures.push(format!(
            "records {records} != inserted {ins} + duplicates {dup} + rejected {rej}"
        ));
    }
    if ins != inserted as i64 {
        failures.push(format!("inserted {ins}, want {inserted}"));
    }
    if dup != 0 {
        failures.push(format!("duplicates {dup}, want 0"));
    }
    if rej < min_rejected as i64 {
        failures.push(format!("rejected {rej}, want at least {min_rejected}"));
    }
    failures
}

pub fn report(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{what}: {} failures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}
