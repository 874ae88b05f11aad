//! How records sit in a file: NUL and control bytes, two events on one
//! line, pretty-printed records inside concatenated streams and gzip.

use std::collections::BTreeSet;

use serde_json::Value;

use super::common::*;
use super::{assert_outcome, count, event_ids, gzip, ids, run_ok};

fn pretty_cmb(id: &str) -> String {
    let v: Value = serde_json::from_str(&cmb_event(id, "A", true)).unwrap();
    serde_json::to_string_pretty(&v).unwrap()
}

// ----------------------------------------------------- 1. NUL and control bytes

#[test]
fn nul_byte_line_near_the_start_is_one_invalid_json_reject() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("day.ndjson");
    // line 1 event, line 2 blank, line 3 garbage with NUL, then event/blank
    // pairs: 300 events + 299 blank lines + 1 garbage line = 600 lines
    let mut bytes = Vec::new();
    let mut want_ids = Vec::new();
    bytes.extend(format!("{}\n\n", cmb_event("n0", "A", true)).as_bytes());
    want_ids.push("n0".to_string());
    bytes.extend(b"garbage\0more\n");
    for i in 1..300 {
        let id = format!("n{i}");
        bytes.extend(cmb_event(&id, "A", i % 2 == 0).as_bytes());
        bytes.push(b'\n');
        if i < 299 {
            bytes.push(b'\n');
        }
        want_ids.push(id);
    }
    assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 600);
    std::fs::write(&file, &bytes).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 300);
    assert_eq!(count(&s, "records"), 301);
    assert_outcome(&db, &s, &[("invalid_json", 1)], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 300);
    let rej = query(&db, "SELECT source_location, raw FROM rejects");
    assert_eq!(rej[0]["source_location"], "line 3");
    let raw = rej[0]["raw"].as_str().unwrap();
    assert!(raw.contains("garbage\\x00more"), "raw escapes NUL: {raw:?}");
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM source_files WHERE layout = 'lines'"
        ),
        1
    );
}

#[test]
fn raw_control_byte_inside_a_string_rejects_only_that_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ctl.ndjson");
    let mut bytes = Vec::new();
    let mut want_ids = Vec::new();
    for i in 0..20 {
        match i {
            // JSON forbids unescaped control characters inside strings
            1 => bytes.extend(
                b"{\"event_id\":\"ctl1\",\"event_type\":\"cmb\",\"created_at\":\"1753945760\",\"note\":\"a\x01b\"}\n",
            ),
            10 => bytes.extend(
                b"{\"event_id\":\"ctl2\",\"event_type\":\"uf\",\"uf_payload\":{\"t\":\"x\x00y\x1fz\"}}\n",
            ),
            _ => {
                let id = format!("c{i}");
                bytes.extend(format!("{}\n", cmb_event(&id, "A", true)).as_bytes());
                want_ids.push(id);
            }
        }
    }
    std::fs::write(&file, &bytes).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 18);
    assert_outcome(&db, &s, &[("invalid_json", 2)], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
    let locs: BTreeSet<String> = query(&db, "SELECT source_location FROM rejects")
        .into_iter()
        .map(|r| r["source_location"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        locs,
        ["line 2", "line 11"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
}

// ------------------------------------------------- 2. two events on one line

#[test]
fn two_events_on_one_line_both_load() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doubled.ndjson");
    let mut text = String::new();
    let mut want_ids = Vec::new();
    for i in 0..50 {
        let a = format!("d{i}");
        want_ids.push(a.clone());
        if i % 10 == 3 {
            let b = format!("d{i}b");
            want_ids.push(b.clone());
            let sep = if i % 20 == 3 { "" } else { " " };
            text.push_str(&format!(
                "{}{sep}{}\n",
                cmb_event(&a, "A", true),
                cmb_event(&b, "B", false)
            ));
        } else {
            text.push_str(&format!("{}\n", cmb_event(&a, "A", true)));
        }
    }
    assert_eq!(text.lines().count(), 50);
    assert_eq!(want_ids.len(), 55);
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 55);
    assert_eq!(count(&s, "duplicates"), 0);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
}

// --------------------------- 3. concatenated streams with multi-line records

#[test]
fn firehose_gzip_with_pretty_printed_records_loads_everything() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("firehose-object");
    // the first 10 records are newline-separated (it looks like NDJSON), the
    // other 620 are concatenated without separators, every 50th pretty-printed
    let mut text = String::new();
    let mut want_ids = Vec::new();
    for i in 0..630 {
        let id = format!("f{i}");
        if i < 10 {
            text.push_str(&cmb_event(&id, "A", true));
            text.push('\n');
        } else if i % 50 == 0 {
            text.push_str(&pretty_cmb(&id));
        } else {
            text.push_str(&cmb_event(&id, "B", i % 3 == 0));
        }
        want_ids.push(id);
    }
    assert!(text.starts_with(&format!("{}\n", cmb_event("f0", "A", true))));
    std::fs::write(&file, gzip(text.as_bytes())).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 630);
    assert_eq!(count(&s, "records"), 630);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 630);
}

#[test]
fn ndjson_that_turns_concatenated_and_multi_line_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mixed.ndjson");
    let mut text = String::new();
    let mut want_ids = Vec::new();
    for i in 0..100 {
        let id = format!("n{i}");
        text.push_str(&format!("{}\n", cmb_event(&id, "A", true)));
        want_ids.push(id);
    }
    // 20 events on one line, no separators
    for i in 0..20 {
        let id = format!("c{i}");
        text.push_str(&cmb_event(&id, "B", false));
        want_ids.push(id);
    }
    text.push('\n');
    // 5 pretty-printed events, one after the other
    for i in 0..5 {
        let id = format!("m{i}");
        text.push_str(&format!("{}\n", pretty_cmb(&id)));
        want_ids.push(id);
    }
    for i in 0..10 {
        let id = format!("z{i}");
        text.push_str(&format!("{}\n", cmb_event(&id, "A", false)));
        want_ids.push(id);
    }
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 135);
    assert_outcome(&db, &s, &[], &[]);
    assert_eq!(event_ids(&db), ids(&want_ids));
}
