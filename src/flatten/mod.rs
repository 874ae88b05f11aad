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

/// The payload key of an event type: `cmb` -> `cmb_payload`.
pub fn payload_key(event_type: &str) -> String {
    format!("{event_type}_payload")
}

/// Envelope keys: they have their own columns and are never flattened.
pub const ENVELOPE_KEYS: &[&str] = &["event_id", "event_type", "client_account_id", "created_at"];
