//! The statistics against references outside the code: Holm's adjustment
//! against R's p.adjust, P(p_B > p_A) against Evan Miller's closed form, the
//! z-test, the Wilson interval and the sample size by hand.

use hookstat::report::decision::{
    decide, holm, normal_cdf, sample_size_per_arm, two_proportion_p, wilson_interval, Arm,
    DEFAULT_DRAWS,
};

use super::close;

fn holm_of(p: &[f64]) -> Vec<f64> {
    let some: Vec<Option<f64>> = p.iter().copied().map(Some).collect();
    holm(&some).into_iter().map(Option::unwrap).collect()
}

#[test]
fn holm_matches_r() {
    // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02.
    // By hand: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 =
    // 0.02, 0.03, 0.06, 0.04; running maximum 0.02, 0.03, 0.06, 0.06.
    let got = holm_of(&[0.01, 0.04, 0.03, 0.005]);
    for (g, w) in got.iter().zip([0.03, 0.06, 0.06, 0.02]) {
        close(*g, w, 1e-12);
    }
}

#[test]
fn holm_is_monotone_and_capped() {
    // 0.01*3 = 0.03; 0.011*2 = 0.022 -> max 0.03; 0.5*1 = 0.5.
    let got = holm_of(&[0.5, 0.011, 0.01]);
    for (g, w) in got.iter().zip([0.5, 0.03, 0.03]) {
        close(*g, w, 1e-12);
    }
    // 0.4*3 = 1.2 -> 1; 0.5*2 = 1.0; 0.6 -> max 1.
    assert_eq!(holm_of(&[0.4, 0.5, 0.6]), vec![1.0, 1.0, 1.0]);
    // Ties: both 0.02*2 = 0.04 (the second 0.02*1 is lifted to 0.04).
    let got = holm_of(&[0.02, 0.02]);
    close(got[0], 0.04, 1e-12);
    close(got[1], 0.04, 1e-12);
    // A single test is unchanged.
    assert_eq!(holm_of(&[0.3]), vec![0.3]);
    assert!(holm(&[]).is_empty());
    // Missing p-values stay missing and do not count (R: NA), so m = 2.
    let got = holm(&[Some(0.01), None, Some(0.04)]);
    assert_eq!(got[1], None);
    close(got[0].unwrap(), 0.02, 1e-12);
    close(got[2].unwrap(), 0.04, 1e-12);
    // Adjusted values never fall below the raw ones and keep their order.
    let raw = [0.003, 0.2, 0.04, 0.041, 0.9, 0.0001];
    let adj = holm_of(&raw);
    for i in 0..raw.len() {
        assert!(adj[i] >= raw[i] && adj[i] <= 1.0);
        for j in 0..raw.len() {
            if raw[i] < raw[j] {
                assert!(adj[i] <= adj[j]);
            }
        }
    }
}

/// ln((n-1)!) = ln Gamma(n) for integer n >= 1, summed exactly enough.
fn ln_gamma_int(n: u64) -> f64 {
    (2..n).map(|k| (k as f64).ln()).sum()
}

fn ln_beta(a: u64, b: u64) -> f64 {
    ln_gamma_int(a) + ln_gamma_int(b) - ln_gamma_int(a + b)
}

/// P(p_x > p_y) for p_x ~ Beta(ax, bx), p_y ~ Beta(ay, by), integer
/// parameters (Evan Miller, "Formulas for Bayesian A/B testing", with B = x
/// and A = y):
/// sum_{i=0}^{ax-1} B(ay+i, by+bx) / ((bx+i) B(1+i, bx) B(ay, by)).
fn exact_x_beats_y((ax, bx): (u64, u64), (ay, by): (u64, u64)) -> f64 {
    (0..ax)
        .map(|i| {
            (ln_beta(ay + i, by + bx)
                - ((bx + i) as f64).ln()
                - ln_beta(1 + i, bx)
                - ln_beta(ay, by))
            .exp()
        })
        .sum()
}

/// Posterior parameters under the uniform prior.
fn post(interested: u64, answered: u64) -> (u64, u64) {
    (1 + interested, 1 + answered - interested)
}

#[test]
fn exact_reference_is_right() {
    // Beta(2, 1) against a uniform: E[p_x] = 2/3 (F_y(t) = t).
    close(exact_x_beats_y((2, 1), (1, 1)), 2.0 / 3.0, 1e-12);
    close(exact_x_beats_y((1, 1), (1, 1)), 0.5, 1e-12);
    let (x, y) = (post(45, 100), post(30, 100));
    close(exact_x_beats_y(x, y) + exact_x_beats_y(y, x), 1.0, 1e-9);
}

#[test]
fn p_best_of_two_matches_closed_form() {
    for (a, b) in [
        ((45, 100), (30, 100)),
        ((54, 100), (48, 100)),
        ((542, 1000), (481, 1000)),
        ((12, 20), (150, 300)),
        ((3, 4), (1, 2)),
    ] {
        let d = decide(&[Arm::new("A", a.0, a.1), Arm::new("B", b.0, b.1)]).unwrap();
        let want_a = exact_x_beats_y(post(a.0, a.1), post(b.0, b.1));
        for arm in &d.arms {
            let want = if arm.name == "A" {
                want_a
            } else {
                1.0 - want_a
            };
            close(arm.p_best.unwrap(), want, 0.005);
        }
    }
}

#[test]
fn p_best_symmetric_and_dominant() {
    let d = decide(&[
        Arm::new("x", 50, 100),
        Arm::new("y", 50, 100),
        Arm::new("z", 50, 100),
    ])
    .unwrap();
    for arm in &d.arms {
        close(arm.p_best.unwrap(), 1.0 / 3.0, 0.01);
    }
    let d = decide(&[
        Arm::new("low", 10, 100),
        Arm::new("high", 90, 100),
        Arm::new("mid", 50, 100),
    ])
    .unwrap();
    assert_eq!(d.arms[0].name, "high");
    assert!(d.arms[0].p_best.unwrap() > 0.999);
    let total: f64 = d.arms.iter().filter_map(|a| a.p_best).sum();
    close(total, 1.0, 1e-9);
    assert_eq!(d.draws, DEFAULT_DRAWS);
    assert!(d.arms.iter().all(|a| a.p_best_se.unwrap() <= 0.002));
}

#[test]
fn z_test_p_value_by_hand() {
    // 45/100 vs 30/100: pooled 75/200 = 0.375; SE = sqrt(0.375 * 0.625 *
    // (1/100 + 1/100)) = sqrt(0.0046875) = 0.0684653; z = 0.15 / 0.0684653
    // = 2.19089. Normal table: Phi(2.19) = 0.985738, Phi(2.20) = 0.986097,
    // so Phi(2.19089) = 0.985770 and p = 2 (1 - 0.985770) = 0.02846.
    close(
        two_proportion_p(45, 100, 30, 100).unwrap(),
        0.02846,
        0.00005,
    );
    close(
        two_proportion_p(30, 100, 45, 100).unwrap(),
        0.02846,
        0.00005,
    );
    // Equal rates: z = 0, p = 1.
    close(two_proportion_p(50, 100, 25, 50).unwrap(), 1.0, 1e-12);
    // Undefined as in the SQL macro.
    assert_eq!(two_proportion_p(0, 10, 0, 20), None);
    assert_eq!(two_proportion_p(10, 10, 20, 20), None);
    assert_eq!(two_proportion_p(1, 0, 3, 20), None);
    // Far tail keeps its relative accuracy (1 - Phi(z) would round to 0):
    // 600/1000 vs 400/1000, pooled 0.5, z = 0.2 / sqrt(0.25 * 0.002) = 4 sqrt(5),
    // p = erfc(z / sqrt 2) = erfc(2 sqrt(10)) = 3.7440973842028806e-19
    // (CPython's math.erfc).
    let p = two_proportion_p(600, 1000, 400, 1000).unwrap();
    assert!((p / 3.744_097_384_202_880_6e-19 - 1.0).abs() < 1e-9, "{p}");
    // Beyond the double range it is 0, not negative or NaN.
    assert_eq!(two_proportion_p(9000, 10_000, 1000, 10_000), Some(0.0));
    // Normal CDF table values: Phi(1.96) = 0.9750021, Phi(-3) = 0.0013499.
    close(normal_cdf(1.96), 0.975_002_1, 1e-7);
    close(normal_cdf(-3.0), 0.001_349_9, 1e-7);
}

#[test]
fn wilson_by_hand() {
    // 81/263: p = 0.307985, z^2 = 3.841459, z^2/n = 0.014606.
    // centre = (0.307985 + 0.007303) / 1.014606 = 0.310749;
    // half = 1.959964 * sqrt(0.307985 * 0.692015 / 263 + 3.841459 / (4 * 263^2))
    //      / 1.014606 = 1.959964 * sqrt(0.00081039 + 0.00001388) / 1.014606
    //      = 0.055461, so [0.255288, 0.366210].
    let (lo, hi) = wilson_interval(81, 263).unwrap();
    close(lo, 0.255288, 2e-6);
    close(hi, 0.366210, 2e-6);
    // 0/10: p = 0, so centre = half = (z^2 / 20) / (1 + z^2 / 10) and the
    // upper end is (z^2 / 10) / (1 + z^2 / 10) = 3.841459 / 13.841459
    // = 0.277533 -> [0, 0.277533].
    let (lo, hi) = wilson_interval(0, 10).unwrap();
    assert_eq!(lo, 0.0);
    close(hi, 0.277533, 2e-6);
    let (lo, hi) = wilson_interval(10, 10).unwrap();
    close(lo, 1.0 - 0.277533, 2e-6);
    close(hi, 1.0, 1e-12);
    assert_eq!(wilson_interval(0, 0), None);
}

#[test]
fn sample_size_by_hand() {
    // p1 = 0.5, p2 = 0.6: pbar = 0.55, sqrt(2 * 0.55 * 0.45) = 0.703562,
    // 1.959964 * 0.703562 = 1.378957; sqrt(0.25 + 0.24) = 0.7,
    // 0.841621 * 0.7 = 0.589135; (1.968092)^2 / 0.01 = 387.34 -> 388.
    assert_eq!(sample_size_per_arm(0.5, 0.6), Some(388));
    assert_eq!(sample_size_per_arm(0.6, 0.5), Some(388));
    // p1 = 0.54, p2 = 0.48: sqrt(2 * 0.51 * 0.49) = 0.706965 -> 1.385626;
    // sqrt(0.2484 + 0.2496) = 0.705691 -> 0.593925; 1.979551^2 / 0.0036
    // = 1088.5 -> 1089.
    assert_eq!(sample_size_per_arm(0.54, 0.48), Some(1089));
    assert_eq!(sample_size_per_arm(0.3, 0.3), None);
    assert_eq!(sample_size_per_arm(1.2, 0.3), None);
    assert!(sample_size_per_arm(1.0, 0.0).unwrap() >= 1);
}
