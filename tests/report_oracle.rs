//! An oracle for the `response_times` and `popular_slots` reports: the
//! test writes an archive whose every value it chose itself (instants in
//! several spellings, missing and broken values, retries and changed
//! re-deliveries, broken lines), keeps what each first delivery means as
//! its own manifest, recomputes both reports from that manifest with plain
//! arithmetic, and compares with the CSVs `hookstat report` writes.

mod common;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Timelike};
use common::*;
use serde_json::{json, Map, Value};

/// Asia/Kolkata has no daylight saving time: always UTC+05:30.
const ZONE: &str = "Asia/Kolkata";
const ZONE_OFFSET: i64 = 19_800;
const CONFIGS: [Option<&str>; 5] = [
    Some("Evening Slots"),
    Some("Diwali 🎉"),
    Some("कॉल बैक"),
    Some(""),
    None,
];

/// A small deterministic generator (64-bit LCG), so the test needs no seed
/// file and every run sees the same archive.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// What the first delivery of a Call Me Back event means, as the test
/// chose it: the configuration (None: no usable name) and instants in
/// epoch seconds (None: missing or not a time hookstat accepts).
#[derive(Clone, Debug)]
struct Truth {
    config: Option<String>,
    created: Option<i64>,
    requested: Option<i64>,
    preferred: Option<i64>,
}

/// Writes instant `secs` in one of the spellings archives use.
fn spell(secs: i64, rng: &mut Lcg) -> Value {
    let t = DateTime::from_timestamp(secs, 0).unwrap();
    match rng.below(6) {
        0 | 1 => json!(secs.to_string()),
        2 => json!(secs),
        3 => json!((secs * 1000).to_string()),
        4 => json!(secs * 1000),
        _ => json!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
    }
}

/// A value for a time field, and the instant it means (None for missing
/// or broken values: "NA", "", null, absent, text, beyond 2100).
fn time_field(secs: i64, rng: &mut Lcg) -> (Option<Value>, Option<i64>) {
    match rng.below(20) {
        0 => (Some(json!("NA")), None),
        1 => (Some(json!("")), None),
        2 => (Some(Value::Null), None),
        3 => (None, None),
        4 => (Some(json!("soon")), None),
        5 => (Some(json!("5000000000")), None), // year 2128
        _ => (Some(spell(secs, rng)), Some(secs)),
    }
}

/// One Call Me Back event and its truth.
fn event(id: &str, rng: &mut Lcg) -> (Value, Truth) {
    let requested = 1_753_900_000 + rng.below(30 * 86_400) as i64;
    let lead = 1_800 * (1 + rng.below(150) as i64); // 30 minutes to ~3 days
    let lag = [0, 120, 360, 1_800, 3_600, 18_000, 86_400][rng.below(7) as usize];
    let mut payload = Map::new();
    let mut truth = Truth {
        config: None,
        created: None,
        requested: None,
        preferred: None,
    };
    let (value, t) = time_field(requested, rng);
    if let Some(v) = value {
        payload.insert("requested_at".into(), v);
    }
    truth.requested = t;
    let (value, t) = time_field(requested + lead, rng);
    if let Some(v) = value {
        payload.insert("preferred_from_time".into(), v);
    }
    truth.preferred = t;
    let config = CONFIGS[rng.below(CONFIGS.len() as u64) as usize];
    if let Some(name) = config {
        payload.insert("cmb_config_name".into(), json!(name));
    }
    truth.config = config.filter(|c| !c.is_empty()).map(str::to_string);
    payload.insert("is_interested".into(), json!(rng.below(2) == 0));
    let mut event = json!({"event_id": id, "event_type": "cmb", "cmb_payload": payload});
    let (value, t) = time_field(requested + lag, rng);
    if let Some(v) = value {
        event["created_at"] = v;
    }
    truth.created = t;
    (event, truth)
}

/// Writes the archive (two nightly files, retries, changed re-deliveries,
/// broken lines, other event types) and returns the first deliveries'
/// truths.
fn archive(dir: &std::path::Path) -> Vec<Truth> {
    let mut rng = Lcg(2026);
    let mut nights = [Vec::new(), Vec::new()];
    let mut first: BTreeMap<String, Truth> = BTreeMap::new();
    for i in 0..700 {
        let id = format!("cmb-{i:04}");
        let (ev, truth) = event(&id, &mut rng);
        let night = (rng.below(4) == 0) as usize;
        nights[night].push(ev.to_string());
        first.insert(id.clone(), truth);
        match rng.below(10) {
            // a byte-identical retry, on the same night or the next
            0 | 1 => nights[1].push(ev.to_string()),
            // a changed re-delivery: the first delivery wins
            2 => nights[1].push(event(&id, &mut rng).0.to_string()),
            3 => nights[night].push(r#"{"event_id":"broken","#.to_string()),
            4 => nights[night].push(
                json!({"event_id": format!("uf-{i}"), "event_type": "uf",
                "created_at": "1753945760", "uf_payload": {"preferred_from_time": "1753945760"}})
                .to_string(),
            ),
            _ => {}
        }
    }
    for (n, lines) in nights.iter().enumerate() {
        std::fs::write(dir.join(format!("night-{n}.ndjson")), ndjson(lines)).unwrap();
    }
    first.into_values().collect()
}

/// `quantile_cont`: linear interpolation between the closest ranks.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (pos - lo as f64) * (sorted[hi] - sorted[lo])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn num(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("not a number: {cell:?}"))
}

#[test]
fn response_times_and_popular_slots_match_an_oracle_from_the_raw_payloads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("archive");
    std::fs::create_dir_all(&input).unwrap();
    let truths = archive(&input);
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&input]);
    let out = dir.path().join("reports-out");
    let o = report(&db, &out, &["--tz", ZONE]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // response_times: per configuration and metric, seconds
    let mut samples: BTreeMap<(String, &str), Vec<f64>> = BTreeMap::new();
    for t in &truths {
        let config = t.config.clone().unwrap_or_else(|| "(none)".into());
        if let (Some(p), Some(r)) = (t.preferred, t.requested) {
            let s = samples
                .entry((config.clone(), "callback_lead"))
                .or_default();
            s.push((p - r) as f64);
        }
        if let (Some(c), Some(r)) = (t.created, t.requested) {
            let s = samples.entry((config, "delivery_lag")).or_default();
            s.push((c - r) as f64);
        }
    }
    let (header, rows) = read_csv(&out.join("latest/response_times.csv"));
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
    };
    let (config, metric) = (col("cmb_config_name"), col("metric"));
    assert_eq!(rows.len(), samples.len(), "{rows:?}");
    for row in &rows {
        let key = (row[config].clone(), row[metric].as_str());
        let mut s = samples
            .remove(&key)
            .unwrap_or_else(|| panic!("unexpected row {row:?}"));
        s.sort_by(f64::total_cmp);
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        let want = [
            ("n", s.len() as f64),
            ("p50_s", quantile(&s, 0.5)),
            ("p90_s", quantile(&s, 0.9)),
            ("p99_s", quantile(&s, 0.99)),
            ("mean_s", mean),
        ];
        for (name, want) in want {
            let got = num(&row[col(name)]);
            assert!(close(got, want), "{name} of {row:?}: want {want}");
        }
    }

    // popular_slots: weekday and hour of the preferred time in the zone
    let mut slots: BTreeMap<(u32, u32), i64> = BTreeMap::new();
    for p in truths.iter().filter_map(|t| t.preferred) {
        let local = DateTime::from_timestamp(p + ZONE_OFFSET, 0).unwrap();
        let weekday = local.weekday().number_from_monday();
        *slots.entry((weekday, local.hour())).or_default() += 1;
    }
    let total: i64 = slots.values().sum();
    let (header, rows) = read_csv(&out.join("latest/popular_slots.csv"));
    assert_eq!(header, ["weekday", "hour", "requests", "share"]);
    let want: Vec<(String, String, String)> = slots
        .iter()
        .map(|(&(d, h), n)| {
            (
                WEEKDAYS[d as usize - 1].to_string(),
                h.to_string(),
                n.to_string(),
            )
        })
        .collect();
    let got: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    assert_eq!(got, want);
    for row in &rows {
        assert!(close(num(&row[3]), num(&row[2]) / total as f64), "{row:?}");
    }
    assert!(
        total > 400 && slots.len() > 50,
        "too little to test: {total}"
    );
}
