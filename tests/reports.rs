//! `hookstat report` through the binary: built-in reports over the sample
//! archive, filters, dropped-in and broken report files, bad arguments.

mod common;

use std::path::Path;

use common::*;

const BUILT_IN: [&str; 6] = [
    "interest_rate",
    "config_comparison",
    "popular_slots",
    "response_times",
    "daily_trend",
    "data_quality",
];

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn report(db: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    hookstat()
        .arg("report")
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(out)
        .args(extra)
        .current_dir(out.parent().unwrap())
        .output()
        .unwrap()
}

fn loaded_sample() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    // the sample is complete: its cut last line is a reject, not pending
    let (code, _, out) = ingest(&db, &[&sample_data()], &["--settle-time", "0s"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db)
}

#[test]
fn built_in_reports_over_the_sample() {
    let (dir, db) = loaded_sample();
    let out = dir.path().join("out");
    let o = report(&db, &out, &["--tz", "Asia/Kolkata"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (header, rows) = read_csv(&out.join("interest_rate.csv"));
    assert_eq!(
        header,
        [
            "cmb_config_name",
            "requests",
            "interested",
            "not_interested",
            "unknown",
            "interest_rate",
            "ci_low",
            "ci_high"
        ]
    );
    assert_eq!(
        rows.len() as i64,
        scalar(
            &db,
            "SELECT count(DISTINCT cmb_config_name) FROM cmb_requests"
        )
    );
    let total: i64 = rows.iter().map(|r| r[1].parse::<i64>().unwrap()).sum();
    assert_eq!(total, scalar(&db, "SELECT count(*) FROM cmb_requests"));
    for r in &rows {
        let n: Vec<f64> = r[1..].iter().map(|v| v.parse().unwrap()).collect();
        assert_eq!(n[1] + n[2] + n[3], n[0], "{r:?}");
        assert!((n[4] - n[1] / (n[1] + n[2])).abs() < 1e-12);
        assert!(n[5] <= n[4] && n[4] <= n[6], "{r:?}");
    }
    let (header, rows) = read_csv(&out.join("config_comparison.csv"));
    assert_eq!(
        header,
        [
            "cmb_config_name",
            "best_config",
            "interest_rate",
            "best_rate",
            "diff",
            "p_value"
        ]
    );
    assert_eq!(rows[0][0], rows[0][1], "the best config comes first");
    assert!(rows[1..]
        .iter()
        .all(|r| r[4].parse::<f64>().unwrap() <= 0.0));
    let (header, rows) = read_csv(&out.join("popular_slots.csv"));
    assert_eq!(header, ["weekday", "hour", "requests", "share"]);
    let share: f64 = rows.iter().map(|r| r[3].parse::<f64>().unwrap()).sum();
    assert!((share - 1.0).abs() < 1e-9);
    let days = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let order: Vec<usize> = rows
        .iter()
        .map(|r| days.iter().position(|d| *d == r[0]).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "weekdays Monday..Sunday"
    );
    let (header, _) = read_csv(&out.join("response_times.csv"));
    assert_eq!(
        header,
        [
            "cmb_config_name",
            "metric",
            "n",
            "p50_s",
            "p90_s",
            "p99_s",
            "mean_s"
        ]
    );
    let (header, _) = read_csv(&out.join("daily_trend.csv"));
    assert_eq!(
        header,
        [
            "day",
            "cmb_config_name",
            "requests",
            "interested",
            "interest_rate"
        ]
    );
    for name in BUILT_IN {
        let png = std::fs::read(out.join(format!("{name}.png"))).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{name}.png"
        );
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}.svg");
    }
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(page.matches("<svg").count(), 6);
    assert!(page.contains("Interest rate by Call Me Back configuration"));
    assert!(page.contains("time zone Asia/Kolkata"));
    assert!(!page.contains("src=\"http"), "self-contained");
    let (header, rows) = read_csv(&out.join("data_quality.csv"));
    assert_eq!(
        &header[..7],
        [
            "run_id",
            "files_read",
            "records",
            "inserted",
            "duplicates",
            "rejected",
            "field_issues"
        ]
    );
    assert_eq!(rows[0][3], "3000");
    assert_eq!(
        rows[0][7],
        scalar(
            &db,
            "SELECT count(*) FROM rejects WHERE reason = 'invalid_json'"
        )
        .to_string()
    );
}

#[test]
fn filters_restrict_the_rows() {
    let (dir, db) = loaded_sample();
    let out = dir.path().join("out");
    let o = report(
        &db,
        &out,
        &[
            "--config",
            "CMB Default",
            "--from",
            "2025-08-03",
            "--to",
            "2025-08-04",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, rows) = read_csv(&out.join("daily_trend.csv"));
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r[1] == "CMB Default"));
    assert!(
        rows.iter()
            .all(|r| r[0] == "2025-08-03" || r[0] == "2025-08-04"),
        "{rows:?}"
    );
    let want = scalar(
        &db,
        "SELECT count(*) FROM cmb_requests WHERE cmb_config_name = 'CMB Default'
         AND coalesce(requested_at, created_at)::DATE BETWEEN DATE '2025-08-03' AND DATE '2025-08-04'",
    );
    let (_, rate) = read_csv(&out.join("interest_rate.csv"));
    assert_eq!(rate.len(), 1);
    assert_eq!(rate[0][1], want.to_string());
}

#[test]
fn a_dropped_in_report_appears_and_a_broken_one_fails_alone() {
    let (dir, db) = loaded_sample();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::write(
        reports.join("feature_sets.sql"),
        "-- title: Requests per feature set\n-- chart: bars\n-- x: feature_set\n-- y: requests\nSELECT feature_set, count(*) AS requests FROM report_cmb GROUP BY 1 ORDER BY 2 DESC;\n",
    )
    .unwrap();
    std::fs::write(
        reports.join("broken.sql"),
        "-- title: Broken\nSELECT nope FROM nowhere;\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = report(&db, &out, &["--reports", reports.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("broken.sql"), "{err}");
    let (header, rows) = read_csv(&out.join("feature_sets.csv"));
    assert_eq!(header, ["feature_set", "requests"]);
    assert!(!rows.is_empty());
    assert!(out.join("interest_rate.csv").exists());
    assert!(!out.join("broken.csv").exists());
}

#[test]
fn bad_zone_date_or_config_is_a_clear_error() {
    let (dir, db) = loaded_sample();
    let out = dir.path().join("out");
    for (args, needle) in [
        (&["--tz", "Mars/Base"][..], "IANA"),
        (&["--from", "2025-02-30"][..], "YYYY-MM-DD"),
        (&["--config", "No Such Config"][..], "CMB Default"),
        (&["--from", "2025-08-05", "--to", "2025-08-01"][..], "after"),
    ] {
        let o = report(&db, &out, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

/// The reports over the committed sample archive, byte for byte. After an
/// intended change, regenerate with `UPDATE_GOLDEN=1 cargo test --release
/// --test reports` and review the diff.
#[test]
fn report_csvs_match_the_golden_files() {
    let (dir, db) = loaded_sample();
    let out = dir.path().join("out");
    let o = report(&db, &out, &["--tz", "Asia/Kolkata"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/reports");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for name in BUILT_IN {
        let got = std::fs::read_to_string(out.join(format!("{name}.csv"))).unwrap();
        let path = golden.join(format!("{name}.csv"));
        if update {
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            got == want,
            "{name}.csv differs from {} (UPDATE_GOLDEN=1 to regenerate)",
            path.display()
        );
    }
}

/// Report SQL reads the database and nothing else; report folders come
/// only from `--reports`, never from the working directory.
#[test]
fn report_sql_has_no_file_access_and_no_folder_is_picked_up_by_accident() {
    let (dir, db) = loaded_sample();
    let out = dir.path().join("out");
    // a ./reports folder in the working directory is not read
    let cwd_reports = dir.path().join("reports");
    std::fs::create_dir_all(&cwd_reports).unwrap();
    std::fs::write(
        cwd_reports.join("stray.sql"),
        "-- title: Stray\nSELECT 1 AS x;\n",
    )
    .unwrap();
    let o = report(&db, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("stray.csv").exists(), "./reports was picked up");
    // a dropped-in report cannot read files
    let evil = dir.path().join("evil");
    std::fs::create_dir_all(&evil).unwrap();
    let secret = dir.path().join("secret.csv");
    std::fs::write(&secret, "a\nsecret\n").unwrap();
    std::fs::write(
        evil.join("evil.sql"),
        format!(
            "-- title: Evil\nSELECT * FROM read_csv('{}');\n",
            secret.display()
        ),
    )
    .unwrap();
    let o = report(&db, &out, &["--reports", evil.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("evil.sql") && err.contains("disabled"),
        "{err}"
    );
    assert!(!out.join("evil.csv").exists());
    assert!(
        out.join("interest_rate.csv").exists(),
        "the others are written"
    );
}
