//! Synthetic archive generator: writes a realistic, deterministic archive of
//! Truecaller-for-Business webhook deliveries for demos and tests.
//!
//! The archive spans 30 days from 2025-08-01 UTC (repeat deliveries can spill
//! a few days past that) and, unless `clean`, contains everything real archives
//! contain: retried (duplicate) deliveries, a few conflicting duplicates, type
//! drift, invalid field values, bad NDJSON lines and odd files. The expected
//! outcome of ingesting it is returned as a [`SampleManifest`] and stored in
//! `<out>/.hookstat-sample.json` (a hidden file, which the ingester skips).
//!
//! Layout families (all of them for [`SampleLayout::Mixed`]):
//! - `files/YYYY/MM/DD/<event_id>.json`: one pretty-printed object per file;
//! - `ndjson/YYYY-MM-DD.ndjson` (LF), `.jsonl` (CRLF) or `.ndjson.gz`;
//! - `firehose/YYYY/MM/DD/HH/hooks-NNNNNN.gz`: gzip of concatenated objects;
//! - `exports/export-YYYY-MM-DD.json`: weekly pretty JSON arrays.
//!
//! Unless `clean`, NDJSON files (never the other families) also carry bad
//! records: lines cut after a `,` (`truncated`, plus a half-written last line
//! in `ndjson/2025-08-13.ndjson`), text such as `<html>502 Bad Gateway</html>`
//! (`invalid_json`), raw `FF FE` bytes in a string (`invalid_utf8`), `[1,2,3]`
//! / `42` / `"hello"` (`not_an_object`), events whose `event_id` is absent,
//! `null` or `""` (`missing_event_id`) and events without `event_type`
//! (`missing_event_type`); `ndjson/2025-08-05.ndjson` starts with a UTF-8 BOM
//! and `ndjson/empty.ndjson` is empty. The layout [`SampleLayout::Files`] has
//! no NDJSON files, so no bad records.
//!
//! Repeat deliveries stay in the family of the first delivery and always sort
//! after it (byte-wise path order, then position in the file), so an ingester
//! reading files in sorted path order always sees the first delivery first.
//!
//! Output is byte-for-byte deterministic for a given (events, seed, layout,
//! clean): all randomness comes from `ChaCha8Rng::seed_from_u64(seed)`, and
//! no clock is read.

mod accounts;
mod bad;
mod events;
mod feedback;
mod generate;
mod layouts;
mod schedule;
#[cfg(test)]
mod tests;
mod util;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Which archive layout(s) to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleLayout {
    /// Events split across all layout families, plus edge-case files.
    Mixed,
    /// Only daily, uncompressed, LF-terminated NDJSON files.
    Ndjson,
    /// Only one pretty-printed JSON object per file in `YYYY/MM/DD/` folders.
    Files,
}

impl SampleLayout {
    /// The lower-case name stored in the manifest (`mixed`, `ndjson`, `files`).
    pub fn name(self) -> &'static str {
        match self {
            SampleLayout::Mixed => "mixed",
            SampleLayout::Ndjson => "ndjson",
            SampleLayout::Files => "files",
        }
    }
}

/// What [`write_sample`] should generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleOptions {
    /// Output directory (created with its parents; existing files are
    /// overwritten but never deleted).
    pub out: PathBuf,
    /// Number of distinct valid events (all types).
    pub events: usize,
    /// Seed of the random generator.
    pub seed: u64,
    /// Layout(s) to write.
    pub layout: SampleLayout,
    /// Only well-formed events: no bad records, field issues, duplicate
    /// deliveries or type drift.
    pub clean: bool,
}

/// The expected result of ingesting a generated archive.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Default)]
pub struct SampleManifest {
    /// Seed used.
    pub seed: u64,
    /// Layout name (`mixed`, `ndjson`, `files`).
    pub layout: String,
    /// Whether the archive is clean.
    pub clean: bool,
    /// Data files written (the hidden manifest is not counted).
    pub files: usize,
    /// Total bytes of the data files on disk.
    pub bytes: u64,
    /// Records that are valid events (first deliveries + duplicate deliveries).
    pub deliveries: usize,
    /// Distinct `event_id`s among valid events.
    pub distinct_events: usize,
    /// Distinct valid events per `event_type`.
    pub events_by_type: BTreeMap<String, usize>,
    /// Valid records whose `event_id` was already delivered earlier.
    pub duplicate_deliveries: usize,
    /// Of the duplicates, how many differ in content from the first delivery.
    pub conflicting_duplicates: usize,
    /// Expected quarantine reason code -> number of records.
    pub rejects_by_reason: BTreeMap<String, usize>,
    /// Expected field issue problem -> count (distinct events only).
    pub field_issues_by_problem: BTreeMap<String, usize>,
    /// Payload field name -> number of field issues on it.
    pub field_issues_by_field: BTreeMap<String, usize>,
}

/// Name of the hidden manifest file written into the output directory.
pub const MANIFEST_FILE: &str = ".hookstat-sample.json";

/// Generates the archive described by `opts` under `opts.out`, writes the
/// manifest to `<out>/.hookstat-sample.json` and returns it.
///
/// Generation streams day by day in time order, so memory use is bounded by
/// one day of events (plus pending repeat deliveries), whatever `events` is.
pub fn write_sample(opts: &SampleOptions) -> anyhow::Result<SampleManifest> {
    use anyhow::Context;
    std::fs::create_dir_all(&opts.out).with_context(|| format!("create {}", opts.out.display()))?;
    let manifest = generate::run(opts)?;
    let path = opts.out.join(MANIFEST_FILE);
    let mut text = serde_json::to_string_pretty(&manifest)?;
    text.push('\n');
    std::fs::write(&path, text).with_context(|| format!("write {}", path.display()))?;
    Ok(manifest)
}
