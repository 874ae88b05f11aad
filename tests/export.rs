//! `hookstat export` through the binary: Parquet read back with DuckDB's
//! read_parquet, partitions, PII policies, incremental nights.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::{json, Value};

fn raw_numbers(db: &Path) -> BTreeSet<String> {
    query(
        db,
        "SELECT client_number AS n FROM cmb_requests WHERE client_number IS NOT NULL
         UNION SELECT alternate_number FROM cmb_requests WHERE alternate_number IS NOT NULL
         UNION SELECT client_number FROM uf_events WHERE client_number IS NOT NULL",
    )
    .into_iter()
    .filter_map(|r| r["n"].as_str().map(str::to_string))
    .collect()
}

#[test]
fn sample_export_reads_back_with_hashed_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&sample_data()]);
    let out = dir.path().join("parquet");
    let s = export(&db, &out, &[]);
    assert!(s["partitions_written"].as_u64().unwrap() > 30);
    let tables: Vec<String> = query(
        &db,
        "SELECT table_name AS t FROM hookstat_tables UNION SELECT 'events' ORDER BY 1",
    )
    .into_iter()
    .map(|r| r["t"].as_str().unwrap().to_string())
    .collect();
    for table in &tables {
        let rows = scalar(
            &db,
            &format!("SELECT count(*) FROM {}", parquet(&out, table)),
        );
        assert_eq!(
            rows,
            scalar(&db, &format!("SELECT count(*) FROM \"{table}\"")),
            "{table}"
        );
    }
    // partitions are the event dates
    let folders: BTreeSet<String> = std::fs::read_dir(out.join("events"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let dates: BTreeSet<String> = query(
        &db,
        "SELECT DISTINCT 'event_date=' || CAST(created_at AS DATE) AS d FROM events",
    )
    .into_iter()
    .map(|r| r["d"].as_str().unwrap().to_string())
    .collect();
    assert_eq!(folders, dates);
    // logical types
    let types = query(
        &db,
        &format!(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {})",
            parquet(&out, "cmb_requests")
        ),
    );
    let ty = |c: &str| {
        types
            .iter()
            .find(|r| r["column_name"] == c)
            .map(|r| r["column_type"].clone())
    };
    assert_eq!(
        ty("created_at"),
        Some(Value::from("TIMESTAMP WITH TIME ZONE"))
    );
    assert_eq!(ty("requested_date"), Some(Value::from("DATE")));
    assert_eq!(ty("is_interested"), Some(Value::from("BOOLEAN")));
    assert_eq!(ty("event_date"), Some(Value::from("DATE")));
    // raw JSON is not exported by default
    let ev = query(
        &db,
        &format!(
            "SELECT column_name FROM (DESCRIBE SELECT * FROM {})",
            parquet(&out, "events")
        ),
    );
    assert!(ev.iter().all(|r| r["column_name"] != "payload"));
    // no raw phone number anywhere in any exported table
    let raw = raw_numbers(&db);
    assert!(raw.len() > 100);
    for table in &tables {
        for row in query(&db, &format!("SELECT * FROM {}", parquet(&out, table))) {
            for v in row.as_object().unwrap().values() {
                if let Some(s) = v.as_str() {
                    assert!(!raw.contains(s), "raw number {s} in {table}");
                }
            }
        }
    }
    // hashed: 64 hex digits
    let h = query(
        &db,
        &format!(
            "SELECT client_number FROM {} WHERE client_number IS NOT NULL LIMIT 1",
            parquet(&out, "cmb_requests")
        ),
    );
    let h = h[0]["client_number"].as_str().unwrap();
    assert!(h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()));
}

#[test]
fn a_second_night_rewrites_only_new_partitions_and_hashes_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let night1 = dir.path().join("n1.ndjson");
    let night2 = dir.path().join("n2.ndjson");
    let mut e2: Value = serde_json::from_str(&cmb_event("e2", "A", true)).unwrap();
    e2["created_at"] = Value::from("1754200000"); // another day
    std::fs::write(&night1, ndjson(&[cmb_event("e1", "A", true)])).unwrap();
    std::fs::write(&night2, ndjson(&[e2.to_string()])).unwrap();
    ingest_ok(&db, &[&night1]);
    let out = dir.path().join("parquet");
    let first = export(&db, &out, &[]);
    let day1 = out.join("cmb_requests/event_date=2025-07-31/part-0.parquet");
    let before = std::fs::metadata(&day1).unwrap().modified().unwrap();
    let hash1 = query(
        &db,
        &format!(
            "SELECT client_number FROM {}",
            parquet(&out, "cmb_requests")
        ),
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    ingest_ok(&db, &[&night2]);
    let second = export(&db, &out, &[]);
    assert_eq!(second["partitions_unchanged"], first["partitions_written"]);
    assert_eq!(second["partitions_written"], 2, "{second}"); // events + cmb_requests of the new day
    assert_eq!(
        std::fs::metadata(&day1).unwrap().modified().unwrap(),
        before
    );
    let rows = query(
        &db,
        &format!(
            "SELECT event_id, client_number FROM {} ORDER BY event_id",
            parquet(&out, "cmb_requests")
        ),
    );
    assert_eq!(rows.len(), 2);
    // the same number hashes the same on both nights
    assert_eq!(rows[0]["client_number"], hash1[0]["client_number"]);
    assert_eq!(rows[1]["client_number"], hash1[0]["client_number"]);
    // no temporary files are left visible
    for entry in walkdir::WalkDir::new(&out) {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{name}");
    }
}

#[test]
fn mask_drop_and_keep() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let file = dir.path().join("a.ndjson");
    std::fs::write(&file, ndjson(&[cmb_event("e1", "A", true)])).unwrap();
    ingest_ok(&db, &[&file]);
    let cmb = |out: &Path| {
        query(
            &db,
            &format!("SELECT * FROM {}", parquet(out, "cmb_requests")),
        )
    };
    let masked = dir.path().join("mask");
    export(&db, &masked, &["--pii", "mask"]);
    assert_eq!(cmb(&masked)[0]["client_number"], "********7890");
    assert_eq!(cmb(&masked)[0]["business_number"], "910987654321");
    let dropped = dir.path().join("drop");
    export(&db, &dropped, &["--pii", "drop"]);
    assert!(cmb(&dropped)[0].get("client_number").is_none());
    let kept = dir.path().join("keep");
    export(
        &db,
        &kept,
        &["--pii", "keep", "--tables", "events,cmb_requests"],
    );
    assert_eq!(cmb(&kept)[0]["client_number"], "911234567890");
    let ev = query(
        &db,
        &format!("SELECT payload FROM {}", parquet(&kept, "events")),
    );
    assert!(ev[0]["payload"].as_str().unwrap().contains("911234567890"));
    // another key file (another key) changes the hashes
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    let key_one = dir.path().join("one.key");
    let key_two = dir.path().join("two.key");
    export(&db, &a, &["--pii-key-file", key_one.to_str().unwrap()]);
    export(&db, &b, &["--pii-key-file", key_two.to_str().unwrap()]);
    assert_ne!(cmb(&a)[0]["client_number"], cmb(&b)[0]["client_number"]);
}

#[test]
fn partitions_follow_the_local_date_and_a_new_zone_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let mut late: Value = serde_json::from_str(&cmb_event("e1", "A", true)).unwrap();
    late["created_at"] = Value::from("1754078400"); // 2025-08-01 20:00 UTC = 2025-08-02 01:30 IST
    let file = dir.path().join("a.ndjson");
    std::fs::write(&file, ndjson(&[late.to_string()])).unwrap();
    ingest_ok(&db, &[&file]);
    let out = dir.path().join("parquet");
    let folders = |table: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(out.join(table))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    export(&db, &out, &["--tz", "Asia/Kolkata"]);
    assert_eq!(folders("events"), ["event_date=2025-08-02"]);
    export(&db, &out, &["--tz", "UTC"]);
    assert_eq!(folders("events"), ["event_date=2025-08-01"]);
    assert_eq!(folders("cmb_requests"), ["event_date=2025-08-01"]);
    assert_eq!(
        scalar(
            &db,
            &format!("SELECT count(*) FROM {}", parquet(&out, "events"))
        ),
        1
    );
}

/// A mistyped `--db` is an error (exit 2), never a new empty database.
#[test]
fn export_of_a_missing_database_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.duckdb");
    let o = hookstat()
        .args(["export", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    assert!(!db.exists());
}

/// Phone numbers in the parts kept over a budget are protected and the
/// `_overflow` value stays JSON.
#[test]
fn overflow_parts_are_protected_and_stay_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let file = dir.path().join("a.ndjson");
    let event = json!({"event_id": "o1", "event_type": "uf", "created_at": "1753945760",
        "uf_payload": {"a": 1, "b": 2, "mobile": 919876543210u64, "note": "ring +91 98765 43210"}});
    std::fs::write(&file, ndjson(&[event.to_string()])).unwrap();
    let (code, _, _) = ingest(&db, &[&file], &["--max-leaves", "2"]);
    assert_eq!(code, 0);
    let out = dir.path().join("out");
    export(&db, &out, &[]);
    let rows = query(
        &db,
        &format!("SELECT _overflow FROM {}", parquet(&out, "uf_events")),
    );
    let text = rows[0]["_overflow"].as_str().unwrap();
    let parts: Value = serde_json::from_str(text).expect("_overflow is JSON");
    assert_eq!(parts.as_object().unwrap().len(), 2, "{text}");
    for raw in ["919876543210", "98765 43210", "9876543210"] {
        assert!(!text.contains(raw), "{text}");
    }
    assert!(text.contains("[phone:"), "{text}");
}
