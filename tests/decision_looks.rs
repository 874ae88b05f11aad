//! The decision as marketing reads it: every morning, on the growing data,
//! acting the first morning it says "clear". Seeded simulations:
//!
//! - A/A: configurations of equal true interest rate, 40 daily looks;
//!   the share of experiments ever called clear must stay within the
//!   nominal 5% plus two Monte Carlo standard errors (the old fixed-sample
//!   verdict called 20% under the same reading);
//! - power: a real difference of 6 points at 100 answers a day per
//!   configuration is called, the right way round, in most experiments
//!   within 40 days, and never the wrong way round.
//!
//! Expected rates come from the nominal level and binomial arithmetic
//! written here, not from the code under test.

use hookstat::report::decision::{decide_with, Arm, Options, Outcome};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Answers a day per configuration.
const DAILY: u64 = 60;
/// Mornings the report is read.
const DAYS: u32 = 40;

fn options(day: u32) -> Options {
    Options {
        // P(best) is not part of the rule: one draw keeps it cheap
        draws: 1,
        overlap_days: Some(day),
        ..Options::default()
    }
}

/// One experiment: configurations with true `rates`, `daily` answers a
/// day each; the index of the configuration first called clear, if any.
fn experiment(rng: &mut ChaCha8Rng, rates: &[f64], daily: u64) -> Option<usize> {
    let mut counts = vec![(0u64, 0u64); rates.len()];
    for day in 1..=DAYS {
        for (c, p) in counts.iter_mut().zip(rates) {
            c.0 += (0..daily).filter(|_| rng.gen::<f64>() < *p).count() as u64;
            c.1 += daily;
        }
        let arms: Vec<Arm> = counts
            .iter()
            .enumerate()
            .map(|(i, c)| Arm::new(format!("c{i}"), c.0, c.1))
            .collect();
        let d = decide_with(&arms, &options(day)).unwrap();
        if d.outcome == Outcome::Clear {
            let name = &d.arms[0].name;
            return Some(name[1..].parse().unwrap());
        }
    }
    None
}

/// Share of `runs` experiments called clear (any leader).
fn called(seed: u64, runs: usize, rates: &[f64], daily: u64) -> (f64, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut leaders = vec![0; rates.len()];
    let mut calls = 0;
    for _ in 0..runs {
        if let Some(i) = experiment(&mut rng, rates, daily) {
            calls += 1;
            leaders[i] += 1;
        }
    }
    (calls as f64 / runs as f64, leaders)
}

/// 5% plus two binomial standard errors of a share measured in `runs`.
fn ceiling(runs: usize) -> f64 {
    0.05 + 2.0 * (0.05 * 0.95 / runs as f64).sqrt()
}

#[test]
fn equal_configurations_are_rarely_called_however_often_read() {
    let runs = 2000;
    let (share, _) = called(1, runs, &[0.3, 0.3], DAILY);
    eprintln!(
        "A/A, 2 configurations, {DAYS} looks: {:.2}% called",
        share * 100.0
    );
    assert!(share <= ceiling(runs), "{share}");
    let runs = 1000;
    let (share, _) = called(2, runs, &[0.5, 0.5, 0.5], DAILY);
    eprintln!(
        "A/A, 3 configurations, {DAYS} looks: {:.2}% called",
        share * 100.0
    );
    assert!(share <= ceiling(runs), "{share}");
}

/// The same A/A reading with the fixed-sample rule (Holm-adjusted z-test
/// p below 0.05 on any morning): the test above fails for that rule.
#[test]
fn the_fixed_sample_rule_fails_the_same_reading() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let runs = 2000;
    let mut calls = 0;
    for _ in 0..runs {
        let mut counts = [(0u64, 0u64); 2];
        for day in 1..=DAYS {
            for c in counts.iter_mut() {
                c.0 += (0..DAILY).filter(|_| rng.gen::<f64>() < 0.3).count() as u64;
                c.1 += DAILY;
            }
            let arms = [
                Arm::new("a", counts[0].0, counts[0].1),
                Arm::new("b", counts[1].0, counts[1].1),
            ];
            let d = decide_with(&arms, &options(day)).unwrap();
            if d.pairs[0].p_holm.is_some_and(|p| p < 0.05) {
                calls += 1;
                break;
            }
        }
    }
    let share = calls as f64 / runs as f64;
    eprintln!(
        "A/A read with the fixed-sample p-value: {:.1}% called",
        share * 100.0
    );
    assert!(share > ceiling(runs), "{share}");
}

#[test]
fn a_real_difference_is_called_the_right_way_round() {
    // 0.36 against 0.30 at 100 answers a day each: after 40 days the
    // always-valid half-width is about 0.031 (3.05 se, se = 0.0105), so a
    // 0.06 difference is beyond it in most experiments
    let runs = 500;
    let (share, leaders) = called(3, runs, &[0.30, 0.36], 100);
    eprintln!(
        "power, 6 points at 100 a day, {DAYS} looks: {:.1}% called, {} the wrong way round",
        share * 100.0,
        leaders[0]
    );
    assert!(share >= 0.8, "{share}");
    assert_eq!(
        leaders[0], 0,
        "the worse configuration was called the leader"
    );
}
