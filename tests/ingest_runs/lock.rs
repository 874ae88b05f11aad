//! The database lock: a second concurrent ingest, or a database held by
//! another process, is a clear error and changes nothing.

use std::time::{Duration, Instant};

use super::common::*;

#[test]
fn a_second_concurrent_ingest_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("arc");
    sample(&arc, 60_000, 3, &["--layout", "ndjson"]);
    let db = dir.path().join("h.duckdb");
    let mut first = spawn_ingest(&db, &arc);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !db.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let (code, _, out) = ingest(&db, &[&arc], &[]);
    let still_running = first.try_wait().unwrap().is_none();
    first.wait().unwrap();
    if still_running {
        assert_eq!(code, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("in use by another process"), "{err}");
    }
    assert!(
        still_running,
        "first ingest finished before the second started; enlarge the archive"
    );
}

#[test]
fn a_database_held_by_another_process_is_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ndjson");
    std::fs::write(&file, ndjson(&[cmb_event("e1", "A", true)])).unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&file]);
    std::fs::write(
        &file,
        ndjson(&[cmb_event("e1", "A", true), cmb_event("e2", "A", true)]),
    )
    .unwrap();
    {
        // this test process holds the database, as a running ingest would
        let _holder = duckdb::Connection::open(&db).unwrap();
        let (code, _, out) = ingest(&db, &[&file], &[]);
        assert_eq!(code, 2);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("in use by another process"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 1);
    assert_eq!(ingest_ok(&db, &[&file])["inserted"], 1);
}
