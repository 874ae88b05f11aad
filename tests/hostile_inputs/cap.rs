//! The 16 MiB cap: an oversize line, an oversize record in concatenated
//! streams and an oversize element of a JSON array are each one
//! `too_large` reject between loading neighbours.

use serde_json::json;

use super::common::*;
use super::{assert_outcome, count, event_ids, gzip, ids, run_ok, typed_event};

/// A string field value that takes about `bytes` bytes as JSON text and is
/// full of braces and escaped quotes (`}{\"x`), so that only a framer that
/// tracks strings finds where the record ends.
fn filler(bytes: usize) -> String {
    "}{\"x".repeat(bytes / 5)
}

/// A single event whose JSON text is over the 16 MiB cap (about 18 MB).
fn huge_event(id: &str) -> String {
    let text = typed_event(id, "uf", json!({"blob": filler(18_000_000)})).to_string();
    assert!(text.len() > 16 * 1024 * 1024 + 1_000_000);
    assert!(!text.contains('\n'));
    text
}

#[test]
fn oversize_line_is_one_too_large_reject_between_valid_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.ndjson");
    let mut text = String::new();
    for id in ["b1", "b2", "b3"] {
        text.push_str(&format!("{}\n", cmb_event(id, "A", true)));
    }
    text.push_str(&huge_event("huge"));
    text.push('\n');
    for id in ["b5", "b6"] {
        text.push_str(&format!("{}\n", cmb_event(id, "A", true)));
    }
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 5);
    assert_outcome(&db, &s, &[("too_large", 1)], &[]);
    let want_ids: Vec<String> = ["b1", "b2", "b3", "b5", "b6"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(event_ids(&db), ids(&want_ids));
    let loc = query(&db, "SELECT source_location FROM rejects");
    assert_eq!(loc[0]["source_location"], "line 4");
}

#[test]
fn oversize_record_in_concatenated_streams_is_one_too_large_reject() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("archive");
    std::fs::create_dir_all(&arc).unwrap();
    // the same record sequence twice: a gzip Firehose object and a plain
    // concatenated file (ending in a newline, so nothing is pending)
    let before = [cmb_event("x1", "A", true), cmb_event("x2", "A", false)];
    let after = [cmb_event("x4", "B", true), cmb_event("x5", "B", false)];
    let offset: usize = before.iter().map(String::len).sum();
    let stream = |prefix: &str| -> String {
        let rename = |s: &String| s.replace("\"x", &format!("\"{prefix}x"));
        let mut t: String = before.iter().map(rename).collect();
        t.push_str(&huge_event(&format!("{prefix}huge")));
        t.extend(after.iter().map(rename));
        t
    };
    std::fs::write(arc.join("firehose-object"), gzip(stream("g").as_bytes())).unwrap();
    let mut plain = stream("p");
    plain.push('\n');
    std::fs::write(arc.join("plain-concat.json"), plain).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&arc], &[]);
    assert_eq!(count(&s, "inserted"), 8);
    assert_outcome(&db, &s, &[("too_large", 2)], &[]);
    let want_ids: Vec<String> = ["g", "p"]
        .iter()
        .flat_map(|p| ["x1", "x2", "x4", "x5"].map(|x| format!("{p}{x}")))
        .collect();
    assert_eq!(event_ids(&db), ids(&want_ids));
    let locs: Vec<String> = query(&db, "SELECT source_location FROM rejects")
        .into_iter()
        .map(|r| r["source_location"].as_str().unwrap().to_string())
        .collect();
    // the prefix adds one byte to each id before the huge record
    let want_loc = format!("byte {}", offset + before.len());
    assert_eq!(locs, vec![want_loc.clone(), want_loc]);
}

#[test]
fn oversize_element_of_a_json_array_is_one_too_large_reject() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.json");
    let text = format!(
        "[\n{},\n{},\n{}\n]\n",
        cmb_event("a1", "A", true),
        huge_event("ahuge"),
        cmb_event("a3", "A", false)
    );
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_outcome(&db, &s, &[("too_large", 1)], &[]);
    assert_eq!(event_ids(&db), ids(&["a1".to_string(), "a3".to_string()]));
}
