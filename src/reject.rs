//! Quarantine vocabulary: why a record could not become an event.
//!
//! Decoding and validation never abort a run on bad input; they produce a
//! [`RejectReason`] with a stable code that lands in the `rejects` table.

use std::fmt;

/// How many bytes of a rejected record are kept in `rejects.raw`.
pub const RAW_PREFIX_BYTES: usize = 4096;

/// Stable reason codes for quarantined records. The codes are a contract:
/// reports and users filter on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RejectReason {
    /// Not parseable as JSON (garbage, syntax error).
    InvalidJson,
    /// The JSON value ends before it is complete (cut line, half-written file).
    Truncated,
    /// The record's bytes are not valid UTF-8.
    InvalidUtf8,
    /// Valid JSON, but not an object.
    NotAnObject,
    /// No usable `event_id` (absent, null, empty or not a scalar).
    MissingEventId,
    /// No usable `event_type`.
    MissingEventType,
    /// The record is larger than the per-record limit.
    TooLarge,
    /// The file could not be read (I/O error, corrupt gzip stream).
    ReadError,
    /// The whole file is not JSON text (binary, unsupported compression).
    UnsupportedFormat,
}

impl RejectReason {
    /// All reasons, in code order.
    pub const ALL: [RejectReason; 9] = [
        RejectReason::InvalidJson,
        RejectReason::Truncated,
        RejectReason::InvalidUtf8,
        RejectReason::NotAnObject,
        RejectReason::MissingEventId,
        RejectReason::MissingEventType,
        RejectReason::TooLarge,
        RejectReason::ReadError,
        RejectReason::UnsupportedFormat,
    ];

    /// The stable code stored in `rejects.reason`.
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::InvalidJson => "invalid_json",
            RejectReason::Truncated => "truncated",
            RejectReason::InvalidUtf8 => "invalid_utf8",
            RejectReason::NotAnObject => "not_an_object",
            RejectReason::MissingEventId => "missing_event_id",
            RejectReason::MissingEventType => "missing_event_type",
            RejectReason::TooLarge => "too_large",
            RejectReason::ReadError => "read_error",
            RejectReason::UnsupportedFormat => "unsupported_format",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Classifies a JSON syntax error: running out of input means the record was
/// cut short, anything else is invalid JSON.
pub fn classify_json_error(err: &serde_json::Error) -> RejectReason {
    match err.classify() {
        serde_json::error::Category::Eof => RejectReason::Truncated,
        _ => RejectReason::InvalidJson,
    }
}

/// Renders up to [`RAW_PREFIX_BYTES`] of a record as text: valid UTF-8 is kept,
/// control characters and invalid bytes are escaped (`\n`, `\x00`, `\xff`).
pub fn escape_raw(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(RAW_PREFIX_BYTES)];
    let mut out = String::with_capacity(cut.len() + 16);
    for chunk in cut.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if bytes.len() > cut.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_snake_case() {
        let mut codes: Vec<_> = RejectReason::ALL.iter().map(|r| r.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RejectReason::ALL.len());
        assert!(codes.iter().all(|c| c
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')));
    }

    #[test]
    fn escape_keeps_text_and_escapes_bytes() {
        assert_eq!(escape_raw(b"ok \xff\xfe\n"), "ok \\xff\\xfe\\n");
        assert_eq!(escape_raw("कॉल".as_bytes()), "कॉल");
        assert_eq!(escape_raw(b"a\x00b"), "a\\x00b");
        let long = vec![b'a'; RAW_PREFIX_BYTES + 10];
        let escaped = escape_raw(&long);
        assert_eq!(escaped.chars().count(), RAW_PREFIX_BYTES + 1);
        assert!(escaped.ends_with('…'));
    }

    #[test]
    fn json_errors_are_classified() {
        let eof = serde_json::from_str::<serde_json::Value>("{\"a\":").unwrap_err();
        assert_eq!(classify_json_error(&eof), RejectReason::Truncated);
        let syntax = serde_json::from_str::<serde_json::Value>("{a}").unwrap_err();
        assert_eq!(classify_json_error(&syntax), RejectReason::InvalidJson);
    }
}
