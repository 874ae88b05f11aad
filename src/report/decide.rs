//! The report stage's configuration decisions: one per business, over the
//! days its configurations shared (`decision::overlap`), each made by
//! `decision::decide_with`; and the `report_decision` table that reports
//! such as `config_comparison` read, so that a report and the decision
//! never disagree.

use std::path::Path;

use duckdb::{params, Connection};

use super::decision::overlap::{self, Comparison, DayCount};
use super::decision::{self, Decision, Options};
use super::spreadsheet;
use crate::pii::Protector;

const DAILY_SQL: &str = include_str!("../../sql/report/arms_daily.sql");
const TABLE_SQL: &str = include_str!("../../sql/report/decision_table.sql");

/// One business's decision and what it compared.
#[derive(Debug, Clone)]
pub struct BusinessDecision {
    /// Configurations compared, left out and apart, and the overlap.
    pub comparison: Comparison,
    /// The decision over the compared configurations.
    pub decision: Decision,
}

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

/// The decisions of every business within the report's filters (names
/// protected like every other output); `nstar` tunes the intervals.
pub fn decisions(
    conn: &Connection,
    protector: &Protector,
    nstar: f64,
) -> anyhow::Result<Vec<BusinessDecision>> {
    let mut stmt = conn.prepare(DAILY_SQL)?;
    let rows: Vec<DayCount> = stmt
        .query_map([], |r| {
            Ok(DayCount {
                business: protector.text(&r.get::<_, String>(0)?).into_owned(),
                config: protector.text(&r.get::<_, String>(1)?).into_owned(),
                day: r.get(2)?,
                interested: count(r.get(3)?),
                answered: count(r.get(4)?),
                requests: count(r.get(5)?),
            })
        })?
        .collect::<duckdb::Result<_>>()?;
    let mut out = Vec::new();
    for comparison in overlap::comparisons(&rows) {
        let options = Options {
            nstar,
            overlap_days: Some(comparison.overlap_days),
            daily_answered: comparison.daily_answered,
            ..Options::default()
        };
        let decision = decision::decide_with(&comparison.arms, &options)?;
        out.push(BusinessDecision {
            comparison,
            decision,
        });
    }
    store(conn, &out)?;
    Ok(out)
}

/// Fills `report_decision` (a temp table) with the decisions.
fn store(conn: &Connection, all: &[BusinessDecision]) -> duckdb::Result<()> {
    conn.execute_batch(TABLE_SQL)?;
    let mut insert =
        conn.prepare("INSERT INTO report_decision VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")?;
    for b in all {
        let d = &b.decision;
        let Some(leader) = d.arms.first() else {
            continue;
        };
        let clear = d.outcome == decision::Outcome::Clear;
        for (i, arm) in d.arms.iter().enumerate() {
            // this configuration minus the leader
            let pair = d.pairs.iter().find(|p| p.a == 0 && p.b == i);
            let s = pair.and_then(|p| p.sequential);
            insert.execute(params![
                b.comparison.business,
                arm.name,
                leader.name,
                arm.answered as i64,
                arm.rate,
                leader.rate,
                pair.map(|p| -p.diff).or((i == 0).then_some(0.0)),
                s.map(|s| -s.high),
                s.map(|s| -s.low),
                s.map(|s| s.p_adjusted),
                clear && i == 0,
            ])?;
        }
    }
    Ok(())
}

/// `config_decision.csv` and `config_pairs.csv`: every business's rows.
pub fn write_csvs(decisions: &[BusinessDecision], out: &Path) -> anyhow::Result<()> {
    if decisions.is_empty() {
        return Ok(());
    }
    let (mut arms, mut pairs) = decision::empty_tables();
    for b in decisions {
        let business = &b.comparison.business;
        b.decision.append_rows(business, &mut arms, &mut pairs);
        // too few answers: listed with their counts, without figures
        for few in &b.comparison.few {
            let mut row = vec![String::new(); arms.columns.len()];
            row[0] = business.clone();
            row[1] = few.name.clone();
            row[2] = few.answered.to_string();
            row[3] = few.interested.to_string();
            row[9] = "false".into();
            arms.rows.push(row);
        }
    }
    spreadsheet::write_table(&arms, &out.join("config_decision.csv"))?;
    spreadsheet::write_table(&pairs, &out.join("config_pairs.csv"))
}
