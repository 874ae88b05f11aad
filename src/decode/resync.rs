//! Where reading resumes after a broken record, and how the broken bytes
//! are classified. Line breaks matter only here: a record may start at a
//! line that begins at column 0 with anything but whitespace or a closing
//! bracket, or at a `{` followed by `"event_id"`.

use std::ops::Range;

use serde::de::IgnoredAny;

use crate::reject::{classify_json_error, RejectReason};

/// True when a record may start at `rest[0]`, `before` being the byte
/// before it: a line that starts (at column 0) with anything but
/// whitespace or a closing bracket, or `{` followed by `"event_id"`.
pub fn is_candidate(before: u8, rest: &[u8]) -> bool {
    let b = rest[0];
    if before == b'\n' && !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'}' | b']' | b',') {
        return true;
    }
    b == b'{' && rest[1..].trim_ascii_start().starts_with(b"\"event_id\"")
}

/// Bytes after a place that decide whether a record starts there.
pub const CANDIDATE_LOOK_AHEAD: usize = 64;

/// First place after the start of `region` where a record may start;
/// `ahead` are the bytes that follow the region in the stream.
pub fn find_candidate(region: &[u8], ahead: &[u8]) -> Option<usize> {
    let n = region.len();
    let tail_start = n.saturating_sub(CANDIDATE_LOOK_AHEAD);
    let mut tail = region[tail_start..].to_vec();
    tail.extend_from_slice(&ahead[..ahead.len().min(CANDIDATE_LOOK_AHEAD)]);
    (1..n).find(|&i| {
        let rest = if i < tail_start {
            &region[i..]
        } else {
            &tail[i - tail_start..]
        };
        is_candidate(region[i - 1], rest)
    })
}

/// Why the bytes of a broken record are not a record.
pub fn classify(region: &[u8]) -> RejectReason {
    match serde_json::from_slice::<IgnoredAny>(region.trim_ascii()) {
        Err(e) => classify_json_error(&e),
        Ok(_) => RejectReason::InvalidJson,
    }
}

/// The range of `buf[start..]` without surrounding ASCII whitespace.
pub fn trim_range(buf: &[u8], start: usize) -> Range<usize> {
    let slice = &buf[start..];
    let lead = slice.len() - slice.trim_ascii_start().len();
    let trail = slice.len() - slice.trim_ascii_end().len();
    if lead == slice.len() {
        return start..start;
    }
    start + lead..buf.len() - trail
}
