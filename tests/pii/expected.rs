//! What every planted cell must become under each `--pii` policy,
//! computed from the planted number and the key; the checks of exported
//! rows and report CSVs against it, and the search for leaked numbers.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::pii::{cell_text, hmac_hex};
use crate::planted::{leak_forms, masked, normal, Cell, Kind};
use crate::read::{csv_rows, RowKey};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Policy {
    Hash,
    Mask,
    Drop,
    Keep,
}

enum Want {
    Exact(String),
    NullOrEmpty,
    Skip,
}

/// What `cell` must look like under `policy` (with `key` for hash).
fn want(cell: &Cell, policy: Policy, key: &[u8]) -> Want {
    match (cell.kind, cell.number) {
        (Kind::Plain, _) => Want::Exact(cell_text(&cell.raw)),
        // "" is NULL once loaded
        (_, _) if cell.raw == "" && policy != Policy::Drop => Want::NullOrEmpty,
        (_, _) if policy == Policy::Keep => Want::Exact(cell_text(&cell.raw)),
        (_, _) if policy == Policy::Drop => Want::Skip,
        (Kind::Phone, Some(n)) => Want::Exact(match policy {
            Policy::Hash => hmac_hex(key, &normal(n)),
            _ => masked(n),
        }),
        // a phone column never falls back to raw: what is no number is
        // hashed (or masked) whole, of its trimmed text
        (Kind::Phone, None) => match &cell.raw {
            Value::String(s) if s.trim().is_empty() => Want::NullOrEmpty,
            Value::String(s) => Want::Exact(match policy {
                Policy::Hash => hmac_hex(key, s.trim()),
                _ => "*".repeat(s.trim().chars().count()),
            }),
            _ => Want::Skip,
        },
        (Kind::FreeText, Some(n)) => {
            let replacement = match policy {
                Policy::Hash => format!("[phone:{}]", &hmac_hex(key, &normal(n))[..16]),
                _ => masked(n),
            };
            Want::Exact(cell_text(&cell.raw).replace(cell.inner.as_deref().unwrap(), &replacement))
        }
        (Kind::FreeText, None) => Want::Exact(cell_text(&cell.raw)),
    }
}

/// The first planted number form found in `content`, with its context.
pub fn find_number(content: &str) -> Option<(String, String)> {
    leak_forms().into_iter().find_map(|form| {
        let at = content.find(&form)?;
        let mut from = at.saturating_sub(60);
        while !content.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (at + form.len() + 60).min(content.len());
        while !content.is_char_boundary(to) {
            to += 1;
        }
        Some((form, content[from..to].to_string()))
    })
}

/// Panics naming the first planted number form found in `content`.
pub fn assert_no_number(what: &str, content: &str) {
    if let Some((form, context)) = find_number(content) {
        panic!("{what} contains the planted number {form:?}: …{context}…");
    }
}

/// Checks every planted cell against the exported rows; returns the failures.
pub fn check_cells(
    cells: &[Cell],
    tables: &BTreeMap<String, BTreeMap<RowKey, Value>>,
    policy: Policy,
    key: &[u8],
) -> Vec<String> {
    let mut failures = Vec::new();
    for cell in cells {
        let Some(rows) = tables.get(cell.table) else {
            failures.push(format!("no exported table {}", cell.table));
            continue;
        };
        let Some(row) = rows.get(&(cell.event_id.clone(), cell.index)) else {
            failures.push(format!(
                "{} has no row {} {:?}",
                cell.table, cell.event_id, cell.index
            ));
            continue;
        };
        let got = row.get(cell.column);
        let ok = match (want(cell, policy, key), got) {
            (Want::Skip, _) => true,
            (_, None) => false,
            (Want::NullOrEmpty, Some(v)) => v.is_null() || v == "",
            (Want::Exact(w), Some(v)) => !v.is_null() && cell_text(v) == w,
        };
        if !ok {
            let shown = match want(cell, policy, key) {
                Want::Exact(w) => w,
                Want::NullOrEmpty => "NULL or empty".into(),
                Want::Skip => String::new(),
            };
            failures.push(format!(
                "{}.{} of {} {:?} (planted {}): got {:?}, want {shown:?}",
                cell.table, cell.column, cell.event_id, cell.index, cell.raw, got
            ));
        }
    }
    failures
}

pub fn assert_no_failures(what: &str, failures: &[String]) {
    // one example per wrong column, with how many of its values are wrong
    let mut by_column: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for f in failures {
        let column = f.split(" of ").next().unwrap_or(f);
        by_column.entry(column).or_insert((0, f)).0 += 1;
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of the planted values are wrong:\n{}",
        failures.len(),
        by_column
            .values()
            .map(|(n, example)| format!("{n} like: {example}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Checks the dropped-in report CSVs in `out` against the planted cells
/// (hash policy): the same protected values as the export; every failure
/// is prefixed with its file.
pub fn report_failures(cells: &[Cell], out: &Path, key: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut check = |file: &str, cells: Vec<Cell>, tables: Vec<(&str, Option<&str>)>| {
        let tables = tables
            .into_iter()
            .map(|(t, src)| (t.to_string(), csv_rows(&out.join("latest").join(file), src)))
            .collect();
        failures.extend(
            check_cells(&cells, &tables, Policy::Hash, key)
                .into_iter()
                .map(|f| format!("{file}: {f}")),
        );
    };
    // every column of uf_events, raw phone columns included
    let uf: Vec<Cell> = cells
        .iter()
        .filter(|c| c.table == "uf_events")
        .cloned()
        .collect();
    check("uf_all.csv", uf.clone(), vec![("uf_events", None)]);
    // free text under another column name
    let feedback = uf
        .iter()
        .filter(|c| c.column == "comment")
        .map(|c| Cell {
            column: "feedback",
            ..c.clone()
        })
        .collect();
    check("free_text.csv", feedback, vec![("uf_events", None)]);
    // numbers from the child tables, under a neutral column name
    let children = cells
        .iter()
        .filter(|c| c.table.starts_with("uf_events__") && c.kind == Kind::Phone)
        .map(|c| Cell {
            column: "v",
            ..c.clone()
        })
        .collect();
    check(
        "child_phones.csv",
        children,
        vec![
            ("uf_events__numbers", Some("numbers")),
            ("uf_events__contacts", Some("contacts")),
        ],
    );
    failures
}
