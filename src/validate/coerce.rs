//! Coercion of drifting JSON values into typed columns.
//!
//! Archives drift: epochs arrive as strings or numbers, booleans as
//! `"true"`, missing values as `"NA"`, `""`, `null` or an absent key. Each
//! function maps every tolerated spelling to a typed value or `None`, and
//! anything else to a [`Problem`] (the column becomes NULL, the event stays).

use chrono::{DateTime, NaiveDate};
use serde_json::Value;

/// Why a value could not be coerced; the code lands in `field_issues.problem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Neither epoch seconds/milliseconds nor an RFC 3339 time.
    NotATimestamp,
    /// A timestamp outside 2000-01-01 .. 2100-01-01.
    TimestampOutOfRange,
    /// Not a real `YYYY-MM-DD` date.
    NotADate,
    /// Not a boolean spelling we know.
    NotABoolean,
    /// An object or array where text was expected.
    NotText,
    /// The event's `<type>_payload` object is absent.
    MissingPayload,
    /// The event's `<type>_payload` is not an object.
    PayloadNotAnObject,
    /// A number beyond the range of a double (`1e999`): the cell is NULL.
    NumberOutOfRange,
    /// A part of the event went over a budget and is kept in `_overflow`.
    OverBudget(crate::budgets::Budget),
}

impl Problem {
    /// Stable code stored in `field_issues.problem`.
    pub fn code(self) -> &'static str {
        match self {
            Problem::NotATimestamp => "not_a_timestamp",
            Problem::TimestampOutOfRange => "timestamp_out_of_range",
            Problem::NotADate => "not_a_date",
            Problem::NotABoolean => "not_a_boolean",
            Problem::NotText => "not_text",
            Problem::MissingPayload => "missing_payload",
            Problem::PayloadNotAnObject => "payload_not_an_object",
            Problem::NumberOutOfRange => "number_out_of_range",
            Problem::OverBudget(budget) => budget.code(),
        }
    }
}

/// Result of one coercion.
pub type Coerced<T> = Result<Option<T>, Problem>;

/// Spellings of "no value" seen in archives.
pub fn is_missing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => is_missing_text(s),
        _ => false,
    }
}

fn is_missing_text(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || t.eq_ignore_ascii_case("na")
        || t.eq_ignore_ascii_case("n/a")
        || t.eq_ignore_ascii_case("null")
}

/// Text: strings as they are (empty -> None), numbers and booleans as their
/// JSON text, objects and arrays are a problem.
pub fn text(v: Option<&Value>) -> Coerced<String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(_) => Err(Problem::NotText),
    }
}

/// Text where "NA"-like spellings also mean no value.
pub fn optional_text(v: Option<&Value>) -> Coerced<String> {
    if is_missing(v) {
        return Ok(None);
    }
    text(v)
}

const MIN_MICROS: i64 = 946_684_800_000_000; // 2000-01-01T00:00:00Z
const MAX_MICROS: i64 = 4_102_444_800_000_000; // 2100-01-01T00:00:00Z

// What counts as an epoch, for every column: seconds (or milliseconds, in
// the curated columns) since 1970 written as a JSON number or as ASCII
// digits, landing between 2000 and 2100. The curated columns
// ([`epoch_micros`]) also take milliseconds, fractions and RFC 3339 text;
// flattened columns ([`whole_epoch_micros`]) only whole seconds, whose text
// a TIMESTAMP column gives back exactly when it widens to VARCHAR.

/// Epoch time as microseconds since 1970 (UTC). Accepts seconds or
/// milliseconds (values of 1e11 and more are milliseconds), as JSON numbers
/// or numeric strings, and RFC 3339 strings.
pub fn epoch_micros(v: Option<&Value>) -> Coerced<i64> {
    if is_missing(v) {
        return Ok(None);
    }
    let seconds: f64 = match v {
        Some(Value::Number(n)) => n.as_f64().ok_or(Problem::NotATimestamp)?,
        Some(Value::String(s)) => match epoch_digits(s.trim()) {
            Some(x) => x,
            None => {
                let dt =
                    DateTime::parse_from_rfc3339(s.trim()).map_err(|_| Problem::NotATimestamp)?;
                return in_range(dt.timestamp_micros());
            }
        },
        _ => return Err(Problem::NotATimestamp),
    };
    if !seconds.is_finite() {
        return Err(Problem::NotATimestamp);
    }
    let seconds = if seconds.abs() >= 1e11 {
        seconds / 1000.0
    } else {
        seconds
    };
    if !(-1e13..=1e13).contains(&seconds) {
        return Err(Problem::TimestampOutOfRange);
    }
    in_range((seconds * 1e6).round() as i64)
}

/// Whole epoch seconds in range (2000 to 2100) as microseconds: the rule
/// for integers in flattened time-named columns.
pub fn whole_epoch_micros(seconds: i64) -> Option<i64> {
    in_range(seconds.checked_mul(1_000_000)?).ok().flatten()
}

/// [`whole_epoch_micros`] of text that is only ASCII digits (no sign,
/// space or fraction): the rule for strings in flattened time-named
/// columns.
pub fn whole_epoch_micros_text(text: &str) -> Option<i64> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole_epoch_micros(text.parse().ok()?)
}

/// A number written with ASCII digits and `.` only (no sign, no exponent).
fn epoch_digits(t: &str) -> Option<f64> {
    if !t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    t.parse().ok()
}

fn in_range(micros: i64) -> Coerced<i64> {
    if (MIN_MICROS..MAX_MICROS).contains(&micros) {
        Ok(Some(micros))
    } else {
        Err(Problem::TimestampOutOfRange)
    }
}

/// A calendar date `YYYY-MM-DD` as days since 1970-01-01.
pub fn date_days(v: Option<&Value>) -> Coerced<i32> {
    if is_missing(v) {
        return Ok(None);
    }
    let Some(Value::String(s)) = v else {
        return Err(Problem::NotADate);
    };
    let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Problem::NotADate)?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or(Problem::NotADate)?;
    Ok(Some((date - epoch).num_days() as i32))
}

/// Booleans: JSON booleans, `"true"`/`"false"`, `"yes"`/`"no"`, 1/0.
pub fn boolean(v: Option<&Value>) -> Coerced<bool> {
    if is_missing(v) {
        return Ok(None);
    }
    match v {
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(1) => Ok(Some(true)),
            Some(0) => Ok(Some(false)),
            _ => Err(Problem::NotABoolean),
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Ok(Some(true)),
            "false" | "no" | "n" | "0" => Ok(Some(false)),
            _ => Err(Problem::NotABoolean),
        },
        _ => Err(Problem::NotABoolean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c<T>(f: fn(Option<&Value>) -> Coerced<T>, v: Value) -> Coerced<T> {
        f(Some(&v))
    }

    #[test]
    fn epochs_in_every_spelling() {
        let want = Ok(Some(1_753_945_760_000_000));
        assert_eq!(c(epoch_micros, json!("1753945760")), want);
        assert_eq!(c(epoch_micros, json!(1753945760)), want);
        assert_eq!(c(epoch_micros, json!(" 1753945760 ")), want);
        assert_eq!(c(epoch_micros, json!(1753945760000u64)), want);
        assert_eq!(c(epoch_micros, json!("2025-07-31T07:09:20Z")), want);
        assert_eq!(
            c(epoch_micros, json!(1753945760.5)),
            Ok(Some(1_753_945_760_500_000))
        );
        for missing in [json!(""), json!("NA"), json!(null), json!("n/a")] {
            assert_eq!(c(epoch_micros, missing), Ok(None));
        }
        assert_eq!(epoch_micros(None), Ok(None));
        assert_eq!(c(epoch_micros, json!("soon")), Err(Problem::NotATimestamp));
        assert_eq!(c(epoch_micros, json!("-5")), Err(Problem::NotATimestamp));
        assert_eq!(c(epoch_micros, json!(true)), Err(Problem::NotATimestamp));
        assert_eq!(
            c(epoch_micros, json!(12)),
            Err(Problem::TimestampOutOfRange)
        );
        assert_eq!(
            c(epoch_micros, json!(1e300)),
            Err(Problem::TimestampOutOfRange)
        );
    }

    #[test]
    fn whole_epochs_are_seconds_between_2000_and_2100() {
        assert_eq!(whole_epoch_micros(946_684_800), Some(MIN_MICROS));
        assert_eq!(whole_epoch_micros(946_684_799), None);
        assert_eq!(
            whole_epoch_micros(4_102_444_799),
            Some(MAX_MICROS - 1_000_000)
        );
        assert_eq!(whole_epoch_micros(4_102_444_800), None);
        assert_eq!(whole_epoch_micros(1_753_945_760_000), None); // milliseconds
        assert_eq!(whole_epoch_micros(i64::MAX), None);
        assert_eq!(
            whole_epoch_micros_text("1753945760"),
            Some(1_753_945_760_000_000)
        );
        for text in [
            "",
            " 1753945760",
            "1753945760.5",
            "+1753945760",
            "1e9",
            "१७५३९४५७६०",
        ] {
            assert_eq!(whole_epoch_micros_text(text), None, "{text}");
        }
        // every whole epoch is an epoch of the curated columns too, at the same instant
        for secs in [946_684_800i64, 1_753_945_760, 4_102_444_799] {
            let want = Ok(whole_epoch_micros(secs));
            assert_eq!(c(epoch_micros, json!(secs)), want);
            assert_eq!(c(epoch_micros, json!(secs.to_string())), want);
        }
    }

    #[test]
    fn dates() {
        assert_eq!(c(date_days, json!("1970-01-02")), Ok(Some(1)));
        assert_eq!(c(date_days, json!("2025-08-02")), Ok(Some(20302)));
        assert_eq!(c(date_days, json!("2025-02-30")), Err(Problem::NotADate));
        assert_eq!(c(date_days, json!(20250802)), Err(Problem::NotADate));
        assert_eq!(c(date_days, json!("NA")), Ok(None));
    }

    #[test]
    fn booleans() {
        assert_eq!(c(boolean, json!(true)), Ok(Some(true)));
        assert_eq!(c(boolean, json!("false")), Ok(Some(false)));
        assert_eq!(c(boolean, json!("TRUE")), Ok(Some(true)));
        assert_eq!(c(boolean, json!(0)), Ok(Some(false)));
        assert_eq!(c(boolean, json!("maybe")), Err(Problem::NotABoolean));
        assert_eq!(c(boolean, json!(2)), Err(Problem::NotABoolean));
        assert_eq!(c(boolean, json!(null)), Ok(None));
    }

    #[test]
    fn texts() {
        assert_eq!(c(text, json!("x")), Ok(Some("x".into())));
        assert_eq!(
            c(text, json!(911234567890u64)),
            Ok(Some("911234567890".into()))
        );
        assert_eq!(c(text, json!("")), Ok(None));
        assert_eq!(c(text, json!("NA")), Ok(Some("NA".into())));
        assert_eq!(c(optional_text, json!("NA")), Ok(None));
        assert_eq!(c(text, json!({"a": 1})), Err(Problem::NotText));
    }
}
