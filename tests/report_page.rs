//! The morning page as marketing meets it, through the binary: the zone
//! inferred from the businesses' numbers, headline figures with their
//! change since the previous run, the stale-data warning (and `run`'s exit
//! status), the configuration decision's files, and dated folders with a
//! `latest` link. Expected values come from plain SQL on the database or
//! from the events written in the test.

mod common;

use std::path::Path;

use common::*;

fn loaded_sample(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("h.duckdb");
    let (code, _, out) = ingest(&db, &[&sample_data()], &["--settle-time", "0s"]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&out.stderr));
    db
}

#[test]
fn the_zone_is_inferred_from_indian_business_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = loaded_sample(dir.path());
    // every business number of the sample starts with 91
    let codes = query(
        &db,
        "SELECT DISTINCT left(business_number, 2) AS cc FROM cmb_requests WHERE business_number IS NOT NULL",
    );
    assert_eq!(codes, vec![serde_json::json!({ "cc": "91" })]);
    let (inferred, given) = (dir.path().join("a"), dir.path().join("b"));
    assert!(report(&db, &inferred, &[]).status.success());
    assert!(report(&db, &given, &["--tz", "Asia/Kolkata"])
        .status
        .success());
    for name in ["popular_slots", "daily_trend", "late_arrivals"] {
        let a = std::fs::read(inferred.join("latest").join(format!("{name}.csv"))).unwrap();
        let b = std::fs::read(given.join("latest").join(format!("{name}.csv"))).unwrap();
        assert_eq!(a, b, "{name}");
    }
    let page = std::fs::read_to_string(inferred.join("latest/index.html")).unwrap();
    assert!(
        page.contains("Times are in <strong>Asia/Kolkata</strong> (inferred from the businesses&#39; country calling code +91"),
        "zone note missing"
    );
    let utc = dir.path().join("c");
    assert!(report(&db, &utc, &["--tz", "UTC"]).status.success());
    let a = std::fs::read(utc.join("latest/popular_slots.csv")).unwrap();
    let b = std::fs::read(given.join("latest/popular_slots.csv")).unwrap();
    assert_ne!(a, b, "the zone changes the hours");
}

#[test]
fn decision_files_agree_with_plain_sql() {
    let dir = tempfile::tempdir().unwrap();
    let db = loaded_sample(dir.path());
    let out = dir.path().join("out");
    assert!(report(&db, &out, &["--tz", "UTC"]).status.success());
    let (header, rows) = read_csv(&out.join("latest/config_decision.csv"));
    assert_eq!(
        header[..8],
        [
            "business",
            "config",
            "answered",
            "interested",
            "interest_rate",
            "ci_low",
            "ci_high",
            "p_best"
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // answers over all days, per business and configuration: the decision
    // counts the days all configurations of a business shared, so never more
    let all = counts(
        &db,
        "SELECT client_account_id || '|' || coalesce(cmb_config_name, '(none)') AS k,
                count(*) FILTER (WHERE is_interested IS NOT NULL) AS n
         FROM cmb_requests GROUP BY 1",
    );
    let businesses: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        businesses.len(),
        3,
        "one decision per business of the sample"
    );
    for business in &businesses {
        let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == *business).collect();
        let mut p_total = 0.0;
        let mut best = (String::new(), -1.0);
        for r in &mine {
            let answered: i64 = r[2].parse().unwrap();
            assert!(
                answered <= all[&format!("{}|{}", r[0], r[1])],
                "answered of {r:?}"
            );
            if r[col("p_best")].is_empty() {
                continue;
            }
            let interested: f64 = r[3].parse().unwrap();
            let rate: f64 = r[4].parse().unwrap();
            assert!((rate - interested / answered as f64).abs() < 1e-9);
            let (lo, hi): (f64, f64) = (r[5].parse().unwrap(), r[6].parse().unwrap());
            assert!(lo <= rate && rate <= hi);
            if rate > best.1 {
                best = (r[1].clone(), rate);
            }
            p_total += r[7].parse::<f64>().unwrap();
            // the difference lies inside its always-valid interval
            let (d, l, h): (f64, f64, f64) = (
                r[col("diff")].parse().unwrap(),
                r[col("cs_low")].parse().unwrap(),
                r[col("cs_high")].parse().unwrap(),
            );
            assert!(l < d && d < h, "{r:?}");
            assert_eq!(
                r[col("leads")] == "true",
                r[1] == mine[0][1] && l > 0.0,
                "{r:?}"
            );
        }
        assert!((p_total - 1.0).abs() < 1e-6, "P(best) sums to {p_total}");
        assert_eq!(mine[0][1], best.0, "the leader comes first");
    }
    let (pairs_header, pairs) = read_csv(&out.join("latest/config_pairs.csv"));
    assert_eq!(
        pairs_header,
        [
            "business",
            "config_a",
            "config_b",
            "diff",
            "p_value",
            "p_holm",
            "cs_low",
            "cs_high",
            "p_always_valid",
            "p_always_valid_adjusted"
        ]
    );
    for p in &pairs {
        let (raw, holm): (f64, f64) = (p[4].parse().unwrap(), p[5].parse().unwrap());
        assert!(
            holm >= raw - 1e-12 && holm <= 1.0,
            "Holm never lowers a p-value: {p:?}"
        );
        let (av, adj): (f64, f64) = (p[8].parse().unwrap(), p[9].parse().unwrap());
        assert!(adj >= av && adj <= 1.0, "{p:?}");
        // the adjusted p-value is below 0.05 exactly when the interval
        // excludes zero
        let low: f64 = p[6].parse().unwrap();
        assert_eq!(adj < 0.05, low > 0.0, "{p:?}");
    }
    let page = std::fs::read_to_string(out.join("latest/index.html")).unwrap();
    assert!(page.contains("Which configuration leads?"));
    assert!(page.contains(&format!("{} leads with", rows[0][1])));
}

#[test]
fn headline_counts_the_latest_run_and_staleness_fails_the_night() {
    let dir = tempfile::tempdir().unwrap();
    let (n1, n2) = (dir.path().join("n1"), dir.path().join("n2"));
    std::fs::create_dir_all(&n1).unwrap();
    std::fs::create_dir_all(&n2).unwrap();
    std::fs::write(
        n1.join("a.ndjson"),
        ndjson(&[cmb_event("a", "A", true), cmb_event("b", "A", false)]),
    )
    .unwrap();
    // night 2: two new events (both interested) and a retry of `a` whose
    // answer changed (the first delivery stays)
    std::fs::write(
        n2.join("b.ndjson"),
        ndjson(&[
            cmb_event("c", "B", true),
            cmb_event("a", "A", false),
            cmb_event("d", "B", true),
        ]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&n1]);
    ingest_ok(&db, &[&n2]);
    let out = dir.path().join("out");
    assert!(report(&db, &out, &["--tz", "UTC"]).status.success());
    let page = std::fs::read_to_string(out.join("latest/index.html")).unwrap();
    // 4 events, 2 of them new: +2; interest 3/4 = 75.0% against 1/2 before: +25.0 pp
    for want in [
        "<div class=\"value\">4</div><div class=\"change\">+2 since the previous run",
        "<div class=\"value\">75.0%</div><div class=\"change\">+25.0 pp since the previous run",
        "Data through <strong>2025-07-31 07:09 UTC</strong>",
        "Re-deliveries with changed content</div><div class=\"value\">1</div><div class=\"change\">+1 since the previous run",
    ] {
        assert!(page.contains(want), "{want} not on the page");
    }
    // the events were created in 2025: stale at any sensible age
    let o = report(&db, &out, &["--tz", "UTC", "--stale-after", "2d"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("stale data") && err.contains("more than the 2 days allowed"),
        "{err}"
    );
    let page = std::fs::read_to_string(out.join("latest/index.html")).unwrap();
    assert!(
        page.contains("class=\"warn\""),
        "the page shows the warning"
    );
    let run = hookstat()
        .args(["run", "--db"])
        .arg(&db)
        .arg("--report-out")
        .arg(&out)
        .args(["--stale-after", "2d", "--json"])
        .arg(&n2)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(summary["problems"][0]
        .as_str()
        .unwrap()
        .starts_with("stale data"));
}

#[test]
fn each_run_keeps_a_dated_folder_and_latest_points_at_the_newest() {
    let dir = tempfile::tempdir().unwrap();
    let db = loaded_sample(dir.path());
    let out = dir.path().join("out");
    for _ in 0..3 {
        let o = report(&db, &out, &["--keep-reports", "2"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let mut dated: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && n != "latest")
        .collect();
    dated.sort();
    assert_eq!(dated.len(), 2, "{dated:?}");
    let latest = std::fs::read_link(out.join("latest")).unwrap();
    assert_eq!(latest.to_string_lossy(), dated[1]);
    assert!(out.join("latest/index.html").is_file());
}

#[test]
fn names_from_the_data_are_escaped_everywhere_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let night = dir.path().join("n");
    std::fs::create_dir_all(&night).unwrap();
    let evil = "<script>alert(1)</script> & \"q\" 'x'";
    std::fs::write(
        night.join("a.ndjson"),
        ndjson(&[
            cmb_event("a", evil, true),
            cmb_event("b", evil, false),
            cmb_event("c", "Plain", true),
        ]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&night]);
    let out = dir.path().join("out");
    let o = report(&db, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(out.join("latest/index.html")).unwrap();
    assert!(
        !page.contains("<script"),
        "raw markup from the data on the page"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    for name in ["interest_rate", "config_comparison", "daily_trend"] {
        let svg = std::fs::read_to_string(out.join("latest").join(format!("{name}.svg"))).unwrap();
        assert!(!svg.contains("<script"), "{name}.svg");
    }
    // the CSV keeps the name as it is (a configuration with too few answers
    // is listed, without figures)
    let csv = std::fs::read_to_string(out.join("latest/config_decision.csv")).unwrap();
    assert!(csv.contains("<script>alert(1)</script>"));
}
