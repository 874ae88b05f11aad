//! JSON conformance through the binary: hand-written RFC 8259 edge cases in
//! `tests/json_cases/{valid,invalid}/*.json`, each used byte for byte as the
//! `uf_payload` value of one event. A valid case's event loads and its
//! `events.payload` reads back as the same JSON value; an invalid case's
//! event is quarantined and costs none of its neighbours. Both as one file
//! per case and as one NDJSON stream with a valid event between every two
//! cases. (`1e999` is valid JSON text that no double holds: hookstat keeps
//! the event, the value becomes NULL with a `number_out_of_range` field
//! issue.)
//!
//! The cases and their events are read and built here; `checks.rs` holds
//! the checks of a loaded database and summary; `corpus.rs` checks the
//! corpus itself, `layouts.rs` loads it one file per case and as one
//! stream.

mod checks;
#[path = "../common/mod.rs"]
mod common;
mod corpus;
mod layouts;

use std::path::{Path, PathBuf};

/// One case file: its stem and exact bytes.
struct Case {
    stem: String,
    bytes: Vec<u8>,
    valid: bool,
}

impl Case {
    fn id(&self) -> String {
        let kind = if self.valid { "v" } else { "i" };
        format!("case-{kind}-{}", self.stem)
    }

    /// How many numbers in the case are out of the f64 range (`1e999`,
    /// `-1e999`): the field issues the event must get.
    fn out_of_range_numbers(&self) -> usize {
        self.bytes.windows(5).filter(|w| w == b"1e999").count()
    }

    fn event(&self) -> Vec<u8> {
        event_bytes(&self.id(), &self.bytes)
    }
}

/// `{"event_id":ID,"event_type":"uf","created_at":…,"uf_payload": CASE}`, by
/// concatenation so the case's bytes stay exactly as written.
fn event_bytes(id: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "{{\"event_id\":\"{id}\",\"event_type\":\"uf\",\"created_at\":\"1753945760\",\"uf_payload\": "
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out.push(b'}');
    out
}

fn neighbour(k: usize) -> Vec<u8> {
    event_bytes(&format!("nb-{k}"), format!("{{\"n\":{k}}}").as_bytes())
}

/// Writes an archived file: modified three days ago, so hookstat treats it
/// as complete (a young file's unfinished last record may still be growing
/// and is left pending rather than quarantined).
fn write_archived(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 24 * 3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(past))
        .unwrap();
}

fn load_cases(kind: &str) -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/json_cases")
        .join(kind);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| Case {
            stem: p.file_stem().unwrap().to_string_lossy().into_owned(),
            bytes: std::fs::read(&p).unwrap(),
            valid: kind == "valid",
        })
        .collect()
}

fn all_cases() -> (Vec<Case>, Vec<Case>) {
    let valid = load_cases("valid");
    let invalid = load_cases("invalid");
    assert!(valid.len() >= 30, "valid cases missing");
    assert!(invalid.len() >= 60, "invalid cases missing");
    (valid, invalid)
}
