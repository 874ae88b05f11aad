//! (c) Archives the test frames itself: a sequence of records of known
//! kinds (new events, byte-identical and changed re-deliveries, records
//! that are not objects, lack an id or a type, are not JSON or not UTF-8),
//! written one per line with LF or CRLF, blank lines, two valid events
//! glued on one line, a byte-order mark, a half-written last line, or the
//! whole file gzipped. The test counts what its own input holds; the
//! summary of `hookstat ingest` must give the same records, inserted,
//! duplicates, conflicts, rejects by reason and pending bytes. (The record
//! balance alone holds by construction of the counters.)

use std::collections::BTreeMap;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde_json::json;

use super::common::*;
use super::{count, escaped, failure_file, fuzz, gzip, ingest_case};

/// One record of the archive, as the test means it.
#[derive(Debug, Clone)]
enum Record {
    /// An event with an id not seen before.
    New,
    /// An earlier event again (the `at`-th id so far), the same bytes or a
    /// changed payload.
    Again { at: Index, changed: bool },
    /// A JSON value that is not an object: `not_an_object`.
    NotAnObject(u8),
    /// An object without `event_id`: `missing_event_id`.
    NoId,
    /// An object without `event_type`: `missing_event_type`.
    NoType,
    /// A closed object that is not JSON: `invalid_json`.
    NotJson,
    /// An object with a byte that is not UTF-8: `invalid_utf8`.
    NotUtf8,
}

fn record() -> impl Strategy<Value = Record> {
    prop_oneof![
        6 => Just(Record::New),
        3 => (any::<Index>(), any::<bool>()).prop_map(|(at, changed)| Record::Again { at, changed }),
        1 => any::<u8>().prop_map(Record::NotAnObject),
        1 => Just(Record::NoId),
        1 => Just(Record::NoType),
        1 => Just(Record::NotJson),
        1 => Just(Record::NotUtf8),
    ]
}

/// How the records are written.
#[derive(Debug, Clone)]
struct Layout {
    records: Vec<Record>,
    crlf: bool,
    /// Per record: a blank line after it.
    blank: Vec<bool>,
    /// Per record: glued to the next one on the same line (only between
    /// two events, with or without a space).
    glue: Vec<Option<bool>>,
    bom: bool,
    /// A half-written event at the end (plain files only: pending).
    tail: bool,
    gzipped: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (vec(record(), 0..40), any::<[bool; 4]>()).prop_flat_map(|(records, [crlf, bom, tail, gz])| {
        let n = records.len();
        (
            vec(prop::bool::weighted(0.1), n),
            vec(prop::option::weighted(0.15, any::<bool>()), n),
        )
            .prop_map(move |(blank, glue)| Layout {
                records: records.clone(),
                crlf,
                blank,
                glue,
                bom,
                tail: tail && !gz,
                gzipped: gz,
            })
    })
}

/// What the test counted in its own input.
#[derive(Debug, Default, PartialEq)]
struct Counted {
    records: i64,
    inserted: i64,
    duplicates: i64,
    conflicts: i64,
    rejected: BTreeMap<String, i64>,
    pending: i64,
}

/// The bytes of one record, and what it counts as.
fn bytes_of(record: &Record, ids: &mut Vec<String>, counted: &mut Counted) -> (Vec<u8>, bool) {
    let reject = |counted: &mut Counted, reason: &str| {
        *counted.rejected.entry(reason.to_string()).or_default() += 1;
    };
    let event = |id: &str, changed: bool| cmb_event(id, "Spring", !changed).into_bytes();
    let out = match record {
        Record::Again { at, changed } if !ids.is_empty() => {
            counted.duplicates += 1;
            counted.conflicts += i64::from(*changed);
            return (event(&ids[at.index(ids.len())], *changed), true);
        }
        Record::New | Record::Again { .. } => {
            let id = format!("ev-{}", ids.len());
            ids.push(id.clone());
            counted.inserted += 1;
            return (event(&id, false), true);
        }
        Record::NotAnObject(n) => {
            reject(counted, "not_an_object");
            match n % 4 {
                0 => json!("hello").to_string(),
                1 => json!(n).to_string(),
                2 => "null".to_string(),
                _ => "true".to_string(),
            }
            .into_bytes()
        }
        Record::NoId => {
            reject(counted, "missing_event_id");
            br#"{"event_type":"uf","uf_payload":{"a":1}}"#.to_vec()
        }
        Record::NoType => {
            reject(counted, "missing_event_type");
            br#"{"event_id":"no-type","uf_payload":{"a":1}}"#.to_vec()
        }
        Record::NotJson => {
            reject(counted, "invalid_json");
            br#"{"event_id":"bad","event_type":"uf" "x"}"#.to_vec()
        }
        Record::NotUtf8 => {
            reject(counted, "invalid_utf8");
            b"{\"event_id\":\"u\xff\",\"event_type\":\"uf\"}".to_vec()
        }
    };
    (out, false)
}

/// The archive's bytes and what the test counted in them.
fn write(layout: &Layout) -> (Vec<u8>, Counted) {
    let newline: &[u8] = if layout.crlf { b"\r\n" } else { b"\n" };
    let mut counted = Counted::default();
    let mut ids = Vec::new();
    let mut out: Vec<u8> = if layout.bom {
        b"\xef\xbb\xbf".to_vec()
    } else {
        Vec::new()
    };
    let written: Vec<(Vec<u8>, bool)> = layout
        .records
        .iter()
        .map(|r| bytes_of(r, &mut ids, &mut counted))
        .collect();
    counted.records = written.len() as i64;
    for (i, (bytes, is_event)) in written.iter().enumerate() {
        out.extend_from_slice(bytes);
        let next_is_event = written.get(i + 1).is_some_and(|n| n.1);
        match layout.glue[i] {
            Some(space) if *is_event && next_is_event => {
                out.extend_from_slice(if space { b" " } else { b"" });
                continue;
            }
            _ => out.extend_from_slice(newline),
        }
        if layout.blank[i] {
            out.extend_from_slice(newline);
        }
    }
    if layout.tail {
        let half = cmb_event("half-written", "Spring", true);
        let half = &half.as_bytes()[..half.len() / 2];
        out.extend_from_slice(half);
        counted.pending = half.len() as i64;
    }
    if layout.gzipped {
        out = gzip(&out);
    }
    (out, counted)
}

/// (c) The summary counts exactly the records the input holds.
#[test]
fn the_summary_counts_what_the_input_holds() {
    fuzz("framing", layout(), |layout| {
        let (bytes, want) = write(&layout);
        let (_dir, _db, s) = ingest_case("framing", &bytes)?;
        let got = Counted {
            records: count(&s, "records").unwrap_or(-1),
            inserted: count(&s, "inserted").unwrap_or(-1),
            duplicates: count(&s, "duplicates").unwrap_or(-1),
            conflicts: count(&s, "conflicts").unwrap_or(-1),
            rejected: s["rejected_by_reason"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(-1)))
                        .collect()
                })
                .unwrap_or_default(),
            pending: count(&s, "pending_bytes").unwrap_or(-1),
        };
        if got == want {
            return Ok(());
        }
        let _ = std::fs::write(failure_file("framing"), &bytes);
        Err(TestCaseError::fail(format!(
            "the summary does not count what the input holds\n  want {want:?}\n  got  {got:?}\n  input: {}",
            escaped(&bytes, 1500)
        )))
    });
}
