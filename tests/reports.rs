//! `hookstat report` through the binary: built-in reports over the sample
//! archive, filters, dropped-in and broken report files, bad arguments.

mod common;

use std::path::Path;

use common::*;

const BUILT_IN: [&str; 7] = [
    "interest_rate",
    "config_comparison",
    "popular_slots",
    "response_times",
    "daily_trend",
    "data_quality",
    "late_arrivals",
];

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

// ---------------------------------------------------------------------------
// The built-in reports recomputed here, in Rust, from the raw payloads: an
// oracle that shares nothing with the report SQL but its documented
// definitions (README "Reports", reports/*.sql).

/// Asia/Kolkata is UTC+5:30 all year (no daylight saving time since 1945).
const KOLKATA_OFFSET_S: i64 = 5 * 3600 + 30 * 60;
/// The 97.5% quantile of the standard normal distribution (95% two-sided).
const Z_95: f64 = 1.959_963_984_540_054;

/// What one Call Me Back event contributes to the reports.
struct CmbFacts {
    /// `cmb_config_name`, or `(none)` when it is absent, null or empty.
    config: String,
    /// `is_interested`; None when absent, null or not a boolean spelling.
    interested: Option<bool>,
    /// Local day (Asia/Kolkata) of `requested_at`, else of `created_at`.
    local_day: String,
    /// UTC day of the same instant (to show the zone matters).
    utc_day: String,
}

/// Epoch seconds of a timestamp field: seconds (or milliseconds from 1e11)
/// as a JSON number or a numeric string, or RFC 3339 text; None when
/// missing, unreadable or outside 2000..2100 (NULL in the database).
fn epoch_seconds(v: Option<&serde_json::Value>) -> Option<f64> {
    use serde_json::Value;
    let secs = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => {
            let t = s.trim();
            if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                t.parse::<f64>().ok()?
            } else {
                chrono::DateTime::parse_from_rfc3339(t).ok()?.timestamp() as f64
            }
        }
        _ => return None,
    };
    let secs = if secs.abs() >= 1e11 {
        secs / 1000.0
    } else {
        secs
    };
    // 2000-01-01T00:00:00Z ..< 2100-01-01T00:00:00Z
    (946_684_800.0..4_102_444_800.0)
        .contains(&secs)
        .then_some(secs)
}

/// `YYYY-MM-DD` of the day that holds `secs` after shifting by `offset`.
fn day_of(secs: f64, offset: i64) -> String {
    let days = (secs.floor() as i64 + offset).div_euclid(86_400);
    let date =
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(days as u64);
    date.format("%Y-%m-%d").to_string()
}

fn cmb_facts(event: &serde_json::Value) -> CmbFacts {
    use serde_json::Value;
    let p = &event["cmb_payload"];
    let config = match p.get("cmb_config_name") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => "(none)".to_string(),
    };
    let interested = match p.get("is_interested") {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => None,
        },
        Some(Value::Number(n)) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        _ => None,
    };
    let at = epoch_seconds(p.get("requested_at"))
        .or_else(|| epoch_seconds(event.get("created_at")))
        .unwrap_or_else(|| panic!("no request time in {event}"));
    CmbFacts {
        config,
        interested,
        local_day: day_of(at, KOLKATA_OFFSET_S),
        utc_day: day_of(at, 0),
    }
}

/// Request counts of one group.
#[derive(Default, Clone, Copy, Debug)]
struct Tally {
    requests: u64,
    interested: u64,
    not_interested: u64,
}

impl Tally {
    fn add(&mut self, interested: Option<bool>) {
        self.requests += 1;
        match interested {
            Some(true) => self.interested += 1,
            Some(false) => self.not_interested += 1,
            None => {}
        }
    }
    fn answered(&self) -> u64 {
        self.interested + self.not_interested
    }
    fn unknown(&self) -> u64 {
        self.requests - self.answered()
    }
    /// interested / (interested + not_interested); None without answers.
    fn rate(&self) -> Option<f64> {
        (self.answered() > 0).then(|| self.interested as f64 / self.answered() as f64)
    }
}

/// 95% Wilson score interval of `x` successes in `n` trials.
fn wilson(x: u64, n: u64) -> (f64, f64) {
    let (x, n) = (x as f64, n as f64);
    let p = x / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denominator;
    let half = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    ((center - half).max(0.0), (center + half).min(1.0))
}

/// erfc(x) with fractional error below 1.2e-7 everywhere (Numerical
/// Recipes' Chebyshev fit `erfcc`).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Two-sided p-value of the pooled two-proportion z-test of x1/n1 against
/// x2/n2: 2 (1 - Phi(|z|)) = erfc(|z| / sqrt 2); None when undefined.
fn two_proportion_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 || x1 + x2 == 0 || x1 + x2 == n1 + n2 {
        return None;
    }
    let (x1, n1, x2, n2) = (x1 as f64, n1 as f64, x2 as f64, n2 as f64);
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let z = (x1 / n1 - x2 / n2) / se;
    Some(erfc(z.abs() / std::f64::consts::SQRT_2))
}

/// A CSV cell as a number; None for an empty (NULL) cell.
fn number(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| {
        cell.parse()
            .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
    })
}

#[track_caller]
fn assert_close(got: &str, want: Option<f64>, tolerance: f64, what: &str) {
    match (number(got), want) {
        (None, None) => {}
        (Some(g), Some(w)) if (g - w).abs() <= tolerance => {}
        (g, w) => panic!("{what}: report has {g:?}, computed {w:?}"),
    }
}

#[track_caller]
fn assert_count(got: &str, want: u64, what: &str) {
    assert_eq!(
        got.parse::<u64>().ok(),
        Some(want),
        "{what}: report has {got:?}"
    );
}

#[test]
fn built_in_report_numbers_match_a_computation_from_the_raw_payloads() {
    use serde_json::{json, Value};
    use std::collections::BTreeMap;
    let (dir, db) = loaded_sample();
    // and, in a second run, spellings the sample lacks: no configuration,
    // numeric and yes/no answers, no request time (created_at counts),
    // milliseconds and RFC 3339, on both sides of midnight in Kolkata
    // (2025-08-02T18:30:00Z = 1754159400 is 2025-08-03 00:00 local);
    // `None` removes the key from `cmb_payload`
    let edge = |id: &str, created_at: Value, changes: &[(&str, Option<Value>)]| {
        let mut e: Value = serde_json::from_str(&cmb_event(id, "x", true)).unwrap();
        e["created_at"] = created_at;
        let p = e["cmb_payload"].as_object_mut().unwrap();
        for (k, v) in changes {
            match v {
                Some(v) => p.insert(k.to_string(), v.clone()),
                None => p.remove(*k),
            };
        }
        e.to_string()
    };
    let (config, answer, requested) = ("cmb_config_name", "is_interested", "requested_at");
    let edges = dir.path().join("edges.ndjson");
    std::fs::write(
        &edges,
        ndjson(&[
            edge(
                "edge-1",
                json!("1754159399"),
                &[(config, None), (answer, None), (requested, None)],
            ),
            edge(
                "edge-2",
                json!("1754159399"),
                &[
                    (config, Some(json!(""))),
                    (answer, Some(json!(1))),
                    (requested, Some(json!(1_754_159_400_000u64))),
                ],
            ),
            edge(
                "edge-3",
                json!("1754159400"),
                &[
                    (config, Some(json!(""))),
                    (answer, Some(json!("no"))),
                    (requested, Some(json!("2025-08-02T18:29:59Z"))),
                ],
            ),
            edge(
                "edge-4",
                json!(1_754_159_400),
                &[
                    (config, None),
                    (answer, Some(Value::Null)),
                    (requested, Some(json!("NA"))),
                ],
            ),
            edge(
                "edge-5",
                json!("1754159399"),
                &[
                    (config, Some(json!("CMB Default"))),
                    (answer, Some(json!("Yes"))),
                    (requested, Some(json!(" 1754159400 "))),
                ],
            ),
            edge(
                "edge-6",
                json!("1754159400"),
                &[
                    (config, Some(json!(42))),
                    (answer, Some(json!(0))),
                    (requested, Some(json!("1754159399"))),
                ],
            ),
        ]),
    )
    .unwrap();
    assert_eq!(ingest_ok(&db, &[&edges])["inserted"], 6);
    let out = dir.path().join("out");
    let o = report(&db, &out, &["--tz", "Asia/Kolkata"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // the events as delivered (deduplicated), nothing typed by hookstat
    let events: Vec<Value> = query(
        &db,
        "SELECT payload::VARCHAR AS p FROM events WHERE event_type = 'cmb'",
    )
    .iter()
    .map(|r| serde_json::from_str(r["p"].as_str().expect("payload text")).expect("payload JSON"))
    .collect();
    let facts: Vec<CmbFacts> = events.iter().map(cmb_facts).collect();
    // the sample's own drift is exercised: string booleans, numeric
    // epochs, unknown answers, requests whose local day is not their UTC day
    let sample: Vec<(&Value, &CmbFacts)> = events
        .iter()
        .zip(&facts)
        .filter(|(e, _)| !e["event_id"].as_str().unwrap().starts_with("edge-"))
        .collect();
    let with = |key: &str, pred: fn(&Value) -> bool| {
        sample
            .iter()
            .any(|(e, _)| e["cmb_payload"].get(key).is_some_and(pred))
    };
    assert!(with(answer, Value::is_string) && with(answer, Value::is_boolean));
    assert!(with(requested, Value::is_string) && with(requested, Value::is_number));
    assert!(sample.iter().any(|(_, f)| f.interested.is_none()));
    assert!(sample.iter().any(|(_, f)| f.local_day != f.utc_day));

    // the edge events read as intended (a check of this computation)
    let mut edge_days: Vec<(&str, &str)> = events
        .iter()
        .zip(&facts)
        .filter(|(e, _)| e["event_id"].as_str().unwrap().starts_with("edge-"))
        .map(|(e, f)| (e["event_id"].as_str().unwrap(), f.local_day.as_str()))
        .collect();
    edge_days.sort();
    assert_eq!(
        edge_days,
        [
            ("edge-1", "2025-08-02"),
            ("edge-2", "2025-08-03"),
            ("edge-3", "2025-08-02"),
            ("edge-4", "2025-08-03"),
            ("edge-5", "2025-08-03"),
            ("edge-6", "2025-08-02")
        ]
    );

    let mut by_config: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_day: BTreeMap<(&str, &str), Tally> = BTreeMap::new();
    for f in &facts {
        by_config.entry(&f.config).or_default().add(f.interested);
        by_day
            .entry((&f.local_day, &f.config))
            .or_default()
            .add(f.interested);
    }

    let none = by_config["(none)"];
    assert_eq!(
        (none.requests, none.interested, none.not_interested),
        (4, 1, 1)
    );
    assert_eq!(by_config["42"].not_interested, 1);

    // interest_rate: ORDER BY interest_rate DESC NULLS LAST, cmb_config_name
    let mut want: Vec<(&str, Tally)> = by_config.iter().map(|(c, t)| (*c, *t)).collect();
    want.sort_by(|(a, ta), (b, tb)| {
        let key = |t: &Tally| t.rate().unwrap_or(f64::NEG_INFINITY);
        key(tb).total_cmp(&key(ta)).then(a.cmp(b))
    });
    let (_, rows) = read_csv(&out.join("latest").join("interest_rate.csv"));
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    let want_names: Vec<&str> = want.iter().map(|(c, _)| *c).collect();
    assert_eq!(names, want_names, "interest_rate rows and their order");
    for (r, (config, t)) in rows.iter().zip(&want) {
        let what = |col: &str| format!("interest_rate {config} {col}");
        assert_count(&r[1], t.requests, &what("requests"));
        assert_count(&r[2], t.interested, &what("interested"));
        assert_count(&r[3], t.not_interested, &what("not_interested"));
        assert_count(&r[4], t.unknown(), &what("unknown"));
        assert_close(&r[5], t.rate(), 1e-9, &what("interest_rate"));
        let ci = (t.answered() > 0).then(|| wilson(t.interested, t.answered()));
        assert_close(&r[6], ci.map(|c| c.0), 1e-9, &what("ci_low"));
        assert_close(&r[7], ci.map(|c| c.1), 1e-9, &what("ci_high"));
    }

    // config_comparison never disagrees with the decision: per business,
    // the same leader, rates, differences and always-valid intervals as
    // config_decision.csv (whose counts tests/report_page.rs checks)
    let (dh, decision) = read_csv(&out.join("latest").join("config_decision.csv"));
    let dcol = |name: &str| dh.iter().position(|h| h == name).unwrap();
    let (_, rows) = read_csv(&out.join("latest").join("config_comparison.csv"));
    let figured: Vec<&Vec<String>> = decision
        .iter()
        .filter(|r| !r[dcol("interest_rate")].is_empty())
        .collect();
    assert_eq!(
        rows.len(),
        figured.len(),
        "one row per configuration decided"
    );
    for r in &rows {
        let d = figured
            .iter()
            .find(|d| d[0] == r[1] && r[0].starts_with(d[1].as_str()))
            .unwrap_or_else(|| panic!("{r:?} is in no decision"));
        let leader = figured.iter().find(|l| l[0] == r[1]).unwrap();
        let what = |col: &str| format!("config_comparison {} {col}", r[0]);
        assert_eq!(r[2], leader[1], "{}", what("best_config"));
        let rate: f64 = d[dcol("interest_rate")].parse().unwrap();
        let best: f64 = leader[dcol("interest_rate")].parse().unwrap();
        assert_close(&r[3], Some(rate), 1e-12, &what("interest_rate"));
        assert_close(&r[4], Some(best), 1e-12, &what("best_rate"));
        assert_close(&r[5], Some(rate - best), 1e-12, &what("diff"));
        if d[1] != leader[1] {
            assert_eq!(d[dcol("vs")], leader[1]);
            assert_close(&r[6], number(&d[dcol("cs_low")]), 1e-12, &what("cs_low"));
            assert_close(&r[7], number(&d[dcol("cs_high")]), 1e-12, &what("cs_high"));
        }
        assert_eq!(r[9], d[dcol("leads")], "{}", what("leads"));
    }

    // daily_trend: per local day (Asia/Kolkata) and configuration
    let (_, rows) = read_csv(&out.join("latest").join("daily_trend.csv"));
    let keys: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    let want_keys: Vec<(&str, &str)> = by_day.keys().copied().collect();
    assert_eq!(keys, want_keys, "daily_trend rows and their order");
    for (r, ((day, config), t)) in rows.iter().zip(&by_day) {
        let what = |col: &str| format!("daily_trend {day} {config} {col}");
        assert_count(&r[2], t.requests, &what("requests"));
        assert_count(&r[3], t.interested, &what("interested"));
        assert_close(&r[4], t.rate(), 1e-9, &what("interest_rate"));
    }
}

/// The SQL helpers of dropped-in reports against the Rust statistics of
/// the decision and the test's own erfc, over a grid of counts.
#[test]
fn sql_helpers_give_the_numbers_of_the_rust_statistics() {
    use hookstat::report::decision::{two_proportion_p as rust_p, wilson_interval};
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::write(
        reports.join("grid.sql"),
        "-- title: grid\n\
         SELECT x1, n1, x2, n2, wilson_low(x1, n1) AS lo, wilson_high(x1, n1) AS hi,\n\
                two_proportion_p(x1, n1, x2, n2) AS p\n\
         FROM range(0, 60, 7) a(x1), range(1, 120, 13) b(n1), range(0, 40, 9) c(x2),\n\
              (VALUES (40), (400)) d(n2)\n\
         WHERE x1 <= n1 ORDER BY ALL;\n",
    )
    .unwrap();
    let night = dir.path().join("n");
    std::fs::create_dir_all(&night).unwrap();
    std::fs::write(night.join("a.ndjson"), ndjson(&[cmb_event("a", "A", true)])).unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&night]);
    let out = dir.path().join("out");
    let reports = reports.to_str().unwrap();
    let o = report(&db, &out, &["--tz", "UTC", "--reports", reports]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, rows) = read_csv(&out.join("latest/grid.csv"));
    assert!(rows.len() > 300, "{}", rows.len());
    for r in &rows {
        let v: Vec<u64> = r[..4].iter().map(|c| c.parse().unwrap()).collect();
        let (lo, hi) = wilson_interval(v[0], v[1]).unwrap();
        assert_close(&r[4], Some(lo), 1e-12, &format!("wilson_low {r:?}"));
        assert_close(&r[5], Some(hi), 1e-12, &format!("wilson_high {r:?}"));
        let rust = rust_p(v[0], v[1], v[2], v[3]);
        let ours = two_proportion_p(v[0], v[1], v[2], v[3]);
        // the SQL erf (Abramowitz & Stegun 7.1.26) is within 1.5e-7
        assert_close(&r[6], rust, 3e-7, &format!("two_proportion_p {r:?}"));
        assert_close(
            &r[6],
            ours,
            3e-7,
            &format!("two_proportion_p (test erfc) {r:?}"),
        );
    }
}
