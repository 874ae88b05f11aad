//! The verdict and method note in plain English.

use super::{Decision, Outcome, MIN_OVERLAP_DAYS, PRIOR};
use crate::text::thousands;

/// The verdict for a decision whose first `with_data` arms have answers.
pub(super) fn verdict(d: &Decision, with_data: usize) -> String {
    let arms = &d.arms;
    match d.outcome {
        Outcome::NoData if arms.is_empty() => "There is no configuration to compare yet.".into(),
        Outcome::NoData => {
            "No configuration has answered requests yet, so there is nothing to compare.".into()
        }
        Outcome::OnlyOne => {
            let a = &arms[0];
            format!(
                "Only {} has answered requests: {} interested ({} of {}). \
                 There is nothing to compare it with yet.",
                a.name,
                percent(a.rate),
                thousands(a.interested),
                thousands(a.answered)
            )
        }
        Outcome::Tie => {
            let top = &arms[0];
            if top.interested == 0 {
                let total: u128 = arms[..with_data]
                    .iter()
                    .map(|a| u128::from(a.answered))
                    .sum();
                return format!(
                    "No configuration has an interested answer yet (0 of {} answered \
                     requests), so the data cannot tell them apart.",
                    thousands(total)
                );
            }
            let tied: Vec<&str> = arms[..with_data]
                .iter()
                .take_while(|a| {
                    u128::from(a.interested) * u128::from(top.answered)
                        == u128::from(top.interested) * u128::from(a.answered)
                })
                .map(|a| a.name.as_str())
                .collect();
            format!(
                "{} are tied at {} interested, so the data cannot tell yet which is better.",
                list(&tied),
                percent(top.rate)
            )
        }
        Outcome::TooEarly => {
            let (l, r) = (&arms[0], &arms[1]);
            format!(
                "Too early to call: {} ({}) and {} ({}) ran on the same {} so far; a verdict \
                 needs at least {} so that every weekday is in.",
                l.name,
                percent(l.rate),
                r.name,
                percent(r.rate),
                days(d.overlap_days.unwrap_or(0).into()),
                days(MIN_OVERLAP_DAYS.into()),
            )
        }
        Outcome::Clear => {
            let (l, r) = (&arms[0], &arms[1]);
            let mut text = format!(
                "{} leads with {} interested, ahead of {} ({}). The difference is clear: \
                 {} points ({} to {}), an interval that stays valid however often the \
                 report is read.",
                l.name,
                percent(l.rate),
                r.name,
                percent(r.rate),
                points(d.pairs[0].diff),
                points_of(d.pairs[0].sequential.map(|s| s.low)),
                points_of(d.pairs[0].sequential.map(|s| s.high)),
            );
            if let Some((u, lo, hi)) = d.uplift {
                text += &format!(
                    " That is {} more interested users ({} to {}).",
                    signed_percent(u),
                    signed_percent(lo),
                    signed_percent(hi)
                );
            }
            text
        }
        Outcome::NotYetClear => {
            let (l, r) = (&arms[0], &arms[1]);
            let running: Vec<&str> = d
                .pairs
                .iter()
                .filter(|p| p.a == 0 && !p.sequential.is_some_and(|s| s.low > 0.0))
                .map(|p| arms[p.b].name.as_str())
                .collect();
            let mut text = format!(
                "{} leads with {} interested, ahead of {} ({}), but the data cannot tell yet: \
                 {} are still in the running.",
                l.name,
                percent(l.rate),
                r.name,
                percent(r.rate),
                list(&[vec![l.name.as_str()], running].concat()),
            );
            if let Some(p) = d.pending {
                text += &format!(
                    " Today the data could call a difference of {} points or more",
                    points(p.smallest_callable)
                );
                match (p.more_answers, p.more_days) {
                    (Some(n), Some(days_needed)) => {
                        text += &format!(
                            "; one of {} points would need about {} more answered requests, \
                             roughly {} at the recent volume.",
                            points(d.pairs[0].diff),
                            thousands(about(n)),
                            days(days_needed)
                        )
                    }
                    (Some(n), None) => {
                        text += &format!(
                            "; one of {} points would need about {} more answered requests.",
                            points(d.pairs[0].diff),
                            thousands(about(n))
                        )
                    }
                    _ => text.push('.'),
                }
            }
            let behind: Vec<&str> = d
                .pairs
                .iter()
                .filter(|p| p.a == 0 && p.sequential.is_some_and(|s| s.low > 0.0))
                .map(|p| arms[p.b].name.as_str())
                .collect();
            if !behind.is_empty() {
                text += &format!(" It is clearly ahead of {}.", list(&behind));
            }
            text
        }
    }
}

/// How the figures were computed.
pub(super) fn method(d: &Decision) -> String {
    if d.comparisons == 0 && d.draws == 0 {
        return "Interest rate = interested / answered, with a 95% Wilson interval. \
                With fewer than two configurations with answers there is nothing to compare."
            .to_string();
    }
    format!(
        "Interest rate = interested / answered, with a 95% Wilson interval. Each difference \
         between two configurations has an always-valid 95% confidence sequence (asymptotic, \
         Waudby-Smith et al. 2023, tuned for {} answers), corrected for {} {} (Bonferroni): \
         reading it every morning and acting the first time it excludes zero keeps the \
         chance of a wrong call at 5%. A lead is clear when the leader's interval against \
         every other configuration excludes zero, after at least {} on which all ran. \
         P(best) and the expected loss (how far below the best a choice is expected to be) \
         describe the data under a {} ({} seeded draws, ChaCha8 seed {}); they are not a \
         stopping rule.",
        thousands(d.nstar as u64),
        d.comparisons,
        if d.comparisons == 1 {
            "comparison"
        } else {
            "comparisons"
        },
        days(MIN_OVERLAP_DAYS.into()),
        PRIOR,
        thousands(d.draws),
        d.seed,
    )
}

fn days(n: u64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{} days", thousands(n))
    }
}

/// A difference in percentage points, "6.1".
fn points(diff: f64) -> String {
    format!("{:.1}", diff * 100.0)
}

fn points_of(diff: Option<f64>) -> String {
    diff.map_or_else(|| "n/a".into(), points)
}

/// "+12%", "−3%".
fn signed_percent(x: f64) -> String {
    let v = x * 100.0;
    if v < 0.0 {
        format!("−{:.0}%", -v)
    } else {
        format!("+{v:.0}%")
    }
}

/// "54.2%".
fn percent(rate: Option<f64>) -> String {
    format!("{:.1}%", rate.unwrap_or(0.0) * 100.0)
}

/// Rounded to two significant digits from 100 up ("about 1,900").
fn about(n: u64) -> u64 {
    if n < 100 {
        return n;
    }
    let digits = n.ilog10();
    let unit = 10u128.pow(digits - 1);
    let rounded = (u128::from(n) + unit / 2) / unit * unit;
    u64::try_from(rounded).unwrap_or(u64::MAX)
}

/// "A", "A and B", "A, B and C".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_helpers() {
        assert_eq!(about(99), 99);
        assert_eq!(about(989), 990);
        assert_eq!(about(1_873), 1_900);
        assert_eq!(about(1_850), 1_900);
        assert_eq!(about(u64::MAX), 18_000_000_000_000_000_000);
        assert_eq!(list(&["A", "B", "C"]), "A, B and C");
        assert_eq!(list(&["A", "B"]), "A and B");
        assert_eq!(signed_percent(0.1249), "+12%");
        assert_eq!(signed_percent(-0.031), "−3%");
        assert_eq!(points(0.0614), "6.1");
        assert_eq!(days(1), "1 day");
    }
}
