//! JSON conformance through the binary: hand-written RFC 8259 edge cases in
//! `tests/json_cases/{valid,invalid}/*.json`, each used byte for byte as the
//! `uf_payload` value of one event. A valid case's event loads and its
//! `events.payload` reads back as the same JSON value; an invalid case's
//! event is quarantined and costs none of its neighbours. Both as one file
//! per case and as one NDJSON stream with a valid event between every two
//! cases. (`1e999` is valid JSON text that no double holds: hookstat keeps
//! the event, the value becomes NULL with a `number_out_of_range` field
//! issue.)

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

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

/// A count from the `--json` summary (top level, or under `counts`).
fn count(summary: &Value, key: &str) -> i64 {
    summary
        .get("counts")
        .and_then(|c| c.get(key))
        .or_else(|| summary.get(key))
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("summary has no integer {key}: {summary}"))
}

fn str_of<'a>(row: &'a Value, col: &str) -> &'a str {
    row[col].as_str().unwrap_or("")
}

/// Checks shared by both layouts: valid events read back equal, 1e999
/// events keep their text and get field issues, invalid events are absent.
/// Returns human-readable failures.
fn check_events(
    db: &Path,
    valid: &[Case],
    invalid: &[Case],
    extra: &[(String, Vec<u8>)],
) -> Vec<String> {
    let mut failures = Vec::new();
    let payloads: BTreeMap<String, String> = query(
        db,
        "SELECT event_id, payload::VARCHAR AS p FROM events ORDER BY event_id",
    )
    .iter()
    .map(|r| {
        (
            str_of(r, "event_id").to_string(),
            str_of(r, "p").to_string(),
        )
    })
    .collect();
    let mut expected_ids = BTreeSet::new();
    let expected = valid
        .iter()
        .map(|c| (c.id(), c.event(), c.out_of_range_numbers()))
        .chain(
            extra
                .iter()
                .map(|(id, bytes)| (id.clone(), bytes.clone(), 0)),
        );
    for (id, bytes, huge) in expected {
        expected_ids.insert(id.clone());
        let Some(text) = payloads.get(&id) else {
            failures.push(format!("{id}: valid event did not load"));
            continue;
        };
        if huge > 0 {
            if !text.contains("1e999") {
                failures.push(format!("{id}: payload lost the 1e999 text: {text}"));
            }
            continue;
        }
        let want: Value = serde_json::from_slice(&bytes).expect("valid case parses");
        match serde_json::from_str::<Value>(text) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{id}: payload differs: got {got} want {want}")),
            Err(e) => failures.push(format!("{id}: payload is not JSON ({e}): {text}")),
        }
    }
    for c in invalid {
        if payloads.contains_key(&c.id()) {
            failures.push(format!("{}: invalid case loaded as an event", c.id()));
        }
    }
    for id in payloads.keys() {
        if !expected_ids.contains(id) && !invalid.iter().any(|c| &c.id() == id) {
            failures.push(format!("unexpected event {id}"));
        }
    }

    // number_out_of_range: exactly the 1e999 values, nowhere else
    let issues = query(
        db,
        "SELECT event_id, count(*) AS n FROM field_issues WHERE problem = 'number_out_of_range' GROUP BY 1",
    );
    let issues: BTreeMap<String, i64> = issues
        .iter()
        .map(|r| {
            (
                str_of(r, "event_id").to_string(),
                r["n"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    for c in valid {
        let want = c.out_of_range_numbers() as i64;
        let got = issues.get(&c.id()).copied().unwrap_or(0);
        if got != want {
            failures.push(format!(
                "{}: {got} number_out_of_range field issues, want {want}",
                c.id()
            ));
        }
    }
    let huge: Vec<&Case> = valid
        .iter()
        .filter(|c| c.out_of_range_numbers() > 0)
        .collect();
    if !huge.is_empty() {
        let ids: Vec<String> = huge.iter().map(|c| format!("'{}'", c.id())).collect();
        let rows = query(
            db,
            &format!(
                "SELECT * FROM uf_events WHERE event_id IN ({})",
                ids.join(", ")
            ),
        );
        for c in &huge {
            let Some(row) = rows.iter().find(|r| str_of(r, "event_id") == c.id()) else {
                failures.push(format!("{}: no uf_events row", c.id()));
                continue;
            };
            if row.get("huge_number").is_some_and(|v| !v.is_null()) {
                failures.push(format!(
                    "{}: huge_number should be NULL, is {}",
                    c.id(),
                    row["huge_number"]
                ));
            }
            if c.stem == "number_1e999_in_object" && row.get("ok") != Some(&Value::from(1)) {
                failures.push(format!(
                    "{}: the in-range key `ok` should be 1: {row}",
                    c.id()
                ));
            }
        }
    }
    failures
}

fn summary_checks(s: &Value, inserted: usize, min_rejected: usize) -> Vec<String> {
    let mut failures = Vec::new();
    let (records, ins, dup, rej) = (
        count(s, "records"),
        count(s, "inserted"),
        count(s, "duplicates"),
        count(s, "rejected"),
    );
    if records != ins + dup + rej {
        failures.push(format!(
            "records {records} != inserted {ins} + duplicates {dup} + rejected {rej}"
        ));
    }
    if ins != inserted as i64 {
        failures.push(format!("inserted {ins}, want {inserted}"));
    }
    if dup != 0 {
        failures.push(format!("duplicates {dup}, want 0"));
    }
    if rej < min_rejected as i64 {
        failures.push(format!("rejected {rej}, want at least {min_rejected}"));
    }
    failures
}

fn report(what: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{what}: {} failures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// How many numbers in `v` no double holds.
fn beyond_double(v: &Value) -> usize {
    match v {
        Value::Number(n) => usize::from(n.as_f64().is_none()),
        Value::Array(items) => items.iter().map(beyond_double).sum(),
        Value::Object(map) => map.values().map(beyond_double).sum(),
        _ => 0,
    }
}

/// The corpus is what it claims, judged by serde_json alone (not hookstat).
#[test]
fn case_corpus_is_what_it_claims() {
    let (valid, invalid) = all_cases();
    let mut failures = Vec::new();
    for c in &valid {
        if c.out_of_range_numbers() > 0 {
            // serde_json keeps each number's text: it parses, no double holds it
            match serde_json::from_slice::<Value>(&c.bytes) {
                Ok(v) if beyond_double(&v) == c.out_of_range_numbers() => {}
                other => failures.push(format!("{}: 1e999 case is {other:?}", c.stem)),
            }
            let tame = String::from_utf8(c.bytes.clone())
                .unwrap()
                .replace("1e999", "0");
            match serde_json::from_str::<Value>(&tame) {
                Ok(v) if beyond_double(&v) == 0 => {}
                other => failures.push(format!("{}: apart from 1e999: {other:?}", c.stem)),
            }
            continue;
        }
        if let Err(e) = serde_json::from_slice::<Value>(&c.bytes) {
            failures.push(format!("valid/{}: does not parse: {e}", c.stem));
        }
        match serde_json::from_slice::<Value>(&c.event()) {
            Ok(Value::Object(o)) if o["event_id"] == c.id().as_str() => {}
            other => failures.push(format!("valid/{}: event is {other:?}", c.stem)),
        }
    }
    for c in &invalid {
        if serde_json::from_slice::<Value>(&c.bytes).is_ok() {
            failures.push(format!("invalid/{}: parses", c.stem));
        }
        if serde_json::from_slice::<Value>(&c.event()).is_ok() {
            failures.push(format!("invalid/{}: its event parses", c.stem));
        }
        // an envelope start inside a broken case would make resynchronising
        // on it legitimate: keep the corpus free of that ambiguity
        if c.bytes.windows(11).any(|w| w == b"{\"event_id\"") {
            failures.push(format!("invalid/{}: contains an envelope start", c.stem));
        }
    }
    // every escape of RFC 8259 section 7 and the other required forms occur
    let all_valid: Vec<u8> = valid.iter().flat_map(|c| c.bytes.clone()).collect();
    let has = |needle: &[u8]| all_valid.windows(needle.len()).any(|w| w == needle);
    for needle in [
        &br#"\""#[..],
        br"\\",
        br"\/",
        br"\b",
        br"\f",
        br"\n",
        br"\r",
        br"\t",
        br"\u00e9",
        br"\ud83d\ude00",
        b"-0",
        b"1.5e10",
        b"1E-7",
        b"123456789012345678901234567890",
        b"1e999",
        b"{}",
        b"[]",
        "😀".as_bytes(),
        "कॉल".as_bytes(),
        b"\t",
        b"\r",
        b"\n",
        b" ",
    ] {
        if !has(needle) {
            failures.push(format!(
                "no valid case contains {}",
                String::from_utf8_lossy(needle)
            ));
        }
    }
    let depth = |c: &Case| {
        let (mut d, mut max) = (0i32, 0i32);
        for &b in &c.bytes {
            match b {
                b'[' | b'{' => {
                    d += 1;
                    max = max.max(d);
                }
                b']' | b'}' => d -= 1,
                _ => {}
            }
        }
        max
    };
    assert!(
        valid.iter().any(|c| depth(c) >= 20),
        "no case nests 20 deep"
    );
    report("corpus", failures);
}

/// (a) One pretty file per case, all in one folder.
#[test]
fn one_file_per_case() {
    let (valid, invalid) = all_cases();
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("cases");
    std::fs::create_dir_all(&arc).unwrap();
    for c in valid.iter().chain(&invalid) {
        write_archived(&arc.join(format!("{}.json", c.id())), &c.event());
    }
    let db = dir.path().join("h.duckdb");
    let (code, s, out) = ingest(&db, &[&arc], &[]);
    assert_eq!(
        code,
        0,
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut failures = summary_checks(&s, valid.len(), invalid.len());
    failures.extend(check_events(&db, &valid, &invalid, &[]));

    // rejects by file: every invalid file has one, no valid file has any
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in query(&db, "SELECT source_file, reason FROM rejects") {
        let file = Path::new(str_of(&r, "source_file"))
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        reasons
            .entry(file)
            .or_default()
            .push(str_of(&r, "reason").to_string());
    }
    for c in &invalid {
        match reasons.get(&c.id()) {
            None => failures.push(format!("{}: no reject", c.id())),
            Some(r) if c.stem.starts_with("utf8_") && !r.iter().any(|x| x == "invalid_utf8") => {
                failures.push(format!("{}: rejected as {r:?}, want invalid_utf8", c.id()))
            }
            Some(_) => {}
        }
    }
    for c in &valid {
        if let Some(r) = reasons.get(&c.id()) {
            failures.push(format!("{}: valid case has rejects {r:?}", c.id()));
        }
    }
    report("one file per case", failures);
}

/// (b) One NDJSON stream: a valid neighbour event before and after every
/// case (cases with line breaks between tokens span several lines).
#[test]
fn ndjson_stream_with_neighbours() {
    let (valid, invalid) = all_cases();
    // interleave valid and invalid cases so each kind follows the other
    let mut order: Vec<&Case> = Vec::new();
    let (mut v, mut i) = (valid.iter(), invalid.iter());
    loop {
        match (v.next(), i.next()) {
            (None, None) => break,
            (a, b) => order.extend(a.into_iter().chain(b)),
        }
    }
    let mut bytes = Vec::new();
    let mut neighbours = Vec::new();
    let nb = |k: usize, bytes: &mut Vec<u8>, neighbours: &mut Vec<(String, Vec<u8>)>| {
        let e = neighbour(k);
        bytes.extend_from_slice(&e);
        bytes.push(b'\n');
        neighbours.push((format!("nb-{k}"), e));
    };
    nb(0, &mut bytes, &mut neighbours);
    for (k, c) in order.iter().enumerate() {
        bytes.extend_from_slice(&c.event());
        bytes.push(b'\n');
        nb(k + 1, &mut bytes, &mut neighbours);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.ndjson");
    write_archived(&file, &bytes);
    let db = dir.path().join("h.duckdb");
    let (code, s, out) = ingest(&db, &[&file], &[]);
    assert_eq!(
        code,
        0,
        "ingest failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut failures = summary_checks(&s, valid.len() + neighbours.len(), invalid.len());
    failures.extend(check_events(&db, &valid, &invalid, &neighbours));

    // every invalid case left a reject that starts with its own event
    let raws: Vec<String> = query(&db, "SELECT raw FROM rejects")
        .iter()
        .map(|r| str_of(r, "raw").to_string())
        .collect();
    for c in &invalid {
        let head = format!("\"event_id\":\"{}\"", c.id());
        if !raws.iter().any(|r| r.contains(&head)) {
            failures.push(format!("{}: no reject holds its event", c.id()));
        }
    }
    report("NDJSON stream", failures);
}
