//! The `late_arrivals` report through the binary: a two-night archive whose
//! second night brings events for days the first night had already loaded
//! (retried deliveries), a new day and a re-delivery. Every expected value is
//! worked out by hand below from the events written, in UTC and in
//! Asia/Kolkata (UTC+05:30, so some events fall on another local day).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::json;

/// 2025-08-01T00:00:00Z, 2025-08-02T00:00:00Z, 2025-08-03T00:00:00Z.
const AUG1: i64 = 1_754_006_400;
const AUG2: i64 = AUG1 + 86_400;
const AUG3: i64 = AUG2 + 86_400;
const HOUR: i64 = 3_600;

const HEADER: [&str; 6] = [
    "day",
    "events_before",
    "arrived_latest_run",
    "cmb_requests_arrived",
    "share_changed",
    "run_id",
];

/// A Call Me Back event created at `created_at` (epoch seconds).
fn cmb_at(id: &str, created_at: i64) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&cmb_event(id, "A", true)).unwrap();
    v["created_at"] = json!(created_at.to_string());
    v.to_string()
}

/// An event of another type (not a Call Me Back request).
fn survey_at(id: &str, created_at: Option<i64>) -> String {
    let mut v = json!({
        "event_id": id,
        "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
        "event_type": "survey",
        "survey_payload": { "score": 4 }
    });
    if let Some(t) = created_at {
        v["created_at"] = json!(t.to_string());
    }
    v.to_string()
}

/// Night 1. Days by zone (UTC | Asia/Kolkata):
/// - a1 Aug 1 10:00Z cmb     Aug 1 | Aug 1 (15:30)
/// - a2 Aug 1 20:00Z cmb     Aug 1 | Aug 2 (01:30)
/// - b1 Aug 2 08:00Z survey  Aug 2 | Aug 2 (13:30)
/// - b2 Aug 2 12:00Z cmb     Aug 2 | Aug 2 (17:30)
///
/// UTC: Aug 1 has 2, Aug 2 has 2, newest day Aug 2.
/// Kolkata: Aug 1 has 1, Aug 2 has 3, newest day Aug 2.
fn night1() -> Vec<String> {
    vec![
        cmb_at("a1", AUG1 + 10 * HOUR),
        cmb_at("a2", AUG1 + 20 * HOUR),
        survey_at("b1", Some(AUG2 + 8 * HOUR)),
        cmb_at("b2", AUG2 + 12 * HOUR),
    ]
}

/// Night 2:
/// - c1 Aug 1 03:00Z cmb     Aug 1 | Aug 1 (08:30)
/// - c2 Jul 31 21:00Z cmb    Jul 31 | Aug 1 (02:30)  (before the newest day)
/// - d1 Aug 2 06:00Z survey  Aug 2 | Aug 2 (11:30)
/// - d2 Aug 2 15:00Z cmb     Aug 2 | Aug 2 (20:30)
/// - e1 Aug 2 20:00Z cmb     Aug 2 | Aug 3 (01:30)  (a new day in Kolkata)
/// - f1 Aug 3 09:00Z cmb     Aug 3 | Aug 3 (14:30)  (a new day)
/// - g1 survey without created_at (left out)
/// - b2 again, byte-identical: a re-delivery, not an arrival
fn night2() -> Vec<String> {
    vec![
        cmb_at("c1", AUG1 + 3 * HOUR),
        cmb_at("c2", AUG1 - 3 * HOUR),
        survey_at("d1", Some(AUG2 + 6 * HOUR)),
        cmb_at("d2", AUG2 + 15 * HOUR),
        cmb_at("e1", AUG2 + 20 * HOUR),
        cmb_at("f1", AUG3 + 9 * HOUR),
        survey_at("g1", None),
        cmb_at("b2", AUG2 + 12 * HOUR),
    ]
}

/// The report's CSV in `out` (in `out/latest/` when reports go to dated
/// folders).
fn csv_path(out: &Path) -> PathBuf {
    let latest = out.join("latest");
    if latest.exists() {
        latest.join("late_arrivals.csv")
    } else {
        out.join("late_arrivals.csv")
    }
}

/// Runs `hookstat report` and returns the late_arrivals CSV (header, rows).
fn late_arrivals(db: &Path, out: &Path, extra: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let o = report(db, out, extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    read_csv(&csv_path(out))
}

/// One expected row: day, events_before, arrived, cmb arrived, share, run.
type Row = (&'static str, i64, i64, i64, f64, i64);

fn assert_rows(got: &[Vec<String>], want: &[Row], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: {got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.len(), 6, "{what}: {g:?}");
        assert_eq!(g[0], w.0, "{what}: day of {g:?}");
        let int = |i: usize| g[i].parse::<i64>().unwrap_or_else(|_| panic!("{g:?}"));
        assert_eq!(
            (int(1), int(2), int(3)),
            (w.1, w.2, w.3),
            "{what}: counts of {g:?}"
        );
        let share: f64 = g[4].parse().unwrap_or_else(|_| panic!("{g:?}"));
        assert!((share - w.4).abs() < 1e-9, "{what}: share of {g:?}");
        assert_eq!(int(5), w.5, "{what}: run_id of {g:?}");
    }
}

#[test]
fn late_arrivals_over_two_nights_in_two_zones() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    let n1 = archive.join("2025/08/02");
    let n2 = archive.join("2025/08/03");
    std::fs::create_dir_all(&n1).unwrap();
    std::fs::write(n1.join("night.ndjson"), ndjson(&night1())).unwrap();
    let db = dir.path().join("h.duckdb");
    let s1 = ingest_ok(&db, &[&archive]);
    assert_eq!(s1["inserted"], 4);

    // after one run nothing is late: the CSV has its header only
    let (header, rows) = late_arrivals(&db, &dir.path().join("out1"), &["--tz", "UTC"]);
    assert_eq!(header, HEADER);
    assert!(rows.is_empty(), "{rows:?}");

    std::fs::create_dir_all(&n2).unwrap();
    std::fs::write(n2.join("night.ndjson"), ndjson(&night2())).unwrap();
    let s2 = ingest_ok(&db, &[&archive]);
    assert_eq!(
        (s2["inserted"].as_i64(), s2["duplicates"].as_i64()),
        (Some(7), Some(1))
    );
    // the run every row names: the second one
    let run = s2["run_id"].as_i64().unwrap();
    assert_eq!(s1["run_id"].as_i64(), Some(run - 1));

    // Late = created before the newest event night 1 had loaded: b2, Aug 2
    // 12:00Z (17:30 in Kolkata). So c1, c2 and d1 are late; d2 (15:00Z),
    // e1 (20:00Z) and f1 are the normal rest of the data, not late.
    // UTC:
    // Jul 31: before 0 | c2 -> 1 arrived, 1 cmb, share 1/1
    // Aug 1: a1 a2 -> 2 | c1 -> 1 arrived, 1 cmb, share 1/3
    // Aug 2: b1 b2 -> 2 | d1 -> 1 arrived, 0 cmb (a survey), share 1/3
    // g1 has no day; b2 again is a duplicate.
    let (header, rows) = late_arrivals(&db, &dir.path().join("utc"), &["--tz", "UTC"]);
    assert_eq!(header, HEADER);
    let utc = [
        ("2025-07-31", 0, 1, 1, 1.0, run),
        ("2025-08-01", 2, 1, 1, 1.0 / 3.0, run),
        ("2025-08-02", 2, 1, 0, 1.0 / 3.0, run),
    ];
    assert_rows(&rows, &utc, "UTC");

    // Asia/Kolkata: night 1 has a1 on Aug 1 and a2 b1 b2 on Aug 2.
    // Aug 1: a1 -> 1 | c1 c2 -> 2 arrived, 2 cmb, share 2/3
    // Aug 2: a2 b1 b2 -> 3 | d1 (11:30) -> 1 arrived, 0 cmb, share 1/4;
    // d2 (20:30) is after the cutoff (17:30)
    let (header, rows) = late_arrivals(&db, &dir.path().join("kolkata"), &["--tz", "Asia/Kolkata"]);
    assert_eq!(header, HEADER);
    assert_rows(
        &rows,
        &[
            ("2025-08-01", 1, 2, 2, 2.0 / 3.0, run),
            ("2025-08-02", 3, 1, 0, 1.0 / 4.0, run),
        ],
        "Asia/Kolkata",
    );

    // the period filter keeps only the days within it
    let (_, rows) = late_arrivals(
        &db,
        &dir.path().join("from"),
        &["--tz", "UTC", "--from", "2025-08-02"],
    );
    assert_rows(
        &rows,
        &[("2025-08-02", 2, 1, 0, 1.0 / 3.0, run)],
        "UTC from Aug 2",
    );
    let (_, rows) = late_arrivals(
        &db,
        &dir.path().join("to"),
        &["--tz", "Asia/Kolkata", "--to", "2025-08-01"],
    );
    assert_rows(
        &rows,
        &[("2025-08-01", 1, 2, 2, 2.0 / 3.0, run)],
        "Asia/Kolkata to Aug 1",
    );

    // a third run that loads nothing new leaves the second run (the latest
    // that loaded events) as the one reported
    let s3 = ingest_ok(&db, &[&archive]);
    assert_eq!(s3["inserted"], 0);
    assert!(s3["run_id"].as_i64().unwrap() > run);
    let (_, rows) = late_arrivals(&db, &dir.path().join("again"), &["--tz", "UTC"]);
    assert_rows(&rows, &utc, "UTC after an empty run");
}

#[test]
fn one_run_gives_a_header_only_csv() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    // events on several days, but all from one run: nothing arrived late
    std::fs::write(
        archive.join("a.ndjson"),
        ndjson(&[
            cmb_at("x1", AUG1 + HOUR),
            cmb_at("x2", AUG2 + HOUR),
            survey_at("x3", Some(AUG3 + HOUR)),
        ]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&archive]);
    for tz in ["UTC", "Asia/Kolkata"] {
        let out = dir.path().join(format!("out-{}", tz.replace('/', "-")));
        let (header, rows) = late_arrivals(&db, &out, &["--tz", tz]);
        assert_eq!(header, HEADER);
        assert!(rows.is_empty(), "{tz}: {rows:?}");
        let text = std::fs::read_to_string(csv_path(&out)).unwrap();
        assert_eq!(text.lines().count(), 1, "{text:?}");
    }
}
