//! Stage 4: flatten event payloads into typed rows.
//!
//! `cmb` events become [`cmb::CmbRow`]s for the curated `cmb_requests`
//! table. Other event types are kept whole in `events.payload`.

pub mod cmb;
pub mod generic;
pub mod naming;
pub mod types;

/// The payload key of an event type: `cmb` -> `cmb_payload`.
pub fn payload_key(event_type: &str) -> String {
    format!("{event_type}_payload")
}
