//! Numbers beyond the range of a double (`1e999`): valid JSON, kept as
//! written in the raw payload, but no typed cell can hold them. Each
//! becomes `null` in the parsed event with a field issue instead of
//! costing the event.
//!
//! serde_json is built with `arbitrary_precision`, so every number keeps
//! its text (digits as delivered, the exponent written `e+`/`e-`): such a
//! number parses, and a numeric `event_id` beyond 2^64 keeps its digits.

use serde_json::{Map, Value};

use super::coerce::Problem;
use super::FieldIssue;

/// Replaces every number of `object` that no double holds by `null`, and
/// records a field issue for each (the field is the nearest key).
pub fn null_out_of_range(object: &mut Map<String, Value>, issues: &mut Vec<FieldIssue>) {
    for (key, value) in object.iter_mut() {
        null_in(key, value, issues);
    }
}

fn null_in(key: &str, value: &mut Value, issues: &mut Vec<FieldIssue>) {
    match value {
        Value::Number(n) if n.as_f64().is_none() => {
            issues.push(FieldIssue {
                field: key.to_string(),
                raw_value: n.to_string(),
                problem: Problem::NumberOutOfRange,
            });
            *value = Value::Null;
        }
        Value::Array(items) => items.iter_mut().for_each(|v| null_in(key, v, issues)),
        Value::Object(map) => null_out_of_range(map, issues),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_numbers_become_null() {
        let text = r#"{"a":"1e999","x":1e999,"y":[-1E+400, 2.5],"z":{"w":[[1e400]]},"b":12345678901234567890123}"#;
        let Value::Object(mut object) = serde_json::from_str(text).unwrap() else {
            panic!("not an object")
        };
        let mut issues = Vec::new();
        null_out_of_range(&mut object, &mut issues);
        assert_eq!(
            Value::Object(object).to_string(),
            r#"{"a":"1e999","b":12345678901234567890123,"x":null,"y":[null,2.5],"z":{"w":[[null]]}}"#
        );
        let fields: Vec<_> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.raw_value.as_str()))
            .collect();
        // serde_json keeps the digits and writes the exponent `e+`/`e-`
        assert_eq!(fields, [("x", "1e+999"), ("y", "-1e+400"), ("w", "1e+400")]);
    }
}
