//! Configuration comparison (`report::decision`) against values computed
//! outside the code under test: R's p.adjust, Evan Miller's closed form for
//! P(p_B > p_A), hand arithmetic for the z-test, the Wilson interval and the
//! sample size.
//!
//! The statistics one by one (`statistics.rs`); the verdicts against the
//! published confidence sequence (`verdicts.rs`); empty, single, tied, huge
//! and impossible inputs, determinism and the CSV tables (`edges.rs`).

mod edges;
mod statistics;
mod verdicts;

fn close(got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "got {got}, want {want} ± {tol}");
}
