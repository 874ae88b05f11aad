//! Memory stays bounded by bytes, checked where it is stable enough to
//! test (time is not): the binary ingests generated hostile inputs and its
//! peak resident set, read from the child's own resource usage (`wait4`),
//! must stay under a generous ceiling. The ceilings are 1.5 times or more the
//! peaks measured on the project's 2-core machine; a run that kept a whole
//! oversized line, or extra copies of a parsed event, would go over.
//! (`bench/hostile.sh` runs the full-size inputs with their ceilings.)

#![cfg(target_os = "linux")]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

/// Runs `hookstat ingest` on `input` and returns its exit code and peak
/// resident set in MB (Linux reports `ru_maxrss` in KB).
// the child is waited for by `wait4`, which also gives its resource usage
#[allow(clippy::zombie_processes)]
fn ingest_peak_mb(db: &Path, input: &Path) -> (i32, f64) {
    let child = Command::new(assert_cmd::cargo::cargo_bin("hookstat"))
        .arg("ingest")
        .arg("--db")
        .arg(db)
        .arg(input)
        .env_remove("HOOKSTAT_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start hookstat");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for this child only
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage.ru_maxrss as f64 / 1024.0)
}

fn check(name: &str, input: &Path, ceiling_mb: f64, inserted: i64, rejected: i64) {
    let db = input.with_extension("duckdb");
    let (code, peak) = ingest_peak_mb(&db, input);
    assert_eq!(code, 0, "{name}: exit status");
    assert!(
        peak < ceiling_mb,
        "{name}: peak RSS {peak:.0} MB, ceiling {ceiling_mb} MB"
    );
    assert_eq!(
        (
            scalar(&db, "SELECT count(*) FROM events"),
            scalar(&db, "SELECT count(*) FROM rejects")
        ),
        (inserted, rejected),
        "{name}"
    );
    eprintln!("{name}: peak RSS {peak:.0} MB (ceiling {ceiling_mb} MB)");
}

/// One 6 MB event whose payload holds 3 million numbers (over the array
/// budget: kept in `_overflow`) next to a normal one.
#[test]
fn a_huge_array_event_stays_under_its_ceiling() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("array.ndjson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    write!(
        f,
        r#"{{"event_id":"array-1","event_type":"numbers","created_at":"1753945760","numbers_payload":{{"values":["#
    )
    .unwrap();
    for i in 0..3_000_000u32 {
        write!(f, "{}{}", if i == 0 { "" } else { "," }, i % 10).unwrap();
    }
    writeln!(f, "]}}}}").unwrap();
    writeln!(f, "{}", cmb_event("after", "A", true)).unwrap();
    drop(f);
    check("3 million numbers", &input, 500.0, 2, 0);
}

/// One 100 MB line (over the 16 MiB record limit: skipped as `too_large`
/// without being kept) between two normal events.
#[test]
fn an_oversized_line_is_skipped_without_being_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("huge.ndjson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    writeln!(f, "{}", cmb_event("before", "A", true)).unwrap();
    write!(
        f,
        r#"{{"event_id":"huge-1","event_type":"uf","created_at":"1753945760","uf_payload":{{"blob":""#
    )
    .unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        f.write_all(&chunk).unwrap();
    }
    writeln!(f, "\"}}}}").unwrap();
    writeln!(f, "{}", cmb_event("after", "A", false)).unwrap();
    drop(f);
    check("a 100 MB line", &input, 180.0, 2, 1);
}
