//! Flattening through the binary: every payload key of every event type
//! becomes a column; columns appear, stay and widen across nightly runs;
//! odd keys get deterministic names; values read back as written.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use hookstat::flatten::generic::{flatten, json_path, Leaf};
use hookstat::flatten::{payload_key, ENVELOPE_KEYS};
use proptest::prelude::*;
use serde_json::{json, Value};

fn uf(id: &str, payload: Value) -> String {
    json!({"event_id": id, "event_type": "uf", "client_account_id": "acc",
           "created_at": "1754116200", "uf_payload": payload})
    .to_string()
}

/// (column, type) of a table, in table order.
fn schema_of(db: &std::path::Path, table: &str) -> Vec<(String, String)> {
    query(
        db,
        &format!("SELECT column_name, data_type FROM columns WHERE table_name = '{table}' ORDER BY column_index"),
    )
    .into_iter()
    .map(|r| {
        (
            r["column_name"].as_str().unwrap().to_string(),
            r["data_type"].as_str().unwrap().to_string(),
        )
    })
    .collect()
}

#[test]
fn columns_appear_stay_and_widen_over_three_nights() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.duckdb");
    let nights: Vec<Vec<String>> = vec![
        vec![uf(
            "a",
            json!({"score": 5, "comment": "ok", "sent_at": "1754116200"}),
        )],
        vec![uf(
            "b",
            json!({"score": 4.5, "is_repeat": true, "sent_at": "1754119800"}),
        )],
        vec![uf(
            "c",
            json!({"score": "five", "sent_at": "soon", "extra": {"nested": 1}}),
        )],
    ];
    let want_types = [
        vec![
            ("score", "BIGINT"),
            ("comment", "VARCHAR"),
            ("sent_at", "TIMESTAMP"),
        ],
        vec![
            ("score", "DOUBLE"),
            ("comment", "VARCHAR"),
            ("sent_at", "TIMESTAMP"),
            ("is_repeat", "BOOLEAN"),
        ],
        vec![
            ("score", "VARCHAR"),
            ("comment", "VARCHAR"),
            ("sent_at", "VARCHAR"),
            ("is_repeat", "BOOLEAN"),
            ("extra__nested", "BIGINT"),
        ],
    ];
    for (i, night) in nights.iter().enumerate() {
        let file = dir.path().join(format!("night{i}.ndjson"));
        std::fs::write(&file, ndjson(night)).unwrap();
        let s = ingest_ok(&db, &[&file]);
        assert_eq!(s["inserted"], 1);
        let got = schema_of(&db, "uf_events");
        let mut want: Vec<(String, String)> = ["event_id", "client_account_id", "created_at"]
            .iter()
            .zip(["VARCHAR", "VARCHAR", "TIMESTAMP"])
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        // columns keep the order in which keys were first seen (sorted within an event)
        let mut dynamic: Vec<_> = want_types[i].clone();
        if i == 0 {
            dynamic.sort();
        }
        want.extend(dynamic.iter().map(|(a, b)| (a.to_string(), b.to_string())));
        let got_set: BTreeSet<_> = got.iter().cloned().collect();
        let want_set: BTreeSet<_> = want.iter().cloned().collect();
        assert_eq!(got_set, want_set, "night {i}");
    }
    let rows = query(&db, "SELECT event_id, score, sent_at, comment, is_repeat, extra__nested FROM uf_events ORDER BY event_id");
    // earlier rows survive every widening
    assert_eq!(rows[0]["score"], "5.0");
    assert_eq!(rows[0]["sent_at"], "1754116200");
    assert_eq!(rows[0]["comment"], "ok");
    assert_eq!(rows[0]["is_repeat"], Value::Null);
    assert_eq!(rows[1]["score"], "4.5");
    assert_eq!(rows[1]["sent_at"], "1754119800");
    assert_eq!(rows[2]["score"], "five");
    assert_eq!(rows[2]["sent_at"], "soon");
    assert_eq!(rows[2]["extra__nested"], 1);
    assert_eq!(rows[2]["comment"], Value::Null);
    // where each column came from, and when
    let registry = query(&db, "SELECT column_name, json_path, first_run, changed_run FROM hookstat_columns WHERE table_name = 'uf_events' ORDER BY column_name");
    let score = registry
        .iter()
        .find(|r| r["column_name"] == "score")
        .unwrap();
    assert_eq!(score["json_path"], "$.uf_payload.score");
    assert_eq!(
        (score["first_run"].as_i64(), score["changed_run"].as_i64()),
        (Some(1), Some(3))
    );
    // `hookstat schema` lists the same, for one table
    let out = hookstat()
        .args(["schema", "--format", "json", "--db"])
        .arg(&db)
        .arg("uf_events")
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let sent_at = listed
        .iter()
        .find(|r| r["column_name"] == "sent_at")
        .unwrap();
    assert_eq!(sent_at["data_type"], "VARCHAR");
    assert_eq!(sent_at["json_path"], "$.uf_payload.sent_at");
    assert_eq!(sent_at["first_run"], 1);
    assert!(sent_at["first_seen"]
        .as_str()
        .is_some_and(|t| t.starts_with("20")));
    assert!(listed.iter().all(|r| r["table_name"] == "uf_events"));
    let extra = registry
        .iter()
        .find(|r| r["column_name"] == "extra__nested")
        .unwrap();
    assert_eq!(extra["first_run"], 3);
}

#[test]
fn odd_keys_get_deterministic_names() {
    let dir = tempfile::tempdir().unwrap();
    let long = "k".repeat(80);
    let payload = json!({
        "a": {"b": 1}, "a__b": 2, "A": 3, "a": {"b": 1}, "": 4, "it's \"x\"": 5,
        "event_id": "inner", long.clone(): 6, "Café Name": 7
    });
    let file = dir.path().join("odd.ndjson");
    std::fs::write(&file, ndjson(&[uf("o1", payload)])).unwrap();
    let mut listings = Vec::new();
    for n in 0..2 {
        let db = dir.path().join(format!("h{n}.duckdb"));
        ingest_ok(&db, &[&file]);
        listings.push(query(
            &db,
            "SELECT json_path, column_name FROM hookstat_columns ORDER BY json_path",
        ));
    }
    assert_eq!(listings[0], listings[1]);
    let names: BTreeMap<String, String> = listings[0]
        .iter()
        .map(|r| {
            (
                r["json_path"].as_str().unwrap().to_string(),
                r["column_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(names["$.uf_payload.A"], "a");
    assert_eq!(names["$.uf_payload.a.b"], "a__b");
    assert_eq!(names["$.uf_payload.a__b"], "a_b");
    assert_eq!(names["$.uf_payload[\"\"]"], "field");
    assert_eq!(names["$.uf_payload[\"it's \\\"x\\\"\"]"], "it_s_x");
    assert_eq!(names["$.uf_payload.event_id"], "event_id_2");
    assert_eq!(names["$.uf_payload[\"Café Name\"]"], "caf_name");
    let long_name = &names[&format!("$.uf_payload.{long}")];
    assert_eq!(long_name.len(), 63);
    let db = dir.path().join("h0.duckdb");
    let row = query(
        &db,
        "SELECT event_id, event_id_2, a__b, a_b, field FROM uf_events",
    );
    assert_eq!(row[0]["event_id"], "o1");
    assert_eq!(row[0]["event_id_2"], "inner");
    assert_eq!(
        (
            row[0]["a__b"].as_i64(),
            row[0]["a_b"].as_i64(),
            row[0]["field"].as_i64()
        ),
        (Some(1), Some(2), Some(4))
    );
}

#[test]
fn unknown_cmb_payload_keys_become_cmb_requests_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut event: Value = serde_json::from_str(&cmb_event("c1", "A", true)).unwrap();
    event["cmb_payload"]["number_group"] = json!("G7");
    event["cmb_payload"]["slots"] = json!([{"from": "1754116200"}]);
    let file = dir.path().join("c.ndjson");
    std::fs::write(
        &file,
        ndjson(&[event.to_string(), cmb_event("c2", "A", false)]),
    )
    .unwrap();
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&file]);
    let rows = query(
        &db,
        "SELECT event_id, number_group, cmb_config_name FROM cmb_requests ORDER BY event_id",
    );
    assert_eq!(rows[0]["number_group"], "G7");
    assert_eq!(rows[1]["number_group"], Value::Null);
    let slots = query(
        &db,
        "SELECT event_id, _index, \"from\" FROM cmb_requests__slots",
    );
    assert_eq!(slots.len(), 1);
    assert_eq!(slots[0]["event_id"], "c1");
}

/// Checks that every scalar leaf of every non-cmb payload in `db` is in the
/// column the registry names for its path, with the same value (as its
/// final column type shows it); returns how many cells were checked.
fn check_leaves_read_back(db: &std::path::Path) -> usize {
    let db = db.to_path_buf();
    let registry: BTreeMap<(String, String), (String, String)> = query(
        &db,
        "SELECT c.table_name, c.json_path, c.column_name, c.data_type, t.event_type
         FROM hookstat_columns c JOIN hookstat_tables t USING (table_name)",
    )
    .into_iter()
    .map(|r| {
        (
            (
                r["event_type"].as_str().unwrap().to_string(),
                r["json_path"].as_str().unwrap().to_string(),
            ),
            (
                r["table_name"].as_str().unwrap().to_string(),
                r["column_name"].as_str().unwrap().to_string(),
            ),
        )
    })
    .collect();
    let payloads = query(&db, "SELECT payload FROM events WHERE event_type <> 'cmb'");
    let mut checked = 0;
    let mut expected: BTreeMap<String, Vec<(String, String, String, Leaf)>> = BTreeMap::new();
    for p in payloads {
        let event: Value = serde_json::from_str(p["payload"].as_str().unwrap()).unwrap();
        let obj = event.as_object().unwrap();
        let ty = obj["event_type"].as_str().unwrap().to_string();
        for row in flatten(obj, ENVELOPE_KEYS, &payload_key(&ty), &[]) {
            for cell in &row.cells {
                let (table, column) = registry
                    .get(&(ty.clone(), json_path(&cell.path)))
                    .unwrap_or_else(|| panic!("no column for {}", json_path(&cell.path)))
                    .clone();
                expected.entry(table).or_default().push((
                    obj["event_id"].as_str().unwrap().to_string(),
                    row.key.clone(),
                    column,
                    cell.leaf.clone(),
                ));
            }
        }
    }
    for (table, cells) in expected {
        let is_child = table.contains("__");
        let key = if is_child { "_row" } else { "''" };
        let rows = query(&db, &format!("SELECT *, {key} AS hs_key FROM \"{table}\""));
        let by_key: BTreeMap<(String, String), &Value> = rows
            .iter()
            .map(|r| {
                (
                    (
                        r["event_id"].as_str().unwrap().to_string(),
                        r["hs_key"].as_str().unwrap_or("").to_string(),
                    ),
                    r,
                )
            })
            .collect();
        for (event_id, row_key, column, leaf) in cells {
            let row = by_key[&(event_id.clone(), row_key.clone())];
            let got = &row[&column];
            let as_timestamp = |secs: i64| {
                chrono::DateTime::from_timestamp(secs, 0)
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string())
            };
            let ok = match &leaf {
                Leaf::Bool(b) => got == &json!(b) || got == &json!(b.to_string()),
                Leaf::Int(i) => {
                    got.as_i64() == Some(*i)
                        || got.as_f64() == Some(*i as f64)
                        || got == &json!(i.to_string())
                        || got.as_str().map(str::to_string) == as_timestamp(*i)
                        // through DOUBLE (then VARCHAR): f64 precision
                        || got.as_str().and_then(|s| s.parse::<f64>().ok()) == Some(*i as f64)
                }
                Leaf::Float(f) => {
                    got.as_f64() == Some(*f)
                        || got.as_str().and_then(|s| s.parse::<f64>().ok()) == Some(*f)
                }
                Leaf::Text(s) => {
                    got == &json!(s)
                        || got.as_str().map(str::to_string)
                            == s.parse::<i64>().ok().and_then(as_timestamp)
                }
            };
            assert!(
                ok,
                "{table}.{column} of {event_id}/{row_key}: got {got}, want {leaf:?}"
            );
            checked += 1;
        }
    }
    checked
}

/// Realistic payloads from `hookstat sample`.
#[test]
fn every_payload_leaf_reads_back_from_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let arc = dir.path().join("arc");
    sample(&arc, 1500, 11, &[]);
    let db = dir.path().join("h.duckdb");
    ingest_ok(&db, &[&arc]);
    let checked = check_leaves_read_back(&db);
    assert!(checked > 1000, "checked {checked} cells");
}

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        (1_000_000_000i64..2_000_000_000).prop_map(|i| json!(i)),
        (1_000_000_000i64..2_000_000_000).prop_map(|i| json!(i.to_string())),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-z 0-9]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("(a|b|c_at|d_time|E)", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 6,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Arbitrary payloads whose keys collide and whose types conflict
    /// between events (forcing new columns and widening mid-run).
    #[test]
    fn arbitrary_payloads_read_back(payloads in prop::collection::vec(
        prop::collection::btree_map("(a|b|c_at|d_time|E)", arb_value(), 0..5), 1..25)) {
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<String> = payloads
            .into_iter()
            .enumerate()
            .map(|(i, p)| uf(&format!("p{i}"), Value::Object(p.into_iter().collect())))
            .collect();
        let file = dir.path().join("p.ndjson");
        std::fs::write(&file, ndjson(&lines)).unwrap();
        let db = dir.path().join("h.duckdb");
        let s = ingest_ok(&db, &[&file]);
        prop_assert_eq!(s["inserted"].as_u64(), Some(lines.len() as u64));
        check_leaves_read_back(&db);
    }
}
