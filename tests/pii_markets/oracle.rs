//! The test's own data and helpers: the HMAC against RFC 4231, the
//! hand-written numbers and the planted events consistent, the leak check
//! seeing every shape, and the helpers' small cases.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::common::pii::{cell_text, hmac_hex};
use crate::events::{market_events, utc, EVENTS};
use crate::expected::{generic, tokens};
use crate::leaks::{leak_in_text, leaks};
use crate::markets::MARKETS;
use crate::shapes::{ascii_digits, digits, Script, Shape, SHAPES};
use crate::START;

#[test]
fn hmac_helper_matches_rfc_4231() {
    // test case 2: key "Jefe", data "what do ya want for nothing?"
    assert_eq!(
        hmac_hex(b"Jefe", "what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn planted_numbers_and_times_are_consistent() {
    // guards the hand-written data the other tests rely on
    let mut all = BTreeSet::new();
    for (mi, m) in MARKETS.iter().enumerate() {
        for p in &m.phones {
            assert!(p.e164.starts_with(m.code), "{}", p.e164);
            assert!((11..=15).contains(&p.e164.len()), "{}", p.e164);
            assert!(all.insert(p.e164), "{} planted twice", p.e164);
            assert_eq!(digits(p.intl), p.e164, "{}", p.intl);
            assert!(p.intl.starts_with(&format!("+{} ", m.code)), "{}", p.intl);
            let national = digits(p.national);
            let nsn = p.nsn(m);
            assert!(
                national == format!("{}{nsn}", m.trunk) || (m.code == "1" && national == nsn),
                "{}: national {} is not the trunk and {nsn}",
                m.name,
                p.national
            );
        }
        let (lines, cells) = market_events(mi);
        assert_eq!(lines.len(), EVENTS);
        // every shape in every phone column, for both numbers
        for column in ["customer_number", "contact__msisdn", "ref"] {
            for n in 0..2 {
                let shapes: Vec<Shape> = cells
                    .iter()
                    .filter(|c| c.column == column && c.number == Some(n))
                    .filter_map(|c| c.shape)
                    .collect();
                for s in SHAPES {
                    assert!(shapes.contains(&s), "{column} lacks {s:?} of number {n}");
                }
            }
        }
        // non-ASCII digits really are planted
        for s in Script::ALL {
            let planted = Shape::Script(s).text(&m.phones[0], 0);
            assert!(!planted.chars().any(|c| c.is_ascii_digit()), "{planted}");
            assert_eq!(ascii_digits(&planted), m.phones[0].intl);
        }
        // the times, ids and other text hold no raw form of a number, and
        // the created_at lies in 2025-2026
        let l = leaks(m);
        for (i, line) in lines.iter().enumerate() {
            let event: Value = serde_json::from_str(line).unwrap();
            let created: u64 = event["created_at"].as_str().unwrap().parse().unwrap();
            assert!(
                (1_735_689_600..1_798_761_600).contains(&created),
                "{created}"
            );
            for v in [
                event["event_id"].clone(),
                event["created_at"].clone(),
                event["uf_payload"]["note"].clone(),
                event["uf_payload"]["visited_at"].clone(),
                event["uf_payload"]["visited_ms_time"].clone(),
                json!("please call me on  after 6pm"),
            ] {
                assert!(
                    leak_in_text(&cell_text(&v), &l).is_none(),
                    "event {i}: {v} looks like a planted number"
                );
            }
        }
    }
    assert_eq!(all.len(), 26);
    // the leak check sees every shape, also in other scripts and formats
    let l = leaks(&MARKETS[1]);
    for s in [
        "x 971501234567 y",
        "+٩٧١ ٥٠ ١٢٣ ٤٥٦٧",
        "call ۰۵۰ ۱۲۳ ۴۵۶۷",
        "(050) 123-4567",
        "+971.50.123.4567",
        "f_050_123_4567",
    ] {
        assert!(leak_in_text(s, &l).is_some(), "{s} not seen as a leak");
    }
    assert_eq!(
        generic("uf_events.call_log__971501234567"),
        "uf_events.call_log__#"
    );
    assert_eq!(tokens("a [phone:0123] b [phone:abcd]"), ["0123", "abcd"]);
    assert_eq!(utc(START), "2025-06-01T00:00:00");
    assert_eq!(utc(1_753_945_760), "2025-07-31T07:09:20");
    assert_eq!(utc(1_772_323_199), "2026-02-28T23:59:59");
}
