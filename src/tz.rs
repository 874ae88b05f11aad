//! Time zones without DuckDB's ICU extension (not compiled in): zone names
//! parsed with chrono-tz, and a temp table of UTC-offset segments plus the
//! `local_ts(ts)` macro installed on a connection, shared by the reports
//! (local days and hours) and the export (partition dates).

use chrono::{Offset, TimeZone};
use chrono_tz::Tz;
use duckdb::{params, Connection};

const TZ_SQL: &str = include_str!("../sql/tz.sql");
const TZ_MACRO_SQL: &str = include_str!("../sql/tz_macro.sql");
const TIME_RANGE_SQL: &str = include_str!("../sql/time_range.sql");

/// Parses an IANA zone name such as `Asia/Kolkata`.
pub fn parse_tz(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        format!("unknown time zone {text:?}: use an IANA name such as UTC, Asia/Kolkata or Europe/Berlin")
    })
}

/// Segments `[from, to)` (epoch seconds, UTC) with the zone's UTC offset in
/// seconds, covering `[start, end)`; offsets are sampled every 15 minutes,
/// the granularity of real-world transitions.
pub fn offsets(tz: Tz, start: i64, end: i64) -> Vec<(i64, i64, i32)> {
    const STEP: i64 = 15 * 60;
    let offset_at = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|utc| {
                tz.offset_from_utc_datetime(&utc.naive_utc())
                    .fix()
                    .local_minus_utc()
            })
            .unwrap_or(0)
    };
    let start = start - start.rem_euclid(STEP);
    let mut segments = Vec::new();
    let mut seg_start = start;
    let mut current = offset_at(start);
    let mut t = start + STEP;
    while t < end + STEP {
        let o = offset_at(t);
        if o != current {
            segments.push((seg_start, t, current));
            seg_start = t;
            current = o;
        }
        t += STEP;
    }
    segments.push((seg_start, t, current));
    segments
}

/// Installs `tz_offsets` for `tz` over the span of the data (with two days
/// to spare) and the `local_ts` macro on `conn` (temp objects only).
pub fn install(conn: &Connection, tz: Tz) -> duckdb::Result<()> {
    conn.execute_batch(TZ_SQL)?;
    let (start, end): (Option<i64>, Option<i64>) =
        conn.query_row(TIME_RANGE_SQL, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let day = 86_400;
    let (start, end) = match (start, end) {
        (Some(s), Some(e)) => (s - 2 * day, e + 2 * day),
        _ => (0, day),
    };
    let segments = offsets(tz, start, end);
    let mut appender = conn.appender("tz_offsets")?;
    for &(from, to, offset) in &segments {
        appender.append_row(params![
            chrono::DateTime::from_timestamp(from, 0).map(|t| t.naive_utc()),
            chrono::DateTime::from_timestamp(to, 0).map(|t| t.naive_utc()),
            offset
        ])?;
    }
    drop(appender);
    match segments.as_slice() {
        // one offset over the whole span (UTC, Asia/Kolkata): a constant
        // shift instead of a lookup per value
        [(_, _, offset)] => conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP MACRO local_ts(ts) AS ts + to_seconds({offset});"
        )),
        _ => conn.execute_batch(TZ_MACRO_SQL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_and_dst_zones() {
        let kolkata = offsets(
            parse_tz("Asia/Kolkata").unwrap(),
            1_750_000_000,
            1_760_000_000,
        );
        assert_eq!(kolkata.len(), 1);
        assert_eq!(kolkata[0].2, 5 * 3600 + 1800);
        // Berlin leaves summer time on 2025-10-26 01:00 UTC
        let berlin = offsets(
            parse_tz("Europe/Berlin").unwrap(),
            1_760_000_000,
            1_763_000_000,
        );
        assert_eq!(berlin.len(), 2);
        assert_eq!((berlin[0].2, berlin[1].2), (7200, 3600));
        assert_eq!(berlin[1].0, 1_761_440_400);
    }

    #[test]
    fn unknown_zones_are_clear_errors() {
        assert!(parse_tz("Mars/Olympus").unwrap_err().contains("IANA"));
    }
}
