//! What looks wrong, per business account (`client_account_id`) and event
//! type, against a robust baseline: the median and the median absolute
//! deviation (MAD) of earlier values; and stale data.
//!
//! - **Stale data** (`stale`, first when set): the newest event is older
//!   than `stale_after`. The report's headline decides this and words it
//!   ([`crate::report::headline::Stale`]); the flag carries its message,
//!   no account, event type or baseline, the newest event's local date as
//!   `day`, its age in hours as `value` and the allowed age in hours as
//!   `high`. It is already a problem of the night by itself (exit 1), so
//!   `[strict] alerts` does not count it a second time.
//! - **Volume** (`drop`, `spike`, [`super::volume`]): the events of the day
//!   (the local date of the newest event) up to the newest event's local
//!   time of day, and the events of the whole day before it, each against
//!   the same weekday of the previous [`WEEKS`] weeks (up to the same time
//!   of day for the first), counting only weeks since the pair's first
//!   event; at least [`MIN_BASELINE`] such weeks are needed. The spread is
//!   `max(1.4826 × MAD, √median, 1)` (the MAD scaled to a standard
//!   deviation, never below the Poisson noise of a count), and the usual
//!   range is `median ± 3.5 × spread` ([`THRESHOLD`], the modified z-score
//!   cut of Iglewicz and Hoaglin). A count outside it is flagged, once per
//!   business, event type and day; so is a day without events when every
//!   earlier week had some and a Poisson count of the median would be 0
//!   less often than Φ(−3.5) ([`silent`]: a median from 8.4), which the
//!   range cannot see where it reaches 0.
//! - **Shares** (`field_issue_share` per account and event type, events
//!   with at least one field issue over events loaded; and
//!   `quarantine_share` over all accounts, quarantined records over
//!   records read, since a quarantined record has no account): tonight's
//!   run against the previous [`RUNS`] runs (at least [`MIN_BASELINE`]),
//!   flagged when it is above `median + max(3.5 × 1.4826 × MAD, 2 points)`.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use duckdb::{params, Connection};
use serde::Serialize;

use crate::report::headline::Stale;

/// Weeks of the volume baseline.
pub const WEEKS: i64 = 8;
/// Earlier runs of the share baseline.
pub const RUNS: i64 = 14;
/// Fewest baseline values that allow a flag.
pub const MIN_BASELINE: usize = 3;
/// Spreads away from the median that are flagged.
pub const THRESHOLD: f64 = 3.5;
/// MAD to standard deviation under a normal distribution.
const MAD_SCALE: f64 = 1.4826;
/// Smallest rise of a share that is flagged (2 percentage points).
pub const MIN_SHARE_RISE: f64 = 0.02;

/// One flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// `stale`, `drop`, `spike`, `field_issue_share` or `quarantine_share`.
    pub kind: &'static str,
    /// Business account (None: all accounts).
    pub account: Option<String>,
    /// Event type (None: all types).
    pub event_type: Option<String>,
    /// The day counted (volume), the newest event's local date (stale) or
    /// None (shares are per run).
    #[serde(serialize_with = "super::date_text")]
    pub day: Option<NaiveDate>,
    /// Tonight's value: events, a share (fraction) or an age in hours.
    pub value: f64,
    /// Median of the baseline.
    pub median: f64,
    /// The usual range: below `low` or above `high` is flagged.
    pub low: f64,
    /// Upper end of the usual range (stale: the allowed age in hours).
    pub high: f64,
    /// The baseline values, oldest first.
    pub baseline: Vec<f64>,
    /// The flag in words.
    pub message: String,
}

/// Median of `v` (None when empty).
pub fn median(v: &[f64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(s[n / 2]),
        _ => Some((s[n / 2 - 1] + s[n / 2]) / 2.0),
    }
}

/// Median absolute deviation from the median.
pub fn mad(v: &[f64]) -> Option<f64> {
    let m = median(v)?;
    median(&v.iter().map(|x| (x - m).abs()).collect::<Vec<_>>())
}

/// The usual range of a count: `median ± 3.5 × max(1.4826 MAD, √median, 1)`.
pub fn count_range(baseline: &[f64]) -> Option<(f64, f64, f64)> {
    let m = median(baseline)?;
    let spread = (MAD_SCALE * mad(baseline)?).max(m.sqrt()).max(1.0);
    Some((m, (m - THRESHOLD * spread).max(0.0), m + THRESHOLD * spread))
}

/// One-sided tail of the normal distribution beyond 3.5 standard
/// deviations, Φ(−3.5): the chance below which a silent day is flagged.
pub const SILENT_TAIL: f64 = 2.326e-4;

/// A day without events that the range cannot flag (small counts, where
/// the Poisson floor reaches 0) but that a Poisson count of the median
/// would almost never give: every earlier week had events and
/// P(0 | median) = e^−median is below [`SILENT_TAIL`] (a median from 8.4).
pub fn silent(value: f64, baseline: &[f64]) -> bool {
    value == 0.0
        && baseline.iter().all(|b| *b > 0.0)
        && median(baseline).is_some_and(|m| (-m).exp() < SILENT_TAIL)
}

/// The ceiling of a share: `median + max(3.5 × 1.4826 MAD, 2 points)`.
pub fn share_ceiling(baseline: &[f64]) -> Option<(f64, f64)> {
    let m = median(baseline)?;
    let rise = (THRESHOLD * MAD_SCALE * mad(baseline)?).max(MIN_SHARE_RISE);
    Some((m, m + rise))
}

/// "Call Me Back requests" for `cmb`, "`uf` events" otherwise.
pub fn what(event_type: &str) -> String {
    match event_type {
        "cmb" => "Call Me Back requests".into(),
        t => format!("{t} events"),
    }
}

/// A business account as people quote it: its first 8 characters.
pub fn short_account(account: &str) -> String {
    if account.is_empty() {
        return "(no account)".into();
    }
    let head: String = account.chars().take(8).collect();
    if head.len() < account.len() {
        format!("acct {head}…")
    } else {
        format!("acct {head}")
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The flag of stale data, as the report's headline words it; `newest`
/// is the newest event's creation time, `tz` the report zone.
pub fn stale(stale: &Stale, newest: Option<DateTime<Utc>>, tz: Tz) -> Alert {
    let hours = |d: std::time::Duration| d.as_secs_f64() / 3600.0;
    Alert {
        kind: "stale",
        account: None,
        event_type: None,
        day: newest.map(|t| t.with_timezone(&tz).date_naive()),
        value: stale.age.map_or(0.0, hours),
        median: 0.0,
        low: 0.0,
        high: hours(stale.limit),
        baseline: Vec::new(),
        message: stale.message.clone(),
    }
}

/// Reads the flags of tonight's run `run`: `stale` first, then the volume
/// around the newest event in `tz` (the connection has `local_ts` for
/// `tz`), then the shares.
pub fn read(
    conn: &Connection,
    run: i64,
    newest: Option<DateTime<Utc>>,
    tz: Tz,
    stale_data: Option<&Stale>,
) -> Result<Vec<Alert>> {
    let mut alerts: Vec<Alert> = stale_data
        .map(|s| stale(s, newest, tz))
        .into_iter()
        .collect();
    if let Some(t) = newest {
        alerts.extend(super::volume::read(
            conn,
            t.with_timezone(&tz).naive_local(),
        )?);
    }
    alerts.extend(issue_shares(conn, run)?);
    alerts.extend(reject_share(conn, run)?);
    Ok(alerts)
}

/// Flags a share of tonight (`series` oldest first, tonight last).
fn share_alert(
    kind: &'static str,
    account: Option<String>,
    event_type: Option<String>,
    series: &[f64],
    what: &str,
) -> Option<Alert> {
    let (&value, earlier) = series.split_last()?;
    if earlier.len() < MIN_BASELINE {
        return None;
    }
    let (median, high) = share_ceiling(earlier)?;
    if value <= high {
        return None;
    }
    let whom = match (&account, &event_type) {
        (Some(a), Some(t)) => format!("{}, {}", short_account(a), what_short(t)),
        _ => "all accounts".into(),
    };
    let message = format!(
        "{whom}: {} of {what} tonight, usually {} (median of the {} previous runs; flagged above {})",
        pct(value),
        pct(median),
        earlier.len(),
        pct(high)
    );
    Some(Alert {
        kind,
        account,
        event_type,
        day: None,
        value,
        median,
        low: 0.0,
        high,
        baseline: earlier.to_vec(),
        message,
    })
}

fn what_short(event_type: &str) -> String {
    match event_type {
        "cmb" => "Call Me Back".into(),
        t => t.to_string(),
    }
}

fn issue_shares(conn: &Connection, run: i64) -> Result<Vec<Alert>> {
    let mut stmt = conn.prepare(include_str!("../../sql/digest/issue_shares.sql"))?;
    let mut rows = stmt.query(params![run, RUNS + 1])?;
    let mut series: BTreeMap<(String, String), Vec<(i64, f64)>> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let events: i64 = r.get(3)?;
        let with_issue: i64 = r.get(4)?;
        if events > 0 {
            series
                .entry((r.get(1)?, r.get(2)?))
                .or_default()
                .push((r.get(0)?, with_issue as f64 / events as f64));
        }
    }
    Ok(series
        .into_iter()
        .filter(|(_, s)| s.last().is_some_and(|(r, _)| *r == run))
        .filter_map(|((account, event_type), s)| {
            let shares: Vec<f64> = s.iter().map(|(_, x)| *x).collect();
            share_alert(
                "field_issue_share",
                Some(account),
                Some(event_type),
                &shares,
                "events with field issues",
            )
        })
        .collect())
}

fn reject_share(conn: &Connection, run: i64) -> Result<Option<Alert>> {
    let mut stmt = conn.prepare(include_str!("../../sql/digest/reject_shares.sql"))?;
    let mut runs: Vec<(i64, f64)> = stmt
        .query_map(params![run, RUNS + 1], |r| {
            let (id, records, rejected): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok((id, rejected as f64 / records.max(1) as f64))
        })?
        .collect::<duckdb::Result<_>>()?;
    runs.reverse();
    if runs.last().is_none_or(|(id, _)| *id != run) {
        return Ok(None);
    }
    let shares: Vec<f64> = runs.iter().map(|(_, x)| *x).collect();
    Ok(share_alert(
        "quarantine_share",
        None,
        None,
        &shares,
        "records quarantined",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robust_baselines() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 100.0]), Some(1.0));
        // every Tuesday 100: the Poisson floor, sqrt(100) = 10
        let (m, low, high) = count_range(&[100.0; 6]).unwrap();
        assert_eq!((m, low, high), (100.0, 65.0, 135.0));
        // one outlier week does not move the range much
        let (m, ..) = count_range(&[100.0, 98.0, 102.0, 0.0, 101.0]).unwrap();
        assert_eq!(m, 100.0);
        let (m, ceiling) = share_ceiling(&[0.0, 0.0, 0.0]).unwrap();
        assert_eq!((m, ceiling), (0.0, MIN_SHARE_RISE));
        assert_eq!(short_account("91c173bb-28d8"), "acct 91c173bb…");
    }

    #[test]
    fn a_silent_day_is_flagged_where_a_poisson_count_would_not_be_0() {
        // the range of 12, 13, 11, 5 reaches 0 (11.5 − 3.5 √11.5 < 0), but
        // e^−11.5 = 1.0e-5 is far below Φ(−3.5)
        let (_, low, _) = count_range(&[12.0, 13.0, 11.0, 5.0]).unwrap();
        assert_eq!(low, 0.0);
        assert!(silent(0.0, &[12.0, 13.0, 11.0, 5.0]));
        // e^−8 = 3.4e-4 is not, nor a week that had nothing, nor a count
        assert!(!silent(0.0, &[8.0, 8.0, 8.0]));
        assert!(silent(0.0, &[9.0, 9.0, 9.0]));
        assert!(!silent(0.0, &[12.0, 0.0, 11.0, 15.0]));
        assert!(!silent(1.0, &[12.0, 13.0, 11.0, 5.0]));
    }
}
