//! Frequentist pieces: normal tail, Wilson interval, pooled two-proportion
//! z-test, Holm adjustment and the two-proportion sample size.

use std::cmp::Ordering;

/// z_{0.975}: the two-sided 95% normal quantile.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// z_{0.80}: the one-sided normal quantile for 80% power.
pub const Z_80: f64 = 0.841_621_233_572_914_3;

const FRAC_2_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// Complementary error function, accurate to about 1e-14 relative over the
/// whole line (tails included, so tiny p-values do not collapse to 0 early).
///
/// For |x| < 2 it uses the all-positive series
/// erf(x) = 2/sqrt(pi) e^{-x^2} sum_n (2x^2)^n x / (2n+1)!!;
/// for x >= 2 the continued fraction
/// erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
/// evaluated with the modified Lentz method.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < 0.0 {
        return 2.0 - erfc(-x);
    }
    if x < 2.0 {
        return 1.0 - erf_series(x);
    }
    if x > 27.3 {
        // e^{-x^2} underflows below the smallest subnormal.
        return 0.0;
    }
    let tiny = 1e-300;
    let mut f = x;
    let mut c = x;
    let mut d = 0.0;
    for k in 1..5000 {
        let a = k as f64 / 2.0;
        d = x + a * d;
        if d.abs() < tiny {
            d = tiny;
        }
        d = 1.0 / d;
        c = x + a / c;
        if c.abs() < tiny {
            c = tiny;
        }
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x * x).exp() / (f * std::f64::consts::PI.sqrt())
}

/// erf(x) for 0 <= x < 2 by a series whose terms are all positive.
fn erf_series(x: f64) -> f64 {
    let x2 = 2.0 * x * x;
    let mut term = x;
    let mut sum = x;
    let mut n = 0.0;
    while term > sum * 1e-17 {
        n += 1.0;
        term *= x2 / (2.0 * n + 1.0);
        sum += term;
    }
    FRAC_2_SQRT_PI * (-x * x).exp() * sum
}

/// Standard normal cumulative distribution function Phi(z).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// 95% Wilson score interval of `x` successes in `n` trials, clamped to
/// [0, 1]; also SQL's `wilson_low`/`wilson_high` in reports
/// (`report::stats_sql`). None when `n` is 0.
pub fn wilson_interval(x: u64, n: u64) -> Option<(f64, f64)> {
    wilson_interval_of(x as f64, n as f64)
}

/// [`wilson_interval`] of counts given as numbers (SQL's `wilson_low` /
/// `wilson_high`); None when `n` is not positive.
pub fn wilson_interval_of(x: f64, n: f64) -> Option<(f64, f64)> {
    if n.is_nan() || n <= 0.0 {
        return None;
    }
    let z2 = Z_975 * Z_975;
    let p = x / n;
    let center = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z_975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some(((center - half).max(0.0), (center + half).min(1.0)))
}

/// Two-sided p-value of the pooled two-proportion z-test of `x1/n1` against
/// `x2/n2`, as `two_proportion_p` in `sql/report/prelude.sql` but with an
/// accurate normal tail. None when a side has no trials or the pooled rate
/// is 0 or 1 (the test is undefined: both sides all "no" or all "yes").
pub fn two_proportion_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    two_proportion_p_of(x1 as f64, n1 as f64, x2 as f64, n2 as f64)
}

/// [`two_proportion_p`] of counts given as numbers (SQL's
/// `two_proportion_p`).
pub fn two_proportion_p_of(x1: f64, n1: f64, x2: f64, n2: f64) -> Option<f64> {
    if n1.is_nan() || n2.is_nan() || n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let pooled = (x1 + x2) / (n1 + n2);
    if pooled <= 0.0 || pooled >= 1.0 {
        return None;
    }
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let z = (x1 / n1 - x2 / n2) / se;
    Some(erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// Holm step-down adjustment of a family of p-values. `None` entries (tests
/// that could not be done) stay `None` and do not count towards the family
/// size, as `NA` in R's `p.adjust(p, "holm")`.
///
/// With the m defined p-values sorted ascending, the i-th (from 1) becomes
/// max over j <= i of min(1, (m - j + 1) p_(j)): monotone in the raw
/// p-values and capped at 1. Ties keep their input order.
pub fn holm(p: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut order: Vec<(usize, f64)> = p
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    order.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(Ordering::Equal));
    let m = order.len();
    let mut out = vec![None; p.len()];
    let mut running: f64 = 0.0;
    for (rank, (i, v)) in order.into_iter().enumerate() {
        let scaled = ((m - rank) as f64 * v).min(1.0);
        running = running.max(scaled);
        out[i] = Some(running);
    }
    out
}

/// Answered requests needed in each of two groups to detect a difference
/// between rates `p1` and `p2` with 80% power at two-sided alpha 0.05:
/// n = (z_{0.975} sqrt(2 pbar qbar) + z_{0.8} sqrt(p1 q1 + p2 q2))^2 / d^2,
/// pbar = (p1 + p2)/2, d = p1 - p2, rounded up. None when d is 0 (or an
/// input is not a rate). Saturates at `u64::MAX` for vanishing d.
pub fn sample_size_per_arm(p1: f64, p2: f64) -> Option<u64> {
    let valid = |p: f64| (0.0..=1.0).contains(&p);
    if !valid(p1) || !valid(p2) {
        return None;
    }
    let d = p1 - p2;
    if d == 0.0 {
        return None;
    }
    let pbar = (p1 + p2) / 2.0;
    let a = Z_975 * (2.0 * pbar * (1.0 - pbar)).sqrt();
    let b = Z_80 * (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt();
    let n = ((a + b) * (a + b) / (d * d)).ceil();
    // `as` saturates for values beyond u64::MAX.
    Some(n as u64)
}

/// Exact comparison of the rates x1/n1 and x2/n2 (both n > 0) without
/// rounding, by cross-multiplication.
pub(super) fn cmp_rate(x1: u64, n1: u64, x2: u64, n2: u64) -> Ordering {
    (u128::from(x1) * u128::from(n2)).cmp(&(u128::from(x2) * u128::from(n1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_reference_values() {
        // Reference values from CPython's math.erfc.
        let cases = [
            (0.0, 1.0),
            (0.1, 0.887_537_083_981_715_2),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_13),
            (1.99, 0.004_888_586_800_383_003),
            (2.0, 0.004_677_734_981_047_265),
            (2.01, 0.004_475_150_644_751_763),
            (3.0, 2.209_049_699_858_543_8e-5),
            (5.0, 1.537_459_794_428_035_1e-12),
            (10.0, 2.088_487_583_762_545e-45),
            (20.0, 5.395_865_611_607_900_5e-176),
        ];
        for (x, want) in cases {
            let got = erfc(x);
            assert!(
                ((got - want) / want).abs() < 1e-12,
                "erfc({x}) = {got}, want {want}"
            );
            assert!((erfc(-x) - (2.0 - want)).abs() < 1e-15);
        }
        assert_eq!(erfc(40.0), 0.0);
        assert!(erfc(f64::NAN).is_nan());
    }

    #[test]
    fn normal_cdf_quantiles() {
        assert!((normal_cdf(Z_975) - 0.975).abs() < 1e-13);
        assert!((normal_cdf(Z_80) - 0.8).abs() < 1e-13);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-16);
    }

    #[test]
    fn exact_rate_order() {
        assert_eq!(cmp_rate(1, 2, 2, 4), Ordering::Equal);
        assert_eq!(cmp_rate(1, 3, 1, 2), Ordering::Less);
        assert_eq!(
            cmp_rate(u64::MAX - 1, u64::MAX, u64::MAX - 2, u64::MAX - 1),
            Ordering::Greater
        );
    }
}
