//! Expected values (the hash, or `[phone:<16 hex>]` in text, or the time as
//! planted), failures counted by category across markets, and the check of
//! planted cells against the rows read back.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::pii::cell_text;
use crate::events::{Cell, Kind};
use crate::run::Rows;

/// What `cell` must come out as, given the hashes of the two numbers.
fn want(cell: &Cell, hashes: &[String; 2]) -> String {
    match (cell.kind, cell.number) {
        (Kind::Plain, _) | (_, None) => cell_text(&cell.raw),
        (Kind::Phone | Kind::Key, Some(n)) => hashes[n].clone(),
        (Kind::FreeText, Some(n)) => cell_text(&cell.raw).replace(
            cell.inner.as_deref().unwrap(),
            &format!("[phone:{}]", &hashes[n][..16]),
        ),
    }
}

/// The `[phone:…]` tokens of a text.
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find("[phone:") {
        rest = &rest[at + 7..];
        let end = rest.find(']').unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// One wrong thing: its category (the same across markets) and an example.
pub struct Failure {
    market: &'static str,
    category: String,
    example: String,
}

/// Digit runs of 6 or more become `#` (raw numbers in a category, e.g. a
/// column named after one, would split it per market).
pub fn generic(s: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    for c in s.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() >= 6 {
            out.push('#');
        } else {
            out.push_str(&run);
        }
        run.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

pub struct Failures {
    pub market: &'static str,
    pub list: Vec<Failure>,
}

impl Failures {
    pub fn add(&mut self, category: impl AsRef<str>, example: impl Into<String>) {
        self.list.push(Failure {
            market: self.market,
            category: generic(category.as_ref()),
            example: example.into(),
        });
    }
}

/// Panics with every category of failure: how many, in which markets, and
/// the first example.
pub fn assert_none(what: &str, failures: &[Failure]) {
    let mut by: BTreeMap<&str, (usize, BTreeSet<&str>, &str)> = BTreeMap::new();
    for f in failures {
        let e = by
            .entry(&f.category)
            .or_insert((0, BTreeSet::new(), &f.example));
        e.0 += 1;
        e.1.insert(f.market);
    }
    let mut shown = String::new();
    for (category, (n, markets, example)) in &by {
        let example: String = example.chars().take(400).collect();
        shown.push_str(&format!(
            "\n- {category}: {n}× in {} market(s) {:?}\n    e.g. {example}",
            markets.len(),
            markets
        ));
    }
    assert!(
        failures.is_empty(),
        "{what}: {} failures in {} categories:{shown}",
        failures.len(),
        by.len()
    );
}

/// Checks the planted cells of `tables` against the expected values;
/// collects, per number, the protected values met in its cells.
pub fn check_cells(
    f: &mut Failures,
    place: &str,
    cells: &[Cell],
    tables: &Rows,
    hashes: &[String; 2],
    seen: &mut BTreeMap<(usize, bool), BTreeSet<String>>,
) {
    for cell in cells {
        let Some(rows) = tables.get(cell.table) else {
            f.add(
                format!("{place}: no table {}", cell.table),
                format!("{} not found", cell.table),
            );
            continue;
        };
        let rows = rows.get(&cell.event_id).map(Vec::as_slice).unwrap_or(&[]);
        if rows.len() != 1 {
            f.add(
                format!("{place}: not one row per event in {}", cell.table),
                format!(
                    "{} has {} rows for {}",
                    cell.table,
                    rows.len(),
                    cell.event_id
                ),
            );
            continue;
        }
        let got = rows[0].get(cell.column);
        let want = want(cell, hashes);
        let got_text = got.filter(|v| !v.is_null()).map(cell_text);
        if let (Some(n), Some(g)) = (cell.number, &got_text) {
            match cell.kind {
                Kind::FreeText => seen.entry((n, true)).or_default().extend(tokens(g)),
                _ => {
                    seen.entry((n, false)).or_default().insert(g.clone());
                }
            }
        }
        let alt = cell
            .alt
            .iter()
            .flat_map(|a| [a.clone(), a.replace('T', " ")]);
        let ok = got_text
            .as_ref()
            .is_some_and(|g| *g == want || alt.clone().any(|a| a == *g));
        if !ok {
            let verdict = match (&got_text, cell.kind) {
                (None, _) => "missing or null",
                (Some(g), _) if g == &cell_text(&cell.raw) => "unchanged (raw)",
                (Some(_), Kind::Plain) => "changed",
                _ => "wrong value",
            };
            f.add(
                format!("{place} {}: {verdict}", cell.label()),
                format!(
                    "{} planted {}: got {:?}, want {want:?}",
                    cell.event_id,
                    cell.raw,
                    got.cloned().unwrap_or(Value::Null)
                ),
            );
        }
    }
}
