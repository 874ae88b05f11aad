//! The verdict and method note in plain English.

use super::{Decision, Outcome, ALPHA, PRIOR};
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
        Outcome::Clear => {
            let (l, r) = (&arms[0], &arms[1]);
            format!(
                "{} leads with {} interested (P(best) {}). The difference to {} ({}) is \
                 clear (Holm-adjusted p {}).",
                l.name,
                percent(l.rate),
                chance(l.p_best),
                r.name,
                percent(r.rate),
                p_phrase(d.pairs[0].p_holm)
            )
        }
        Outcome::NotYetClear => {
            let (l, r) = (&arms[0], &arms[1]);
            let mut text = format!(
                "{} leads with {} interested (P(best) {}), ahead of {} ({}), but the data \
                 cannot tell yet (Holm-adjusted p {})",
                l.name,
                percent(l.rate),
                chance(l.p_best),
                r.name,
                percent(r.rate),
                p_phrase(d.pairs[0].p_holm)
            );
            if let Some(power) = d.power {
                let (more_l, more_r) = (
                    about(power.additional_leader),
                    about(power.additional_runner_up),
                );
                if more_l == 0 && more_r == 0 {
                    text += &format!(
                        ". Both already have the {} answered requests that 80% power for a \
                         difference this size needs; it stays unclear after correcting for {} \
                         comparisons.",
                        thousands(power.required_per_arm),
                        d.comparisons
                    );
                } else if more_l == more_r {
                    text += &format!(
                        ": about {} more answered {} per configuration would settle it (80% power).",
                        thousands(more_l),
                        requests(more_l)
                    );
                } else if more_l == 0 || more_r == 0 {
                    let (more, name) = if more_l == 0 {
                        (more_r, &r.name)
                    } else {
                        (more_l, &l.name)
                    };
                    text += &format!(
                        ": about {} more answered {} for {} would settle it (80% power).",
                        thousands(more),
                        requests(more),
                        name
                    );
                } else {
                    text += &format!(
                        ": about {} more answered {} for {} and {} for {} would settle it \
                         (80% power).",
                        thousands(more_l),
                        requests(more_l),
                        l.name,
                        thousands(more_r),
                        r.name
                    );
                }
            } else {
                text.push('.');
            }
            let behind: Vec<&str> = d
                .pairs
                .iter()
                .filter(|p| p.a == 0 && p.b >= 2 && p.p_holm.is_some_and(|p| p < ALPHA))
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
        "Interest rate = interested / answered, with a 95% Wilson interval. \
         P(best) is the share of {} seeded Monte Carlo draws (ChaCha8, seed {}) in which \
         a configuration's rate is the highest, each rate drawn independently from its \
         Beta(1 + interested, 1 + not interested) posterior under a {}. \
         Differences are tested pairwise with a two-sided pooled two-proportion z-test, \
         p-values Holm-adjusted across {} {}; a lead is clear when the adjusted p-value \
         is below 0.05. Requests that would settle it: per configuration, for 80% power \
         at two-sided alpha 0.05 to detect the observed difference between the leader \
         and the runner-up.",
        thousands(d.draws),
        d.seed,
        PRIOR,
        d.comparisons,
        if d.comparisons == 1 {
            "comparison"
        } else {
            "comparisons"
        }
    )
}

fn requests(n: u64) -> &'static str {
    if n == 1 {
        "request"
    } else {
        "requests"
    }
}

/// "54.2%".
fn percent(rate: Option<f64>) -> String {
    format!("{:.1}%", rate.unwrap_or(0.0) * 100.0)
}

/// A probability as a whole percentage, never rounded to 0% or 100%.
fn chance(p: Option<f64>) -> String {
    let p = p.unwrap_or(0.0);
    if p >= 0.995 {
        ">99%".into()
    } else if p < 0.005 {
        "<1%".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// "= 0.006" or "< 0.001", to follow "p".
fn p_phrase(p: Option<f64>) -> String {
    let text = p_text(p);
    if text.starts_with('<') {
        text
    } else {
        format!("= {text}")
    }
}

/// A p-value for people: "< 0.001", "0.003", "0.41"; never rounded up to
/// 0.05 from below.
fn p_text(p: Option<f64>) -> String {
    let Some(p) = p else {
        return "n/a".into();
    };
    if p < 0.001 {
        "< 0.001".into()
    } else if (0.0495..ALPHA).contains(&p) {
        format!("{:.4}", (p * 1e4).floor() / 1e4)
    } else if p < 0.1 {
        format!("{p:.3}")
    } else {
        format!("{p:.2}")
    }
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
        assert_eq!(p_text(Some(0.0004)), "< 0.001");
        assert_eq!(p_text(Some(0.00636)), "0.006");
        assert_eq!(p_text(Some(0.04996)), "0.0499");
        assert_eq!(p_text(Some(0.05)), "0.050");
        assert_eq!(p_text(Some(0.4123)), "0.41");
        assert_eq!(chance(Some(0.9996)), ">99%");
        assert_eq!(chance(Some(0.971)), "97%");
        assert_eq!(chance(Some(0.001)), "<1%");
        assert_eq!(list(&["A", "B", "C"]), "A, B and C");
        assert_eq!(list(&["A", "B"]), "A and B");
    }
}
