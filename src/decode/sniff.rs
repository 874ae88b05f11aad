//! Recognising what a file holds from its first bytes.

use serde::de::IgnoredAny;

use super::Layout;

/// The layout of a stream from its first bytes (after a byte-order mark),
/// and for an array how many bytes to skip to be inside it.
pub fn pick_layout(head: &[u8]) -> (Layout, usize) {
    if binary_kind(head).is_some() {
        return (Layout::Unsupported, 0);
    }
    let Some(first) = head.iter().position(|b| !b.is_ascii_whitespace()) else {
        return (Layout::Empty, 0);
    };
    let mut lines = head[first..]
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|l| !l.is_empty());
    let first_line = lines.next().unwrap_or_default();
    let first_is_value = parses_as_one_value(first_line);
    match head[first] {
        b'[' if !(first_is_value && lines.next().is_some()) => (Layout::Array, first + 1),
        b'{' if !first_is_value && !lines.take(2).any(parses_as_one_value) => {
            (Layout::Concatenated, 0)
        }
        _ => (Layout::Lines, 0),
    }
}

/// Recognises content that is certainly not JSON text: compressed or
/// archive formats hookstat does not read, executables, databases, and data
/// that is binary throughout (many control or invalid UTF-8 bytes). A few
/// stray control bytes in text cost only their record.
pub fn binary_kind(head: &[u8]) -> Option<&'static str> {
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
    let sample = &head[..head.len().min(64 * 1024)];
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7f)
        .count();
    let invalid: usize = sample
        .utf8_chunks()
        .map(|c| c.invalid().len())
        .sum::<usize>()
        .saturating_sub(3); // a character cut at the end of the sample
    ((control + invalid) * 10 > sample.len()).then_some("binary data")
}

/// True when `line` is exactly one JSON value.
pub fn parses_as_one_value(line: &[u8]) -> bool {
    serde_json::from_slice::<IgnoredAny>(line).is_ok()
}
