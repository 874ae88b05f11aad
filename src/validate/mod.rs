//! Stage 3: parse one framed record and validate its envelope.
//!
//! A record becomes a [`ValidEvent`] when it is UTF-8 JSON, an object, and
//! has an `event_id` and `event_type`; otherwise it is rejected with a
//! stable [`RejectReason`]. Envelope fields that drift are coerced, and
//! values that cannot be coerced become [`FieldIssue`]s, never rejects.

pub mod coerce;
mod numbers;

use serde_json::{Map, Value};

use crate::reject::{classify_json_error, RejectReason};
use coerce::Problem;

/// A value that could not be coerced into its column (the column is NULL).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldIssue {
    /// Field name as in the JSON (payload key or envelope key).
    pub field: String,
    /// The raw value as JSON text.
    pub raw_value: String,
    /// What was wrong.
    pub problem: Problem,
}

impl FieldIssue {
    /// Records that `raw` (the value of `field`) had `problem`.
    pub fn new(field: &str, raw: Option<&Value>, problem: Problem) -> Self {
        FieldIssue {
            field: field.to_string(),
            raw_value: raw.map(Value::to_string).unwrap_or_default(),
            problem,
        }
    }
}

/// The fields every event carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The deduplication key.
    pub event_id: String,
    /// `cmb`, the User Feedback type, or anything else.
    pub event_type: String,
    /// The business account.
    pub client_account_id: Option<String>,
    /// When the event was created, microseconds since 1970 UTC.
    pub created_at: Option<i64>,
}

/// A record that is an event.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    /// Envelope fields.
    pub envelope: Envelope,
    /// The whole parsed object.
    pub object: Map<String, Value>,
    /// Values that could not be coerced.
    pub issues: Vec<FieldIssue>,
}

/// Why a record is not an event: a reason code and a human message.
pub type Invalid = (RejectReason, String);

/// Parses and validates one record.
pub fn validate(bytes: &[u8]) -> Result<ValidEvent, Invalid> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        (
            RejectReason::InvalidUtf8,
            format!("invalid UTF-8 at byte {} of the record", e.valid_up_to()),
        )
    })?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| (classify_json_error(&e), format!("JSON error: {e}")))?;
    let Value::Object(mut object) = value else {
        return Err((
            RejectReason::NotAnObject,
            format!("expected an event object, found {}", kind_of(&value)),
        ));
    };
    // valid JSON whose number no double holds: keep the event
    let mut issues = Vec::new();
    numbers::null_out_of_range(&mut object, &mut issues);
    // a numeric id keeps its digits as delivered (numbers keep their text)
    let event_id = identifier(object.get("event_id")).ok_or_else(|| {
        (
            RejectReason::MissingEventId,
            "the event has no usable event_id".to_string(),
        )
    })?;
    let event_type = identifier(object.get("event_type")).ok_or_else(|| {
        (
            RejectReason::MissingEventType,
            format!("event {event_id} has no usable event_type"),
        )
    })?;
    let client_account_id = keep(&mut issues, &object, "client_account_id", coerce::text);
    let created_at = keep(&mut issues, &object, "created_at", coerce::epoch_micros);
    Ok(ValidEvent {
        envelope: Envelope {
            event_id,
            event_type,
            client_account_id,
            created_at,
        },
        object,
        issues,
    })
}

/// Coerces `object[key]` with `f`, recording a [`FieldIssue`] on failure.
pub fn keep<T>(
    issues: &mut Vec<FieldIssue>,
    object: &Map<String, Value>,
    key: &str,
    f: fn(Option<&Value>) -> coerce::Coerced<T>,
) -> Option<T> {
    let raw = object.get(key);
    match f(raw) {
        Ok(v) => v,
        Err(problem) => {
            issues.push(FieldIssue::new(key, raw, problem));
            None
        }
    }
}

/// A non-empty string (trimmed) or a number, as text.
fn identifier(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(bytes: &[u8]) -> RejectReason {
        validate(bytes).unwrap_err().0
    }

    #[test]
    fn rejects_carry_stable_reasons() {
        assert_eq!(
            reason(b"{\"event_id\":\"a\",\"x\":"),
            RejectReason::Truncated
        );
        assert_eq!(reason(b"<html>502</html>"), RejectReason::InvalidJson);
        assert_eq!(
            reason(b"{\"event_id\":\"a\xff\"}"),
            RejectReason::InvalidUtf8
        );
        assert_eq!(reason(b"[1,2]"), RejectReason::NotAnObject);
        assert_eq!(reason(b"\"hello\""), RejectReason::NotAnObject);
        assert_eq!(
            reason(b"{\"event_type\":\"cmb\"}"),
            RejectReason::MissingEventId
        );
        assert_eq!(
            reason(b"{\"event_id\":\"\",\"event_type\":\"cmb\"}"),
            RejectReason::MissingEventId
        );
        assert_eq!(
            reason(b"{\"event_id\":\"a\"}"),
            RejectReason::MissingEventType
        );
        assert_eq!(
            reason(b"{\"event_id\":\"a\",\"event_type\":null}"),
            RejectReason::MissingEventType
        );
    }

    #[test]
    fn numeric_ids_keep_their_digits() {
        let ev = validate(br#"{"event_type":"x","event_id": 12345678901234567890123 }"#).unwrap();
        assert_eq!(ev.envelope.event_id, "12345678901234567890123");
        let ev = validate(br#"{"event_type":"x","event_id":1.50,"v":1e999}"#).unwrap();
        assert_eq!(ev.envelope.event_id, "1.50");
        assert_eq!(ev.object["v"], Value::Null);
        assert_eq!(ev.issues[0].problem, Problem::NumberOutOfRange);
    }

    #[test]
    fn envelope_is_coerced() {
        let ev = validate(
            br#"{"event_id":" e1 ","event_type":"cmb","client_account_id":"acc","created_at":1753945760}"#,
        )
        .unwrap();
        assert_eq!(ev.envelope.event_id, "e1");
        assert_eq!(ev.envelope.client_account_id.as_deref(), Some("acc"));
        assert_eq!(ev.envelope.created_at, Some(1_753_945_760_000_000));
        assert!(ev.issues.is_empty());
    }

    #[test]
    fn bad_created_at_is_an_issue_not_a_reject() {
        let ev = validate(br#"{"event_id":"e","event_type":"uf","created_at":"soon"}"#).unwrap();
        assert_eq!(ev.envelope.created_at, None);
        assert_eq!(
            ev.issues,
            vec![FieldIssue {
                field: "created_at".into(),
                raw_value: "\"soon\"".into(),
                problem: Problem::NotATimestamp
            }]
        );
    }
}
