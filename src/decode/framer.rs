//! Splits a decoded byte stream into records without building values.
//!
//! Line breaks are whitespace to JSON, so every layout is framed the same
//! way: values one after another as a stream, any number per line and any
//! number of lines per value, each checked by an incremental JSON scanner
//! that stops at the exact byte where a record breaks. Only after a broken
//! record do line breaks and event starts matter: the reject runs to the
//! next line that starts a record at column 0 or the next `{"event_id"`,
//! so a bad region costs only itself. The layout name (`lines`,
//! `concatenated`, `array`) is detected from the first bytes and only says
//! how locations are shown and whether a top-level array is open.

use std::io::Read;
use std::ops::Range;

use super::input::Input;
use super::resync::{classify, find_candidate, is_candidate, trim_range, CANDIDATE_LOOK_AHEAD};
use super::scanner::{Scanner, Step};
use super::sniff::{binary_kind, pick_layout};
use super::{Frame, Layout, Location};
use crate::reject::{RejectReason, RAW_PREFIX_BYTES};

/// Records larger than this are quarantined as `too_large`.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// Look-ahead used to recognise `{"event_id"` after a broken record.
const LOOK_AHEAD: usize = 4096;

/// Frames records out of one decoded stream.
pub struct Framer<R> {
    input: Input<R>,
    layout: Option<Layout>,
    in_array: bool,
    /// Decoded offset and line after the last complete frame.
    resume: (u64, u64),
    done: bool,
    /// True when the stream may still grow (a plain file that changed
    /// recently): an incomplete last record is left for a later run.
    tail_may_grow: bool,
    /// Bytes of an incomplete last record left for a later run.
    pending: u64,
}

/// How scanning one value ended.
enum Scan {
    /// The value is complete.
    Closed,
    /// A byte that cannot continue the value (not consumed).
    Broken,
    /// The stream ended inside the value.
    Eof,
    /// The value passed the size limit (the rest was skipped).
    TooLarge,
}

impl<R: Read> Framer<R> {
    /// Frames `input`; `layout` is known when resuming a file read before.
    pub fn new(input: Input<R>, layout: Option<Layout>, tail_may_grow: bool) -> Self {
        let resume = (input.offset(), input.line());
        Framer {
            input,
            layout,
            in_array: false,
            resume,
            done: false,
            tail_may_grow,
            pending: 0,
        }
    }

    /// The layout detected (or given); `None` before the first frame.
    pub fn layout(&self) -> Option<Layout> {
        self.layout
    }

    /// Decoded offset and line just after the last complete record.
    pub fn resume_point(&self) -> (u64, u64) {
        self.resume
    }

    /// Bytes of an incomplete last record left for a later run.
    pub fn pending_bytes(&self) -> u64 {
        self.pending
    }

    /// The decoded stream, to finish fingerprinting.
    pub fn into_inner(self) -> R {
        self.input.into_reader()
    }

    /// Appends the next record's bytes to `buf` and describes it; `None` at
    /// the end of the stream.
    pub fn next_frame(&mut self, buf: &mut Vec<u8>) -> Option<Frame> {
        if self.done {
            return None;
        }
        let layout = match self.layout {
            Some(l) => l,
            None => {
                let l = self.detect();
                self.layout = Some(l);
                l
            }
        };
        let mut frame = match layout {
            Layout::Empty => None,
            Layout::Unsupported => {
                self.done = true;
                return Some(self.unsupported(buf));
            }
            Layout::Lines | Layout::Concatenated | Layout::Array => self.next_value(buf),
        };
        self.input.shrink();
        if let Some(Frame::Reject {
            reason, message, ..
        }) = frame.as_mut()
        {
            // a record cut short by a read error is the read error
            if *reason == RejectReason::Truncated {
                if let Some(err) = self.input.take_error() {
                    *reason = RejectReason::ReadError;
                    *message = format!("file could not be read past this point: {err}");
                    self.done = true;
                }
            }
        }
        if frame.is_none() {
            self.done = true;
            if let Some(err) = self.input.take_error() {
                self.pending = 0;
                let location = self.location(self.input.offset(), self.input.line());
                let start = buf.len();
                return Some(Frame::Reject {
                    location,
                    reason: RejectReason::ReadError,
                    message: format!("file could not be read past this point: {err}"),
                    range: start..start,
                });
            }
        }
        frame
    }

    fn unsupported(&mut self, buf: &mut Vec<u8>) -> Frame {
        let start = buf.len();
        let location = self.location(self.input.offset(), self.input.line());
        let head = self.input.peek_ahead(RAW_PREFIX_BYTES);
        let kind = binary_kind(head).unwrap_or("binary data");
        buf.extend_from_slice(&head[..head.len().min(64)]);
        Frame::Reject {
            location,
            reason: RejectReason::UnsupportedFormat,
            message: format!("not JSON text: {kind} (the whole file is skipped)"),
            range: start..buf.len(),
        }
    }

    fn location(&self, byte: u64, line: u64) -> Location {
        Location {
            byte,
            line,
            by_line: self.layout == Some(Layout::Lines),
        }
    }

    /// Looks at the start of the stream to pick a layout.
    fn detect(&mut self) -> Layout {
        if self.input.peek_ahead(UTF8_BOM.len()).starts_with(UTF8_BOM) {
            self.input.consume(UTF8_BOM.len());
            self.resume = (self.input.offset(), self.input.line());
        }
        let (layout, skip) = pick_layout(self.input.peek_ahead(64 * 1024));
        if layout == Layout::Array {
            self.input.consume(skip);
            self.in_array = true;
        }
        layout
    }

    /// Frames the next value of the stream.
    fn next_value(&mut self, buf: &mut Vec<u8>) -> Option<Frame> {
        loop {
            let first = self.skip_separators()?;
            if self.in_array && first == b']' {
                self.input.consume(1);
                self.in_array = false;
                self.resume = (self.input.offset(), self.input.line());
                continue;
            }
            if !self.in_array && first == b'[' && self.layout == Some(Layout::Array) {
                self.input.consume(1);
                self.in_array = true;
                continue;
            }
            let location = self.location(self.input.offset(), self.input.line());
            let start = buf.len();
            let scan = self.scan_value(buf, start);
            if let Scan::Closed = scan {
                self.resume = (self.input.offset(), self.input.line());
                return Some(Frame::Record {
                    location,
                    range: start..buf.len(),
                });
            }
            return self.broken(buf, location, start, scan);
        }
    }

    /// A record that did not close: cut it at the first place a new record
    /// may start, or leave an incomplete tail for a later run.
    fn broken(
        &mut self,
        buf: &mut Vec<u8>,
        location: Location,
        start: usize,
        scan: Scan,
    ) -> Option<Frame> {
        if let Scan::TooLarge = scan {
            self.resume = (self.input.offset(), self.input.line());
            return Some(too_large_frame(location, start..buf.len()));
        }
        let ahead = self.input.peek_ahead(CANDIDATE_LOOK_AHEAD).to_vec();
        let (reason, message) = if let Some(cut) = find_candidate(&buf[start..], &ahead) {
            let tail = buf[start + cut..].to_vec();
            buf.truncate(start + cut);
            self.input.push_back(&tail);
            (
                classify(&buf[start..]),
                "record is broken; reading resumed at the next record",
            )
        } else if let Scan::Eof = scan {
            if self.tail_may_grow && !self.input.has_error() {
                self.pending = (buf.len() - start) as u64;
                buf.truncate(start);
                return None;
            }
            (RejectReason::Truncated, "the data ends inside this record")
        } else {
            if buf.len() == start {
                // the offending byte itself starts the bad region
                let avail = self.input.available();
                if let Some(&b) = avail.first() {
                    buf.push(b);
                    self.input.consume(1);
                }
            }
            let prev = buf.last().copied().unwrap_or(b' ');
            self.skip_to_candidate(buf, start, prev);
            (classify(&buf[start..]), "record is not valid JSON")
        };
        if !matches!(scan, Scan::Eof) {
            // a cut tail is read again if the file grows
            self.resume = (self.input.offset(), self.input.line());
        }
        let range = trim_range(buf, start);
        let range = range.start..range.end.min(range.start + RAW_PREFIX_BYTES);
        Some(Frame::Reject {
            location,
            reason,
            message: message.to_string(),
            range,
        })
    }

    /// Copies one value into `buf` as the scanner accepts it.
    fn scan_value(&mut self, buf: &mut Vec<u8>, start: usize) -> Scan {
        let mut scanner = Scanner::default();
        loop {
            let avail = self.input.available();
            if avail.is_empty() {
                return if scanner.complete_at_end() {
                    Scan::Closed
                } else {
                    Scan::Eof
                };
            }
            let (n, outcome) = match scanner.feed(avail) {
                Step::More => (avail.len(), None),
                Step::Done(n) => (n, Some(Scan::Closed)),
                Step::Error(n) => (n, Some(Scan::Broken)),
            };
            if buf.len() - start + n > MAX_RECORD_BYTES {
                let room = (start + RAW_PREFIX_BYTES).saturating_sub(buf.len());
                buf.extend_from_slice(&avail[..n.min(room)]);
                buf.truncate(start + RAW_PREFIX_BYTES);
                self.input.consume(n);
                if outcome.is_none() {
                    self.skip_value(&mut scanner, buf, start);
                }
                return Scan::TooLarge;
            }
            buf.extend_from_slice(&avail[..n]);
            self.input.consume(n);
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
    }

    /// Skips the rest of an oversized value without keeping it; when it
    /// turns out broken, skips on to the next record start.
    fn skip_value(&mut self, scanner: &mut Scanner, buf: &mut Vec<u8>, start: usize) {
        loop {
            let avail = self.input.available();
            if avail.is_empty() {
                return;
            }
            match scanner.feed(avail) {
                Step::More => {
                    let n = avail.len();
                    self.input.consume(n);
                }
                Step::Done(n) => {
                    self.input.consume(n);
                    return;
                }
                Step::Error(n) => {
                    let prev = if n > 0 { avail[n - 1] } else { b' ' };
                    self.input.consume(n);
                    self.skip_to_candidate(buf, start, prev);
                    return;
                }
            }
        }
    }

    /// Skips bytes up to the next place a record may start, keeping the
    /// first [`RAW_PREFIX_BYTES`] of the region in `buf`.
    fn skip_to_candidate(&mut self, buf: &mut Vec<u8>, start: usize, mut prev: u8) {
        loop {
            let avail = self.input.peek_ahead(2 * LOOK_AHEAD);
            if avail.is_empty() {
                return;
            }
            let checkable = if avail.len() >= 2 * LOOK_AHEAD {
                avail.len() - LOOK_AHEAD
            } else {
                avail.len()
            };
            let found = (0..checkable).find(|&i| {
                let before = if i == 0 { prev } else { avail[i - 1] };
                is_candidate(before, &avail[i..])
            });
            let n = found.unwrap_or(checkable);
            let room = (start + RAW_PREFIX_BYTES).saturating_sub(buf.len());
            buf.extend_from_slice(&avail[..n.min(room)]);
            if n > 0 {
                prev = avail[n - 1];
            }
            self.input.consume(n);
            if found.is_some() {
                return;
            }
        }
    }

    /// Skips whitespace (and commas inside an array); returns the next byte.
    fn skip_separators(&mut self) -> Option<u8> {
        loop {
            let in_array = self.in_array;
            let avail = self.input.available();
            if avail.is_empty() {
                return None;
            }
            let skip = avail
                .iter()
                .position(|&b| !(b.is_ascii_whitespace() || (in_array && b == b',')));
            match skip {
                Some(i) => {
                    let b = avail[i];
                    self.input.consume(i);
                    return Some(b);
                }
                None => {
                    let n = avail.len();
                    self.input.consume(n);
                }
            }
        }
    }
}

fn too_large_frame(location: Location, range: Range<usize>) -> Frame {
    Frame::Reject {
        location,
        reason: RejectReason::TooLarge,
        message: format!("record is larger than {MAX_RECORD_BYTES} bytes"),
        range: range.start..range.end.min(range.start + RAW_PREFIX_BYTES),
    }
}
