//! Numbers that a double cannot hold exactly: event ids beyond 2^64 keep
//! the digits as delivered, and numbers beyond the range of a double
//! (`1e999`) become `null` with a field issue instead of costing the event.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::coerce::Problem;
use super::FieldIssue;

/// The `event_id` of `text` exactly as written (for numeric ids).
pub fn raw_event_id(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Id<'a> {
        #[serde(borrow)]
        event_id: &'a RawValue,
    }
    let id: Id<'_> = serde_json::from_str(text).ok()?;
    Some(id.event_id.get().trim().to_string())
}

/// `text` with every number beyond the range of a double replaced by
/// `null`, and a field issue for each (the field is the nearest key).
pub fn null_out_of_range(text: &str) -> (String, Vec<FieldIssue>) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut issues = Vec::new();
    let (mut i, mut copied) = (0, 0);
    let mut last_string = 0..0;
    let mut last_key = 0..0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                last_string = start..i.min(bytes.len());
            }
            b':' => {
                last_key = last_string.clone();
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                let token = &text[start..i];
                if token.parse::<f64>().is_ok_and(f64::is_infinite) {
                    out.push_str(&text[copied..start]);
                    out.push_str("null");
                    copied = i;
                    let key = &text[last_key.clone()];
                    let field =
                        serde_json::from_str::<String>(key).unwrap_or_else(|_| key.to_string());
                    issues.push(FieldIssue {
                        field,
                        raw_value: token.to_string(),
                        problem: Problem::NumberOutOfRange,
                    });
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    (out, issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_numbers_become_null() {
        let (text, issues) = null_out_of_range(r#"{"a":"1e999","x":1e999,"y":[-1E+400, 2.5]}"#);
        assert_eq!(text, r#"{"a":"1e999","x":null,"y":[null, 2.5]}"#);
        let fields: Vec<_> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.raw_value.as_str()))
            .collect();
        assert_eq!(fields, [("x", "1e999"), ("y", "-1E+400")]);
    }

    #[test]
    fn numeric_ids_keep_their_digits() {
        let text = r#"{"event_type":"x","event_id": 12345678901234567890123 }"#;
        assert_eq!(
            raw_event_id(text).as_deref(),
            Some("12345678901234567890123")
        );
    }
}
