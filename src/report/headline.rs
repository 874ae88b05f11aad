//! The headline at the top of the page: what the database holds, what the
//! latest ingest run changed, how fresh the data is, and a warning when
//! the newest event is older than the configured age.

use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use duckdb::Connection;

const HEADLINE_SQL: &str = include_str!("../../sql/report/headline.sql");
const LATEST_SQL: &str = include_str!("../../sql/report/headline_latest.sql");

/// One headline figure: its value now and before the latest run.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What it counts.
    pub label: &'static str,
    /// Value over everything loaded.
    pub now: Value,
    /// Value before the latest run (None: there was no earlier run).
    pub before: Option<Value>,
}

/// A count or a rate (None when undefined, e.g. no answers yet).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number of things.
    Count(u64),
    /// A fraction in 0..=1.
    Rate(Option<f64>),
}

/// The headline.
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Ingest runs recorded.
    pub runs: u64,
    /// The latest run and when it finished (UTC, `YYYY-MM-DD HH:MM:SS`).
    pub last_run: Option<(i64, String)>,
    /// The figures, in page order.
    pub figures: Vec<Figure>,
    /// The newest `created_at` (UTC).
    pub data_through: Option<DateTime<Utc>>,
    /// Set when the newest event is older than the allowed age.
    pub stale: Option<Stale>,
}

/// Data older than allowed: the one place staleness is decided and worded
/// (the page, the problem of the night and the digest's `stale` flag).
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// The warning in words.
    pub message: String,
    /// The newest event's age (None: no event has a creation time).
    pub age: Option<Duration>,
    /// The allowed age (`stale_after`).
    pub limit: Duration,
}

fn rate(x: i64, n: i64) -> Option<f64> {
    (n > 0).then(|| x as f64 / n as f64)
}

fn count(n: i64) -> u64 {
    n.max(0) as u64
}

/// A duration as a person says it: "455 days", "30 hours", "45 minutes".
pub fn age_text(d: Duration) -> String {
    let s = d.as_secs();
    let (n, unit) = match s {
        s if s >= 2 * 86_400 => (s / 86_400, "days"),
        s if s >= 2 * 3_600 => (s / 3_600, "hours"),
        s => (s / 60, "minutes"),
    };
    format!("{n} {unit}")
}

/// Reads the headline; `stale_after` is the allowed age of the newest
/// event at `now`.
pub fn read(
    conn: &Connection,
    stale_after: Option<Duration>,
    now: DateTime<Utc>,
    tz: Tz,
) -> duckdb::Result<Headline> {
    type Row = (i64, i64, Option<String>, [i64; 9], Option<i64>, [i64; 2]);
    let (last_run, runs, finished, n, newest, changed): Row =
        conn.query_row(HEADLINE_SQL, [], |r| {
            let mut n = [0i64; 9];
            for (i, v) in n.iter_mut().enumerate() {
                *v = r.get(3 + i)?;
            }
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                n,
                r.get(12)?,
                [r.get(13)?, r.get(14)?],
            ))
        })?;
    let [events, events_new, requests, interested, answered, quarantined, quarantined_new, issues, issues_new] =
        n;
    // run ids count up from 1: an earlier run exists when the latest
    // loading run is not the first
    let earlier = last_run > 1;
    // what the latest run added, only when there is something to compare
    // with (a first run of millions of events joins nothing)
    let (requests_new, interested_new, answered_new) = if earlier {
        conn.query_row(LATEST_SQL, [last_run], |l| {
            Ok((
                l.get::<_, i64>(0)?,
                l.get::<_, i64>(1)?,
                l.get::<_, i64>(2)?,
            ))
        })?
    } else {
        (requests, interested, answered)
    };
    {
        let counted = |label, now: i64, new: i64| Figure {
            label,
            now: Value::Count(count(now)),
            before: earlier.then(|| Value::Count(count(now - new))),
        };
        let figures = vec![
            counted("Events", events, events_new),
            counted("Call Me Back requests", requests, requests_new),
            Figure {
                label: "Interest rate",
                now: Value::Rate(rate(interested, answered)),
                before: earlier.then(|| {
                    Value::Rate(rate(interested - interested_new, answered - answered_new))
                }),
            },
            counted("Quarantined records", quarantined, quarantined_new),
            counted("Field issues", issues, issues_new),
            counted("Re-deliveries with changed content", changed[0], changed[1]),
        ];
        let data_through = newest.and_then(DateTime::from_timestamp_micros);
        let stale = match (stale_after, data_through) {
            (Some(limit), Some(newest)) => {
                let age = (now - newest).to_std().unwrap_or_default();
                (age > limit).then(|| Stale {
                    message: format!(
                        "The newest event ({}) is {} old, more than the {} allowed: has the archive stopped receiving deliveries?",
                        newest.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z"),
                        age_text(age),
                        age_text(limit)
                    ),
                    age: Some(age),
                    limit,
                })
            }
            (Some(limit), None) => Some(Stale {
                message: "The database holds no events with a creation time.".into(),
                age: None,
                limit,
            }),
            _ => None,
        };
        Ok(Headline {
            runs: count(runs),
            last_run: finished.map(|f| (last_run, f)),
            figures,
            data_through,
            stale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staleness_is_measured_from_the_newest_event() {
        let conn = Connection::open_in_memory().unwrap();
        crate::load::db::apply_schema(&conn).unwrap();
        conn.execute_batch(
            "INSERT INTO events (event_id, event_type, created_at, source_file, source_location, run_id, payload)
             VALUES ('a', 'uf', TIMESTAMP '2026-11-20 10:00:00', 'f', '1', 1, '{}'),
                    ('b', 'uf', TIMESTAMP '2026-11-22 10:00:00', 'f', '2', 1, '{}');",
        )
        .unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-25T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let day = Duration::from_secs(86_400);
        let h = read(&conn, Some(day * 2), now, chrono_tz::UTC).unwrap();
        let stale = h.stale.expect("3 days old is stale at 2 days");
        assert_eq!((stale.age, stale.limit), (Some(day * 3), day * 2));
        let stale = stale.message;
        assert!(
            stale.contains("2026-11-22 10:00")
                && stale.contains("3 days old, more than the 2 days"),
            "{stale}"
        );
        let fresh = read(&conn, Some(day * 4), now, chrono_tz::UTC).unwrap();
        assert_eq!(fresh.stale, None);
        assert_eq!(read(&conn, None, now, chrono_tz::UTC).unwrap().stale, None);
    }
}
