//! Ingest through the binary: every layout, every bad-record kind, typed
//! columns and field issues.

mod common;

use std::io::Write;

use common::*;
use serde_json::json;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn every_layout_loads_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("archive");
    std::fs::create_dir_all(arc.join("2025/08/01")).unwrap();
    let pretty = serde_json::to_string_pretty(
        &serde_json::from_str::<serde_json::Value>(&cmb_event("p1", "A", true)).unwrap(),
    )
    .unwrap();
    std::fs::write(arc.join("2025/08/01/p1.json"), &pretty).unwrap();
    std::fs::write(
        arc.join("lf.ndjson"),
        ndjson(&[cmb_event("l1", "A", true), cmb_event("l2", "B", false)]),
    )
    .unwrap();
    std::fs::write(
        arc.join("crlf.jsonl"),
        format!(
            "\u{feff}{}\r\n{}\r\n",
            cmb_event("c1", "A", true),
            cmb_event("c2", "B", true)
        ),
    )
    .unwrap();
    std::fs::write(
        arc.join("day.ndjson.gz"),
        gzip(ndjson(&[cmb_event("g1", "A", false)]).as_bytes()),
    )
    .unwrap();
    std::fs::write(
        arc.join("firehose-object"),
        gzip(
            format!(
                "{}{}{}",
                cmb_event("f1", "A", true),
                cmb_event("f2", "A", true),
                cmb_event("f3", "B", true)
            )
            .as_bytes(),
        ),
    )
    .unwrap();
    std::fs::write(
        arc.join("export.json"),
        format!(
            "[\n{},\n{}\n]\n",
            cmb_event("a1", "B", true),
            cmb_event("a2", "B", false)
        ),
    )
    .unwrap();
    std::fs::write(arc.join("empty.ndjson"), "").unwrap();
    std::fs::write(arc.join(".hidden.ndjson"), cmb_event("hidden", "A", true)).unwrap();

    let db = dir.path().join("h.duckdb");
    let s = ingest_ok(&db, &[&arc]);
    assert_eq!(s["files_seen"], 7);
    assert_eq!(s["inserted"], 11);
    assert_eq!(s["rejected"], 0);
    assert_eq!(s["records"], 11);
    let layouts = counts(
        &db,
        "SELECT layout AS k, count(*) AS n FROM source_files GROUP BY 1",
    );
    let want: std::collections::BTreeMap<_, _> = [
        ("array", 1),
        ("concatenated", 2),
        ("empty", 1),
        ("lines", 3),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(layouts, want);
    assert_eq!(scalar(&db, "SELECT count(*) FROM cmb_requests"), 11);
    assert_eq!(
        scalar(&db, "SELECT count(*) FROM events WHERE event_id = 'hidden'"),
        0
    );
    let loc = query(
        &db,
        "SELECT source_location FROM events WHERE event_id IN ('l2', 'f2') ORDER BY event_id",
    );
    assert_eq!(
        loc[0]["source_location"],
        json!(format!("byte {}", cmb_event("f1", "A", true).len()))
    );
    assert_eq!(loc[1]["source_location"], "line 2");
}

#[test]
fn each_bad_record_is_quarantined_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.ndjson");
    let mut bytes = Vec::new();
    let good = |id: &str| cmb_event(id, "A", true);
    bytes.extend(format!("{}\n", good("ok1")).as_bytes());
    bytes.extend(b"{\"event_id\":\"cut\",\"event_type\":\"cmb\",\n"); // truncated
    bytes.extend(b"<html>502 Bad Gateway</html>\n"); // invalid_json
    bytes.extend(b"{\"event_id\":\"bin\",\"event_type\":\"cmb\",\"x\":\"\xff\xfe\"}\n"); // invalid_utf8
    bytes.extend(b"[1,2,3]\n42\n\"hello\"\n"); // not_an_object x3
    bytes.extend(b"{\"event_type\":\"cmb\"}\n"); // missing_event_id
    bytes.extend(b"{\"event_id\":\"\",\"event_type\":\"cmb\"}\n"); // missing_event_id
    bytes.extend(b"{\"event_id\":\"noty\"}\n"); // missing_event_type
    bytes.extend(format!("{}\n", good("ok2")).as_bytes());
    bytes.extend(b"{\"event_id\":\"half\",\"event_"); // half-written last line
    std::fs::write(&file, bytes).unwrap();
    let db = dir.path().join("h.duckdb");
    // settled at once: the half-written last line is a reject, not pending
    let (code, s, _) = ingest(&db, &[&file], &["--settle-time", "0s"]);
    assert_eq!(code, 0);
    assert_eq!(s["inserted"], 2);
    assert_eq!(s["rejected"], 10);
    assert_eq!(s["records"], 12);
    let by_reason = counts(
        &db,
        "SELECT reason AS k, count(*) AS n FROM rejects GROUP BY 1",
    );
    let want: std::collections::BTreeMap<_, _> = [
        ("invalid_json", 1),
        ("invalid_utf8", 1),
        ("missing_event_id", 2),
        ("missing_event_type", 1),
        ("not_an_object", 3),
        ("truncated", 2),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(by_reason, want);
    let raw = query(
        &db,
        "SELECT raw, source_location FROM rejects WHERE reason = 'invalid_utf8'",
    );
    assert!(raw[0]["raw"].as_str().unwrap().contains("\\xff\\xfe"));
    assert_eq!(raw[0]["source_location"], "line 4");
    // the summary says the same thing
    assert_eq!(s["rejected_by_reason"]["not_an_object"], 3);
    // --strict turns quarantined records into exit status 1
    let db2 = dir.path().join("strict.duckdb");
    let (code, _, _) = ingest(&db2, &[&file], &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn drifting_values_are_coerced_and_bad_ones_become_field_issues() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drift.ndjson");
    let events = [
        json!({"event_id": "num", "event_type": "cmb", "created_at": 1753945760,
               "cmb_payload": {"requested_at": 1753945760, "is_interested": "true",
                               "requested_date": "NA", "requested_slot": "",
                               "preferred_from_time": null, "client_number": "Phone Number Not Available",
                               "alternate_number": "919999999999", "cmb_config_name": "कॉल बैक ऑफ़र"}}),
        json!({"event_id": "bad", "event_type": "cmb", "created_at": "1753945760",
               "cmb_payload": {"requested_date": "2025-02-30", "preferred_from_time": "soon",
                               "is_interested": "maybe", "cmb_config_name": "Diwali 🎉"}}),
        json!({"event_id": "fb1", "event_type": "uf", "created_at": "1753945760",
               "uf_payload": {"question": {"id": 1}, "answer": "yes"}}),
    ];
    let text: String = events.iter().map(|e| format!("{e}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let db = dir.path().join("h.duckdb");
    let s = ingest_ok(&db, &[&file]);
    assert_eq!(s["inserted"], 3);
    assert_eq!(s["field_issues"], 3);
    let rows = query(
        &db,
        "SELECT event_id, epoch(requested_at)::BIGINT AS req, is_interested, requested_date,
                requested_slot, client_number, client_number_available, alternate_number,
                cmb_config_name, epoch(created_at)::BIGINT AS created
         FROM cmb_requests ORDER BY event_id",
    );
    assert_eq!(rows.len(), 2);
    let num = &rows[1];
    assert_eq!(num["req"], 1753945760);
    assert_eq!(num["created"], 1753945760);
    assert_eq!(num["is_interested"], true);
    assert_eq!(num["requested_date"], json!(null));
    assert_eq!(num["requested_slot"], json!(null));
    assert_eq!(num["client_number"], json!(null));
    assert_eq!(num["client_number_available"], false);
    assert_eq!(num["alternate_number"], "919999999999");
    assert_eq!(num["cmb_config_name"], "कॉल बैक ऑफ़र");
    let bad = &rows[0];
    assert_eq!(bad["is_interested"], json!(null));
    assert_eq!(bad["cmb_config_name"], "Diwali 🎉");
    let issues = query(
        &db,
        "SELECT event_id, field, raw_value, problem FROM field_issues ORDER BY field",
    );
    let got: Vec<_> = issues
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["event_id"].as_str().unwrap(),
                r["field"].as_str().unwrap(),
                r["raw_value"].as_str().unwrap(),
                r["problem"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "bad is_interested \"maybe\" not_a_boolean",
            "bad preferred_from_time \"soon\" not_a_timestamp",
            "bad requested_date \"2025-02-30\" not_a_date",
        ]
    );
    // other event types keep their whole payload
    let uf = query(&db, "SELECT payload->>'$.uf_payload.answer' AS a, event_type FROM events WHERE event_id = 'fb1'");
    assert_eq!(uf[0]["a"], "yes");
    assert_eq!(uf[0]["event_type"], "uf");
}
