//! A replaced key file changes every hash: an export into a folder last
//! written under another key says so and exits 1 (the files are written),
//! in `export` and in `run`; the same key again is quiet.

#[path = "common/mod.rs"]
mod common;

use common::{cmb_event, hookstat, ingest_ok, ndjson};

#[test]
fn an_export_under_another_key_says_every_hash_changed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let lines: Vec<String> = (0..4)
        .map(|i| cmb_event(&format!("e{i}"), "Evening", i % 2 == 0))
        .collect();
    std::fs::write(root.join("a.ndjson"), ndjson(&lines)).unwrap();
    let db = root.join("h.duckdb");
    ingest_ok(&db, &[&root.join("a.ndjson")]);
    let export = |key: &str| {
        hookstat()
            .args(["export", "--db"])
            .arg(&db)
            .arg("--out")
            .arg(root.join("pq"))
            .env("HOOKSTAT_PII_KEY_FILE", root.join(key))
            .output()
            .unwrap()
    };
    let id = |key: &str| {
        let text = std::fs::read_to_string(root.join(key)).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("id=").map(str::trim).map(String::from))
            .unwrap()
    };
    let first = export("one.key");
    assert_eq!(first.status.code(), Some(0));
    let again = export("one.key");
    assert_eq!(again.status.code(), Some(0), "the same key is quiet");
    assert!(!String::from_utf8_lossy(&again.stderr).contains("key changed"));

    let other = export("two.key");
    let err = String::from_utf8_lossy(&other.stderr);
    assert_eq!(other.status.code(), Some(1), "{err}");
    let (before, now) = (id("one.key"), id("two.key"));
    assert_ne!(before, now);
    assert!(
        err.contains(&format!("key id {before} before, {now} now")),
        "{err}"
    );
    // the files are written under the new key
    let manifest = std::fs::read_to_string(root.join("pq/_hookstat_pii.json")).unwrap();
    assert!(manifest.contains(&now), "{manifest}");

    // run names it as a problem of the night too
    std::fs::write(
        root.join("run.toml"),
        "database = \"h.duckdb\"\narchives = [\"a.ndjson\"]\nexport_out = \"pq\"\nreports_out = \"rep\"\n",
    )
    .unwrap();
    let run = hookstat()
        .current_dir(root)
        .args(["run", "--config", "run.toml", "--json"])
        .env("HOOKSTAT_PII_KEY_FILE", root.join("one.key"))
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let problems = summary["problems"].to_string();
    assert!(problems.contains("the hash key changed"), "{problems}");
    assert!(summary["export"]["key_changed"].is_string(), "{summary}");
}
