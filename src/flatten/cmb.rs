//! Call Me Back payloads (`cmb_payload`) as typed `cmb_requests` rows.

use serde_json::{Map, Value};

use crate::validate::coerce::{self, Problem};
use crate::validate::{keep, FieldIssue};

/// The literal Truecaller sends when the user's own number is unknown.
pub const NUMBER_NOT_AVAILABLE: &str = "Phone Number Not Available";

/// The `cmb_payload` keys `cmb_requests` has curated columns for; any other
/// key becomes an extra column by the generic flattening rules.
pub const KNOWN_KEYS: &[&str] = &[
    "business_number",
    "feature_set",
    "client_number",
    "requested_at",
    "requested_date",
    "requested_slot",
    "preferred_from_time",
    "preferred_to_time",
    "is_interested",
    "alternate_number",
    "cmb_config_name",
];

/// One typed Call Me Back request (envelope columns live on the event).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CmbRow {
    /// Business phone number.
    pub business_number: Option<String>,
    /// Feature set of the business number.
    pub feature_set: Option<String>,
    /// The user's number; None when not available.
    pub client_number: Option<String>,
    /// False when Truecaller could not read the user's number.
    pub client_number_available: Option<bool>,
    /// Another number the user gave; None when empty.
    pub alternate_number: Option<String>,
    /// When the callback was requested (µs since 1970 UTC).
    pub requested_at: Option<i64>,
    /// Preferred callback date (days since 1970).
    pub requested_date: Option<i32>,
    /// Weekday of the chosen slot; None for "NA"/"".
    pub requested_slot: Option<String>,
    /// Start of the preferred window (µs since 1970 UTC).
    pub preferred_from: Option<i64>,
    /// End of the preferred window (µs since 1970 UTC).
    pub preferred_to: Option<i64>,
    /// Whether the user is interested.
    pub is_interested: Option<bool>,
    /// Call Me Back configuration (campaign variant).
    pub cmb_config_name: Option<String>,
}

/// Builds the typed row from a whole `cmb` event object, recording every
/// value that cannot be coerced in `issues`.
pub fn cmb_row(event: &Map<String, Value>, issues: &mut Vec<FieldIssue>) -> CmbRow {
    let empty = Map::new();
    let p = match event.get("cmb_payload") {
        Some(Value::Object(p)) => p,
        other => {
            let problem = match other {
                None | Some(Value::Null) => Problem::MissingPayload,
                Some(_) => Problem::PayloadNotAnObject,
            };
            issues.push(FieldIssue::new("cmb_payload", other, problem));
            &empty
        }
    };
    let raw_client = keep(issues, p, "client_number", coerce::text);
    let (client_number, client_number_available) = match raw_client {
        Some(n) if n.trim().eq_ignore_ascii_case(NUMBER_NOT_AVAILABLE) => (None, Some(false)),
        Some(n) => (Some(n), Some(true)),
        None if p.contains_key("client_number") => (None, Some(false)),
        None => (None, None),
    };
    CmbRow {
        business_number: keep(issues, p, "business_number", coerce::text),
        feature_set: keep(issues, p, "feature_set", coerce::text),
        client_number,
        client_number_available,
        alternate_number: keep(issues, p, "alternate_number", coerce::text),
        requested_at: keep(issues, p, "requested_at", coerce::epoch_micros),
        requested_date: keep(issues, p, "requested_date", coerce::date_days),
        requested_slot: keep(issues, p, "requested_slot", coerce::optional_text),
        preferred_from: keep(issues, p, "preferred_from_time", coerce::epoch_micros),
        preferred_to: keep(issues, p, "preferred_to_time", coerce::epoch_micros),
        is_interested: keep(issues, p, "is_interested", coerce::boolean),
        cmb_config_name: keep(issues, p, "cmb_config_name", coerce::text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(payload: Value) -> (CmbRow, Vec<FieldIssue>) {
        let event = json!({"event_id": "e", "event_type": "cmb", "cmb_payload": payload});
        let mut issues = Vec::new();
        let r = cmb_row(event.as_object().unwrap(), &mut issues);
        (r, issues)
    }

    #[test]
    fn documented_example() {
        let (r, issues) = row(json!({
            "business_number": "910987654321", "feature_set": "Fresh Flower Delivery",
            "client_number": "911234567890", "requested_at": "1753945760",
            "requested_date": "2025-08-02", "requested_slot": "Saturday",
            "preferred_from_time": "1754116200", "preferred_to_time": "1754118000",
            "is_interested": true, "alternate_number": "", "cmb_config_name": "CMBName"
        }));
        assert!(issues.is_empty());
        assert_eq!(r.client_number.as_deref(), Some("911234567890"));
        assert_eq!(r.client_number_available, Some(true));
        assert_eq!(r.alternate_number, None);
        assert_eq!(r.requested_at, Some(1_753_945_760_000_000));
        assert_eq!(r.requested_date, Some(20302));
        assert_eq!(r.requested_slot.as_deref(), Some("Saturday"));
        assert_eq!(
            r.preferred_to.unwrap() - r.preferred_from.unwrap(),
            1_800_000_000
        );
        assert_eq!(r.is_interested, Some(true));
        assert_eq!(r.cmb_config_name.as_deref(), Some("CMBName"));
    }

    #[test]
    fn not_available_number_and_no_slot() {
        let (r, issues) = row(json!({
            "client_number": "Phone Number Not Available", "alternate_number": "919999999999",
            "requested_date": "NA", "requested_slot": "", "preferred_from_time": null,
            "is_interested": "false"
        }));
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(r.client_number, None);
        assert_eq!(r.client_number_available, Some(false));
        assert_eq!(r.alternate_number.as_deref(), Some("919999999999"));
        assert_eq!(
            (r.requested_date, r.requested_slot, r.preferred_from),
            (None, None, None)
        );
        assert_eq!(r.is_interested, Some(false));
    }

    #[test]
    fn uncoercible_values_become_issues() {
        let (r, issues) = row(json!({
            "requested_date": "2025-02-30", "preferred_from_time": "soon", "is_interested": "maybe"
        }));
        assert_eq!(
            (r.requested_date, r.preferred_from, r.is_interested),
            (None, None, None)
        );
        let got: Vec<_> = issues
            .iter()
            .map(|i| (i.field.as_str(), i.problem.code()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("requested_date", "not_a_date"),
                ("preferred_from_time", "not_a_timestamp"),
                ("is_interested", "not_a_boolean")
            ]
        );
        assert_eq!(issues[0].raw_value, "\"2025-02-30\"");
    }

    #[test]
    fn missing_payload_is_an_issue() {
        let mut issues = Vec::new();
        let r = cmb_row(json!({"event_id": "e"}).as_object().unwrap(), &mut issues);
        assert_eq!(r, CmbRow::default());
        assert_eq!(issues[0].problem, Problem::MissingPayload);
    }
}
