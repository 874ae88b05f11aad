//! The volume flags (`drop`, `spike`) of "what looks wrong": events per
//! business account and event type on a day, against the same weekday of
//! the previous [`WEEKS`] weeks, with the rule of [`count_range`].
//!
//! Two days are judged each night, both in the report zone:
//!
//! - **the day** (the local date of the newest event), up to the newest
//!   event's local time of day, against the earlier weeks up to the same
//!   time (a night that ran at 02:00 compares two hours with two hours);
//! - **the day before it**, complete: a run shortly after midnight sees
//!   an hour of the day, and the whole previous day is judged here, a
//!   business that sent nothing all day included (it is known from the
//!   earlier weeks).
//!
//! The two never flag the same business, event type and day twice: the
//! first flag for one is kept. Weeks before the pair's first event do not
//! count; at least [`MIN_BASELINE`] are needed.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use duckdb::{params, Connection};

use super::alerts::{count_range, short_account, silent, what, Alert, MIN_BASELINE, WEEKS};
use crate::text::thousands;

const DAILY_COUNTS_SQL: &str = include_str!("../../sql/digest/daily_counts.sql");

/// The last instant of a day (timestamps are microseconds).
const END_OF_DAY: &str = "23:59:59.999999";

/// Flags of the complete day before `newest`'s local date, then of that
/// date up to `newest`'s local time (the connection has `local_ts`).
pub fn read(conn: &Connection, newest: NaiveDateTime) -> Result<Vec<Alert>> {
    let day = newest.date();
    let mut alerts = day_alerts(conn, day - Duration::days(1), None)?;
    alerts.extend(day_alerts(conn, day, Some(newest.time()))?);
    let mut seen = BTreeSet::new();
    alerts.retain(|a| seen.insert((a.account.clone(), a.event_type.clone(), a.day)));
    Ok(alerts)
}

type Series = BTreeMap<(String, String), (NaiveDate, BTreeMap<NaiveDate, f64>)>;

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Counts per pair on `day` and the same weekday of the earlier weeks, up
/// to `until` (None: the whole day), with each pair's first local date.
fn series(conn: &Connection, day: NaiveDate, until: Option<NaiveTime>) -> Result<Series> {
    let cutoff = until.map_or(END_OF_DAY.to_string(), |t| {
        t.format("%H:%M:%S%.6f").to_string()
    });
    let mut stmt = conn.prepare(DAILY_COUNTS_SQL)?;
    let mut rows = stmt.query(params![day.to_string(), WEEKS, cutoff])?;
    let mut series: Series = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let (account, event_type): (String, String) = (r.get(0)?, r.get(1)?);
        let (Some(d), Some(first)) = (date(&r.get::<_, String>(2)?), date(&r.get::<_, String>(4)?))
        else {
            continue;
        };
        let entry = series
            .entry((account, event_type))
            .or_insert_with(|| (first, BTreeMap::new()));
        entry.1.insert(d, r.get::<_, i64>(3)? as f64);
    }
    Ok(series)
}

/// The flags of `day` up to `until` (None: the whole day).
fn day_alerts(conn: &Connection, day: NaiveDate, until: Option<NaiveTime>) -> Result<Vec<Alert>> {
    // a whole day is not named; part of one is ("through 02:10")
    let through = match until {
        Some(t) if t.hour() < 23 || t.minute() < 30 => format!(" through {}", t.format("%H:%M")),
        _ => String::new(),
    };
    let mut alerts = Vec::new();
    for ((account, event_type), (first, counts)) in series(conn, day, until)? {
        let baseline: Vec<f64> = (1..=WEEKS)
            .rev()
            .map(|w| day - Duration::days(7 * w))
            .filter(|d| *d >= first)
            .map(|d| counts.get(&d).copied().unwrap_or(0.0))
            .collect();
        if baseline.len() < MIN_BASELINE {
            continue;
        }
        let value = counts.get(&day).copied().unwrap_or(0.0);
        let Some((median, low, high)) = count_range(&baseline) else {
            continue;
        };
        let kind = match value {
            v if v < low || silent(v, &baseline) => "drop",
            v if v > high => "spike",
            _ => continue,
        };
        let weekday = day.format("%A").to_string();
        let message = format!(
            "{}: {} {} on {} {}{through}, usual for a {weekday} {}–{} (median {} of the {} previous {weekday}s)",
            short_account(&account),
            thousands(value as u64),
            what(&event_type),
            day.format("%a"),
            day.format("%-d %b"),
            thousands(low.ceil() as u64),
            thousands(high.floor() as u64),
            thousands(median.round() as u64),
            baseline.len(),
        );
        debug_assert_eq!(day.weekday(), (day - Duration::days(7)).weekday());
        alerts.push(Alert {
            kind,
            account: Some(account),
            event_type: Some(event_type),
            day: Some(day),
            value,
            median,
            low,
            high,
            baseline,
            message,
        });
    }
    Ok(alerts)
}
