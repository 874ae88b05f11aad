//! Property-based fuzzing of `hookstat ingest` through the binary.
//!
//! Two generators: (a) arbitrary bytes, JSON-token soup and gzipped soup
//! written as one file; (b) mutations of a valid 20-event NDJSON archive
//! (flipped, inserted and deleted bytes, a cut, duplicated spans, NULs and
//! line breaks). Every case is ingested into a fresh database and must exit
//! 0 with `records = inserted + duplicates + rejected`; for mutations, every
//! original line whose bytes, own line break and preceding line break (or
//! file start) survived untouched must still load.
//!
//! Runs are reproducible: the RNG is ChaCha with a fixed seed
//! (`HOOKSTAT_FUZZ_SEED=<u64>` explores another one), `HOOKSTAT_FUZZ_CASES`
//! sets the number of cases per generator (default 48), and a failing case
//! is saved in `tests/fuzz_ingest.proptest-regressions` and replayed first
//! on every later run. The last failing input is also written to
//! `$CARGO_TARGET_TMPDIR/fuzz_ingest-<generator>.bin` for replaying by hand.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{
    Config, FileFailurePersistence, RngAlgorithm, RngSeed, TestCaseError, TestError, TestRunner,
};
use serde_json::Value;

const PERSISTENCE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fuzz_ingest.proptest-regressions"
);

/// "hookstat" in ASCII: the seed CI uses.
const DEFAULT_SEED: u64 = 0x686f_6f6b_7374_6174;

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    let text = std::env::var(name).ok()?;
    Some(
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text} is not a number")),
    )
}

fn runner() -> TestRunner {
    let config = Config {
        cases: env_number("HOOKSTAT_FUZZ_CASES").unwrap_or(48),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(PERSISTENCE))),
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(env_number("HOOKSTAT_FUZZ_SEED").unwrap_or(DEFAULT_SEED)),
        // every step spawns the binary: bound the shrinking
        max_shrink_iters: 256,
        max_shrink_time: 90_000,
        ..Config::default()
    };
    TestRunner::new(config)
}

/// Where the last failing input of a generator is kept.
fn failure_file(generator: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz_ingest-{generator}.bin"))
}

/// Bytes as text for messages: printable ASCII kept, the rest `\xNN`.
fn escaped(bytes: &[u8], limit: usize) -> String {
    let mut s: String = bytes
        .iter()
        .take(limit)
        .map(|&b| match b {
            b'\n' => "\\n".to_string(),
            b' '..=b'~' if b != b'\\' => (b as char).to_string(),
            _ => format!("\\x{b:02x}"),
        })
        .collect();
    if bytes.len() > limit {
        s.push_str(&format!("… ({} bytes)", bytes.len()));
    }
    s
}

/// A count from the `--json` summary (top level, or under `counts`).
fn count(summary: &Value, key: &str) -> Option<i64> {
    summary
        .get("counts")
        .and_then(|c| c.get(key))
        .or_else(|| summary.get(key))
        .and_then(Value::as_i64)
}

/// Ingests `bytes` as one file into a fresh database; checks the exit
/// status and the record balance. Returns the database's folder and path.
fn ingest_case(
    generator: &str,
    bytes: &[u8],
) -> Result<(tempfile::TempDir, PathBuf), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("input.ndjson");
    std::fs::write(&file, bytes).expect("write input");
    let db = dir.path().join("h.duckdb");
    let (code, summary, out) = ingest(&db, &[&file], &[]);
    let fail = |what: String| {
        let _ = std::fs::write(failure_file(generator), bytes);
        TestCaseError::fail(format!(
            "{what}\n  stderr: {}\n  input: {}",
            String::from_utf8_lossy(&out.stderr).trim(),
            escaped(bytes, 800)
        ))
    };
    if code != 0 {
        return Err(fail(format!("exit status {code}, want 0")));
    }
    let get = |k: &str| count(&summary, k);
    match (
        get("records"),
        get("inserted"),
        get("duplicates"),
        get("rejected"),
    ) {
        (Some(r), Some(i), Some(d), Some(x)) if r == i + d + x => Ok((dir, db)),
        (Some(r), Some(i), Some(d), Some(x)) => Err(fail(format!(
            "records {r} != inserted {i} + duplicates {d} + rejected {x}"
        ))),
        _ => Err(fail(format!("summary lacks counts: {summary}"))),
    }
}

/// Runs one generator; panics with the (shrunk) failure.
fn fuzz<S: Strategy>(
    generator: &str,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let mut runner = runner();
    match runner.run(&strategy, test) {
        Ok(()) => {}
        Err(TestError::Fail(reason, value)) => {
            let shown = format!("{value:?}");
            let shown: String = shown.chars().take(2000).collect();
            panic!(
                "{generator}: {reason}\nminimal case: {shown}\nlast failing input file: {}\n(the case is saved in {PERSISTENCE} and replayed first on the next run)",
                failure_file(generator).display()
            )
        }
        Err(e) => panic!("{generator}: {e}"),
    }
}

/// Fragments of JSON and of things that break it.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\n",
    "\r\n",
    " ",
    "\t",
    "\"",
    "\\",
    "{\"event_id\":",
    "\"event_type\":",
    "\"created_at\":",
    "\"uf_payload\":",
    "\"cmb_payload\":",
    "\"is_interested\":",
    "\"uf\"",
    "\"cmb\"",
    "\"e1\"",
    "\"e2\"",
    "\"1753945760\"",
    "1753945760000",
    "true",
    "null",
    "0",
    "-0",
    "1e999",
    "12345678901234567890",
    "\"\\ud800\"",
    "\"\\u00e9\\ud83d\\ude00\"",
    "\"a\"",
    "😀",
    "कॉल",
    "\u{feff}",
    "\u{0}",
    "{\"event_id\":\"t1\",\"event_type\":\"uf\",\"uf_payload\":{\"a\":[1,{\"b\":null}]}}\n",
    "{\"event_id\":\"t2\",\"event_type\":\"cmb\",\"cmb_payload\":{\"is_interested\":\"maybe\"}}",
];

fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    vec(select(TOKENS), 0..300).prop_map(|t| t.concat().into_bytes())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// File content that prints as escaped text in failure reports.
#[derive(Clone)]
struct Bytes(Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", escaped(&self.0, 1500))
    }
}

/// (a) Whatever a file holds, a run finishes and accounts for every record.
#[test]
fn arbitrary_bytes_never_break_a_run() {
    let strategy = prop_oneof![
        vec(any::<u8>(), 0..4096),
        token_soup(),
        token_soup().prop_map(|b| gzip(&b)),
    ]
    .prop_map(Bytes);
    fuzz("arbitrary", strategy, |Bytes(bytes)| {
        ingest_case("arbitrary", &bytes).map(|_| ())
    });
}

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
        let (_dir, db) = ingest_case("mutation", &bytes)?;
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
