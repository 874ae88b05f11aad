//! Growing files: a half-written tail is pending until it is complete or the
//! settle time has passed; a gzip ending mid-record is truncated at once.

use std::io::Write;
use std::path::Path;

use super::common::*;
use super::{assert_outcome, count, event_ids, gzip, ids, rejects_by_reason, run, run_ok, want};

/// The complete event whose first bytes are the half-written tail.
const P2_FULL: &str = r#"{"event_id":"p2","created_at":"1753945760","event_type":"uf","client_account_id":"acc","uf_payload":{"answer":"yes"}}"#;
const P2_TAIL: &str = r#"{"event_id":"p2","crea"#;

fn pending_in_source_files(db: &Path, name: &str) -> i64 {
    scalar(
        db,
        &format!(
            "SELECT coalesce(pending_bytes, 0) FROM source_files WHERE ends_with(path, '{name}')"
        ),
    )
}

#[test]
fn half_written_tail_is_pending_then_loads_once_complete() {
    assert!(P2_FULL.starts_with(P2_TAIL));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("growing.ndjson");
    let head = ndjson(&[
        cmb_event("p0", "A", true),
        cmb_event("p1", "A", false),
        cmb_event("p1b", "B", true),
    ]);
    std::fs::write(&file, format!("{head}{P2_TAIL}")).unwrap();
    let db = dir.path().join("h.duckdb");
    // run 1: the tail is young (default settle time 24h), so it waits
    let s1 = run_ok(&db, &[&file], &["--strict"]);
    assert_eq!(count(&s1, "inserted"), 3);
    assert_eq!(count(&s1, "pending_bytes"), P2_TAIL.len() as i64);
    assert_outcome(&db, &s1, &[], &[]);
    assert_eq!(
        pending_in_source_files(&db, "growing.ndjson"),
        P2_TAIL.len() as i64
    );
    assert!(!event_ids(&db).contains("p2"));
    // the writer finishes the line
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .unwrap();
    writeln!(f, "{}", &P2_FULL[P2_TAIL.len()..]).unwrap();
    drop(f);
    let s2 = run_ok(&db, &[&file], &["--strict"]);
    assert_eq!(count(&s2, "inserted"), 1);
    assert_eq!(count(&s2, "rejected"), 0);
    assert_eq!(count(&s2, "pending_bytes"), 0);
    assert_eq!(pending_in_source_files(&db, "growing.ndjson"), 0);
    assert_eq!(rejects_by_reason(&db), want(&[]));
    assert_eq!(
        event_ids(&db),
        ids(&["p0", "p1", "p1b", "p2"].map(String::from))
    );
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM uf_events WHERE event_id = 'p2'"),
        1
    );
}

#[test]
fn settle_time_zero_makes_an_incomplete_tail_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stuck.ndjson");
    let head = ndjson(&[cmb_event("s0", "A", true), cmb_event("s1", "A", false)]);
    std::fs::write(&file, format!("{head}{P2_TAIL}")).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &["--settle-time", "0s"]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_eq!(count(&s, "pending_bytes"), 0);
    assert_outcome(&db, &s, &[("truncated", 1)], &[]);
    assert_eq!(
        query(&db, "SELECT source_location FROM rejects")[0]["source_location"],
        "line 3"
    );
    let strict_db = dir.path().join("strict.duckdb");
    let (code, _) = run(&strict_db, &[&file], &["--settle-time", "0s", "--strict"]);
    assert_eq!(code, 1, "--strict with a truncated record exits 1");
}

#[test]
fn gzip_ending_mid_record_is_truncated_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("day.ndjson.gz");
    let text = format!(
        "{}{P2_TAIL}",
        ndjson(&[cmb_event("z0", "A", true), cmb_event("z1", "A", false)])
    );
    std::fs::write(&file, gzip(text.as_bytes())).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = run_ok(&db, &[&file], &[]);
    assert_eq!(count(&s, "inserted"), 2);
    assert_eq!(count(&s, "pending_bytes"), 0);
    assert_outcome(&db, &s, &[("truncated", 1)], &[]);
    assert_eq!(pending_in_source_files(&db, "day.ndjson.gz"), 0);
}
