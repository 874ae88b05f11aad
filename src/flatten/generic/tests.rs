//! Unit and property tests of generic flattening.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[test]
fn nested_objects_arrays_and_scalars() {
    let event = obj(json!({
        "event_id": "e", "event_type": "uf",
        "uf_payload": {
            "answer": {"text": "Yes", "score": 4.5},
            "tags": ["a", "b"],
            "choices": [{"id": 1, "label": "x", "sub": [true]}, {"id": 2}],
            "skipped": null
        },
        "version": 2
    }));
    let rows = flatten(&event, &["event_id", "event_type"], "uf_payload", &[]);
    let main = &rows[0];
    let cells: Vec<_> = main
        .cells
        .iter()
        .map(|c| (c.name_path.join("."), json_path(&c.path)))
        .collect();
    assert_eq!(
        cells,
        vec![
            (
                "answer.score".to_string(),
                "$.uf_payload.answer.score".to_string()
            ),
            ("answer.text".into(), "$.uf_payload.answer.text".into()),
            ("version".into(), "$.version".into()),
        ]
    );
    let tables: Vec<_> = rows[1..]
        .iter()
        .map(|r| {
            (
                json_path(&r.table_path),
                r.key.clone(),
                r.parent_key.clone(),
            )
        })
        .collect();
    assert_eq!(
        tables,
        vec![
            ("$.uf_payload.choices[*]".to_string(), "0".to_string(), None),
            (
                "$.uf_payload.choices[*].sub[*]".into(),
                "0.0".into(),
                Some("0".into())
            ),
            ("$.uf_payload.choices[*]".into(), "1".into(), None),
            ("$.uf_payload.tags[*]".into(), "0".into(), None),
            ("$.uf_payload.tags[*]".into(), "1".into(), None),
        ]
    );
    assert_eq!(rows[4].cells[0].name_path, vec!["value".to_string()]);
    assert_eq!(rows[4].cells[0].leaf, Leaf::Text("a".into()));
    assert_eq!(rows[2].cells[0].leaf, Leaf::Bool(true));
}

#[test]
fn odd_keys_get_unambiguous_paths() {
    assert_eq!(
        json_path(&[Segment::Key("a b".into()), Segment::Key("x\"y".into())]),
        r#"$["a b"]["x\"y"]"#
    );
    assert_eq!(json_path(&[Segment::Key("".into())]), r#"$[""]"#);
}

#[test]
fn leaf_text_forms() {
    assert_eq!(Leaf::Float(1.5).to_text(), "1.5");
    assert_eq!(Leaf::Int(-3).to_text(), "-3");
    assert_eq!(Leaf::Bool(false).to_text(), "false");
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        "[a-zA-Z0-9 _.\"-]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z_ .]{0,6}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn count_leaves(v: &Value) -> usize {
    match v {
        Value::Null => 0,
        Value::Array(a) => a.iter().map(count_leaves).sum(),
        Value::Object(m) => m.values().map(count_leaves).sum(),
        _ => 1,
    }
}

proptest! {
    #[test]
    fn every_leaf_lands_in_exactly_one_cell(payload in arb_json()) {
        let event = obj(json!({"event_id": "e", "event_type": "t", "t_payload": payload.clone()}));
        let rows = flatten(&event, &["event_id", "event_type"], "t_payload", &[]);
        let cells: usize = rows.iter().map(|r| r.cells.len()).sum();
        prop_assert_eq!(cells, count_leaves(&payload));
        // no two cells of a row share a path
        for r in &rows {
            let mut paths: Vec<_> = r.cells.iter().map(|c| json_path(&c.path)).collect();
            let n = paths.len();
            paths.sort();
            paths.dedup();
            prop_assert_eq!(paths.len(), n);
        }
    }

    #[test]
    fn child_rows_point_to_existing_parents_and_keys_are_unique(payload in arb_json()) {
        let event = obj(json!({"event_id": "e", "event_type": "t", "t_payload": payload}));
        let rows = flatten(&event, &["event_id", "event_type"], "t_payload", &[]);
        let mut seen = std::collections::HashSet::new();
        for r in &rows {
            prop_assert!(seen.insert((json_path(&r.table_path), r.key.clone())));
            if let Some(parent) = &r.parent_key {
                prop_assert!(rows.iter().any(|p| &p.key == parent
                    && !p.table_path.is_empty()
                    && r.table_path.starts_with(&p.table_path)
                    && p.table_path.len() < r.table_path.len()));
            } else if !r.table_path.is_empty() {
                prop_assert!(r.key.parse::<usize>().is_ok());
            }
        }
    }

    #[test]
    fn flattening_is_deterministic(payload in arb_json()) {
        let event = obj(json!({"event_id": "e", "event_type": "t", "t_payload": payload}));
        let skip = ["event_id", "event_type"];
        prop_assert_eq!(flatten(&event, &skip, "t_payload", &[]), flatten(&event, &skip, "t_payload", &[]));
    }
}

#[test]
fn known_root_fields_can_be_skipped() {
    let event = obj(json!({"cmb_payload": {"is_interested": true, "number_group": "G1"}}));
    let rows = flatten(&event, &[], "cmb_payload", &["is_interested"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].cells.len(), 1);
    assert_eq!(
        json_path(&rows[0].cells[0].path),
        "$.cmb_payload.number_group"
    );
    assert_eq!(rows[0].cells[0].name_path, vec!["number_group".to_string()]);
}
