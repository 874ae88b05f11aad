//! Report outputs (CSV, SVG, HTML) of `hookstat report` and of the nightly
//! `hookstat run`: no planted number, and the same hashes as the export.

use crate::common::ndjson;
use crate::common::pii::read_key_file;
use crate::expected::{assert_no_failures, assert_no_number, check_cells, report_failures, Policy};
use crate::planted::night1;
use crate::read::{dump, files_under, rows};
use crate::setup::{write_reports, Setup};

#[test]
fn reports_show_no_planted_number_and_hash_like_the_export() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let out = s.path("reports-out");
    s.report(&out, &key_file, &[]);
    let files = files_under(&out, &[".csv", ".svg", ".html"]);
    for name in [
        "uf_all.csv",
        "free_text.csv",
        "child_phones.csv",
        "phones_chart.csv",
        "phones_chart.svg",
        "alt_chart.svg",
        "index.html",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(name)),
            "{name} not written: {files:?}"
        );
    }
    for file in &files {
        let content = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        assert_no_number(&file.display().to_string(), &content);
    }
    let key = read_key_file(&key_file).unwrap();
    assert_no_failures("reports", &report_failures(&s.cells, &out, &key.bytes));
}

#[test]
fn the_nightly_run_protects_reports_and_export() {
    let mut s = Setup::new();
    let lines = night1(&mut s.cells);
    let archive = s.path("archive");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join("night1.ndjson"), ndjson(&lines)).unwrap();
    write_reports(&s.path("reports-in"));
    let config = s.path("hookstat.toml");
    std::fs::write(&config, "reports_dir = \"reports-in\"\n").unwrap();
    let key_file = s.path("pii.key");
    let (reports, out) = (s.path("reports-out"), s.path("parquet"));
    let summary = Setup::json(
        s.cmd()
            .arg("run")
            .arg("--config")
            .arg(&config)
            .arg("--db")
            .arg(&s.db)
            .arg("--report-out")
            .arg(&reports)
            .arg("--export-out")
            .arg(&out)
            .arg("--pii-key-file")
            .arg(&key_file)
            .arg("--json")
            .arg(&archive),
    );
    assert_eq!(summary["exit_code"], 0, "{summary}");
    for file in files_under(&reports, &[".csv", ".svg", ".html"]) {
        let content = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
        assert_no_number(&file.display().to_string(), &content);
    }
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("exported {table}"), &content);
    }
    let key = read_key_file(&key_file).unwrap();
    assert_no_failures(
        "run export",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Hash, &key.bytes),
    );
    assert_no_failures(
        "run reports",
        &report_failures(&s.cells, &reports, &key.bytes),
    );
}
