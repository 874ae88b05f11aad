//! Rules written once hold alike everywhere they apply: what counts as an
//! epoch is the same in a curated `cmb_requests` column and in a flattened
//! `*_at` column (whole seconds between 2000 and 2100, README "Coercions"
//! and "Types"), and text is escaped the same way in a chart's SVG and in
//! the HTML page (control characters become spaces in both).

mod common;

use common::*;
use serde_json::{json, Value};

/// Seconds since 1970 around the edges of the accepted range, and whether
/// each is an epoch (2000-01-01 <= t < 2100-01-01, by the calendar).
const EPOCHS: [(i64, bool); 7] = [
    (946_684_799, false),   // 1999-12-31 23:59:59
    (946_684_800, true),    // 2000-01-01, nine digits
    (999_999_999, true),    // 2001-09-09, nine digits
    (1_753_945_760, true),  // 2025-07-31
    (4_102_444_799, true),  // 2099-12-31 23:59:59
    (4_102_444_800, false), // 2100-01-01
    (9_999_999_999, false), // 2286
];

#[test]
fn an_epoch_is_an_epoch_in_curated_and_flattened_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for (i, (secs, _)) in EPOCHS.iter().enumerate() {
        let mut cmb: Value = serde_json::from_str(&cmb_event(&format!("c{i}"), "A", true)).unwrap();
        cmb["cmb_payload"]["requested_at"] = json!(secs.to_string());
        lines.push(cmb.to_string());
        // one event type per value: a column's type follows all its values
        let ty = format!("u{i}");
        let mut uf =
            json!({"event_id": format!("u{i}"), "event_type": ty, "created_at": "1753945760"});
        uf[format!("{ty}_payload")] = json!({"answered_at": secs.to_string()});
        lines.push(uf.to_string());
    }
    let file = dir.path().join("in.ndjson");
    std::fs::write(&file, ndjson(&lines)).unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&file]);
    for (i, (secs, is_epoch)) in EPOCHS.iter().enumerate() {
        let curated = query(
            &db,
            &format!(
                "SELECT epoch(requested_at)::BIGINT AS s FROM cmb_requests WHERE event_id = 'c{i}'"
            ),
        );
        let ty = query(
            &db,
            &format!("SELECT data_type AS t FROM columns WHERE table_name = 'u{i}_events' AND column_name = 'answered_at'"),
        );
        let flattened = if ty[0]["t"] == "TIMESTAMP" {
            let v = query(
                &db,
                &format!("SELECT epoch(answered_at)::BIGINT AS s FROM u{i}_events"),
            );
            v[0]["s"].as_i64()
        } else {
            None
        };
        let want = is_epoch.then_some(*secs);
        assert_eq!(
            (curated[0]["s"].as_i64(), flattened),
            (want, want),
            "{secs} (curated, flattened as {})",
            ty[0]["t"]
        );
    }
}

#[test]
fn control_characters_are_escaped_alike_in_the_svg_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let name = "Evening\u{1b}<b>\u{7}";
    let lines: Vec<String> = (0..40)
        .map(|i| cmb_event(&format!("e{i}"), name, i % 2 == 0))
        .collect();
    let (_, latest) = ingest_and_report(dir.path(), &lines, "UTC");
    let escaped = "Evening &lt;b&gt; ";
    for file in ["interest_rate.svg", "index.html"] {
        let text = std::fs::read_to_string(latest.join(file)).unwrap();
        assert!(text.contains(escaped), "{file} lacks {escaped:?}");
        let controls: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            .collect();
        assert!(
            controls.is_empty(),
            "{file} holds control characters {controls:?}"
        );
    }
}
