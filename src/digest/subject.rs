//! The subject line: the one thing that matters, e.g. "hookstat 3 Dec:
//! 48,210 requests, Evening Slots leads +6.1 pts" or "hookstat 3 Dec: NO
//! NEW EVENTS for 2 days", with the number of alerts when there are any.
//!
//! The leader comes from the configuration decision the report wrote
//! (`config_decision.csv`), read by [`lead_from_decision`] alone, so that a
//! change in the decision touches one function.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::Facts;
use crate::text::thousands;

/// Which configuration leads, by how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    /// The leader's name (already protected by the report).
    pub leader: String,
    /// Its interest rate (fraction).
    pub rate: f64,
    /// The runner-up and its rate.
    pub runner_up: Option<(String, f64)>,
    /// The decision calls the lead clear.
    pub clear: bool,
}

impl Lead {
    /// The lead in percentage points over the runner-up.
    pub fn points(&self) -> Option<f64> {
        self.runner_up
            .as_ref()
            .map(|(_, r)| (self.rate - r) * 100.0)
    }

    /// "Evening Slots leads +6.1 pts" (a clear lead), "Evening Slots
    /// ahead +2.0 pts, not yet clear", "A and B tie", "A is the only
    /// configuration".
    pub fn words(&self) -> String {
        match (&self.runner_up, self.points()) {
            (Some((other, _)), Some(p)) if p.abs() < 0.05 => {
                format!("{} and {other} tie", self.leader)
            }
            (Some(_), Some(p)) if self.clear => format!("{} leads +{p:.1} pts", self.leader),
            (Some(_), Some(p)) => format!("{} ahead +{p:.1} pts, not yet clear", self.leader),
            _ => format!("{} is the only configuration", self.leader),
        }
    }
}

/// The leader and runner-up of the decision in `folder`
/// (`config_decision.csv`: per business, the leader first; `business`,
/// `config`, `interest_rate`, `leads` and `vs` columns): the first business
/// with a clear leader, else the first business. None without a decision
/// or rates.
pub fn lead_from_decision(folder: &Path) -> Option<Lead> {
    let mut reader = csv::Reader::from_path(folder.join("config_decision.csv")).ok()?;
    let header = reader.headers().ok()?.clone();
    let at = |name: &str| header.iter().position(|h| h == name);
    let (business, name, rate, leads, vs) = (
        at("business")?,
        at("config")?,
        at("interest_rate")?,
        at("leads")?,
        at("vs")?,
    );
    let rows: Vec<csv::StringRecord> = reader.records().filter_map(Result::ok).collect();
    let rate_of = |r: &csv::StringRecord| r.get(rate)?.parse::<f64>().ok();
    let leader = rows
        .iter()
        .find(|r| r.get(leads) == Some("true"))
        .or_else(|| rows.iter().find(|r| rate_of(r).is_some()))?;
    let runner_up = rows
        .iter()
        .find(|r| r.get(business) == leader.get(business) && r.get(name) == leader.get(vs))
        .and_then(|r| Some((r.get(name)?.to_string(), rate_of(r)?)));
    Some(Lead {
        leader: leader.get(name)?.to_string(),
        rate: rate_of(leader)?,
        runner_up,
        clear: leader.get(leads) == Some("true"),
    })
}

/// The subject of tonight's digest.
pub fn subject(facts: &Facts, lead: Option<&Lead>, now: DateTime<Utc>) -> String {
    let date = facts.today.format("%-d %b");
    let t = &facts.tonight;
    let mut parts: Vec<String> = Vec::new();
    if t.events == 0 {
        parts.push(match facts.days_without_events(now) {
            None => "NO EVENTS loaded yet".into(),
            Some(0) => "NO NEW EVENTS tonight".into(),
            Some(1) => "NO NEW EVENTS for 1 day".into(),
            Some(d) => format!("NO NEW EVENTS for {d} days"),
        });
    } else {
        parts.push(if t.requests > 0 {
            format!("{} requests", thousands(t.requests))
        } else {
            format!("{} events", thousands(t.events))
        });
        if let Some(lead) = lead {
            parts.push(lead.words());
        }
    }
    match facts.alerts.len() {
        0 => {}
        1 => parts.push("1 ALERT".into()),
        n => parts.push(format!("{n} ALERTS")),
    }
    format!("hookstat {date}: {}", parts.join(", "))
}
