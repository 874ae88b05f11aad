//! The other policies and settings: `--pii mask`, `drop` and `keep`, the
//! removed `--pii-salt`, and `--pii-country-code` for national numbers.

use serde_json::json;

use crate::common::pii::{hmac_hex, read_key_file};
use crate::common::query;
use crate::expected::{assert_no_failures, assert_no_number, check_cells, find_number, Policy};
use crate::planted::{PHONE_COLUMNS, PLAIN_COLUMNS};
use crate::read::{dump, manifest, parquet, query_csv, rows, schema};
use crate::setup::Setup;
use crate::BASE;

#[test]
fn mask_drop_and_keep() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let no_key = [0u8; 0];

    let out = s.path("mask");
    s.export(&out, &key_file, &["--pii", "mask"]);
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("masked {table}"), &content);
    }
    // exactly `*` for every digit of the normal form but the last 4
    assert_no_failures(
        "mask",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Mask, &no_key),
    );
    assert_eq!(manifest(&out)["policy"], "mask");

    let out = s.path("drop");
    s.export(&out, &key_file, &["--pii", "drop"]);
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} under drop"), &content);
    }
    for (table, column) in PHONE_COLUMNS {
        assert!(
            !schema(&s.db, &out, table).contains(*column),
            "{table}.{column} exported under --pii drop"
        );
    }
    for (table, column) in PLAIN_COLUMNS {
        assert!(
            schema(&s.db, &out, table).contains(*column),
            "{table}.{column} missing under --pii drop"
        );
    }
    assert!(schema(&s.db, &out, "uf_events").contains("comment"));
    assert_no_failures(
        "drop",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Drop, &no_key),
    );

    let out = s.path("keep");
    s.export(&out, &key_file, &["--pii", "keep"]);
    assert_no_failures(
        "keep",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Keep, &no_key),
    );
    // the leak check sees raw numbers when they are there
    let kept = dump(&s.db, &out);
    assert!(find_number(&kept["uf_events"]).is_some());
    assert!(find_number(&kept["uf_events__contacts"]).is_some());
    let payloads = query_csv(
        &s.db,
        &format!("SELECT payload FROM {}", parquet(&out, "events")),
    );
    assert!(payloads.contains("98765 43210"), "raw payload under keep");

    // the salt flag is gone
    let o = s
        .export_cmd(&s.path("salted"), &["--pii-salt", "x"])
        .arg("--pii-key-file")
        .arg(&key_file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "--pii-salt is still accepted");
}

#[test]
fn country_code_completes_national_numbers() {
    let s = Setup::new();
    // a UK mobile written nationally, trunk prefix and all
    let national = "07400 123456";
    let lines: Vec<String> = [("cc-1", national), ("cc-2", "+91 98765 43210")]
        .iter()
        .map(|(id, phone)| {
            json!({"event_id": id, "event_type": "uf", "created_at": BASE.to_string(),
                   "uf_payload": {"phone": phone, "comment": format!("call {phone} now")}})
            .to_string()
        })
        .collect();
    s.ingest("cc.ndjson", &lines);
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &["--pii-country-code", "44"]);
    let key = read_key_file(&key_file).unwrap();
    assert_eq!(manifest(&out)["country_code"], "44");
    let got = query(
        &s.db,
        &format!(
            "SELECT event_id, phone, comment FROM {} ORDER BY event_id",
            parquet(&out, "uf_events")
        ),
    );
    let uk = hmac_hex(&key.bytes, "447400123456");
    let india = hmac_hex(&key.bytes, "919876543210");
    assert_eq!(got[0]["phone"], uk.as_str());
    assert_eq!(
        got[0]["comment"],
        format!("call [phone:{}] now", &uk[..16]).as_str()
    );
    assert_eq!(got[1]["phone"], india.as_str());
    assert_eq!(
        got[1]["comment"],
        format!("call [phone:{}] now", &india[..16]).as_str()
    );
}
