//! Re-runs: retries across nights are duplicates and changed content is
//! recorded, a re-run is a no-op and grown files are read from where they
//! stopped, a retry with keys in another order has the same content, and
//! the database kept inside the archive is never read.

use std::fs::OpenOptions;
use std::io::Write;

use super::common::*;

#[test]
fn retries_across_nights_are_duplicates_and_changed_content_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let night1 = dir.path().join("2025-08-01");
    let night2 = dir.path().join("2025-08-02");
    std::fs::create_dir_all(&night1).unwrap();
    std::fs::create_dir_all(&night2).unwrap();
    std::fs::write(
        night1.join("a.ndjson"),
        ndjson(&[
            cmb_event("e1", "A", true),
            cmb_event("e2", "A", false),
            cmb_event("e1", "A", true),
        ]),
    )
    .unwrap();
    // night 2: a byte-identical retry of e2, a changed e1, a new e3
    std::fs::write(
        night2.join("b.ndjson"),
        ndjson(&[
            cmb_event("e2", "A", false),
            cmb_event("e1", "CHANGED", true),
            cmb_event("e3", "B", true),
        ]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    let s1 = ingest_ok(&db, &[&night1]);
    assert_eq!(
        (s1["inserted"].as_i64(), s1["duplicates"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(s1["conflicts"], 0);
    let s2 = ingest_ok(&db, &[&night2]);
    assert_eq!(
        (s2["inserted"].as_i64(), s2["duplicates"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(s2["conflicts"], 1);
    // first delivery wins
    let e1 = query(
        &db,
        "SELECT payload->>'$.cmb_payload.cmb_config_name' AS c FROM events WHERE event_id = 'e1'",
    );
    assert_eq!(e1[0]["c"], "A");
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 3);
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 3);
    let dups = query(
        &db,
        "SELECT event_id, same_content, payload->>'$.cmb_payload.cmb_config_name' AS c, run_id
         FROM duplicate_deliveries ORDER BY run_id, event_id",
    );
    assert_eq!(dups.len(), 3);
    assert_eq!(dups[0]["same_content"], true);
    assert_eq!(dups[0]["c"], serde_json::Value::Null);
    assert_eq!(dups[1]["event_id"], "e1");
    assert_eq!(dups[1]["same_content"], false);
    assert_eq!(dups[1]["c"], "CHANGED");
    assert_eq!(dups[2]["same_content"], true);
    // runs table agrees with the summaries
    let runs = query(
        &db,
        "SELECT run_id, records, inserted, duplicates, conflicts FROM runs ORDER BY run_id",
    );
    assert_eq!(runs[1]["records"], 3);
    assert_eq!(runs[1]["conflicts"], 1);
}

#[test]
fn rerun_is_a_no_op_and_grown_files_are_read_from_where_they_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("arc");
    std::fs::create_dir_all(&arc).unwrap();
    let day = arc.join("day.ndjson");
    std::fs::write(
        &day,
        format!(
            "{}\n{}\n{{\"event_id\":\"half",
            cmb_event("e1", "A", true),
            cmb_event("e2", "A", true)
        ),
    )
    .unwrap();
    std::fs::write(arc.join("other.json"), cmb_event("o1", "B", true)).unwrap();
    let db = dir.path().join("h.duckdb");
    let s1 = ingest_ok(&db, &[&arc]);
    assert_eq!(s1["inserted"], 3);
    // the half line may still be written to: pending, not a reject
    assert_eq!(s1["rejected"], 0);
    assert_eq!(s1["pending_bytes"], "{\"event_id\":\"half".len());

    let s2 = ingest_ok(&db, &[&arc]);
    assert_eq!(s2["files_read"], 0);
    assert_eq!(s2["files_skipped"], 2);
    assert_eq!(s2["records"], 0);
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 3);

    // the writer finishes the half line and appends one more event
    let mut f = OpenOptions::new().append(true).open(&day).unwrap();
    write!(
        f,
        "\",\"event_type\":\"uf\"}}\n{}\n",
        cmb_event("e3", "A", false)
    )
    .unwrap();
    drop(f);
    let s3 = ingest_ok(&db, &[&arc]);
    assert_eq!(s3["files_read"], 1);
    assert_eq!(s3["files_resumed"], 1);
    assert_eq!(s3["records"], 2, "{s3}");
    assert_eq!(s3["inserted"], 2);
    assert_eq!(s3["duplicates"], 0);
    let loc = query(
        &db,
        "SELECT source_location FROM events WHERE event_id = 'e3'",
    );
    assert_eq!(loc[0]["source_location"], "line 4");
    assert_eq!(scalar(&db, "SELECT count(*) FROM runs"), 3);
    let file = query(&db, "SELECT records, rejects, first_run, last_run FROM source_files WHERE path LIKE '%day.ndjson'");
    assert_eq!(file[0]["records"], 4);
    assert_eq!(file[0]["first_run"], 1);
    assert_eq!(file[0]["last_run"], 3);
}

#[test]
fn a_retry_with_keys_in_another_order_has_the_same_content() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ndjson");
    let first = cmb_event("e1", "A", true);
    let value: serde_json::Value = serde_json::from_str(&first).unwrap();
    let reordered = format!(
        "{{{}}}",
        value
            .as_object()
            .unwrap()
            .iter()
            .rev()
            .map(|(k, v)| format!("{}:{v}", serde_json::Value::String(k.clone())))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert_ne!(reordered, first);
    std::fs::write(
        &file,
        ndjson(&[first, reordered, cmb_event("e1", "B", true)]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    let s = ingest_ok(&db, &[&file]);
    assert_eq!(
        (s["duplicates"].as_i64(), s["conflicts"].as_i64()),
        (Some(2), Some(1))
    );
    let rows = query(
        &db,
        "SELECT same_content FROM duplicate_deliveries ORDER BY source_location",
    );
    assert_eq!(rows[0]["same_content"], true);
    assert_eq!(rows[1]["same_content"], false);
}

#[test]
fn the_database_kept_inside_the_archive_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.ndjson"),
        ndjson(&[cmb_event("e1", "A", true)]),
    )
    .unwrap();
    let db = dir.path().join("hookstat.duckdb");
    for _ in 0..3 {
        let (code, s, out) = ingest(&db, &[dir.path()], &["--strict"]);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(s["rejected"], 0);
    }
    assert_eq!(scalar(&db, "SELECT count(*) FROM source_files"), 1);
}
