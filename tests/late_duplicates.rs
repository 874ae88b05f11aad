//! Re-deliveries of events an earlier run loaded, in every table: the run
//! deduplicates within itself while loading and against the stored history
//! with a filter of the stored ids, confirmed by one query before it
//! commits. The expected counts are worked out by
//! hand from the two nights written here.

mod common;

use common::*;
use serde_json::json;

fn survey(id: &str, answers: &[&str]) -> String {
    json!({
        "event_id": id,
        "event_type": "survey",
        "created_at": "1753945760",
        "survey_payload": {
            "score": 4,
            "answers": answers.iter().map(|a| json!({ "q": a })).collect::<Vec<_>>()
        }
    })
    .to_string()
}

/// A Call Me Back event whose `requested_at` is not a timestamp: one field
/// issue (`not_a_timestamp`) when it is loaded.
fn cmb_with_issue(id: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&cmb_event(id, "LATE", false)).unwrap();
    v["cmb_payload"]["requested_at"] = json!("not a time");
    v.to_string()
}

#[test]
fn late_redeliveries_leave_only_the_first_delivery_in_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let (n1, n2) = (dir.path().join("n1"), dir.path().join("n2"));
    std::fs::create_dir_all(&n1).unwrap();
    std::fs::create_dir_all(&n2).unwrap();
    std::fs::write(
        n1.join("a.ndjson"),
        ndjson(&[survey("g1", &["first"]), cmb_event("c1", "A", true)]),
    )
    .unwrap();
    // night 2: g1 again with three answers (twice), c1 again with a bad
    // field, one new event. Only n1 is new.
    std::fs::write(
        n2.join("b.ndjson"),
        ndjson(&[
            survey("g1", &["x", "y", "z"]),
            cmb_with_issue("c1"),
            survey("g1", &["x", "y", "z"]),
            cmb_event("n1", "B", false),
        ]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    let s1 = ingest_ok(&db, &[&n1]);
    assert_eq!(
        (s1["inserted"].as_i64(), s1["field_issues"].as_i64()),
        (Some(2), Some(0))
    );
    let s2 = ingest_ok(&db, &[&n2]);
    assert_eq!(s2["records"], 4);
    assert_eq!(s2["inserted"], 1);
    assert_eq!(s2["duplicates"], 3);
    // all three differ from the first deliveries
    assert_eq!(s2["conflicts"], 3);
    assert_eq!(s2["field_issues"], 0);
    assert_eq!(s2["inserted_by_type"], json!({ "cmb": 1 }));
    assert_eq!(s2["field_issues_by_problem"], json!({}));

    // one row per event everywhere, holding the first delivery
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 3);
    assert_eq!(
        scalar(&db, "SELECT count(DISTINCT event_id) FROM events"),
        3
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 2);
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM cmb_requests WHERE event_id = 'c1' AND cmb_config_name = 'A'"
        ),
        1
    );
    assert_eq!(scalar(&db, "SELECT count(*) FROM field_issues"), 0);
    let tables = query(
        &db,
        "SELECT table_name, parent_table FROM hookstat_tables WHERE event_type = 'survey' ORDER BY parent_table NULLS FIRST",
    );
    assert_eq!(tables.len(), 2, "{tables:?}");
    let event_table = tables[0]["table_name"].as_str().unwrap();
    let child_table = tables[1]["table_name"].as_str().unwrap();
    assert_eq!(
        scalar(&db, &format!("SELECT count(*) FROM \"{event_table}\"")),
        1
    );
    let answers = query(&db, &format!("SELECT q FROM \"{child_table}\""));
    assert_eq!(answers, vec![json!({ "q": "first" })]);

    // the later deliveries are recorded, with their content
    let dups = query(
        &db,
        "SELECT event_id, same_content, source_location FROM duplicate_deliveries
         WHERE run_id = 2 ORDER BY source_location",
    );
    assert_eq!(dups.len(), 3, "{dups:?}");
    assert!(dups.iter().all(|d| d["same_content"] == false));
    let ids: Vec<&str> = dups
        .iter()
        .map(|d| d["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["g1", "c1", "g1"]);
    let runs = query(
        &db,
        "SELECT inserted, duplicates, conflicts FROM runs WHERE run_id = 2",
    );
    assert_eq!(
        runs[0],
        json!({ "inserted": 1, "duplicates": 3, "conflicts": 3 })
    );
}

/// Row count of every data table (fixed and flattened).
fn row_counts(db: &std::path::Path) -> Vec<(String, i64)> {
    let mut names: Vec<String> = query(db, "SELECT table_name FROM hookstat_tables ORDER BY 1")
        .iter()
        .map(|r| r["table_name"].as_str().unwrap().to_string())
        .collect();
    names.extend(["events", "field_issues"].map(String::from));
    names
        .into_iter()
        .map(|t| {
            let n = scalar(db, &format!("SELECT count(*) FROM \"{t}\""));
            (t, n)
        })
        .collect()
}

/// Copies the files of a folder tree (hidden entries left out).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            copy_tree(&path, &to.join(name));
        } else {
            std::fs::copy(&path, to.join(name)).unwrap();
        }
    }
}

#[test]
fn a_copied_file_of_an_earlier_night_loads_nothing_new() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    sample(&archive, 3000, 11, &["--layout", "ndjson"]);
    let db = dir.path().join("h.duckdb");
    let s1 = ingest_ok(&db, &[&archive]);
    let before = row_counts(&db);
    assert!(before.len() > 3, "{before:?}");
    // the same files again under another folder: every event is a later
    // delivery of one loaded by the first run
    let copy = dir.path().join("copy");
    copy_tree(&archive, &copy);
    let s2 = ingest_ok(&db, &[&copy]);
    assert_eq!(s2["inserted"], 0);
    assert_eq!(s2["field_issues"], 0);
    assert_eq!(s2["records"], s1["records"]);
    assert_eq!(s2["rejected"], s1["rejected"]);
    // within the copy, later deliveries are duplicates as before; the rest
    // are duplicates of the first run's events
    assert_eq!(
        s2["duplicates"].as_i64(),
        Some(s1["inserted"].as_i64().unwrap() + s1["duplicates"].as_i64().unwrap())
    );
    assert_eq!(row_counts(&db), before);
}

#[test]
fn a_run_bigger_than_its_id_window_still_loads_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    sample(&archive, 3000, 5, &["--layout", "ndjson"]);
    // the archive and a copy of it in one run: every event of the copy is
    // a re-delivery thousands of records after the first one
    let both = dir.path().join("both");
    copy_tree(&archive, &both.join("1"));
    copy_tree(&archive, &both.join("2"));
    let exact = dir.path().join("exact.duckdb");
    let s_exact = ingest_ok(&exact, &[&both]);
    for window in ["10", "1000"] {
        let db = dir.path().join(format!("w{window}.duckdb"));
        let (code, s, out) = ingest(&db, &[&both], &["--max-ids-in-memory", window]);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
        for key in [
            "records",
            "inserted",
            "duplicates",
            "conflicts",
            "rejected",
            "field_issues",
        ] {
            assert_eq!(s[key], s_exact[key], "{key} with a window of {window}");
        }
        assert_eq!(row_counts(&db), row_counts(&exact), "window {window}");
        assert_eq!(
            scalar(
                &db,
                "SELECT count(*) - count(DISTINCT event_id) FROM events"
            ),
            0
        );
    }
    // a window that holds the run never needs the second pass and agrees too
    let db = dir.path().join("wide.duckdb");
    let (code, s, _) = ingest(&db, &[&both], &["--max-ids-in-memory", "100000"]);
    assert_eq!(code, 0);
    assert_eq!(s["inserted"], s_exact["inserted"]);
}

#[test]
fn a_database_of_an_earlier_version_gains_id_hashes_and_still_deduplicates() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("a");
    sample(&archive, 2000, 13, &["--layout", "ndjson"]);
    let db = dir.path().join("h.duckdb");
    let s1 = ingest_ok(&db, &[&archive]);
    // as an earlier version left it: no id_hash or payload_hash column
    duckdb::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "ALTER TABLE events DROP COLUMN id_hash; ALTER TABLE events DROP COLUMN payload_hash",
        )
        .unwrap();
    let before = row_counts(&db);
    let copy = dir.path().join("copy");
    copy_tree(&archive, &copy);
    let s2 = ingest_ok(&db, &[&copy]);
    assert_eq!(s2["inserted"], 0);
    assert_eq!(
        s2["duplicates"].as_i64(),
        Some(s1["inserted"].as_i64().unwrap() + s1["duplicates"].as_i64().unwrap())
    );
    assert_eq!(row_counts(&db), before);
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM events WHERE id_hash IS NULL"),
        0
    );
    // compared as JSON (no stored byte hash yet): the copies differ from
    // their first deliveries exactly where the first run's retries did
    assert_eq!(s2["conflicts"], s1["conflicts"]);
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM duplicate_deliveries WHERE run_id = 2 AND same_content"
        ),
        s2["duplicates"].as_i64().unwrap() - s1["conflicts"].as_i64().unwrap()
    );
}

#[test]
fn new_events_into_a_history_load_as_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    sample(&old, 4000, 21, &["--layout", "ndjson"]);
    sample(&new, 4000, 22, &["--layout", "ndjson"]);
    let alone = ingest_ok(&dir.path().join("alone.duckdb"), &[&new]);
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&old]);
    let before = scalar(&db, "SELECT count(*) FROM events");
    // the second archive's ids are its own: whatever the filter of stored
    // ids guesses, every event loads, once
    let night = ingest_ok(&db, &[&new]);
    for key in [
        "records",
        "inserted",
        "duplicates",
        "rejected",
        "field_issues",
    ] {
        assert_eq!(night[key], alone[key], "{key}");
    }
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM events"),
        before + alone["inserted"].as_i64().unwrap()
    );
}

/// `n` uf events of about `bytes` bytes each, their text field filled with
/// `fill`.
fn large_events(n: usize, bytes: usize, fill: &str) -> String {
    let lines: Vec<String> = (0..n)
        .map(|i| {
            json!({
                "event_id": format!("large-{i}"),
                "event_type": "uf",
                "created_at": 1_754_006_400 + i as u64,
                "client_account_id": "acct",
                "uf_payload": {"note": fill.repeat(bytes)},
            })
            .to_string()
        })
        .collect();
    ndjson(&lines)
}

#[test]
fn nights_redelivering_large_events_settle_within_a_small_buffer() {
    // ten events of 4 MB. Re-delivered with the same bytes under a buffer
    // of 32 MB, their staged payloads (40 MB) were read a vector at a time
    // and did not fit; re-delivered with other content they are more than
    // the 32 MB compared in bulk, so they are compared one pair at a time
    let dir = tempfile::tempdir().unwrap();
    let nights: Vec<_> = ["y", "y", "z"]
        .iter()
        .enumerate()
        .map(|(i, fill)| {
            let night = dir.path().join(format!("n{i}"));
            std::fs::create_dir_all(&night).unwrap();
            std::fs::write(night.join("a.ndjson"), large_events(10, 4_000_000, fill)).unwrap();
            night
        })
        .collect();
    let db = dir.path().join("h.duckdb");
    for (night, limit, inserted, conflicts) in [
        (&nights[0], "256MB", 10, 0),
        (&nights[1], "32MB", 0, 0),
        (&nights[2], "256MB", 0, 10),
    ] {
        let (code, s, out) = ingest(&db, &[night], &["--memory-limit", limit]);
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
        let got = (s["inserted"].as_i64(), s["conflicts"].as_i64());
        assert_eq!(got, (Some(inserted), Some(conflicts)));
    }
    // the same bytes are recorded without a payload, other content with it
    assert_eq!(
        counts(
            &db,
            "SELECT run_id::VARCHAR || ' ' || same_content::VARCHAR || ' ' || (payload IS NULL)::VARCHAR AS k, count(*) AS n
             FROM duplicate_deliveries GROUP BY 1"
        ),
        [("2 true true".to_string(), 10), ("3 false false".to_string(), 10)].into()
    );
    let stored =
        "SELECT count(*) FROM duplicate_deliveries WHERE payload->>'$.uf_payload.note' LIKE 'zzz%'";
    assert_eq!(scalar(&db, stored), 10);
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 10);
}

/// An event holding a number beyond a double (`1e999`) with an answer.
fn beyond_double(id: &str, answer: &str) -> String {
    // written by hand: the number must stay `1e999` as delivered
    format!(
        r#"{{"event_id":"{id}","event_type":"uf","created_at":"1753945760","uf_payload":{{"v":1e999,"answer":"{answer}"}}}}"#
    )
}

#[test]
fn a_changed_redelivery_with_a_number_beyond_a_double_keeps_its_payload() {
    let dir = tempfile::tempdir().unwrap();
    let (n1, n2) = (dir.path().join("n1.ndjson"), dir.path().join("n2.ndjson"));
    // x1: changed on a later night; x2: changed within one night; x3: the same bytes again
    std::fs::write(&n1, ndjson(&[beyond_double("x1", "yes")])).unwrap();
    let night2 = [
        ("x1", "NO"),
        ("x2", "yes"),
        ("x2", "NO"),
        ("x3", "a"),
        ("x3", "a"),
    ];
    let lines: Vec<String> = night2.iter().map(|(i, a)| beyond_double(i, a)).collect();
    std::fs::write(&n2, ndjson(&lines)).unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&n1]);
    let s = ingest_ok(&db, &[&n2]);
    assert_eq!(
        (s["duplicates"].as_i64(), s["conflicts"].as_i64()),
        (Some(3), Some(2))
    );
    // one text per re-delivery: id, same content, the answer kept, 1e999 kept
    let dups = query(
        &db,
        "SELECT concat_ws(' ', event_id, same_content, payload->>'$.uf_payload.answer',
                          contains(payload::VARCHAR, '1e999')) AS k
         FROM duplicate_deliveries ORDER BY event_id",
    );
    let seen: Vec<&str> = dups.iter().map(|d| d["k"].as_str().unwrap()).collect();
    assert_eq!(seen, ["x1 false NO true", "x2 false NO true", "x3 true"]);
}
