//! Writers for the four archive layout families of the sample generator.
//!
//! Every family keeps byte-wise path order equal to chronological order:
//! - `files/YYYY/MM/DD/<event_id>.json` (a repeat in a folder that already
//!   holds the event is `<event_id>.retry-<k>.json`, which sorts after it);
//! - `ndjson/YYYY-MM-DD.{ndjson,jsonl,ndjson.gz}` (one file per day), plus
//!   `ndjson/empty.ndjson`, which sorts after every dated file;
//! - `firehose/YYYY/MM/DD/HH/hooks-NNNNNN.gz` (global zero-padded counter,
//!   folder = hour of the object's first record);
//! - `exports/export-YYYY-MM-DD.json` (weekly, named after the week's first day).
//!
//! Records reach the writers in delivery-time order, so a repeat delivery is
//! always written after the original within its family.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Timelike};
use flate2::write::GzEncoder;
use flate2::Compression;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::bad::BadKind;
use super::util::{ymd, BASE_EPOCH, DAY_SECS};

/// Which layout family a record (and all its repeat deliveries) goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Daily NDJSON files (compact bodies).
    Ndjson,
    /// One pretty-printed object per file (pretty bodies).
    Files,
    /// Gzipped concatenated objects (compact bodies).
    Firehose,
    /// Weekly pretty JSON arrays (pretty bodies).
    Export,
}

impl Family {
    /// Whether bodies of this family are pretty-printed.
    pub(crate) fn pretty(self) -> bool {
        matches!(self, Family::Files | Family::Export)
    }
}

/// One delivery of a valid event, ready to be written.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    /// Delivery time, epoch seconds.
    pub(crate) time: i64,
    /// Tie-breaker: creation order.
    pub(crate) seq: u64,
    /// Target family.
    pub(crate) family: Family,
    /// The event's id (names per-event files).
    pub(crate) event_id: String,
    /// The serialized event, compact or pretty according to `family`.
    pub(crate) body: Vec<u8>,
    /// For per-event files: `Some(k)` names the file `<id>.retry-<k>.json`.
    pub(crate) retry: Option<u8>,
}

/// Count and total size of the data files written so far.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Totals {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
}

impl Totals {
    fn add_file(&mut self, path: &Path) -> Result<()> {
        let len = fs::metadata(path)
            .with_context(|| format!("stat {}", path.display()))?
            .len();
        self.files += 1;
        self.bytes += len;
        Ok(())
    }
}

/// Day index (0 = 2025-08-01) of an epoch time.
pub(crate) fn day_of(t: i64) -> u32 {
    u32::try_from((t - BASE_EPOCH).div_euclid(DAY_SECS)).unwrap_or(0)
}

/// (year, month, day, hour) in UTC of an epoch time.
fn civil(t: i64) -> (i32, u32, u32, u32) {
    let dt = DateTime::from_timestamp(t, 0).unwrap_or_default();
    (dt.year(), dt.month(), dt.day(), dt.hour())
}

fn day_start(day: u32) -> i64 {
    BASE_EPOCH + i64::from(day) * DAY_SECS
}

fn create_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))
}

fn create_file(path: &Path) -> Result<BufWriter<File>> {
    let f = File::create(path).with_context(|| format!("create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 16, f))
}

/// Everything that goes into one day's NDJSON file.
#[derive(Debug, Default)]
pub(crate) struct NdjsonDay<'a> {
    /// Compact bodies of the valid records, in delivery order.
    pub(crate) lines: Vec<&'a [u8]>,
    /// Bad lines to mix in (placed at random positions).
    pub(crate) bad: Vec<(BadKind, Vec<u8>)>,
    /// Start the file with a UTF-8 byte-order mark.
    pub(crate) bom: bool,
    /// A half-written last line (no terminator).
    pub(crate) half: Option<Vec<u8>>,
}

/// Writes daily NDJSON files under `<out>/ndjson/`.
#[derive(Debug)]
pub(crate) struct NdjsonSink {
    dir: PathBuf,
    variants: bool,
}

impl NdjsonSink {
    /// A sink; with `variants`, some days are `.jsonl` (CRLF) or `.ndjson.gz`.
    pub(crate) fn new(out: &Path, variants: bool) -> Self {
        Self {
            dir: out.join("ndjson"),
            variants,
        }
    }

    /// File extension, CRLF and gzip for a day (only plain `.ndjson` without
    /// variants; day 0 mod 4 is always plain).
    fn variant(&self, day: u32) -> (&'static str, bool, bool) {
        match (self.variants, day % 4) {
            (true, 1) => ("jsonl", true, false),
            (true, 3) => ("ndjson.gz", false, true),
            _ => ("ndjson", false, false),
        }
    }

    /// Writes one day's file (nothing when the day has no content at all).
    pub(crate) fn write_day(
        &self,
        rng: &mut ChaCha8Rng,
        day: u32,
        mut d: NdjsonDay<'_>,
        totals: &mut Totals,
    ) -> Result<()> {
        if d.lines.is_empty() && d.bad.is_empty() && !d.bom && d.half.is_none() {
            return Ok(());
        }
        let (y, m, dd, _) = civil(day_start(day));
        let (ext, crlf, gz) = self.variant(day);
        create_dir(&self.dir)?;
        let path = self.dir.join(format!("{}.{ext}", ymd(y, m, dd)));
        // Place bad lines: a truncated line always has a good line after it.
        let good = d.lines.len();
        let mut placed: Vec<(usize, Vec<u8>)> = d
            .bad
            .drain(..)
            .map(|(kind, bytes)| {
                let pos = if kind == BadKind::Truncated && good > 0 {
                    rng.gen_range(0..good)
                } else {
                    rng.gen_range(0..=good)
                };
                (pos, bytes)
            })
            .collect();
        placed.sort_by_key(|p| p.0);
        let eol: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let write_all = |w: &mut dyn Write| -> std::io::Result<()> {
            if d.bom {
                w.write_all(b"\xef\xbb\xbf")?;
            }
            let mut bad = placed.iter().peekable();
            for (i, line) in d.lines.iter().enumerate() {
                while let Some((_, b)) = bad.next_if(|p| p.0 == i) {
                    w.write_all(b)?;
                    w.write_all(eol)?;
                }
                w.write_all(line)?;
                w.write_all(eol)?;
            }
            for (_, b) in bad {
                w.write_all(b)?;
                w.write_all(eol)?;
            }
            if let Some(h) = &d.half {
                w.write_all(h)?;
            }
            Ok(())
        };
        let mut file = create_file(&path)?;
        let res = if gz {
            let mut enc = GzEncoder::new(&mut file, Compression::default());
            write_all(&mut enc).and_then(|()| enc.finish().map(|_| ()))
        } else {
            write_all(&mut file)
        };
        res.and_then(|()| file.flush())
            .with_context(|| format!("write {}", path.display()))?;
        drop(file);
        totals.add_file(&path)
    }

    /// Writes the 0-byte `ndjson/empty.ndjson`.
    pub(crate) fn write_empty(&self, totals: &mut Totals) -> Result<()> {
        create_dir(&self.dir)?;
        let path = self.dir.join("empty.ndjson");
        File::create(&path).with_context(|| format!("create {}", path.display()))?;
        totals.add_file(&path)
    }
}

/// Writes one pretty-printed object per file under `<out>/files/YYYY/MM/DD/`.
#[derive(Debug)]
pub(crate) struct FilesSink {
    dir: PathBuf,
    made: Option<u32>,
}

impl FilesSink {
    /// A sink rooted at `<out>/files`.
    pub(crate) fn new(out: &Path) -> Self {
        Self {
            dir: out.join("files"),
            made: None,
        }
    }

    /// Writes one record's file.
    pub(crate) fn write(&mut self, rec: &Rec, totals: &mut Totals) -> Result<()> {
        let day = day_of(rec.time);
        let (y, m, d, _) = civil(rec.time);
        let dir = self.dir.join(format!("{y:04}/{m:02}/{d:02}"));
        if self.made != Some(day) {
            create_dir(&dir)?;
            self.made = Some(day);
        }
        let name = match rec.retry {
            Some(k) => format!("{}.retry-{k}.json", rec.event_id),
            None => format!("{}.json", rec.event_id),
        };
        let path = dir.join(name);
        fs::write(&path, &rec.body).with_context(|| format!("write {}", path.display()))?;
        totals.files += 1;
        totals.bytes += rec.body.len() as u64;
        Ok(())
    }
}

/// Buffers records into Firehose-style gzip objects of 50-500 concatenated
/// objects (fewer when a day has fewer) under `<out>/firehose/YYYY/MM/DD/HH/`.
#[derive(Debug)]
pub(crate) struct FirehoseSink {
    dir: PathBuf,
    buf: Vec<u8>,
    count: usize,
    target: usize,
    first: i64,
    next_n: u64,
}

impl FirehoseSink {
    /// A sink rooted at `<out>/firehose`.
    pub(crate) fn new(out: &Path) -> Self {
        Self {
            dir: out.join("firehose"),
            buf: Vec::new(),
            count: 0,
            target: 0,
            first: 0,
            next_n: 1,
        }
    }

    /// Appends one record, writing the object once it holds its target count
    /// (or, first, when the record belongs to a later UTC day than the
    /// buffered ones, so small archives still get one object per day).
    pub(crate) fn push(
        &mut self,
        rng: &mut ChaCha8Rng,
        rec: &Rec,
        totals: &mut Totals,
    ) -> Result<()> {
        if self.count > 0 && day_of(rec.time) != day_of(self.first) {
            self.flush(totals)?;
        }
        if self.count == 0 {
            self.first = rec.time;
            self.target = rng.gen_range(50..=500);
        }
        self.buf.extend_from_slice(&rec.body);
        self.count += 1;
        if self.count >= self.target {
            self.flush(totals)?;
        }
        Ok(())
    }

    /// Writes the buffered records (if any) as one gzip object.
    pub(crate) fn flush(&mut self, totals: &mut Totals) -> Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        let (y, m, d, h) = civil(self.first);
        let dir = self.dir.join(format!("{y:04}/{m:02}/{d:02}/{h:02}"));
        create_dir(&dir)?;
        let path = dir.join(format!("hooks-{:06}.gz", self.next_n));
        let mut file = create_file(&path)?;
        let mut enc = GzEncoder::new(&mut file, Compression::default());
        enc.write_all(&self.buf)
            .and_then(|()| enc.finish().map(|_| ()))
            .and_then(|()| file.flush())
            .with_context(|| format!("write {}", path.display()))?;
        drop(file);
        totals.add_file(&path)?;
        self.next_n += 1;
        self.buf.clear();
        self.count = 0;
        Ok(())
    }
}

/// Writes weekly pretty-printed JSON arrays `<out>/exports/export-YYYY-MM-DD.json`.
#[derive(Debug)]
pub(crate) struct ExportSink {
    dir: PathBuf,
    cur: Option<(u32, PathBuf, BufWriter<File>)>,
}

impl ExportSink {
    /// A sink rooted at `<out>/exports`.
    pub(crate) fn new(out: &Path) -> Self {
        Self {
            dir: out.join("exports"),
            cur: None,
        }
    }

    /// Appends one record to the export of its week.
    pub(crate) fn push(&mut self, rec: &Rec, totals: &mut Totals) -> Result<()> {
        let week = day_of(rec.time) / 7;
        if self.cur.as_ref().map(|c| c.0) != Some(week) {
            self.close(totals)?;
            create_dir(&self.dir)?;
            let (y, m, d, _) = civil(day_start(week * 7));
            let path = self.dir.join(format!("export-{}.json", ymd(y, m, d)));
            let mut w = create_file(&path)?;
            w.write_all(b"[\n")
                .with_context(|| format!("write {}", path.display()))?;
            self.cur = Some((week, path, w));
        } else if let Some((_, path, w)) = self.cur.as_mut() {
            w.write_all(b",\n")
                .with_context(|| format!("write {}", path.display()))?;
        }
        if let Some((_, path, w)) = self.cur.as_mut() {
            // Indent the pretty object by one level, as a pretty array would.
            for (i, line) in rec.body.split(|b| *b == b'\n').enumerate() {
                if i > 0 {
                    w.write_all(b"\n")?;
                }
                w.write_all(b"  ")
                    .and_then(|()| w.write_all(line))
                    .with_context(|| format!("write {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// Terminates and closes the current export file, if any.
    pub(crate) fn close(&mut self, totals: &mut Totals) -> Result<()> {
        if let Some((_, path, mut w)) = self.cur.take() {
            w.write_all(b"\n]\n")
                .and_then(|()| w.flush())
                .with_context(|| format!("write {}", path.display()))?;
            drop(w);
            totals.add_file(&path)?;
        }
        Ok(())
    }
}
