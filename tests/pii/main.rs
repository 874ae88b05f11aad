//! Phone numbers never leave raw, whatever shape the payload gives them:
//! the Parquet export and every report output (CSV, SVG, HTML) under
//! `--pii hash|mask|drop|keep`, with the keyed hash (HMAC-SHA256 under the
//! key in `--pii-key-file`) over the number's normal form.
//!
//! The archive plants 20 Indian mobile numbers (plus the Call Me Back
//! client number of `common::cmb_event`) in seven formats each: JSON number,
//! `+91 …`, `0091-…`, national with and without a space, trunk `0`, and
//! parentheses; under phone-ish names, nested paths, neutral names (found by
//! content), arrays of scalars and of objects, and inside free text. Every
//! expected value is computed here from the planted numbers and the key
//! read from the key file, never taken from a run of the code.
//!
//! Key file format assumed by these tests: text lines `key=<64 hex>` (the
//! 32 key bytes) and `id=<hex>` (the key id); other lines (comments) are
//! ignored. A different format makes the tests say so.
//!
//! `planted.rs` builds the archive and records every planted cell,
//! `expected.rs` says what each cell must become under each policy and
//! checks outputs against it, `setup.rs` drives the binary in an isolated
//! folder, `read.rs` reads exports and reports back. The tests: the export
//! (`exports.rs`), the reports and the nightly run (`reports.rs`), the key
//! file and what a new key or policy rewrites (`keys.rs`), decisions kept
//! across nights and folders (`later_nights.rs`), `mask`, `drop`, `keep`
//! and `--pii-country-code` (`policies.rs`).

#[path = "../common/mod.rs"]
mod common;
mod expected;
mod exports;
mod keys;
mod later_nights;
mod planted;
mod policies;
mod read;
mod reports;
mod setup;

/// 2025-07-31 07:09:20 UTC, the `created_at` of `common::cmb_event`.
const BASE: u64 = 1_753_945_760;
const DAY: u64 = 86_400;
/// Formats each number is written in (see [`formatted`]).
const FORMATS: usize = 7;
/// Numbers planted in User Feedback events (`PHONES[..UF_PHONES]`).
const UF_PHONES: usize = 20;
/// Index of `common::cmb_event`'s `client_number` (911234567890).
const CMB: usize = 20;
/// National (10-digit) parts of the planted numbers; all are above the
/// epoch-seconds range of 2000-2100, so none looks like a timestamp.
const PHONES: [&str; 21] = [
    "9876543210",
    "9123456780",
    "8899001122",
    "7012345678",
    "6123987450",
    "9988776655",
    "9090909091",
    "8123456709",
    "7766554433",
    "9445566778",
    "9811122233",
    "8001234567",
    "7900112233",
    "6300456789",
    "9543216780",
    "8877665544",
    "7654321098",
    "9321098765",
    "8765012349",
    "9012387654",
    "1234567890",
];
/// The business's own number: not personal, exported raw.
const BUSINESS: &str = "910987654321";
