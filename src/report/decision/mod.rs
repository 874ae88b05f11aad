//! Configuration comparison as a decision: which Call Me Back configuration
//! leads on interest rate, and whether the data can tell yet.
//!
//! Pure computation (no database, no I/O) on per-configuration counts
//! ([`Arm`]: interested and answered requests, answered = interested + not
//! interested). [`decide`] returns a [`Decision`] with, per configuration:
//!
//! - the **interest rate** interested / answered and its **95% Wilson
//!   interval** (the formula of `wilson_low`/`wilson_high` in
//!   `sql/report/prelude.sql`);
//! - **P(best)**, the posterior probability that its true rate is the
//!   highest. Each rate gets an independent Beta(1 + interested,
//!   1 + answered - interested) posterior, that is a **uniform Beta(1, 1)
//!   prior** updated with the answers ([`PRIOR`]). The probability is the
//!   share of [`DEFAULT_DRAWS`] joint draws (ChaCha8 seeded with
//!   [`DEFAULT_SEED`]) in which the configuration's draw is the highest:
//!   the Monte Carlo standard error is at most 0.5 / sqrt(200,000), about
//!   0.11 percentage points, and the same input always gives the same
//!   output. Configurations without answered requests get no rate, interval
//!   or probability and take part in nothing below.
//!
//! For every pair of configurations with answers: the difference in rate,
//! the two-sided p-value of the pooled two-proportion z-test, and the
//! p-value Holm-adjusted across all pairs (step-down, monotone, capped at
//! 1), so that picking the best after the fact does not overstate
//! significance.
//!
//! The **leader** is the configuration with the highest observed rate (ties
//! broken by more answered requests, then by name), the **runner-up** the
//! next. The lead is **clear** when their Holm-adjusted p-value is below
//! [`ALPHA`]. Otherwise the verdict says roughly how many more answered
//! requests per configuration would give 80% power ([`POWER`]) at two-sided
//! alpha 0.05 to detect the observed difference (the standard
//! two-proportion sample size, [`sample_size_per_arm`]). That target is
//! not adjusted for multiple comparisons, so with many configurations it is
//! a lower bound.
//!
//! Names are used verbatim in the verdict; escaping is the caller's job.

mod posterior;
mod rows;
pub mod stats;
mod verdict;

use std::cmp::Ordering;

pub use rows::{ARM_COLUMNS, PAIR_COLUMNS};
pub use stats::{erfc, holm, normal_cdf, sample_size_per_arm, two_proportion_p, wilson_interval};

/// The prior behind P(best), as stated in [`Decision::method`].
pub const PRIOR: &str = "uniform Beta(1, 1) prior on each configuration's interest rate";

/// Monte Carlo draws for P(best) unless [`Options`] say otherwise.
pub const DEFAULT_DRAWS: u64 = 200_000;

/// ChaCha8 seed for P(best) unless [`Options`] say otherwise ("hookstat" in
/// ASCII).
pub const DEFAULT_SEED: u64 = 0x686f_6f6b_7374_6174;

/// Two-sided significance level: a Holm-adjusted p-value below it is
/// "clear"; also the alpha of the sample size.
pub const ALPHA: f64 = 0.05;

/// Power the sample-size estimate aims for.
pub const POWER: f64 = 0.8;

/// Counts for one configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arm {
    /// Configuration name, any characters.
    pub name: String,
    /// Answered requests whose answer was "interested".
    pub interested: u64,
    /// Answered requests (interested + not interested); at least `interested`.
    pub answered: u64,
}

impl Arm {
    /// An arm from a name and counts.
    pub fn new(name: impl Into<String>, interested: u64, answered: u64) -> Arm {
        Arm {
            name: name.into(),
            interested,
            answered,
        }
    }
}

/// Monte Carlo settings; [`Default`] is [`DEFAULT_DRAWS`] and
/// [`DEFAULT_SEED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Joint posterior draws for P(best); 0 is taken as 1.
    pub draws: u64,
    /// ChaCha8 seed.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
        }
    }
}

/// One configuration's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmResult {
    /// Configuration name as given.
    pub name: String,
    /// Interested answers.
    pub interested: u64,
    /// Answered requests.
    pub answered: u64,
    /// interested / answered; None without answers.
    pub rate: Option<f64>,
    /// Lower end of the 95% Wilson interval; None without answers.
    pub ci_low: Option<f64>,
    /// Upper end of the 95% Wilson interval; None without answers.
    pub ci_high: Option<f64>,
    /// Posterior probability of having the highest rate (fraction); None
    /// without answers. Sums to 1 over the configurations with answers.
    pub p_best: Option<f64>,
    /// Monte Carlo standard error of `p_best`, sqrt(p (1 - p) / draws);
    /// 0 when it was not sampled (a single configuration).
    pub p_best_se: Option<f64>,
}

/// Comparison of two configurations, indices into [`Decision::arms`]; `a`
/// comes first in that order, so `diff` is never negative.
#[derive(Debug, Clone, PartialEq)]
pub struct PairResult {
    /// Index of the first configuration (higher or equal rate).
    pub a: usize,
    /// Index of the second configuration.
    pub b: usize,
    /// rate(a) - rate(b), a fraction.
    pub diff: f64,
    /// Two-sided pooled z-test p-value; None when both have only
    /// "interested" or only "not interested" answers.
    pub p_value: Option<f64>,
    /// Holm-adjusted p-value across all pairs with a p-value.
    pub p_holm: Option<f64>,
}

/// Sample size to settle leader against runner-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Power {
    /// Answered requests each of the two needs in total for 80% power at
    /// two-sided alpha 0.05 to detect the observed difference.
    pub required_per_arm: u64,
    /// More answered requests the leader needs (0 when it has enough).
    pub additional_leader: u64,
    /// More answered requests the runner-up needs (0 when it has enough).
    pub additional_runner_up: u64,
}

/// What the verdict says, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No configuration has answered requests.
    NoData,
    /// Exactly one configuration has answered requests.
    OnlyOne,
    /// The top observed rates are exactly equal.
    Tie,
    /// The leader is ahead of the runner-up with Holm-adjusted p < 0.05.
    Clear,
    /// The leader is ahead, but not clearly yet.
    NotYetClear,
}

/// The comparison, ready for a page and for CSV ([`Decision::tables`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Configurations with answers by rate (highest first; ties: more
    /// answered, then name), then those without answers by name.
    pub arms: Vec<ArmResult>,
    /// Every pair of configurations with answers, `a` before `b` in `arms`.
    pub pairs: Vec<PairResult>,
    /// Index of the leading configuration (always 0 when present).
    pub leader: Option<usize>,
    /// Index of the runner-up (always 1 when present).
    pub runner_up: Option<usize>,
    /// Sample size to settle leader against runner-up; None when there is
    /// no runner-up or their rates are equal.
    pub power: Option<Power>,
    /// Which kind of verdict this is.
    pub outcome: Outcome,
    /// The verdict in plain English (names verbatim, not escaped).
    pub verdict: String,
    /// How the figures were computed, prior included, in plain English.
    pub method: String,
    /// The prior, [`PRIOR`].
    pub prior: &'static str,
    /// Monte Carlo draws used (0 when fewer than two configurations have
    /// answers and nothing was sampled).
    pub draws: u64,
    /// ChaCha8 seed used.
    pub seed: u64,
    /// Number of pairs in the Holm family (pairs with a p-value).
    pub comparisons: usize,
}

/// Counts that cannot be right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    /// More interested answers than answers.
    #[error("configuration {name:?}: {interested} interested of only {answered} answered")]
    InterestedExceedsAnswered {
        /// Configuration name.
        name: String,
        /// Interested count given.
        interested: u64,
        /// Answered count given.
        answered: u64,
    },
}

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
    let p_best = posterior::p_best(&counts, draws, options.seed);

    let results: Vec<ArmResult> = sorted
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let ci = wilson_interval(a.interested, a.answered);
            let p = p_best.get(i).copied();
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
            }
        })
        .collect();

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
            });
        }
    }
    let adjusted = holm(&pairs.iter().map(|p| p.p_value).collect::<Vec<_>>());
    for (pair, adj) in pairs.iter_mut().zip(adjusted) {
        pair.p_holm = adj;
    }
    let comparisons = pairs.iter().filter(|p| p.p_value.is_some()).count();

    let leader = (with_data >= 1).then_some(0);
    let runner_up = (with_data >= 2).then_some(1);
    let tie = with_data >= 2 && order_rate(sorted[0], sorted[1]) == Ordering::Equal;
    let power = match (runner_up, tie) {
        (Some(_), false) => {
            let (l, r) = (&results[0], &results[1]);
            sample_size_per_arm(l.rate.unwrap_or(0.0), r.rate.unwrap_or(0.0)).map(|n| Power {
                required_per_arm: n,
                additional_leader: n.saturating_sub(l.answered),
                additional_runner_up: n.saturating_sub(r.answered),
            })
        }
        _ => None,
    };
    let outcome = match with_data {
        0 => Outcome::NoData,
        1 => Outcome::OnlyOne,
        _ if tie => Outcome::Tie,
        _ if pairs[0].p_holm.is_some_and(|p| p < ALPHA) => Outcome::Clear,
        _ => Outcome::NotYetClear,
    };

    let mut decision = Decision {
        arms: results,
        pairs,
        leader,
        runner_up,
        power,
        outcome,
        verdict: String::new(),
        method: String::new(),
        prior: PRIOR,
        draws,
        seed: options.seed,
        comparisons,
    };
    decision.verdict = verdict::verdict(&decision, with_data);
    decision.method = verdict::method(&decision);
    Ok(decision)
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
