//! Atomicity: a run killed at 10, 40, 70 and 95% of its time leaves the
//! database as before, and re-running gives the tables of a clean run.

use std::time::{Duration, Instant};

use super::common::*;

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
