//! The corpus through `hookstat ingest`: (a) one file per case, (b) one
//! NDJSON stream with a valid neighbour event before and after every case.

use std::collections::BTreeMap;
use std::path::Path;

use super::checks::{check_events, report, str_of, summary_checks};
use super::common::*;
use super::{all_cases, neighbour, write_archived, Case};

/// (a) One pretty file per case, all in one folder.
#[test]
fn one_file_per_case() {
    let (valid, invalid) = all_cases();
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("cases");
    std::fs::create_dir_all(&arc).unwrap();
    for c in valid.iter().chain(&invalid) {
        write_archived(&arc.join(format!("{}.json", c.id())), &c.event());
    }
    let db = dir.path().join("h.duckdb");
    let (code, s, out) = ingest(&db, &[&arc], &[]);
    assert_eq!(
        code,
        0,
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut failures = summary_checks(&s, valid.len(), invalid.len());
    failures.extend(check_events(&db, &valid, &invalid, &[]));

    // rejects by file: every invalid file has one, no valid file has any
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in query(&db, "SELECT source_file, reason FROM rejects") {
        let file = Path::new(str_of(&r, "source_file"))
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        reasons
            .entry(file)
            .or_default()
            .push(str_of(&r, "reason").to_string());
    }
    for c in &invalid {
        match reasons.get(&c.id()) {
            None => failures.push(format!("{}: no reject", c.id())),
            Some(r) if c.stem.starts_with("utf8_") && !r.iter().any(|x| x == "invalid_utf8") => {
                failures.push(format!("{}: rejected as {r:?}, want invalid_utf8", c.id()))
            }
            Some(_) => {}
        }
    }
    for c in &valid {
        if let Some(r) = reasons.get(&c.id()) {
            failures.push(format!("{}: valid case has rejects {r:?}", c.id()));
        }
    }
    report("one file per case", failures);
}

/// (b) One NDJSON stream: a valid neighbour event before and after every
/// case (cases with line breaks between tokens span several lines).
#[test]
fn ndjson_stream_with_neighbours() {
    let (valid, invalid) = all_cases();
    // interleave valid and invalid cases so each kind follows the other
    let mut order: Vec<&Case> = Vec::new();
    let (mut v, mut i) = (valid.iter(), invalid.iter());
    loop {
        match (v.next(), i.next()) {
            (None, None) => break,
            (a, b) => order.extend(a.into_iter().chain(b)),
        }
    }
    let mut bytes = Vec::new();
    let mut neighbours = Vec::new();
    let nb = |k: usize, bytes: &mut Vec<u8>, neighbours: &mut Vec<(String, Vec<u8>)>| {
        let e = neighbour(k);
        bytes.extend_from_slice(&e);
        bytes.push(b'\n');
        neighbours.push((format!("nb-{k}"), e));
    };
    nb(0, &mut bytes, &mut neighbours);
    for (k, c) in order.iter().enumerate() {
        bytes.extend_from_slice(&c.event());
        bytes.push(b'\n');
        nb(k + 1, &mut bytes, &mut neighbours);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.ndjson");
    write_archived(&file, &bytes);
    let db = dir.path().join("h.duckdb");
    let (code, s, out) = ingest(&db, &[&file], &[]);
    assert_eq!(
        code,
        0,
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut failures = summary_checks(&s, valid.len() + neighbours.len(), invalid.len());
    failures.extend(check_events(&db, &valid, &invalid, &neighbours));

    // every invalid case left a reject that starts with its own event
    let raws: Vec<String> = query(&db, "SELECT raw FROM rejects")
        .iter()
        .map(|r| str_of(r, "raw").to_string())
        .collect();
    for c in &invalid {
        let head = format!("\"event_id\":\"{}\"", c.id());
        if !raws.iter().any(|r| r.contains(&head)) {
            failures.push(format!("{}: no reject holds its event", c.id()));
        }
    }
    report("NDJSON stream", failures);
}
