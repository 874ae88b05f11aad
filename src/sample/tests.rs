//! Tests of the sample generator: determinism, clean output, coverage of
//! every layout and bad kind, and agreement of the manifest with an
//! independent re-read of the written files.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{write_sample, SampleLayout, SampleManifest, SampleOptions, MANIFEST_FILE};

fn opts(out: &Path, events: usize, seed: u64, layout: SampleLayout, clean: bool) -> SampleOptions {
    SampleOptions {
        out: out.to_path_buf(),
        events,
        seed,
        layout,
        clean,
    }
}

/// All non-hidden files under `dir`, relative, in byte-wise path order.
fn data_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if !path.file_name().unwrap().to_string_lossy().starts_with('.') {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// What an ingester should find, recomputed from the files alone.
#[derive(Debug, Default)]
struct ReadBack {
    m: SampleManifest,
    first: HashMap<String, Value>,
    lines_seen: usize,
}

impl ReadBack {
    fn read(dir: &Path) -> ReadBack {
        let mut rb = ReadBack::default();
        for rel in data_files(dir) {
            let bytes = std::fs::read(dir.join(&rel)).unwrap();
            rb.m.files += 1;
            rb.m.bytes += bytes.len() as u64;
            if rel.starts_with("ndjson/") {
                let text = if rel.ends_with(".gz") {
                    gunzip(&bytes)
                } else {
                    bytes
                };
                let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text);
                for line in text.split(|b| *b == b'\n') {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    if !line.is_empty() {
                        rb.lines_seen += 1;
                        rb.line(&rel, line);
                    }
                }
            } else if rel.starts_with("firehose/") {
                let text = gunzip(&bytes);
                let objects: Vec<Value> = serde_json::Deserializer::from_slice(&text)
                    .into_iter::<Value>()
                    .map(Result::unwrap)
                    .collect();
                assert!(
                    (1..=500).contains(&objects.len()),
                    "{rel}: {}",
                    objects.len()
                );
                objects.into_iter().for_each(|v| rb.valid(&rel, v));
            } else if rel.starts_with("exports/") {
                let arr: Vec<Value> = serde_json::from_slice(&bytes).unwrap();
                arr.into_iter().for_each(|v| rb.valid(&rel, v));
            } else {
                assert!(rel.starts_with("files/"), "unexpected file {rel}");
                rb.valid(&rel, serde_json::from_slice(&bytes).unwrap());
            }
        }
        rb.m.distinct_events = rb.first.len();
        rb
    }

    fn reject(&mut self, reason: &str) {
        *self
            .m
            .rejects_by_reason
            .entry(reason.to_string())
            .or_default() += 1;
    }

    fn line(&mut self, rel: &str, line: &[u8]) {
        let Ok(text) = std::str::from_utf8(line) else {
            return self.reject("invalid_utf8");
        };
        match serde_json::from_str::<Value>(text) {
            Err(e) if e.is_eof() => self.reject("truncated"),
            Err(_) => self.reject("invalid_json"),
            Ok(v) => self.valid(rel, v),
        }
    }

    fn valid(&mut self, rel: &str, v: Value) {
        let Some(obj) = v.as_object() else {
            return self.reject("not_an_object");
        };
        let id = match obj.get("event_id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => return self.reject("missing_event_id"),
        };
        let Some(ty) = obj
            .get("event_type")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return self.reject("missing_event_type");
        };
        self.m.deliveries += 1;
        if let Some(first) = self.first.get(&id) {
            self.m.duplicate_deliveries += 1;
            self.m.conflicting_duplicates += usize::from(*first != v);
            return;
        }
        check_first_delivery_path(rel, &v);
        *self.m.events_by_type.entry(ty).or_default() += 1;
        if let Some(p) = v.get("cmb_payload") {
            for (field, problem) in field_issues(p) {
                *self
                    .m
                    .field_issues_by_problem
                    .entry(problem.to_string())
                    .or_default() += 1;
                *self
                    .m
                    .field_issues_by_field
                    .entry(field.to_string())
                    .or_default() += 1;
            }
        }
        self.first.insert(id, v);
    }
}

fn epoch_of(v: &Value) -> i64 {
    match v {
        Value::String(s) => s.parse().unwrap(),
        other => other.as_i64().unwrap(),
    }
}

/// A first delivery in a dated NDJSON file or day folder sits in the file of
/// its `created_at` UTC date (repeats come later, never first).
fn check_first_delivery_path(rel: &str, v: &Value) {
    let created = chrono::DateTime::from_timestamp(epoch_of(&v["created_at"]), 0).unwrap();
    let ymd = created.format("%Y-%m-%d").to_string();
    if rel.starts_with("ndjson/") {
        assert!(rel.starts_with(&format!("ndjson/{ymd}")), "{rel} vs {ymd}");
    } else if rel.starts_with("files/") {
        assert!(
            rel.starts_with(&format!("files/{}", ymd.replace('-', "/"))),
            "{rel} vs {ymd}"
        );
    }
}

/// Field issues of a cmb payload; documented drift is never an issue.
fn field_issues(p: &Value) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if let Some(Value::String(d)) = p.get("requested_date") {
        let ok = d.is_empty() || d == "NA" || {
            let parts: Vec<&str> = d.split('-').collect();
            parts.len() == 3
                && chrono::NaiveDate::from_ymd_opt(
                    parts[0].parse().unwrap_or(0),
                    parts[1].parse().unwrap_or(0),
                    parts[2].parse().unwrap_or(0),
                )
                .is_some()
        };
        if !ok {
            out.push(("requested_date", "not_a_date"));
        }
    }
    for f in ["requested_at", "preferred_from_time", "preferred_to_time"] {
        let ok = match p.get(f) {
            None | Some(Value::Null) | Some(Value::Number(_)) => true,
            Some(Value::String(s)) => s.is_empty() || s.bytes().all(|b| b.is_ascii_digit()),
            Some(_) => false,
        };
        if !ok {
            out.push((f, "not_a_timestamp"));
        }
    }
    let ok = match p.get("is_interested") {
        None | Some(Value::Bool(_)) => true,
        Some(Value::String(s)) => s == "true" || s == "false",
        Some(_) => false,
    };
    if !ok {
        out.push(("is_interested", "not_a_boolean"));
    }
    out
}

fn assert_matches(dir: &Path, m: &SampleManifest) -> ReadBack {
    let rb = ReadBack::read(dir);
    let mut expect = m.clone();
    (expect.seed, expect.layout, expect.clean) = Default::default();
    assert_eq!(rb.m, expect);
    let stored: SampleManifest =
        serde_json::from_slice(&std::fs::read(dir.join(MANIFEST_FILE)).unwrap()).unwrap();
    assert_eq!(&stored, m);
    rb
}

#[test]
fn same_seed_same_bytes_other_seed_differs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    let ma = write_sample(&opts(a.path(), 700, 42, SampleLayout::Mixed, false)).unwrap();
    let mb = write_sample(&opts(b.path(), 700, 42, SampleLayout::Mixed, false)).unwrap();
    let mc = write_sample(&opts(c.path(), 700, 43, SampleLayout::Mixed, false)).unwrap();
    assert_eq!(ma, mb);
    let files = data_files(a.path());
    assert_eq!(files, data_files(b.path()));
    for f in &files {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
    let same_c = files == data_files(c.path())
        && files.iter().all(|f| {
            std::fs::read(a.path().join(f)).unwrap() == std::fs::read(c.path().join(f)).unwrap()
        });
    assert!(!same_c);
    assert_ne!(ma.bytes, mc.bytes);
}

#[test]
fn clean_ndjson_is_all_good_lines() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_sample(&opts(dir.path(), 3000, 7, SampleLayout::Ndjson, true)).unwrap();
    assert_eq!(
        (m.deliveries, m.distinct_events, m.duplicate_deliveries),
        (3000, 3000, 0)
    );
    assert!(m.rejects_by_reason.is_empty() && m.field_issues_by_problem.is_empty());
    let files = data_files(dir.path());
    assert_eq!(files.len(), 30);
    let mut lines = 0;
    for f in &files {
        assert!(
            f.starts_with("ndjson/2025-08-") && f.ends_with(".ndjson"),
            "{f}"
        );
        let bytes = std::fs::read(dir.path().join(f)).unwrap();
        assert!(!bytes.contains(&b'\r') && bytes.ends_with(b"\n"));
        for line in std::str::from_utf8(&bytes).unwrap().lines() {
            let v: Value = serde_json::from_str(line).unwrap();
            assert!(v["event_id"].as_str().is_some_and(|s| s.len() == 36));
            assert!(v["created_at"].is_string());
            if let Some(p) = v.get("cmb_payload") {
                assert!(p["is_interested"].is_boolean());
                for (k, val) in p.as_object().unwrap() {
                    assert!(val.is_string() || k == "is_interested", "{k}: {val}");
                }
            }
            lines += 1;
        }
    }
    assert_eq!(lines, 3000);
    let rb = assert_matches(dir.path(), &m);
    assert_eq!(rb.m.events_by_type.values().sum::<usize>(), 3000);
    assert!(m.events_by_type["cmb"] > 2400 && m.events_by_type["uf"] > 300);
}

#[test]
fn mixed_has_every_layout_and_bad_kind() {
    let dir = tempfile::tempdir().unwrap();
    let m = write_sample(&opts(dir.path(), 1000, 1, SampleLayout::Mixed, false)).unwrap();
    let files = data_files(dir.path());
    let has = |pred: &dyn Fn(&str) -> bool| files.iter().any(|f| pred(f));
    assert!(has(
        &|f| f.starts_with("files/2025/08/") && f.ends_with(".json")
    ));
    assert!(has(
        &|f| f.starts_with("ndjson/2025-08-") && f.ends_with(".ndjson")
    ));
    assert!(has(&|f| f.ends_with(".jsonl")));
    assert!(has(&|f| f.ends_with(".ndjson.gz")));
    assert!(has(
        &|f| f.starts_with("firehose/2025/08/") && f.contains("/hooks-")
    ));
    assert!(has(&|f| f.starts_with("exports/export-2025-08-")));
    assert!(files.iter().filter(|f| f.starts_with("firehose/")).count() > 10);
    assert_eq!(
        std::fs::metadata(dir.path().join("ndjson/empty.ndjson"))
            .unwrap()
            .len(),
        0
    );
    let bom = std::fs::read(dir.path().join("ndjson/2025-08-05.ndjson")).unwrap();
    assert!(bom.starts_with(b"\xef\xbb\xbf"));
    let half = std::fs::read(dir.path().join("ndjson/2025-08-13.ndjson")).unwrap();
    assert!(half.ends_with(b",") && !half.ends_with(b"\n"));
    let crlf = files.iter().find(|f| f.ends_with(".jsonl")).unwrap();
    assert!(std::fs::read(dir.path().join(crlf))
        .unwrap()
        .ends_with(b"\r\n"));
    for reason in [
        "truncated",
        "invalid_json",
        "invalid_utf8",
        "not_an_object",
        "missing_event_id",
        "missing_event_type",
    ] {
        assert!(
            m.rejects_by_reason.get(reason).copied().unwrap_or(0) >= 1,
            "{reason}"
        );
    }
    for problem in ["not_a_date", "not_a_timestamp", "not_a_boolean"] {
        assert!(
            m.field_issues_by_problem.get(problem).copied().unwrap_or(0) >= 1,
            "{problem}"
        );
    }
    assert!(m.conflicting_duplicates >= 1 && m.duplicate_deliveries > 40);
    assert_eq!(m.distinct_events, 1000);
    let rejects: usize = m.rejects_by_reason.values().sum();
    assert!(
        rejects >= 7 && rejects * 100 < (m.deliveries + rejects) * 2,
        "{rejects}"
    );
    assert_matches(dir.path(), &m);
}

#[test]
fn manifest_agrees_with_reread_for_all_layouts() {
    for (layout, clean, n, seed) in [
        (SampleLayout::Mixed, false, 2500, 3),
        (SampleLayout::Mixed, true, 500, 4),
        (SampleLayout::Ndjson, false, 1500, 5),
        (SampleLayout::Files, false, 400, 6),
        (SampleLayout::Files, true, 300, 7),
        (SampleLayout::Mixed, false, 5, 8),
        (SampleLayout::Mixed, false, 0, 9),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let m = write_sample(&opts(dir.path(), n, seed, layout, clean)).unwrap();
        assert_eq!(m.distinct_events, n, "{layout:?}");
        assert_eq!(m.layout, layout.name());
        assert_matches(dir.path(), &m);
        if layout == SampleLayout::Files {
            assert_eq!(m.files, m.deliveries);
            assert!(m.rejects_by_reason.is_empty());
        }
    }
}

#[test]
fn creates_missing_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("a/b/sample");
    let m = write_sample(&opts(&out, 50, 1, SampleLayout::Ndjson, true)).unwrap();
    assert!(out.join(MANIFEST_FILE).is_file());
    assert_eq!(m.deliveries, 50);
    let kinds: BTreeSet<_> = m.events_by_type.keys().cloned().collect();
    assert!(kinds.contains("cmb"));
}
