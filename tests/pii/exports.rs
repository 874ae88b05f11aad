//! The hashed Parquet export: the planted columns exist, no planted number
//! is exported, one number gives one hash, and the manifest names the
//! phone and text columns.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::pii::{cell_text, hmac_hex, read_key_file};
use crate::common::{query, scalar};
use crate::expected::{assert_no_failures, assert_no_number, check_cells, Policy};
use crate::planted::{Kind, PHONE_COLUMNS, PLAIN_COLUMNS};
use crate::read::{dump, files_under, manifest, rows, schema};
use crate::setup::Setup;
use crate::PHONES;

#[test]
fn the_planted_columns_exist_as_described() {
    // guards the column names the other tests rely on (README naming rules)
    let s = Setup::night1();
    let n = scalar(
        &s.db,
        "SELECT count(*) FROM uf_events WHERE phone IS NOT NULL OR customer_number IS NOT NULL
         OR contact__msisdn IS NOT NULL OR caller__alt IS NOT NULL OR ref_code IS NOT NULL
         OR ref_float IS NOT NULL OR comment IS NOT NULL OR visited_at_text IS NOT NULL
         OR visited_ms_text IS NOT NULL OR business_number IS NOT NULL",
    );
    assert_eq!(n, 300);
    assert_eq!(
        scalar(&s.db, "SELECT count(value) FROM uf_events__numbers"),
        900
    );
    assert_eq!(
        scalar(
            &s.db,
            "SELECT count(tel) + count(whatsapp) + count(reach) + count(name) FROM uf_events__contacts"
        ),
        1800
    );
    let types: BTreeMap<String, String> = query(
        &s.db,
        "SELECT column_name AS k, data_type AS t FROM duckdb_columns() WHERE table_name = 'uf_events'",
    )
    .into_iter()
    .map(|r| {
        (
            r["k"].as_str().unwrap().to_string(),
            r["t"].as_str().unwrap().to_string(),
        )
    })
    .collect();
    assert_eq!(types["ref_code"], "BIGINT");
    assert_eq!(types["ref_float"], "DOUBLE");
    assert_eq!(types["phone"], "VARCHAR");
    assert_eq!(types["visited_at_text"], "VARCHAR");
}

#[test]
fn hashed_export_holds_no_planted_number_and_one_number_gives_one_hash() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    // no planted number, in any of its forms, in any exported value
    let tables = dump(&s.db, &out);
    for table in [
        "events",
        "uf_events",
        "uf_events__numbers",
        "uf_events__contacts",
    ] {
        assert!(
            tables.contains_key(table),
            "{table} not exported: {tables:?}"
        );
    }
    for (table, content) in &tables {
        assert_no_number(&format!("exported {table}"), content);
    }
    for state in files_under(&out, &[".json"]) {
        assert_no_number(
            &state.display().to_string(),
            &std::fs::read_to_string(&state).unwrap(),
        );
    }
    assert!(
        !schema(&s.db, &out, "events").contains("payload"),
        "events.payload exported under hash"
    );
    let exported = rows(&s.db, &out);
    // one number, whatever its format, gives one 64-hex value; distinct
    // numbers give distinct values
    let mut by_number: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for cell in s.cells.iter().filter(|c| c.kind == Kind::Phone) {
        let Some(n) = cell.number else { continue };
        let got = exported
            .get(cell.table)
            .and_then(|rows| rows.get(&(cell.event_id.clone(), cell.index)))
            .and_then(|r| r.get(cell.column))
            .map(cell_text)
            .unwrap_or_default();
        by_number.entry(n).or_default().insert(got);
    }
    assert_eq!(by_number.len(), PHONES.len());
    let mut seen = BTreeSet::new();
    for (n, values) in &by_number {
        assert_eq!(
            values.len(),
            1,
            "number {} gives {} different exported values: {values:?}",
            PHONES[*n],
            values.len()
        );
        let v = values.iter().next().unwrap();
        assert!(
            v.len() == 64
                && v.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "number {} exported as {v:?}, not 64 lowercase hex",
            PHONES[*n]
        );
        assert!(seen.insert(v.clone()), "two numbers share the hash {v}");
    }
    // and the value is HMAC-SHA256(key, normal form); numbers inside free
    // text are `[phone:<first 16 hex>]`; everything else is as planted
    let key = read_key_file(&key_file).unwrap();
    assert_eq!(
        by_number[&0].iter().next().unwrap(),
        &hmac_hex(&key.bytes, "919876543210")
    );
    assert_no_failures(
        "hash export",
        &check_cells(&s.cells, &exported, Policy::Hash, &key.bytes),
    );
}

#[test]
fn manifest_lists_phone_and_text_columns() {
    let s = Setup::night1();
    let key_file = s.path("pii.key");
    let out = s.path("parquet");
    s.export(&out, &key_file, &[]);
    let m = manifest(&out);
    let key = read_key_file(&key_file).unwrap();
    assert_eq!(m["policy"], "hash", "{m}");
    assert_eq!(m["key_id"], key.id.as_str(), "{m}");
    assert_eq!(m["country_code"], "91", "{m}");
    for (table, column) in PHONE_COLUMNS {
        assert_eq!(
            m["tables"][table][column], "phone",
            "{table}.{column} in the manifest: {m}"
        );
    }
    assert_eq!(m["tables"]["uf_events"]["comment"], "text", "{m}");
    for (table, column) in PLAIN_COLUMNS {
        assert_ne!(
            m["tables"][table][column], "phone",
            "{table}.{column} is not a phone column: {m}"
        );
    }
}
