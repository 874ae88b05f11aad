//! When sample events happen: how many per day, at which hours (IST
//! business hours busiest), and when their repeat deliveries arrive.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::generate::EVENT_DAYS;
use super::util::{weighted, BASE_EPOCH, DAY_SECS, IST_OFFSET};

/// Delay before each retry attempt, seconds: 2 min, 6 min, 30 min, 1 h, 5 h,
/// 1 day, 2 days.
const RETRY_DELAYS: [i64; 7] = [120, 360, 1_800, 3_600, 18_000, 86_400, 172_800];
/// How likely each attempt is to have been archived as a repeat.
const RETRY_WEIGHTS: [u32; 7] = [30, 20, 15, 12, 10, 8, 5];
/// Relative volume per IST hour of day (Indian business hours are busiest).
const IST_HOUR_WEIGHTS: [u32; 24] = [
    1, 1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 20, 20, 19, 18, 18, 17, 16, 15, 14, 12, 9, 5, 2,
];

/// 1-3 repeat deliveries: (attempt number 1-7, seconds after the first
/// delivery), in increasing time order.
pub(super) fn retry_schedule(rng: &mut ChaCha8Rng) -> Vec<(u8, i64)> {
    let repeats = weighted(rng, &[75, 20, 5]) + 1;
    let mut weights = RETRY_WEIGHTS;
    let mut attempts: Vec<usize> = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let a = weighted(rng, &weights);
        weights[a] = 0;
        attempts.push(a);
    }
    attempts.sort_unstable();
    attempts
        .into_iter()
        .map(|a| {
            let cumulative: i64 = RETRY_DELAYS[..=a].iter().sum();
            // Each earlier attempt may have waited up to the 20 s timeout.
            let jitter = rng.gen_range(0..=20 * (a as i64 + 1));
            // `a` < 7, so the attempt number fits in a u8.
            ((a + 1) as u8, cumulative + jitter)
        })
        .collect()
}

/// Splits `n` events over the event days (weekends quieter, Independence Day
/// quieter, slow growth), exactly, by largest remainder.
pub(super) fn day_counts(n: usize) -> Vec<usize> {
    let start = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap_or_default();
    let weights: Vec<f64> = (0..EVENT_DAYS)
        .map(|d| {
            let date = start
                .checked_add_days(Days::new(u64::from(d)))
                .unwrap_or(start);
            let w = match date.weekday() {
                Weekday::Sat => 0.8,
                Weekday::Sun => 0.6,
                _ => 1.0,
            };
            let holiday = if date.month() == 8 && date.day() == 15 {
                0.7
            } else {
                1.0
            };
            w * holiday * (1.0 + f64::from(d) * 0.01)
        })
        .collect();
    let total: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / total * n as f64).collect();
    // Floors of non-negative finite values no larger than n.
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let mut rest = n - counts.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|a, b| {
        (exact[*b] - exact[*b].floor())
            .total_cmp(&(exact[*a] - exact[*a].floor()))
            .then(a.cmp(b))
    });
    for i in order.into_iter().cycle() {
        if rest == 0 {
            break;
        }
        counts[i] += 1;
        rest -= 1;
    }
    counts
}

/// Weight of each UTC half-hour of the day, from the IST hour it falls in.
pub(super) fn half_hour_weights() -> [u32; 48] {
    let mut weights = [0u32; 48];
    for (b, w) in weights.iter_mut().enumerate() {
        // UTC half-hour b is IST half-hour (b + 11) mod 48 (+05:30).
        *w = IST_HOUR_WEIGHTS[((b + (IST_OFFSET / 1_800) as usize) % 48) / 2];
    }
    weights
}

/// A creation time within UTC day `day`, weighted by IST hour of day.
pub(super) fn sample_time(rng: &mut ChaCha8Rng, weights: &[u32; 48], day: u32) -> i64 {
    let bucket = weighted(rng, weights) as i64;
    BASE_EPOCH + i64::from(day) * DAY_SECS + bucket * 1_800 + rng.gen_range(0..1_800)
}
