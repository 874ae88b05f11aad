//! The decision's statistics as SQL functions of the report connection,
//! so that reports (built in or dropped in) and the decision compute with
//! one implementation: `wilson_low(x, n)`, `wilson_high(x, n)` (95% Wilson
//! interval), `two_proportion_p(x1, n1, x2, n2)` (two-sided pooled z-test)
//! and `normal_cdf(z)`, all `DOUBLE`; NULL where the statistic is
//! undefined (no trials) or an argument is NULL.

use duckdb::core::{DataChunkHandle, LogicalTypeHandle, LogicalTypeId};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use duckdb::Connection;

use super::decision::stats;

/// Which statistic a registration computes.
#[derive(Debug, Clone, Copy)]
enum Stat {
    WilsonLow,
    WilsonHigh,
    TwoProportionP,
    NormalCdf,
}

impl Stat {
    fn of(self, a: &[f64]) -> Option<f64> {
        match self {
            Stat::WilsonLow => stats::wilson_interval_of(a[0], a[1]).map(|w| w.0),
            Stat::WilsonHigh => stats::wilson_interval_of(a[0], a[1]).map(|w| w.1),
            Stat::TwoProportionP => stats::two_proportion_p_of(a[0], a[1], a[2], a[3]),
            Stat::NormalCdf => Some(stats::normal_cdf(a[0])),
        }
    }
}

/// Registers the four functions on `conn`.
pub fn register(conn: &Connection) -> duckdb::Result<()> {
    conn.register_scalar_function_with_state::<Args<1>>("normal_cdf", &Stat::NormalCdf)?;
    conn.register_scalar_function_with_state::<Args<2>>("wilson_low", &Stat::WilsonLow)?;
    conn.register_scalar_function_with_state::<Args<2>>("wilson_high", &Stat::WilsonHigh)?;
    conn.register_scalar_function_with_state::<Args<4>>("two_proportion_p", &Stat::TwoProportionP)?;
    Ok(())
}

/// A statistic of `K` DOUBLE arguments.
struct Args<const K: usize>;

impl<const K: usize> VScalar for Args<K> {
    type State = Stat;

    fn invoke(
        stat: &Stat,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let len = input.len();
        let columns: Vec<_> = (0..K).map(|c| input.flat_vector(c)).collect();
        let values: Vec<&[f64]> = columns
            .iter()
            .map(|v| unsafe { v.as_slice_with_len::<f64>(len) })
            .collect();
        let mut out = output.flat_vector();
        let mut nulls = Vec::new();
        let mut results = vec![0.0; len];
        let mut row = [0.0; K];
        for (i, result) in results.iter_mut().enumerate() {
            if columns.iter().any(|v| v.row_is_null(i as u64)) {
                nulls.push(i);
                continue;
            }
            for (k, slot) in row.iter_mut().enumerate() {
                *slot = values[k][i];
            }
            match stat.of(&row) {
                Some(v) => *result = v,
                None => nulls.push(i),
            }
        }
        unsafe { out.as_mut_slice_with_len::<f64>(len) }.copy_from_slice(&results);
        for i in nulls {
            out.set_null(i);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        vec![ScalarFunctionSignature::exact(
            (0..K)
                .map(|_| LogicalTypeHandle::from(LogicalTypeId::Double))
                .collect(),
            LogicalTypeHandle::from(LogicalTypeId::Double),
        )]
    }
}
