//! Always-valid inference for the difference of two interest rates: the
//! asymptotic confidence sequence of Waudby-Smith, Arnold, Wu, Wang and
//! Ramdas ("Time-uniform central limit theory and asymptotic confidence
//! sequences", arXiv 2103.06476), in the form GrowthBook and Eppo use.
//!
//! With rates `pa`, `pb` of `na`, `nb` answers, se = sqrt(pa(1-pa)/na +
//! pb(1-pb)/nb), N = na + nb and rho² = (-2 ln alpha + ln(1 - 2 ln alpha))
//! / N* (N* the tuning: the number of answers at which the sequence is
//! tightest), the half-width at level alpha is
//! se sqrt(2 (N rho² + 1) / (N rho²) ln(sqrt(N rho² + 1) / alpha)), and the
//! always-valid p-value of d = pa - pb, z = d / se, is
//! min(1, sqrt(N rho² + 1) exp(-rho² z² N / (2 (N rho² + 1)))). Both are
//! valid at every look: reading them every morning and acting on the first
//! that excludes zero keeps the error rate at alpha. rho is fixed by the
//! nominal alpha and N*; a corrected level (alpha / m) changes only the
//! logarithm, so "the interval at alpha / m excludes zero" and "m p < alpha"
//! are the same statement.

/// Nominal two-sided error rate of a decision.
pub const ALPHA: f64 = 0.05;

/// Default tuning N*: answers (both configurations together) at which the
/// confidence sequence is tightest; GrowthBook's default.
pub const DEFAULT_NSTAR: f64 = 5_000.0;

/// The mixing parameter rho² for the nominal [`ALPHA`] and tuning `nstar`.
pub fn rho2(nstar: f64) -> f64 {
    let l = ALPHA.ln();
    (-2.0 * l + (1.0 - 2.0 * l).ln()) / nstar.max(1.0)
}

/// Half-width of the always-valid interval at level `alpha` for standard
/// error `se` after `n` answers in all.
pub fn half_width(se: f64, n: f64, rho2: f64, alpha: f64) -> f64 {
    let v = n * rho2;
    se * (2.0 * (v + 1.0) / v * ((v + 1.0).sqrt() / alpha).ln()).sqrt()
}

/// Always-valid p-value of difference `d` with standard error `se` after
/// `n` answers in all.
pub fn p_value(d: f64, se: f64, n: f64, rho2: f64) -> f64 {
    let v = n * rho2;
    let z = d / se;
    ((v + 1.0).sqrt() * (-rho2 * z * z * n / (2.0 * (v + 1.0))).exp()).min(1.0)
}

/// A pair's difference and its always-valid inference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sequential {
    /// rate(a) - rate(b).
    pub diff: f64,
    /// Standard error of `diff` (unpooled).
    pub se: f64,
    /// Answers of both.
    pub n: f64,
    /// Lower end of the always-valid interval at the corrected level.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Always-valid p-value, uncorrected.
    pub p: f64,
    /// `p` times the number of comparisons, at most 1.
    pub p_adjusted: f64,
}

/// `a` = (interested, answered) against `b`, with `m` comparisons in the
/// family (the interval is at level alpha / m); None when a side has no
/// answers or both rates are 0 or 1 throughout (no variance: nothing to
/// infer from).
pub fn compare(a: (u64, u64), b: (u64, u64), m: usize, nstar: f64) -> Option<Sequential> {
    let ((xa, na), (xb, nb)) = (a, b);
    if na == 0 || nb == 0 {
        return None;
    }
    let (pa, pb) = (xa as f64 / na as f64, xb as f64 / nb as f64);
    let se = (pa * (1.0 - pa) / na as f64 + pb * (1.0 - pb) / nb as f64).sqrt();
    if se <= 0.0 || !se.is_finite() {
        return None;
    }
    let n = (na + nb) as f64;
    let r = rho2(nstar);
    let m = m.max(1) as f64;
    let diff = pa - pb;
    let h = half_width(se, n, r, ALPHA / m);
    let p = p_value(diff, se, n, r);
    Some(Sequential {
        diff,
        se,
        n,
        low: diff - h,
        high: diff + h,
        p,
        p_adjusted: (p * m).min(1.0),
    })
}

/// The relative uplift of `a` over `b`, rate(a) / rate(b) - 1, with its
/// always-valid interval at level alpha / `m`: the same confidence sequence
/// on the log of the ratio, whose standard error by the delta method is
/// sqrt((1 - pa) / xa + (1 - pb) / xb), mapped back with exp; None when a
/// side has no interested answer (no ratio to take the log of).
pub fn relative(a: (u64, u64), b: (u64, u64), m: usize, nstar: f64) -> Option<(f64, f64, f64)> {
    let ((xa, na), (xb, nb)) = (a, b);
    if xa == 0 || xb == 0 {
        return None;
    }
    let (pa, pb) = (xa as f64 / na as f64, xb as f64 / nb as f64);
    let se = ((1.0 - pa) / xa as f64 + (1.0 - pb) / xb as f64).sqrt();
    let ratio = (pa / pb).ln();
    if se <= 0.0 || !se.is_finite() {
        return Some((pa / pb - 1.0, pa / pb - 1.0, pa / pb - 1.0));
    }
    let h = half_width(se, (na + nb) as f64, rho2(nstar), ALPHA / m.max(1) as f64);
    Some((
        pa / pb - 1.0,
        (ratio - h).exp() - 1.0,
        (ratio + h).exp() - 1.0,
    ))
}

/// Answers in all (at the same split and standard deviation) at which a
/// true difference of `diff` would reach the edge of the interval: the
/// smallest N' >= N with half_width(se sqrt(N / N'), N') <= |diff|; None
/// when `diff` is 0 or it takes more than a billion answers.
pub fn answers_to_call(s: &Sequential, m: usize, nstar: f64) -> Option<f64> {
    let target = s.diff.abs();
    if target == 0.0 {
        return None;
    }
    let r = rho2(nstar);
    let alpha = ALPHA / m.max(1) as f64;
    let h = |n2: f64| half_width(s.se * (s.n / n2).sqrt(), n2, r, alpha);
    if h(s.n) <= target {
        return Some(s.n);
    }
    let (mut lo, mut hi) = (s.n, s.n * 2.0);
    while h(hi) > target {
        lo = hi;
        hi *= 2.0;
        if hi > 1e9 {
            return None;
        }
    }
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if h(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(hi.ceil())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_worked_value() {
        // the worked value: alpha 0.05, N* 5,000, N = 5,000: 3.04 se
        let h = half_width(1.0, 5_000.0, rho2(5_000.0), 0.05);
        assert!((h - 3.04).abs() < 0.005, "{h}");
    }

    #[test]
    fn the_p_value_and_the_interval_agree() {
        let s = compare((330, 1000), (300, 1000), 1, 5_000.0).unwrap();
        let edge = s.low.abs().min(s.high.abs()) < 1e-12;
        assert!(!edge);
        assert_eq!(s.p < ALPHA, s.low > 0.0 || s.high < 0.0);
        let s3 = compare((400, 1000), (300, 1000), 3, 5_000.0).unwrap();
        assert_eq!(s3.p_adjusted < ALPHA, s3.low > 0.0);
    }

    #[test]
    fn answers_to_call_reach_the_edge() {
        let s = compare((33, 100), (30, 100), 1, 5_000.0).unwrap();
        let n = answers_to_call(&s, 1, 5_000.0).unwrap();
        let r = rho2(5_000.0);
        let at = |n2: f64| half_width(s.se * (s.n / n2).sqrt(), n2, r, ALPHA);
        assert!(at(n) <= 0.03 && at(n - 1.0) > 0.03, "{n}");
        assert!(compare((0, 10), (0, 10), 1, 5_000.0).is_none());
    }
}
