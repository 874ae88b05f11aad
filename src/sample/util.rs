//! Small shared helpers of the sample generator: the fixed time base,
//! weighted choice, UUIDs, phone numbers, epoch values and date names.

use chrono::Weekday;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// 2025-08-01T00:00:00Z, the first day of every sample archive.
pub(crate) const BASE_EPOCH: i64 = 1_754_006_400;
/// Seconds per day.
pub(crate) const DAY_SECS: i64 = 86_400;
/// India Standard Time offset from UTC, in seconds (+05:30).
pub(crate) const IST_OFFSET: i64 = 19_800;

/// Index drawn with the given relative weights (at least one must be > 0).
pub(crate) fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A UUID v4-looking string drawn from `rng`.
pub(crate) fn uuid_v4(rng: &mut ChaCha8Rng) -> String {
    let mut b: [u8; 16] = rng.gen();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(char::from(HEX[usize::from(byte >> 4)]));
        s.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    s
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// An Indian mobile number: `91` + 10 digits starting with 6-9.
pub(crate) fn phone(rng: &mut ChaCha8Rng) -> String {
    format!(
        "91{}{:09}",
        rng.gen_range(6..=9),
        rng.gen_range(0..1_000_000_000u32)
    )
}

/// Epoch seconds as a string (documented) or, as drift, a JSON number.
pub(crate) fn epoch(t: i64, numeric: bool) -> Value {
    if numeric {
        Value::from(t)
    } else {
        Value::from(t.to_string())
    }
}

/// `YYYY-MM-DD`, zero-padded.
pub(crate) fn ymd(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Full English weekday name (`Saturday`).
pub(crate) fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}
