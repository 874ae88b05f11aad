//! The built-in reports over the sample archive: what each holds, the
//! filters restricting their rows, and their CSVs byte for byte against the
//! golden files.

use std::path::Path;

use super::common::*;
use super::{loaded_sample, BUILT_IN};

#[test]
fn built_in_reports_over_the_sample() {
    let (dir, db) = loaded_sample();
    let out = dir.path().join("out");
    let o = report(&db, &out, &["--tz", "Asia/Kolkata"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (header, rows) = read_csv(&out.join("latest").join("interest_rate.csv"));
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
    let (header, rows) = read_csv(&out.join("latest").join("config_comparison.csv"));
    assert_eq!(
        header,
        [
            "cmb_config_name",
            "business",
            "best_config",
            "interest_rate",
            "best_rate",
            "diff",
            "cs_low",
            "cs_high",
            "p_value",
            "leads",
            "config"
        ]
    );
    for r in &rows {
        assert!(
            r[0].starts_with(&r[10]),
            "the label names the configuration: {r:?}"
        );
    }
    assert!(
        rows[0][0].starts_with(&rows[0][2]),
        "the best config comes first"
    );
    assert!(rows.iter().all(|r| r[5].parse::<f64>().unwrap() <= 0.0));
    // each business's leader is drawn as the reference with its rate, the
    // others as bars
    let svg = std::fs::read_to_string(out.join("latest").join("config_comparison.svg")).unwrap();
    let leaders: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == r[2]).collect();
    let businesses: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(leaders.len(), businesses.len(), "one leader per business");
    for l in &leaders {
        let rate = l[4].parse::<f64>().unwrap() * 100.0;
        let mark = format!(">best: {rate:.1}%</text>");
        assert!(svg.contains(&mark), "no {mark} in the chart");
    }
    let (header, rows) = read_csv(&out.join("latest").join("popular_slots.csv"));
    assert_eq!(header, ["weekday", "hour", "requests", "share"]);
    let share: f64 = rows.iter().map(|r| r[3].parse::<f64>().unwrap()).sum();
    assert!((share - 1.0).abs() < 1e-9);
    let order: Vec<usize> = rows
        .iter()
        .map(|r| WEEKDAYS.iter().position(|d| *d == r[0]).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] <= w[1]),
        "weekdays Monday..Sunday"
    );
    let (header, _) = read_csv(&out.join("latest").join("response_times.csv"));
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
    let (header, _) = read_csv(&out.join("latest").join("daily_trend.csv"));
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
        let png = std::fs::read(out.join("latest").join(format!("{name}.png"))).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{name}.png"
        );
        let svg = std::fs::read_to_string(out.join("latest").join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}.svg");
    }
    let page = std::fs::read_to_string(out.join("latest").join("index.html")).unwrap();
    // every report's chart, and one interval chart per business decision
    let businesses = scalar(
        &db,
        "SELECT count(DISTINCT client_account_id) FROM cmb_requests",
    );
    assert_eq!(
        page.matches("<svg").count() as i64,
        BUILT_IN.len() as i64 + businesses
    );
    assert!(page.contains("Interest rate by Call Me Back configuration"));
    assert!(page.contains(
        "Times are in <strong>Asia/Kolkata</strong> (set with --tz or tz in the configuration)"
    ));
    assert!(!page.contains("src=\"http"), "self-contained");
    let (header, rows) = read_csv(&out.join("latest").join("data_quality.csv"));
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
            "--tz",
            "UTC",
            "--from",
            "2025-08-03",
            "--to",
            "2025-08-04",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, rows) = read_csv(&out.join("latest").join("daily_trend.csv"));
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
    let (_, rate) = read_csv(&out.join("latest").join("interest_rate.csv"));
    assert_eq!(rate.len(), 1);
    assert_eq!(rate[0][1], want.to_string());
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
        let got = std::fs::read_to_string(out.join("latest").join(format!("{name}.csv"))).unwrap();
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
