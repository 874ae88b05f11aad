//! The reports' numbers: interest_rate, config_comparison and daily_trend
//! against the oracle over the sample and edge spellings, and the SQL
//! helpers of dropped-in reports against the Rust statistics.

use super::common::*;
use super::loaded_sample;
use super::oracle::{
    assert_close, assert_count, cmb_facts, number, two_proportion_p, wilson, CmbFacts, Tally,
};

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
        // the leader, named like the row's label (with its business when
        // there are several)
        assert_eq!(
            r[2],
            r[0].replacen(&d[1], &leader[1], 1),
            "{}",
            what("best_config")
        );
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
