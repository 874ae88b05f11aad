//! File and folder names never crash hookstat: every folder it lists
//! (the report history, the dropped-in reports, the export output, the
//! archive) may hold names in any script, with emoji, or that are not
//! UTF-8 at all (Linux allows any byte but `/` and NUL). Names that are not
//! hookstat's are left alone; the exit status stays within 0/1/2.

#![cfg(unix)]

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

use common::*;

/// Names in several scripts, near misses of a dated folder, emoji and
/// bytes that are not UTF-8.
fn hostile_names() -> Vec<OsString> {
    let text = [
        "2026-11-25T021500é",
        "2026-11-25T02150é",
        "2026-11-25T021500Zé",
        "2026-11-25T021500Z-é",
        "२०२६-११-२५T०२१५००Z",
        "٢٠٢٦-١١-٢٥T٠٢١٥٠٠Z",
        "2026-11-25T02🙂00Z",
        "🙂",
        "لوحة",
        "रिपोर्ट",
        "part-é",
        "hookstat_partition=é",
    ];
    let mut names: Vec<OsString> = text.iter().map(OsString::from).collect();
    for bytes in [
        &b"2026-11-25T021500\xff"[..],
        b"2026-11-25T021500Z\xff\xfe",
        b"\xff\xfe",
        b"part-\xff",
        b"\xe0\xa4",
    ] {
        names.push(OsString::from_vec(bytes.to_vec()));
    }
    names
}

/// Creates a folder and a file of every hostile name under `dir`.
fn plant(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for name in hostile_names() {
        std::fs::create_dir_all(dir.join(&name)).unwrap();
        let mut file = name.clone();
        file.push(".csv");
        std::fs::write(dir.join(file), "not hookstat's").unwrap();
    }
}

/// Every planted entry is still there.
fn all_planted(dir: &Path) -> bool {
    hostile_names().iter().all(|n| dir.join(n).is_dir())
}

fn loaded_db(dir: &Path) -> std::path::PathBuf {
    let archive = dir.join("in.ndjson");
    let lines: Vec<String> = (0..40)
        .map(|i| cmb_event(&format!("e{i}"), ["A", "B"][i % 2], i % 3 == 0))
        .collect();
    std::fs::write(&archive, ndjson(&lines)).unwrap();
    let db = dir.join("h.duckdb");
    ingest_ok(&db, &[&archive]);
    db
}

#[test]
fn report_history_and_dropped_in_reports_with_any_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = loaded_db(dir.path());
    let out = dir.path().join("reports-out");
    plant(&out);
    // an old dated folder hookstat wrote: pruned by `--keep-reports 1`
    let old = out.join("2020-01-01T000000Z");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join(".hookstat-output"), "written by hookstat\n").unwrap();
    // dropped-in reports whose file names are in other scripts or not UTF-8
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let sql = "-- title: Requests\nSELECT count(*) AS n FROM cmb_requests;\n";
    for name in ["तारीख.sql", "تقرير.sql", "🙂.sql"] {
        std::fs::write(reports.join(name), sql).unwrap();
    }
    std::fs::write(reports.join(OsString::from_vec(b"r\xff.sql".to_vec())), sql).unwrap();
    let reports_arg = reports.to_str().unwrap();
    for run in 1..=2 {
        let o = report(
            &db,
            &out,
            &[
                "--keep-reports",
                "1",
                "--reports",
                reports_arg,
                "--tz",
                "UTC",
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "run {run}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(out.join("latest/index.html").is_file(), "run {run}");
        assert!(all_planted(&out), "run {run}: a foreign entry was removed");
        assert!(!old.exists(), "run {run}: the old dated folder was kept");
    }
    let latest = out.join("latest");
    for name in ["तारीख.csv", "تقرير.csv", "🙂.csv"] {
        let (header, rows) = read_csv(&latest.join(name));
        assert_eq!(
            (header, rows),
            (vec!["n".to_string()], vec![vec!["40".to_string()]])
        );
    }
    // exactly one dated folder of ours is left (keep 1), `latest` links to it
    let ours = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().unwrap().is_dir() && e.path().join(".hookstat-output").is_file())
        .count();
    assert_eq!(ours, 1);
}

#[test]
fn export_output_with_foreign_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = loaded_db(dir.path());
    let out = dir.path().join("parquet");
    plant(&out);
    plant(&out.join("cmb_requests"));
    for run in 1..=2 {
        let summary = export(&db, &out, &[]);
        assert!(summary.is_object(), "run {run}: {summary}");
        assert!(all_planted(&out), "run {run}");
        assert!(all_planted(&out.join("cmb_requests")), "run {run}");
    }
    let n = scalar(
        &db,
        &format!("SELECT count(*) FROM {}", parquet(&out, "cmb_requests")),
    );
    assert_eq!(n, 40);
}

#[test]
fn archives_with_names_in_any_script_load_and_hidden_ones_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let files: Vec<(OsString, bool)> = vec![
        ("तारीख/दिन.ndjson".into(), true),
        ("عربي.ndjson".into(), true),
        ("🙂.jsonl".into(), true),
        ("2026-11-25T021500é.json".into(), true),
        (OsString::from_vec(b"\xff.ndjson".to_vec()), true),
        (OsString::from_vec(b"\xfe\xff/x.ndjson".to_vec()), true),
        // hidden: skipped, also when the rest of the name is not UTF-8
        (OsString::from_vec(b".\xff.ndjson".to_vec()), false),
        (".رمز.ndjson".into(), false),
    ];
    for (i, (name, _)) in files.iter().enumerate() {
        let path = archive.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, cmb_event(&format!("f{i}"), "A", true) + "\n").unwrap();
    }
    let db = dir.path().join("h.duckdb");
    let s = ingest_ok(&db, &[&archive]);
    let want: Vec<String> = files
        .iter()
        .enumerate()
        .filter(|(_, (_, read))| *read)
        .map(|(i, _)| format!("f{i}"))
        .collect();
    assert_eq!(s["inserted"], want.len(), "{s}");
    let got: Vec<String> = query(&db, "SELECT event_id FROM events ORDER BY event_id")
        .iter()
        .map(|r| r["event_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
    // a name that is not UTF-8 is written with its bytes escaped
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*) FROM source_files WHERE path LIKE '%\\xff.ndjson'"
        ),
        1
    );
}

/// DuckDB opens files by name: a database or export path that is not
/// UTF-8 is a clear error (exit 2) that changes nothing, never a panic or
/// DuckDB's internal error; reports (written by hookstat itself) go
/// anywhere.
#[test]
fn paths_that_are_not_utf8_where_duckdb_opens_them_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = loaded_db(dir.path());
    let odd = |name: &[u8]| dir.path().join(OsString::from_vec(name.to_vec()));
    let (code, _, out) = ingest(&odd(b"h\xff.duckdb"), &[&dir.path().join("in.ndjson")], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not UTF-8"), "{stderr}");
    assert!(!odd(b"h\xff.duckdb").exists());

    let export_out = odd(b"parquet\xff");
    let o = hookstat()
        .args(["export", "--db"])
        .arg(&db)
        .arg("--out")
        .arg(&export_out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not UTF-8"), "{stderr}");
    assert!(!export_out.exists());

    let reports_out = odd(b"reports\xff");
    let o = report(&db, &reports_out, &["--tz", "UTC"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(reports_out.join("latest/index.html").is_file());
}
