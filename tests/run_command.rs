//! `hookstat run`: the nightly job with a configuration file, exit codes for
//! schedulers, the JSON summary, and the "Scaling out" query of the README
//! checked against an export.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn write_config(dir: &Path, strict: &str) -> std::path::PathBuf {
    let path = dir.join("hookstat.toml");
    std::fs::write(
        &path,
        format!(
            "database = \"night.duckdb\"\narchives = [\"{}\"]\nreports_out = \"out/reports\"\nexport_out = \"out/parquet\"\ntz = \"Asia/Kolkata\"\n\n[strict]\n{strict}\n",
            sample_data().display()
        ),
    )
    .unwrap();
    path
}

fn run(args: &[&str], config: &Path) -> (i32, Value, String) {
    let o = hookstat()
        .arg("run")
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("HOOKSTAT_PII_SALT")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        serde_json::from_slice(&o.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn nightly_run_with_a_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "max_rejected = 100\nmax_field_issues = 2");
    let (code, summary, err) = run(&["--json"], &config);
    assert_eq!(code, 1, "{err}");
    assert_eq!(summary["exit_code"], 1);
    assert_eq!(summary["ingest"]["inserted"], 3000);
    assert_eq!(summary["report"]["reports"], 7);
    assert!(summary["export"]["partitions_written"].as_u64().unwrap() > 30);
    assert_eq!(summary["problems"][0], "5 field issues (limit 2)");
    assert!(
        dir.path().join("night.duckdb").exists(),
        "paths are relative to the config file"
    );
    assert!(dir.path().join("out/reports/latest/index.html").exists());
    assert!(dir.path().join("out/parquet/cmb_requests").is_dir());
    // flags override the file; the second night reads nothing new
    let (code, summary, err) = run(&["--json", "--max-field-issues", "10"], &config);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["ingest"]["records"], 0);
    assert_eq!(summary["export"]["partitions_written"], 0);
    // --strict: any quarantined record fails the night
    let strict = write_config(dir.path(), "");
    let (code, _, err) = run(&["--strict", "--quiet"], &strict);
    assert_eq!(
        code, 0,
        "no new records, nothing quarantined this night: {err}"
    );
}

#[test]
fn a_bad_configuration_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "databse = \"typo.duckdb\"\n").unwrap();
    let (code, _, err) = run(&[], &config);
    assert_eq!(code, 2);
    assert!(err.contains("bad.toml") && err.contains("databse"), "{err}");
    std::fs::write(&config, "archives = []\n").unwrap();
    let (code, _, err) = run(&[], &config);
    assert_eq!(code, 2);
    assert!(err.contains("no archive paths"), "{err}");
    std::fs::write(
        &config,
        format!(
            "archives = [\"{}\"]\ntz = \"Mars/Base\"\n",
            sample_data().display()
        ),
    )
    .unwrap();
    let (code, _, err) = run(&[], &config);
    assert_eq!(code, 2);
    assert!(err.contains("IANA"), "{err}");
}

#[test]
fn the_scaling_out_query_reproduces_interest_rate_over_the_export() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "");
    let (code, _, err) = run(&["--quiet"], &config);
    assert_eq!(code, 0, "{err}");
    let snippet = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/scaling/interest_rate.sql"),
    )
    .unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(snippet.trim_end()),
        "README shows the tested query"
    );
    let parquet = format!(
        "read_parquet('{}/out/parquet/cmb_requests/*/*.parquet', hive_partitioning = true)",
        dir.path().display()
    );
    let sql = snippet.replace("FROM cmb_requests", &format!("FROM {parquet}"));
    let got = query(&dir.path().join("night.duckdb"), &sql);
    let mut reader =
        csv::Reader::from_path(dir.path().join("out/reports/latest/interest_rate.csv")).unwrap();
    let want: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g["cmb_config_name"], w[0]);
        assert_eq!(g["requests"].to_string(), w[1]);
        assert_eq!(g["interested"].to_string(), w[2]);
        assert_eq!(g["not_interested"].to_string(), w[3]);
        assert_eq!(g["unknown"].to_string(), w[4]);
        let rate: f64 = w[5].parse().unwrap();
        assert!((g["interest_rate"].as_f64().unwrap() - rate).abs() < 1e-12);
    }
}

/// Once the ingest has committed, a failing report or export stage is exit
/// 1 naming the stage (never 2, which promises nothing changed); budgets
/// and the settle time come from the configuration file.
#[test]
fn a_stage_failing_after_the_ingest_is_exit_1_and_budgets_come_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("arc");
    std::fs::create_dir_all(&arc).unwrap();
    let wide: serde_json::Map<String, Value> =
        (0..50).map(|i| (format!("k{i}"), Value::from(i))).collect();
    let event = serde_json::json!({"event_id": "w1", "event_type": "uf", "uf_payload": wide});
    std::fs::write(
        arc.join("day.ndjson"),
        format!(
            "{}\n{}\n{{\"event_id\":\"cut",
            cmb_event("c1", "A", true),
            event
        ),
    )
    .unwrap();
    // the reports folder cannot be created: a file is in the way
    std::fs::write(dir.path().join("blocked"), "a file").unwrap();
    let config = dir.path().join("hookstat.toml");
    std::fs::write(
        &config,
        "database = \"night.duckdb\"\narchives = [\"arc\"]\nreports_out = \"blocked/reports\"\nsettle_time = \"0s\"\n\n[budgets]\nmax_leaves = 10\n",
    )
    .unwrap();
    let (code, summary, err) = run(&["--json"], &config);
    assert_eq!(code, 1, "{err}");
    assert_eq!(summary["ingest"]["inserted"], 2);
    // settle_time = 0s: the cut tail is rejected now, not left pending
    assert_eq!(summary["ingest"]["rejected_by_reason"]["truncated"], 1);
    assert_eq!(
        summary["ingest"]["field_issues_by_problem"]["leaf_budget"],
        1
    );
    assert!(summary["report"].is_null());
    let problem = summary["problems"][0].as_str().unwrap();
    assert!(problem.starts_with("report stage failed"), "{problem}");
    // the ingest was committed
    let db = dir.path().join("night.duckdb");
    assert_eq!(scalar(&db, "SELECT count(*) FROM events"), 2);
    // a flag overrides the file's budget
    let db2 = dir.path().join("second.duckdb");
    let (_, summary, err) = run(
        &[
            "--json",
            "--db",
            db2.to_str().unwrap(),
            "--max-leaves",
            "100",
        ],
        &config,
    );
    assert!(
        summary["ingest"]["field_issues_by_problem"]
            .get("leaf_budget")
            .is_none(),
        "{err}"
    );
}
