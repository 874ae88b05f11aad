//! Like for like: which configurations of one business are compared, over
//! which days. A decision compares the configurations of one business
//! (`client_account_id`) over the days on which all of them received
//! requests; a configuration that never ran on enough of the same days is
//! named apart, with its dates, and not ranked.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use super::{Arm, MIN_ANSWERED, MIN_OVERLAP_DAYS};

/// One configuration's requests of one business on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// The business (`client_account_id`).
    pub business: String,
    /// The configuration.
    pub config: String,
    /// The day, in the report's time zone.
    pub day: NaiveDate,
    /// Interested answers.
    pub interested: u64,
    /// Answered requests.
    pub answered: u64,
    /// Requests, answered or not.
    pub requests: u64,
}

/// A configuration left out of a business's comparison, with its dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Apart {
    /// Configuration name.
    pub name: String,
    /// First day with requests.
    pub first: NaiveDate,
    /// Last day with requests.
    pub last: NaiveDate,
}

/// What one business's decision compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The business.
    pub business: String,
    /// Configurations compared, counts summed over the overlap days.
    pub arms: Vec<Arm>,
    /// Configurations with fewer than [`MIN_ANSWERED`] answers in all.
    pub few: Vec<Arm>,
    /// Configurations that did not run on enough of the same days.
    pub apart: Vec<Apart>,
    /// First and last day of the overlap.
    pub overlap: Option<(NaiveDate, NaiveDate)>,
    /// Days on which every compared configuration had requests.
    pub overlap_days: u32,
    /// Answered requests a day of the compared configurations over the
    /// last (up to) 7 overlap days.
    pub daily_answered: Option<f64>,
}

type Days = BTreeMap<NaiveDate, (u64, u64, u64)>;

/// One comparison per business, in business order. A configuration joins
/// (most answered first) when the days it shares with those already in
/// number at least [`MIN_OVERLAP_DAYS`], or all of theirs when they ran
/// on fewer.
pub fn comparisons(rows: &[DayCount]) -> Vec<Comparison> {
    let mut by_business: BTreeMap<&str, BTreeMap<&str, Days>> = BTreeMap::new();
    for r in rows {
        let day = by_business
            .entry(&r.business)
            .or_default()
            .entry(&r.config)
            .or_default()
            .entry(r.day)
            .or_default();
        day.0 += r.interested;
        day.1 += r.answered;
        day.2 += r.requests;
    }
    by_business
        .into_iter()
        .map(|(business, configs)| one(business, configs))
        .collect()
}

fn total(days: &Days) -> (u64, u64) {
    days.values().fold((0, 0), |(i, a), d| (i + d.0, a + d.1))
}

fn one(business: &str, configs: BTreeMap<&str, Days>) -> Comparison {
    let mut few = Vec::new();
    let mut eligible = Vec::new();
    for (name, days) in &configs {
        let (interested, answered) = total(days);
        if answered < MIN_ANSWERED {
            few.push(Arm::new(*name, interested, answered));
        } else {
            eligible.push((*name, answered, days));
        }
    }
    eligible.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    let ran = |d: &Days| -> BTreeSet<NaiveDate> {
        d.iter()
            .filter(|(_, c)| c.2 > 0)
            .map(|(day, _)| *day)
            .collect()
    };
    let mut overlap: Option<BTreeSet<NaiveDate>> = None;
    let mut chosen = Vec::new();
    let mut apart = Vec::new();
    for (name, _, days) in eligible {
        let mine = ran(days);
        let shared: BTreeSet<NaiveDate> = match &overlap {
            None => mine.clone(),
            Some(o) => o.intersection(&mine).copied().collect(),
        };
        let needed = overlap
            .as_ref()
            .map_or(1, |o| o.len().min(MIN_OVERLAP_DAYS as usize).max(1));
        if shared.len() >= needed {
            overlap = Some(shared);
            chosen.push((name, days));
        } else if let (Some(first), Some(last)) = (mine.first(), mine.last()) {
            apart.push(Apart {
                name: name.to_string(),
                first: *first,
                last: *last,
            });
        }
    }
    let overlap = overlap.unwrap_or_default();
    let arms = chosen
        .iter()
        .map(|(name, days)| {
            let (i, a) = overlap
                .iter()
                .filter_map(|d| days.get(d))
                .fold((0, 0), |(i, a), d| (i + d.0, a + d.1));
            Arm::new(*name, i, a)
        })
        .collect();
    let recent: Vec<&NaiveDate> = overlap.iter().rev().take(7).collect();
    let daily_answered = (!recent.is_empty() && !chosen.is_empty()).then(|| {
        let sum: u64 = chosen
            .iter()
            .flat_map(|(_, days)| recent.iter().filter_map(|d| days.get(*d)))
            .map(|d| d.1)
            .sum();
        sum as f64 / recent.len() as f64
    });
    Comparison {
        business: business.to_string(),
        arms,
        few,
        apart,
        overlap: overlap.first().zip(overlap.last()).map(|(a, b)| (*a, *b)),
        overlap_days: overlap.len() as u32,
        daily_answered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(b: &str, c: &str, day: u32, interested: u64, answered: u64) -> DayCount {
        DayCount {
            business: b.into(),
            config: c.into(),
            day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            interested,
            answered,
            requests: answered,
        }
    }

    #[test]
    fn businesses_apart_and_days_in_common() {
        let mut rows = Vec::new();
        for d in 1..=14 {
            rows.push(row("x", "A", d, 5, 10));
            if d >= 5 {
                rows.push(row("x", "B", d, 6, 10));
            }
            rows.push(row("y", "A", d, 1, 10));
        }
        // C ran only on the 20th-26th: never with A and B
        for d in 20..=26 {
            rows.push(row("x", "C", d, 9, 10));
        }
        rows.push(row("x", "D", 3, 1, 2));
        let c = comparisons(&rows);
        assert_eq!(c.len(), 2);
        let x = &c[0];
        assert_eq!(x.business, "x");
        // A over days 5-14 only (B's days): 10 days of 5 of 10
        assert_eq!(x.arms, vec![Arm::new("A", 50, 100), Arm::new("B", 60, 100)]);
        assert_eq!(x.overlap_days, 10);
        assert_eq!(x.apart.len(), 1);
        assert_eq!(x.apart[0].name, "C");
        assert_eq!(x.few, vec![Arm::new("D", 1, 2)]);
        assert_eq!(x.daily_answered, Some(20.0));
        assert_eq!(c[1].arms, vec![Arm::new("A", 14, 140)]);
    }
}
