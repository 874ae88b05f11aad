//! CSV-style tables of a decision, in raw units (fractions, not percent).

use super::Decision;
use crate::report::table::Table;

/// Columns of [`Decision::tables`]'s per-configuration table.
pub const ARM_COLUMNS: [&str; 7] = [
    "config",
    "answered",
    "interested",
    "interest_rate",
    "ci_low",
    "ci_high",
    "p_best",
];

/// Columns of [`Decision::tables`]'s pairwise table.
pub const PAIR_COLUMNS: [&str; 5] = ["config_a", "config_b", "diff", "p_value", "p_holm"];

fn cell(v: Option<f64>) -> String {
    v.map(number).unwrap_or_default()
}

/// Shortest round-trip text; scientific notation below 1e-4 so that tiny
/// p-values stay short ("6.372215018049857e-7").
fn number(v: f64) -> String {
    if v != 0.0 && v.abs() < 1e-4 {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

impl Decision {
    /// Two tables for CSV: one row per configuration ([`ARM_COLUMNS`], in
    /// the order of [`Decision::arms`]) and one per pair ([`PAIR_COLUMNS`]).
    /// Rates, bounds, differences and probabilities are fractions printed
    /// with Rust's shortest round-trip formatting (scientific notation,
    /// "1.5e-7", below 1e-4); a missing value is an empty cell, as in report
    /// tables.
    pub fn tables(&self) -> (Table, Table) {
        let arms = Table {
            columns: ARM_COLUMNS.iter().map(|c| c.to_string()).collect(),
            rows: self
                .arms
                .iter()
                .map(|a| {
                    vec![
                        a.name.clone(),
                        a.answered.to_string(),
                        a.interested.to_string(),
                        cell(a.rate),
                        cell(a.ci_low),
                        cell(a.ci_high),
                        cell(a.p_best),
                    ]
                })
                .collect(),
        };
        let pairs = Table {
            columns: PAIR_COLUMNS.iter().map(|c| c.to_string()).collect(),
            rows: self
                .pairs
                .iter()
                .map(|p| {
                    vec![
                        self.arms[p.a].name.clone(),
                        self.arms[p.b].name.clone(),
                        number(p.diff),
                        cell(p.p_value),
                        cell(p.p_holm),
                    ]
                })
                .collect(),
        };
        (arms, pairs)
    }
}
