//! Splits a decoded byte stream into records without parsing them.
//!
//! Three layouts are recognised by content: one value per line (NDJSON,
//! JSONL, LF or CRLF), values concatenated with or without whitespace
//! (pretty-printed files, Firehose objects), and a top-level array of
//! values. A broken record never costs its neighbours: lines are independent,
//! and in the other layouts the framer resynchronises on the next
//! `{"event_id"` after a record that does not parse.

use std::io::Read;
use std::ops::Range;

use serde::de::IgnoredAny;

use super::input::Input;
use super::{Frame, Layout, Location};
use crate::reject::{classify_json_error, RejectReason, RAW_PREFIX_BYTES};

/// Records larger than this are quarantined as `too_large`.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Frames records out of one decoded stream.
pub struct Framer<R> {
    input: Input<R>,
    layout: Option<Layout>,
    in_array: bool,
    /// Decoded offset and line after the last complete frame.
    resume: (u64, u64),
    done: bool,
}

enum Scan {
    /// The value closed normally.
    Closed,
    /// The stream ended inside the value.
    Eof,
    /// The value passed the size limit.
    TooLarge,
}

impl<R: Read> Framer<R> {
    /// Frames `input`; `layout` is known when resuming a file read before.
    pub fn new(input: Input<R>, layout: Option<Layout>) -> Self {
        let resume = (input.offset(), input.line());
        Framer {
            input,
            layout,
            in_array: false,
            resume,
            done: false,
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
                let start = buf.len();
                let location = self.location(self.input.offset(), self.input.line());
                let head = self.input.peek_ahead(RAW_PREFIX_BYTES);
                let shown = head.len().min(64);
                buf.extend_from_slice(&head[..shown]);
                return Some(Frame::Reject {
                    location,
                    reason: RejectReason::UnsupportedFormat,
                    message: format!(
                        "not JSON text: {} (the whole file is skipped)",
                        binary_kind(head).unwrap_or("binary data")
                    ),
                    range: start..buf.len(),
                });
            }
            Layout::Lines => self.next_line(buf),
            Layout::Concatenated | Layout::Array => self.next_value(buf),
        };
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
        let head = self.input.peek_ahead(64 * 1024);
        if binary_kind(head).is_some() {
            return Layout::Unsupported;
        }
        let Some(first) = head.iter().position(|b| !b.is_ascii_whitespace()) else {
            return if head.is_empty() || self.input_is_done() {
                Layout::Empty
            } else {
                Layout::Lines
            };
        };
        let mut lines = head[first..]
            .split(|&b| b == b'\n')
            .map(trim_ascii)
            .filter(|l| !l.is_empty());
        let first_line = lines.next().unwrap_or_default();
        let first_is_value = parses_as_one_value(first_line);
        match head[first] {
            b'[' if !(first_is_value && lines.next().is_some()) => {
                self.input.consume(first + 1);
                self.in_array = true;
                Layout::Array
            }
            b'{' if !first_is_value && !lines.take(2).any(parses_as_one_value) => {
                Layout::Concatenated
            }
            _ => Layout::Lines,
        }
    }

    fn input_is_done(&mut self) -> bool {
        self.input.available().is_empty()
    }

    /// Lines layout: every non-blank line is one record.
    fn next_line(&mut self, buf: &mut Vec<u8>) -> Option<Frame> {
        loop {
            let (byte, line) = (self.input.offset(), self.input.line());
            let start = buf.len();
            let mut kept = 0usize;
            let mut too_large = false;
            let mut newline = false;
            let mut any = false;
            loop {
                let avail = self.input.available();
                if avail.is_empty() {
                    break;
                }
                any = true;
                let (take, used) = match memchr::memchr(b'\n', avail) {
                    Some(i) => {
                        newline = true;
                        (i, i + 1)
                    }
                    None => (avail.len(), avail.len()),
                };
                if !too_large {
                    if kept + take > MAX_RECORD_BYTES {
                        too_large = true;
                        let room = RAW_PREFIX_BYTES.saturating_sub(kept);
                        buf.extend_from_slice(&avail[..take.min(room)]);
                    } else {
                        buf.extend_from_slice(&avail[..take]);
                    }
                    kept += take;
                }
                self.input.consume(used);
                if newline {
                    break;
                }
            }
            if !any {
                return None;
            }
            let range = trim_range(buf, start);
            let location = self.location(byte, line);
            if range.is_empty() {
                buf.truncate(start);
                if newline {
                    self.resume = (self.input.offset(), self.input.line());
                    continue;
                }
                return None;
            }
            if too_large {
                self.resume = (self.input.offset(), self.input.line());
                return Some(too_large_frame(location, range));
            }
            if !newline {
                // Last line without a newline: complete only if it parses.
                if let Err(err) = serde_json::from_slice::<IgnoredAny>(&buf[range.clone()]) {
                    if err.is_eof() {
                        return Some(Frame::Reject {
                            location,
                            reason: RejectReason::Truncated,
                            message: format!("last line is incomplete: {err}"),
                            range,
                        });
                    }
                }
            }
            self.resume = (self.input.offset(), self.input.line());
            return Some(Frame::Record { location, range });
        }
    }

    /// Concatenated and array layouts: frame one JSON value by its brackets.
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
            let scan = match first {
                b'{' | b'[' => self.scan_composite(buf),
                _ => self.scan_token(buf),
            };
            let range = start..buf.len();
            let outcome = match scan {
                Scan::TooLarge => Err(RejectReason::TooLarge),
                Scan::Eof => Err(RejectReason::Truncated),
                Scan::Closed => match serde_json::from_slice::<IgnoredAny>(&buf[range.clone()]) {
                    Ok(_) => Ok(()),
                    Err(e) => Err(classify_json_error(&e)),
                },
            };
            match outcome {
                Ok(()) => {
                    self.resume = (self.input.offset(), self.input.line());
                    return Some(Frame::Record { location, range });
                }
                Err(reason) => return Some(self.resync(buf, location, range, reason, scan)),
            }
        }
    }

    /// After a broken value: keep the part before the next envelope start as
    /// the reject and give the rest back to the stream.
    fn resync(
        &mut self,
        buf: &mut Vec<u8>,
        location: Location,
        range: Range<usize>,
        reason: RejectReason,
        scan: Scan,
    ) -> Frame {
        if let Some(cut) = find_envelope_start(&buf[range.start + 1..range.end]) {
            let split = range.start + 1 + cut;
            let tail = buf[split..range.end].to_vec();
            buf.truncate(split);
            self.input.push_back(&tail);
            let head = trim_range(buf, range.start);
            let reason = match serde_json::from_slice::<IgnoredAny>(&buf[head.clone()]) {
                Err(e) => classify_json_error(&e),
                Ok(_) => RejectReason::InvalidJson,
            };
            self.resume = (self.input.offset(), self.input.line());
            return Frame::Reject {
                location,
                reason,
                message: "record is broken; reading resumed at the next event".to_string(),
                range: head,
            };
        }
        if !matches!(scan, Scan::Eof) {
            self.resume = (self.input.offset(), self.input.line());
        }
        if reason == RejectReason::TooLarge {
            return too_large_frame(location, range);
        }
        let message = match scan {
            Scan::Eof => "the data ends inside this record".to_string(),
            _ => "record is not valid JSON".to_string(),
        };
        Frame::Reject {
            location,
            reason,
            message,
            range,
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

    /// Copies one bracketed value into `buf`, tracking strings and escapes.
    fn scan_composite(&mut self, buf: &mut Vec<u8>) -> Scan {
        let mut depth = 0usize;
        let mut strings = StringTracker::default();
        let mut kept = 0usize;
        loop {
            let avail = self.input.available();
            if avail.is_empty() {
                return Scan::Eof;
            }
            let mut end = None;
            for (i, &b) in avail.iter().enumerate() {
                if strings.inside(b) {
                    continue;
                }
                match b {
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let n = end.unwrap_or(avail.len());
            buf.extend_from_slice(&avail[..n]);
            kept += n;
            self.input.consume(n);
            if end.is_some() {
                return Scan::Closed;
            }
            if kept > MAX_RECORD_BYTES {
                return Scan::TooLarge;
            }
        }
    }

    /// Copies a scalar or a run of garbage: a string up to its closing quote,
    /// anything else up to whitespace (or `,`/`]` inside an array).
    fn scan_token(&mut self, buf: &mut Vec<u8>) -> Scan {
        let in_array = self.in_array;
        let mut strings = StringTracker::default();
        let mut is_string = None;
        loop {
            let avail = self.input.available();
            if avail.is_empty() {
                return if strings.in_string {
                    Scan::Eof
                } else {
                    Scan::Closed
                };
            }
            let mut end = None;
            for (i, &b) in avail.iter().enumerate() {
                let string_token = *is_string.get_or_insert(b == b'"');
                if string_token {
                    strings.inside(b);
                    if !strings.in_string {
                        end = Some(i + 1);
                        break;
                    }
                } else if b == b'\n' || (in_array && (b == b',' || b == b']')) {
                    end = Some(i);
                    break;
                }
            }
            let n = end.unwrap_or(avail.len());
            buf.extend_from_slice(&avail[..n]);
            self.input.consume(n);
            if end.is_some() {
                return Scan::Closed;
            }
            if buf.len() > MAX_RECORD_BYTES {
                return Scan::TooLarge;
            }
        }
    }
}

/// Follows JSON string syntax one byte at a time.
#[derive(Default)]
struct StringTracker {
    in_string: bool,
    escaped: bool,
}

impl StringTracker {
    /// Feeds one byte; true when it belongs to a string (quotes included).
    fn inside(&mut self, b: u8) -> bool {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return true;
        }
        if b == b'"' {
            self.in_string = true;
            return true;
        }
        false
    }
}

/// Recognises content that is certainly not JSON text: compressed or
/// archive formats hookstat does not read, executables, databases, and
/// anything with NUL bytes near the start.
fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x1f\x8b", "gzip inside gzip"),
        (b"BZh", "bzip2-compressed data"),
        (b"\xfd7zXZ\x00", "xz-compressed data"),
        (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
        (b"PK\x03\x04", "a zip archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
        (b"\x7fELF", "an executable"),
        (b"PAR1", "a Parquet file"),
        (b"SQLite format 3\x00", "an SQLite database"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(kind);
    }
    if head.get(8..12) == Some(b"DUCK") {
        return Some("a DuckDB database");
    }
    head[..head.len().min(4096)]
        .contains(&0)
        .then_some("binary data")
}

fn too_large_frame(location: Location, range: Range<usize>) -> Frame {
    Frame::Reject {
        location,
        reason: RejectReason::TooLarge,
        message: format!("record is larger than {MAX_RECORD_BYTES} bytes"),
        range: range.start..range.end.min(range.start + RAW_PREFIX_BYTES),
    }
}

fn parses_as_one_value(line: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(line).is_ok()
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

/// The range of `buf[start..]` without surrounding ASCII whitespace.
fn trim_range(buf: &[u8], start: usize) -> Range<usize> {
    let slice = &buf[start..];
    let lead = slice.len() - slice.trim_ascii_start().len();
    let trail = slice.len() - slice.trim_ascii_end().len();
    if lead == slice.len() {
        return start..start;
    }
    start + lead..buf.len() - trail
}

/// Position of the next `{` followed by optional whitespace and
/// `"event_id"`: where a new envelope most likely starts.
fn find_envelope_start(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'{', bytes).find(|&i| {
        bytes[i + 1..]
            .trim_ascii_start()
            .starts_with(b"\"event_id\"")
    })
}
