//! Configuration comparison as a decision: which Call Me Back configuration
//! leads on interest rate, and whether the data can tell yet, in a way that
//! stays right when it is read again every morning.
//!
//! Pure computation (no database, no I/O) on per-configuration counts
//! ([`Arm`]: interested and answered requests, answered = interested + not
//! interested) of one business over the days on which all of them ran
//! ([`overlap`] chooses those). [`decide_with`] returns a [`Decision`] with,
//! per configuration:
//!
//! - the **interest rate** interested / answered and its **95% Wilson
//!   interval** ([`stats::wilson_interval`], also the SQL `wilson_low` /
//!   `wilson_high` of reports);
//! - **P(best)**, the posterior probability that its true rate is the
//!   highest, and the **expected loss** of choosing it now (the posterior
//!   mean of how far below the best it is). Each rate gets an independent
//!   Beta(1 + interested, 1 + answered - interested) posterior, that is a
//!   **uniform Beta(1, 1) prior** updated with the answers ([`PRIOR`]);
//!   both figures are means over [`DEFAULT_DRAWS`] joint draws (ChaCha8
//!   seeded with [`DEFAULT_SEED`]; Monte Carlo error of P(best) at most
//!   0.11 percentage points; the same input always gives the same output).
//!   They describe; they are not a stopping rule.
//!
//! For every pair of configurations with answers: the difference in rate
//! with its **always-valid confidence sequence** ([`sequential`]), at level
//! 0.05 / m for the m pairs (Bonferroni: the intervals hold for every pair
//! at once, at every morning's look), and the matching always-valid
//! p-value times m. The fixed-sample z-test p-values (raw and Holm) stay in
//! the pair table as a description.
//!
//! The **leader** is the configuration with the highest observed rate (ties
//! broken by more answered requests, then by name), the **runner-up** the
//! next. The lead is **clear** when the leader's interval against every
//! other configuration excludes zero, and the comparison has at least
//! [`MIN_OVERLAP_DAYS`] days on which all ran (weekdays covered; configurations
//! with fewer than [`MIN_ANSWERED`] answers are left out before). While
//! not clear, the decision says the smallest difference the data could call
//! today and how many more answers (and days at the recent volume) a true
//! difference of the observed size would need.
//!
//! Names are used verbatim in the verdict; escaping is the caller's job.

pub mod combined;
pub mod overlap;
mod posterior;
mod rows;
pub mod sequential;
pub mod stats;
mod types;
mod verdict;

use std::cmp::Ordering;

pub use rows::{empty_tables, ARM_COLUMNS, PAIR_COLUMNS};
pub use sequential::{Sequential, ALPHA, DEFAULT_NSTAR};
pub use stats::{erfc, holm, normal_cdf, sample_size_per_arm, two_proportion_p, wilson_interval};
pub use types::{Arm, ArmResult, Decision, DecisionError, Options, Outcome, PairResult, Pending};

/// Answers a configuration needs before it takes part in a decision (one
/// interested answer out of one is not a leader).
pub const MIN_ANSWERED: u64 = 30;

/// Days on which every compared configuration had requests before any
/// verdict: a whole week, so every weekday is in.
pub const MIN_OVERLAP_DAYS: u32 = 7;

/// The prior behind P(best), as stated in [`Decision::method`].
pub const PRIOR: &str = "uniform Beta(1, 1) prior on each configuration's interest rate";

/// Monte Carlo draws for P(best) unless [`Options`] say otherwise.
pub const DEFAULT_DRAWS: u64 = 200_000;

/// ChaCha8 seed for P(best) unless [`Options`] say otherwise ("hookstat" in
/// ASCII).
pub const DEFAULT_SEED: u64 = 0x686f_6f6b_7374_6174;

/// [`decide_with`] with the default draws and seed.
pub fn decide(arms: &[Arm]) -> Result<Decision, DecisionError> {
    decide_with(arms, &Options::default())
}

/// Compares the configurations; see the module documentation. The result
/// does not depend on the order of `arms` (beyond arms identical in name
/// and counts).
pub fn decide_with(arms: &[Arm], options: &Options) -> Result<Decision, DecisionError> {
    if let Some(bad) = arms.iter().find(|a| a.interested > a.answered) {
        return Err(DecisionError::InterestedExceedsAnswered {
            name: bad.name.clone(),
            interested: bad.interested,
            answered: bad.answered,
        });
    }
    let mut sorted: Vec<&Arm> = arms.iter().collect();
    sorted.sort_by(|x, y| order(x, y));
    let with_data = sorted.iter().take_while(|a| a.answered > 0).count();

    let counts: Vec<(u64, u64)> = sorted[..with_data]
        .iter()
        .map(|a| (a.interested, a.answered))
        .collect();
    let draws = if with_data >= 2 {
        options.draws.max(1)
    } else {
        0
    };
    let posterior = posterior::p_best(&counts, draws, options.seed);

    let results: Vec<ArmResult> = sorted
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let ci = wilson_interval(a.interested, a.answered);
            let p = posterior.get(i).map(|x| x.0);
            ArmResult {
                name: a.name.clone(),
                interested: a.interested,
                answered: a.answered,
                rate: (a.answered > 0).then(|| a.interested as f64 / a.answered as f64),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                p_best: p,
                p_best_se: p.map(|p| {
                    if draws == 0 {
                        0.0
                    } else {
                        (p * (1.0 - p) / draws as f64).sqrt()
                    }
                }),
                expected_loss: posterior.get(i).map(|x| x.1),
            }
        })
        .collect();

    let m = with_data * with_data.saturating_sub(1) / 2;
    let mut pairs = Vec::new();
    for i in 0..with_data {
        for j in i + 1..with_data {
            let (x, y) = (&results[i], &results[j]);
            pairs.push(PairResult {
                a: i,
                b: j,
                diff: rate_diff(x, y),
                p_value: two_proportion_p(x.interested, x.answered, y.interested, y.answered),
                p_holm: None,
                sequential: sequential::compare(
                    (x.interested, x.answered),
                    (y.interested, y.answered),
                    m,
                    options.nstar,
                ),
            });
        }
    }
    let adjusted = holm(&pairs.iter().map(|p| p.p_value).collect::<Vec<_>>());
    for (pair, adj) in pairs.iter_mut().zip(adjusted) {
        pair.p_holm = adj;
    }
    let comparisons = m;

    let leader = (with_data >= 1).then_some(0);
    let runner_up = (with_data >= 2).then_some(1);
    let tie = with_data >= 2 && order_rate(sorted[0], sorted[1]) == Ordering::Equal;
    let too_early = options
        .overlap_days
        .is_some_and(|days| days < MIN_OVERLAP_DAYS);
    let clear = with_data >= 2
        && pairs
            .iter()
            .filter(|p| p.a == 0)
            .all(|p| p.sequential.is_some_and(|s| s.low > 0.0));
    let outcome = match with_data {
        0 => Outcome::NoData,
        1 => Outcome::OnlyOne,
        _ if too_early => Outcome::TooEarly,
        _ if tie => Outcome::Tie,
        _ if clear => Outcome::Clear,
        _ => Outcome::NotYetClear,
    };
    let first = pairs.first().and_then(|p| p.sequential);
    let uplift = first.and_then(|_| sequential::relative(counts[0], counts[1], m, options.nstar));
    let pending = match (outcome, first) {
        (Outcome::NotYetClear | Outcome::TooEarly, Some(s)) => {
            // the pair's share of the compared configurations' daily answers
            let all: u64 = counts.iter().map(|c| c.1).sum();
            Some(pending(&s, m, options, s.n / all.max(1) as f64))
        }
        _ => None,
    };

    let mut decision = Decision {
        arms: results,
        pairs,
        leader,
        runner_up,
        uplift,
        pending,
        outcome,
        verdict: String::new(),
        method: String::new(),
        prior: PRIOR,
        draws,
        seed: options.seed,
        nstar: options.nstar,
        comparisons,
        overlap_days: options.overlap_days,
    };
    decision.verdict = verdict::verdict(&decision, with_data);
    decision.method = verdict::method(&decision);
    Ok(decision)
}

/// What an undecided leader-runner-up pair `s` would take; `share` is
/// the pair's part of the daily answers.
fn pending(s: &Sequential, m: usize, options: &Options, share: f64) -> Pending {
    let callable = s.high - s.diff;
    let more = sequential::answers_to_call(s, m, options.nstar).map(|n| (n - s.n).max(0.0));
    Pending {
        smallest_callable: callable,
        more_answers: more.map(|n| n.ceil() as u64),
        more_days: more.and_then(|n| {
            let per_day = options
                .daily_answered
                .map(|v| v * share)
                .filter(|v| *v > 0.0)?;
            Some((n / per_day).ceil() as u64)
        }),
    }
}

/// Arms with answers first, by rate descending, then more answered, then
/// name; arms without answers after them by name.
fn order(x: &Arm, y: &Arm) -> Ordering {
    match (x.answered > 0, y.answered > 0) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.name.cmp(&y.name),
        (true, true) => order_rate(x, y)
            .then(y.answered.cmp(&x.answered))
            .then_with(|| x.name.cmp(&y.name)),
    }
}

/// Higher rate first (both arms have answers).
fn order_rate(x: &Arm, y: &Arm) -> Ordering {
    stats::cmp_rate(y.interested, y.answered, x.interested, x.answered)
}

/// rate(x) - rate(y) for x ordered before y, from the counts so that, for
/// example, 542/1000 - 481/1000 is 0.061 and not 0.061000000000000054.
fn rate_diff(x: &ArmResult, y: &ArmResult) -> f64 {
    let ahead = u128::from(x.interested) * u128::from(y.answered);
    let behind = u128::from(y.interested) * u128::from(x.answered);
    // x comes first, so ahead >= behind; saturate rather than trust it.
    ahead.saturating_sub(behind) as f64 / (x.answered as f64 * y.answered as f64)
}
