//! What a decision is made of: the counts that go in ([`Arm`]), the
//! settings ([`Options`]) and the figures that come out ([`Decision`]).

use super::sequential::{Sequential, DEFAULT_NSTAR};
use super::{DEFAULT_DRAWS, DEFAULT_SEED};

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

/// Settings of a decision; [`Default`]: [`DEFAULT_DRAWS`], [`DEFAULT_SEED`],
/// [`DEFAULT_NSTAR`], no day count and no volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Joint posterior draws for P(best) and the expected loss; 0 is 1.
    pub draws: u64,
    /// ChaCha8 seed.
    pub seed: u64,
    /// Tuning of the confidence sequences: answers at which they are
    /// tightest.
    pub nstar: f64,
    /// Days on which every compared configuration had requests; under
    /// [`super::MIN_OVERLAP_DAYS`] there is no verdict yet. None: not
    /// checked.
    pub overlap_days: Option<u32>,
    /// Answered requests a day, recently, of the configurations compared
    /// (for "days to a decision").
    pub daily_answered: Option<f64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            nstar: DEFAULT_NSTAR,
            overlap_days: None,
            daily_answered: None,
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
    /// Expected loss of choosing this configuration now: the posterior
    /// mean of (highest rate - its rate), a fraction.
    pub expected_loss: Option<f64>,
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
    /// Fixed-sample two-sided pooled z-test p-value (a description: it is
    /// not valid when read again every morning); None when both have only
    /// "interested" or only "not interested" answers.
    pub p_value: Option<f64>,
    /// Holm-adjusted fixed-sample p-value across all pairs.
    pub p_holm: Option<f64>,
    /// Always-valid interval and p-value, corrected for every pair; None
    /// when there is no variance to infer from.
    pub sequential: Option<Sequential>,
}

/// While undecided: what the data could call today, and what it would take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pending {
    /// The smallest difference (fraction) between leader and runner-up
    /// the data could call clear today.
    pub smallest_callable: f64,
    /// More answered requests, both together, a true difference of the
    /// observed size would need.
    pub more_answers: Option<u64>,
    /// Those requests in days at the recent daily volume.
    pub more_days: Option<u64>,
}

/// What the verdict says, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No configuration has answered requests.
    NoData,
    /// Exactly one configuration has answered requests.
    OnlyOne,
    /// Fewer days on which all ran than a verdict needs.
    TooEarly,
    /// The top observed rates are exactly equal.
    Tie,
    /// The leader's always-valid interval against every other
    /// configuration excludes zero.
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
    /// Leader against runner-up relative to the runner-up's rate:
    /// (uplift, low, high) as fractions: the leader's rate over the
    /// runner-up's, minus 1, with the always-valid interval of the log of
    /// that ratio (delta method) at the corrected level.
    pub uplift: Option<(f64, f64, f64)>,
    /// While not yet clear: what it would take.
    pub pending: Option<Pending>,
    /// Which kind of verdict this is.
    pub outcome: Outcome,
    /// The verdict in plain English (names verbatim, not escaped).
    pub verdict: String,
    /// How the figures were computed, prior included, in plain English.
    pub method: String,
    /// The prior, [`super::PRIOR`].
    pub prior: &'static str,
    /// Monte Carlo draws used (0 when fewer than two configurations have
    /// answers and nothing was sampled).
    pub draws: u64,
    /// ChaCha8 seed used.
    pub seed: u64,
    /// The confidence sequences' tuning.
    pub nstar: f64,
    /// Pairs in the correction (pairs with an always-valid interval).
    pub comparisons: usize,
    /// Days of overlap the decision covers, when known.
    pub overlap_days: Option<u32>,
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
