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
const EVENT_TIME_RANGE_SQL: &str = include_str!("../sql/event_time_range.sql");

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
/// to spare) and the `local_ts` macro on `conn` (temp objects only);
/// returns the span, for [`install_span`] on other connections.
pub fn install(conn: &Connection, tz: Tz) -> duckdb::Result<(i64, i64)> {
    install_over(conn, tz, TIME_RANGE_SQL)
}

/// [`install`] over the span of the events' `created_at` only (all the
/// export's partition dates need).
pub fn install_for_events(conn: &Connection, tz: Tz) -> duckdb::Result<(i64, i64)> {
    install_over(conn, tz, EVENT_TIME_RANGE_SQL)
}

fn install_over(conn: &Connection, tz: Tz, range_sql: &str) -> duckdb::Result<(i64, i64)> {
    let (start, end): (Option<i64>, Option<i64>) =
        conn.query_row(range_sql, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let day = 86_400;
    let span = match (start, end) {
        (Some(s), Some(e)) => (s - 2 * day, e + 2 * day),
        _ => (0, day),
    };
    install_span(conn, tz, span)?;
    Ok(span)
}

/// Installs `tz_offsets` and `local_ts` for `tz` over `span` (epoch
/// seconds) on `conn`.
pub fn install_span(conn: &Connection, tz: Tz, span: (i64, i64)) -> duckdb::Result<()> {
    conn.execute_batch(TZ_SQL)?;
    let (start, end) = span;
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
    match local_ts_expression(&segments) {
        Some(expr) => conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP MACRO local_ts(ts) AS ts + to_seconds({expr});"
        )),
        None => conn.execute_batch(TZ_MACRO_SQL),
    }
}

/// The offset of `ts` as an SQL expression when the segments are few (a
/// constant for zones without daylight saving time, a `CASE` over the
/// transitions otherwise): far cheaper than a lookup per value.
fn local_ts_expression(segments: &[(i64, i64, i32)]) -> Option<String> {
    match segments {
        [] => Some("0".into()),
        [(_, _, offset)] => Some(offset.to_string()),
        _ if segments.len() <= 512 => {
            let mut expr = String::from("CASE");
            for (_, to, offset) in &segments[..segments.len() - 1] {
                let bound = format!("make_timestamp({to}::BIGINT * 1000000)");
                expr.push_str(&format!(" WHEN ts < {bound} THEN {offset}"));
            }
            let last = segments[segments.len() - 1].2;
            expr.push_str(&format!(" ELSE {last} END"));
            Some(expr)
        }
        _ => None,
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

    /// local_ts in SQL agrees with chrono-tz across daylight-saving
    /// transitions (a second either side of each) and for a fixed zone.
    #[test]
    fn local_ts_matches_chrono_tz() {
        // the span comes from Call Me Back times, or from events alone (a
        // database without Call Me Back requests)
        let cases = [
            ("Europe/Berlin", "cmb_requests"),
            ("Asia/Kolkata", "cmb_requests"),
            ("America/Santiago", "cmb_requests"),
            ("Europe/Berlin", "events"),
        ];
        for (zone, holder) in cases {
            let tz = parse_tz(zone).unwrap();
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(
                "CREATE TABLE cmb_requests (requested_at TIMESTAMP, created_at TIMESTAMP, preferred_from TIMESTAMP, preferred_to TIMESTAMP);
                 CREATE TABLE events (created_at TIMESTAMP);",
            )
            .unwrap();
            let span = "make_timestamp(1740000000::BIGINT * 1000000), make_timestamp(1780000000::BIGINT * 1000000)";
            let fill = match holder {
                "events" => format!("INSERT INTO events SELECT unnest([{span}])"),
                _ => format!("INSERT INTO cmb_requests (requested_at) SELECT unnest([{span}])"),
            };
            conn.execute_batch(&fill).unwrap();
            install(&conn, tz).unwrap();
            let mut times: Vec<i64> = (1_740_000_000i64..1_780_000_000)
                .step_by(3_600 * 13 + 60)
                .collect();
            for (_, to, _) in offsets(tz, 1_740_000_000, 1_780_000_000) {
                times.extend([to - 1, to, to + 1]);
            }
            for t in times {
                let got: i64 = conn
                    .query_row(
                        "SELECT epoch(local_ts(make_timestamp(?::BIGINT * 1000000)))::BIGINT",
                        params![t],
                        |r| r.get(0),
                    )
                    .unwrap();
                let utc = chrono::DateTime::from_timestamp(t, 0).unwrap().naive_utc();
                let offset = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
                assert_eq!(got, t + i64::from(offset), "{zone} at {t}");
            }
        }
    }

    #[test]
    fn unknown_zones_are_clear_errors() {
        assert!(parse_tz("Mars/Olympus").unwrap_err().contains("IANA"));
    }
}
