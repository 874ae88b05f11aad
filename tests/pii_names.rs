//! A phone number in a name: an event type such as `survey_9876543210`
//! names a table and fills `events.event_type`. Through the binary, no
//! output carries the number raw (export folders, manifests, Parquet
//! values, `run --json`, the page, the digest mail), the names take the
//! keyed hash the test computes from the key file, and a folder an
//! earlier export wrote under the raw name is removed.

#[path = "common/mod.rs"]
mod common;

use std::path::Path;

use common::pii::{hmac_hex, read_key_file};
use common::{cmb_event, export, hookstat, ndjson, parquet, query, test_key_file};
use serde_json::{json, Value};

const NUMBER: &str = "9876543210";
/// The event type: a survey named after a user's number.
const TYPE: &str = "survey_9876543210";

/// Night `night`'s file: Call Me Back events and three surveys; the
/// second night's surveys carry a field the first did not (a new column,
/// named in "What changed tonight" by its JSON path).
fn night(dir: &Path, night: usize) {
    let mut lines: Vec<String> = (0..6)
        .map(|i| cmb_event(&format!("c{night}-{i}"), "Evening", i % 2 == 0))
        .collect();
    for i in 0..3 {
        let mut payload = json!({"q": "yes"});
        if night == 2 {
            payload["extra"] = json!("more");
        }
        lines.push(
            json!({
                "event_id": format!("s{night}-{i}"),
                "client_account_id": "91c173bb-28d8-4030-9722-8663ff9589f3",
                "event_type": TYPE,
                "created_at": "1753945760",
                "survey_9876543210_payload": payload
            })
            .to_string(),
        );
    }
    std::fs::create_dir_all(dir.join("arch")).unwrap();
    std::fs::write(
        dir.join(format!("arch/night{night}.ndjson")),
        ndjson(&lines),
    )
    .unwrap();
}

fn archive(dir: &Path) {
    night(dir, 1);
    std::fs::write(
        dir.join("run.toml"),
        "database = \"h.duckdb\"\narchives = [\"arch\"]\nreports_out = \"rep\"\nexport_out = \"pq\"\n\
         [mail]\nfrom = \"hookstat <r@example.com>\"\nto = [\"m@example.com\"]\n",
    )
    .unwrap();
}

/// Every file under `dir` (names and contents) without the raw number.
fn assert_no_number(dir: &Path) {
    for entry in walk(dir) {
        let name = entry.to_string_lossy().into_owned();
        assert!(!name.contains(NUMBER), "raw number in the name {name}");
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(NUMBER), "raw number in {name}");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.push(p.clone());
            out.extend(walk(&p).into_iter().filter(|f| f.is_file()));
        } else {
            out.push(p);
        }
    }
    out.into_iter().filter(|p| p.is_file()).collect()
}

#[test]
fn a_number_in_an_event_type_leaves_no_output_raw() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    archive(root);
    let db = root.join("h.duckdb");
    // an earlier export that kept numbers wrote the raw name
    let o = hookstat()
        .current_dir(root)
        .args(["run", "--config", "run.toml", "--json", "--mail-dry-run"])
        .args(["--pii", "keep"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(root.join("pq").join(format!("{TYPE}_events")).is_dir());

    night(root, 2);
    let o = hookstat()
        .current_dir(root)
        .args(["run", "--config", "run.toml", "--json", "--mail-dry-run"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(!stdout.contains(NUMBER), "raw number in run --json");
    assert!(!String::from_utf8_lossy(&o.stderr).contains(NUMBER));

    let key = read_key_file(&test_key_file()).unwrap();
    let hash = hmac_hex(&key.bytes, &format!("91{NUMBER}"));
    let name = format!("survey_phone_{}", &hash[..16]);
    let summary: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(summary["ingest"]["inserted_by_type"][&name], 3, "{stdout}");
    let folders: Vec<String> = std::fs::read_dir(root.join("pq"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(folders.contains(&format!("{name}_events")), "{folders:?}");
    assert!(
        !folders.contains(&format!("{TYPE}_events")),
        "the raw-named folder of the earlier export stays: {folders:?}"
    );
    assert_no_number(&root.join("pq"));
    assert_no_number(&root.join("rep").join("latest"));
    let page = std::fs::read_to_string(root.join("rep/latest/index.html")).unwrap();
    // What changed tonight: the new column's table (a name) and JSON path
    // (text), each protected
    assert!(page.contains(&format!("{name}_events.extra")), "no table");
    let path = format!("$.survey_[phone:{}]_payload.extra", &hash[..16]);
    assert!(page.contains(&path), "no path {path}");

    // the value of events.event_type, read back from the Parquet
    let types = query(
        &db,
        &format!(
            "SELECT DISTINCT event_type FROM {} ORDER BY 1",
            parquet(&root.join("pq"), "events")
        ),
    );
    let want = format!("survey_[phone:{}]", &hash[..16]);
    let got: Vec<&str> = types
        .iter()
        .filter_map(|r| r["event_type"].as_str())
        .collect();
    assert_eq!(got, ["cmb", want.as_str()], "{types:?}");
    // and an export on its own agrees
    let again = export(&db, &root.join("pq2"), &[]);
    assert_eq!(again["tables"], summary["export"]["tables"], "{again}");
    assert_no_number(&root.join("pq2"));
}
