//! The verdicts: clear, cannot tell yet, too early without a week in common,
//! uneven needs and configurations clearly behind, with the always-valid
//! intervals written here from the published confidence sequence.

use hookstat::report::decision::{decide, decide_with, holm, Arm, Options, Outcome, PRIOR};

use super::close;

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
    // the uplift relative to the runner-up: 0.542 / 0.481 - 1, its interval
    // the same sequence on ln(0.542 / 0.481) with the delta-method standard
    // error sqrt((1 - .542) / 5420 + (1 - .481) / 4810) = 0.013871
    let (u, lo, hi) = d.uplift.unwrap();
    close(u, 0.542 / 0.481 - 1.0, 1e-12);
    let se_log = ((1.0f64 - 0.542) / 5420.0 + (1.0 - 0.481) / 4810.0).sqrt();
    close(se_log, 0.013871, 1e-6);
    let h_log = h / d.pairs[0].sequential.unwrap().se * se_log;
    let ratio = (0.542f64 / 0.481).ln();
    close(lo, (ratio - h_log).exp() - 1.0, 1e-12);
    close(hi, (ratio + h_log).exp() - 1.0, 1e-12);
    assert!(lo > 0.0 && lo < u && u < hi);
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
