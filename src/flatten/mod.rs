//! Stage 4: flatten event payloads into typed rows.
//!
//! `cmb` events become [`cmb::CmbRow`]s for the curated `cmb_requests`
//! table; every event's other keys are flattened generically
//! ([`generic`]) into columns and child rows, named by [`naming`] and typed
//! by [`types`].

pub mod cmb;
pub mod generic;
pub mod naming;
pub mod overflow;
pub mod types;

use crate::records::{payload_hash, ParsedEvent};
use crate::validate::{validate, Invalid};
use generic::FlatLimits;

/// The payload key of an event type: `cmb` -> `cmb_payload`.
pub fn payload_key(event_type: &str) -> String {
    format!("{event_type}_payload")
}

/// Envelope keys: they have their own columns and are never flattened.
pub const ENVELOPE_KEYS: &[&str] = &["event_id", "event_type", "client_account_id", "created_at"];

/// Validates and flattens one record: the event, or why it is rejected.
pub fn parse_record(bytes: &[u8], limits: FlatLimits) -> Result<ParsedEvent, Invalid> {
    let valid = validate(bytes)?;
    let mut issues = valid.issues;
    let is_cmb = valid.envelope.event_type == "cmb";
    let cmb = is_cmb.then(|| cmb::cmb_row(&valid.object, &mut issues));
    let flat = generic::flatten_within(
        &valid.object,
        ENVELOPE_KEYS,
        &payload_key(&valid.envelope.event_type),
        if is_cmb { cmb::KNOWN_KEYS } else { &[] },
        limits,
    );
    issues.extend(flat.issues);
    Ok(ParsedEvent {
        envelope: valid.envelope,
        cmb,
        issues,
        flat: flat.rows,
        overflow: flat.overflow,
        payload_hash: payload_hash(bytes),
    })
}
