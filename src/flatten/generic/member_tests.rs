//! Unit and property tests of data-keyed members: rows of child tables,
//! never names.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A row as (table path, row key, parent key, index, cells as
/// (name, JSON path, leaf)).
type RowView = (
    String,
    String,
    Option<String>,
    Option<i64>,
    Vec<(String, String, Leaf)>,
);

fn view(rows: &[FlatRow]) -> Vec<RowView> {
    rows.iter()
        .map(|r| {
            assert_eq!(r.table_json_path, json_path(&r.table_path));
            let cells = r.cells.iter().map(|c| {
                assert_eq!(c.json_path, json_path(&c.path));
                (c.name_path.join("."), c.json_path.clone(), c.leaf.clone())
            });
            let (t, k, p) = (
                r.table_json_path.clone(),
                r.key.clone(),
                r.parent_key.clone(),
            );
            (t, k, p, r.index, cells.collect())
        })
        .collect()
}

fn text(s: &str) -> Leaf {
    Leaf::Text(s.into())
}

const UUID: &str = "7ab603cd-a4c4-4904-85b2-919876543210";

#[test]
fn data_keyed_members_are_rows_and_named_members_columns() {
    let event = obj(
        json!({"event_id": "e", "event_type": "uf", "uf_payload": {"call_log":
        {"a": 1, "919876543210": "answered", UUID: {"x": 2}}}}),
    );
    let rows = flatten(&event, &["event_id", "event_type"], "uf_payload", &[]);
    let (members, key) = ("$.uf_payload.call_log.*", "$.uf_payload.call_log.*~");
    // keys in sorted order: the UUID, the number, then `a`
    let want: Vec<RowView> = vec![
        (
            "$".into(),
            "".into(),
            None,
            None,
            vec![(
                "call_log.a".into(),
                "$.uf_payload.call_log.a".into(),
                Leaf::Int(1),
            )],
        ),
        (
            members.into(),
            "0".into(),
            None,
            Some(0),
            vec![
                ("key".into(), key.into(), text(UUID)),
                ("x".into(), format!("{members}.x"), Leaf::Int(2)),
            ],
        ),
        (
            members.into(),
            "1".into(),
            None,
            Some(1),
            vec![
                ("key".into(), key.into(), text("919876543210")),
                ("value".into(), members.into(), text("answered")),
            ],
        ),
    ];
    assert_eq!(view(&rows), want);
    assert_eq!(rows[2].members, vec!["919876543210".to_string()]);
    assert_eq!(
        rows[1].table_path,
        [
            Segment::Key("uf_payload".into()),
            Segment::Key("call_log".into()),
            Segment::Members
        ]
    );
    // a real field named `key` keeps its own path
    let event = obj(json!({"t_payload": {"m": {"20261125": {"key": "k", "n": null}}}}));
    let rows = flatten(&event, &[], "t_payload", &[]);
    let paths: Vec<_> = rows[1].cells.iter().map(|c| c.json_path.as_str()).collect();
    assert_eq!(paths, ["$.t_payload.m.*~", "$.t_payload.m.*.key"]);
}

#[test]
fn members_nest_like_elements() {
    let event = obj(json!({
        "t_payload": {"2026-11-25": 5, "days": [{"by_number": {"+91 98765 43210": ["x", null]}}]},
        "9876543210": null
    }));
    let rows = flatten(&event, &[], "t_payload", &[]);
    let got: Vec<_> = view(&rows)
        .into_iter()
        .map(|(t, k, p, i, c)| (t, k, p, i, c.len()))
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        vec![
            (s("$"), s(""), None, None, 0),
            // data keys at the event's top level and of the payload itself
            (s("$.*"), s("0"), None, Some(0), 1),
            (s("$.t_payload.*"), s("0"), None, Some(0), 2),
            (s("$.t_payload.days[*]"), s("0"), None, Some(0), 0),
            (
                s("$.t_payload.days[*].by_number.*"),
                s("0.0"),
                Some(s("0")),
                Some(0),
                1
            ),
            (
                s("$.t_payload.days[*].by_number.*[*]"),
                s("0.0.0"),
                Some(s("0.0")),
                Some(0),
                1
            ),
            (
                s("$.t_payload.days[*].by_number.*[*]"),
                s("0.0.1"),
                Some(s("0.0")),
                Some(1),
                0
            ),
        ]
    );
    assert_eq!(rows[6].members, vec![s("+91 98765 43210")]);
    assert_eq!(rows[5].cells[0].name_path, vec![s("value")]);
}

#[test]
fn members_count_against_the_budgets() {
    let event = obj(json!({"t_payload": {"log": {
        "a": 0, "9000000001": "x", "9000000002": "y", "9000000003": {"z": [1]}}}}));
    let limits = FlatLimits {
        max_array_elements: 1,
        ..FlatLimits::UNLIMITED
    };
    let flat = flatten_within(&event, &[], "t_payload", &[], limits);
    assert_eq!(flat.rows.len(), 2);
    assert_eq!(flat.rows[1].cells[0].leaf, text("9000000001"));
    assert_eq!(
        flat.overflow,
        vec![
            (s(r#"$.t_payload.log["9000000002"]"#), s(r#""y""#)),
            (s(r#"$.t_payload.log["9000000003"]"#), s(r#"{"z":[1]}"#)),
        ]
    );
    assert_eq!(flat.issues.len(), 1);
    assert_eq!(flat.issues[0].field, r#"$.t_payload.log["9000000002"]"#);
    assert_eq!(flat.issues[0].raw_value, "2");
    // depth: the member's value is one level below its object
    let limits = FlatLimits {
        max_depth: 3,
        ..FlatLimits::UNLIMITED
    };
    let flat = flatten_within(&event, &[], "t_payload", &[], limits);
    // the row stays, with its key, as an element's does
    assert_eq!(flat.rows.len(), 4);
    assert_eq!(flat.rows[3].cells.len(), 1);
    assert_eq!(
        flat.overflow,
        vec![(s(r#"$.t_payload.log["9000000003"]"#), s(r#"{"z":[1]}"#))]
    );
    // leaves: the key cells are not leaves of the JSON
    let limits = FlatLimits {
        max_leaves: 2,
        ..FlatLimits::UNLIMITED
    };
    let flat = flatten_within(&event, &[], "t_payload", &[], limits);
    assert_eq!(flat.rows.len(), 5);
    assert_eq!(
        flat.overflow,
        vec![
            (s(r#"$.t_payload.log["9000000003"].z[0]"#), s("1")),
            (s("$.t_payload.log.a"), s("0")),
        ]
    );
}

#[test]
fn the_payload_key_is_never_data() {
    let event = obj(json!({"t202611_payload": {"a": 1, "919876543210": 2}}));
    let rows = flatten(&event, &[], "t202611_payload", &[]);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].cells[0].name_path, vec![s("a")]);
    assert_eq!(rows[1].table_json_path, "$.t202611_payload.*");
}

fn s(x: &str) -> String {
    x.to_string()
}

/// Keys that are names and keys that are data, of every kind.
fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z_ .]{0,6}",
        1 => "[0-9]{6,12}",
        1 => "\\+?[0-9]{2}[ -]?[0-9]{5}[ -]?[0-9]{5}",
        1 => "[०-९]{6,10}",
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}",
        1 => "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    ]
}

fn arb_json_with_data_keys() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        "[a-z0-9 ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(arb_key(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// (leaves, data-keyed members) of a value.
fn count_with_members(v: &Value) -> (usize, usize) {
    match v {
        Value::Null => (0, 0),
        Value::Array(a) => a.iter().map(count_with_members).fold((0, 0), add),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| add(count_with_members(v), (0, usize::from(is_data_key(k)))))
            .fold((0, 0), add),
        _ => (1, 0),
    }
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

proptest! {
    #[test]
    fn data_keys_are_rows_and_never_in_a_name(payload in arb_json_with_data_keys()) {
        let event = obj(json!({"event_id": "e", "event_type": "t", "t_payload": payload.clone()}));
        let rows = flatten(&event, &["event_id", "event_type"], "t_payload", &[]);
        let (leaves, members) = count_with_members(&payload);
        let is_key = |c: &&Cell| c.path.last() == Some(&Segment::MemberKey);
        let keys: Vec<&Cell> = rows.iter().flat_map(|r| r.cells.iter().filter(is_key)).collect();
        // every leaf in one cell, one key cell (and row) per member
        prop_assert_eq!(keys.len(), members);
        let cells: usize = rows.iter().map(|r| r.cells.len()).sum();
        prop_assert_eq!(cells - keys.len(), leaves);
        for r in &rows {
            let is_member = r.table_path.last() == Some(&Segment::Members);
            prop_assert_eq!(r.cells.iter().filter(is_key).count(), usize::from(is_member));
            prop_assert_eq!(r.members.len(), r.table_path.iter().filter(|s| **s == Segment::Members).count());
            for c in &r.cells {
                // no data key in a path, so none in a column's name
                prop_assert!(!c.path.iter().any(|s| matches!(s, Segment::Key(k) if is_data_key(k))));
                prop_assert!(!c.name_path.iter().any(|k| is_data_key(k)));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for r in &rows {
            prop_assert!(seen.insert((json_path(&r.table_path), r.key.clone())));
        }
    }
}
