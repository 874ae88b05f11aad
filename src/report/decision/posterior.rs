//! P(best) by seeded Monte Carlo over independent Beta posteriors.
//!
//! Beta(a, b) draws are X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b), the
//! gammas by Marsaglia and Tsang (2000) (all shapes here are >= 1) and the
//! normals by Box-Muller. Written out here rather than taken from a crate so
//! that the stream of draws for a seed never changes with a dependency
//! upgrade.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Gamma(shape, 1) sampler for shape >= 1 (Marsaglia-Tsang constants).
struct Gamma {
    d: f64,
    c: f64,
}

impl Gamma {
    fn new(shape: f64) -> Gamma {
        let d = shape - 1.0 / 3.0;
        Gamma {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
        }
    }

    fn sample(&self, src: &mut Source) -> f64 {
        loop {
            let x = src.normal();
            let v = 1.0 + self.c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u: f64 = src.rng.gen();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + self.d * (1.0 - v + v.ln()) {
                return self.d * v;
            }
        }
    }
}

/// Seeded uniform and normal draws.
struct Source {
    rng: ChaCha8Rng,
    spare: Option<f64>,
}

impl Source {
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        // 1 - [0, 1) is in (0, 1], so the logarithm is finite.
        let u1: f64 = 1.0 - self.rng.gen::<f64>();
        let u2: f64 = self.rng.gen();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = std::f64::consts::TAU * u2;
        self.spare = Some(r * theta.sin());
        r * theta.cos()
    }
}

/// For each (successes, trials) pair: the share of `draws` joint draws
/// from independent Beta(1 + successes, 1 + trials - successes) posteriors
/// in which that arm's draw is the highest (P(best)), and the mean of
/// (highest draw - its draw) (the expected loss of choosing it).
/// Deterministic for a given input order, `draws` and `seed`. Exact ties
/// in a draw (vanishingly rare) go to the earlier arm. One arm gets 1 and
/// loss 0 without sampling; no arms, nothing.
pub(super) fn p_best(counts: &[(u64, u64)], draws: u64, seed: u64) -> Vec<(f64, f64)> {
    match counts.len() {
        0 => return Vec::new(),
        1 => return vec![(1.0, 0.0)],
        _ => {}
    }
    let arms: Vec<(Gamma, Gamma)> = counts
        .iter()
        .map(|&(x, n)| {
            let yes = 1.0 + x as f64;
            let no = 1.0 + n.saturating_sub(x) as f64;
            (Gamma::new(yes), Gamma::new(no))
        })
        .collect();
    let mut src = Source {
        rng: ChaCha8Rng::seed_from_u64(seed),
        spare: None,
    };
    let mut wins = vec![0u64; arms.len()];
    let mut loss = vec![0.0f64; arms.len()];
    let mut values = vec![0.0f64; arms.len()];
    for _ in 0..draws {
        let mut best = 0;
        let mut best_value = f64::NEG_INFINITY;
        for (i, (g_yes, g_no)) in arms.iter().enumerate() {
            let a = g_yes.sample(&mut src);
            let b = g_no.sample(&mut src);
            let value = a / (a + b);
            values[i] = value;
            if value > best_value {
                best = i;
                best_value = value;
            }
        }
        wins[best] += 1;
        for (l, v) in loss.iter_mut().zip(&values) {
            *l += best_value - v;
        }
    }
    wins.into_iter()
        .zip(loss)
        .map(|(w, l)| (w as f64 / draws as f64, l / draws as f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_draws_have_the_right_moments() {
        // Beta(3, 7): mean 0.3, variance ab/((a+b)^2(a+b+1)) = 21/1100.
        let g_yes = Gamma::new(3.0);
        let g_no = Gamma::new(7.0);
        let mut src = Source {
            rng: ChaCha8Rng::seed_from_u64(7),
            spare: None,
        };
        let n = 200_000;
        let (mut sum, mut sum2) = (0.0, 0.0);
        for _ in 0..n {
            let a = g_yes.sample(&mut src);
            let b = g_no.sample(&mut src);
            let v = a / (a + b);
            sum += v;
            sum2 += v * v;
        }
        let mean = sum / n as f64;
        let var = sum2 / n as f64 - mean * mean;
        assert!((mean - 0.3).abs() < 0.002, "mean {mean}");
        assert!((var - 21.0 / 1100.0).abs() < 0.0005, "var {var}");
    }

    #[test]
    fn degenerate_inputs() {
        assert!(p_best(&[], 1000, 1).is_empty());
        assert_eq!(p_best(&[(3, 9)], 1000, 1), vec![(1.0, 0.0)]);
        let p = p_best(&[(0, 10), (10, 10)], 10_000, 1);
        assert!(p[1].0 > 0.999, "{p:?}");
        // Beta(1, 11) against Beta(11, 1): the loss of the first is the
        // difference of the means, 11/12 - 1/12, nearly always
        assert!((p[0].1 - 10.0 / 12.0).abs() < 0.01, "{p:?}");
        assert!(p[1].1 < 0.001, "{p:?}");
    }
}
