//! Usage mistakes exit 2 with a message; `hookstat query` is read-only and
//! formats its output.

use super::common::*;

#[test]
fn usage_mistakes_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let missing = dir.path().join("nope");
    let (code, _, out) = ingest(&db, &[&missing], &[]);
    assert_eq!(code, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
    hookstat().arg("ingest").assert().code(2);
    let out = hookstat()
        .args(["query", "--db"])
        .arg(dir.path().join("absent.duckdb"))
        .arg("SELECT 1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    hookstat()
        .args(["ingest", "--memory-limit", "lots", "--db"])
        .arg(&db)
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("256MB"));
    std::fs::write(dir.path().join("existing.json"), "{}").unwrap();
    let out = hookstat()
        .args(["sample", "--events", "10", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    let garbage = dir.path().join("garbage.duckdb");
    std::fs::write(&garbage, "this is not a database").unwrap();
    let (code, _, out) = ingest(&garbage, &[dir.path()], &[]);
    assert_eq!(code, 2, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn query_is_read_only_and_formats_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ndjson");
    std::fs::write(&file, ndjson(&[cmb_event("e1", "A, \"quoted\"", true)])).unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&file]);
    let out = hookstat()
        .args(["query", "--format", "csv", "--db"])
        .arg(&db)
        .arg("SELECT event_id, cmb_config_name, is_interested FROM cmb_requests")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "event_id,cmb_config_name,is_interested\ne1,\"A, \"\"quoted\"\"\",true\n"
    );
    let out = hookstat()
        .args(["query", "--db"])
        .arg(&db)
        .arg("SELECT count(*) AS n FROM events")
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("| n |") && table.contains("| 1 |"),
        "{table}"
    );
    let out = hookstat()
        .args(["query", "--db"])
        .arg(&db)
        .arg("DELETE FROM events")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"));
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 1);
    // an empty result still has its header
    let out = hookstat()
        .args(["query", "--format", "csv", "--db"])
        .arg(&db)
        .arg("SELECT event_id, run_id FROM events WHERE false")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "event_id,run_id\n");
    // HOOKSTAT_DB selects the database too
    let out = hookstat()
        .env("HOOKSTAT_DB", &db)
        .args([
            "query",
            "--format",
            "json",
            "SELECT count(*) AS n FROM events",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"n\": 1"));
}
