//! The protection as DuckDB scalar functions, so the export's one `COPY`
//! per table protects values on DuckDB's threads:
//! `hookstat_is_phone(VARCHAR, BIGINT) -> BOOLEAN`,
//! `hookstat_pii_value(VARCHAR) -> VARCHAR` (a phone column's value),
//! `hookstat_pii_text(VARCHAR, BIGINT) -> VARCHAR` (free text: NULL when it
//! holds no phone number, so that the export's `coalesce(…, value)` keeps
//! the value without copying it) and
//! `hookstat_pii_json(VARCHAR, BIGINT) -> VARCHAR` (JSON text, kept
//! valid). The `BIGINT` is the row's event time in epoch seconds (or
//! NULL): the evidence that a digit run near it is a time
//! ([`super::phone::Times`]).

use std::borrow::Cow;

use duckdb::core::{DataChunkHandle, Inserter, LogicalTypeHandle, LogicalTypeId};
use duckdb::vscalar::{ScalarFunctionSignature, VScalar};
use duckdb::vtab::arrow::WritableVector;
use duckdb::Connection;

use super::phone::Times;
use super::Protector;
use crate::sql::each_string;

type Failure = Box<dyn std::error::Error>;

/// Registers the four functions on `conn` with `protector`.
pub fn register(conn: &Connection, protector: &Protector) -> duckdb::Result<()> {
    conn.register_scalar_function_with_state::<IsPhone>("hookstat_is_phone", protector)?;
    let value = (protector.clone(), Mode::Value);
    conn.register_scalar_function_with_state::<Protect>("hookstat_pii_value", &value)?;
    let text = (protector.clone(), Mode::Text);
    conn.register_scalar_function_with_state::<Protect>("hookstat_pii_text", &text)?;
    let json = (protector.clone(), Mode::Json);
    conn.register_scalar_function_with_state::<Protect>("hookstat_pii_json", &json)?;
    Ok(())
}

fn varchar_to(out: LogicalTypeId) -> Vec<ScalarFunctionSignature> {
    vec![ScalarFunctionSignature::exact(
        vec![LogicalTypeHandle::from(LogicalTypeId::Varchar)],
        LogicalTypeHandle::from(out),
    )]
}

/// `(VARCHAR, BIGINT) -> out`: a value and its event's time.
fn varchar_at_to(out: LogicalTypeId) -> Vec<ScalarFunctionSignature> {
    vec![ScalarFunctionSignature::exact(
        vec![
            LogicalTypeHandle::from(LogicalTypeId::Varchar),
            LogicalTypeHandle::from(LogicalTypeId::Bigint),
        ],
        LogicalTypeHandle::from(out),
    )]
}

/// The time argument of a row that has no event time. Not NULL: DuckDB
/// gives NULL for a NULL argument without calling the function.
pub const NO_TIME: i64 = i64::MIN;

/// The evidence for times of each row: around its event time (second
/// argument, epoch seconds), none where that is [`NO_TIME`], NULL or
/// absent.
fn row_times(input: &DataChunkHandle) -> Vec<Times> {
    let len = input.len();
    if input.num_columns() < 2 {
        return vec![Times::NONE; len];
    }
    let vector = input.flat_vector(1);
    let values = unsafe { vector.as_slice_with_len::<i64>(len) };
    values
        .iter()
        .enumerate()
        .map(|(i, &at)| {
            if at == NO_TIME || vector.row_is_null(i as u64) {
                Times::NONE
            } else {
                Times::around(at, at)
            }
        })
        .collect()
}

struct IsPhone;

impl VScalar for IsPhone {
    type State = Protector;

    fn invoke(
        p: &Protector,
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        let len = input.len();
        let mut out = output.flat_vector();
        let mut verdicts = vec![false; len];
        let mut nulls = Vec::new();
        let times = row_times(input);
        each_string(input, |i, s| match s {
            Some(s) => verdicts[i] = p.is_phone(s, times[i]),
            None => nulls.push(i),
        });
        let slice = unsafe { out.as_mut_slice_with_len::<bool>(len) };
        slice.copy_from_slice(&verdicts);
        for i in nulls {
            out.set_null(i);
        }
        Ok(())
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        varchar_at_to(LogicalTypeId::Boolean)
    }
}

/// Writes `f(value, its row's times)` for every row (NULL stays NULL);
/// with `changed_only`, NULL also where `f` kept the value as it was
/// (nothing copied).
fn map_strings(
    input: &mut DataChunkHandle,
    output: &mut dyn WritableVector,
    changed_only: bool,
    f: impl for<'s> Fn(&'s str, Times) -> Cow<'s, str>,
) -> Result<(), Failure> {
    let mut out = output.flat_vector();
    let mut nulls = Vec::new();
    let times = row_times(input);
    each_string(input, |i, s| match s.map(|s| f(s, times[i])) {
        Some(Cow::Owned(changed)) => out.insert(i, changed.as_str()),
        Some(Cow::Borrowed(same)) if !changed_only => out.insert(i, same),
        _ => nulls.push(i),
    });
    for i in nulls {
        out.set_null(i);
    }
    Ok(())
}

/// Which protection a registration of [`Protect`] applies.
#[derive(Clone, Copy)]
enum Mode {
    /// A phone column's value.
    Value,
    /// Free text.
    Text,
    /// JSON text.
    Json,
}

struct Protect;

impl VScalar for Protect {
    type State = (Protector, Mode);

    fn invoke(
        (p, mode): &(Protector, Mode),
        input: &mut DataChunkHandle,
        output: &mut dyn WritableVector,
    ) -> Result<(), Failure> {
        match mode {
            Mode::Value => map_strings(input, output, false, |s, _| Cow::Owned(p.value(s))),
            Mode::Text => map_strings(input, output, true, |s, t| p.text_at(s, t)),
            Mode::Json => map_strings(input, output, false, |s, t| Cow::Owned(p.json(s, t))),
        }
    }

    fn signatures() -> Vec<ScalarFunctionSignature> {
        let mut both = varchar_to(LogicalTypeId::Varchar);
        both.extend(varchar_at_to(LogicalTypeId::Varchar));
        both
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pii::key::PiiKey;
    use crate::pii::PiiPolicy;

    /// The functions answer like the Rust they wrap, row by row, with the
    /// time given per row, as a constant, or NULL.
    #[test]
    fn functions_answer_like_the_protector() {
        let plan = crate::pii::plan::Plan::new("91").unwrap();
        let p = Protector::new(PiiPolicy::Hash, Some(PiiKey::for_tests()), plan);
        let conn = Connection::open_in_memory().unwrap();
        register(&conn, &p).unwrap();
        // 3,000 rows: more than one chunk of 2,048
        let sql = "SELECT count(*) FILTER (WHERE hookstat_is_phone(v, {at})) FROM \
                   (SELECT CASE WHEN i % 2 = 0 THEN '+91 98765 43210' ELSE '1753945760' END AS v, \
                    i FROM range(3000) r(i))";
        let count = |at: &str| -> i64 {
            conn.query_row(&sql.replace("{at}", at), [], |r| r.get(0))
                .unwrap()
        };
        let at = |t: &str| crate::pii::detect::time_arg(Some(t));
        // no evidence: both are numbers by India's plan
        assert_eq!(count(&crate::pii::detect::time_arg(None)), 3000);
        assert_eq!(count(&at("CAST(NULL AS TIMESTAMP)")), 3000);
        // the second is a time of the event's day
        assert_eq!(count(&at("TIMESTAMP '2025-07-31 07:09:20'")), 1500);
        // the first 1,000 rows have the evidence; half of them are times
        let some = at("CASE WHEN i < 1000 THEN TIMESTAMP '2025-07-31 07:09:20' END");
        assert_eq!(count(&some), 2500);
        let hashed: String = conn
            .query_row("SELECT hookstat_pii_value('098765 43210')", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(hashed, p.value("+91 98765 43210"));
    }
}
