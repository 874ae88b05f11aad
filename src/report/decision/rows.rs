//! CSV-style tables of decisions, in raw units (fractions, not percent):
//! one row per configuration and one per pair, every business's rows in
//! one table with the business in the first column.

use super::Decision;
use crate::report::table::Table;

/// Columns of the per-configuration table (`config_decision.csv`): the
/// business, the configuration's figures, whether it leads (clearly best
/// in its business), and its difference with the always-valid interval
/// against `vs` (the runner-up for the leader, the leader for the others).
pub const ARM_COLUMNS: [&str; 14] = [
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
    "cs_high",
];

/// Columns of the pairwise table (`config_pairs.csv`): the fixed-sample
/// p-values as a description, then the always-valid interval and p-value
/// (corrected for the number of pairs) that decide.
pub const PAIR_COLUMNS: [&str; 10] = [
    "business",
    "config_a",
    "config_b",
    "diff",
    "p_value",
    "p_holm",
    "cs_low",
    "cs_high",
    "p_always_valid",
    "p_always_valid_adjusted",
];

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

/// Empty tables with the columns of [`ARM_COLUMNS`] and [`PAIR_COLUMNS`].
pub fn empty_tables() -> (Table, Table) {
    let columns = |c: &[&str]| c.iter().map(|c| c.to_string()).collect();
    (
        Table {
            columns: columns(&ARM_COLUMNS),
            rows: Vec::new(),
        },
        Table {
            columns: columns(&PAIR_COLUMNS),
            rows: Vec::new(),
        },
    )
}

impl Decision {
    /// Appends this decision's rows, for `business`, to the two tables of
    /// [`empty_tables`]: one row per configuration in the order of
    /// [`Decision::arms`], one per pair. Fractions use Rust's shortest
    /// round-trip formatting (scientific below 1e-4); a missing value is
    /// an empty cell.
    pub fn append_rows(&self, business: &str, arms: &mut Table, pairs: &mut Table) {
        let clear = self.outcome == super::Outcome::Clear;
        for (i, a) in self.arms.iter().enumerate() {
            // the leader against the runner-up, the others against the leader
            let pair = self
                .pairs
                .iter()
                .find(|p| (i == 0 && p.a == 0 && p.b == 1) || (i > 0 && p.a == 0 && p.b == i));
            let (vs, sign) = match pair {
                Some(p) if i == 0 => (self.arms[p.b].name.clone(), 1.0),
                Some(_) => (self.arms[0].name.clone(), -1.0),
                None => (String::new(), 1.0),
            };
            let s = pair.and_then(|p| p.sequential);
            let (low, high) = match s {
                Some(s) if sign > 0.0 => (Some(s.low), Some(s.high)),
                Some(s) => (Some(-s.high), Some(-s.low)),
                None => (None, None),
            };
            arms.rows.push(vec![
                business.to_string(),
                a.name.clone(),
                a.answered.to_string(),
                a.interested.to_string(),
                cell(a.rate),
                cell(a.ci_low),
                cell(a.ci_high),
                cell(a.p_best),
                cell(a.expected_loss),
                (clear && i == 0).to_string(),
                vs,
                cell(pair.map(|p| sign * p.diff)),
                cell(low),
                cell(high),
            ]);
        }
        for p in &self.pairs {
            let s = p.sequential;
            pairs.rows.push(vec![
                business.to_string(),
                self.arms[p.a].name.clone(),
                self.arms[p.b].name.clone(),
                number(p.diff),
                cell(p.p_value),
                cell(p.p_holm),
                cell(s.map(|s| s.low)),
                cell(s.map(|s| s.high)),
                cell(s.map(|s| s.p)),
                cell(s.map(|s| s.p_adjusted)),
            ]);
        }
    }

    /// This decision alone as the two tables, with an empty business.
    pub fn tables(&self) -> (Table, Table) {
        let (mut arms, mut pairs) = empty_tables();
        self.append_rows("", &mut arms, &mut pairs);
        (arms, pairs)
    }
}
