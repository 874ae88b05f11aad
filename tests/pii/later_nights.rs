//! Protection decisions that last: a column found to hold numbers stays
//! protected when later nights look harmless, also in a fresh export
//! folder.

use serde_json::json;

use crate::common::pii::read_key_file;
use crate::expected::{assert_no_failures, assert_no_number, check_cells, Policy};
use crate::planted::{formatted, Cell, Kind};
use crate::read::{dump, manifest, rows};
use crate::setup::Setup;
use crate::{BASE, DAY};

/// Night 1: 12 events whose neutral `backup_ref` holds numbers (found by
/// content); night 2: 40 events where it is "N/A" (12 of 52 values are
/// numbers then: under half).
fn harmless_later(s: &mut Setup) -> (Vec<String>, Vec<String>) {
    let mut n1 = Vec::new();
    for i in 0..12 {
        let id = format!("b1-{i:02}");
        let raw = formatted(i, i);
        s.cells.push(Cell {
            table: "uf_events",
            event_id: id.clone(),
            index: None,
            column: "backup_ref",
            raw: raw.clone(),
            number: Some(i),
            inner: None,
            kind: Kind::Phone,
        });
        n1.push(
            json!({"event_id": id, "event_type": "uf", "created_at": BASE.to_string(),
                   "uf_payload": {"backup_ref": raw, "rating": 3}})
            .to_string(),
        );
    }
    let mut n2 = Vec::new();
    for i in 0..40 {
        let id = format!("b2-{i:02}");
        s.cells.push(Cell {
            table: "uf_events",
            event_id: id.clone(),
            index: None,
            column: "backup_ref",
            raw: json!("N/A"),
            number: None,
            inner: None,
            kind: Kind::Phone,
        });
        n2.push(
            json!({"event_id": id, "event_type": "uf", "created_at": (BASE + DAY).to_string(),
                   "uf_payload": {"backup_ref": "N/A", "rating": 4}})
            .to_string(),
        );
    }
    (n1, n2)
}

#[test]
fn a_protected_column_stays_protected_when_later_nights_look_harmless() {
    let mut s = Setup::new();
    let (n1, n2) = harmless_later(&mut s);
    s.ingest("n1.ndjson", &n1);
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    assert_eq!(manifest(&out)["tables"]["uf_events"]["backup_ref"], "phone");
    s.ingest("n2.ndjson", &n2);
    s.export(&out, &key_file, &[]);
    let m = manifest(&out);
    assert_eq!(
        m["tables"]["uf_events"]["backup_ref"], "phone",
        "protection dropped after a harmless night: {m}"
    );
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} after night 2"), &content);
    }
    let key = read_key_file(&key_file).unwrap();
    assert_no_failures(
        "night 2",
        &check_cells(&s.cells, &rows(&s.db, &out), Policy::Hash, &key.bytes),
    );
}

#[test]
fn a_fresh_export_folder_keeps_earlier_protection_decisions() {
    // the same as above, but night 2 is exported into a new folder: the
    // decision of night 1 must not live only in the old folder
    let mut s = Setup::new();
    let (n1, n2) = harmless_later(&mut s);
    s.ingest("n1.ndjson", &n1);
    let key_file = s.path("pii.key");
    s.export(&s.path("parquet"), &key_file, &[]);
    s.ingest("n2.ndjson", &n2);
    let out = s.path("fresh");
    s.export(&out, &key_file, &[]);
    for (table, content) in dump(&s.db, &out) {
        assert_no_number(&format!("{table} in a fresh folder"), &content);
    }
    let m = manifest(&out);
    assert_eq!(
        m["tables"]["uf_events"]["backup_ref"], "phone",
        "a column protected as phone in an earlier export is not a phone column in a fresh folder: {m}"
    );
}
