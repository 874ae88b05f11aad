//! The subject line: the one thing that matters, e.g. "hookstat 3 Dec:
//! 48,210 requests, Evening Slots leads +6.1 pts" or "hookstat 3 Dec: NO
//! NEW EVENTS for 2 days", with the number of alerts when there are any;
//! with several businesses the lead names its business.
//!
//! The leader comes from the configuration decision the report wrote
//! (`config_decision.csv`), read by [`leads_from_decision`] alone, so that a
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
    /// The business it leads in (its first 8 characters), when the
    /// decision covers several: each business has its own decision.
    pub business: Option<String>,
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
    /// With several businesses, the business follows the leader's name
    /// ("Evening Slots at 91c173bb leads +6.1 pts").
    pub fn words(&self) -> String {
        let leader = match &self.business {
            Some(b) => format!("{} at {b}", self.leader),
            None => self.leader.clone(),
        };
        match (&self.runner_up, self.points()) {
            (Some((other, _)), Some(p)) if p.abs() < 0.05 => {
                format!("{leader} and {other} tie")
            }
            (Some(_), Some(p)) if self.clear => format!("{leader} leads +{p:.1} pts"),
            (Some(_), Some(p)) => format!("{leader} ahead +{p:.1} pts, not yet clear"),
            _ => format!("{leader} is the only configuration"),
        }
    }
}

/// The leader and runner-up of each business in the decision in `folder`
/// (`config_decision.csv`: per business, the leader first; `business`,
/// `config`, `interest_rate`, `leads` and `vs` columns), businesses with a
/// clear leader first, else in the file's order; the subject names the
/// first. Empty without a decision or rates.
pub fn leads_from_decision(folder: &Path) -> Vec<Lead> {
    read_leads(folder).unwrap_or_default()
}

fn read_leads(folder: &Path) -> Option<Vec<Lead>> {
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
    let mut businesses: Vec<&str> = Vec::new();
    for r in &rows {
        let b = r.get(business).unwrap_or_default();
        if !businesses.contains(&b) {
            businesses.push(b);
        }
    }
    let several = businesses.len() > 1;
    let mut out: Vec<Lead> = businesses
        .iter()
        .filter_map(|b| {
            let of = |r: &&csv::StringRecord| r.get(business) == Some(*b);
            let leader = rows
                .iter()
                .filter(of)
                .find(|r| r.get(leads) == Some("true"))
                .or_else(|| rows.iter().filter(of).find(|r| rate_of(r).is_some()))?;
            let runner_up = rows
                .iter()
                .filter(of)
                .find(|r| r.get(name) == leader.get(vs))
                .and_then(|r| Some((r.get(name)?.to_string(), rate_of(r)?)));
            Some(Lead {
                leader: leader.get(name)?.to_string(),
                rate: rate_of(leader)?,
                runner_up,
                clear: leader.get(leads) == Some("true"),
                business: several.then(|| b.chars().take(8).collect()),
            })
        })
        .collect();
    out.sort_by_key(|l| !l.clear);
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "business,config,answered,interested,interest_rate,ci_low,ci_high,p_best,expected_loss,leads,vs";

    fn lead(rows: &[&str]) -> Lead {
        let dir = tempfile::tempdir().unwrap();
        let text = std::iter::once(HEADER)
            .chain(rows.iter().copied())
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(dir.path().join("config_decision.csv"), text).unwrap();
        leads_from_decision(dir.path()).into_iter().next().unwrap()
    }

    #[test]
    fn the_lead_names_its_business_only_when_there_are_several() {
        let one = lead(&[
            "91c173bb-28d8,Evening,100,60,0.6,,,,,false,Default",
            "91c173bb-28d8,Default,100,50,0.5,,,,,false,Evening",
        ]);
        assert_eq!(one.business, None);
        assert_eq!(one.words(), "Evening ahead +10.0 pts, not yet clear");
        let two = lead(&[
            "3f6a2c1e-7b4d,Evening,100,60,0.6,,,,,false,Default",
            "3f6a2c1e-7b4d,Default,100,50,0.5,,,,,false,Evening",
            "91c173bb-28d8,Promo,900,630,0.7,,,,,true,Default",
            "91c173bb-28d8,Default,900,450,0.5,,,,,false,Promo",
        ]);
        // the business with a clear leader comes first
        assert_eq!(two.words(), "Promo at 91c173bb leads +20.0 pts");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config_decision.csv"),
            [
                HEADER,
                "3f6a2c1e-7b4d,Evening,100,60,0.6,,,,,false,Default",
                "3f6a2c1e-7b4d,Default,100,50,0.5,,,,,false,Evening",
                "91c173bb-28d8,Promo,900,630,0.7,,,,,true,Default",
                "91c173bb-28d8,Default,900,450,0.5,,,,,false,Promo",
            ]
            .join("\n"),
        )
        .unwrap();
        let all: Vec<String> = leads_from_decision(dir.path())
            .iter()
            .map(Lead::words)
            .collect();
        assert_eq!(
            all,
            [
                "Promo at 91c173bb leads +20.0 pts",
                "Evening at 3f6a2c1e ahead +10.0 pts, not yet clear"
            ]
        );
    }
}
