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
    assert_eq!(summary["report"]["reports"], 6);
    assert!(summary["export"]["partitions_written"].as_u64().unwrap() > 30);
    assert_eq!(summary["problems"][0], "5 field issues (limit 2)");
    assert!(
        dir.path().join("night.duckdb").exists(),
        "paths are relative to the config file"
    );
    assert!(dir.path().join("out/reports/index.html").exists());
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
        csv::Reader::from_path(dir.path().join("out/reports/interest_rate.csv")).unwrap();
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
