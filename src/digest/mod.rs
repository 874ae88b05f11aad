//! Stage 6b, digest: the facts of the morning digest, read from the
//! database after the night's ingest: what tonight's run loaded
//! ([`Tonight`]), what changed in the data's shape ([`changes`]) and what
//! looks wrong: stale data, and values against earlier weeks or runs
//! ([`alerts`], [`volume`]). The page, the mail (`letter.rs`, `html.rs`)
//! and `run --json` show the same facts; every value that comes from the
//! data passes the run's [`Protector`].
//!
//! "Tonight" is the latest ingest run; "the day" is the local date (in the
//! report zone) of the newest event's `created_at`.

pub mod alerts;
pub mod changes;
pub mod html;
pub mod letter;
pub mod subject;
pub mod volume;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use duckdb::Connection;
use serde::Serialize;

use crate::pii::Protector;
use crate::report::headline::Stale;

pub use alerts::Alert;
pub use changes::Changes;

const TONIGHT_SQL: &str = include_str!("../../sql/digest/tonight.sql");

/// What the latest ingest run loaded.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tonight {
    /// The run (None: no run yet).
    pub run_id: Option<i64>,
    /// Events inserted.
    pub events: u64,
    /// Call Me Back requests among them.
    pub requests: u64,
    /// Records read.
    pub records: u64,
    /// Records quarantined.
    pub rejected: u64,
    /// Values that could not be coerced.
    pub field_issues: u64,
    /// When the latest run that loaded events finished.
    #[serde(skip)]
    pub last_loading: Option<DateTime<Utc>>,
    /// The newest event's creation time.
    #[serde(skip)]
    pub newest: Option<DateTime<Utc>>,
}

/// Everything the digest says.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// The latest run's figures.
    pub tonight: Tonight,
    /// The local date of the newest event (the day alerts look at).
    #[serde(serialize_with = "date_text")]
    pub day: Option<NaiveDate>,
    /// The local date of the digest (when it was made).
    #[serde(serialize_with = "date_text")]
    pub today: NaiveDate,
    /// The zone of both dates.
    pub zone: String,
    /// What changed tonight.
    pub changes: Changes,
    /// What looks wrong.
    pub alerts: Vec<Alert>,
}

/// A date or no date.
pub trait DateText {
    /// `YYYY-MM-DD`, or None.
    fn text(&self) -> Option<String>;
}

impl DateText for NaiveDate {
    fn text(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl DateText for Option<NaiveDate> {
    fn text(&self) -> Option<String> {
        self.map(|d| d.to_string())
    }
}

/// Dates as `YYYY-MM-DD` in JSON (no date as null).
pub fn date_text<D: DateText, S: serde::Serializer>(d: &D, s: S) -> Result<S::Ok, S::Error> {
    match d.text() {
        Some(t) => s.serialize_str(&t),
        None => s.serialize_none(),
    }
}

fn count(n: i64) -> u64 {
    n.max(0) as u64
}

fn tonight(conn: &Connection) -> Result<Tonight> {
    Ok(conn.query_row(TONIGHT_SQL, [], |r| {
        Ok(Tonight {
            run_id: r.get(0)?,
            events: count(r.get(1)?),
            requests: count(r.get(2)?),
            records: count(r.get(3)?),
            rejected: count(r.get(4)?),
            field_issues: count(r.get(5)?),
            last_loading: r
                .get::<_, Option<i64>>(6)?
                .and_then(DateTime::from_timestamp_micros),
            newest: r
                .get::<_, Option<i64>>(7)?
                .and_then(DateTime::from_timestamp_micros),
        })
    })?)
}

/// Reads the digest's facts at `now` in `tz` (a read-only connection is
/// enough); `stale` is the headline's verdict on the data's age, the
/// first flag when set.
pub fn read(
    conn: &Connection,
    protector: &Protector,
    tz: Tz,
    now: DateTime<Utc>,
    stale: Option<&Stale>,
) -> Result<Facts> {
    let tonight = tonight(conn)?;
    let day = tonight.newest.map(|t| t.with_timezone(&tz).date_naive());
    let (changes, alerts) = match tonight.run_id {
        Some(run) => (
            changes::read(conn, run, protector)?,
            alerts::read(conn, run, tonight.newest, tz, stale)?,
        ),
        None => (
            Changes::default(),
            stale
                .map(|s| alerts::stale(s, None, tz))
                .into_iter()
                .collect(),
        ),
    };
    Ok(Facts {
        tonight,
        day,
        today: now.with_timezone(&tz).date_naive(),
        zone: tz.name().to_string(),
        changes,
        alerts,
    })
}

impl Facts {
    /// Whole days since the latest run that loaded events, when tonight's
    /// run loaded none (None: tonight loaded events, or no run ever did).
    pub fn days_without_events(&self, now: DateTime<Utc>) -> Option<i64> {
        if self.tonight.events > 0 {
            return None;
        }
        self.tonight
            .last_loading
            .map(|t| (now - t).num_days().max(0))
    }
}
