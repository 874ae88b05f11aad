//! A byte buffer over a decompressed stream that tracks offsets and line
//! numbers, and lets the framer push bytes back when it resynchronises after
//! a broken record.

use std::io::{self, Read};

const BUFFER_BYTES: usize = 256 * 1024;

/// Buffered reader with position tracking and push-back.
pub struct Input<R> {
    reader: R,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    offset: u64,
    line: u64,
    error: Option<io::Error>,
    eof: bool,
}

impl<R: Read> Input<R> {
    /// Wraps `reader`; `offset` and `line` say where in the file it starts.
    /// `expected_len` (when known) keeps the buffer small for small files.
    pub fn new(reader: R, offset: u64, line: u64, expected_len: Option<u64>) -> Self {
        let capacity = expected_len.map_or(BUFFER_BYTES, |n| {
            (n.saturating_add(1) as usize).clamp(4096, BUFFER_BYTES)
        });
        Input {
            reader,
            buf: vec![0; capacity],
            pos: 0,
            len: 0,
            offset,
            line,
            error: None,
            eof: false,
        }
    }

    /// Offset of the next byte in the decoded stream.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// 1-based line number of the next byte.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Gives back the underlying reader.
    pub fn into_reader(self) -> R {
        self.reader
    }

    /// True when a read error ended the stream.
    pub fn has_error(&self) -> bool {
        self.error.is_some()
    }

    /// Takes the read error that ended the stream, if any.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    /// Reads once more into the free space (compacting first); false at the
    /// end of the stream.
    fn refill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
        }
        if self.len == self.buf.len() {
            let grown = (self.buf.len() * 2).max(BUFFER_BYTES);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.len += n;
                    return true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// The bytes available now without blocking on more than one read;
    /// empty only at the end of the stream.
    pub fn available(&mut self) -> &[u8] {
        if self.pos == self.len {
            self.refill();
        }
        &self.buf[self.pos..self.len]
    }

    /// Buffers at least `want` bytes (less only at the end of the stream) and
    /// returns them, without consuming.
    pub fn peek_ahead(&mut self, want: usize) -> &[u8] {
        while self.len - self.pos < want && self.refill() {}
        &self.buf[self.pos..self.len]
    }

    /// Marks `n` bytes of [`Input::available`] as read.
    pub fn consume(&mut self, n: usize) {
        let bytes = &self.buf[self.pos..self.pos + n];
        self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.offset += n as u64;
        self.pos += n;
    }

    /// Returns `bytes` (the most recently consumed ones) to the stream.
    pub fn push_back(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        if self.pos >= n && &self.buf[self.pos - n..self.pos] == bytes {
            self.pos -= n;
        } else {
            let mut joined = Vec::with_capacity(n + self.len - self.pos + BUFFER_BYTES);
            joined.extend_from_slice(bytes);
            joined.extend_from_slice(&self.buf[self.pos..self.len]);
            self.len = joined.len();
            joined.resize(self.len + BUFFER_BYTES, 0);
            self.buf = joined;
            self.pos = 0;
        }
        self.offset -= n as u64;
        self.line -= memchr::memchr_iter(b'\n', bytes).count() as u64;
    }

    /// Shrinks a buffer that grew for a large push-back or look-ahead.
    pub fn shrink(&mut self) {
        if self.buf.len() > 4 * BUFFER_BYTES && self.len - self.pos < BUFFER_BYTES {
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
            self.buf.truncate(BUFFER_BYTES);
            self.buf.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracks_offsets_lines_and_pushback() {
        let mut input = Input::new(&b"ab\ncd\nef"[..], 0, 1, None);
        assert_eq!(input.available(), b"ab\ncd\nef");
        input.consume(4);
        assert_eq!((input.offset(), input.line()), (4, 2));
        input.push_back(b"\nc");
        assert_eq!((input.offset(), input.line()), (2, 1));
        assert_eq!(input.available(), b"\ncd\nef");
        input.consume(2);
        assert_eq!(input.available(), b"d\nef");
        input.consume(4);
        assert_eq!(input.available(), b"");
        assert_eq!((input.offset(), input.line()), (8, 3));
        input.push_back(b"xy");
        assert_eq!(input.available(), b"xy");
        assert_eq!(input.peek_ahead(10), b"xy");
    }
}
