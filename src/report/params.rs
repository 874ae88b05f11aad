//! Report filters: time zone, local date range and configurations, and the
//! UTC-offset table that stands in for time-zone support in SQL (DuckDB's
//! ICU extension is not compiled in).

use chrono::{NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;

/// What the reports are filtered and shown by.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportParams {
    /// Zone for local days and hours.
    pub tz: Tz,
    /// First local day included.
    pub from: Option<NaiveDate>,
    /// Last local day included.
    pub to: Option<NaiveDate>,
    /// Only these configurations (empty: all).
    pub configs: Vec<String>,
}

/// Parses an IANA zone name such as `Asia/Kolkata`.
pub fn parse_tz(text: &str) -> Result<Tz, String> {
    text.parse::<Tz>().map_err(|_| {
        format!("unknown time zone {text:?}: use an IANA name such as UTC, Asia/Kolkata or Europe/Berlin")
    })
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("invalid date {text:?}: expected YYYY-MM-DD, e.g. 2025-08-01"))
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
    fn bad_names_are_clear_errors() {
        assert!(parse_tz("Mars/Olympus").unwrap_err().contains("IANA"));
        assert!(parse_date("2025-02-30").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(
            parse_date("2025-08-01"),
            NaiveDate::from_ymd_opt(2025, 8, 1).ok_or(String::new())
        );
    }
}
