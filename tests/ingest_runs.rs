//! Ingest semantics across runs: deduplication, incremental re-runs,
//! appended files, atomicity under kill, the database lock, usage errors.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::time::{Duration, Instant};

use common::*;

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

fn table_fingerprint(db: &std::path::Path) -> Vec<serde_json::Value> {
    query(
        db,
        "SELECT (SELECT count(*) FROM events) AS events,
                (SELECT sum(hash(event_id || source_file || source_location || payload)) FROM events) AS ev_hash,
                (SELECT count(*) FROM cmb_requests) AS cmb,
                (SELECT sum(hash(cmb_requests::VARCHAR)) FROM cmb_requests) AS cmb_hash,
                (SELECT count(*) FROM rejects) AS rejects,
                (SELECT sum(hash(source_file || source_location || reason)) FROM rejects) AS rej_hash,
                (SELECT count(*) FROM field_issues) AS issues,
                (SELECT count(*) FROM duplicate_deliveries) AS dups",
    )
}

/// How a run started by [`kill_after`] ended.
#[cfg(unix)]
enum Killed {
    /// It was still running right before the kill (`try_wait` gave
    /// `Ok(None)`); how it then exited.
    MidRun(std::process::ExitStatus),
    /// It had already finished, after about this long: nothing was killed.
    TooLate(Duration),
}

/// Starts `ingest` of `arc` into `db` and kills it `delay` later, if it is
/// still running then.
#[cfg(unix)]
fn kill_after(db: &std::path::Path, arc: &std::path::Path, delay: Duration) -> Killed {
    let mut child = spawn_ingest(db, arc);
    let started = Instant::now();
    // sleep in small steps so that an early end is noticed, and timed
    while let Some(left) = delay.checked_sub(started.elapsed()) {
        if child.try_wait().expect("try_wait").is_some() {
            return Killed::TooLate(started.elapsed());
        }
        std::thread::sleep(left.min(Duration::from_millis(2)));
    }
    match child.try_wait().expect("try_wait") {
        None => {
            child.kill().expect("kill");
            let status = child.wait().expect("wait");
            // it may have ended between `try_wait` and the kill
            if status.success() {
                Killed::TooLate(started.elapsed())
            } else {
                Killed::MidRun(status)
            }
        }
        Some(_) => Killed::TooLate(started.elapsed()),
    }
}

#[cfg(unix)]
#[test]
fn killing_a_run_at_any_moment_then_rerunning_gives_the_clean_result() {
    use std::os::unix::process::ExitStatusExt;
    /// The signal `Child::kill` sends on Unix.
    const SIGKILL: i32 = 9;
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("arc");
    sample(&arc, 60_000, 7, &[]);
    let clean = dir.path().join("clean.duckdb");
    let started = Instant::now();
    ingest_ok(&clean, &[&arc]);
    // how long a run takes; shortened when a run ends before its kill
    let mut full = started.elapsed();
    let want = table_fingerprint(&clean);
    for (i, fraction) in [0.1, 0.4, 0.7, 0.95].into_iter().enumerate() {
        let mut attempt = 0;
        let db = loop {
            attempt += 1;
            let db = dir.path().join(format!("killed{i}-{attempt}.duckdb"));
            match kill_after(&db, &arc, full.mul_f64(fraction)) {
                Killed::MidRun(status) => {
                    assert_eq!(
                        status.signal(),
                        Some(SIGKILL),
                        "killed at {fraction} of a run, it exited with {status}"
                    );
                    break db;
                }
                Killed::TooLate(took) => {
                    // this run was faster than the clean one: aim within it
                    assert!(
                        attempt < 10,
                        "the ingest was over before its kill at {fraction} of a run \
                         {attempt} times (last after {took:?}); enlarge the archive"
                    );
                    full = full.min(took).mul_f64(0.8);
                }
            }
        };
        ingest_ok(&db, &[&arc]);
        assert_eq!(
            table_fingerprint(&db),
            want,
            "killed at {fraction} of a run"
        );
    }
}

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
