//! Phone numbers of every market, script and place never leave raw.
//!
//! For each of 13 markets (India, UAE, Saudi Arabia, Nigeria, Israel,
//! Jordan, Iran, Egypt, Kenya, Pakistan, Indonesia, the US, the UK) two
//! valid mobile numbers (E.164 written here by hand from the public
//! numbering plans, checked against libphonenumber's metadata when the
//! test was written) are planted in User Feedback events, in every shape a
//! user or a receiver writes them:
//!
//! - bare international digits, as a JSON string and as a JSON number;
//! - `+CC` with spaces, `00CC` with hyphens, national with the trunk
//!   prefix in the local format (the market's archive is exported and
//!   reported with `--pii-country-code CC`, the region national forms are
//!   read in);
//! - the `+CC` form in Devanagari, Arabic-Indic, Extended Arabic-Indic
//!   (Persian), Bengali and full-width digits;
//! - as a key of a `call_log` object (data in keys: a child table
//!   `uf_events__call_log` with a `key` column);
//! - inside free text (`comment`), with Latin, Devanagari and Arabic-Indic
//!   digits;
//!
//! under phone-ish names (`customer_number`, `contact.msisdn`) and neutral
//! names found by content (`ref` with every shape, `ref_code` with JSON
//! numbers only). Each event also carries real times, which must come out
//! unchanged: `visited_at` (epoch seconds of its `created_at`; the loader
//! makes a TIMESTAMP of epoch seconds in a `*_at` column, so the same
//! instant as a TIMESTAMP counts as unchanged), `visited_ms_time`
//! (milliseconds) and the text `booked at <seconds>`.
//!
//! Per market: `hookstat ingest`, `hookstat export` and `hookstat report`
//! (with a dropped-in report whose chart puts `customer_number` on the x
//! axis). Then: no file, folder or file name, Parquet cell or column name,
//! manifest, CSV, SVG or HTML holds any raw form of a planted number; every
//! planted value is HMAC-SHA256 of its E.164 digits under the key file's
//! key (in text `[phone:<first 16 hex>]`), one hash per number whatever
//! its shape; the times are as planted. Every expected value is computed
//! here from the hand-written E.164 digits and the key read from the key
//! file (format of tests/pii/: lines `key=<64 hex>` and `id=<hex>`).
//!
//! The data: `markets.rs` (the hand-written numbers), `shapes.rs` (scripts
//! and shapes), `events.rs` (the planted events and cells). The checks:
//! `leaks.rs` (raw forms that must never be output), `expected.rs` (the
//! expected values and the failures, counted by category), `run.rs`
//! (driving the binary, reading CSVs back), `check.rs` (one market end to
//! end). `oracle.rs` tests the test's own data and helpers.

mod check;
#[path = "../common/mod.rs"]
mod common;
mod events;
mod expected;
mod leaks;
mod markets;
mod oracle;
mod run;
mod shapes;

use check::check_market;
use expected::{assert_none, Failure};
use markets::MARKETS;

const DAY: u64 = 86_400;
/// 2025-06-01 00:00:00 UTC: the first market's first `created_at`; each
/// market starts 23 days after the previous one (the last in March 2026).
const START: u64 = 1_748_736_000;
/// The dropped-in report (file stem).
const REPORT: &str = "market_numbers";

/// Checks the markets (indexes into [`MARKETS`]), two at a time.
fn check_markets(names: &[&str]) {
    let indexes: Vec<usize> = names
        .iter()
        .map(|n| MARKETS.iter().position(|m| m.name == *n).unwrap())
        .collect();
    let failures: Vec<Failure> = std::thread::scope(|s| {
        let handles: Vec<_> = indexes
            .chunks(indexes.len().div_ceil(2))
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .flat_map(|&i| check_market(i))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_none(&names.join(", "), &failures);
}

#[test]
fn gulf_and_middle_east_numbers_never_leave_raw() {
    check_markets(&["UAE", "Saudi Arabia", "Israel", "Jordan", "Iran"]);
}

#[test]
fn african_numbers_never_leave_raw() {
    check_markets(&["Nigeria", "Egypt", "Kenya"]);
}

#[test]
fn south_asian_indonesian_us_and_uk_numbers_never_leave_raw() {
    check_markets(&["India", "Pakistan", "Indonesia", "US", "UK"]);
}
