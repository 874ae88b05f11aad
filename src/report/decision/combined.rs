//! Across businesses without pooling: for two configurations compared in
//! several businesses, each business's difference weighed by its
//! precision (inverse-variance: w = 1 / se², difference sum(w d) / sum(w),
//! se 1 / sqrt(sum(w))), so a configuration that mostly ran at a keener
//! business gains nothing from it. The interval is always-valid
//! ([`super::sequential`]) over all answers of the businesses, corrected
//! for the number of combined pairs. A description beside the per-business
//! decisions, not a decision of its own.

use std::collections::BTreeMap;

use super::sequential::{half_width, p_value, rho2, ALPHA};
use super::Decision;

/// Two configurations across businesses.
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// The configuration ahead in the weighted difference.
    pub a: String,
    /// The other.
    pub b: String,
    /// Businesses in which both were compared.
    pub businesses: usize,
    /// Weighted difference rate(a) - rate(b), never negative.
    pub diff: f64,
    /// Lower end of its always-valid interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Always-valid p-value times the number of combined pairs, at most 1.
    pub p_adjusted: f64,
}

/// Every pair of configurations compared in at least two of `decisions`,
/// by name; the interval is tuned with `nstar`.
pub fn combine(decisions: &[&Decision], nstar: f64) -> Vec<Combined> {
    // (a, b) in name order -> (sum w, sum w d, answers, businesses)
    let mut sums: BTreeMap<(String, String), (f64, f64, f64, usize)> = BTreeMap::new();
    for d in decisions {
        for p in &d.pairs {
            let Some(s) = p.sequential else { continue };
            let (x, y) = (&d.arms[p.a].name, &d.arms[p.b].name);
            let (key, sign) = if x <= y {
                ((x.clone(), y.clone()), 1.0)
            } else {
                ((y.clone(), x.clone()), -1.0)
            };
            let w = 1.0 / (s.se * s.se);
            let e = sums.entry(key).or_default();
            e.0 += w;
            e.1 += w * sign * s.diff;
            e.2 += s.n;
            e.3 += 1;
        }
    }
    let several: Vec<_> = sums.into_iter().filter(|(_, v)| v.3 >= 2).collect();
    let m = several.len().max(1) as f64;
    let r = rho2(nstar);
    several
        .into_iter()
        .map(|((x, y), (w, wd, n, businesses))| {
            let (d, se) = (wd / w, 1.0 / w.sqrt());
            let (a, b, diff) = if d >= 0.0 { (x, y, d) } else { (y, x, -d) };
            let h = half_width(se, n, r, ALPHA / m);
            Combined {
                a,
                b,
                businesses,
                diff,
                low: diff - h,
                high: diff + h,
                p_adjusted: (p_value(diff, se, n, r) * m).min(1.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::decision::{decide, Arm};

    #[test]
    fn weighed_by_precision_not_pooled() {
        // Evening is 5 points ahead in each business; Default ran mostly
        // at the keen one. Pooled, Default leads by 23 points.
        let keen = decide(&[Arm::new("Default", 504, 840), Arm::new("Evening", 91, 140)]).unwrap();
        let cool = decide(&[Arm::new("Default", 28, 140), Arm::new("Evening", 210, 840)]).unwrap();
        let c = combine(&[&keen, &cool], 5_000.0);
        assert_eq!(c.len(), 1);
        let c = &c[0];
        assert_eq!(
            (c.a.as_str(), c.b.as_str(), c.businesses),
            ("Evening", "Default", 2)
        );
        // by hand: keen se² = .65 .35/140 + .6 .4/840, cool se² = .25 .75/840
        // + .2 .8/140; both differences 0.05, so the weighted one is 0.05
        assert!((c.diff - 0.05).abs() < 1e-12, "{}", c.diff);
        let w: f64 = 1.0 / (0.2275 / 140.0 + 0.24 / 840.0) + 1.0 / (0.1875 / 840.0 + 0.16 / 140.0);
        let h = half_width(1.0 / w.sqrt(), 1960.0, rho2(5_000.0), 0.05);
        assert!((c.low - (0.05 - h)).abs() < 1e-12);
        assert!((c.high - (0.05 + h)).abs() < 1e-12);
    }
}
