//! Bad records for the sample archive: NDJSON lines the ingester must
//! quarantine, each with the reason code it is expected to give them.
//!
//! Every bad record that carries an `event_id` uses a fresh random UUID, so it
//! never collides with a valid event (collisions of 122 random bits are not a
//! practical concern).

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use super::events::EventGen;
use super::util::{uuid_v4, BASE_EPOCH, DAY_SECS};

/// The kinds of bad record, named after the ingester's reject reason codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum BadKind {
    /// An object cut after a `,` (incomplete JSON).
    Truncated,
    /// A line of non-JSON text (an HTML error page, `ok`, ...).
    InvalidJson,
    /// An otherwise valid event with raw invalid UTF-8 in a string value.
    InvalidUtf8,
    /// Valid JSON that is not an object.
    NotAnObject,
    /// An event without a usable `event_id`.
    MissingEventId,
    /// An event with an `event_id` but without `event_type`.
    MissingEventType,
}

impl BadKind {
    /// All kinds, in a fixed order.
    pub(crate) const ALL: [BadKind; 6] = [
        BadKind::Truncated,
        BadKind::InvalidJson,
        BadKind::InvalidUtf8,
        BadKind::NotAnObject,
        BadKind::MissingEventId,
        BadKind::MissingEventType,
    ];

    /// The reject reason code the ingester gives this kind.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            BadKind::Truncated => "truncated",
            BadKind::InvalidJson => "invalid_json",
            BadKind::InvalidUtf8 => "invalid_utf8",
            BadKind::NotAnObject => "not_an_object",
            BadKind::MissingEventId => "missing_event_id",
            BadKind::MissingEventType => "missing_event_type",
        }
    }

    /// Expected count per distinct valid event (about 0.75% in total).
    fn rate(self) -> f64 {
        match self {
            BadKind::Truncated => 0.0012,
            BadKind::InvalidJson => 0.0015,
            BadKind::InvalidUtf8 => 0.0008,
            BadKind::NotAnObject => 0.0012,
            BadKind::MissingEventId => 0.0015,
            BadKind::MissingEventType => 0.0012,
        }
    }
}

/// Plans the bad records of an archive of `events` distinct events: for each
/// of `days` days, the kinds to put into that day's NDJSON file. Every kind
/// appears at least once when `events >= 200`.
pub(crate) fn plan(rng: &mut ChaCha8Rng, events: usize, days: u32) -> Vec<Vec<BadKind>> {
    let mut per_day = vec![Vec::new(); days as usize];
    for kind in BadKind::ALL {
        // Rounding a non-negative finite product; the cast cannot overflow for
        // any realistic `events`.
        let mut n = (events as f64 * kind.rate()).round() as usize;
        if events >= 200 {
            n = n.max(1);
        }
        for _ in 0..n {
            per_day[rng.gen_range(0..days as usize)].push(kind);
        }
    }
    per_day
}

/// The bytes of one bad line (without line terminator) of `kind`, built
/// around a clean `cmb` event created during `day`.
pub(crate) fn line(rng: &mut ChaCha8Rng, gen: &EventGen, kind: BadKind, day: u32) -> Vec<u8> {
    let created_at = BASE_EPOCH + i64::from(day) * DAY_SECS + rng.gen_range(0..DAY_SECS);
    match kind {
        BadKind::Truncated => truncated(rng, gen, created_at),
        BadKind::InvalidJson => {
            const GARBAGE: [&str; 5] = [
                "<html>502 Bad Gateway</html>",
                "ok",
                "<!DOCTYPE html><html><body><h1>504 Gateway Time-out</h1></body></html>",
                "Internal Server Error",
                "ERROR upstream timed out while reading response header",
            ];
            GARBAGE[rng.gen_range(0..GARBAGE.len())].as_bytes().to_vec()
        }
        BadKind::InvalidUtf8 => {
            let id = Value::from(uuid_v4(rng));
            let v = gen.bad_base(rng, created_at, Some(id), true);
            let bytes = compact(&v);
            let marker = b"\"cmb_config_name\":\"";
            match find(&bytes, marker) {
                Some(at) => {
                    let at = at + marker.len();
                    let mut out = bytes[..at].to_vec();
                    out.extend_from_slice(b"\xff\xfe");
                    out.extend_from_slice(&bytes[at..]);
                    out
                }
                // Not reached: bad_base always builds a cmb payload with a
                // config name. Keep the line invalid UTF-8 regardless.
                None => b"{\"event_id\":\"\xff\xfe\"}".to_vec(),
            }
        }
        BadKind::NotAnObject => {
            const VALUES: [&str; 3] = ["[1,2,3]", "42", "\"hello\""];
            VALUES[rng.gen_range(0..VALUES.len())].as_bytes().to_vec()
        }
        BadKind::MissingEventId => {
            let id = match rng.gen_range(0..3) {
                0 => None,
                1 => Some(Value::Null),
                _ => Some(Value::from("")),
            };
            compact(&gen.bad_base(rng, created_at, id, true))
        }
        BadKind::MissingEventType => {
            let id = Value::from(uuid_v4(rng));
            compact(&gen.bad_base(rng, created_at, Some(id), false))
        }
    }
}

/// A compact event cut right after a `,` that follows a complete value (so
/// the text is an unterminated object), somewhere in its middle.
pub(crate) fn truncated(rng: &mut ChaCha8Rng, gen: &EventGen, created_at: i64) -> Vec<u8> {
    let id = Value::from(uuid_v4(rng));
    let bytes = compact(&gen.bad_base(rng, created_at, Some(id), true));
    let commas = structural_commas(&bytes);
    let lo = commas.len() / 4;
    let hi = (commas.len() * 3 / 4).max(lo + 1).min(commas.len());
    match commas.get(rng.gen_range(lo..hi.max(lo + 1))) {
        Some(&pos) => bytes[..=pos].to_vec(),
        // Not reached (an event has many keys); a lone `{` is still truncated.
        None => b"{".to_vec(),
    }
}

/// Positions of the commas outside string literals.
fn structural_commas(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let (mut in_str, mut escaped) = (false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_str = false;
            }
        } else if b == b'"' {
            in_str = true;
        } else if b == b',' {
            out.push(i);
        }
    }
    out
}

fn compact(v: &Value) -> Vec<u8> {
    // Serializing a `Value` into memory cannot fail (keys are strings).
    serde_json::to_vec(v).unwrap_or_default()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
