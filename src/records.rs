//! What flows between the stages of an ingest run.
//!
//! The reader thread frames files into [`RawChunk`]s; parser threads turn
//! them into [`ParsedChunk`]s; the loader consumes those in sequence order.
//! Record bytes stay in the chunk's `data` buffer and are addressed by range.

use std::ops::Range;

use crate::decode::{FileSummary, Frame, Layout, Location, ResumePoint};
use crate::discover::SourceFile;
use crate::flatten::cmb::CmbRow;
use crate::flatten::generic::{FlatRow, OverflowPart};
use crate::reject::RejectReason;
use crate::validate::{Envelope, FieldIssue};

/// How a discovered file was handled.
#[derive(Debug, Clone, PartialEq)]
pub enum FileOutcome {
    /// Same size and modification time as when last read: not opened.
    Unchanged,
    /// Read (from the start, or from `resumed_from` when it only grew).
    Read {
        /// Fingerprint, layout, resume point.
        summary: FileSummary,
        /// Offset where reading started when the file was resumed.
        resumed_from: Option<u64>,
    },
}

/// Marks the end of one file's items.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDone {
    /// Index into the run's file list.
    pub file: usize,
    /// What happened to it.
    pub outcome: FileOutcome,
}

/// A framed but unparsed item.
#[derive(Debug)]
pub enum RawItem {
    /// A record or reject from file `file`.
    Frame {
        /// Index into the run's file list.
        file: usize,
        /// The frame (ranges point into the chunk's data).
        frame: Frame,
    },
    /// End of a file.
    FileDone(FileDone),
}

/// A batch of framed items and the bytes they address.
#[derive(Debug, Default)]
pub struct RawChunk {
    /// Position in the run's chunk sequence.
    pub seq: u64,
    /// Record bytes.
    pub data: Vec<u8>,
    /// Items in file order.
    pub items: Vec<RawItem>,
}

/// A record that is an event, parsed and typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEvent {
    /// Envelope fields.
    pub envelope: Envelope,
    /// The typed Call Me Back row for `cmb` events.
    pub cmb: Option<CmbRow>,
    /// Values that could not be coerced.
    pub issues: Vec<FieldIssue>,
    /// Flattened rows: the event row's extra columns, then array rows.
    pub flat: Vec<FlatRow>,
    /// Parts over a flattening budget, for the event row's `_overflow`.
    pub overflow: Vec<OverflowPart>,
    /// [`payload_hash`] of the record's bytes.
    pub payload_hash: i64,
}

/// The hash of a record's bytes as `events.payload_hash` stores it (XXH3,
/// 64 bits): equal bytes, equal hash.
pub fn payload_hash(bytes: &[u8]) -> i64 {
    xxhash_rust::xxh3::xxh3_64(bytes) as i64
}

/// A parsed item.
#[derive(Debug)]
pub enum Item {
    /// An event; its original text is `data[range]`.
    Event {
        /// Index into the run's file list.
        file: usize,
        /// Where it starts.
        location: Location,
        /// Its bytes in the chunk (valid UTF-8).
        range: Range<usize>,
        /// Parsed content.
        event: Box<ParsedEvent>,
    },
    /// A quarantined record; `data[range]` is its first bytes.
    Reject {
        /// Index into the run's file list.
        file: usize,
        /// Where it starts.
        location: Location,
        /// Stable reason code.
        reason: RejectReason,
        /// Human explanation.
        message: String,
        /// Its bytes in the chunk.
        range: Range<usize>,
    },
    /// End of a file.
    FileDone(FileDone),
}

/// A batch of parsed items and the bytes they address.
#[derive(Debug, Default)]
pub struct ParsedChunk {
    /// Position in the run's chunk sequence.
    pub seq: u64,
    /// Record bytes.
    pub data: Vec<u8>,
    /// Items in file order.
    pub items: Vec<Item>,
}

/// The read state of a file from earlier runs.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousFile {
    /// Size when last read.
    pub size: u64,
    /// Modification time when last read (µs since 1970).
    pub modified: Option<i64>,
    /// Layout detected then.
    pub layout: Option<Layout>,
    /// Where reading may continue if the file only grew.
    pub resume: Option<ResumePoint>,
    /// Run that first read it.
    pub first_run: i64,
    /// Bytes of an incomplete last record left for a later run.
    pub pending_bytes: u64,
}

impl PreviousFile {
    /// True when `file` has the size and modification time it had when it
    /// was last read: it is not opened again.
    pub fn is_unchanged(&self, file: &SourceFile) -> bool {
        self.size == file.size && self.modified.is_some() && self.modified == file.modified_micros()
    }

    /// Resume point and layout, when the file can be continued.
    pub fn resume_from(&self) -> Option<(&ResumePoint, Layout)> {
        Some((self.resume.as_ref()?, self.layout?))
    }
}
