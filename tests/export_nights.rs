//! `hookstat export` night after night through the binary: a date that only
//! gained rows gets one more file with just those rows; an export stopped
//! half-way is repaired by the next; a widened column rewrites its table so
//! every file has the same types.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::{json, Value};

/// A feedback event on 2025-07-31 (UTC) with two tags (a child table).
fn uf_event(id: &str, score: Value) -> String {
    json!({"event_id": id, "event_type": "uf", "client_account_id": "acc",
           "created_at": "1753945760",
           "uf_payload": {"score": score, "tags": ["late", "polite"]}})
    .to_string()
}

/// Writes a night's archive next to `db` and ingests it; returns its path.
fn load_night(db: &Path, name: &str, lines: &[String]) -> std::path::PathBuf {
    let file = db.with_file_name(name);
    std::fs::write(&file, ndjson(lines)).unwrap();
    ingest_ok(db, &[&file]);
    file
}

/// File names in one partition folder.
fn files(out: &Path, table: &str, day: &str) -> BTreeSet<String> {
    std::fs::read_dir(out.join(table).join(format!("event_date={day}")))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Event ids of an exported table, sorted, with repeats.
fn exported_ids(db: &Path, out: &Path, table: &str) -> Vec<String> {
    query(
        db,
        &format!(
            "SELECT event_id FROM {} ORDER BY event_id",
            parquet(out, table)
        ),
    )
    .into_iter()
    .map(|r| r["event_id"].as_str().unwrap().to_string())
    .collect()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_night_adds_one_file_with_only_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let out = dir.path().join("parquet");
    load_night(
        &db,
        "n1.ndjson",
        &[
            cmb_event("c1", "A", true),
            cmb_event("c2", "B", false),
            uf_event("u1", json!(5)),
        ],
    );
    let first = export(&db, &out, &[]);
    // events, cmb_requests, uf_events, uf_events__tags: one date each
    assert_eq!(first["partitions_written"], 4, "{first}");
    let day = "2025-07-31";
    assert_eq!(
        files(&out, "cmb_requests", day),
        ids(&["part-0.parquet"]).into_iter().collect()
    );
    let base = out.join("cmb_requests/event_date=2025-07-31/part-0.parquet");
    let written_at = std::fs::metadata(&base).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    // the second night: one new event of each type on the same date, and a
    // retry of c1 (a duplicate, not a row)
    load_night(
        &db,
        "n2.ndjson",
        &[
            cmb_event("c3", "A", true),
            cmb_event("c1", "A", true),
            uf_event("u2", json!(3)),
        ],
    );
    let second = export(&db, &out, &[]);
    assert_eq!(second["partitions_written"], 4, "{second}");
    // rows written: 2 events, 1 request, 1 feedback, 2 tags
    assert_eq!(second["rows_written"], 6, "{second}");
    let run = scalar(&db, "SELECT max(run_id) FROM events");
    let added = format!("part-r{run}-0.parquet");
    for table in ["events", "cmb_requests", "uf_events", "uf_events__tags"] {
        assert_eq!(
            files(&out, table, day),
            ["part-0.parquet".to_string(), added.clone()]
                .into_iter()
                .collect(),
            "{table}"
        );
    }
    assert_eq!(
        std::fs::metadata(&base).unwrap().modified().unwrap(),
        written_at
    );
    assert_eq!(
        exported_ids(&db, &out, "cmb_requests"),
        ids(&["c1", "c2", "c3"])
    );
    assert_eq!(
        exported_ids(&db, &out, "events"),
        ids(&["c1", "c2", "c3", "u1", "u2"])
    );
    assert_eq!(
        exported_ids(&db, &out, "uf_events__tags"),
        ids(&["u1", "u1", "u2", "u2"])
    );

    // nothing new: nothing written
    let third = export(&db, &out, &[]);
    assert_eq!(third["partitions_written"], 0, "{third}");
    assert_eq!(third["partitions_unchanged"], 4, "{third}");
}

#[test]
fn an_export_stopped_half_way_is_repaired_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let out = dir.path().join("parquet");
    load_night(&db, "n1.ndjson", &[cmb_event("c1", "A", true)]);
    export(&db, &out, &[]);
    load_night(&db, "n2.ndjson", &[cmb_event("c2", "A", true)]);
    export(&db, &out, &[]);
    let folder = out.join("cmb_requests/event_date=2025-07-31");
    assert_eq!(files(&out, "cmb_requests", "2025-07-31").len(), 2);

    // what a stop between moving a file and recording it leaves: the state
    // written before the move (without the partition) and a file it does
    // not list
    let state_file = out.join("_hookstat_export.json");
    let mut state: Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    let parts = state["tables"]["cmb_requests"]["partitions"]
        .as_object_mut()
        .unwrap();
    assert!(parts.remove("2025-07-31").is_some());
    std::fs::write(&state_file, state.to_string()).unwrap();
    std::fs::copy(
        folder.join("part-0.parquet"),
        folder.join("part-r9-0.parquet"),
    )
    .unwrap();

    load_night(&db, "n3.ndjson", &[cmb_event("c3", "A", true)]);
    export(&db, &out, &[]);
    // rewritten whole: one file, each event once
    assert_eq!(
        files(&out, "cmb_requests", "2025-07-31"),
        ids(&["part-0.parquet"]).into_iter().collect()
    );
    assert_eq!(
        exported_ids(&db, &out, "cmb_requests"),
        ids(&["c1", "c2", "c3"])
    );

    // a listed file that went missing: the partition is written again
    std::fs::remove_file(folder.join("part-0.parquet")).unwrap();
    let again = export(&db, &out, &[]);
    assert_eq!(again["partitions_written"], 1, "{again}");
    assert_eq!(
        exported_ids(&db, &out, "cmb_requests"),
        ids(&["c1", "c2", "c3"])
    );
}

#[test]
fn a_widened_column_rewrites_its_table_with_one_type() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let out = dir.path().join("parquet");
    load_night(&db, "n1.ndjson", &[uf_event("u1", json!(5))]);
    export(&db, &out, &[]);
    // another date, and a score that is no integer: BIGINT widens to DOUBLE
    let mut later: Value = serde_json::from_str(&uf_event("u2", json!(4.5))).unwrap();
    later["created_at"] = Value::from("1754200000");
    load_night(&db, "n2.ndjson", &[later.to_string()]);
    export(&db, &out, &[]);
    assert_eq!(
        query(&db, "SELECT data_type FROM columns WHERE table_name = 'uf_events' AND column_name = 'score'")[0]
            ["data_type"],
        "DOUBLE"
    );
    // every file of the table has the new type (the first date rewritten)
    let types = query(
        &db,
        &format!(
            "SELECT DISTINCT type FROM parquet_schema('{}/uf_events/*/*.parquet') WHERE name = 'score'",
            out.display()
        ),
    );
    assert_eq!(types, vec![json!({"type": "DOUBLE"})]);
    let scores = query(
        &db,
        &format!(
            "SELECT score FROM {} ORDER BY score",
            parquet(&out, "uf_events")
        ),
    );
    assert_eq!(scores, vec![json!({"score": 4.5}), json!({"score": 5.0})]);
}

#[test]
fn event_ids_shaped_like_uuids_leave_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let out = dir.path().join("parquet");
    // a UUID whose last group is 12 decimal digits, like a phone number
    let id = "7ab603cd-a4c4-4904-85b2-919876543210";
    load_night(&db, "n1.ndjson", &[cmb_event(id, "A", true)]);
    export(&db, &out, &[]);
    for table in ["events", "cmb_requests"] {
        assert_eq!(exported_ids(&db, &out, table), ids(&[id]), "{table}");
    }
}

#[test]
fn child_rows_without_a_root_row_are_still_exported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let out = dir.path().join("parquet");
    load_night(
        &db,
        "n1.ndjson",
        &[uf_event("u1", json!(5)), uf_event("u2", json!(4))],
    );
    // a child table is dated through its root table (one row per event);
    // a database where u1's root row is gone still exports u1's tags,
    // dated through `events`
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("DELETE FROM uf_events WHERE event_id = 'u1'")
            .unwrap();
    }
    export(&db, &out, &[]);
    assert_eq!(
        exported_ids(&db, &out, "uf_events__tags"),
        ids(&["u1", "u1", "u2", "u2"])
    );
    assert_eq!(exported_ids(&db, &out, "uf_events"), ids(&["u2"]));
}

#[test]
fn rows_removed_outside_a_run_are_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let out = dir.path().join("parquet");
    load_night(
        &db,
        "n1.ndjson",
        &[cmb_event("c1", "A", true), cmb_event("c2", "A", true)],
    );
    export(&db, &out, &[]);
    // no run since the export, but the table's total no longer adds up:
    // the partitions are counted again and the changed one rewritten
    {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("DELETE FROM cmb_requests WHERE event_id = 'c2'")
            .unwrap();
    }
    let again = export(&db, &out, &[]);
    assert_eq!(again["partitions_written"], 1, "{again}");
    assert_eq!(exported_ids(&db, &out, "cmb_requests"), ids(&["c1"]));
}

#[test]
fn a_folder_written_from_another_database_is_written_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("parquet");
    let first = dir.path().join("a.duckdb");
    let n1 = load_night(&first, "n1.ndjson", &[cmb_event("c1", "A", true)]);
    let written = export(&first, &out, &[]);
    // another database with the same rows (rebuilt from the archive)
    let second = dir.path().join("b.duckdb");
    ingest_ok(&second, &[&n1]);
    let again = export(&second, &out, &[]);
    assert_eq!(
        again["partitions_written"], written["partitions_written"],
        "{again}"
    );
    assert_eq!(again["partitions_unchanged"], 0, "{again}");
    // the same database again: nothing to write
    let same = export(&second, &out, &[]);
    assert_eq!(same["partitions_written"], 0, "{same}");
}
