//! "What looks wrong" beyond tonight's partial day, through the binary
//! with archives built here: a business silent for the whole previous day
//! when the night runs shortly after midnight (a `drop` for that day,
//! besides the partial-day check of the new day; a small business too),
//! and stale data (a
//! `stale` flag in `run --json`, counted in the mail's subject and listed
//! in its "What looks wrong", one problem line for the night). Expected
//! values come from the test's own construction.

mod common;

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::mail_night::{self, archives, config_for, expected_subjects};
use common::*;
use serde_json::{json, Value};

const A: &str = "aaaaaaaa-1111-4000-8000-000000000001";
const B: &str = "bbbbbbbb-2222-4000-8000-000000000002";
const C: &str = "cccccccc-3333-4000-8000-000000000003";
/// A small business: 10 requests on each earlier Sunday.
const D: &str = "dddddddd-4444-4000-8000-000000000004";

/// `n` Call Me Back events of `account`, one a minute from `start` (UTC).
fn events(account: &str, start: NaiveDateTime, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let t = (start + Duration::minutes(i as i64)).and_utc().timestamp();
            json!({"event_id": format!("{account}-{start}-{i}"), "client_account_id": account,
                   "event_type": "cmb", "created_at": t.to_string(),
                   "cmb_payload": {"is_interested": i % 2 == 0, "cmb_config_name": "Evening",
                                   "requested_at": t.to_string()}})
            .to_string()
        })
        .collect()
}

fn at(day: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    day.and_hms_opt(h, m, 0).unwrap()
}

fn night(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("events.ndjson"), ndjson(lines)).unwrap();
    d
}

#[test]
fn a_business_silent_all_of_the_previous_day_is_flagged_after_midnight() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("h.toml");
    std::fs::write(
        &config,
        "database = \"h.duckdb\"\nreports_out = \"reports\"\ntz = \"UTC\"\n",
    )
    .unwrap();
    // Sunday 31 Aug 2025, and the four Sundays before it
    let sunday = NaiveDate::from_ymd_opt(2025, 8, 31).unwrap();
    let monday = sunday + Duration::days(1);
    // four earlier nights, each run after its Monday's first half hour:
    // A, B and C 30 requests on the Sunday from 10:00, C 30 more on the
    // Monday from 00:00
    for w in (1..=4).rev() {
        let d = sunday - Duration::days(7 * w);
        let mut lines = events(A, at(d, 10, 0), 30);
        lines.extend(events(B, at(d, 10, 0), 30));
        lines.extend(events(C, at(d, 10, 0), 30));
        lines.extend(events(C, at(d + Duration::days(1), 0, 0), 30));
        lines.extend(events(D, at(d, 12, 0), 10));
        let arc = night(dir.path(), &format!("w{w}"), &lines);
        let (code, s, err) = mail_night::run(&config, &arc, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(s["alerts"], json!([]), "{w} weeks before");
    }
    // tonight: A as usual on Sunday and one request at 00:30 on Monday
    // (the newest event); B and C send nothing at all
    let mut lines = events(A, at(sunday, 10, 0), 30);
    lines.extend(events(A, at(monday, 0, 30), 1));
    let arc = night(dir.path(), "tonight", &lines);
    let (code, s, err) = mail_night::run(&config, &arc, &[]);
    assert_eq!(code, 0, "alerts alone do not fail the night: {err}");
    let alerts = s["alerts"].as_array().unwrap();
    // 30 every week: 30 ± 3.5 √30
    let (low, high) = (30.0 - 3.5 * 30f64.sqrt(), 30.0 + 3.5 * 30f64.sqrt());
    let usual = format!("usual for a Sunday {}–{}", low.ceil(), high.floor());
    let find = |account: &str, day: &str| {
        alerts
            .iter()
            .find(|a| a["account"] == account && a["day"] == day)
            .unwrap_or_else(|| panic!("{account} {day} in {alerts:?}"))
    };
    for (account, short) in [(B, "bbbbbbbb"), (C, "cccccccc")] {
        let drop = find(account, "2025-08-31");
        assert_eq!(drop["kind"], "drop");
        assert_eq!(drop["event_type"], "cmb");
        assert_eq!(drop["value"], 0.0);
        assert_eq!(drop["median"], 30.0);
        assert_eq!(drop["baseline"], json!([30.0, 30.0, 30.0, 30.0]));
        assert!((drop["low"].as_f64().unwrap() - low).abs() < 1e-9);
        assert!((drop["high"].as_f64().unwrap() - high).abs() < 1e-9);
        // the whole day: no "through"
        let message = drop["message"].as_str().unwrap();
        assert_eq!(
            message,
            format!(
                "acct {short}…: 0 Call Me Back requests on Sun 31 Aug, {usual} (median 30 of the 4 previous Sundays)"
            )
        );
    }
    // C's Monday, up to 00:30, is another day: flagged too, once
    let monday_drop = find(C, "2025-09-01");
    assert_eq!(monday_drop["kind"], "drop");
    assert_eq!(monday_drop["value"], 0.0);
    assert!(
        monday_drop["message"]
            .as_str()
            .unwrap()
            .starts_with("acct cccccccc…: 0 Call Me Back requests on Mon 1 Sep through 00:30"),
        "{monday_drop}"
    );
    // A is within its range on both days; nothing else is flagged
    assert!(!alerts.iter().any(|a| a["account"] == A), "{alerts:?}");
    // D's range, 10 ± 3.5 √10, reaches 0, but a Poisson count of 10 is 0
    // with chance e^−10 = 4.5e-5, below Φ(−3.5) = 2.3e-4: flagged
    assert!(10.0 - 3.5 * 10f64.sqrt() < 0.0 && (-10f64).exp() < 2.326e-4);
    let small = find(D, "2025-08-31");
    assert_eq!(
        (&small["kind"], &small["value"], &small["low"]),
        (&json!("drop"), &json!(0.0), &json!(0.0))
    );
    assert_eq!(small["baseline"], json!([10.0, 10.0, 10.0, 10.0]));
    assert_eq!(alerts.len(), 4, "{alerts:?}");
    let page = std::fs::read_to_string(dir.path().join("reports/latest/index.html")).unwrap();
    assert!(page.contains("0 Call Me Back requests on Sun 31 Aug, usual"));
}

#[test]
fn stale_data_is_an_alert_of_the_digest() {
    let dir = tempfile::tempdir().unwrap();
    let (night1, night2) = archives(dir.path());
    // every event was created on Sun 28 Sep 2025 10:00 UTC: stale at 2 days
    let config = config_for(dir.path(), "smtp://127.0.0.1:9", "");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("stale_after = \"2d\"\n{text}\n[strict]\nalerts = true\n"),
    )
    .unwrap();
    ingest_ok(&dir.path().join("night.duckdb"), &[&night1]);
    let (code, s, err) = mail_night::run(&config, &night2, &["--mail-dry-run"]);
    assert_eq!(code, 1, "stale data fails the night: {err}");
    // the flag, worded as the report's warning
    let warning = s["report"]["stale"].as_str().unwrap();
    let newest = chrono::DateTime::from_timestamp(1_759_053_600, 0).unwrap();
    let days = (chrono::Utc::now() - newest).num_days();
    assert!(
        warning.starts_with("The newest event (2025-09-28 10:00 UTC) is ")
            && (warning.contains(&format!("is {days} days old"))
                || warning.contains(&format!("is {} days old", days + 1)))
            && warning.contains("more than the 2 days allowed"),
        "{warning}"
    );
    let alerts = s["alerts"].as_array().unwrap();
    assert_eq!(
        alerts.len(),
        1,
        "two nights: nothing else to flag: {alerts:?}"
    );
    let stale = &alerts[0];
    assert_eq!(stale["kind"], "stale");
    assert_eq!(stale["message"], warning);
    assert_eq!(stale["account"], Value::Null);
    assert_eq!(stale["event_type"], Value::Null);
    assert_eq!(stale["day"], "2025-09-28");
    assert_eq!(stale["high"], 48.0);
    let hours = stale["value"].as_f64().unwrap();
    assert!(hours > 24.0 * days as f64 && hours < 24.0 * (days + 1) as f64 + 1.0);
    // one problem for it, though [strict] alerts is on
    let problems = s["problems"].as_array().unwrap();
    assert_eq!(
        problems,
        &vec![json!(format!("stale data: {warning}"))],
        "{err}"
    );
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    // the mail: counted in the subject, listed in both parts
    let subject = s["mail"]["subject"].as_str().unwrap();
    let expected: Vec<String> = expected_subjects()
        .iter()
        .map(|e| format!("{e}, 1 ALERT"))
        .collect();
    assert!(expected.iter().any(|e| e == subject), "{subject}");
    let eml = dir.path().join("reports/latest/digest.eml");
    let message = common::smtp::parse(&std::fs::read_to_string(eml).unwrap());
    assert_eq!(message.header("subject"), Some(subject));
    let leaves = message.leaves();
    let part = |t: &str| {
        leaves
            .iter()
            .find(|p| p.content_type() == t)
            .unwrap_or_else(|| panic!("a {t} part"))
            .text()
    };
    let plain = part("text/plain");
    assert!(
        plain.contains(&format!("WHAT LOOKS WRONG\n  ! {warning}\n")),
        "{plain}"
    );
    assert!(!plain.contains("Nothing: every business"), "{plain}");
    let html = part("text/html");
    let item = format!("<strong>stale</strong> {warning}</p>");
    assert!(html.contains(&item), "{html}");
    // the page lists it too, besides its headline warning
    let page = std::fs::read_to_string(dir.path().join("reports/latest/index.html")).unwrap();
    assert!(page.contains(&item), "the page's What looks wrong");
}
