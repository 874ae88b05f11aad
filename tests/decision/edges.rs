//! Edges of the decision: no, one, tied and zero arms; huge counts and any
//! names; the same result in any order; the tables in raw units; impossible
//! counts rejected.

use hookstat::report::decision::{
    decide, decide_with, Arm, DecisionError, Options, Outcome, ARM_COLUMNS, PAIR_COLUMNS,
};

use super::close;

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
