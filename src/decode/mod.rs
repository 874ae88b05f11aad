//! Stage 2: turn one archive file into a stream of raw records.
//!
//! [`FileDecoder`] opens a file (gzip detected by content), picks its layout
//! and frames records into a caller-owned buffer. It never fails on bad
//! content: broken records come out as [`Frame::Reject`] with a reason code,
//! and an unreadable file is one reject too.

mod framer;
mod input;
mod resync;
mod scanner;
mod sniff;
mod source;

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::Path;

pub use framer::MAX_RECORD_BYTES;
pub use source::{fingerprint_of, ResumePoint};

use crate::reject::RejectReason;
use framer::Framer;
use input::Input;
use source::Decoded;

/// How records are laid out in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Nothing but whitespace.
    Empty,
    /// One JSON value per line (NDJSON / JSONL, LF or CRLF).
    Lines,
    /// JSON values one after another (pretty-printed files, Firehose objects).
    Concatenated,
    /// A top-level JSON array of values.
    Array,
    /// Not JSON text at all (binary, another compression format).
    Unsupported,
}

impl Layout {
    /// Name stored in `source_files.layout`.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Empty => "empty",
            Layout::Lines => "lines",
            Layout::Concatenated => "concatenated",
            Layout::Array => "array",
            Layout::Unsupported => "unsupported",
        }
    }

    /// Parses a stored name.
    pub fn from_name(name: &str) -> Option<Layout> {
        [
            Layout::Empty,
            Layout::Lines,
            Layout::Concatenated,
            Layout::Array,
            Layout::Unsupported,
        ]
        .into_iter()
        .find(|l| l.name() == name)
    }
}

/// Where a record starts in its (decoded) file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Byte offset in the decoded stream.
    pub byte: u64,
    /// 1-based line number.
    pub line: u64,
    /// Whether the line number is the natural address (line layouts).
    pub by_line: bool,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.by_line {
            write!(f, "line {}", self.line)
        } else {
            write!(f, "byte {}", self.byte)
        }
    }
}

/// One framed record: its bytes are `buf[range]` of the caller's buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete value, not yet parsed.
    Record {
        /// Where it starts.
        location: Location,
        /// Its bytes in the buffer.
        range: Range<usize>,
    },
    /// Bytes that cannot be a record.
    Reject {
        /// Where they start.
        location: Location,
        /// Stable reason code.
        reason: RejectReason,
        /// Human explanation.
        message: String,
        /// The first bytes (at most a few KB) in the buffer.
        range: Range<usize>,
    },
}

/// What is known about a file once it has been decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSummary {
    /// Layout detected (or `None` when the file could not be opened).
    pub layout: Option<Layout>,
    /// True when the file is gzip.
    pub compressed: bool,
    /// Fingerprint of the whole file content (None if unreadable).
    pub fingerprint: Option<String>,
    /// Raw bytes in the file.
    pub size: u64,
    /// Where a later run may continue if the file only grows.
    pub resume: Option<ResumePoint>,
    /// Bytes of an incomplete last record left for a later run (a plain
    /// file that may still be written to).
    pub pending_bytes: u64,
}

/// Decodes one file frame by frame.
pub struct FileDecoder {
    framer: Option<Framer<Decoded>>,
    open_error: Option<io::Error>,
    compressed: bool,
}

impl FileDecoder {
    /// Opens `path`, continuing after `resume` when the file only grew.
    /// When `tail_may_grow` and the file is not compressed, an incomplete
    /// last record is left pending for a later run instead of rejected.
    pub fn open(
        path: &Path,
        resume: Option<(&ResumePoint, Layout)>,
        tail_may_grow: bool,
    ) -> FileDecoder {
        match source::open(path, resume.map(|r| r.0)) {
            Ok(opened) => {
                let compressed = opened.stream.is_compressed();
                let layout = resume
                    .filter(|_| opened.start_offset > 0)
                    .map(|(_, layout)| layout);
                let remaining = (!compressed)
                    .then(|| std::fs::metadata(path).ok())
                    .flatten()
                    .map(|m| m.len().saturating_sub(opened.start_offset));
                let input = Input::new(
                    opened.stream,
                    opened.start_offset,
                    opened.start_line,
                    remaining,
                );
                FileDecoder {
                    framer: Some(Framer::new(input, layout, tail_may_grow && !compressed)),
                    open_error: None,
                    compressed,
                }
            }
            Err(e) => FileDecoder {
                framer: None,
                open_error: Some(e),
                compressed: false,
            },
        }
    }

    /// True when the decoder skipped a prefix read by an earlier run.
    pub fn resumed_at(&self) -> Option<u64> {
        self.framer
            .as_ref()
            .map(|f| f.resume_point().0)
            .filter(|&o| o > 0)
    }

    /// The next record or reject; `None` at the end of the file.
    pub fn next_frame(&mut self, buf: &mut Vec<u8>) -> Option<Frame> {
        if let Some(err) = self.open_error.take() {
            let at = buf.len();
            return Some(Frame::Reject {
                location: Location {
                    byte: 0,
                    line: 1,
                    by_line: false,
                },
                reason: RejectReason::ReadError,
                message: format!("file could not be opened: {err}"),
                range: at..at,
            });
        }
        self.framer.as_mut()?.next_frame(buf)
    }

    /// Finishes the file: fingerprint and resume point.
    pub fn finish(self, path: &Path) -> FileSummary {
        let Some(framer) = self.framer else {
            return FileSummary {
                layout: None,
                compressed: false,
                fingerprint: None,
                size: 0,
                resume: None,
                pending_bytes: 0,
            };
        };
        let layout = framer.layout();
        let (offset, line) = framer.resume_point();
        let pending_bytes = framer.pending_bytes();
        let raw = framer.into_inner().into_raw();
        let (fingerprint, size) = match raw.finish() {
            Ok((f, size)) => (Some(f), size),
            Err(_) => (None, 0),
        };
        let resumable =
            !self.compressed && matches!(layout, Some(Layout::Lines) | Some(Layout::Concatenated));
        let resume = if !resumable {
            None
        } else if offset == size {
            fingerprint.clone().map(|fingerprint| ResumePoint {
                offset,
                line,
                fingerprint,
            })
        } else {
            prefix_fingerprint(path, offset).map(|fingerprint| ResumePoint {
                offset,
                line,
                fingerprint,
            })
        };
        FileSummary {
            layout,
            compressed: self.compressed,
            fingerprint,
            size,
            resume,
            pending_bytes,
        }
    }
}

fn prefix_fingerprint(path: &Path, len: u64) -> Option<String> {
    use std::io::Read;
    let file = std::fs::File::open(path).ok()?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut reader = io::BufReader::new(file.take(len));
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    (total == len).then(|| format!("{:032x}", hasher.digest128()))
}

#[cfg(test)]
mod tests;
