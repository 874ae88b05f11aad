//! Property-based fuzzing of `hookstat ingest` through the binary.
//!
//! Three generators: (a) arbitrary bytes, JSON-token soup and gzipped soup
//! written as one file; (b) mutations of a valid 20-event NDJSON archive
//! (flipped, inserted and deleted bytes, a cut, duplicated spans, NULs and
//! line breaks, `mutation.rs`); (c) archives framed by the test itself
//! from records of known kinds (`framing.rs`). Every case is ingested into
//! a fresh database and must exit 0 with
//! `records = inserted + duplicates + rejected`; for mutations, every
//! original line whose bytes, own line break and preceding line break (or
//! file start) survived untouched must still load; for framed archives,
//! every count of the summary must be the one the test counted in its own
//! input.
//!
//! Runs are reproducible: the RNG is ChaCha with a fixed seed
//! (`HOOKSTAT_FUZZ_SEED=<u64>` explores another one), `HOOKSTAT_FUZZ_CASES`
//! sets the number of cases per generator (default 48), and a failing case
//! is saved in `tests/fuzz_ingest.proptest-regressions` and replayed first
//! on every later run. The last failing input is also written to
//! `$CARGO_TARGET_TMPDIR/fuzz_ingest-<generator>.bin` for replaying by hand.

#[path = "../common/mod.rs"]
mod common;
mod framing;
mod mutation;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
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
pub fn failure_file(generator: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fuzz_ingest-{generator}.bin"))
}

/// Bytes as text for messages: printable ASCII kept, the rest `\xNN`.
pub fn escaped(bytes: &[u8], limit: usize) -> String {
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
pub fn count(summary: &Value, key: &str) -> Option<i64> {
    summary
        .get("counts")
        .and_then(|c| c.get(key))
        .or_else(|| summary.get(key))
        .and_then(Value::as_i64)
}

/// Ingests `bytes` as one file into a fresh database; checks the exit
/// status and the record balance. Returns the database's folder and path
/// and the run's summary.
pub fn ingest_case(
    generator: &str,
    bytes: &[u8],
) -> Result<(tempfile::TempDir, PathBuf, Value), TestCaseError> {
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
        (Some(r), Some(i), Some(d), Some(x)) if r == i + d + x => Ok((dir, db, summary)),
        (Some(r), Some(i), Some(d), Some(x)) => Err(fail(format!(
            "records {r} != inserted {i} + duplicates {d} + rejected {x}"
        ))),
        _ => Err(fail(format!("summary lacks counts: {summary}"))),
    }
}

/// Runs one generator; panics with the (shrunk) failure.
pub fn fuzz<S: Strategy>(
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

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// File content that prints as escaped text in failure reports.
#[derive(Clone)]
pub struct Bytes(pub Vec<u8>);

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
