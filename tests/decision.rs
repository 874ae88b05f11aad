//! Configuration comparison (`report::decision`) against values computed
//! outside the code under test: R's p.adjust, Evan Miller's closed form for
//! P(p_B > p_A), hand arithmetic for the z-test, the Wilson interval and the
//! sample size.

use hookstat::report::decision::{
    decide, decide_with, holm, normal_cdf, sample_size_per_arm, two_proportion_p, wilson_interval,
    Arm, DecisionError, Options, Outcome, ARM_COLUMNS, DEFAULT_DRAWS, PAIR_COLUMNS, PRIOR,
};

fn close(got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "got {got}, want {want} ± {tol}");
}

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

/// The published asymptotic confidence sequence (Waudby-Smith et al.
/// 2023, as GrowthBook writes it), written here from the formula: half-width
/// of the difference of two rates at level `alpha` with tuning `nstar`.
fn cs_half_width(a: (f64, f64), b: (f64, f64), alpha: f64, nstar: f64) -> f64 {
    let (pa, na) = (a.0 / a.1, a.1);
    let (pb, nb) = (b.0 / b.1, b.1);
    let se = (pa * (1.0 - pa) / na + pb * (1.0 - pb) / nb).sqrt();
    let n = na + nb;
    let rho2 = (-2.0 * 0.05f64.ln() + (1.0 - 2.0 * 0.05f64.ln()).ln()) / nstar;
    let v = n * rho2;
    se * (2.0 * (v + 1.0) / v * ((v + 1.0).sqrt() / alpha).ln()).sqrt()
}

#[test]
fn clear_verdict() {
    // 5,420/10,000 vs 4,810/10,000: d = 0.061, se = sqrt(.542 .458 + .481
    // .519) / 100 = 0.0070559, half-width 3.13 se = 0.0221 < 0.061: clear.
    let d = decide(&[
        Arm::new("Default", 4810, 10_000),
        Arm::new("Festive Offer", 5420, 10_000),
    ])
    .unwrap();
    assert_eq!(d.outcome, Outcome::Clear);
    assert_eq!(d.pairs[0].diff, 0.061);
    let h = cs_half_width((5420.0, 1e4), (4810.0, 1e4), 0.05, 5000.0);
    close(h, 0.0221, 0.0001);
    let s = d.pairs[0].sequential.unwrap();
    close(s.low, 0.061 - h, 1e-12);
    close(s.high, 0.061 + h, 1e-12);
    // the uplift relative to the runner-up: 0.061 / 0.481
    let (u, lo, hi) = d.uplift.unwrap();
    close(u, 0.061 / 0.481, 1e-12);
    close(lo, (0.061 - h) / 0.481, 1e-12);
    close(hi, (0.061 + h) / 0.481, 1e-12);
    assert_eq!(
        d.verdict,
        format!(
            "Festive Offer leads with 54.2% interested, ahead of Default (48.1%). The \
             difference is clear: 6.1 points ({:.1} to {:.1}), an interval that stays valid \
             however often the report is read. That is +{:.0}% more interested users \
             (+{:.0}% to +{:.0}%).",
            (0.061 - h) * 100.0,
            (0.061 + h) * 100.0,
            u * 100.0,
            lo * 100.0,
            hi * 100.0
        )
    );
    assert!(d.method.contains(PRIOR));
    assert!(d.method.contains("200,000"));
    assert!(d.method.contains("5,000 answers"));
    assert_eq!(d.prior, PRIOR);
    // the expected loss of choosing the leader is tiny, of the other about d
    assert!(d.arms[0].expected_loss.unwrap() < 0.0005);
    close(d.arms[1].expected_loss.unwrap(), 0.061, 0.002);
}

#[test]
fn cannot_tell_yet_verdict() {
    // 542/1,000 vs 481/1,000: the fixed-sample z-test says p = 0.006, but
    // read every morning that is no evidence: the always-valid half-width
    // is 3.12 se = 0.0697 > 0.061.
    let d = decide_with(
        &[
            Arm::new("Festive Offer", 542, 1000),
            Arm::new("Default", 481, 1000),
        ],
        &Options {
            overlap_days: Some(10),
            daily_answered: Some(200.0),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(d.outcome, Outcome::NotYetClear);
    close(d.pairs[0].p_value.unwrap(), 0.0064, 0.0001);
    let h = cs_half_width((542.0, 1e3), (481.0, 1e3), 0.05, 5000.0);
    close(h, 0.0697, 0.0001);
    let pending = d.pending.unwrap();
    close(pending.smallest_callable, h, 1e-12);
    // answers (both together) at which the half-width, with se shrinking
    // as 1/sqrt(N), reaches 0.061: searched here on a grid of 1
    let se = h / cs_half_width((542.0, 1e3), (481.0, 1e3), 0.05, 5000.0)
        * ((0.542 * 0.458 + 0.481 * 0.519) / 1000.0f64).sqrt();
    let rho2 = (-2.0 * 0.05f64.ln() + (1.0 - 2.0 * 0.05f64.ln()).ln()) / 5000.0;
    let at = |n: f64| {
        let v = n * rho2;
        se * (2000.0 / n).sqrt() * (2.0 * (v + 1.0) / v * ((v + 1.0).sqrt() / 0.05).ln()).sqrt()
    };
    let needed = (2000..100_000).find(|n| at(*n as f64) <= 0.061).unwrap() as u64;
    let more = pending.more_answers.unwrap();
    assert!(
        more.abs_diff(needed - 2000) <= 1,
        "{more} vs {}",
        needed - 2000
    );
    // 200 answers a day, all of them this pair's
    assert_eq!(pending.more_days, Some((more as f64 / 200.0).ceil() as u64));
    assert!(
        d.verdict.starts_with(
            "Festive Offer leads with 54.2% interested, ahead of Default (48.1%), but the \
             data cannot tell yet: Festive Offer and Default are still in the running. Today \
             the data could call a difference of 7.0 points or more; one of 6.1 points would \
             need about "
        ),
        "{}",
        d.verdict
    );
}

#[test]
fn too_early_without_a_week_in_common() {
    let d = decide_with(
        &[Arm::new("A", 5420, 10_000), Arm::new("B", 4810, 10_000)],
        &Options {
            overlap_days: Some(6),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(d.outcome, Outcome::TooEarly);
    assert!(d.verdict.starts_with("Too early to call"), "{}", d.verdict);
    assert!(d.verdict.contains("6 days"), "{}", d.verdict);
}

#[test]
fn uneven_needs_and_clearly_behind_others() {
    let d = decide(&[
        Arm::new("A", 60, 100),
        Arm::new("B", 1000, 2000),
        Arm::new("C", 20, 100),
    ])
    .unwrap();
    assert_eq!(d.outcome, Outcome::NotYetClear);
    assert_eq!(d.comparisons, 3);
    // Bonferroni over three pairs: each interval at level 0.05 / 3
    let h = cs_half_width((60.0, 100.0), (20.0, 100.0), 0.05 / 3.0, 5000.0);
    let s = d.pairs[1].sequential.unwrap();
    close(s.low, 0.4 - h, 1e-12);
    assert!(s.low > 0.0);
    assert!(
        d.verdict.ends_with(" It is clearly ahead of C."),
        "{}",
        d.verdict
    );
    // Pairs in arm order, diffs non-negative, Holm over three.
    let names: Vec<(&str, &str)> = d
        .pairs
        .iter()
        .map(|p| (d.arms[p.a].name.as_str(), d.arms[p.b].name.as_str()))
        .collect();
    assert_eq!(names, vec![("A", "B"), ("A", "C"), ("B", "C")]);
    assert!(d.pairs.iter().all(|p| p.diff >= 0.0));
    let raw: Vec<Option<f64>> = d.pairs.iter().map(|p| p.p_value).collect();
    let adj: Vec<Option<f64>> = d.pairs.iter().map(|p| p.p_holm).collect();
    assert_eq!(holm(&raw), adj);
}

#[test]
fn empty_single_tie_and_zero() {
    let d = decide(&[]).unwrap();
    assert_eq!(d.outcome, Outcome::NoData);
    assert!(d.arms.is_empty() && d.pairs.is_empty() && d.leader.is_none());
    assert_eq!(d.verdict, "There is no configuration to compare yet.");

    let d = decide(&[Arm::new("a", 0, 0), Arm::new("b", 0, 0)]).unwrap();
    assert_eq!(d.outcome, Outcome::NoData);
    assert!(d
        .arms
        .iter()
        .all(|a| a.p_best.is_none() && a.rate.is_none()));
    assert!(d.pairs.is_empty());

    let d = decide(&[Arm::new("Late", 0, 0), Arm::new("Only", 3, 4)]).unwrap();
    assert_eq!(d.outcome, Outcome::OnlyOne);
    assert_eq!(d.arms[0].name, "Only");
    assert_eq!(d.arms[0].p_best, Some(1.0));
    assert_eq!(d.arms[1].p_best, None);
    assert_eq!(d.draws, 0);
    assert!(d.pairs.is_empty() && d.pending.is_none());
    assert_eq!(
        d.verdict,
        "Only Only has answered requests: 75.0% interested (3 of 4). There is nothing to \
         compare it with yet."
    );

    // 50/100 and 25/50 are exactly equal; the larger sample leads.
    let d = decide(&[Arm::new("Small", 25, 50), Arm::new("Big", 50, 100)]).unwrap();
    assert_eq!(d.outcome, Outcome::Tie);
    assert_eq!(d.arms[0].name, "Big");
    assert!(d.pending.is_none());
    assert_eq!(
        d.verdict,
        "Big and Small are tied at 50.0% interested, so the data cannot tell yet which is better."
    );

    let d = decide(&[
        Arm::new("a", 0, 10),
        Arm::new("b", 0, 2000),
        Arm::new("c", 0, 5),
    ])
    .unwrap();
    assert_eq!(d.outcome, Outcome::Tie);
    assert!(d
        .pairs
        .iter()
        .all(|p| p.p_value.is_none() && p.p_holm.is_none() && p.sequential.is_none()));
    assert_eq!(
        d.verdict,
        "No configuration has an interested answer yet (0 of 2,015 answered requests), so \
         the data cannot tell them apart."
    );
}

#[test]
fn huge_counts_and_any_names() {
    let name = "<b>\"Diwali\" & 🎉 दिवाली</b>\n";
    let d = decide(&[
        Arm::new(name, 500_000_000_001, 1_000_000_000_000),
        Arm::new("B", 499_000_000_000, 1_000_000_000_000),
        Arm::new("max", u64::MAX / 2, u64::MAX),
    ])
    .unwrap();
    // Order: 0.500000000001 (name), 0.5 - 2^-65 (max), 0.499 (B). The first
    // two differ by 1e-12: not clear even with these counts; B is clearly
    // behind (z about 1,400).
    let order: Vec<&str> = d.arms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(order, [name, "max", "B"]);
    assert!(d.verdict.starts_with(name));
    assert_eq!(d.outcome, Outcome::NotYetClear);
    assert!(
        d.verdict.ends_with(" It is clearly ahead of B."),
        "{}",
        d.verdict
    );
    let total: f64 = d.arms.iter().map(|a| a.p_best.unwrap()).sum();
    close(total, 1.0, 1e-9);
    for a in &d.arms {
        let (lo, hi) = (a.ci_low.unwrap(), a.ci_high.unwrap());
        assert!(lo.is_finite() && hi.is_finite() && lo <= a.rate.unwrap() && a.rate.unwrap() <= hi);
    }
    assert!(d
        .pairs
        .iter()
        .all(|p| p.p_holm.is_some_and(|p| (0.0..=1.0).contains(&p))));
}

#[test]
fn deterministic_and_order_free() {
    let arms = vec![
        Arm::new("x", 30, 70),
        Arm::new("y", 33, 71),
        Arm::new("z", 29, 60),
    ];
    let one = decide(&arms).unwrap();
    let two = decide(&arms).unwrap();
    assert_eq!(one, two);
    let mut reversed = arms.clone();
    reversed.reverse();
    assert_eq!(decide(&reversed).unwrap(), one);
    let other = decide_with(
        &arms,
        &Options {
            seed: 1,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(other.seed, 1);
    assert_ne!(
        other.arms.iter().map(|a| a.p_best).collect::<Vec<_>>(),
        one.arms.iter().map(|a| a.p_best).collect::<Vec<_>>()
    );
    // Different seeds agree within Monte Carlo error.
    for (a, b) in one.arms.iter().zip(&other.arms) {
        close(a.p_best.unwrap(), b.p_best.unwrap(), 0.01);
    }
}

#[test]
fn tables_in_raw_units() {
    let d = decide(&[
        Arm::new("B, \"quoted\"", 30, 100),
        Arm::new("A", 45, 100),
        Arm::new("none", 0, 0),
    ])
    .unwrap();
    let (arms, pairs) = d.tables();
    assert_eq!(arms.columns, ARM_COLUMNS);
    assert_eq!(
        arms.columns,
        [
            "business",
            "config",
            "answered",
            "interested",
            "interest_rate",
            "ci_low",
            "ci_high",
            "p_best",
            "expected_loss",
            "leads",
            "vs",
            "diff",
            "cs_low",
            "cs_high"
        ]
    );
    assert_eq!(pairs.columns, PAIR_COLUMNS);
    assert_eq!(
        pairs.columns[..6],
        ["business", "config_a", "config_b", "diff", "p_value", "p_holm"]
    );
    assert_eq!(arms.rows.len(), 3);
    assert_eq!(arms.rows[0][1..5], ["A", "100", "45", "0.45"]);
    // the leader against the runner-up, the runner-up against the leader
    assert_eq!(arms.rows[0][9..12], ["false", "B, \"quoted\"", "0.15"]);
    assert_eq!(arms.rows[1][10..12], ["A", "-0.15"]);
    assert_eq!(
        arms.rows[2][1..],
        ["none", "0", "0", "", "", "", "", "", "false", "", "", "", ""]
    );
    let p_best: f64 = arms.rows[0][7].parse().unwrap();
    assert!((0.0..=1.0).contains(&p_best));
    assert_eq!(pairs.rows.len(), 1);
    assert_eq!(pairs.rows[0][1], "A");
    assert_eq!(pairs.rows[0][2], "B, \"quoted\"");
    assert_eq!(pairs.rows[0][3], "0.15");
    close(pairs.rows[0][4].parse().unwrap(), 0.02846, 0.00005);
    assert_eq!(pairs.rows[0][4], pairs.rows[0][5]);
    // Tiny p-values in scientific notation, still numbers.
    let d = decide(&[Arm::new("a", 90, 100), Arm::new("b", 10, 100)]).unwrap();
    let (_, pairs) = d.tables();
    assert!(pairs.rows[0][4].contains('e'), "{}", pairs.rows[0][4]);
    let p: f64 = pairs.rows[0][4].parse().unwrap();
    assert!(p > 0.0 && p < 1e-10);
}

#[test]
fn rejects_impossible_counts() {
    let err = decide(&[Arm::new("bad", 5, 4)]).unwrap_err();
    assert_eq!(
        err,
        DecisionError::InterestedExceedsAnswered {
            name: "bad".into(),
            interested: 5,
            answered: 4
        }
    );
}
