//! (b) Mutations of a valid 20-event NDJSON archive: damage to some lines
//! never costs the lines around it.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

use super::common::*;
use super::{escaped, failure_file, fuzz, ingest_case};

/// One edit of the archive; positions are fractions of the current length.
#[derive(Debug, Clone)]
enum Op {
    Flip { at: Index, mask: u8 },
    Insert { at: Index, bytes: Vec<u8> },
    Delete { at: Index, len: usize },
    Cut { at: Index },
    Duplicate { from: Index, len: usize, to: Index },
    Nul { at: Index },
    Newline { at: Index },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (any::<Index>(), 1u8..=255).prop_map(|(at, mask)| Op::Flip { at, mask }),
        2 => (any::<Index>(), vec(any::<u8>(), 1..8)).prop_map(|(at, bytes)| Op::Insert { at, bytes }),
        2 => (any::<Index>(), 1usize..64).prop_map(|(at, len)| Op::Delete { at, len }),
        1 => any::<Index>().prop_map(|at| Op::Cut { at }),
        2 => (any::<Index>(), 1usize..600, any::<Index>())
            .prop_map(|(from, len, to)| Op::Duplicate { from, len, to }),
        1 => any::<Index>().prop_map(|at| Op::Nul { at }),
        1 => any::<Index>().prop_map(|at| Op::Newline { at }),
    ]
}

/// A byte of the mutated file and the offset it had in the original
/// (`None` for new or changed bytes).
type Tagged = (u8, Option<usize>);

fn insert(v: &mut Vec<Tagged>, at: &Index, bytes: &[u8]) {
    let i = at.index(v.len() + 1);
    v.splice(i..i, bytes.iter().map(|&b| (b, None)));
}

fn apply(original: &[u8], ops: &[Op]) -> Vec<Tagged> {
    let mut v: Vec<Tagged> = original
        .iter()
        .enumerate()
        .map(|(i, &b)| (b, Some(i)))
        .collect();
    for op in ops {
        let len = v.len();
        match op {
            Op::Flip { at, mask } if len > 0 => {
                let i = at.index(len);
                v[i] = (v[i].0 ^ mask, None);
            }
            Op::Insert { at, bytes } => insert(&mut v, at, bytes),
            Op::Delete { at, len: n } if len > 0 => {
                let i = at.index(len);
                v.drain(i..(i + n).min(len));
            }
            Op::Cut { at } => v.truncate(at.index(len + 1)),
            Op::Duplicate { from, len: n, to } if len > 0 => {
                let i = from.index(len);
                let copy: Vec<u8> = v[i..(i + n).min(len)].iter().map(|t| t.0).collect();
                insert(&mut v, to, &copy);
            }
            Op::Nul { at } => insert(&mut v, at, b"\0"),
            Op::Newline { at } => insert(&mut v, at, b"\n"),
            _ => {}
        }
    }
    v
}

/// The original archive: 20 Call Me Back events, one per line, LF or CRLF.
/// Returns the bytes and each line's (event_id, offsets incl. line break).
fn archive(crlf: bool) -> (Vec<u8>, Vec<(String, std::ops::Range<usize>)>) {
    let mut bytes = Vec::new();
    let mut lines = Vec::new();
    for i in 0..20 {
        let id = format!("ev-{i:02}");
        let config = ["Diwali 🎉", "कॉल बैक ऑफ़र", "Spring"][i % 3];
        let start = bytes.len();
        bytes.extend(cmb_event(&id, config, i % 2 == 0).into_bytes());
        bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        lines.push((id, start..bytes.len()));
    }
    (bytes, lines)
}

/// Original lines that came through byte-identical, with their own line
/// break, and preceded by a line break or the start of the file.
fn survivors(out: &[Tagged], lines: &[(String, std::ops::Range<usize>)]) -> Vec<String> {
    let mut pos = std::collections::HashMap::new();
    for (p, t) in out.iter().enumerate() {
        if let Some(o) = t.1 {
            pos.insert(o, p);
        }
    }
    lines
        .iter()
        .filter(|(_, r)| {
            let Some(&p) = pos.get(&r.start) else {
                return false;
            };
            let intact = r
                .clone()
                .enumerate()
                .all(|(k, o)| out.get(p + k).and_then(|t| t.1) == Some(o));
            intact && (p == 0 || out[p - 1].0 == b'\n')
        })
        .map(|(id, _)| id.clone())
        .collect()
}

/// File signatures that make the whole file another format (README:
/// `unsupported_format`, gzip by magic): then no line needs to survive.
fn sniffed_as_other_format(bytes: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x1f\x8b",
        b"BZh",
        b"\xfd7zXZ\x00",
        b"\x28\xb5\x2f\xfd",
        b"PK\x03\x04",
        b"7z\xbc\xaf\x27\x1c",
        b"\x7fELF",
        b"PAR1",
        b"SQLite format 3\x00",
    ];
    MAGIC.iter().any(|m| bytes.starts_with(m)) || bytes.get(8..12) == Some(b"DUCK")
}

/// (b) Damage to some lines never costs the lines around it.
#[test]
fn mutated_archive_keeps_untouched_lines() {
    let strategy = (any::<bool>(), vec(op(), 1..6));
    fuzz("mutation", strategy, |(crlf, ops)| {
        let (original, lines) = archive(crlf);
        let out = apply(&original, &ops);
        let bytes: Vec<u8> = out.iter().map(|t| t.0).collect();
        let (_dir, db, _) = ingest_case("mutation", &bytes)?;
        if sniffed_as_other_format(&bytes) {
            return Ok(());
        }
        let want = survivors(&out, &lines);
        if want.is_empty() {
            return Ok(());
        }
        let loaded: std::collections::BTreeSet<String> = query(&db, "SELECT event_id FROM events")
            .iter()
            .filter_map(|r| r["event_id"].as_str().map(str::to_string))
            .collect();
        let missing: Vec<&String> = want.iter().filter(|id| !loaded.contains(*id)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let _ = std::fs::write(failure_file("mutation"), &bytes);
        let rejects = query(
            &db,
            "SELECT source_location, reason, left(raw, 120) AS raw FROM rejects",
        );
        Err(TestCaseError::fail(format!(
            "untouched lines did not load: {missing:?} (loaded {loaded:?})\n  rejects: {}\n  input: {}",
            Value::Array(rejects),
            escaped(&bytes, 1500)
        )))
    });
}

/// The survivor rule itself, on hand-made edits (no binary involved).
#[test]
fn survivor_rule_follows_line_breaks() {
    let (original, lines) = archive(false);
    let identity: Vec<Tagged> = original
        .iter()
        .enumerate()
        .map(|(i, &b)| (b, Some(i)))
        .collect();
    let ids = |range: std::ops::Range<usize>, skip: &[usize]| -> Vec<String> {
        range
            .filter(|i| !skip.contains(i))
            .map(|i| format!("ev-{i:02}"))
            .collect()
    };
    let edit = |f: &dyn Fn(&mut Vec<Tagged>)| {
        let mut v = identity.clone();
        f(&mut v);
        survivors(&v, &lines)
    };
    assert_eq!(edit(&|_| {}), ids(0..20, &[]));
    // a changed byte inside line 3
    let at = lines[3].1.start + 5;
    assert_eq!(edit(&|v| v[at].1 = None), ids(0..20, &[3]));
    // line 5 loses its line break: line 6 is glued to it
    let nl = lines[5].1.end - 1;
    assert_eq!(
        edit(&|v| {
            v.remove(nl);
        }),
        ids(0..20, &[5, 6])
    );
    // a line break inside line 7 only splits line 7
    let mid = lines[7].1.start + 20;
    assert_eq!(edit(&|v| v.insert(mid, (b'\n', None))), ids(0..20, &[7]));
    // garbage before the first line: with a line break it stays separate
    assert_eq!(
        edit(&|v| {
            v.splice(0..0, [(b'x', None), (b'\n', None)]);
        }),
        ids(0..20, &[])
    );
    assert_eq!(edit(&|v| v.insert(0, (b'x', None))), ids(0..20, &[0]));
    // cut just after line 10's line break, and in the middle of line 11
    let cut = lines[10].1.end;
    assert_eq!(edit(&|v| v.truncate(cut)), ids(0..11, &[]));
    assert_eq!(edit(&|v| v.truncate(cut + 30)), ids(0..11, &[]));
    // an exact copy of line 2 placed before it: both lines intact
    let (s, e) = (lines[2].1.start, lines[2].1.end);
    assert_eq!(
        edit(&|v| {
            let copy: Vec<Tagged> = original[s..e].iter().map(|&b| (b, None)).collect();
            v.splice(s..s, copy);
        }),
        ids(0..20, &[])
    );
}
