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

/// Payloads with keys that are names (never data: no digits) and keys
/// that are data (6 to 8 digits: rows of a member table).
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        (-1e9f64..1e9).prop_map(|f| json!(f)),
        "[a-zA-Z0-9 _.\"-]{0,8}".prop_map(Value::String),
    ];
    let key = prop_oneof![4 => "[a-zA-Z_ .]{0,6}", 1 => "[0-9]{6,8}"];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One step to a value in the event: an object key, an array position, or
/// "the key of this member" (a data-keyed member's key cell).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    At(usize),
    KeyOf,
}

/// A scalar as text with its kind: what a cell must hold.
fn scalar_text(v: &Value) -> String {
    match v {
        Value::Bool(b) => format!("bool {b}"),
        Value::Number(n) => match n.as_i64() {
            Some(i) => format!("int {i}"),
            None => format!("float {}", n.as_f64().unwrap()),
        },
        Value::String(s) => format!("text {s}"),
        other => panic!("not a scalar: {other}"),
    }
}

fn leaf_text(leaf: &Leaf) -> String {
    match leaf {
        Leaf::Bool(b) => format!("bool {b}"),
        Leaf::Int(i) => format!("int {i}"),
        Leaf::Float(f) => format!("float {f}"),
        Leaf::Text(s) => format!("text {s}"),
    }
}

/// Every scalar leaf of `v` at its concrete location, and the key of every
/// data-keyed member (6+ digits, by construction of [`arb_json`]).
fn expected_leaves(v: &Value, at: &[Step], out: &mut Vec<(Vec<Step>, String)>) {
    let with = |step: Step| [at, &[step]].concat();
    match v {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                expected_leaves(item, &with(Step::At(i)), out);
            }
        }
        Value::Object(map) => {
            for (k, child) in map {
                let here = with(Step::Key(k.clone()));
                if k.len() >= 6 && k.bytes().all(|b| b.is_ascii_digit()) {
                    out.push(([&here[..], &[Step::KeyOf]].concat(), format!("text {k}")));
                }
                expected_leaves(child, &here, out);
            }
        }
        scalar => out.push((at.to_vec(), scalar_text(scalar))),
    }
}

/// Where each cell of `rows` says its value was: its path with every `[*]`
/// replaced by the row's element position and every `.*` by the member's
/// key.
fn cell_locations(rows: &[FlatRow]) -> Vec<(Vec<Step>, String)> {
    let mut out = Vec::new();
    for row in rows {
        for cell in &row.cells {
            let mut positions = row.key.split('.').filter(|p| !p.is_empty());
            let mut members = row.members.iter();
            let steps = cell
                .path
                .iter()
                .map(|seg| match seg {
                    Segment::Key(k) => Step::Key(k.clone()),
                    Segment::Elements => Step::At(positions.next().unwrap().parse().unwrap()),
                    Segment::Members => {
                        positions.next().unwrap();
                        Step::Key(members.next().unwrap().clone())
                    }
                    Segment::MemberKey => Step::KeyOf,
                })
                .collect();
            out.push((steps, leaf_text(&cell.leaf)));
        }
    }
    out
}

proptest! {
    #[test]
    fn every_leaf_lands_in_exactly_one_cell(payload in arb_json()) {
        let event = obj(json!({"event_id": "e", "event_type": "t", "t_payload": payload.clone()}));
        let rows = flatten(&event, &["event_id", "event_type"], "t_payload", &[]);
        let mut want = Vec::new();
        expected_leaves(&payload, &[Step::Key("t_payload".into())], &mut want);
        let mut got = cell_locations(&rows);
        want.sort();
        got.sort();
        prop_assert_eq!(got, want);
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
