//! "What changed tonight" and "what looks wrong", through the binary, with
//! archives built here: a field added, a field that turns from number to
//! text, a field that stops appearing, a new event type, a new reject
//! reason, a budget overflow; a business that stops sending, one that
//! spikes, a rising share of field issues and of quarantined records.
//! Expected values come from the test's own construction.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{json, Value};

fn run(dir: &Path, archive: &Path, toml_extra: &str) -> (i32, Value, String) {
    let config = dir.join("h.toml");
    std::fs::write(
        &config,
        format!("database = \"h.duckdb\"\nreports_out = \"reports\"\ntz = \"UTC\"\n{toml_extra}"),
    )
    .unwrap();
    let o = hookstat()
        .arg("run")
        .arg("--config")
        .arg(&config)
        .arg("--json")
        .arg(archive)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        serde_json::from_slice(&o.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("events.ndjson"), ndjson(lines)).unwrap();
    d
}

fn uf(id: String, payload: Value) -> String {
    json!({"event_id": id, "client_account_id": "aaaaaaaa-0000-4000-8000-000000000001",
           "event_type": "uf", "created_at": "1759053600", "uf_payload": payload})
    .to_string()
}

#[test]
fn what_changed_tonight() {
    let dir = tempfile::tempdir().unwrap();
    // night 1: 12 feedback events with a numeric score and a channel
    let night1: Vec<String> = (0..12)
        .map(|i| uf(format!("a{i}"), json!({"score": i, "channel": "ivr"})))
        .collect();
    let a = write(dir.path(), "n1", &night1);
    let budgets = "[budgets]\nmax_leaves = 20\n";
    let (code, first, err) = run(dir.path(), &a, budgets);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["changes"]["first_night"], true);
    // night 2: score turns to text, channel stops, agent_id is new, a new
    // event type, a broken line, one event over the leaf budget
    let mut night2: Vec<String> = (0..15)
        .map(|i| {
            uf(
                format!("b{i}"),
                json!({"score": format!("s{i}"), "agent_id": format!("A-{}", 17 + i)}),
            )
        })
        .collect();
    for i in 0..3 {
        night2.push(
            json!({"event_id": format!("s{i}"), "event_type": "survey_v2",
                   "created_at": "1759053600", "survey_v2_payload": {"q": i}})
            .to_string(),
        );
    }
    night2.push("{\"event_id\": \"broken\", }".into());
    let wide: serde_json::Map<String, Value> =
        (0..30).map(|k| (format!("k{k}"), json!(k))).collect();
    night2.push(uf("wide".into(), json!({ "score": "x", "extra": wide })));
    let b = write(dir.path(), "n2", &night2);
    let (code, summary, err) = run(dir.path(), &b, budgets);
    assert_eq!(code, 0, "{err}");
    let c = &summary["changes"];
    assert_eq!(c["first_night"], false);
    assert_eq!(
        c["new_event_types"],
        json!([{"event_type": "survey_v2", "events": 3}])
    );
    let new_columns = c["new_columns"].as_array().unwrap();
    let agent = new_columns
        .iter()
        .find(|n| n["table"] == "uf_events" && n["column"] == "agent_id")
        .unwrap_or_else(|| panic!("agent_id is new: {new_columns:?}"));
    assert_eq!(agent["first_value"], "A-17");
    assert_eq!(agent["data_type"], "VARCHAR");
    assert!(agent["json_path"].as_str().unwrap().ends_with("agent_id"));
    // survey_v2's own column is new too
    assert!(new_columns
        .iter()
        .any(|n| n["table"] == "survey_v2_events" && n["first_value"] == "0"));
    let widened = &c["widened_types"];
    assert_eq!(widened.as_array().unwrap().len(), 1, "{widened}");
    assert_eq!(widened[0]["table"], "uf_events");
    assert_eq!(widened[0]["column"], "score");
    assert_eq!(widened[0]["from"], "BIGINT");
    assert_eq!(widened[0]["to"], "VARCHAR");
    // night 1's 12 scores were converted (score 0 included)
    assert_eq!(widened[0]["rows_converted"], 12);
    let stopped = c["stopped_columns"].as_array().unwrap();
    assert_eq!(stopped.len(), 1, "{stopped:?}");
    assert_eq!(stopped[0]["column"], "channel");
    assert_eq!(stopped[0]["rows_tonight"], 16);
    assert_eq!(stopped[0]["values_before"], 12);
    assert_eq!(
        c["new_reject_reasons"],
        json!([{"reason": "invalid_json", "records": 1}])
    );
    let overflows = c["budget_overflows"].as_array().unwrap();
    assert!(
        overflows
            .iter()
            .any(|o| o["budget"] == "leaf_budget" && o["events"] == 1 && o["event_type"] == "uf"),
        "{overflows:?}"
    );
    // the page says the same
    let page = std::fs::read_to_string(dir.path().join("reports/latest/index.html")).unwrap();
    assert!(page.contains("What changed tonight"));
    assert!(
        page.contains("uf_events.agent_id"),
        "new column on the page"
    );
    assert!(page.contains("BIGINT -&gt; VARCHAR, 12 earlier rows converted"));
}

const A: &str = "aaaaaaaa-1111-4000-8000-000000000001";
const B: &str = "bbbbbbbb-2222-4000-8000-000000000002";
const C: &str = "cccccccc-3333-4000-8000-000000000003";

/// `n` Call Me Back events of `account` on `day` (UTC), one a minute from
/// 10:00; the first `bad` have a requested_at that is no time.
fn day_events(account: &str, day: chrono::NaiveDate, n: usize, bad: usize) -> Vec<String> {
    let start = day.and_hms_opt(10, 0, 0).unwrap().and_utc().timestamp();
    (0..n)
        .map(|i| {
            let t = (start + 60 * i as i64).to_string();
            json!({"event_id": format!("{account}-{day}-{i}"), "client_account_id": account,
                   "event_type": "cmb", "created_at": t,
                   "cmb_payload": {"is_interested": i % 2 == 0, "cmb_config_name": "Evening",
                                   "requested_at": if i < bad { "soon".to_string() } else { t.clone() }}})
            .to_string()
        })
        .collect()
}

#[test]
fn what_looks_wrong() {
    let dir = tempfile::tempdir().unwrap();
    // Tuesdays; the last one is tonight's day
    let day = chrono::NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
    let weeks: Vec<_> = (0..5)
        .rev()
        .map(|w| day - chrono::Duration::days(7 * w))
        .collect();
    // four earlier nights: A, B and C 30 events each Tuesday, nothing wrong
    for (i, d) in weeks[..4].iter().enumerate() {
        let mut lines = day_events(A, *d, 30, 0);
        lines.extend(day_events(B, *d, 30, 0));
        lines.extend(day_events(C, *d, 30, 0));
        let arc = write(dir.path(), &format!("w{i}"), &lines);
        let (code, s, err) = run(dir.path(), &arc, "");
        assert_eq!(code, 0, "{err}");
        assert_eq!(s["alerts"], json!([]), "week {i}");
    }
    // tonight: B stops, C sends 90, 6 of A's 30 have a bad requested_at,
    // and 5 records are broken
    let mut lines = day_events(A, day, 30, 6);
    lines.extend(day_events(C, day, 90, 0));
    lines.extend((0..5).map(|i| format!("{{\"event_id\": \"x{i}\", }}")));
    let arc = write(dir.path(), "tonight", &lines);
    let (code, s, err) = run(dir.path(), &arc, "");
    assert_eq!(code, 0, "alerts alone do not fail the night: {err}");
    let alerts = s["alerts"].as_array().unwrap();
    let find = |kind: &str, account: Option<&str>| {
        alerts
            .iter()
            .find(|a| a["kind"] == kind && a["account"].as_str() == account)
            .unwrap_or_else(|| panic!("{kind} {account:?} in {alerts:?}"))
    };
    // the usual range from the test's own numbers: 30 ± 3.5 √30
    let (low, high) = (30.0 - 3.5 * 30f64.sqrt(), 30.0 + 3.5 * 30f64.sqrt());
    let drop = find("drop", Some(B));
    assert_eq!(drop["event_type"], "cmb");
    assert_eq!(drop["value"], 0.0);
    assert_eq!(drop["median"], 30.0);
    assert_eq!(drop["baseline"], json!([30.0, 30.0, 30.0, 30.0]));
    assert!((drop["low"].as_f64().unwrap() - low).abs() < 1e-9);
    let message = drop["message"].as_str().unwrap();
    assert!(
        message.starts_with("acct bbbbbbbb…: 0 Call Me Back requests on Tue 30 Sep")
            && message.contains(&format!(
                "usual for a Tuesday {}–{}",
                low.ceil(),
                high.floor()
            )),
        "{message}"
    );
    let spike = find("spike", Some(C));
    assert_eq!(spike["value"], 90.0);
    assert!((spike["high"].as_f64().unwrap() - high).abs() < 1e-9);
    assert!(!alerts
        .iter()
        .any(|a| a["account"] == A && (a["kind"] == "drop" || a["kind"] == "spike")));
    let issues = find("field_issue_share", Some(A));
    assert_eq!(issues["event_type"], "cmb");
    assert!((issues["value"].as_f64().unwrap() - 6.0 / 30.0).abs() < 1e-12);
    assert_eq!(issues["median"], 0.0);
    let quarantine = find("quarantine_share", None);
    assert!((quarantine["value"].as_f64().unwrap() - 5.0 / 125.0).abs() < 1e-12);
    assert_eq!(alerts.len(), 4, "{alerts:?}");
    // the page shows them; [strict] alerts makes them exit 1
    let page = std::fs::read_to_string(dir.path().join("reports/latest/index.html")).unwrap();
    assert!(page.contains("What looks wrong") && page.contains("acct bbbbbbbb…"));
    let strict = dir.path().join("strict.toml");
    std::fs::write(&strict, "[strict]\nalerts = true\n").unwrap();
    let o = report(
        &dir.path().join("h.duckdb"),
        &dir.path().join("reports"),
        &["--settings", strict.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("hookstat: alert: ").count(), 4, "{err}");
}
