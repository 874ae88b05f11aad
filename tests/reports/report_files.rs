//! Report files: a dropped-in report appears and a broken one fails alone,
//! report SQL has no file access, no folder is picked up by accident, and
//! bad arguments are clear errors.

use super::common::*;
use super::loaded_sample;

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
    let (header, rows) = read_csv(&out.join("latest").join("feature_sets.csv"));
    assert_eq!(header, ["feature_set", "requests"]);
    assert!(!rows.is_empty());
    assert!(out.join("latest").join("interest_rate.csv").exists());
    assert!(!out.join("latest").join("broken.csv").exists());
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
    assert!(
        !out.join("latest").join("stray.csv").exists(),
        "./reports was picked up"
    );
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
    assert!(!out.join("latest").join("evil.csv").exists());
    assert!(
        out.join("latest").join("interest_rate.csv").exists(),
        "the others are written"
    );
}
